from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from fawang.core.errors import DomainError, NotFound, PermissionDenied
from fawang.core.generations import tokens_read_once

ELDER_COOKIE = "fawang_elder"
LOGIN_AT_KEY = "fawang_login_at"


class GenerationTokensMiddleware:
    """Reads the reference data's generation tokens once per request (fawang.core.generations)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with tokens_read_once():
            return self.get_response(request)


class SessionTimeoutMiddleware:
    """Ends a session a fixed time after login, however active it is (the idle timeout is the
    session cookie's age, renewed on every request)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            login_at = request.session.get(LOGIN_AT_KEY)
            if login_at is None:
                request.session[LOGIN_AT_KEY] = time.time()
            elif time.time() - login_at > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
        return self.get_response(request)


class ElderModeMiddleware:
    """Elder mode (适老模式) follows the account when logged in, else a long-lived cookie."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            request.elder_mode = bool(getattr(user, "elder_mode", False))  # type: ignore[attr-defined]
        else:
            request.elder_mode = request.COOKIES.get(ELDER_COOKIE) == "1"  # type: ignore[attr-defined]
        return self.get_response(request)


class ChosenLanguageMiddleware:
    """Simplified Chinese unless the person chose another language (the language cookie).

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: a borrowed or
    English-set phone at a service window must still open in Chinese.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.allowed = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.allowed else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class DomainErrorMiddleware:
    """A refusal a page did not handle itself becomes the error page with its status.

    ``NotFound`` and ``PermissionDenied`` are Django's own 404/403 and reach its handlers; the
    rest (invalid input, conflicts) are shown here by their class's status, never by their text.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DomainError) or isinstance(
            exception, NotFound | PermissionDenied
        ):
            return None
        return render(request, "domain_error.html", {"error": exception}, status=exception.status)


# No inline script anywhere (page scripts are static files; data goes in json_script blocks).
# Styles allow 'unsafe-inline': ECharts' SVG and htmx's indicator set style attributes.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)


class ContentSecurityPolicyMiddleware:
    """Sends the Content-Security-Policy on every response (a view may set its own)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response
