"""The platform's one list of its parts: what each app declares about itself.

An app (a business line such as ``legalaid``, or a platform part such as ``core``) declares a
``Declaration`` as ``REGISTRY`` in its own ``registry.py``. The URLs, the API, the console and portal
navigation, ``fawang demo``, the scheduler, the indicator fill, the audit trail and the error
vocabulary all read this list, so adding a business line is its folder plus one line in
``INSTALLED_APPS`` (docs/architecture.md, "Adding a business line").

Declarations name code by dotted path (``"fawang.legalaid.api:router"``) and it is imported when
first used: reading the registry is cheap and never imports a line's pages or jobs by itself.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache
from importlib import import_module
from types import ModuleType
from typing import Any

from django.apps import apps
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from fawang.core.errors import ERROR_CODES

CONSOLE, PORTAL = "console", "portal"
Label = str | Promise  # Chinese, marked for translation (gettext_lazy)


@dataclass(frozen=True)
class NavEntry:
    """A link in the console's or the portal's navigation.

    ``roles``: who sees it (console); empty means every role that reaches the face. On the portal,
    ``citizens_only`` links show to logged-in citizens only.
    """

    face: str
    label: Label
    url_name: str
    roles: Collection[str] = ()  # role values (core.models role groups)
    order: int = 100
    citizens_only: bool = False
    home_tile: Label = ""  # the longer label of its tile on the console home page; "" = no tile
    post: bool = False  # an action (a button posting to the URL), not a page


@dataclass(frozen=True)
class PeriodicJob:
    """A job `fawang scheduler` enqueues once per ``every`` (``task``: dotted path of the task)."""

    name: str
    task: str
    every: timedelta

    def load(self) -> Any:
        return _resolve(self.task)


@dataclass(frozen=True)
class Declaration:
    name: str  # the app label, e.g. "legalaid"
    label: Label  # what people call it, in Chinese
    business_line: bool = True  # False for the platform's own parts (core, audit)
    urls: str = ""  # URLconf module (its app_name is the URL namespace)
    url_prefix: str = ""  # where it is mounted; "" = the site root (its paths carry the prefix)
    api_router: str = ""  # "module:attribute" of a ninja Router added under /api/v1/
    nav: tuple[NavEntry, ...] = ()
    metrics: str = ""  # module with FLOW_COUNTERS / STOCK_COUNTERS (docs/indicators.md)
    pack_section: str = ""  # "module:function(raw_pack, where)" parsing this line's pack section
    readiness: str = ""  # "module:function() -> str | None": what keeps it from serving, or None
    readiness_warning: str = ""  # same signature: serves, but worse than it should (not a 503)
    warm_up: str = ""  # "module:function()" a server worker runs before its first request
    periodic_jobs: tuple[PeriodicJob, ...] = ()
    # "app_label.Model.field" of history tables partitioned by month on that timestamp on
    # PostgreSQL (audit.partitions; the job core.create_partitions and `fawang partitions`).
    partitioned_by_month: tuple[str, ...] = ()
    demo: str = ""  # "module:function" building this line's demo data; returns {what: count}
    demo_order: int = 100  # builders run in this order (the world first, indicators last)
    audit_events: frozenset[str] = frozenset()
    error_codes: frozenset[str] = frozenset()
    # Event name → "module:function(**payload)" handlers another line's notify() reaches
    # (e.g. mediation hears "appraisal.opinion_issued"); see notify().
    hooks: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def _resolve(path: str) -> Any:
    return import_string(path.replace(":", "."))


@cache
def declarations() -> tuple[Declaration, ...]:
    """Every installed app's declaration, in ``INSTALLED_APPS`` order."""
    found = []
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.registry")
        except ModuleNotFoundError as missing:
            if missing.name != f"{config.name}.registry":
                raise
            continue
        found.append(module.REGISTRY)
    return tuple(found)


def business_lines() -> tuple[Declaration, ...]:
    return tuple(d for d in declarations() if d.business_line)


def url_mounts() -> list[tuple[str, str]]:
    """(prefix, URLconf module) of every declaration with pages; longer prefixes first, so a
    line mounted under ``console/…`` is tried before the console itself."""
    mounts = [(d.url_prefix, d.urls) for d in declarations() if d.urls]
    return sorted(mounts, key=lambda mount: -len(mount[0]))


def api_routers() -> list[Any]:
    return [_resolve(d.api_router) for d in declarations() if d.api_router]


def nav_entries(face: str) -> list[NavEntry]:
    entries = [entry for d in declarations() for entry in d.nav if entry.face == face]
    return sorted(entries, key=lambda entry: entry.order)


def pack_section_parsers() -> list[tuple[str, Callable[[dict[str, Any], str], Any]]]:
    return [(d.name, _resolve(d.pack_section)) for d in declarations() if d.pack_section]


def readiness_checks() -> list[tuple[str, Callable[[], str | None]]]:
    return [(d.name, _resolve(d.readiness)) for d in declarations() if d.readiness]


def readiness_warnings() -> list[tuple[str, Callable[[], str | None]]]:
    return [(d.name, _resolve(d.readiness_warning)) for d in declarations() if d.readiness_warning]


def warm_ups() -> list[Callable[[], None]]:
    return [_resolve(d.warm_up) for d in declarations() if d.warm_up]


def periodic_jobs() -> list[PeriodicJob]:
    return [job for d in declarations() for job in d.periodic_jobs]


def partitioned_tables() -> list[tuple[str, str]]:
    """(table, column) of every history table partitioned by month (``partitioned_by_month``)."""
    found = []
    for d in declarations():
        for path in d.partitioned_by_month:
            label, field_name = path.rsplit(".", 1)
            model = apps.get_model(label)
            found.append((model._meta.db_table, model._meta.get_field(field_name).column))
    return found


def metric_modules() -> list[ModuleType]:
    return [import_module(d.metrics) for d in declarations() if d.metrics]


def demo_builders() -> list[tuple[str, Callable[[], dict[str, int]]]]:
    ordered = sorted((d for d in declarations() if d.demo), key=lambda d: d.demo_order)
    return [(d.name, _resolve(d.demo)) for d in ordered]


def hook_handlers(event: str) -> list[str]:
    """The handlers every installed app declared for ``event``, in ``INSTALLED_APPS`` order."""
    return [path for d in declarations() for path in d.hooks.get(event, ())]


def notify(event: str, **payload: Any) -> int:
    """Tell the apps that declared a hook for ``event``: one job per handler
    (``core.tasks.run_hook``), queued when the current transaction commits
    (``core.jobs.after_commit``; at once outside a transaction). Returns how many were queued.

    So one line reaches another without importing it, and a handler runs only once the change
    it hears of is committed, in a transaction of its own: its failure never undoes that change.
    A handler that raises is logged (``fawang.hooks``) and its job fails, recorded with the
    error in the job table; a database error is retried by the worker (``core.worker``); the
    other handlers are not affected. A job may run twice (leases), so handlers are idempotent.
    The payload goes into the job table: JSON values only, and no personal data."""
    from fawang.core.jobs import after_commit
    from fawang.core.tasks import run_hook

    handlers = hook_handlers(event)
    for path in handlers:
        after_commit(run_hook, path, event, payload)
    return len(handlers)


def audit_event_types() -> frozenset[str]:
    return _union(d.audit_events for d in declarations())


def error_codes() -> frozenset[str]:
    return ERROR_CODES | _union(d.error_codes for d in declarations())


def _union(sets: Iterable[frozenset[str]]) -> frozenset[str]:
    return frozenset().union(*sets)


def words(text: str) -> frozenset[str]:
    """Declare codes or event types as one whitespace-separated block of text."""
    return frozenset(text.split())


# The platform's own part: accounts, reference data, the scheduler's claims, SMS codes.
REGISTRY = Declaration(
    name="core",
    label=_("参考数据与账户"),
    business_line=False,
    api_router="fawang.core.api:router",
    periodic_jobs=(
        PeriodicJob(
            "core.purge_expired_sms_codes",
            "fawang.core.tasks:purge_expired_sms_codes",
            timedelta(hours=1),
        ),
        # The audit trail sits below core and declares nothing itself.
        PeriodicJob("audit.seal", "fawang.audit.tasks:seal_audit_events", timedelta(seconds=10)),
        PeriodicJob(
            "audit.seal_late", "fawang.audit.tasks:seal_late_audit_events", timedelta(hours=1)
        ),
        PeriodicJob(
            "audit.verify_chain", "fawang.audit.tasks:verify_audit_chain", timedelta(days=1)
        ),
        # Month partitions of every declared history table, this month and three ahead.
        PeriodicJob(
            "core.create_partitions",
            "fawang.core.partitioning:create_partitions",
            timedelta(hours=1),
        ),
    ),
    partitioned_by_month=("audit.AuditEvent.occurred_at",),
    audit_events=words(
        """
        account.activate account.deactivate account.create_staff account.elder_mode account.login
        account.profile_update account.register account.reset_totp account.unlock
        admin.add admin.change admin.delete api_token.issue api_token.revoke demo.build
        institution.update practitioner.set_status regions.load personal_data.reveal
        """
    ),
    error_codes=words(
        """
        bad_choice bad_field bad_role bad_year id_birth_date id_checksum id_format institution_required
        not_editable password_classes phone_format phone_registered region_level region_required
        required self_disable sms_attempts sms_expired sms_too_frequent sms_wrong too_long
        unknown_city unknown_region username_taken no_policy_pack too_many_attempts
        """
    ),
)
