"""Saving, listing and removing a user's saved filters of the console's lists (check, then
do). A filter is its owner's alone: nobody else reads, changes or removes it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qsl, urlencode

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from fazhi.domain.errors import DomainError
from fazhi.domain.units import Actor
from fazhi.store.saved_filters import SavedFilter

LISTS = {"work": "工作台", "cases": "案件查询"}
MAX_PER_LIST = 20
MAX_NAME = 40
MAX_QUERY = 1000


@dataclass(frozen=True)
class FilterToSave:
    """A checked request to save: which list, the name, the query string to keep."""

    list: str
    name: str
    query: str


def clean_query(query: str) -> str:
    """The filter bar's parameters only, without the page number or blanks."""
    pairs = [(k, v) for k, v in parse_qsl(query, keep_blank_values=False) if k != "page"]
    return urlencode(pairs)


def check_save_filter(list_name: str, name: str, query: str) -> FilterToSave:
    if list_name not in LISTS:
        raise DomainError("unknown_list", "只能保存工作台或案件查询的筛选条件", 422, "list")
    name = " ".join(name.split())
    if not name:
        raise DomainError("filter_name_required", "请填写筛选条件的名称", 422, "name")
    if len(name) > MAX_NAME:
        raise DomainError("filter_name_too_long", f"名称不能超过 {MAX_NAME} 个字", 422, "name")
    kept = clean_query(query)
    if not kept:
        raise DomainError("filter_empty", "当前没有任何筛选条件，请先设置筛选再保存", 422, "query")
    if len(kept) > MAX_QUERY:
        raise DomainError("filter_too_long", "筛选条件过长，无法保存", 422, "query")
    return FilterToSave(list_name, name, kept)


def do_save_filter(
    session: Session, actor: Actor, wanted: FilterToSave, now: datetime
) -> SavedFilter:
    """Save `wanted` for `actor`: a filter of the same name in that list takes the new query;
    a new name is refused past `MAX_PER_LIST` filters.

    Preconditions: `wanted` came from `check_save_filter`; the caller holds a transaction."""
    existing = session.scalar(
        select(SavedFilter).where(
            SavedFilter.user_id == actor.user_id,
            SavedFilter.list == wanted.list,
            SavedFilter.name == wanted.name,
        )
    )
    if existing is not None:
        existing.query = wanted.query
        session.flush()
        return existing
    count = session.scalar(
        select(func.count()).where(
            SavedFilter.user_id == actor.user_id, SavedFilter.list == wanted.list
        )
    )
    if (count or 0) >= MAX_PER_LIST:
        raise DomainError(
            "too_many_filters",
            f"每个列表最多保存 {MAX_PER_LIST} 个筛选条件，请先删除不用的",
            422,
            "name",
        )
    row = SavedFilter(
        region_code=actor.region_code,
        user_id=actor.user_id,
        list=wanted.list,
        name=wanted.name,
        query=wanted.query,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row


def saved_filters(session: Session, actor: Actor, list_name: str) -> list[SavedFilter]:
    """The actor's filters of one list, in the order they were saved."""
    return list(
        session.scalars(
            select(SavedFilter)
            .where(
                SavedFilter.region_code == actor.region_code,
                SavedFilter.user_id == actor.user_id,
                SavedFilter.list == list_name,
            )
            .order_by(SavedFilter.created_at, SavedFilter.id)
        )
    )


def do_delete_filter(session: Session, actor: Actor, filter_id: int) -> None:
    """Remove one of the actor's own filters; another user's (or none) is a 404.

    Preconditions: the caller holds a transaction."""
    gone = session.execute(
        delete(SavedFilter).where(SavedFilter.id == filter_id, SavedFilter.user_id == actor.user_id)
    )
    if gone.rowcount != 1:  # type: ignore[attr-defined]
        raise DomainError("not_found", "筛选条件不存在", 404)
