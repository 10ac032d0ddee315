"""Open311 discovery and services: the hotline's categories as services, grouped, each with
the attributes it asks for."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from fazhi.catalog.categories import Category, load_categories
from fazhi.hotline.api.open311.wire import (
    CHANGESET,
    SPECIFICATION,
    answer,
    check_jurisdiction,
    known_service,
)
from fazhi.http.deps import platform_of

router = APIRouter()

GROUPS = {
    "城市管理": ("CITY_APPEARANCE", "ILLEGAL_BUILDING", "SANITATION", "MUNICIPAL", "TRAFFIC"),
    "生态与安全": ("ENVIRONMENT", "SAFETY", "PUBLIC_ORDER", "FOOD_DRUG"),
    "住房与公用事业": ("PROPERTY_MGMT", "HOUSING", "LAND_REGISTRY", "UTILITIES", "TELECOM"),
    "民生保障": ("WAGES", "SOCIAL_SECURITY", "EDUCATION", "HEALTH", "CIVIL_AFFAIRS"),
    "政务与法律": ("GOV_SERVICE", "DISPUTE", "LEGAL_AID", "CONSUMER", "AGRICULTURE"),
}
GROUP_OF = {code: group for group, codes in GROUPS.items() for code in codes}


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


@router.get("/discovery.{fmt}")
async def discovery(request: Request, fmt: str) -> Response:
    async def produce() -> Any:
        platform = platform_of(request)
        check_jurisdiction(platform, request.query_params, required=False)
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

    return await answer(fmt, "discovery", produce)


def _service(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.covers,
        "metadata": category.code in ATTRIBUTES,
        "type": "realtime",
        "keywords": ",".join(k.strip() for k in category.covers.split("、") if k.strip()),
        "group": GROUP_OF.get(category.code, "其他"),
    }


@router.get("/services.{fmt}")
async def services(request: Request, fmt: str) -> Response:
    async def produce() -> Any:
        check_jurisdiction(platform_of(request), request.query_params)
        return [_service(c) for c in load_categories()]

    return await answer(fmt, "services", produce)


@router.get("/services/{service_code}.{fmt}")
async def service_definition(request: Request, service_code: str, fmt: str) -> Response:
    async def produce() -> Any:
        check_jurisdiction(platform_of(request), request.query_params)
        known_service(service_code)
        return {
            "service_code": service_code,
            "attributes": [
                a.as_spec(i) for i, a in enumerate(ATTRIBUTES.get(service_code, ()), start=1)
            ],
        }

    return await answer(fmt, "service_definition", produce)


# ---------------------------------------------------------------------------------------------
# Posting a request
