"""Two districts in one deployment, as a city platform hosts them: the demo 石峰区 (430204)
and a second district (430211, 天元区 by its GB/T 2260 code) built from the same demo
organisation file with its own region code and logins (usernames are unique across the
deployment, so the second district's carry a `ty_` prefix). Each district is served by a
platform of its own region (FAZHI_REGION_CODE) on the shared database, or on a shard.

SYNTHETIC DATA: the second district is the demo organisation under another code."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import httpx

from fazhi.actions.org import load_org_into
from fazhi.actions.platform import Platform
from fazhi.catalog.org_file import OrgSpec, load_demo_org
from fazhi.catalog.registry import default_case_types
from fazhi.settings import Settings
from fazhi.store.db import make_engine, session_factory, transaction
from fazhi.store.migrate import upgrade
from tests.api.flows import Desk
from tests.support import TLS, ApiClient, FakeClock

DISTRICT_A = "430204"
DISTRICT_B = "430211"
B_PREFIX = "ty_"
PASSWORD = "fazhi2023"
# Text that only district B's cases carry: it must never reach a user of district A.
B_MARK = "乙区专有标记"


def second_district() -> OrgSpec:
    """The demo organisation as district B: region 430211, every login prefixed."""
    demo = load_demo_org()
    users = tuple(replace(u, username=B_PREFIX + u.username) for u in demo.users)
    return replace(demo, region_code=DISTRICT_B, users=users)


# The hotline loop's cast (tests.api.flows.Desk) and the administrator.
CAST = ("admin", "operator1", "dispatcher1", "cgj_handler", "supervisor1")


def small_district(region: str, prefix: str = "") -> OrgSpec:
    """The demo organisation cut down to the hotline loop's cast and the units above them
    (a district that loads in a second, for tests that need several)."""
    demo = load_demo_org()
    users = [u for u in demo.users if u.username in CAST]
    keep: set[str] = set()
    for user in users:
        code: str | None = user.unit_code
        while code:
            keep.add(code)
            code = demo.unit(code).parent_code
    return replace(
        demo,
        region_code=region,
        units=tuple(u for u in demo.units if u.code in keep),
        users=tuple(replace(u, username=prefix + u.username) for u in users),
    )


def district_platform(url: str, region: str, clock: FakeClock, migrate: bool = True) -> Platform:
    """A platform serving `region` on the database at `url` (migrated first when asked)."""
    engine = make_engine(url)
    if migrate:
        upgrade(engine)
    return Platform(
        settings=Settings(database_url=url, region_code=region),
        engine=engine,
        sessions=session_factory(engine),
        types=default_case_types(),
        clock=clock,
    )


def load_both(platform: Platform) -> None:
    """Load district A (the demo organisation) and district B into the platform's database."""
    with transaction(platform.sessions) as session:
        load_org_into(session, load_demo_org())
        load_org_into(session, second_district())


def api_login(base_url: str, prefix: str = "") -> Callable[[str], ApiClient]:
    """login("operator1") → an ApiClient for that demo user of the district whose logins
    carry `prefix` (a token minted at the server's current clock)."""

    def make(username: str) -> ApiClient:
        name = prefix + username
        response = httpx.post(
            f"{base_url}/api/v1/auth/token",
            json={"username": name, "password": PASSWORD},
            verify=TLS,
        )
        assert response.status_code == 200, response.text
        body = response.json()
        http = httpx.Client(
            base_url=base_url,
            timeout=30,
            headers={"authorization": f"Bearer {body['access_token']}"},
            verify=TLS,
        )
        return ApiClient(http, name, dict(body["user"]))

    return make


def hotline_loop(desk: Desk, **fields: object) -> int:
    """intake → dispatch → handle → reply → revisit → close through the API; the case id.
    Asserts the order ends closed with the whole trail."""
    case_id = desk.closed(**fields)
    case = desk.case(case_id)
    assert case["terminal"] is True, case
    actions = [e["action"] for e in desk.events(case_id)]
    assert actions[:2] == ["register", "dispatch"], actions
    assert actions[-3:] == ["reply", "revisit", "close"], actions
    return case_id
