"""Clock settings: a deployment's overrides of the type files' limits, applied to copies of the
case types, never to the loaded types themselves; and the platform picking them up from the
database."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from fazhi.actions.platform import Platform
from fazhi.catalog.registry import default_case_types
from fazhi.catalog.settings import (
    ClockOverride,
    apply_clock_settings,
    override_case_type,
    parse_limit,
)
from fazhi.domain.durations import Duration
from fazhi.settings import Settings
from fazhi.store.clock_settings import load_clock_overrides
from fazhi.store.db import make_engine, session_factory, transaction
from fazhi.store.migrate import upgrade
from fazhi.store.models import ClockSetting

WD = lambda n: Duration(n, "wd")  # noqa: E731


def hotline():  # type: ignore[no-untyped-def]
    case_type = default_case_types().get("hotline")
    assert case_type is not None
    return case_type


def test_a_per_value_limit_is_replaced_in_a_copy_and_the_loaded_type_is_untouched() -> None:
    base = hotline()
    changed = override_case_type(
        base, [ClockOverride("hotline", "handle", values=(("normal", "3wd"),))]
    )
    handle = changed.clock("handle")
    assert handle is not None
    assert handle.limit_for("dispatch", {"urgency": "normal"}) == WD(3)
    assert handle.limit_for("dispatch", {"urgency": "complex"}) == WD(15)
    assert handle.limit_for("dispatch", {"urgency": "urgent"}) == Duration(24, "h")
    # The copy has its own lookups: the loaded type still says 5 WD.
    original = base.clock("handle")
    assert original is not None and original.limit_for("dispatch", {"urgency": "normal"}) == WD(5)
    assert changed.action("dispatch") is base.action("dispatch")
    assert changed.field("urgency") is base.field("urgency")
    assert default_case_types().get("hotline") is base


def test_default_action_limits_and_basis_are_replaced_and_a_value_can_be_dropped() -> None:
    changed = override_case_type(
        hotline(),
        [
            ClockOverride(
                "hotline",
                "handle",
                default="4wd",
                values=(("complex", None),),
                action_limits=(("reopen", "3wd"),),
                basis="区政府办〔2027〕1号（测试）",
            )
        ],
    )
    handle = changed.clock("handle")
    assert handle is not None
    assert handle.limit.default == WD(4)
    assert handle.limit_for("dispatch", {"urgency": "normal"}) == WD(4)
    # Without its own limit, complex falls back to the default.
    assert handle.limit_for("dispatch", {"urgency": "complex"}) == WD(4)
    assert handle.limit_for("dispatch", {"urgency": "urgent"}) == Duration(24, "h")
    assert handle.limit_for("reopen", {"urgency": "complex"}) == WD(3)
    assert handle.basis == "区政府办〔2027〕1号（测试）"
    # Extension rules and the other clocks are as the file has them.
    assert handle.extend == hotline().clock("handle").extend  # type: ignore[union-attr]
    assert changed.clock("revisit") is hotline().clock("revisit")


def test_an_empty_basis_keeps_the_files() -> None:
    changed = override_case_type(hotline(), [ClockOverride("hotline", "revisit", default="3wd")])
    revisit = changed.clock("revisit")
    assert revisit is not None
    assert revisit.limit.default == WD(3)
    assert revisit.basis == hotline().clock("revisit").basis  # type: ignore[union-attr]


def test_entries_that_do_not_fit_are_ignored_not_fatal() -> None:
    base = hotline()
    changed = override_case_type(
        base,
        [
            ClockOverride("hotline", "handle", default="five days", values=(("normal", "0wd"),)),
            ClockOverride("hotline", "revisit", values=(("normal", "1wd"),)),  # no `by` field
            ClockOverride("hotline", "handle", action_limits=(("reply", "1wd"),)),  # not a start
            ClockOverride("hotline", "no_such_clock", default="1wd"),
        ],
    )
    assert changed.clock("handle").limit == base.clock("handle").limit  # type: ignore[union-attr]
    assert changed.clock("revisit").limit == base.clock("revisit").limit  # type: ignore[union-attr]


def test_types_without_overrides_are_shared_as_they_are() -> None:
    types = default_case_types()
    applied = apply_clock_settings(types, [ClockOverride("hotline", "revisit", default="3wd")])
    assert applied.get("disclosure_request") is types.get("disclosure_request")
    assert applied.get("hotline") is not types.get("hotline")
    assert applied.names() == types.names()
    assert apply_clock_settings(types, []).get("hotline") is types.get("hotline")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5wd", WD(5)),
        (" 24h ", Duration(24, "h")),
        ("30min", Duration(30, "min")),
        ("20cd", Duration(20, "cd")),
    ],
)
def test_limits_are_written_as_the_type_files_write_them(text: str, expected: Duration) -> None:
    assert parse_limit(text) == expected


@pytest.mark.parametrize("text", ["5 days", "五个工作日", "", "wd", "0wd", "-1wd", "5w"])
def test_anything_else_is_refused_in_chinese(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_limit(text)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(caught.value))


@pytest.mark.sqlite_only
def test_the_platform_applies_the_stored_settings_on_creation_and_on_reload(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'settings.db'}"
    # Before migration 0002 (e.g. during `fazhi init`) there is no table: the file's limits.
    platform = Platform.create(Settings(database_url=url))
    assert platform.types.get("hotline").clock("handle").limit.default == WD(5)  # type: ignore[union-attr]
    upgrade(platform.engine)
    with transaction(platform.sessions) as session:
        assert load_clock_overrides(session) == []
        session.add(
            ClockSetting(
                type="hotline",
                clock="handle",
                default_limit=None,
                values={"normal": "3wd"},
                action_limits={},
                basis_note="",
                updated_at=datetime(2023, 6, 1, tzinfo=UTC),
            )
        )
    assert platform.types.get("hotline") is default_case_types().get("hotline")
    platform.reload_types()
    handle = platform.types.get("hotline").clock("handle")  # type: ignore[union-attr]
    assert handle is not None and handle.limit_for("dispatch", {"urgency": "normal"}) == WD(3)
    assert platform.base_types is default_case_types()
    # A platform created on that database applies the setting from the start.
    again = Platform.create(Settings(database_url=url))
    assert again.types.get("hotline").clock("handle").limit_for(  # type: ignore[union-attr]
        "dispatch", {"urgency": "normal"}
    ) == WD(3)
    for p in (platform, again):
        p.engine.dispose()


def test_a_platform_built_directly_keeps_the_types_it_was_given(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'direct.db'}")
    upgrade(engine)
    types = default_case_types()
    platform = Platform(
        settings=Settings(database_url=str(engine.url)),
        engine=engine,
        sessions=session_factory(engine),
        types=types,
    )
    assert platform.base_types is types and platform.types is types
    assert platform.reload_types().get("hotline") is types.get("hotline")  # no settings stored
    engine.dispose()
