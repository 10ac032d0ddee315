"""Security headers on every answer, over real HTTP: a policy allowing script from the
platform alone (the API docs' one generated inline script by its hash), no framing, no
sniffing, no referrer leaving the site, nothing with personal data cached (static assets
may be); the session and form-token cookies marked Secure when the request came over HTTPS.
The console's templates and scripts hold no inline script for the policy to block."""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

import fazhi.hotline.web
import fazhi.web
from fazhi.http.transport import is_https
from fazhi.settings import Settings
from tests.support import TLS, ApiClient, ServerThread, browser_client

PASSWORD = "fazhi2023"
FIXED = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}


def _policy(response: httpx.Response) -> dict[str, str]:
    text = response.headers["content-security-policy"]
    return {d.split()[0]: d.strip() for d in text.split(";") if d.strip()}


def _secured(response: httpx.Response, cacheable: bool = False) -> dict[str, str]:
    for name, value in FIXED.items():
        assert response.headers.get(name) == value, (response.url, name)
    policy = _policy(response)
    assert policy["default-src"] == "default-src 'self'"
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert policy["object-src"] == "object-src 'none'"
    assert "unsafe-inline" not in policy["script-src"] and "unsafe-eval" not in policy["script-src"]
    if not cacheable:
        assert response.headers.get("cache-control") == "no-store", response.url
    return policy


def test_console_pages_api_answers_and_refusals_carry_the_headers(
    server: ServerThread, login: object
) -> None:
    with httpx.Client(base_url=server.url, verify=TLS) as http:
        _secured(http.get("/login"))
        _secured(http.get("/healthz"))
        _secured(http.get("/api/v1/cases"))  # 401 JSON
        _secured(http.post("/login", data={"username": "x", "password": "y"}))  # CSRF 403
    client: ApiClient = login("operator1")  # type: ignore[operator]
    _secured(client.get("/api/v1/cases"))


def test_static_assets_stay_cacheable(server: ServerThread) -> None:
    with httpx.Client(base_url=server.url, verify=TLS) as http:
        css = http.get("/static/console.css")
    assert css.status_code == 200
    _secured(css, cacheable=True)
    assert "no-store" not in css.headers.get("cache-control", "")
    assert css.headers.get("etag") or css.headers.get("last-modified")


def test_the_api_docs_allow_their_own_inline_script_by_hash(server: ServerThread) -> None:
    with httpx.Client(base_url=server.url, verify=TLS) as http:
        docs = http.get("/docs")
    policy = _secured(docs)
    scripts = re.findall(r"<script>(.*?)</script>", docs.text, re.DOTALL)
    assert scripts
    for script in scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy["script-src"]


def _cookie_lines(response: httpx.Response) -> dict[str, str]:
    return {line.split("=", 1)[0]: line for line in response.headers.get_list("set-cookie")}


def test_cookies_are_secure_when_the_request_came_over_https(server: ServerThread) -> None:
    credentials = {"username": "operator1", "password": PASSWORD}
    # uvicorn applies X-Forwarded-Proto from a proxy on loopback, as behind nginx.
    https = {"X-Forwarded-Proto": "https"}
    with httpx.Client(base_url=server.url, headers=https, verify=TLS) as fresh:
        first = _cookie_lines(fresh.get("/login"))["fazhi_csrf"]
        assert "Secure" in first and "SameSite=Strict" in first and "HttpOnly" in first
    with browser_client(server.url) as http:
        origin = {"Origin": f"https://127.0.0.1:{server.port}"}
        signed_in = http.post("/login", data=credentials, headers={**https, **origin})
        assert signed_in.status_code == 303, signed_in.text
        session = _cookie_lines(signed_in)["fazhi_token"]
        assert "Secure" in session and "HttpOnly" in session
    with browser_client(server.url) as http:
        signed_in = http.post("/login", data=credentials)
        assert "Secure" not in _cookie_lines(signed_in)["fazhi_token"]


def test_the_secure_flag_follows_the_settings() -> None:
    plain = Settings()
    assert not is_https({"scheme": "http", "headers": []}, plain)
    assert is_https({"scheme": "https", "headers": []}, plain)
    forwarded = {"scheme": "http", "headers": [(b"x-forwarded-proto", b"https")]}
    assert not is_https(forwarded, plain)  # anyone could send the header
    assert is_https(forwarded, replace(plain, trust_proxy=True))
    assert is_https({"scheme": "http", "headers": []}, replace(plain, cookie_secure=True))


SOURCES = [
    *(Path(fazhi.web.__file__).parent / "templates").rglob("*.html"),
    *(Path(fazhi.hotline.web.__file__).parent / "templates").rglob("*.html"),
]


@pytest.mark.parametrize("path", sorted(SOURCES), ids=lambda p: p.name)
def test_no_template_holds_inline_script(path: Path) -> None:
    text = path.read_text()
    for tag in re.findall(r"<script\b[^>]*>", text, re.IGNORECASE):
        assert "src=" in tag, f"inline script in {path.name}: {tag}"
    assert not re.search(r"\son[a-z]+\s*=", text, re.IGNORECASE), f"inline handler in {path.name}"
    assert "javascript:" not in text.lower()
    assert "hx-on" not in text  # htmx's inline handlers would need eval


def test_a_configured_tile_server_is_the_only_extra_image_source() -> None:
    from fazhi.http.security_headers import CSP, policy, tile_source

    assert (
        tile_source("http://tiles.gov.example:8080/{z}/{x}/{y}.png")
        == "http://tiles.gov.example:8080"
    )
    assert (
        tile_source("https://{s}.tiles.gov.example/{z}/{x}/{y}.png")
        == "https://*.tiles.gov.example"
    )
    for bad in (
        "",
        "tiles/{z}/{x}/{y}.png",
        "javascript:alert(1)",
        "ftp://x/{z}",
        "http://{host}/{z}",
    ):
        assert tile_source(bad) is None, bad
    assert policy(()) == CSP
    extended = policy(("https://tiles.gov.example",))
    assert "img-src 'self' data: blob: https://tiles.gov.example;" in extended
    assert extended.replace(" https://tiles.gov.example", "") == CSP
