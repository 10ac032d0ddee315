"""Open311 service requests: posting one (an `open311` api key; the order is created through
the one door by the key's system account), its token, and reading requests (public, never a
caller's personal data)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from fazhi.actions.api_keys import actor_for_key
from fazhi.actions.cases import ActionContext, create_case
from fazhi.actions.platform import Platform
from fazhi.domain.identity import phone_valid
from fazhi.hotline.api.open311.services import ATTRIBUTES
from fazhi.hotline.api.open311.wire import (
    ADDITIONAL,
    ATTRIBUTE_PARAM,
    CASE_TYPE,
    DEFAULT_PAGE_SIZE,
    MAX_DESCRIPTION,
    MAX_PAGE_SIZE,
    MEDIA,
    MEDIA_LINE,
    REPORT_CATEGORIES,
    SOURCE,
    WINDOW,
    Open311Error,
    answer,
    ascii_digits,
    bad,
    category_of,
    check_jurisdiction,
    comma_list,
    int_param,
    known_service,
    local,
    moment,
    param,
)
from fazhi.http.deps import platform_of
from fazhi.store.db import transaction
from fazhi.store.models import Case

router = APIRouter()


def _attribute_text(code: str, form: Mapping[str, list[str]]) -> str:
    """The `【附加信息】…` line for the posted attributes, or '' (400 on a bad value)."""
    given: dict[str, list[str]] = {}
    for key, values in form.items():
        match = ATTRIBUTE_PARAM.match(key)
        if match:
            given.setdefault(match.group(1), []).extend(v.strip() for v in values if v.strip())
    known = {a.code: a for a in ATTRIBUTES.get(code, ())}
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise bad(f"服务 {code} 没有附加项 attribute[{unknown[0]}]")
    parts: list[str] = []
    for attribute in ATTRIBUTES.get(code, ()):
        values = given.get(attribute.code, [])
        if not values:
            if attribute.required:
                raise bad(f"缺少附加项 attribute[{attribute.code}]（{attribute.label}）")
            continue
        names = dict(attribute.values)
        if attribute.datatype == "singlevaluelist":
            if len(values) != 1 or values[0] not in names:
                raise bad(
                    f"attribute[{attribute.code}] 只能是："
                    + "、".join(k for k, _ in attribute.values)
                )
            shown = names[values[0]]
        elif attribute.datatype == "multivaluelist":
            if any(v not in names for v in values):
                raise bad(f"attribute[{attribute.code}] 含有不在列表中的值")
            shown = "、".join(names[v] for v in values)
        else:
            shown = values[0]
            if len(values) != 1 or len(shown) > attribute.max_length:
                raise bad(f"attribute[{attribute.code}] 应为一个不超过{attribute.max_length}字的值")
            if attribute.datatype == "number":
                try:
                    float(shown)
                except ValueError:
                    raise bad(f"attribute[{attribute.code}] 应为数字") from None
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
    lat, lon = param(params, "lat"), param(params, "long")
    address = param(params, "address_string")
    address_id = param(params, "address_id")
    if not (lat or lon or address or address_id):
        raise bad("请提供位置：lat 和 long、address_string 或 address_id 至少一项")
    fields: dict[str, Any] = {}
    if lat or lon:
        if not (lat and lon):
            raise bad("lat 与 long 须同时提供")
        try:
            latitude, longitude = float(lat), float(lon)
        except ValueError:
            raise bad("lat、long 应为数字（WGS84 经纬度）") from None
        if not (3 <= latitude <= 54 and 73 <= longitude <= 136):
            raise bad("位置不在服务范围内（lat 3–54，long 73–136）")
        fields["latitude"], fields["longitude"] = latitude, longitude
    if len(address) > 200:
        raise bad("address_string 不能超过200个字符")
    if address_id:
        unit = platform.directory().by_code.get(address_id)
        if unit is None or unit.kind not in ("grid", "community"):
            raise bad(f"address_id {address_id} 不是本辖区的社区或网格代码")
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
    check_jurisdiction(platform, params)
    key = param(params, "api_key")
    if not key:
        raise Open311Error(403, "缺少 api_key")
    code = param(params, "service_code")
    if not code:
        raise bad("缺少 service_code")
    known_service(code)
    description = (params.get("description") or "").strip()
    if len(description) > MAX_DESCRIPTION:
        raise bad(f"description 不能超过{MAX_DESCRIPTION}个字符（现为{len(description)}个）")
    location = _location(platform, params)
    extra = _attribute_text(code, form)
    media_url = param(params, "media_url")
    if media_url and (not re.match(r"^https?://\S+$", media_url) or len(media_url) > 500):
        raise bad("media_url 应为 http(s) 地址（500字以内）")
    # The spec makes description optional; the order still needs something to act on.
    if not (description or extra or media_url):
        raise bad("缺少 description（诉求内容）：未提供附加项或 media_url 时必须填写")
    # The attribute and media lines follow the citizen's text, for the staff who handle it;
    # `present` gives the citizen's own description back.
    content = "\n".join(
        part for part in (description, extra, MEDIA + media_url if media_url else "") if part
    )
    if len(content) > MAX_DESCRIPTION:
        raise bad(f"description 连同附加信息不能超过{MAX_DESCRIPTION}个字符")
    fields: dict[str, Any] = {
        "channel": SOURCE,
        "request_kind": "report" if code in REPORT_CATEGORIES else "complaint",
        "category": code,
        "content": content,
        **location,
    }
    name = _caller_name(param(params, "first_name"), param(params, "last_name"))
    if name:
        fields["caller_name"] = name
    phone = param(params, "phone").replace(" ", "").replace("-", "")
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
            # The spec: service_request_id or token. The order exists at once, so its id; the
            # token stays the idempotency key (external_id) and answers on tokens/{token}.
            "service_request_id": str(case_id),
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
        except HTTPException:  # e.g. 413 from the body-size limit
            raise
        except Exception:  # a malformed body is the client's fault
            raise bad("请求体应为 application/x-www-form-urlencoded 表单") from None
        form: dict[str, list[str]] = {}
        for key, value in list(request.query_params.multi_items()) + list(data.multi_items()):
            if isinstance(value, str):
                form.setdefault(key, []).append(value)
        return await run_in_threadpool(_post, platform, form)

    return await answer(fmt, "service_requests", produce)


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
        check_jurisdiction(platform, request.query_params)
        return await run_in_threadpool(_token, platform, token)

    return await answer(fmt, "service_requests", produce)


def present(platform: Platform, case: Case) -> dict[str, Any]:
    """A case as a GeoReport service request: public fields only, no personal data."""
    fields = case.fields or {}
    directory = platform.directory()
    category = category_of(case.category or "")
    lead = directory.by_id.get(case.lead_unit_id) if case.lead_unit_id else None
    grid = directory.by_id.get(case.grid_id) if case.grid_id else None
    case_type = platform.types.get(CASE_TYPE)
    state = case_type.state(case.state) if case_type else None
    state_label = state.label if state else ""
    content = str(fields.get("content") or "")
    media = MEDIA_LINE.search(content)
    description = citizens_text(content)
    notes = fields.get("reply") or fields.get("answer") or ""
    lat, lon = fields.get("latitude"), fields.get("longitude")
    return {
        "service_request_id": str(case.id),
        "status": "closed" if case.terminal else "open",
        "status_notes": str(notes),
        "service_name": category.name if category else "",
        "service_code": case.category or "",
        "description": description,
        "agency_responsible": lead.name if lead else "",
        "service_notice": f"当前状态：{state_label}" if state_label else "",
        "requested_datetime": local(case.created_at),
        "updated_datetime": local(case.updated_at),
        "expected_datetime": local(case.due_at),
        "address": str(fields.get("address") or ""),
        "address_id": grid.code if grid else "",
        "zipcode": "",
        "lat": float(lat) if isinstance(lat, int | float) else None,
        "long": float(lon) if isinstance(lon, int | float) else None,
        "media_url": media.group(1) if media else None,
    }


def citizens_text(content: str) -> str:
    """The order's content without the attribute and media lines `_post` appended."""
    lines = content.split("\n")
    while lines and (lines[-1].startswith(ADDITIONAL) or MEDIA_LINE.fullmatch(lines[-1])):
        lines.pop()
    return "\n".join(lines)


def _ids(value: str) -> list[int]:
    ids = comma_list(value)
    if not all(ascii_digits(i) and len(i) < 19 for i in ids):
        raise bad("service_request_id 应为逗号分隔的数字编号")
    return [int(i) for i in ids]


def _query(platform: Platform, params: Mapping[str, str]) -> list[dict[str, Any]]:
    statement = select(Case).where(Case.region_code == platform.region_code, Case.type == CASE_TYPE)
    page = int_param(params, "page", 1, 1_000_000)
    page_size = int_param(params, "page_size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    ids_text = param(params, "service_request_id")
    if ids_text:
        # The spec: service_request_id overrides every other filter.
        statement = statement.where(Case.id.in_(_ids(ids_text)))
    else:
        codes = comma_list(param(params, "service_code"))
        for code in codes:
            known_service(code)
        if codes:
            statement = statement.where(Case.category.in_(codes))
        statuses = set(comma_list(param(params, "status")))
        if statuses - {"open", "closed"}:
            raise bad("status 只能是 open、closed（可逗号分隔）")
        if statuses == {"open"}:
            statement = statement.where(Case.terminal.is_(False))
        elif statuses == {"closed"}:
            statement = statement.where(Case.terminal.is_(True))
        start_text, end_text = param(params, "start_date"), param(params, "end_date")
        start = moment("start_date", start_text) if start_text else None
        end = moment("end_date", end_text, end_of_day=True) if end_text else None
        if start is None and end is None:
            end = platform.now()
            start = end - WINDOW
        elif start is None:
            assert end is not None
            start = end - WINDOW
        elif end is None:
            end = start + WINDOW
        if end < start:
            raise bad("end_date 早于 start_date")
        if end - start > WINDOW:
            raise bad("start_date 与 end_date 相隔不能超过90天")
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
        check_jurisdiction(platform, request.query_params)
        return await run_in_threadpool(_query, platform, request.query_params)

    return await answer(fmt, "service_requests", produce)


def _one(platform: Platform, request_id: str) -> list[dict[str, Any]]:
    if not ascii_digits(request_id) or len(request_id) >= 19:
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
        check_jurisdiction(platform, request.query_params)
        return await run_in_threadpool(_one, platform, request_id)

    return await answer(fmt, "service_requests", produce)
