"""Open311's wire format: JSON or XML by extension, the spec's `[{code, description}]` errors,
and the raw-string parameters every endpoint reads (so no FastAPI validation error can reach
the platform's error handlers)."""

from __future__ import annotations

import os
import re
from collections.abc import Awaitable, Callable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

import orjson
from fastapi import Request
from fastapi.responses import Response

from fazhi.actions.platform import Platform
from fazhi.catalog.categories import Category, load_categories
from fazhi.domain.durations import LOCAL_TZ
from fazhi.domain.errors import DomainError
from fazhi.http.params import FIRST_YEAR, LAST_YEAR, in_sane_range

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-26T00:00:00+08:00"  # when this interface last changed
FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
CASE_TYPE = "hotline"
SOURCE = "open311"
MAX_DESCRIPTION = 4000
# The spec: without page_size a list answers the first 1,000 requests of its window.
DEFAULT_PAGE_SIZE = 1000
MAX_PAGE_SIZE = 1000
WINDOW = timedelta(days=90)
REQUIRE_JURISDICTION_ENV = "FAZHI_OPEN311_REQUIRE_JURISDICTION"
# Categories where a citizen typically reports a violation rather than complains.
REPORT_CATEGORIES = {"ILLEGAL_BUILDING", "FOOD_DRUG", "SAFETY"}
ADDITIONAL = "【附加信息】"
MEDIA = "【图片链接】"
MEDIA_LINE = re.compile(r"^" + re.escape(MEDIA) + r"(\S+)\s*$", re.MULTILINE)
ATTRIBUTE_PARAM = re.compile(r"^attribute\[([^\]]+)\](\[\])?$")


class Open311Error(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def bad(description: str) -> Open311Error:
    return Open311Error(400, description)


# ---------------------------------------------------------------------------------------------
# Rendering


ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}


def xml_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def render_xml(root: str, body: Any) -> bytes:
    """The document ElementTree would write for `body` as a tree (a mapping's keys as child
    elements, a list's items as ITEM_TAGS children, anything else as text), written directly:
    building the tree and serialising it cost twice the JSON answer's time for a 50-row
    list. The same text: `<tag />` for an empty value, &, < and > escaped in text."""
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n']
    _write(parts, root, body)
    return "".join(parts).encode("utf-8")


def _escape(text: str) -> str:
    """Text content as ElementTree escapes it."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _write(parts: list[str], tag: str, value: Any) -> None:
    if isinstance(value, Mapping):
        if not value:
            parts.append(f"<{tag} />")
            return
        parts.append(f"<{tag}>")
        for key, item in value.items():
            _write(parts, key, item)
        parts.append(f"</{tag}>")
    elif isinstance(value, list):
        if not value:
            parts.append(f"<{tag} />")
            return
        parts.append(f"<{tag}>")
        item_tag = ITEM_TAGS.get(tag, "item")
        for item in value:
            _write(parts, item_tag, item)
        parts.append(f"</{tag}>")
    else:
        text = xml_text(value)
        if text:
            parts.append(f"<{tag}>{_escape(text)}</{tag}>")
        else:
            parts.append(f"<{tag} />")


def render(fmt: str, root: str, body: Any, status: int = 200) -> Response:
    if fmt == "xml":
        return Response(render_xml(root, body), status_code=status, media_type=FORMATS["xml"])
    return Response(orjson.dumps(body), status_code=status, media_type=FORMATS["json"])


def error_shape(request: Request, status: int, code: str, message: str) -> Response:
    """Any error under /open311/ (fazhi.http.error_shapes): the format by the extension."""
    return error_response("xml" if request.url.path.endswith(".xml") else "json", status, message)


def error_response(fmt: str, status: int, description: str) -> Response:
    return render(
        fmt if fmt in FORMATS else "json",
        "errors",
        [{"code": status, "description": description}],
        status,
    )


async def answer(fmt: str, root: str, produce: Callable[[], Awaitable[Any]]) -> Response:
    """Run an endpoint and answer in its format; every failure in the Open311 error shape."""
    if fmt not in FORMATS:
        return error_response("json", 404, f"不支持的格式 .{fmt}，只支持 .json 和 .xml")
    try:
        body = await produce()
    except Open311Error as exc:
        return error_response(fmt, exc.status, exc.description)
    except DomainError as exc:
        status = exc.status if exc.status in (403, 404) else 400
        return error_response(fmt, status, exc.message)
    return render(fmt, root, body)


def local(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(LOCAL_TZ).isoformat(timespec="seconds")


# ---------------------------------------------------------------------------------------------
# Parameters


def param(params: Mapping[str, str], name: str) -> str:
    return (params.get(name) or "").strip()


def check_jurisdiction(
    platform: Platform, params: Mapping[str, str], required: bool = True
) -> None:
    """A wrong jurisdiction_id is 404; a missing one is 400 only where the deployment requires
    it (`required=False` for discovery, which a client reads before it knows the id)."""
    value = param(params, "jurisdiction_id")
    if not value:
        if required and os.environ.get(REQUIRE_JURISDICTION_ENV) == "1":
            raise bad(f"缺少 jurisdiction_id（本平台为 {platform.region_code}）")
        return
    if value != platform.region_code:
        raise Open311Error(404, "jurisdiction not found：没有该辖区（jurisdiction_id）")


def comma_list(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def category_of(code: str) -> Category | None:
    return next((c for c in load_categories() if c.code == code), None)


def known_service(code: str) -> Category:
    """The category of a service code; 404 (the spec's "service_code not found") otherwise."""
    category = category_of(code)
    if category is None:
        raise Open311Error(404, f"没有服务代码 {code}（见 services.json）")
    return category


def moment(name: str, value: str, end_of_day: bool = False) -> datetime:
    """A w3c ISO 8601 date-time with a zone (`Z` or `±hh:mm`), or a plain date (local day)."""
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            if not in_sane_range(day.year):
                raise bad(f"{name} 应在{FIRST_YEAR}年至{LAST_YEAR}年之间")
            return datetime.combine(day, time.max if end_of_day else time.min, LOCAL_TZ)
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise bad(f"{name} 不是 ISO 8601 时间（如 2023-06-01T09:00:00+08:00）") from None
    if moment.tzinfo is None:
        raise bad(f"{name} 必须带时区（Z 或 +08:00）")
    if not in_sane_range(moment.year):
        raise bad(f"{name} 应在{FIRST_YEAR}年至{LAST_YEAR}年之间")
    return moment


def ascii_digits(value: str) -> bool:
    return value.isascii() and value.isdigit()


def int_param(params: Mapping[str, str], name: str, default: int, high: int) -> int:
    value = param(params, name)
    if not value:
        return default
    # isdigit() alone accepts '²' and other digits int() refuses.
    if not ascii_digits(value) or not 1 <= int(value) <= high:
        raise bad(f"{name} 应为 1 到 {high} 之间的整数")
    return int(value)


# ---------------------------------------------------------------------------------------------
# Discovery and services
