"""Reply templates as units and the hotline centre keep them: placeholders are checked when a
template is saved and filled from the order; units keep their own, the centre the shared."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from fazhi.actions.auth import actor_for
from fazhi.actions.cases import ActionContext
from fazhi.actions.platform import Platform
from fazhi.domain.errors import DomainError
from fazhi.hotline.actions.reply_templates import (
    check_template,
    do_save_template,
    fill,
    load_template,
    placeholders_in,
)
from fazhi.store.db import transaction
from fazhi.store.models import User
from tests.support import FakeClock


def ctx(platform: Platform, clock: FakeClock, username: str) -> ActionContext:
    with platform.sessions() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        return ActionContext(platform, actor_for(platform, user), clock())


def test_placeholders_are_filled_and_unknown_ones_left_as_written() -> None:
    body = "您反映的{number}（{category}）已由{unit}办理。{nope}"
    assert placeholders_in(body) == ["number", "category", "unit", "nope"]
    filled = fill(body, {"number": "RX1", "category": "市容秩序", "unit": "区城管局"})
    assert filled == "您反映的RX1（市容秩序）已由区城管局办理。{nope}"


def test_saving_checks_every_field_at_once(platform: Platform, clock: FakeClock) -> None:
    c = ctx(platform, clock, "cgj_handler")
    with pytest.raises(DomainError) as refused:
        check_template(
            c, {"kind": "poem", "category": "NOPE", "title": "", "body": "电话{caller_phone}"}
        )
    fields = [p.field for p in refused.value.problems]
    assert fields == ["kind", "category", "title", "body"]
    assert "{caller_phone}" in refused.value.problems[-1].message  # no phone placeholder exists
    with pytest.raises(DomainError) as braces:
        check_template(c, {"title": "x", "body": "未闭合{number"})
    assert braces.value.field == "body"


def test_units_keep_their_own_and_the_centre_the_shared(
    platform: Platform, clock: FakeClock
) -> None:
    unit = ctx(platform, clock, "cgj_handler")
    with pytest.raises(DomainError) as refused:
        check_template(unit, {"title": "共用", "body": "x", "shared": True})
    assert refused.value.status == 403
    with transaction(platform.sessions) as session:
        own = do_save_template(
            session, unit, check_template(unit, {"title": "城管答复", "body": "{number}"})
        )
        assert own.owner_unit_id == unit.actor.unit.id
        own_id = own.id
    centre = ctx(platform, clock, "dispatcher1")
    with transaction(platform.sessions) as session:
        shared = do_save_template(
            session, centre, check_template(centre, {"title": "共用", "body": "x", "shared": True})
        )
        assert shared.owner_unit_id is None
        shared_id = shared.id
    other = ctx(platform, clock, "sfj_handler")
    with platform.sessions() as session:
        for template_id, who in ((own_id, other), (own_id, centre), (shared_id, unit)):
            with pytest.raises(DomainError) as denied:
                load_template(session, who, template_id)
            assert denied.value.status == 403
        assert load_template(session, centre, shared_id).id == shared_id
