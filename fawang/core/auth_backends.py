from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from fawang.core.models import Role, User
from fawang.core.personal_data import PHONE, lookup_hash


class CitizenPhoneBackend(ModelBackend):
    """Citizens log in with their mobile number and password (looked up by its keyed hash)."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not username or not password or not username.strip().lstrip("+").isdigit():
            return None
        user = User.objects.filter(
            role=Role.CITIZEN, phone_hash=lookup_hash(PHONE, username)
        ).first()
        if user is not None and user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def lockout_key(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str | None:
    """The name django-axes counts failures under: a phone number only as its keyed hash, so the
    lockout table never holds a clear phone number."""
    username = (credentials or {}).get("username")
    if username is None and request is not None:
        username = request.POST.get("username") or request.POST.get("phone")
    if username and username.strip().lstrip("+").replace(" ", "").isdigit():
        return "phone:" + lookup_hash(PHONE, username)[:40]
    return username


def lockout_keys_for(user: User) -> list[str]:
    keys = [user.get_username()]
    if user.phone:
        # The look-up hash is lookup_hash(PHONE, phone): no need to read the number.
        keys.append("phone:" + (user.phone_hash or user.phone.digest)[:40])
    return keys
