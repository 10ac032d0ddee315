"""The duty list's area rules and the admins' gazetteer entries: checked, logged, kept as
history, and seen at once by the unit directory (its cache is dropped on every change).

The database is shared by the whole session: every rule and entry made here is retired or
deactivated again in `finally` (see `clean`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import select, update

from fazhi.actions.admin.duty import check_add_duty_rule, check_retire_duty_rule, rule_history
from fazhi.actions.admin.gazetteer import (
    EntryForm,
    check_add_gazetteer_entry,
    check_deactivate_gazetteer_entry,
)
from fazhi.actions.platform import Platform
from fazhi.hotline.routing.suggestion import candidates
from fazhi.org.gazetteer import gazetteer_for
from fazhi.store.db import transaction
from fazhi.store.models import AdminLog, DutyRule, GazetteerEntry
from tests.actions.test_admin import ctx_for, fields_of, refused, run
from tests.support import FakeClock

CATEGORY = "CITY_APPEARANCE"  # district default: SF-CGJ


@pytest.fixture
def clean(platform: Platform) -> Iterator[None]:
    """Whatever rules or entries a test leaves active are stopped afterwards."""
    try:
        yield
    finally:
        with transaction(platform.sessions) as session:
            session.execute(update(DutyRule).where(DutyRule.active.is_(True)).values(active=False))
            session.execute(
                update(GazetteerEntry).where(GazetteerEntry.active.is_(True)).values(active=False)
            )
        platform.forget_units()


def code_of(platform: Platform, category: str, area: str | None) -> str | None:
    directory = platform.directory()
    unit = directory.duty_unit(category, directory.by_code[area] if area else None)
    return unit.code if unit else None


def logs(platform: Platform, action: str) -> list[AdminLog]:
    with platform.sessions() as session:
        return list(
            session.scalars(select(AdminLog).where(AdminLog.action == action).order_by(AdminLog.id))
        )


def test_the_most_specific_rule_applies_and_the_default_elsewhere(
    platform: Platform, clock: FakeClock, clean: None
) -> None:
    ctx = ctx_for(platform, clock)
    assert code_of(platform, CATEGORY, "SF-XSL-C06-G01") == "SF-CGJ"
    run(platform, lambda s: check_add_duty_rule(s, ctx, CATEGORY, "SF-XSL", "SF-ZJJ"))
    run(platform, lambda s: check_add_duty_rule(s, ctx, CATEGORY, "SF-XSL-C06", "SF-XSL"))
    assert code_of(platform, CATEGORY, "SF-XSL-C06-G01") == "SF-XSL"  # the community's
    assert code_of(platform, CATEGORY, "SF-XSL-C06") == "SF-XSL"
    assert code_of(platform, CATEGORY, "SF-XSL-C01-G01") == "SF-ZJJ"  # the street's
    assert code_of(platform, CATEGORY, "SF-XSL") == "SF-ZJJ"
    assert code_of(platform, CATEGORY, "SF-QST-C01") == "SF-CGJ"  # another street
    assert code_of(platform, CATEGORY, None) == "SF-CGJ"  # place unknown
    assert (
        code_of(platform, "TRAFFIC", "SF-XSL-C06")
        == platform.directory().default_unit_for("TRAFFIC").code
    )  # type: ignore[union-attr]
    # A dispute still goes to the street of the place without a rule.
    assert code_of(platform, "DISPUTE", "SF-XSL-C06-G01") == "SF-XSL"
    # Dispatch suggestions name the rule's unit when the place is known.
    place = gazetteer_for(platform.directory()).locate_address("樱花地带小区5栋")
    found = candidates(platform, None, "", place, ranked=[(CATEGORY, 0.9)], why=0)  # type: ignore[arg-type]
    assert found[0]["unit"]["code"] == "SF-XSL"
    found = candidates(platform, None, "", None, ranked=[(CATEGORY, 0.9)], why=0)  # type: ignore[arg-type]
    assert found[0]["unit"]["code"] == "SF-CGJ"


def test_a_change_retires_the_old_rule_and_keeps_it_in_the_history(
    platform: Platform, clock: FakeClock, clean: None
) -> None:
    ctx = ctx_for(platform, clock)
    first = run(platform, lambda s: check_add_duty_rule(s, ctx, CATEGORY, "SF-QST", "SF-ZJJ"))
    clock.advance(hours=1)
    ctx = ctx_for(platform, clock)
    second = run(platform, lambda s: check_add_duty_rule(s, ctx, CATEGORY, "SF-QST", "SF-QST"))
    assert second.id != first.id
    # The same again changes nothing.
    same = run(platform, lambda s: check_add_duty_rule(s, ctx, CATEGORY, "SF-QST", "SF-QST"))
    assert same.id == second.id
    with platform.sessions() as session:
        rows = [
            r for r in rule_history(session, platform.region_code) if r.id in (first.id, second.id)
        ]
        old = session.get(DutyRule, first.id)
        assert old is not None and not old.active
        assert old.retired_at == ctx.now and old.retired_by == ctx.actor.user_id
        assert [r.id for r in rows] == [second.id, first.id]  # newest first
    assert code_of(platform, CATEGORY, "SF-QST-C01") == "SF-QST"
    change = logs(platform, "duty_rule_change")[-1]
    assert change.details["before"] == "SF-ZJJ" and change.details["after"] == "SF-QST"
    assert change.target == f"category:{CATEGORY}"

    run(platform, lambda s: check_retire_duty_rule(s, ctx, second.id))
    assert code_of(platform, CATEGORY, "SF-QST-C01") == "SF-CGJ"
    assert logs(platform, "duty_rule_retire")[-1].details["rule"] == second.id
    again = refused(platform, lambda s: check_retire_duty_rule(s, ctx, second.id))
    assert again.status == 409
    assert refused(platform, lambda s: check_retire_duty_rule(s, ctx, 10**9)).status == 404


def test_the_directory_cache_is_dropped_on_every_change(
    platform: Platform, clock: FakeClock, clean: None
) -> None:
    ctx = ctx_for(platform, clock)
    before = platform.directory()
    rule = run(platform, lambda s: check_add_duty_rule(s, ctx, CATEGORY, "SF-TTW", "SF-ZJJ"))
    after = platform.directory()
    assert after is not before
    assert code_of(platform, CATEGORY, "SF-TTW") == "SF-ZJJ"
    run(platform, lambda s: check_retire_duty_rule(s, ctx, rule.id))
    assert platform.directory() is not after
    assert code_of(platform, CATEGORY, "SF-TTW") == "SF-CGJ"


def test_a_refused_change_leaves_the_rules_and_the_cache_alone(
    platform: Platform, clock: FakeClock, clean: None
) -> None:
    ctx = ctx_for(platform, clock)
    cached = platform.directory()
    error = refused(platform, lambda s: check_add_duty_rule(s, ctx, CATEGORY, "", "SF-GRID"))
    assert set(fields_of(error)) == {"area", "unit"}
    error = refused(
        platform, lambda s: check_add_duty_rule(s, ctx, CATEGORY, "SF-XSL-C06-G01", "SF-ZJJ")
    )
    assert fields_of(error) == {"area": "区域应为在用的街道（镇）或社区（村）"}
    error = refused(platform, lambda s: check_add_duty_rule(s, ctx, CATEGORY, "SF-XSL", "SF"))
    assert "unit" in fields_of(error)
    assert (
        refused(
            platform, lambda s: check_add_duty_rule(s, ctx, "NO_SUCH", "SF-XSL", "SF-ZJJ")
        ).status
        == 404
    )
    operator = ctx_for(platform, clock, "operator1")
    assert (
        refused(
            platform, lambda s: check_add_duty_rule(s, operator, CATEGORY, "SF-XSL", "SF-ZJJ")
        ).status
        == 403
    )
    assert platform.directory() is cached and cached.duty_rules == ()


def test_a_gazetteer_entry_places_an_address_until_it_is_deactivated(
    platform: Platform, clock: FakeClock, clean: None
) -> None:
    ctx = ctx_for(platform, clock)
    name = f"测试花园{uuid.uuid4().hex[:4]}"
    address = f"石峰区{name}7栋"
    assert gazetteer_for(platform.directory()).locate_address(address) is None
    entry = run(
        platform,
        lambda s: check_add_gazetteer_entry(
            s, ctx, EntryForm(name, "SF-XSL-C06", "SF-XSL-C06-G02")
        ),
    )
    place = gazetteer_for(platform.directory()).locate_address(address)
    assert place is not None and place.grid is not None
    assert place.grid.code == "SF-XSL-C06-G02" and place.matched == name
    assert logs(platform, "gazetteer_add")[-1].details["grid"] == "SF-XSL-C06-G02"
    # Without a grid the community is placed, its grid left open (樱花社区 has two).
    error = refused(
        platform, lambda s: check_add_gazetteer_entry(s, ctx, EntryForm(name, "SF-XSL-C06"))
    )
    assert fields_of(error) == {"name": "该地名已登记，请先停用原条目"}
    run(platform, lambda s: check_deactivate_gazetteer_entry(s, ctx, entry.id))
    assert gazetteer_for(platform.directory()).locate_address(address) is None
    second = run(
        platform,
        lambda s: check_add_gazetteer_entry(s, ctx, EntryForm(name, "SF-XSL-C06")),
    )
    place = gazetteer_for(platform.directory()).locate_address(address)
    assert place is not None and place.community is not None and place.grid is None
    assert place.community.code == "SF-XSL-C06"
    run(platform, lambda s: check_deactivate_gazetteer_entry(s, ctx, second.id))


def test_a_gazetteer_entry_is_checked(platform: Platform, clock: FakeClock, clean: None) -> None:
    ctx = ctx_for(platform, clock)
    error = refused(platform, lambda s: check_add_gazetteer_entry(s, ctx, EntryForm("", "")))
    assert set(fields_of(error)) == {"name", "community"}
    error = refused(
        platform,
        lambda s: check_add_gazetteer_entry(
            s, ctx, EntryForm("某某大厦", "SF-XSL-C06", "SF-XSL-C01-G01")
        ),
    )
    assert fields_of(error) == {"grid": "网格不属于所选社区"}
    error = refused(
        platform, lambda s: check_add_gazetteer_entry(s, ctx, EntryForm("某某大厦", "SF-XSL"))
    )
    assert fields_of(error) == {"community": "社区不存在或已停用"}
    assert platform.directory().place_names == ()
