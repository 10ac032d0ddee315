"""No console form can forget its form token: every POST form of every template (the
engine's and the type packages') gets the hidden `csrf_token` input as its first field when
the template is compiled, htmx requests inherit the token header from <body>, and the pages
as served carry the browser's own token in each of their POST forms."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import html as lxml_html

import fazhi.hotline.web
import fazhi.web
from fazhi.web.console import templates
from fazhi.web.form_tokens import CSRF_INPUT, with_form_tokens
from tests.support import ServerThread
from tests.web.conftest import Console

FOLDERS = [
    Path(fazhi.web.__file__).parent / "templates",
    Path(fazhi.hotline.web.__file__).parent / "templates",
]
TEMPLATES = sorted(p for folder in FOLDERS for p in folder.rglob("*.html"))
POST_FORM = re.compile(r"<form\b[^>]*\bmethod=\"post\"", re.IGNORECASE)
HX_UNSAFE = re.compile(r"\bhx-(post|put|patch|delete)=", re.IGNORECASE)


def test_the_templates_hold_post_forms_to_check() -> None:
    found = sum(len(POST_FORM.findall(p.read_text())) for p in TEMPLATES)
    assert found >= 30  # a walk over nothing would prove nothing


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_post_form_starts_with_the_token(path: Path, server: ServerThread) -> None:
    # `server`: the app adds the type packages' template folders to the environment.
    source = path.read_text()
    compiled = with_form_tokens(source)
    forms = POST_FORM.findall(source)
    assert compiled.count(CSRF_INPUT) == len(forms)
    for match in re.finditer(r"<form\b", compiled):
        tag_end = compiled.index(">", match.start())
        if POST_FORM.match(compiled, match.start()):
            # The token comes straight after the start tag (the first field, where the
            # server reads it from an upload's body).
            assert CSRF_INPUT in compiled[tag_end : tag_end + len(CSRF_INPUT) + 200]
    # The environment the console renders with applies it.
    assert templates.env.extensions, "the form-token extension is not installed"
    name = str(path.relative_to(next(f for f in FOLDERS if f in path.parents)))
    templates.env.get_template(name)  # still compiles


def test_htmx_requests_inherit_the_token_header_from_the_body() -> None:
    base = (FOLDERS[0] / "base.html").read_text()
    body = re.search(r"<body\b[^>]*>", base)
    assert body and 'hx-headers=\'{"X-CSRF-Token": "{{ csrf_token }}"}\'' in body.group(0)
    for path in TEMPLATES:
        text = path.read_text()
        # A template that overrode the header or cut inheritance would send no token.
        assert "hx-disinherit" not in text and "hx-headers" not in text.replace(
            body.group(0), ""
        ), path.name
    assert any(HX_UNSAFE.search(p.read_text()) for p in TEMPLATES)


PAGES = {
    "admin": ["/admin/users", "/admin/units", "/admin/calendar", "/admin/duty"],
    "dispatcher1": ["/work", "/intake", "/supervision", "/notifications"],
}


@pytest.mark.parametrize("username", sorted(PAGES))
def test_pages_as_served_carry_this_browsers_token_in_every_post_form(
    console: Console, username: str
) -> None:
    http = console(username)
    token = http.headers["X-CSRF-Token"]
    assert re.fullmatch(r"[0-9a-f]{64}", token)
    for url in PAGES[username]:
        response = http.get(url)
        assert response.status_code == 200, url
        doc = lxml_html.fromstring(response.text)
        assert doc.xpath("//body")[0].get("hx-headers") == f'{{"X-CSRF-Token": "{token}"}}'
        for form in doc.xpath('//form[@method="post"]'):
            first = form.xpath(".//input")[0]
            assert (first.get("name"), first.get("value")) == ("csrf_token", token), url
