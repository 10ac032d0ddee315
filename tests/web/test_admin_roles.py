"""系统管理 gives an account several roles (checkboxes besides the primary role); the user
may then do what any of its roles may, its menu is the union of its roles' menus, and every
change is in admin_log."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import httpx
import pytest
from sqlalchemy import select

from fazhi.actions.platform import Platform
from fazhi.store.models import UserRole
from tests.support import ServerThread, browser_client
from tests.web.test_admin_pages import create_user, field_error, logs, unique, user_row

Console = Callable[..., httpx.Client]


@pytest.fixture
def console(server: ServerThread) -> Iterator[Console]:
    """console("admin") → a client signed in to the console."""
    clients: list[httpx.Client] = []

    def make(username: str, password: str = "fazhi2023") -> httpx.Client:
        http = browser_client(server.url)
        clients.append(http)
        response = http.post("/login", data={"username": username, "password": password})
        assert response.status_code == 303, response.text
        return http

    yield make
    for http in clients:
        http.close()


@pytest.fixture
def admin(console: Console) -> httpx.Client:
    return console("admin")


def held(platform: Platform, user_id: int) -> set[str]:
    with platform.sessions() as session:
        return set(session.scalars(select(UserRole.role).where(UserRole.user_id == user_id)))


def menu(page: str) -> list[str]:
    nav = re.search(r'<nav aria-label="主导航">(.*?)</nav>', page, re.S)
    assert nav
    return re.findall(r'href="([^"]+)"', nav.group(1))


def test_an_admin_gives_an_account_several_roles_and_it_may_use_them_all(
    admin: httpx.Client, console: Console, platform: Platform
) -> None:
    name = unique("t_roles_")
    response = admin.post(
        "/admin/users",
        data={
            "username": name,
            "display_name": "测试兼任",
            "role": "operator",
            "roles": ["unit_leader"],
            "unit": "SF-12345",
            "password": "Secret-1234",
        },
    )
    assert response.status_code == 303, response.text
    user = user_row(platform, name)
    assert user.role == "operator" and held(platform, user.id) == {"operator", "unit_leader"}
    assert logs(platform, f"user:{name}")[-1].details["roles"] == ["operator", "unit_leader"]

    session = console(name, "Secret-1234")
    page = session.get("/work")
    assert page.status_code == 200
    # The menu is the union, in the console's order; the primary role picks the landing.
    assert menu(page.text) == [
        "/work",
        "/intake",
        "/supervision",
        "/stats",
        "/assessment",
        "/missed-calls",
        "/knowledge",
        "/catalogue",
        "/analytics/metrics",
        "/cases",
        "/inspections",
        "/reply-templates",
        "/messages",
    ]
    assert session.get("/").headers["location"] == "/work"
    assert session.get("/intake").status_code == 200  # the operator's page
    assert session.get("/supervision").status_code == 200  # the unit leader's

    listing = admin.get("/admin/users", params={"q": name}).text
    row = re.search(rf'<tr data-username="{name}".*?</tr>', listing, re.S)
    assert row and "话务员、单位负责人" in row.group(0)
    # The list's role filter finds the holders of a role that is not their primary one.
    found = f'data-username="{name}"'
    assert found in admin.get("/admin/users", params={"q": name, "role": "unit_leader"}).text
    assert found not in admin.get("/admin/users", params={"q": name, "role": "mediator"}).text


def test_changing_the_roles_ends_the_sessions_and_is_logged(
    admin: httpx.Client, console: Console, platform: Platform
) -> None:
    name = unique("t_roles_")
    assert create_user(admin, username=name).status_code == 303
    user = user_row(platform, name)
    session = console(name, "Secret-1234")
    form = {"display_name": "测试用户", "role": "operator", "unit": "SF-12345", "roles_listed": "1"}
    page = admin.get(f"/admin/users/{user.id}").text
    assert 'name="roles" value="mediator"' in page and 'value="system"' not in page

    added = admin.post(f"/admin/users/{user.id}", data={**form, "roles": ["supervisor"]})
    assert added.status_code == 303
    assert held(platform, user.id) == {"operator", "supervisor"}
    assert session.get("/work").status_code == 303  # signed out
    assert logs(platform, f"user:{name}")[-1].details["changes"] == {
        "roles": [["operator"], ["operator", "supervisor"]]
    }
    checked = admin.get(f"/admin/users/{user.id}").text
    assert re.search(r'value="supervisor" checked', checked)

    removed = admin.post(f"/admin/users/{user.id}", data=form)  # none ticked
    assert removed.status_code == 303
    assert held(platform, user.id) == {"operator"}
    assert logs(platform, f"user:{name}")[-1].details["changes"] == {
        "roles": [["operator", "supervisor"], ["operator"]]
    }


def test_a_system_role_or_an_unknown_role_is_refused_next_to_the_field(
    admin: httpx.Client, platform: Platform
) -> None:
    name = unique("t_roles_")
    response = create_user(admin, username=name, roles="system")
    assert response.status_code == 422
    assert "system" in field_error(response.text, "new-roles")
    assert "没有可分配的角色" in field_error(
        create_user(admin, username=name, role="janitor").text, "new-role"
    )


def test_an_admin_cannot_change_their_own_roles(admin: httpx.Client, platform: Platform) -> None:
    me = user_row(platform, "admin")
    response = admin.post(
        f"/admin/users/{me.id}",
        data={
            "display_name": me.display_name,
            "role": "admin",
            "unit": "SF",
            "roles_listed": "1",
            "roles": ["supervisor"],
        },
    )
    assert response.status_code == 422
    assert field_error(response.text, "role") == "不能修改自己的角色"
    assert held(platform, me.id) == {"admin"}
