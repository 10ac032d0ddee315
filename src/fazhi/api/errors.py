"""Every API error is JSON {code, message[, field, problems]} with a Chinese message."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from fazhi.domain.calendar import CalendarYearUnknown
from fazhi.domain.errors import DomainError
from fazhi.http.error_shapes import error_response

log = logging.getLogger("fazhi.api")

_HTTP_MESSAGES = {
    400: ("bad_request", "请求格式不正确"),
    401: ("unauthenticated", "请先登录"),
    403: ("forbidden", "无权执行此操作"),
    404: ("not_found", "请求的资源不存在"),
    405: ("method_not_allowed", "不支持该请求方法"),
    409: ("conflict", "请求与当前状态冲突"),
    413: ("too_large", "上传内容过大"),
    415: ("unsupported_media_type", "不支持的内容类型"),
}

_PYDANTIC_MESSAGES = {
    "missing": "缺少必填项",
    "json_invalid": "JSON 格式错误",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "string_type": "应为文本",
    "dict_type": "应为对象",
    "model_attributes_type": "应为对象",
    "bool_parsing": "应为是或否",
    "date_from_datetime_parsing": "应为日期（如 2023-09-28）",
    "date_parsing": "应为日期（如 2023-09-28）",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "string_too_long": "文本过长",
    "string_too_short": "文本过短",
    "list_type": "应为列表",
    "datetime_parsing": "应为时间（如 2023-09-28T09:00:00+08:00）",
    "datetime_from_date_parsing": "应为时间（如 2023-09-28T09:00:00+08:00）",
    "float_parsing": "应为数字",
    "enum": "取值不在允许范围内",
    "literal_error": "取值不在允许范围内",
}


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def error_body(
    code: str, message: str, field: str | None = None, problems: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": message}
    if field:
        body["field"] = field
    if problems:
        body["problems"] = problems
    return body


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError) -> Response:
        problems = (
            [{"code": p.code, "message": p.message, "field": p.field} for p in exc.problems]
            if len(exc.problems) > 1
            else None
        )
        body = error_body(exc.code, exc.message, exc.field, problems)
        # A throttled sign-in says when to try again (actions.login_guard).
        retry = getattr(exc, "retry_after", None)
        headers = {"Retry-After": str(retry)} if retry else None
        return error_response(request, exc.status, body, headers)

    @app.exception_handler(CalendarYearUnknown)
    async def calendar_error(request: Request, exc: CalendarYearUnknown) -> Response:
        return error_response(request, 422, error_body(exc.code, str(exc)))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        problems = []
        for err in exc.errors():
            loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path")]
            where = ".".join(loc)
            text = _PYDANTIC_MESSAGES.get(err.get("type", ""), "取值不正确")
            if err.get("type") == "value_error" and has_chinese(
                str(err.get("ctx", {}).get("error"))
            ):
                text = str(err["ctx"]["error"])  # our own validators' Chinese messages
            problems.append(
                {
                    "code": "invalid_value",
                    "field": where or None,
                    "message": f"{where}：{text}" if where else text,
                }
            )
        code = (
            "invalid_json"
            if any(e.get("type") == "json_invalid" for e in exc.errors())
            else "invalid_request"
        )
        message = "；".join(p["message"] for p in problems) or "请求参数不正确"
        first = problems[0]["field"] if problems else None
        return error_response(request, 422, error_body(code, message, first, problems))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code, message = _HTTP_MESSAGES.get(exc.status_code, ("http_error", "请求失败"))
        if isinstance(exc.detail, dict):
            code, message = exc.detail.get("code", code), exc.detail.get("message", message)
        headers = getattr(exc, "headers", None)
        return error_response(request, exc.status_code, error_body(code, message), headers)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error", exc_info=exc)
        body = error_body("internal_error", "服务器内部错误，请联系管理员")
        return error_response(request, 500, body)
