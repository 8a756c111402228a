"""Every answer under ``/api/`` is JSON ``{code, message, field}`` (docs/api.md), whatever refused
the request: Django's own 400/403/404/413/500 pages, a body too large or not JSON, or a database
that cannot take the request now (503). Pages get the same 503 as a Chinese page.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.signals import got_request_exception
from django.db.utils import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader

logger = logging.getLogger("fawang.unavailable")

API_PREFIX = "/api/"
RETRY_AFTER_SECONDS = "5"
UNAVAILABLE_MESSAGE = "系统繁忙，暂时无法处理，请稍后重试；本次请求没有保存任何内容。"
# The body types the API reads: JSON, and forms for the endpoints that take an upload.
ACCEPTED_BODY_TYPES = (
    "application/json",
    "multipart/form-data",
    "application/x-www-form-urlencoded",
)
BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

STATUS_BODIES: dict[int, tuple[str, str]] = {
    400: ("bad_request", "请求格式不正确。"),
    401: ("unauthenticated", "请先登录，或提供有效的访问令牌。"),
    403: ("forbidden", "无权进行此操作。"),
    404: ("not_found", "未找到该记录，或您无权查看。"),
    405: ("method_not_allowed", "不支持该请求方法。"),
    413: ("payload_too_large", "请求内容过大。"),
    415: ("unsupported_media_type", "请求内容须为 JSON（Content-Type: application/json）。"),
    429: ("too_many_requests", "请求过于频繁，请稍后再试。"),
    500: ("server_error", "系统内部错误，已记录，请稍后重试。"),
    503: ("unavailable", UNAVAILABLE_MESSAGE),
}

_DATABASE_UNAVAILABLE = "_fawang_database_unavailable"


@receiver(got_request_exception)
def _note_database_unavailable(
    sender: Any, request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """Django turned an exception into a 500; remember when it was the database saying no."""
    error = sys.exc_info()[1]
    if request is not None and isinstance(error, OperationalError | InterfaceError):
        setattr(request, _DATABASE_UNAVAILABLE, True)
        logger.warning("database unavailable for %s %s: %s", request.method, request.path, error)


def api_error(status: int, code: str | None = None, message: str | None = None) -> JsonResponse:
    default_code, default_message = STATUS_BODIES.get(status, ("error", "请求失败。"))
    response = JsonResponse(
        {"code": code or default_code, "message": message or default_message, "field": None},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )
    if status == 503:
        response["Retry-After"] = RETRY_AFTER_SECONDS
    return response


class UniformErrorMiddleware:
    """Outermost: refuses API bodies it cannot read, and rewrites non-JSON API errors."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        is_api = request.path.startswith(API_PREFIX)
        if is_api:
            refused = _refuse_unreadable_body(request) or _refuse_nul_in_query(request)
            if refused is not None:
                return refused
        response = self.get_response(request)
        if getattr(request, _DATABASE_UNAVAILABLE, False) and response.status_code >= 500:
            return api_error(503) if is_api else _unavailable_page()
        if is_api and response.status_code >= 400 and not _is_json(response):
            return api_error(response.status_code)
        return response


def _refuse_unreadable_body(request: HttpRequest) -> JsonResponse | None:
    if request.method not in BODY_METHODS:
        return None
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return api_error(400)
    if length <= 0:
        return None
    content_type = request.content_type or ""
    if content_type not in ACCEPTED_BODY_TYPES:
        return api_error(415)
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if content_type != "multipart/form-data" and limit is not None and length > limit:
        return api_error(413, message=f"请求内容过大（上限 {limit // 1024} KB）。")
    if content_type == "multipart/form-data" and length > settings.API_UPLOAD_MAX_BYTES:
        return api_error(
            413, message=f"上传内容过大（上限 {settings.API_UPLOAD_MAX_BYTES // 1048576} MB）。"
        )
    return None


def _refuse_nul_in_query(request: HttpRequest) -> JsonResponse | None:
    """PostgreSQL text cannot hold NUL: a query parameter with one would reach a filter and fail
    as a server error, so it is refused here, whatever the endpoint."""
    if any("\x00" in value for _, values in request.GET.lists() for value in values):
        return api_error(400, message="请求参数含有无效字符，请检查后重试。")
    return None


def _is_json(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


def _unavailable_page() -> HttpResponse:
    body = loader.get_template("503.html").render({"message": UNAVAILABLE_MESSAGE})
    response = HttpResponse(body, status=503)
    response["Retry-After"] = RETRY_AFTER_SECONDS
    return response
