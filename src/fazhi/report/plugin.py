"""What the annual report adds to the platform (for `fazhi.bootstrap`): the console's report
page (/annual-report: preview, narrative blocks, downloads) and `fazhi report annual`. It is
not a case type: it reads the type packages' results (the case-file review) and the
analytics, so it sits above them in the layers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fazhi.report import cli
from fazhi.report.narratives import REPORT_ROLES
from fazhi.report.web import pages
from fazhi.web.console import ConsoleExtension

NAME = "report"
WEB = Path(__file__).parent / "web"
CONSOLE = ConsoleExtension(
    routers=(pages.router,),
    nav=((("/annual-report", "年度报告", frozenset(REPORT_ROLES)), "/indicators"),),
    templates=WEB / "templates",
    static_prefix="report",
    static=WEB / "static",
)


def register_cli(app: Any) -> None:
    cli.register(app)
