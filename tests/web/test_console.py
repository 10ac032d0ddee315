"""The console menu: the engine's entries with each type package's placed among them; a
role sees the entries that name it and those its `nav` in the roles catalog lists, so a role
added as data gets its menu without code. A user's menu is the union over its roles, in the
console's own order; its primary role picks the landing page."""

from __future__ import annotations

import pytest

from fazhi.bootstrap import composed_console
from fazhi.catalog.roles import NAV_IDS
from fazhi.web.console import NAV_PATHS

CONSOLE = composed_console()

# The menus and landing pages of the first wave's roles, as they were before roles became data
# (everyone has 消息 now, at the end; dispatchers 待审批 after 受理; the hotline centre and
# supervisors 未接来电; every hotline role 派单目录 after 知识库; the readers of case-file
# reviews 案卷评查 after 案件).
MENUS = {
    "operator": [
        "/work",
        "/intake",
        "/missed-calls",
        "/knowledge",
        "/catalogue",
        "/cases",
        "/messages",
    ],
    "dispatcher": [
        "/work",
        "/intake",
        "/approvals",
        "/supervision",
        "/stats",
        "/assessment",
        "/map",
        "/missed-calls",
        "/knowledge",
        "/catalogue",
        "/analytics/metrics",
        "/repeats",
        "/cases",
        "/reply-templates",
        "/notifications",
        "/messages",
    ],
    "unit_handler": [
        "/work",
        "/knowledge",
        "/catalogue",
        "/cases",
        "/inspections",
        "/reply-templates",
        "/messages",
    ],
    "unit_leader": [
        "/work",
        "/supervision",
        "/stats",
        "/assessment",
        "/knowledge",
        "/catalogue",
        "/analytics/metrics",
        "/cases",
        "/inspections",
        "/reply-templates",
        "/messages",
    ],
    "supervisor": [
        "/supervision",
        "/stats",
        "/assessment",
        "/map",
        "/missed-calls",
        "/knowledge",
        "/catalogue",
        "/analytics/metrics",
        "/repeats",
        "/cases",
        "/case-file-reviews",
        "/legality",
        "/inspections",
        "/messages",
    ],
    "district_leader": [
        "/supervision",
        "/stats",
        "/assessment",
        "/map",
        "/catalogue",
        "/analytics/metrics",
        "/repeats",
        "/indicators",  # 法治指标 (issue 14)
        "/annual-report",  # 年度报告 (issue 14)
        "/cases",
        "/case-file-reviews",
        "/legality",
        "/inspections",
        "/messages",
    ],
    "admin": [
        "/stats",
        "/assessment",
        "/map",
        "/knowledge",
        "/catalogue",
        "/analytics/metrics",
        "/repeats",
        "/indicators",  # 法治指标 (issue 14)
        "/annual-report",  # 年度报告 (issue 14)
        "/cases",
        "/case-file-reviews",
        "/legality",
        "/inspections",
        "/penalty-items",
        "/admin",
        "/reply-templates",
        "/notifications",
        "/messages",
    ],
}
LANDING = {
    "supervisor": "/supervision",
    "district_leader": "/stats",
    "admin": "/admin",
    "operator": "/work",
    "dispatcher": "/work",
    "unit_handler": "/work",
    "unit_leader": "/work",
}


def paths(roles: str | tuple[str, ...], kind: str = "department") -> list[str]:
    return [path for path, _ in CONSOLE.nav_for(roles, kind)]


def landing_for(roles: str | tuple[str, ...]) -> str:
    return CONSOLE.landing_for(roles, "department")


@pytest.mark.parametrize("role", sorted(MENUS))
def test_the_first_waves_roles_keep_their_menus_and_landing_pages(role: str) -> None:
    assert paths(role) == MENUS[role]
    assert landing_for(role) == LANDING[role]


def test_the_patrol_report_is_for_grid_community_and_street_units_only() -> None:
    assert "/report" in paths("unit_handler", "grid")
    assert "/report" in paths("unit_handler", "street")
    assert "/report" not in paths("unit_handler", "department")


def test_several_roles_show_the_union_in_the_consoles_order() -> None:
    both = paths(("supervisor", "operator"))
    assert both == paths(("operator", "supervisor"))
    assert both == [
        "/work",
        "/intake",
        "/supervision",
        "/stats",
        "/assessment",
        "/map",
        "/missed-calls",
        "/knowledge",
        "/catalogue",
        "/analytics/metrics",
        "/repeats",
        "/cases",
        "/case-file-reviews",
        "/legality",
        "/inspections",
        "/messages",
    ]
    # …and the primary role (the first) picks the landing page.
    assert landing_for(("supervisor", "operator")) == "/supervision"
    assert landing_for(("operator", "supervisor")) == "/work"


def test_the_new_roles_have_a_work_list_and_the_case_search() -> None:
    assert paths("mediator") == ["/work", "/cases", "/messages"]
    # The judicial offices and the bureau's correction officers also have 社区矫正, the officer's
    # day view, where a correction officer lands.
    for role in ("judicial_officer", "correction_officer"):
        assert paths(role) == ["/work", "/cases", "/correction", "/messages"], role
    assert landing_for("correction_officer") == "/correction"
    # The legal reviewer checks decisions against the registers behind enforcement.
    assert paths("legal_reviewer") == ["/work", "/cases", "/penalty-items", "/messages"]


def test_the_catalogs_menu_entries_are_the_consoles() -> None:
    assert set(NAV_PATHS) == set(NAV_IDS)
    assert set(NAV_PATHS.values()) == {path for path, _, _ in CONSOLE.navigation}
