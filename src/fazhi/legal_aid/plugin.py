"""What legal aid adds to the platform (for `fazhi.bootstrap`): its reads and registers over
the API (statistics, yearly target, lawyer register), the console's overview, and the
synthetic 2023 data for `fazhi demo`. The case type is data (catalog/case_types/
legal_aid.yaml); its case numbers and the lawyer check are rules of this package
(`fazhi.legal_aid.numbering`, `fazhi.legal_aid.lawyers`, named under the type's `hooks:`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from fazhi.actions.platform import Platform
from fazhi.legal_aid import api, cli
from fazhi.legal_aid.web import assign_form, pages
from fazhi.web.console import CasePageExtension, ConsoleExtension

NAME = "legal_aid"
API_ROUTERS = (api.router,)
WEB = Path(__file__).parent / "web"
CONSOLE = ConsoleExtension(
    routers=(pages.router,),
    # The centre's own menu entry; leaders and supervisors reach the page from its address.
    nav=((("/legal-aid", "法律援助", frozenset({"legal_aid_officer"})), "/work"),),
    # The assignment form chooses the lawyer from the register.
    case_pages={"legal_aid": CasePageExtension(action_forms=assign_form.ACTION_FORMS)},
    templates=WEB / "templates",
    static_prefix="legal_aid",
    static=WEB / "static",
)


def register_cli(app: Any) -> None:
    cli.register(app)


def generate_demo(
    platform: Platform, orders: int, current: int, seed: int, progress: Callable[[int], None]
) -> str:
    """The synthetic 2023 legal-aid work of the seed report (456 cases against 260)."""
    from fazhi.legal_aid.demo.work import seed_legal_aid

    made = seed_legal_aid(platform)
    return made or "法律援助演示数据已存在，跳过。"
