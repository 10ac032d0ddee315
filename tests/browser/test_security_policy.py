"""The console under its Content-Security-Policy in Chromium: the intake page loads with the
policy, htmx loads its fragments and posts with the form token it inherits from <body>, and
the browser reports no policy violation (the page fixture fails on any console error too)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.browser.support import console_login

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

COLLECT_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


def test_htmx_works_under_the_policy_with_no_violation(page: Page) -> None:
    page.add_init_script(COLLECT_VIOLATIONS)
    console_login(page, "operator1", form=True)  # the login form posts its token
    with page.expect_response(lambda r: "/intake/suggest" in r.url) as suggested:
        response = page.goto("/intake")
    assert response is not None
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert response.headers["x-frame-options"] == "DENY"
    assert suggested.value.status == 200  # htmx's hx-get on load ran under the policy
    page.fill("#content", "小区门口流动摊贩占道经营，晚上噪音扰民（浏览器测试合成数据）")
    with page.expect_response(lambda r: "/intake/suggest" in r.url):
        page.dispatch_event("#content", "change")

    # An htmx POST (as the merge form sends) carries the token header from <body>.
    with page.expect_response(lambda r: r.url.endswith("/logout")) as out:
        page.evaluate("htmx.ajax('POST', '/logout', {source: document.body, swap: 'none'})")
    assert out.value.status in (200, 303), out.value.status
    assert out.value.request.headers.get("x-csrf-token")
    page.goto("/work")
    assert "/login" in page.url  # signed out by that POST
    assert page.evaluate("window.__violations") == []
