"""年度报告 walked in the console over real HTTP, by the page's own forms: the rule-of-law
office opens the year's draft (its figures from the records, each linked to its ledger, the
monthly chart), writes a section's narrative and finds it in the preview and in the edits,
is told beside the field when a text is too long, and downloads every format; a district
leader reads the same draft; other roles are refused the page, the save and the downloads."""

from __future__ import annotations

import io
import re
from urllib.parse import unquote

import pytest
from docx import Document
from lxml.html import HtmlElement
from pypdf import PdfReader

from fazhi.actions.platform import Platform
from fazhi.report.narratives import MAX_LENGTH
from fazhi.store.db import transaction
from tests.api.conftest import Login
from tests.report.conftest import LEADER, OFFICE, YEAR, computed_values, register_orders
from tests.web.conftest import Console
from tests.web.html import by_id, error_of, page, text_of, value_of

pytestmark = pytest.mark.usefixtures("source")
KEY = "measures.enforcement.legality"
URL = f"/annual-report?year={YEAR}"


def _form(doc: HtmlElement, key: str) -> dict[str, str]:
    """What the section's form posts: its hidden inputs as the page rendered them."""
    form = by_id(doc, f"n-{key}")
    assert form is not None, key
    return {i.get("name"): i.get("value", "") for i in form.xpath(".//input[@type='hidden']")}


def test_the_office_drafts_writes_and_downloads_the_year_report(
    console: Console, login: Login, platform: Platform
) -> None:
    register_orders(login, 2)
    office = console(OFFICE)
    opened = office.get(URL)
    assert opened.status_code == 200, opened.text
    doc = page(opened.text)
    with transaction(platform.sessions) as session:
        received = computed_values(session, platform.region_code, YEAR)["hotline.received"]
    preview = text_of(doc, "report-preview")
    assert "石峰区2023年法治政府建设年度报告" in preview
    assert f"全年受理12345热线诉求{received.value}件" in preview
    link = doc.xpath('//section[@id="report-preview"]//a[@data-indicator="hotline.received"]')
    assert link and link[0].get("href") == received.ledger
    assert doc.xpath(
        '//section[@id="report-preview"]//figure[@data-indicator="hotline.received"]//svg'
    )
    # The 年度报告 entry is on the office's menu.
    assert doc.xpath('//nav//a[@href="/annual-report"]')

    text = "共审查规范性文件（网页测试）。\n区政府重大行政决策目录已公开（网页测试）。"
    saved = office.post("/annual-report/narratives", data={**_form(doc, KEY), "text": text})
    assert saved.status_code == 303, saved.text
    assert unquote(saved.headers["location"]).startswith(f"/annual-report?year={YEAR}&saved={KEY}")
    after = page(office.get(saved.headers["location"]).text)
    assert text_of(after, "report-saved") == "已保存「加强合法性审查工作」。"
    lines = [
        " ".join(p.text_content().split())
        for p in after.xpath('//section[@id="report-preview"]//p')
    ]
    assert any(
        line.endswith("加强合法性审查工作。共审查规范性文件（网页测试）。") for line in lines
    )
    assert "区政府重大行政决策目录已公开（网页测试）。" in lines
    assert value_of(after, f"t-{KEY}") == text
    history = text_of(after, "report-history")
    assert OFFICE in history and "加强合法性审查工作" in history

    too_long = office.post(
        "/annual-report/narratives", data={**_form(after, KEY), "text": "字" * (MAX_LENGTH + 1)}
    )
    assert too_long.status_code == 422
    refused = page(too_long.text)
    assert error_of(refused, f"t-{KEY}").startswith(f"每部分内容不能超过{MAX_LENGTH}字")
    assert len(value_of(refused, f"t-{KEY}") or "") == MAX_LENGTH + 1  # what was typed is kept

    links = {a.get("id"): a.get("href") for a in after.xpath('//p[@id="report-downloads"]/a')}
    assert set(links) == {"download-docx", "download-pdf", "download-html", "download-md"}
    files = {fmt: office.get(links[f"download-{fmt}"]) for fmt in ("docx", "pdf", "html", "md")}
    for fmt, response in files.items():
        assert response.status_code == 200, (fmt, response.text[:300])
        assert "attachment" in response.headers["content-disposition"]
    assert files["pdf"].content.startswith(b"%PDF-")
    assert files["pdf"].headers["content-type"] == "application/pdf"
    doc_x = Document(io.BytesIO(files["docx"].content))
    assert any(
        p.text.startswith("1.加强合法性审查工作。共审查规范性文件（网页测试）。")
        or "共审查规范性文件（网页测试）。" in p.text
        for p in doc_x.paragraphs
    )
    assert "共审查规范性文件（网页测试）。" in files["md"].text
    assert re.search(r'data-indicator="hotline.received"', files["html"].text)
    # Opened from disk, the downloaded page's and PDF's ledger links lead back to the console.
    console_url = str(office.base_url).rstrip("/")
    assert f'<base href="{console_url}/">' in files["html"].text
    annotations = [
        a.get_object()["/A"]["/URI"]
        for p in PdfReader(io.BytesIO(files["pdf"].content)).pages
        for a in p.get("/Annots") or []
    ]
    assert f"{console_url}{received.ledger}" in annotations

    # Emptied again, the section leaves the draft (nothing else is in it this year).
    emptied = office.post("/annual-report/narratives", data={**_form(after, KEY), "text": ""})
    assert emptied.status_code == 303
    assert (
        "共审查规范性文件（网页测试）"
        not in office.get(URL).text.split('id="report-narratives"')[0]
    )


def test_a_district_leader_reads_the_draft_and_other_roles_are_refused(console: Console) -> None:
    leader = console(LEADER)
    assert leader.get(URL).status_code == 200
    assert leader.get(f"/annual-report/download/md?year={YEAR}").status_code == 200
    assert leader.get(f"/annual-report/download/odt?year={YEAR}").status_code == 404
    for username in ("operator1", "cgj_handler", "sfj_legality"):
        other = console(username)
        page_ = other.get(URL)
        assert page_.status_code == 403 and "法治政府建设年度报告" in page_.text
        assert other.get(f"/annual-report/download/docx?year={YEAR}").status_code == 403
        doc = page(leader.get(URL).text)
        posted = other.post("/annual-report/narratives", data={**_form(doc, KEY), "text": "越权"})
        assert posted.status_code == 403
        assert not page(other.get("/messages").text).xpath('//nav//a[@href="/annual-report"]')
