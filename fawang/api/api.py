"""The `/api/v1/` assembly: one NinjaAPI, every registered app's router, errors mapped to Chinese
4xx by their class (never by their text)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from fawang.api.auth import AUTH
from fawang.api.middleware import STATUS_BODIES
from fawang.core.errors import DomainError
from fawang.core.registry import api_routers
from fawang.core.selectors import NOT_FOUND_MESSAGE

api = NinjaAPI(
    title="法网 fawang API",
    version="1.0.0",
    description=(
        "公共法律服务平台接口。集成方使用 `Authorization: Bearer <token>`；"
        "错误统一返回 `{code, message, field}`，message 为中文说明。"
    ),
    auth=AUTH,
    urls_namespace="api",
)
for router in api_routers():
    api.add_router("/", router)


def error_body(code: str, message: str, field: str | None = None, **extra: Any) -> dict[str, Any]:
    return {"code": code, "message": message, "field": field, **extra}


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(
        request, error_body(exc.code, exc.message, exc.field), status=exc.status
    )


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    """A 404 raised by Django or ninja themselves (our own is a ``NotFound``, a DomainError)."""
    return api.create_response(request, error_body("not_found", NOT_FOUND_MESSAGE), status=404)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, error_body("unauthenticated", "请先登录，或提供有效的访问令牌。"), status=401
    )


@api.exception_handler(HttpError)
def refused_by_ninja(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """ninja's own refusals (the CSRF check of a session request, above all), in our shape."""
    if exc.status_code == 403:
        code, message = "csrf_failed", "安全校验未通过，请刷新页面后重试。"
    else:
        code, message = STATUS_BODIES.get(exc.status_code, ("error", "请求失败。"))
    return api.create_response(request, error_body(code, message), status=exc.status_code)


_PYDANTIC_MESSAGES = {
    "missing": "必填",
    "string_too_long": "内容过长",
    "string_type": "应为文本",
    "int_parsing": "应为整数",
    "literal_error": "取值不在允许范围内",
    "less_than_equal": "数值过大",
    "less_than": "数值过大",
    "greater_than_equal": "数值过小",
    "greater_than": "数值过小",
    "json_invalid": "JSON 格式错误",
}


@api.exception_handler(NinjaValidationError)
def invalid_payload(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    details: list[dict[str, str | None]] = []
    for error in exc.errors:
        field = ".".join(str(part) for part in error.get("loc", [])[1:]) or None
        reason = _PYDANTIC_MESSAGES.get(error.get("type", ""), "格式不正确")
        details.append({"field": field, "message": f"{field or '请求'}：{reason}"})
    first = details[0] if details else {"field": None, "message": "请求格式不正确"}
    return api.create_response(
        request,
        error_body(
            "invalid_input", f"输入有误：{first['message']}", first["field"], errors=details
        ),
        status=422,
    )


@api.exception_handler(DjangoValidationError)
def invalid_model(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    return api.create_response(
        request, error_body("invalid_input", "；".join(exc.messages)), status=400
    )
