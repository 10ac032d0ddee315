"""What the hotline adds to the platform, for the composition root (`fazhi.bootstrap`):
its API routers, its console (pages, navigation, landing pages, case-page additions, the
难点 analytics view, templates and static files), its commands and its demo data.

The engine knows none of this: it reads these attributes of each type package it is given
(`fazhi.bootstrap.TypePackage`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import typer

from fazhi.actions.platform import Platform
from fazhi.hotline import cli
from fazhi.hotline.api import (
    analytics,
    catalogue,
    knowledge,
    merge,
    missed_calls,
    open311,
    reports,
    routing,
    transfers,
)
from fazhi.hotline.read.approvals import APPROVER_ROLES, pending_count_query
from fazhi.hotline.read.caller_history import HISTORY_ROLES
from fazhi.hotline.web import (
    analytics_pages,
    approval_pages,
    assessment_pages,
    caller_history_pages,
    catalogue_pages,
    intake_pages,
    knowledge_pages,
    list_flags,
    map_pages,
    merge_pages,
    missed_call_pages,
    reply_template_pages,
    report_pages,
    shortcuts,
    stats_pages,
    suggest_pages,
    supervision_pages,
)
from fazhi.http.body_limits import BodyLimit
from fazhi.web.console import CasePageExtension, ConsoleExtension

NAME = "hotline"
# The type whose statistics the analytics pages and API show when none is asked for.
DEFAULT_TYPE = "hotline"
WEB = Path(__file__).parent / "web"

API_ROUTERS = (
    open311.router,
    transfers.router,
    reports.router,
    routing.router,
    merge.router,
    analytics.router,
    missed_calls.router,
    knowledge.router,
    catalogue.router,
)
# Every error under /open311/ in GeoReport v2's shape, whoever raised it.
ERROR_SHAPES = {"/open311/": open311.error_shape}
# Bodies larger than the default 1 MB: grid workers' reports (up to 6 photos), transfer batches.
BODY_LIMITS = (
    BodyLimit("POST", r"(/api/v1/reports|/report)", files=6),
    BodyLimit("POST", r"/api/v1/transfers/[^/]+", fixed=16 * 1024 * 1024),
)

INTAKE_ROLES = frozenset({"operator", "dispatcher"})
CONSOLE = ConsoleExtension(
    routers=(
        intake_pages.router,
        suggest_pages.router,
        merge_pages.router,
        report_pages.router,
        supervision_pages.router,
        stats_pages.router,
        map_pages.router,
        analytics_pages.router,
        missed_call_pages.router,
        caller_history_pages.router,
        reply_template_pages.router,
        knowledge_pages.router,
        assessment_pages.router,
        approval_pages.router,
        catalogue_pages.router,
    ),
    # Each entry after the path it follows in the menu.
    nav=(
        (("/intake", "受理", INTAKE_ROLES), "/work"),
        (("/missed-calls", "未接来电", missed_call_pages.VIEW_ROLES), "/intake"),
        (
            (
                "/supervision",
                "督办",
                frozenset({"supervisor", "district_leader", "dispatcher", "unit_leader"}),
            ),
            "/intake",
        ),
        (
            (
                "/stats",
                "统计",
                frozenset({"district_leader", "supervisor", "dispatcher", "admin", "unit_leader"}),
            ),
            "/supervision",
        ),
        (
            ("/map", "地图", frozenset({"district_leader", "supervisor", "dispatcher", "admin"})),
            "/stats",
        ),
        (
            (
                "/repeats",
                "重复诉求",
                frozenset({"district_leader", "supervisor", "dispatcher", "admin"}),
            ),
            "/analytics/metrics",
        ),
        (("/assessment", "考核", assessment_pages.ASSESSMENT_ROLES), "/stats"),
        (("/report", "上报", frozenset({"unit_handler"})), "/admin"),
        (("/reply-templates", "答复模板", reply_template_pages.MANAGE_ROLES), "/report"),
        (("/knowledge", "知识库", knowledge_pages.VIEW_ROLES), "/missed-calls"),
        (("/catalogue", "派单目录", catalogue_pages.VIEW_ROLES), "/knowledge"),
        # Extension requests and returns waiting for a dispatcher, counted in the menu
        # (last, so that it lands right after 受理).
        (("/approvals", "待审批", APPROVER_ROLES), "/intake"),
    ),
    # The grid worker's patrol report is offered to users of these unit kinds only.
    nav_unit_kinds={"/report": frozenset({"grid", "community", "street"})},
    landing={"supervisor": "/supervision", "district_leader": "/stats"},
    # Grid workers (and community handlers) report what they find on patrol: 上报 first.
    unit_landing={"unit_handler": {"grid": "/report", "community": "/report"}},
    case_pages={
        "hotline": CasePageExtension(
            # Dispatch has a richer form (the duty list's unit, the deadline preview, the
            # model's suggestion, the dispatch catalogue's items); an upheld
            # objection gives the order to a unit the same way.
            action_forms={
                "dispatch": "_dispatch_form.html",
                "reassign": "_dispatch_form.html",
                "uphold_return": "_dispatch_form.html",
            },
            # 并单 is taken on the 相似工单 panel, which checks the lead order first; 延期审批
            # is decided beside the request's days and reason (the panel below and
            # /approvals), where approving more days than asked needs a confirmation.
            own_pages=frozenset({"merge", "approve_extension", "reject_extension"}),
            panels=(
                (frozenset({"dispatcher", "operator"}), "/cases/{id}/similar"),
                (APPROVER_ROLES, "/cases/{id}/extension-request"),
                (HISTORY_ROLES, "/cases/{id}/caller-history"),
                (reply_template_pages.USE_ROLES, "/cases/{id}/reply-templates"),
                (catalogue_pages.PANEL_ROLES, "/cases/{id}/catalogue"),
            ),
            shortcuts=shortcuts.DISPATCH_SHORTCUTS,
            # 并入工单 holds the lead order's id: shown as its number (RX…), linked.
            case_ref_fields=frozenset({"merged_into"}),
            event_notes={"merge_received": merge_pages.merge_received_notes},
        )
    },
    work_links=(
        ("/intake", "受理新诉求", INTAKE_ROLES),
        ("/approvals", "待审批（延期、退单）", APPROVER_ROLES),
    ),
    # Beside the title on the work list: 重办, 退单, 延期; and what may be taken in batch.
    list_flags={"hotline": list_flags.order_flags},
    batch_actions={"hotline": ("acknowledge", "dispatch")},
    analytics_views=(("hard-cases", "难点", "hotspots"),),
    nav_counts={"/approvals": lambda w: pending_count_query(w.actor)},
    templates=WEB / "templates",
    static_prefix="hotline",
    static=WEB / "static",
)


def register_cli(app: typer.Typer) -> None:
    cli.register(app)


def generate_demo(
    platform: Platform, orders: int, current: int, seed: int, progress: Callable[[int], None]
) -> str:
    """Synthetic 12345 orders of 2023 (and of 2022, to compare with) and some in handling
    now, unless already loaded."""
    from fazhi.hotline.demo.catalogue import seed_catalogue
    from fazhi.hotline.demo.generate import demo_loaded, generate, generate_previous_year
    from fazhi.hotline.demo.knowledge_articles import seed_knowledge

    articles = seed_knowledge(platform)
    items = seed_catalogue(platform)
    kb = f"知识库合成条目 {articles} 条；" if articles else ""
    kb += f"派单目录合成事项 {items} 项；" if items else ""
    with platform.sessions() as session:
        if demo_loaded(session, platform.region_code):
            return f"{kb}演示数据已存在，跳过生成。"
    from fazhi.hotline.demo.extras import generate_extras
    from fazhi.store.db import transaction

    made, recent = generate(platform.sessions, platform, orders, seed, current, progress)
    # The year before, a fifth as many: what the 2023 handling time is compared with.
    before = generate_previous_year(platform.sessions, platform, orders // 5, seed, progress)
    with transaction(platform.sessions) as session:
        calls, templates = generate_extras(session, platform, seed)
    return (
        f"{kb}已生成 2023 年合成工单 {made} 件、2022 年 {before} 件、近期在办 {recent} 件，"
        f"未接来电 {calls} 个、答复模板 {templates} 条（均为合成数据）。"
    )


def generate_city(
    platform: Platform,
    orders: dict[str, int],
    seed: int,
    years: int,
    progress: Callable[[int], None],
) -> str:
    """Synthetic hotline history of a synthetic city (`fazhi demo generate`), in bulk."""
    from fazhi.hotline.demo.city import generate_city as generate

    made, events = generate(platform, orders, seed, years, progress)
    return f"已批量写入合成工单 {made} 件、事件 {events} 条（均为合成数据）。"
