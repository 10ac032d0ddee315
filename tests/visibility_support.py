"""A platform of its own for the visibility tests: the shipped types plus the fixture types
in tests/fixtures/case_types (a restricted correction-like type, a penalty-like type and a
mediation-like type), the demo organisation, and extra users holding the roles the demo
does not cover. It has its own SQLite database, so the shared session platform keeps
exactly the shipped types.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import select

from fazhi.actions.auth import actor_for, roles_of
from fazhi.actions.cases import ActionContext
from fazhi.actions.org import hash_password, load_org_into, set_user_roles
from fazhi.actions.platform import Platform
from fazhi.catalog.categories import load_categories
from fazhi.catalog.org_file import load_demo_org
from fazhi.catalog.registry import CaseTypes, default_case_types
from fazhi.catalog.roles import default_roles
from fazhi.domain.case_type import CaseType, Visibility, parse_case_type
from fazhi.domain.units import Actor
from fazhi.settings import Settings
from fazhi.store.db import make_engine, session_factory, transaction
from fazhi.store.migrate import upgrade
from fazhi.store.models import Unit, User
from tests.support import FakeClock

FIXTURES = Path(__file__).parent / "fixtures" / "case_types"
PASSWORD = "fazhi2023"
RESTRICTED = "correction_fixture"
PENALTY = "penalty_fixture"
MEDIATION = "mediation_fixture"


def fixture_type(name: str) -> CaseType:
    """A fixture type file parsed as the platform parses type files. Until the strict
    parser (which reads `visibility:`) is merged, the file's visibility is applied here."""
    raw: dict[str, Any] = yaml.safe_load((FIXTURES / f"{name}.yaml").read_text("utf-8"))
    sets = {"categories": tuple((c.code, c.name) for c in load_categories())}
    parsed = parse_case_type(raw, default_roles().ids, sets)
    if parsed.visibility is None and "visibility" in raw:
        declared = raw["visibility"]
        parsed = replace(
            parsed,
            visibility=Visibility(tuple(declared["roles"]), declared.get("sensitivity", "normal")),
        )
    return parsed


def types_with_fixtures() -> CaseTypes:
    types = {t.name: t for t in default_case_types()}
    for name in (RESTRICTED, PENALTY, MEDIATION):
        types[name] = fixture_type(name)
    return CaseTypes(types)


def add_user(platform: Platform, username: str, roles: Sequence[str], unit_code: str) -> None:
    """An active login holding `roles` (the first is the primary one) in the unit."""
    with transaction(platform.sessions) as session:
        unit = session.scalar(select(Unit).where(Unit.code == unit_code))
        assert unit is not None, unit_code
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            user = User(username=username, password_hash=hash_password(PASSWORD))
            session.add(user)
        user.region_code = platform.region_code
        user.display_name = f"{username}（测试）"
        user.role = roles[0]
        user.unit_id = unit.id
        user.active = True
        session.flush()
        set_user_roles(session, user, tuple(roles))


def actor_of(platform: Platform, username: str) -> Actor:
    with platform.sessions() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None, username
        return actor_for(platform, user, roles_of(session, user.id))


def context(platform: Platform, username: str) -> ActionContext:
    return ActionContext(platform, actor_of(platform, username), platform.now())


# Users at the district root (SF) — whose unit has access to every case — holding each
# role that the restricted type does not name; and the named roles in other units.
def outsider_name(role: str) -> str:
    return f"vis_{role}"


NAMED_ELSEWHERE = {
    "vis_corr_xsl": (("correction_officer",), "SF-SFJ-XSL"),  # another street's 司法所
    "vis_jud_tjwh": (("judicial_officer", "mediator"), "SF-TX-TJWH"),  # not the lead unit
}


@pytest.fixture(scope="session")
def vplatform(tmp_path_factory: pytest.TempPathFactory, clock: FakeClock) -> Iterator[Platform]:
    """The visibility platform: demo organisation, fixture types, a user per role."""
    url = f"sqlite:///{tmp_path_factory.mktemp('visibility') / 'fazhi-visibility.db'}"
    engine = make_engine(url)
    upgrade(engine)
    platform = Platform(
        settings=Settings(database_url=url),
        engine=engine,
        sessions=session_factory(engine),
        types=types_with_fixtures(),
        clock=clock,
    )
    with transaction(platform.sessions) as session:
        load_org_into(session, load_demo_org())
    named = set(platform.types.get(RESTRICTED).visibility.roles)  # type: ignore[union-attr]
    for spec in platform.roles.assignable:
        if spec.name not in named:
            add_user(platform, outsider_name(spec.name), (spec.name,), "SF")
    for username, (roles, unit) in NAMED_ELSEWHERE.items():
        add_user(platform, username, roles, unit)
    yield platform
    engine.dispose()
