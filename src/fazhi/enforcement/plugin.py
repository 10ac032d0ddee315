"""What administrative enforcement adds to the platform (for `fazhi.bootstrap`): the penalty
case's file over the API and the machine case-file review commands (`fazhi review`,
`fazhi case-file demo|export`). The penalty case type itself is data
(catalog/case_types/penalty_case.yaml)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from fazhi.actions.platform import Platform
from fazhi.enforcement import api, cli
from fazhi.enforcement.inspections import api as inspections_api  # inspections (1+N, 双随机)
from fazhi.enforcement.inspections import web as inspections_web
from fazhi.enforcement.penalty_items import EDIT_ROLES
from fazhi.enforcement.reviews import READER_ROLES
from fazhi.enforcement.web import decision_form, public_pages, register_pages, review_pages
from fazhi.web.console import CasePageExtension, ConsoleExtension

NAME = "enforcement"
NAV_REGISTER_ROLES = ("enforcement_officer", "legal_reviewer", "case_file_reviewer", *EDIT_ROLES)
API_ROUTERS = (
    api.router,
    api.reviews_router,
    api.penalty_items_router,
    public_pages.api_router,
    inspections_api.router,
)
WEB = Path(__file__).parent / "web"
CONSOLE = ConsoleExtension(
    routers=(
        review_pages.router,
        register_pages.router,
        public_pages.router,
        *inspections_web.ROUTERS,
    ),
    nav=(
        (("/case-file-reviews", "案卷评查", frozenset(READER_ROLES)), "/cases"),
        *inspections_web.NAV,
        # In the menu of those who work with the registers; leaders open it from a case.
        (("/penalty-items", "执法清单", frozenset(NAV_REGISTER_ROLES)), "/inspections"),
    ),
    # Reviewers work from their task list.
    landing={"case_file_reviewer": "/case-file-reviews"},
    # The decision forms choose the penalty item and circumstance from the register.
    case_pages={"penalty_case": CasePageExtension(action_forms=decision_form.ACTION_FORMS)},
    templates=WEB / "templates",
    static_prefix="enforcement",
    static=WEB / "static",
)


def register_cli(app: Any) -> None:
    cli.register(app)


def generate_demo(
    platform: Platform, orders: int, current: int, seed: int, progress: Callable[[int], None]
) -> str:
    """The synthetic enforcement registers: the officers' certificates and the penalty items
    with their discretion benchmarks; a year of penalty cases on them; then the
    inspections."""
    from fazhi.enforcement.demo.certificates import seed_certificates
    from fazhi.enforcement.demo.penalty_cases import seed_penalty_cases
    from fazhi.enforcement.demo.penalty_items import seed_penalty_items

    made = seed_certificates(platform)
    items = seed_penalty_items(platform)
    said = "；".join(
        (
            f"执法证件合成记录 {made} 条" if made else "执法证件库已有记录，跳过",
            f"处罚事项（含裁量基准）合成 {items} 项" if items else "处罚事项已有记录，跳过",
        )
    )
    cases = seed_penalty_cases(platform) or "行政处罚案件已有记录，跳过。"
    return said + "。" + cases + inspections_demo(platform)


def inspections_demo(platform: Platform) -> str:
    """The synthetic inspection plans of 田心街道 and a random draw."""
    from fazhi.enforcement.inspections.demo import seed_inspections

    planned = seed_inspections(platform)
    return f"联合检查计划事项合成记录 {planned} 条、双随机抽查 1 次。" if planned else ""
