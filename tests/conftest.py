from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from fawang.audit.services import seal_pending
from fawang.core.models import User
from fawang.core.services import load_regions
from fawang.core.sms import MemorySmsBackend

# The anchor file as the session's database set-up left it (conftest restores it per test).
_SETUP_ANCHORS: list[str] = []

CHAOYANG, HAIDIAN, BEIJING = "110105000000", "110108000000", "110000000000"


# Tests that share a worker under ``--dist loadgroup`` (the Makefile's): the browser tests, so
# that one worker starts one demo server, and the fault tests, which start servers of their own.
SHARED_WORKER_DIRECTORIES = {"tests/e2e/": "e2e", "tests/faults/": "faults"}


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """xdist's own loadgroup reads ``xdist_group`` marks into the test ids, which pytest 9 no
    longer lets it do (the suffix is silently lost and every test becomes its own group: two
    demo servers, fault tests side by side). This scheduler groups by directory instead."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    # In collection order, where the browser tests come first (below): their worker builds the
    # demo world while the other runs the rest, instead of alone at the end.
    config.option.loadscopereorder = False

    class DirectoryGroups(LoadScopeScheduling):  # type: ignore[misc]
        def _split_scope(self, nodeid: str) -> str:
            for directory, group in SHARED_WORKER_DIRECTORIES.items():
                if nodeid.startswith(directory):
                    return group
            return nodeid

    return DirectoryGroups(config, log)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The browser tests first (after pytest-django's own ordering, which put them last): the
    demo world they need takes minutes to build, and built last it was a tail of several minutes
    in which the other worker had nothing left to do."""
    items.sort(key=lambda item: not item.nodeid.startswith("tests/e2e/"))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """Every test starts from a database holding the real regions of Beijing and Shijiazhuang."""
    with django_db_blocker.unblock():
        load_regions()
        seal_pending()  # the set-up's own events, sealed as the sealer would have by now
    anchors = Path(settings.AUDIT_ANCHOR_FILE)
    _SETUP_ANCHORS.append(anchors.read_text(encoding="utf-8") if anchors.exists() else "")


@pytest.fixture(autouse=True)
def _empty_sms_outbox_and_cache() -> None:
    MemorySmsBackend.outbox.clear()
    cache.clear()
    # Each test's database starts as the set-up left it: so does the anchor file outside it.
    anchors = Path(settings.AUDIT_ANCHOR_FILE)
    anchors.unlink(missing_ok=True)
    if _SETUP_ANCHORS and _SETUP_ANCHORS[-1]:
        anchors.write_text(_SETUP_ANCHORS[-1], encoding="utf-8")


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts and ends in the default language (Chinese): a page requested in English
    leaves English active in the thread, and the services' messages follow the active language."""
    translation.deactivate()
    yield
    translation.deactivate()


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


@pytest.fixture(autouse=True, scope="session")
def _only_declared_vocabulary() -> Any:
    """Every audit event type written and every error code raised, in any test, must be declared
    in its app's registry entry (tests/test_vocabulary.py scans the literal ones)."""
    from django.db.models.signals import pre_save

    from fawang.audit.models import AuditEvent
    from fawang.core import registry
    from fawang.core.errors import DomainError

    def check_event(sender: Any, instance: AuditEvent, **kwargs: Any) -> None:
        if instance.action.startswith("test."):  # the audit trail's own tests write these
            return
        assert instance.action in registry.audit_event_types(), (
            f"audit event type {instance.action!r} is not declared in any registry entry"
        )

    original_init = DomainError.__init__

    def checked_init(self: DomainError, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        assert self.code in registry.error_codes(), (
            f"error code {self.code!r} is not declared in any registry entry"
        )

    pre_save.connect(check_event, sender=AuditEvent, dispatch_uid="declared-audit-events")
    DomainError.__init__ = checked_init  # type: ignore[method-assign]
    yield
    DomainError.__init__ = original_init  # type: ignore[method-assign]
    pre_save.disconnect(dispatch_uid="declared-audit-events", sender=AuditEvent)
