"""One vocabulary: every error code and audit event type the code names is declared.

The literal ones are found here by reading the source; those built at run time (for example
``workorder.<event kind>``) are checked as they happen by tests/conftest.py.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.http import Http404

from fawang.core import errors, registry

FAWANG = Path(__file__).resolve().parent.parent / "fawang"
CODE = re.compile(r"""\bcode\s*=\s*["']([a-z0-9_]+)["']""")
EVENT = re.compile(r"""\brecord_event\(\s*["']([a-z0-9_.]+)["']""")


def _sources() -> list[Path]:
    return [p for p in FAWANG.rglob("*.py") if "migrations" not in p.parts]


def _used(pattern: re.Pattern[str]) -> dict[str, str]:
    used: dict[str, str] = {}
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        for match in pattern.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            used.setdefault(match.group(1), f"{path.relative_to(FAWANG.parent)}:{line}")
    return used


def test_every_error_code_in_the_code_is_declared() -> None:
    used = _used(CODE)
    assert len(used) > 50  # the scan finds the codes (about 80 today)
    missing = {code: where for code, where in used.items() if code not in registry.error_codes()}
    assert not missing, f"declare these error codes in their app's registry.py: {missing}"


def test_every_audit_event_type_in_the_code_is_declared() -> None:
    used = _used(EVENT)
    assert len(used) > 40
    declared = registry.audit_event_types()
    missing = {event: where for event, where in used.items() if event not in declared}
    assert not missing, f"declare these audit event types in their app's registry.py: {missing}"


def test_one_not_found_and_one_permission_denied() -> None:
    """Pages get Django's 404/403 from the same classes the API maps to JSON."""
    assert issubclass(errors.NotFound, errors.DomainError)
    assert issubclass(errors.NotFound, Http404)
    from django.core.exceptions import PermissionDenied as DjangoPermissionDenied

    assert issubclass(errors.PermissionDenied, DjangoPermissionDenied)
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        assert "raise Http404(" not in text, f"{path}: raise core.errors.NotFound instead"
        assert "class PermissionDenied" not in text or path.name == "errors.py", path
