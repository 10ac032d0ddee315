"""Console pages. The full console is built on this router (issue 3); for now the front page
tells a visitor what is running and how to sign in."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy import func, select

from fazhi.api.deps import platform_of
from fazhi.domain.roles import ROLE_LABELS
from fazhi.store.models import Case, User

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")


@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    platform = platform_of(request)
    with platform.sessions() as session:
        counts = dict(session.execute(select(Case.type, func.count()).group_by(Case.type)).all())
        users = session.execute(
            select(User.username, User.display_name, User.role).order_by(User.id)
        ).all()
    types = [(t.label, counts.get(t.name, 0)) for t in platform.types]
    return templates.TemplateResponse(
        request,
        "index.html",
        {
            "types": types,
            "users": users,
            "role_labels": ROLE_LABELS,
        },
    )
