"""/admin/gazetteer over HTTP: list, add (a community, optionally one of its grids),
deactivate; errors next to the field; every change in admin_log.

The database is shared by the whole session: entries made here are deactivated in `finally`.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator

import httpx
import pytest
from sqlalchemy import select, update

from fazhi.actions.platform import Platform
from fazhi.org.gazetteer import gazetteer_for
from fazhi.store.db import transaction
from fazhi.store.models import AdminLog, GazetteerEntry

PASSWORD = "fazhi2023"
Console = Callable[[str], httpx.Client]


@pytest.fixture
def stop_entries(platform: Platform) -> Iterator[None]:
    try:
        yield
    finally:
        with transaction(platform.sessions) as session:
            session.execute(
                update(GazetteerEntry).where(GazetteerEntry.active.is_(True)).values(active=False)
            )
        platform.forget_units()


def last_log(platform: Platform) -> AdminLog:
    with platform.sessions() as session:
        row = session.scalar(
            select(AdminLog).where(AdminLog.action.like("gazetteer_%")).order_by(AdminLog.id.desc())
        )
        assert row is not None
        return row


def test_the_page_is_for_admins_and_its_inputs_are_labelled(console: Console) -> None:
    assert console("operator1").get("/admin/gazetteer").status_code == 403
    assert console("operator1").post("/admin/gazetteer", data={"name": "x"}).status_code == 403
    page = console("admin").get("/admin/gazetteer")
    assert page.status_code == 200
    labels = set(re.findall(r'<label[^>]* for="([^"]+)"', page.text))
    assert {"entry-name", "entry-community", "entry-grid"} <= labels
    assert 'href="/admin/gazetteer"' in console("admin").get("/admin").text


def test_an_entry_is_added_places_addresses_and_is_deactivated(
    console: Console, platform: Platform, stop_entries: None
) -> None:
    admin = console("admin")
    name = f"测试广场{uuid.uuid4().hex[:4]}"
    saved = admin.post(
        "/admin/gazetteer",
        data={"name": name, "community": "SF-QST-C01", "grid": "SF-QST-C01-G01"},
    )
    assert saved.status_code == 303
    page = admin.get(saved.headers["location"]).text
    assert "地名已登记" in page and name in page
    log = last_log(platform)
    assert log.action == "gazetteer_add" and log.details["name"] == name
    place = gazetteer_for(platform.directory()).locate_address(f"{name}东门")
    assert place is not None and place.grid is not None
    assert place.grid.code == "SF-QST-C01-G01"

    entry_id = int(log.target.split(":")[1])
    assert admin.post(f"/admin/gazetteer/{entry_id}/deactivate").status_code == 303
    assert last_log(platform).action == "gazetteer_deactivate"
    assert gazetteer_for(platform.directory()).locate_address(f"{name}东门") is None
    row = re.search(
        rf'<tr data-entry="{entry_id}"[^>]*>(.*?)</tr>', admin.get("/admin/gazetteer").text, re.S
    )
    assert row and "已停用" in row.group(1)
    assert admin.post(f"/admin/gazetteer/{entry_id}/deactivate").status_code == 409
    assert admin.post("/admin/gazetteer/999999999/deactivate").status_code == 404


def test_a_bad_entry_is_refused_next_to_the_fields(console: Console, platform: Platform) -> None:
    response = console("admin").post(
        "/admin/gazetteer",
        data={"name": "某大厦", "community": "SF-QST-C01", "grid": "SF-XSL-C06-G01"},
    )
    assert response.status_code == 422
    assert 'id="entry-grid-error">网格不属于所选社区<' in response.text
    assert 'value="某大厦"' in response.text  # what was typed stays
    response = console("admin").post("/admin/gazetteer", data={"name": "", "community": ""})
    assert 'id="entry-name-error">请填写地名<' in response.text
    assert 'id="entry-community-error">请选择社区（村）<' in response.text
    assert platform.directory().place_names == ()
