"""Walking a case through the console as its users do: every step is a form of the console's
own pages posted exactly as the browser posts it (the create form, an action's form on the
case page, the documents card's add and generate forms), and every check reads what the case
page shows (its state badge, its fields, its clocks). The `version` a form carries is the one
the page rendered, so a step taken on a stale page is refused as a user's would be."""

from __future__ import annotations

import re
from typing import Any

import httpx
from lxml.html import HtmlElement

from tests.web.html import page

DONE = re.compile(r"^/cases/(\d+)\?done=")
# A small synthetic paper, as a user would pick from disk.
PAPER = ("测试合成材料.txt", "测试合成材料（非真实文书）".encode(), "text/plain")


class ConsoleWalk:
    """One signed-in console user (`console(username)`) taking the steps of a walk. A session
    lapses when the test clock moves on by days: a walk signs in again on each later day."""

    def __init__(self, http: httpx.Client) -> None:
        self.http = http

    # Reading the case page.

    def page(self, case_id: int) -> HtmlElement:
        response = self.http.get(f"/cases/{case_id}")
        assert response.status_code == 200, (response.status_code, response.headers, response.text)
        return page(response.text)

    def state(self, case_id: int) -> str:
        """The state label of the page's toolbar badge."""
        badge = self.page(case_id).xpath('//div[@class="toolbar"]/span[@class="badge"]')
        assert badge, "the case page shows its state"
        return str(badge[0].text_content()).strip()

    def offered(self, case_id: int) -> list[str]:
        """The actions whose forms the page offers this user."""
        return [str(a) for a in self.page(case_id).xpath("//details[@data-action]/@data-action")]

    def fields(self, case_id: int) -> dict[str, str]:
        """The case's fields as the page lists them, label → shown value."""
        doc = self.page(case_id)
        terms = doc.xpath('//dl[@id="case-fields"]/dt')
        return {
            " ".join(dt.text_content().split()): " ".join(
                dt.getnext().text_content().split()  # the <dd> after it
            )
            for dt in terms
        }

    def clocks(self, case_id: int) -> dict[str, str]:
        """Each clock's state column as the 时限 card shows it (the last row of a name)."""
        rows = self.page(case_id).xpath('//table[@id="clocks"]//tr[@data-clock]')
        return {
            str(r.get("data-clock")): " ".join(r.xpath("./td")[-1].text_content().split())
            for r in rows
        }

    # Taking steps.

    def create(self, type_name: str, action: str, **fields: str) -> int:
        """Register a case by the create form; its id (from the 303 to its page)."""
        form = self.http.get(f"/cases/new/{type_name}", params={"action": action})
        assert form.status_code == 200, form.text
        response = self.http.post(f"/cases/new/{type_name}", data={"action": action, **fields})
        assert response.status_code == 303, response.text
        found = DONE.match(response.headers["location"])
        assert found, response.headers["location"]
        return int(found.group(1))

    def refused_create(self, type_name: str, action: str, **fields: str) -> HtmlElement:
        response = self.http.post(f"/cases/new/{type_name}", data={"action": action, **fields})
        assert response.status_code == 422, response.text
        return page(response.text)

    def post_action(self, case_id: int, action: str, **inputs: Any) -> httpx.Response:
        """Post an action's form as the case page renders it (with its `version`)."""
        doc = self.page(case_id)
        form = doc.xpath(f'//details[@data-action="{action}"]/form')
        offered = doc.xpath("//details[@data-action]/@data-action")
        assert form, f"{action} is not offered on the page (offered: {offered})"
        version = form[0].xpath('.//input[@name="version"]/@value')[0]
        assert form[0].get("action") == f"/cases/{case_id}/do/{action}"
        return self.http.post(
            f"/cases/{case_id}/do/{action}", data={"version": str(version), **inputs}
        )

    def act(self, case_id: int, action: str, **inputs: Any) -> None:
        response = self.post_action(case_id, action, **inputs)
        assert response.status_code == 303, response.text
        assert response.headers["location"] == f"/cases/{case_id}?done={action}"

    def refused(self, case_id: int, action: str, **inputs: Any) -> HtmlElement:
        """Post an action's form that the page must show again, refused (422)."""
        response = self.post_action(case_id, action, **inputs)
        assert response.status_code == 422, response.text
        return page(response.text)

    def _document_form(self, case_id: int, kind: str) -> HtmlElement:
        doc = self.page(case_id)
        form = doc.xpath(f'//form[@data-form="doc:{kind}"]')
        assert form, f"the documents card offers no form for {kind}"
        return form[0]

    def post_generate(self, case_id: int, kind: str, **data: str) -> httpx.Response:
        """Post the documents card's 生成文书 button of a kind (form-encoded, as it is sent)."""
        form = self._document_form(case_id, kind)
        assert form.xpath(f'.//button[@formaction="/cases/{case_id}/documents/generate"]'), (
            f"{kind} has no 生成文书 button"
        )
        version = str(form.xpath('.//input[@name="version"]/@value')[0])
        return self.http.post(
            f"/cases/{case_id}/documents/generate",
            data={"kind": kind, "version": version, **data},
        )

    def generate(self, case_id: int, kind: str, **data: str) -> None:
        """Generate a templated paper by the documents card's 生成文书 button."""
        response = self.post_generate(case_id, kind, **data)
        assert response.status_code == 303, response.text
        assert response.headers["location"] == f"/cases/{case_id}?done=document_generated"

    def upload(self, case_id: int, kind: str, **data: str) -> None:
        """Add a paper by the documents card's form (multipart), with a small synthetic file
        when the form has a file input; a kind without one is data only."""
        form = self._document_form(case_id, kind)
        assert form.get("enctype") == "multipart/form-data"
        version = str(form.xpath('.//input[@name="version"]/@value')[0])
        has_file = bool(form.xpath('.//input[@type="file"][@name="file"]'))
        response = self.http.post(
            f"/cases/{case_id}/documents",
            data={"kind": kind, "version": version, **data},
            files={"file": PAPER} if has_file else None,
        )
        assert response.status_code == 303, response.text
        assert response.headers["location"] == f"/cases/{case_id}?done=document_added"
        if has_file:  # the card lists the paper, its file a link
            listed = self.page(case_id).xpath(
                f'//div[@data-kind="{kind}"]//li[@data-document]/a/text()'
            )
            assert PAPER[0] in listed, listed
