"""Open311 GeoReport v2 at /open311/v2/: the hotline's public interface for outside apps.

Every resource answers in JSON or XML by its extension (`services.json`, `services.xml`).
Errors are the spec's list of `{code, description}` (XML `<errors><error>…`), never the
platform's `{code, message}`: each endpoint catches its own errors (`_answer`) and reads its
parameters as raw strings, so no FastAPI validation error can reach the global handlers.

Reading is public and shows only what GeoReport defines — never a caller's name, phone or
ID. Posting needs an `open311` api key (actions.api_keys); the order is created through
`actions.cases.create_case` like every other order, by the key's system account.
"""

from __future__ import annotations

import os
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import orjson
from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from fazhi.actions.api_keys import actor_for_key
from fazhi.actions.cases import ActionContext, create_case
from fazhi.actions.platform import Platform
from fazhi.catalog.categories import Category, load_categories
from fazhi.domain.durations import LOCAL_TZ
from fazhi.domain.errors import DomainError
from fazhi.domain.identity import phone_valid
from fazhi.http.deps import platform_of
from fazhi.store.db import transaction
from fazhi.store.models import Case

router = APIRouter(prefix="/open311/v2", tags=["Open311"])

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-26T00:00:00+08:00"  # when this interface last changed
FORMATS = {"json": "application/json", "xml": "text/xml; charset=utf-8"}
CASE_TYPE = "hotline"
SOURCE = "open311"
MAX_DESCRIPTION = 4000
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
WINDOW = timedelta(days=90)
REQUIRE_JURISDICTION_ENV = "FAZHI_OPEN311_REQUIRE_JURISDICTION"
# Categories where a citizen typically reports a violation rather than complains.
REPORT_CATEGORIES = {"ILLEGAL_BUILDING", "FOOD_DRUG", "SAFETY"}
ADDITIONAL = "【附加信息】"
MEDIA = "【图片链接】"
_MEDIA_LINE = re.compile(r"^" + re.escape(MEDIA) + r"(\S+)\s*$", re.MULTILINE)
_ATTRIBUTE_PARAM = re.compile(r"^attribute\[([^\]]+)\](\[\])?$")

GROUPS = {
    "城市管理": ("CITY_APPEARANCE", "ILLEGAL_BUILDING", "SANITATION", "MUNICIPAL", "TRAFFIC"),
    "生态与安全": ("ENVIRONMENT", "SAFETY", "PUBLIC_ORDER", "FOOD_DRUG"),
    "住房与公用事业": ("PROPERTY_MGMT", "HOUSING", "LAND_REGISTRY", "UTILITIES", "TELECOM"),
    "民生保障": ("WAGES", "SOCIAL_SECURITY", "EDUCATION", "HEALTH", "CIVIL_AFFAIRS"),
    "政务与法律": ("GOV_SERVICE", "DISPUTE", "LEGAL_AID", "CONSUMER", "AGRICULTURE"),
}
_GROUP_OF = {code: group for group, codes in GROUPS.items() for code in codes}


@dataclass(frozen=True)
class Attribute:
    """A service attribute (GeoReport `attributes`); `label` names it in the order's text."""

    code: str
    label: str
    datatype: str  # string | number | datetime | text | singlevaluelist | multivaluelist
    required: bool
    description: str
    datatype_description: str | None = None
    values: tuple[tuple[str, str], ...] = ()
    max_length: int = 100

    def as_spec(self, order: int) -> dict[str, Any]:
        body: dict[str, Any] = {
            "variable": True,
            "code": self.code,
            "datatype": self.datatype,
            "required": self.required,
            "datatype_description": self.datatype_description,
            "order": order,
            "description": self.description,
        }
        if self.values:
            body["values"] = [{"key": k, "name": n} for k, n in self.values]
        return body


# The hotline type has no such fields: posted values are appended to the order's text.
ATTRIBUTES: dict[str, tuple[Attribute, ...]] = {
    "TRAFFIC": (
        Attribute(
            "plate_number",
            "车牌号",
            "string",
            False,
            "涉事车辆的车牌号（如有）",
            "车牌号，如 湘B12345",
            max_length=10,
        ),
    ),
    "MUNICIPAL": (
        Attribute(
            "facility_kind",
            "设施类型",
            "singlevaluelist",
            True,
            "出问题的市政设施是哪一类？",
            values=(
                ("manhole", "井盖"),
                ("streetlight", "路灯"),
                ("road", "道路"),
                ("drain", "下水道"),
                ("greenery", "绿化树木"),
                ("other", "其他"),
            ),
        ),
    ),
}


class Open311Error(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def _bad(description: str) -> Open311Error:
    return Open311Error(400, description)


# ---------------------------------------------------------------------------------------------
# Rendering


_ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, Mapping):
        for key, item in value.items():
            _fill(ET.SubElement(element, key), item)
    elif isinstance(value, list):
        tag = _ITEM_TAGS.get(element.tag, "item")
        for item in value:
            _fill(ET.SubElement(element, tag), item)
    else:
        element.text = _text(value)


def render_xml(root: str, body: Any) -> bytes:
    element = ET.Element(root)
    _fill(element, body)
    body_text = ET.tostring(element, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body_text).encode("utf-8")


def _render(fmt: str, root: str, body: Any, status: int = 200) -> Response:
    if fmt == "xml":
        return Response(render_xml(root, body), status_code=status, media_type=FORMATS["xml"])
    return Response(orjson.dumps(body), status_code=status, media_type=FORMATS["json"])


def _error(fmt: str, status: int, description: str) -> Response:
    return _render(
        fmt if fmt in FORMATS else "json",
        "errors",
        [{"code": status, "description": description}],
        status,
    )


async def _answer(fmt: str, root: str, produce: Callable[[], Awaitable[Any]]) -> Response:
    """Run an endpoint and answer in its format; every failure in the Open311 error shape."""
    if fmt not in FORMATS:
        return _error("json", 404, f"不支持的格式 .{fmt}，只支持 .json 和 .xml")
    try:
        body = await produce()
    except Open311Error as exc:
        return _error(fmt, exc.status, exc.description)
    except DomainError as exc:
        status = exc.status if exc.status in (403, 404) else 400
        return _error(fmt, status, exc.message)
    return _render(fmt, root, body)


def _local(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(LOCAL_TZ).isoformat(timespec="seconds")


# ---------------------------------------------------------------------------------------------
# Parameters


def _param(params: Mapping[str, str], name: str) -> str:
    return (params.get(name) or "").strip()


def _check_jurisdiction(platform: Platform, params: Mapping[str, str]) -> None:
    value = _param(params, "jurisdiction_id")
    if not value:
        if os.environ.get(REQUIRE_JURISDICTION_ENV) == "1":
            raise _bad(f"缺少 jurisdiction_id（本平台为 {platform.region_code}）")
        return
    if value != platform.region_code:
        raise Open311Error(404, "jurisdiction not found：没有该辖区（jurisdiction_id）")


def _comma_list(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _category(code: str) -> Category | None:
    return next((c for c in load_categories() if c.code == code), None)


def _moment(name: str, value: str, end_of_day: bool = False) -> datetime:
    """A w3c ISO 8601 date-time with a zone (`Z` or `±hh:mm`), or a plain date (local day)."""
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            return datetime.combine(day, time.max if end_of_day else time.min, LOCAL_TZ)
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise _bad(f"{name} 不是 ISO 8601 时间（如 2023-06-01T09:00:00+08:00）") from None
    if moment.tzinfo is None:
        raise _bad(f"{name} 必须带时区（Z 或 +08:00）")
    return moment


def _int_param(params: Mapping[str, str], name: str, default: int, high: int) -> int:
    value = _param(params, name)
    if not value:
        return default
    if not value.isdigit() or not 1 <= int(value) <= high:
        raise _bad(f"{name} 应为 1 到 {high} 之间的整数")
    return int(value)


# ---------------------------------------------------------------------------------------------
# Discovery and services


@router.get("/discovery.{fmt}")
async def discovery(request: Request, fmt: str) -> Response:
    async def produce() -> Any:
        platform = platform_of(request)
        _check_jurisdiction(platform, request.query_params)
        return {
            "changeset": CHANGESET,
            "contact": "石峰区12345热线服务中心：电话 12345",
            "key_service": (
                "api_key 由热线中心管理员签发（fazhi apikey create 名称 --purpose open311）"
            ),
            "endpoints": [
                {
                    "specification": SPECIFICATION,
                    "url": str(request.base_url).rstrip("/") + "/open311/v2",
                    "changeset": CHANGESET,
                    "type": "production",
                    "formats": ["text/xml", "application/json"],
                }
            ],
        }

    return await _answer(fmt, "discovery", produce)


def _service(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.covers,
        "metadata": category.code in ATTRIBUTES,
        "type": "realtime",
        "keywords": ",".join(k.strip() for k in category.covers.split("、") if k.strip()),
        "group": _GROUP_OF.get(category.code, "其他"),
    }


@router.get("/services.{fmt}")
async def services(request: Request, fmt: str) -> Response:
    async def produce() -> Any:
        _check_jurisdiction(platform_of(request), request.query_params)
        return [_service(c) for c in load_categories()]

    return await _answer(fmt, "services", produce)


@router.get("/services/{service_code}.{fmt}")
async def service_definition(request: Request, service_code: str, fmt: str) -> Response:
    async def produce() -> Any:
        _check_jurisdiction(platform_of(request), request.query_params)
        if _category(service_code) is None:
            raise Open311Error(404, f"没有服务代码 {service_code}")
        return {
            "service_code": service_code,
            "attributes": [
                a.as_spec(i) for i, a in enumerate(ATTRIBUTES.get(service_code, ()), start=1)
            ],
        }

    return await _answer(fmt, "service_definition", produce)


# ---------------------------------------------------------------------------------------------
# Posting a request


def _attribute_text(code: str, form: Mapping[str, list[str]]) -> str:
    """The `【附加信息】…` line for the posted attributes, or '' (400 on a bad value)."""
    given: dict[str, list[str]] = {}
    for key, values in form.items():
        match = _ATTRIBUTE_PARAM.match(key)
        if match:
            given.setdefault(match.group(1), []).extend(v.strip() for v in values if v.strip())
    known = {a.code: a for a in ATTRIBUTES.get(code, ())}
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise _bad(f"服务 {code} 没有附加项 attribute[{unknown[0]}]")
    parts: list[str] = []
    for attribute in ATTRIBUTES.get(code, ()):
        values = given.get(attribute.code, [])
        if not values:
            if attribute.required:
                raise _bad(f"缺少附加项 attribute[{attribute.code}]（{attribute.label}）")
            continue
        names = dict(attribute.values)
        if attribute.datatype == "singlevaluelist":
            if len(values) != 1 or values[0] not in names:
                raise _bad(
                    f"attribute[{attribute.code}] 只能是："
                    + "、".join(k for k, _ in attribute.values)
                )
            shown = names[values[0]]
        elif attribute.datatype == "multivaluelist":
            if any(v not in names for v in values):
                raise _bad(f"attribute[{attribute.code}] 含有不在列表中的值")
            shown = "、".join(names[v] for v in values)
        else:
            shown = values[0]
            if len(values) != 1 or len(shown) > attribute.max_length:
                raise _bad(
                    f"attribute[{attribute.code}] 应为一个不超过{attribute.max_length}字的值"
                )
            if attribute.datatype == "number":
                try:
                    float(shown)
                except ValueError:
                    raise _bad(f"attribute[{attribute.code}] 应为数字") from None
        parts.append(f"{attribute.label}：{shown}")
    return ADDITIONAL + "；".join(parts) if parts else ""


def _caller_name(first: str, last: str) -> str | None:
    if not first and not last:
        return None
    cjk = all("\u4e00" <= ch <= "\u9fff" for ch in first + last)
    # Chinese names put the family name first (张三 = last_name 张, first_name 三).
    name = (last + first) if cjk else " ".join(p for p in (first, last) if p)
    return name if len(name) <= 50 else None


def _location(platform: Platform, params: Mapping[str, str]) -> dict[str, Any]:
    """The order's longitude/latitude, address and grid from lat+long, address_string
    or address_id — at least one is required."""
    lat, lon = _param(params, "lat"), _param(params, "long")
    address = _param(params, "address_string")
    address_id = _param(params, "address_id")
    if not (lat or lon or address or address_id):
        raise _bad("请提供位置：lat 和 long、address_string 或 address_id 至少一项")
    fields: dict[str, Any] = {}
    if lat or lon:
        if not (lat and lon):
            raise _bad("lat 与 long 须同时提供")
        try:
            latitude, longitude = float(lat), float(lon)
        except ValueError:
            raise _bad("lat、long 应为数字（WGS84 经纬度）") from None
        if not (3 <= latitude <= 54 and 73 <= longitude <= 136):
            raise _bad("位置不在服务范围内（lat 3–54，long 73–136）")
        fields["latitude"], fields["longitude"] = latitude, longitude
    if len(address) > 200:
        raise _bad("address_string 不能超过200个字符")
    if address_id:
        unit = platform.directory().by_code.get(address_id)
        if unit is None or unit.kind not in ("grid", "community"):
            raise _bad(f"address_id {address_id} 不是本辖区的社区或网格代码")
        if unit.kind == "grid":
            fields["grid"] = unit.id
        if not address:
            street = platform.directory().street_of(unit)
            address = (street.name if street else "") + unit.name
    if address:
        fields["address"] = address
    return fields


def _post(platform: Platform, form: Mapping[str, list[str]]) -> list[dict[str, Any]]:
    params = {k: v[0] if v else "" for k, v in form.items()}
    _check_jurisdiction(platform, params)
    key = _param(params, "api_key")
    if not key:
        raise Open311Error(403, "缺少 api_key")
    code = _param(params, "service_code")
    if not code:
        raise _bad("缺少 service_code")
    if _category(code) is None:
        raise _bad(f"没有服务代码 {code}（见 services.json）")
    description = (params.get("description") or "").strip()
    if not description:
        raise _bad("缺少 description（诉求内容）")
    if len(description) > MAX_DESCRIPTION:
        raise _bad(f"description 不能超过{MAX_DESCRIPTION}个字符（现为{len(description)}个）")
    location = _location(platform, params)
    content = description
    extra = _attribute_text(code, form)
    if extra:
        content += "\n" + extra
    media_url = _param(params, "media_url")
    if media_url:
        if not re.match(r"^https?://\S+$", media_url) or len(media_url) > 500:
            raise _bad("media_url 应为 http(s) 地址（500字以内）")
        content += "\n" + MEDIA + media_url
    if len(content) > MAX_DESCRIPTION:
        raise _bad(f"description 连同附加信息不能超过{MAX_DESCRIPTION}个字符")
    fields: dict[str, Any] = {
        "channel": SOURCE,
        "request_kind": "report" if code in REPORT_CATEGORIES else "complaint",
        "category": code,
        "content": content,
        **location,
    }
    name = _caller_name(_param(params, "first_name"), _param(params, "last_name"))
    if name:
        fields["caller_name"] = name
    phone = _param(params, "phone").replace(" ", "").replace("-", "")
    if phone and phone_valid(phone):
        fields["caller_phone"] = phone
    token = uuid.uuid4().hex
    with platform.writing(), transaction(platform.sessions) as session:
        now = platform.now()
        actor = actor_for_key(session, platform, key, "open311", now)
        case = create_case(
            session,
            ActionContext(platform, actor, now),
            CASE_TYPE,
            fields,
            "register",
            external_source=SOURCE,
            external_id=token,
        )
        case_id = case.id
    return [
        {
            "service_request_id": str(case_id),
            "token": token,
            "service_notice": "诉求已受理，将在1个工作日内派至承办单位；可凭编号查询办理进展。",
            "account_id": None,
        }
    ]


@router.post("/requests.{fmt}")
async def post_request(request: Request, fmt: str) -> Response:
    async def produce() -> Any:
        platform = platform_of(request)
        try:
            data = await request.form()
        except Exception:  # a malformed body is the client's fault
            raise _bad("请求体应为 application/x-www-form-urlencoded 表单") from None
        form: dict[str, list[str]] = {}
        for key, value in list(request.query_params.multi_items()) + list(data.multi_items()):
            if isinstance(value, str):
                form.setdefault(key, []).append(value)
        return await run_in_threadpool(_post, platform, form)

    return await _answer(fmt, "service_requests", produce)


# ---------------------------------------------------------------------------------------------
# Reading requests


def _token(platform: Platform, token: str) -> list[dict[str, Any]]:
    with platform.sessions() as session:
        case_id = session.scalar(
            select(Case.id).where(
                Case.region_code == platform.region_code,
                Case.type == CASE_TYPE,
                Case.external_source == SOURCE,
                Case.external_id == token,
            )
        )
    if case_id is None:
        raise Open311Error(404, "没有该 token 对应的诉求")
    return [{"service_request_id": str(case_id), "token": token}]


@router.get("/tokens/{token}.{fmt}")
async def token(request: Request, token: str, fmt: str) -> Response:
    async def produce() -> Any:
        platform = platform_of(request)
        _check_jurisdiction(platform, request.query_params)
        return await run_in_threadpool(_token, platform, token)

    return await _answer(fmt, "service_requests", produce)


def present(platform: Platform, case: Case) -> dict[str, Any]:
    """A case as a GeoReport service request: public fields only, no personal data."""
    fields = case.fields or {}
    directory = platform.directory()
    category = _category(case.category or "")
    lead = directory.by_id.get(case.lead_unit_id) if case.lead_unit_id else None
    grid = directory.by_id.get(case.grid_id) if case.grid_id else None
    case_type = platform.types.get(CASE_TYPE)
    state = case_type.state(case.state) if case_type else None
    state_label = state.label if state else ""
    content = str(fields.get("content") or "")
    media = _MEDIA_LINE.search(content)
    notes = fields.get("reply") or fields.get("answer") or ""
    lat, lon = fields.get("latitude"), fields.get("longitude")
    return {
        "service_request_id": str(case.id),
        "status": "closed" if case.terminal else "open",
        "status_notes": str(notes),
        "service_name": category.name if category else "",
        "service_code": case.category or "",
        "description": content,
        "agency_responsible": lead.name if lead else "",
        "service_notice": f"当前状态：{state_label}" if state_label else "",
        "requested_datetime": _local(case.created_at),
        "updated_datetime": _local(case.updated_at),
        "expected_datetime": _local(case.due_at),
        "address": str(fields.get("address") or ""),
        "address_id": grid.code if grid else "",
        "zipcode": "",
        "lat": float(lat) if isinstance(lat, int | float) else None,
        "long": float(lon) if isinstance(lon, int | float) else None,
        "media_url": media.group(1) if media else "",
    }


def _ids(value: str) -> list[int]:
    ids = _comma_list(value)
    if not all(i.isdigit() and len(i) < 19 for i in ids):
        raise _bad("service_request_id 应为逗号分隔的数字编号")
    return [int(i) for i in ids]


def _query(platform: Platform, params: Mapping[str, str]) -> list[dict[str, Any]]:
    statement = select(Case).where(Case.region_code == platform.region_code, Case.type == CASE_TYPE)
    page = _int_param(params, "page", 1, 1_000_000)
    page_size = _int_param(params, "page_size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    ids_text = _param(params, "service_request_id")
    if ids_text:
        # The spec: service_request_id overrides every other filter.
        statement = statement.where(Case.id.in_(_ids(ids_text)))
    else:
        codes = _comma_list(_param(params, "service_code"))
        for code in codes:
            if _category(code) is None:
                raise _bad(f"没有服务代码 {code}")
        if codes:
            statement = statement.where(Case.category.in_(codes))
        statuses = set(_comma_list(_param(params, "status")))
        if statuses - {"open", "closed"}:
            raise _bad("status 只能是 open、closed（可逗号分隔）")
        if statuses == {"open"}:
            statement = statement.where(Case.terminal.is_(False))
        elif statuses == {"closed"}:
            statement = statement.where(Case.terminal.is_(True))
        start_text, end_text = _param(params, "start_date"), _param(params, "end_date")
        start = _moment("start_date", start_text) if start_text else None
        end = _moment("end_date", end_text, end_of_day=True) if end_text else None
        if start is None and end is None:
            end = platform.now()
            start = end - WINDOW
        elif start is None:
            assert end is not None
            start = end - WINDOW
        elif end is None:
            end = start + WINDOW
        if end < start:
            raise _bad("end_date 早于 start_date")
        if end - start > WINDOW + timedelta(days=1):
            raise _bad("start_date 与 end_date 相隔不能超过90天")
        statement = statement.where(Case.created_at >= start, Case.created_at <= end)
    statement = (
        statement.order_by(Case.created_at.desc(), Case.id.desc())
        .offset((page - 1) * page_size)
        .limit(page_size)
    )
    with platform.sessions() as session:
        cases = session.scalars(statement).all()
        return [present(platform, c) for c in cases]


@router.get("/requests.{fmt}")
async def requests(request: Request, fmt: str) -> Response:
    async def produce() -> Any:
        platform = platform_of(request)
        _check_jurisdiction(platform, request.query_params)
        return await run_in_threadpool(_query, platform, request.query_params)

    return await _answer(fmt, "service_requests", produce)


def _one(platform: Platform, request_id: str) -> list[dict[str, Any]]:
    if not request_id.isdigit() or len(request_id) >= 19:
        raise Open311Error(404, f"没有诉求 {request_id}")
    with platform.sessions() as session:
        case = _visible(session, platform, int(request_id))
        return [present(platform, case)]


def _visible(session: Session, platform: Platform, case_id: int) -> Case:
    case = session.scalar(
        select(Case).where(
            Case.id == case_id, Case.region_code == platform.region_code, Case.type == CASE_TYPE
        )
    )
    if case is None:
        raise Open311Error(404, f"没有诉求 {case_id}")
    return case


@router.get("/requests/{request_id}.{fmt}")
async def one_request(request: Request, request_id: str, fmt: str) -> Response:
    async def produce() -> Any:
        platform = platform_of(request)
        _check_jurisdiction(platform, request.query_params)
        return await run_in_threadpool(_one, platform, request_id)

    return await _answer(fmt, "service_requests", produce)


@router.api_route("/{rest:path}", methods=["GET", "POST"], include_in_schema=False)
async def unknown(rest: str) -> Response:
    fmt = rest.rsplit(".", 1)[-1] if "." in rest else "json"
    return _error(fmt, 404, f"没有资源 /open311/v2/{rest}")


__all__ = ["ATTRIBUTES", "present", "render_xml", "router"]
