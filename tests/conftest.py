from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from fawang.core.models import User
from fawang.core.services import load_regions
from fawang.core.sms import MemorySmsBackend

CHAOYANG, HAIDIAN, BEIJING = "110105000000", "110108000000", "110000000000"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under pytest-xdist, every browser test runs on one worker, which starts one demo server."""
    for item in items:
        if item.get_closest_marker("e2e"):
            item.add_marker(pytest.mark.xdist_group("e2e"))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """Every test starts from a database holding the real regions of Beijing and Shijiazhuang."""
    with django_db_blocker.unblock():
        load_regions()


@pytest.fixture(autouse=True)
def _empty_sms_outbox_and_cache() -> None:
    MemorySmsBackend.outbox.clear()
    cache.clear()


@pytest.fixture
def login_as(client: Client) -> Callable[[User], Client]:
    """Log a user in as if they had passed password and (for staff) TOTP."""

    def _login(user: User) -> Client:
        client.force_login(user)
        if user.is_staff_member:
            device = TOTPDevice.objects.filter(user=user).first()
            if device is not None:
                session = client.session
                session[DEVICE_ID_SESSION_KEY] = device.persistent_id
                session.save()
        return client

    return _login
