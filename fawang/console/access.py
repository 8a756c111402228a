"""The staff console's gate: a staff account, verified with TOTP, in one of the allowed roles."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse


def staff_view(*roles: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user: Any = request.user
            if not (user.is_authenticated and user.is_staff_member and user.is_verified()):
                return redirect_to_login(request.get_full_path(), "console:login")
            if roles and user.role not in roles:
                raise PermissionDenied("您的角色无权访问此页面。")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
