"""The indicator catalogue as the report's source: every indicator with a value for the
district-year becomes an `IndicatorValue` with its name, unit, ledger page and the month by
month series of a charted one, counted from the test database's own records; drafted with
no other source, the report states them in the template's sentences."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select

from fazhi.actions.context import ActionContext
from fazhi.actions.platform import Platform
from fazhi.report.build import gather
from fazhi.report.indicator_source import indicator_values
from fazhi.store.db import transaction
from fazhi.store.models import Unit
from tests.api.conftest import Login
from tests.report.conftest import OFFICE, YEAR, hotline_by_month, register_orders


def test_the_catalogues_values_are_the_records_counted(
    platform: Platform, login: Login, acting: Callable[[str], ActionContext]
) -> None:
    register_orders(login, 2)
    ctx = acting(OFFICE)
    with transaction(platform.sessions) as session:
        values = indicator_values(session, ctx, YEAR)
        months = hotline_by_month(session, platform.region_code, YEAR)
        communities = session.scalar(
            select(func.count())
            .select_from(Unit)
            .where(Unit.region_code == platform.region_code, Unit.kind == "community", Unit.active)
        )
        lines = gather(session, ctx, YEAR).text().splitlines()
    org = values["org.communities"]
    assert (org.value, org.unit, org.ledger) == (
        communities,
        "个",
        f"/indicators/ledger/org.communities?year={YEAR}",
    )
    received = values["hotline.received"]
    assert received.value == sum(months.values()) > 0
    assert received.series == tuple((f"{m}月", months.get(m, 0)) for m in range(1, 13))
    # An imported figure nobody imported has no value: its sentence is left out.
    assert "publicity.meeting_units" not in values
    assert f"全年受理12345热线诉求{received.value}件。" in " ".join(lines)
    assert any(f"对全区{communities}个社区（村）进行矛盾纠纷排查调处" in line for line in lines)
    assert not any("组织全区" in line for line in lines)
