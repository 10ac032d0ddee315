"""Indicators computed through the actions' rollups, and the ledgers behind them: mediations
concluded by the committee move 调解矛盾纠纷, 调解成功 and the success rate exactly as the
actions counted them; every ledger of a sample has as many rows as its figure (for a ratio,
its numerator and denominator sheets), the Excel ledger carries the definition on its first
sheet, and a scheme's bundle holds every item's ledgers. Synthetic parties only."""

from __future__ import annotations

import io
import time
import zipfile

from tests.api.conftest import Login
from tests.indicators.support import OFFICE, mediation, sheets, value
from tests.support import FakeClock, at

YEAR = {"year": "2023"}
SAMPLE = (
    "mediation.concluded",
    "mediation.succeeded",
    "mediation.received",
    "hotline.received",
    "disclosure.requests_received",
    "org.communities",
    "publicity.pufa_items",
)


def test_mediations_move_their_indicators_as_the_actions_counted_them(
    login: Login, clock: FakeClock
) -> None:
    office = login(OFFICE)
    before = {i: value(office, i, **YEAR) for i in ("mediation.concluded", "mediation.succeeded")}
    at(clock, "2023-08-14")
    mediator = login("tx_mediator")
    mediation(mediator, "2023-08-14", succeed=True)
    mediation(mediator, "2023-08-14", succeed=True)
    mediation(mediator, "2023-08-14", succeed=False)
    after = {i: value(office, i, **YEAR) for i in ("mediation.concluded", "mediation.succeeded")}
    assert after["mediation.concluded"]["value"] - before["mediation.concluded"]["value"] == 3
    assert after["mediation.succeeded"]["value"] - before["mediation.succeeded"]["value"] == 2
    rate = value(office, "mediation.success_rate", **YEAR)
    assert rate["numerator"] == after["mediation.succeeded"]["value"]
    assert rate["denominator"] == after["mediation.concluded"]["value"]
    assert rate["target"] == 0.95 and rate["computed"] is True
    # The committee's street alone (田心街道) counts them too; another street does not.
    street = value(office, "mediation.concluded", unit="SF-TX", **YEAR)
    assert street["value"] >= 3 and street["org_unit"]["code"] == "SF-TX"
    # A period of that day only holds exactly these three.
    day = value(office, "mediation.concluded", **{"from": "2023-08-14", "to": "2023-08-14"})
    assert day["value"] == 3


def test_every_ledger_of_a_sample_has_as_many_rows_as_its_figure(
    login: Login, clock: FakeClock
) -> None:
    at(clock, "2023-08-15")
    mediation(login("tx_mediator"), "2023-08-15", succeed=False)
    office = login(OFFICE)
    for indicator in SAMPLE:
        figure = value(office, indicator, **YEAR)
        ledger = office.get(f"/api/v1/indicators/{indicator}/ledger", params=YEAR)
        assert ledger.status_code == 200, ledger.text
        (sheet,) = ledger.json()["sheets"]
        assert sheet["count"] == figure["value"] == sheet["total"], indicator
    rate = office.get("/api/v1/indicators/mediation.success_rate/ledger", params=YEAR).json()
    numerator, denominator = rate["sheets"]
    assert (numerator["count"], denominator["count"]) == (
        rate["indicator"]["numerator"],
        rate["indicator"]["denominator"],
    )
    # The filter narrows the rows shown, not the figure.
    narrowed = office.get(
        "/api/v1/indicators/mediation.concluded/ledger", params={**YEAR, "q": "调解不成"}
    ).json()["sheets"][0]
    assert 1 <= narrowed["matching"] <= narrowed["count"]


def test_the_excel_ledger_has_the_definition_first_and_every_record(
    login: Login, clock: FakeClock
) -> None:
    office = login(OFFICE)
    figure = value(office, "mediation.concluded", **YEAR)
    response = office.get(
        "/api/v1/indicators/mediation.concluded/ledger", params={**YEAR, "format": "xlsx"}
    )
    assert response.status_code == 200
    book = sheets(response.content)
    first, records = list(book.values())[:2]
    assert first[0][0] == "指标说明"
    pairs = {r[0]: r[1] for r in first if r}
    assert pairs["指标定义"] == "期内调结（调解成功或不成）的纠纷件数。"
    assert pairs["指标值"] == f"{int(figure['value'])}件"
    header = next(i for i, r in enumerate(records) if r and r[0] == "序号")
    assert len(records) - header - 1 == figure["value"]


def test_a_schemes_ledger_bundle_is_one_workbook_or_a_zip(login: Login) -> None:
    office = login(OFFICE)
    xlsx = office.get(
        "/api/v1/indicators/schemes/pufa_85_midterm/ledgers", params={**YEAR, "format": "xlsx"}
    )
    assert xlsx.status_code == 200
    book = sheets(xlsx.content)
    contents = book["目录"]
    listed = {r[1] for r in contents[2:]}
    assert {"publicity.law_lectures", "mediation.success_rate", "legal_aid.completion"} <= listed
    archive = office.get(
        "/api/v1/indicators/schemes/pufa_85_midterm/ledgers", params={**YEAR, "format": "zip"}
    )
    names = zipfile.ZipFile(io.BytesIO(archive.content)).namelist()
    assert "8.1 法治讲座_publicity.law_lectures.xlsx" in names


def test_the_dashboard_of_every_indicator_answers_well_under_a_second(login: Login) -> None:
    leader = login("leader1")
    leader.get("/api/v1/indicators", params=YEAR)  # the catalogue is loaded once
    started = time.perf_counter()
    response = leader.get("/api/v1/indicators", params=YEAR)
    took = time.perf_counter() - started
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["counts"]["indicators"] == sum(len(a["indicators"]) for a in body["areas"])
    assert body["counts"]["computed"] > 40 and body["counts"]["imported"] > 40
    assert took < 1.0, took
