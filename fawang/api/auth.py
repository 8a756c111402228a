"""API authentication: bearer tokens for integrations, the session for the portal's own pages."""

from __future__ import annotations

import copy
import hashlib
from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from fawang.core.generations import API_ACCOUNTS, GenerationalMap
from fawang.core.models import ApiToken


def _active_token(digest: str) -> ApiToken | None:
    return (
        ApiToken.objects.select_related("user", "user__region")
        .filter(token_hash=digest, revoked_at__isnull=True, user__is_active=True)
        .first()
    )


# Every integration call authenticates, and tokens and accounts change rarely: a process keeps
# what it found until an account, token or region is saved anywhere (core.generations).
_tokens: GenerationalMap[str, ApiToken] = GenerationalMap(API_ACCOUNTS, _active_token)


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_token = _tokens.get(hashlib.sha256(token.encode()).hexdigest())
        if api_token is None:
            return None
        now = timezone.now()
        # "Last used" to the minute is enough, and spares every API call a write.
        if api_token.last_used_at is None or now - api_token.last_used_at > timedelta(minutes=1):
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
            api_token.last_used_at = now
        # A copy: the kept account must not collect one request's state for the next.
        user = copy.copy(api_token.user)
        request.user = user
        return user


class StaffOrCitizenSession(SessionAuth):
    """The session, but a staff session only counts once it passed TOTP.

    A request with an Authorization header is judged by its token alone, and one without a
    session cookie has no session to check: both skip the CSRF check, so a wrong or missing
    token is a 401, not "CSRF check failed"."""

    def _get_key(self, request: HttpRequest) -> str | None:
        if "Authorization" in request.headers or self.param_name not in request.COOKIES:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is None:
            return None
        if user.is_staff_member and not user.is_verified():
            return None
        return user


AUTH = [TokenAuth(), StaffOrCitizenSession()]
