"""Cross-site request forgery: every unsafe console request carries a form token, and no
unsafe request may come from another site.

A browser gets a random id in a cookie (SameSite=Strict, HttpOnly). Its form token is an HMAC
of that id keyed by the server secret; the template layer writes it into every POST form
(`csrf_token`) and htmx sends it as the `X-CSRF-Token` header. Another site can neither read
the token nor compute one without the secret; one that plants an id cookie of its own (a
sibling subdomain) is stopped by the Origin check, which modern browsers give every
cross-origin POST.

Checked here, before any route runs, for every POST/PUT/PATCH/DELETE:
- the Origin header (the Referer when Origin is absent), when sent, names this host;
- console routes (everything outside /api/ and /open311/, /login and /logout included) carry
  a valid token, in the header or as the form's first field (urlencoded or multipart: only a
  bounded prefix of the body is read, then handed on to the route untouched);
- API routes authenticated by the session cookie rather than an Authorization header carry a
  valid token header or a same-site Origin; bearer-token calls are unaffected.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qs, urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request, cookie_parser

from fazhi.http.deps import TOKEN_COOKIE
from fazhi.http.transport import is_https

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSRF_COOKIE = "fazhi_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
API_PREFIXES = ("/api/", "/open311/")
# The token is the form's first field; a little more than one field's worth is read.
PEEK_BYTES = 16 * 1024
_BROWSER_ID = re.compile(r"^[0-9a-f]{32}$")

REFUSED_CODE = "csrf_refused"
REFUSED_MESSAGE = "请求未通过来源校验（可能来自其他网站或页面已过期），请刷新页面后重试"


def token_for(secret: bytes, browser_id: str) -> str:
    """The form token of a browser (its id cookie)."""
    message = f"csrf|{browser_id}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def csrf_token(request: Request) -> str:
    """The form token for the page being rendered (set by the middleware)."""
    return str(getattr(request.state, "csrf_token", ""))


def _is_api(path: str) -> bool:
    return path.startswith(API_PREFIXES)


def _own_host(headers: Headers, trust_proxy: bool) -> str:
    forwarded = headers.get("x-forwarded-host", "") if trust_proxy else ""
    host = forwarded.split(",")[0].strip() or headers.get("host", "")
    return host.lower()


def _source_ok(headers: Headers, trust_proxy: bool) -> tuple[bool, bool]:
    """(no foreign source, a same-site Origin was sent). An absent Origin falls back to the
    Referer; with neither, the token alone decides."""
    origin = headers.get("origin")
    source = origin if origin is not None else headers.get("referer")
    if source is None:
        return True, False
    netloc = urlsplit(source).netloc.lower() if source != "null" else ""
    same = bool(netloc) and netloc == _own_host(headers, trust_proxy)
    return same, same and origin is not None


def _multipart_field(body: bytes, boundary: bytes) -> str | None:
    """The `csrf_token` part's value in a prefix of a multipart body, if it is there whole."""
    delimiter = b"--" + boundary
    for part in body.split(delimiter)[1:]:
        head, sep, rest = part.partition(b"\r\n\r\n")
        if not sep:
            return None
        if re.search(rb'name="?' + CSRF_FIELD.encode() + rb'"?(;|\r\n|$)', head):
            if not rest.endswith(b"\r\n"):
                return None  # cut off by the prefix
            return rest[:-2].decode("ascii", "replace")
    return None


def _form_field(body: bytes, content_type: str) -> str | None:
    kind, _, params = content_type.partition(";")
    kind = kind.strip().lower()
    if kind == "application/x-www-form-urlencoded":
        # The prefix may end inside a later field; the token field comes first and is whole.
        whole = body.rsplit(b"&", 1)[0] if len(body) >= PEEK_BYTES else body
        values = parse_qs(whole.decode("latin-1"), keep_blank_values=True).get(CSRF_FIELD)
        return values[0] if values else None
    if kind == "multipart/form-data":
        match = re.search(r'boundary="?([^";]+)"?', params)
        return _multipart_field(body, match.group(1).encode("latin-1")) if match else None
    return None


async def _peek(receive: Receive) -> tuple[bytes, list[Message]]:
    """Up to PEEK_BYTES of the body, and the messages read, to hand on unchanged."""
    messages: list[Message] = []
    body = b""
    while len(body) < PEEK_BYTES:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            break
        body += message.get("body", b"")
        if not message.get("more_body", False):
            break
    return body[:PEEK_BYTES], messages


def _replay(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replayed() -> Message:
        return pending.pop(0) if pending else await receive()

    return replayed


async def _refuse(scope: Scope, send: Send, api: bool) -> None:
    from starlette.responses import HTMLResponse, JSONResponse, Response

    response: Response
    if api:
        response = JSONResponse({"code": REFUSED_CODE, "message": REFUSED_MESSAGE}, 403)
    else:
        response = HTMLResponse(REFUSED_PAGE, 403)
    await response(scope, _noop_receive, send)


async def _noop_receive() -> Message:
    return {"type": "http.disconnect"}


REFUSED_PAGE = f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>请求被拒绝 · 法治</title>
<link rel="stylesheet" href="/static/console.css"></head>
<body><main id="main"><section class="card"><h1>请求被拒绝</h1>
<p class="field-error" role="alert">{REFUSED_MESSAGE}</p>
<p><a href="/">返回首页</a></p></section></main></body></html>"""


class CsrfMiddleware:
    """The checks above, and the browser's id cookie set on the first console response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/static/"):
            await self.app(scope, receive, send)
            return
        platform = scope["app"].state.platform
        settings = platform.settings
        trust_proxy = settings.trust_proxy
        headers = Headers(scope=scope)
        cookies = cookie_parser(headers.get("cookie", ""))
        browser = cookies.get(CSRF_COOKIE, "")
        fresh = not _BROWSER_ID.match(browser)
        if fresh:
            browser = secrets.token_hex(16)
        expected = token_for(platform.secret, browser)
        scope.setdefault("state", {})["csrf_token"] = expected
        api = _is_api(scope["path"])

        if scope["method"] not in SAFE_METHODS and not (
            api and not _cookie_borne(headers, cookies)
        ):
            source_ok, same_origin = _source_ok(headers, trust_proxy)
            given = headers.get(CSRF_HEADER)
            if api:
                if not source_ok or not (same_origin or _matches(given, expected)):
                    await _refuse(scope, send, api=True)
                    return
            else:
                if source_ok and given is None:
                    body, messages = await _peek(receive)
                    given = _form_field(body, headers.get("content-type", ""))
                    receive = _replay(messages, receive)
                if not source_ok or not _matches(given, expected):
                    await _refuse_setting_cookie(scope, send, browser if fresh else None)
                    return

        if fresh and not api:
            send = _with_cookie(scope, send, browser, settings)
        await self.app(scope, receive, send)


def _cookie_borne(headers: Headers, cookies: dict[str, str]) -> bool:
    """An API request the browser's session cookie authenticates (not a bearer token)."""
    bearer = headers.get("authorization", "").lower().startswith("bearer ")
    return TOKEN_COOKIE in cookies and not bearer


def _matches(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


async def _refuse_setting_cookie(scope: Scope, send: Send, browser: str | None) -> None:
    if browser is not None:
        settings = scope["app"].state.platform.settings
        send = _with_cookie(scope, send, browser, settings)
    await _refuse(scope, send, api=False)


def cookie_flags(scope: Scope, settings: Any) -> str:
    secure = is_https(scope, settings)
    return "; Path=/; HttpOnly; SameSite=Strict" + ("; Secure" if secure else "")


def _with_cookie(scope: Scope, send: Send, browser: str, settings: Any) -> Send:
    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = MutableHeaders(scope=message)
            headers.append("set-cookie", f"{CSRF_COOKIE}={browser}{cookie_flags(scope, settings)}")
        await send(message)

    return sending
