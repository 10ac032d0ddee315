"""One action on many cases (actions/batch.py): the batch as asked, each case through the one
door in a savepoint of its own, so a refusal undoes that case alone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from fazhi.actions.batch import MAX_BATCH, BatchItem, check_batch, do_batch_action
from fazhi.actions.cases import ActionContext
from fazhi.actions.platform import Platform
from fazhi.actions.visibility import sight_for
from fazhi.domain.errors import DomainError
from fazhi.domain.units import Actor
from fazhi.store.db import transaction
from fazhi.store.models import Case, Event, User
from tests.support import ApiClient

Login = Callable[[str], ApiClient]


def test_a_batch_keeps_the_first_of_each_case_in_order() -> None:
    items = check_batch([BatchItem(3, 1), BatchItem(1), BatchItem(3, 2), BatchItem(2)])
    assert items == [BatchItem(3, 1), BatchItem(1), BatchItem(2)]


def test_an_empty_or_oversized_batch_is_refused_in_chinese() -> None:
    with pytest.raises(DomainError) as empty:
        check_batch([])
    assert empty.value.code == "batch_empty" and "勾选" in empty.value.message
    with pytest.raises(DomainError) as big:
        check_batch([BatchItem(i) for i in range(1, MAX_BATCH + 2)])
    assert big.value.code == "batch_too_large" and str(MAX_BATCH) in big.value.message


def actor(platform: Platform, username: str) -> Actor:
    directory = platform.directory()
    with platform.sessions() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        found = Actor(
            user.id,
            user.username,
            user.display_name,
            user.role,
            directory.by_id[user.unit_id],
            user.region_code,
        )
    from dataclasses import replace

    return replace(found, sight=sight_for(platform, found.roles))


def counts(platform: Platform, ids: list[int]) -> dict[int, int]:
    with platform.sessions() as session:
        rows = session.execute(
            select(Event.case_id, func.count())
            .where(Event.case_id.in_(ids))
            .group_by(Event.case_id)
        )
        return dict(rows.all())


def test_a_refused_case_is_left_untouched_and_the_others_are_written(
    platform: Platform, login: Login
) -> None:
    orders: list[dict[str, Any]] = [login("operator1").register() for _ in range(3)]
    login("dispatcher1").act(orders[1]["id"], "dispatch", lead_unit="SF-CGJ")
    ids = [o["id"] for o in orders]
    before = counts(platform, ids)
    hotline = platform.types.get("hotline")
    assert hotline is not None
    dispatcher = actor(platform, "dispatcher1")
    with platform.writing(), transaction(platform.sessions) as session:
        ctx = ActionContext(platform, dispatcher, platform.now())
        outcomes = do_batch_action(
            session, ctx, hotline, "dispatch", [BatchItem(i) for i in ids], {"lead_unit": "SF-ZJJ"}
        )
    assert [o.ok for o in outcomes] == [True, False, True]
    assert outcomes[1].code == "invalid_state" and outcomes[1].message
    after = counts(platform, ids)
    assert after[ids[1]] == before[ids[1]]  # the refused one: no event, no change
    assert after[ids[0]] == before[ids[0]] + 1 and after[ids[2]] == before[ids[2]] + 1
    with platform.sessions() as session:
        states = dict(session.execute(select(Case.id, Case.state).where(Case.id.in_(ids))).all())
    assert states == {ids[0]: "dispatched", ids[1]: "dispatched", ids[2]: "dispatched"}
