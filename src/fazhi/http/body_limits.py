"""Request bodies within bounds, before any route sees them (a pure ASGI middleware).

- Size: every body is limited per route — 1 MB by default, uploads the configured
  `Settings.max_upload_bytes` per file plus multipart overhead, a type package's routes what
  they declare (`BodyLimit`). A declared Content-Length over the limit is refused before a
  byte is read; a body without one is counted as it streams and cut at the limit. Nothing is
  buffered beyond the limit.
- JSON: a JSON body (or one without a content type, which FastAPI parses as JSON) is read
  whole (it is within its limit) and checked with orjson first: orjson refuses lone
  surrogates (which later fail to encode in the database driver: a 500) and NaN/Infinity;
  nesting deeper than MAX_JSON_DEPTH is refused too (the standard library's parser and
  encoder recurse, and a RecursionError would be a 500). Then the body is replayed.

Answers: 413 `too_large` and 422 `invalid_json` in the platform's JSON shape (or the shape a
type package claims for its prefix, fazhi.http.error_shapes); a console page posting a form
too large gets a short readable HTML page instead.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

import orjson
from fastapi import Request
from starlette.exceptions import HTTPException
from starlette.responses import HTMLResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fazhi.http.error_shapes import error_response

DEFAULT_LIMIT = 1024 * 1024
MULTIPART_OVERHEAD = 64 * 1024  # per part: headers, boundaries, the other form fields
MAX_JSON_DEPTH = 64
# A body refused by its Content-Length is still read (and dropped) up to this much, so that
# the client, which writes the whole request before reading, gets the answer rather than a
# reset connection. Beyond it the connection is simply closed.
MAX_DRAIN = 64 * 1024 * 1024
MiB = 1024 * 1024


@dataclass(frozen=True)
class BodyLimit:
    """The limit of one route: `files` uploads of up to Settings.max_upload_bytes each, or a
    fixed number of bytes."""

    method: str
    path: str  # a regular expression matched against the whole path
    files: int = 0
    fixed: int | None = None

    def matches(self, method: str, path: str) -> bool:
        return method == self.method and re.fullmatch(self.path, path) is not None

    def bytes(self, max_upload: int) -> int:
        if self.fixed is not None:
            return self.fixed
        return self.files * (max_upload + MULTIPART_OVERHEAD) + MULTIPART_OVERHEAD


# The engine's uploads: a case's documents, by the API and the console.
ENGINE_LIMITS = (
    BodyLimit("POST", r"(/api/v1)?/cases/\d+/documents", files=1),
    BodyLimit("POST", r"(/api/v1)?/cases/\d+/documents/\d+/replace", files=1),
)


class BodyTooLarge(HTTPException):
    """Raised from `receive` when a streamed body passes its limit; an HTTPException so that
    FastAPI's body parsing passes it on as it is (it turns other errors into a 400)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, detail=too_large_detail(limit))


def too_large_detail(limit: int) -> dict[str, str]:
    size = f"{limit / MiB:.0f} MB" if limit >= MiB else f"{limit // 1024} KB"
    return {"code": "too_large", "message": f"请求内容过大（此处上限约 {size}）"}


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin-1"))
    return ""


def _is_json(content_type: str) -> bool:
    kind = content_type.split(";", 1)[0].strip().lower()
    return kind == "" or kind == "application/json" or kind.endswith("+json")


def too_deep(value: Any, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether containers nest deeper than `limit` (iteratively: no recursion to exhaust)."""
    if not isinstance(value, dict | list):
        return False
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        children = item.values() if isinstance(item, dict) else item
        stack.extend((c, depth + 1) for c in children if isinstance(c, dict | list))
    return False


class BodyLimits:
    def __init__(self, app: ASGIApp, extra: Sequence[BodyLimit] = ()) -> None:
        self.app = app
        self.rules = (*ENGINE_LIMITS, *extra)

    def limit_for(self, scope: Scope) -> int:
        method, path = scope["method"], scope["path"]
        rule = next((r for r in self.rules if r.matches(method, path)), None)
        if rule is None:
            return DEFAULT_LIMIT
        app = scope.get("app")
        platform = getattr(getattr(app, "state", None), "platform", None)
        max_upload = platform.settings.max_upload_bytes if platform is not None else 20 * MiB
        return rule.bytes(max_upload)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope)
        declared = _header(scope, b"content-length")
        if declared:
            if not declared.isascii() or not declared.isdigit():
                await self._answer(
                    scope, send, 400, "bad_request", "请求长度（Content-Length）无效"
                )
                return
            if int(declared) > limit:
                if _header(scope, b"expect").lower() != "100-continue":
                    await _drain(receive, min(int(declared), MAX_DRAIN))
                await self._too_large(scope, send, limit)
                return
        elif scope["method"] in ("GET", "HEAD", "OPTIONS", "DELETE"):
            await self.app(scope, receive, send)
            return
        if declared != "0" and _is_json(_header(scope, b"content-type")):
            await self._json(scope, receive, send, limit)
        else:
            await self._streamed(scope, receive, send, limit)

    async def _json(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await self._too_large(scope, send, limit)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if body.strip():
            try:
                parsed: Any = orjson.loads(body)
            except orjson.JSONDecodeError:
                parsed = _stdlib_verdict(body)
            if parsed is _INVALID_FOR_BOTH:
                pass  # malformed for every parser: the route answers as it always has
            elif parsed is _SURROGATE_OR_NAN:
                await self._answer(scope, send, 422, "invalid_json", "JSON 格式错误或含无效字符")
                return
            elif parsed is _TOO_DEEP or too_deep(parsed):
                message_text = f"JSON 嵌套过深（最多 {MAX_JSON_DEPTH} 层）"
                await self._answer(scope, send, 422, "invalid_json", message_text)
                return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _streamed(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        size = 0
        started = False

        async def counted() -> Message:
            nonlocal size
            message = await receive()
            if message["type"] == "http.request":
                size += len(message.get("body", b""))
                if size > limit:
                    raise BodyTooLarge(limit)
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except BodyTooLarge:
            # Read where no handler caught it (e.g. middleware): answer here if still possible.
            if not started:
                await self._too_large(scope, send, limit)

    async def _too_large(self, scope: Scope, send: Send, limit: int) -> None:
        detail = too_large_detail(limit)
        await self._answer(scope, send, 413, detail["code"], detail["message"])

    async def _answer(self, scope: Scope, send: Send, status: int, code: str, text: str) -> None:
        request = Request(scope)
        path = scope["path"]
        if (
            not path.startswith("/api/")
            and not path.startswith("/open311/")
            and "text/html" in request.headers.get("accept", "")
        ):
            response = HTMLResponse(_page(text), status_code=status)
        else:
            response = error_response(request, status, {"code": code, "message": text})
        response.headers["connection"] = "close"

        async def no_body() -> Message:
            return {"type": "http.disconnect"}

        await response(scope, no_body, send)


_INVALID_FOR_BOTH = object()
_SURROGATE_OR_NAN = object()
_TOO_DEEP = object()


def _stdlib_verdict(body: bytes) -> Any:
    """Why orjson refused a body: malformed for the standard library too (the route's own
    answer stands), nested too deep for its recursion, or
    accepted there: the parsed value, unless it holds a lone surrogate, NaN or Infinity,
    which must not get through."""
    try:
        value = json.loads(body)
    except RecursionError:
        return _TOO_DEEP
    except ValueError:
        return _INVALID_FOR_BOTH
    # orjson also refuses numbers beyond 64 bits, which the routes answer with the field.
    return _SURROGATE_OR_NAN if _unencodable(value) else value


def _unencodable(value: Any) -> bool:
    """A lone surrogate in a string or key, or a NaN or infinite number, anywhere."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(item, float):
            if item != item or item in (float("inf"), float("-inf")):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


async def _drain(receive: Receive, most: int) -> None:
    """Read and drop the body, up to `most` bytes."""
    size = 0
    while size <= most:
        message = await receive()
        if message["type"] != "http.request":
            return
        size += len(message.get("body", b""))
        if not message.get("more_body", False):
            return


def _page(text: str) -> str:
    return (
        '<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>无法提交</title>'
        f"<main><h1>无法提交</h1><p>{escape(text)}</p>"
        '<p>请返回上一页修改后再提交。<a href="/">返回首页</a></p></main></html>'
    )
