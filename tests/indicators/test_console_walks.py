"""法治指标 walked in the console over real HTTP by the forms of its own pages: the district
leader reads the dashboard of a district-year (every indicator with its target and
completion, the demonstration-city scheme's eight areas) and opens a ledger; the rule-of-law
office imports a source's figures through the upload form — a bad file comes back with each
bad row listed beside the file input, a good one is listed among the imports — and uploads
evidence for an item on the scheme page, whose badge then turns; other roles get the 403
page. Synthetic figures only."""

from __future__ import annotations

from tests.indicators.support import OFFICE, XLSX, workbook
from tests.web.conftest import Console
from tests.web.html import page


def test_the_leader_reads_the_dashboard_and_a_ledger(console: Console) -> None:
    leader = console("leader1")
    response = leader.get("/indicators", params={"year": "2023"})
    assert response.status_code == 200, response.text
    doc = page(response.text)
    assert doc.xpath("//h1")[0].text_content().strip() == "法治指标（2023年 · 全区）"
    rows = {r.get("data-indicator"): r for r in doc.xpath("//tr[@data-indicator]")}
    assert {"mediation.success_rate", "service.satisfaction_rate", "legal_aid.completion"} <= set(
        rows
    )
    cells = [c.text_content().strip() for c in rows["litigation.appearance_rate"].xpath("./td")]
    assert cells[2] == "100%" and cells[4] == "平台计算"
    assert [c.text_content().strip() for c in rows["service.hall_items"].xpath("./td")][4] == "导入"
    areas = doc.xpath('//section[@id="demonstration"]//tr[@data-area]/td[1]')
    assert len(areas) == 8
    assert areas[0].text_content().strip() == "一、政府职能依法全面履行"
    assert areas[-1].text_content().strip() == "八、法治政府建设组织领导落实到位"
    assert "法治指标" in [a.text_content() for a in doc.xpath("//nav//a")]
    link = rows["org.communities"].xpath(".//a")[0].get("href")
    ledger = page(leader.get(link).text)
    (sheet,) = ledger.xpath("//section[@data-sheet]")
    assert sheet.get("data-count") == "68"
    assert len(sheet.xpath(".//tbody/tr")) == 68


def test_the_office_imports_figures_and_uploads_evidence_in_the_console(console: Console) -> None:
    office = console(OFFICE)
    form = page(office.get("/indicators/import").text)
    assert form.xpath('//select[@id="imp-source"]/option[@value="public_security"]')
    bad = workbook([["fraud_arrests", "", "2021-01-01", "2021-12-31", "", -5, "", ""]])
    refused = office.post(
        "/indicators/import",
        data={"source": "public_security"},
        files={"file": ("公安2021.xlsx", bad, XLSX)},
    )
    assert refused.status_code == 422, refused.text
    doc = page(refused.text)
    assert doc.xpath('//p[@id="imp-error"]')[0].text_content() == "1处问题，整批未导入"
    assert [li.text_content() for li in doc.xpath('//ul[@id="imp-problems"]/li')] == [
        "第2行：数值不能为负数"
    ]
    good = workbook(
        [
            ["fraud_arrests", "", "2021-01-01", "2021-12-31", "", 207, "人", ""],
            ["fraud_arrests", "", "2022-01-01", "2022-12-31", "", 266, "人", ""],
        ]
    )
    done = office.post(
        "/indicators/import",
        data={"source": "public_security"},
        files={"file": ("公安.xlsx", good, XLSX)},
    )
    assert done.status_code == 303, done.text
    listed = page(office.get(done.headers["location"]).text)
    assert "已导入第" in listed.xpath('//p[@id="import-done"]')[0].text_content()
    dashboard = page(office.get("/indicators", params={"year": "2022"}).text)
    change = dashboard.xpath('//tr[@data-indicator="security.fraud_arrests_change"]/td[2]')[0]
    assert change.text_content().strip() == "28.5%"

    scheme = page(
        office.get("/indicators/schemes/demonstration_2021", params={"year": "2021"}).text
    )
    assert scheme.xpath('//tr[@data-item="7.1"]')[0].get("data-evidence") == "awaiting_upload"
    empty = office.post(
        "/indicators/schemes/demonstration_2021/items/7.1/evidence", data={"year": "2021"}
    )
    assert empty.status_code == 422
    assert (
        page(empty.text).xpath('//p[@id="ev-7.1-error"]')[0].text_content() == "请选择要上传的文件"
    )
    uploaded = office.post(
        "/indicators/schemes/demonstration_2021/items/7.1/evidence",
        data={"year": "2021", "note": "会前学法记录（测试合成）"},
        files={"file": ("会前学法记录.txt", "测试合成材料".encode(), "text/plain")},
    )
    assert uploaded.status_code == 303, uploaded.text
    after = page(office.get(uploaded.headers["location"]).text)
    row = after.xpath('//tr[@data-item="7.1"]')[0]
    assert row.get("data-evidence") == "uploaded"
    assert row.xpath(".//a[@data-evidence-file]")[0].text_content() == "会前学法记录.txt"


def test_other_roles_get_the_refusal_page(console: Console) -> None:
    for user in ("operator1", "tx_mediator"):
        response = console(user).get("/indicators", params={"year": "2023"})
        assert response.status_code == 403
        assert "法治指标" in response.text
    assert console("leader1").get("/indicators/import").status_code == 403
