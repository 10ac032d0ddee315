"""The console's error page: a refusal the exception handlers answer (a malformed address
such as /cases/abc, an unknown page, a method not allowed) shown to a browser as a Chinese
HTML page instead of the API's JSON (fazhi.http.error_shapes.page_shape_for)."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from fazhi.web.console import render

# What a person should read for each status; the API's own message is kept where it is
# already meant for people (a refusal of a form, say).
_TITLES = {
    400: "请求格式不正确",
    403: "无权访问此页面",
    404: "页面不存在",
    405: "不支持该请求方法",
    413: "提交的内容过大",
    422: "页面地址不正确",
}


def error_page(request: Request, status: int, code: str, message: str) -> Response:
    title = _TITLES.get(status, "请求失败")
    # Validation of a path or query parameter names the parameter (case_id：应为整数):
    # say what it means for the person who typed or followed the address.
    if code == "invalid_request":
        message = "地址中的编号或参数格式不正确，请检查后重试。"
    response = render(
        request,
        "error.html",
        {"title": title, "message": message, "status": status},
        status_code=status,
    )
    return response
