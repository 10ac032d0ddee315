"""Saved filters of 工作台 and 案件查询: per user, named, replaced by name, removed by their
owner only; a refused save says why next to the name."""

from __future__ import annotations

import uuid

from lxml.html import HtmlElement

from tests.web.conftest import Console
from tests.web.html import by_id, error_of, page


def saved(doc: HtmlElement) -> dict[str, str]:
    links = doc.xpath('//div[@id="saved-filters"]//a[@data-saved-filter]')
    return {a.text_content(): a.get("href") for a in links}


def ids(doc: HtmlElement) -> dict[str, str]:
    links = doc.xpath('//div[@id="saved-filters"]//a[@data-saved-filter]')
    return {a.text_content(): a.get("data-saved-filter") for a in links}


def test_a_filter_is_saved_and_offered_on_the_list(console: Console) -> None:
    http = console("dispatcher1")
    name = f"超期待派 {uuid.uuid4().hex[:4]}"
    response = http.post(
        "/saved-filters",
        data={"list": "cases", "name": name, "query": "state=registered&overdue=1&page=3"},
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/cases?state=registered&overdue=1"
    doc = page(http.get("/cases").text)
    assert saved(doc)[name] == "/cases?state=registered&overdue=1"
    # The form saves what the list is filtered by now.
    form = page(http.get("/cases", params={"state": "returned"}).text)
    query = form.xpath('//form[@id="save-filter"]//input[@name="query"]')[0]
    assert query.get("value") == "state=returned"


def test_filters_are_each_users_own(console: Console) -> None:
    name = f"我的 {uuid.uuid4().hex[:4]}"
    mine = console("dispatcher1")
    mine.post("/saved-filters", data={"list": "work", "name": name, "query": "state=returned"})
    assert name in saved(page(mine.get("/work").text))
    other = console("operator1")
    assert name not in saved(page(other.get("/work").text))
    filter_id = ids(page(mine.get("/work").text))[name]
    refused = other.post(f"/saved-filters/{filter_id}/delete", data={"list": "work"})
    assert refused.status_code == 404
    assert name in saved(page(mine.get("/work").text))
    gone = mine.post(f"/saved-filters/{filter_id}/delete", data={"list": "work"})
    assert gone.status_code == 303 and gone.headers["location"] == "/work"
    assert name not in saved(page(mine.get("/work").text))


def test_saving_under_the_same_name_replaces_the_filter(console: Console) -> None:
    http = console("operator1")
    name = f"回访 {uuid.uuid4().hex[:4]}"
    http.post("/saved-filters", data={"list": "work", "name": name, "query": "state=replied"})
    http.post("/saved-filters", data={"list": "work", "name": name, "query": "state=revisited"})
    found = saved(page(http.get("/work").text))
    assert found[name] == "/work?state=revisited"


def test_a_save_without_a_name_or_a_filter_is_refused_next_to_the_name(console: Console) -> None:
    http = console("operator1")
    blank = http.post("/saved-filters", data={"list": "work", "name": " ", "query": "state=x"})
    assert blank.status_code == 422
    assert error_of(page(blank.text), "saved-filter-name") == "请填写筛选条件的名称"
    empty = http.post("/saved-filters", data={"list": "cases", "name": "全部", "query": "page=2"})
    assert empty.status_code == 422
    doc = page(empty.text)
    assert "请先设置筛选" in error_of(doc, "saved-filter-name")
    assert by_id(doc, "case-list") is not None  # the list is shown again
    unknown = http.post("/saved-filters", data={"list": "admin", "name": "x", "query": "q=1"})
    assert unknown.status_code == 422
