from __future__ import annotations

import logging
import sys

from fawang.core.logfilters import QuietRefusalsFilter


def _record(status: int) -> logging.LogRecord:
    try:
        raise PermissionError("denied")
    except PermissionError:
        record = logging.LogRecord(
            "django.request", logging.WARNING, __file__, 1, "Forbidden", None, sys.exc_info()
        )
    record.status_code = status
    return record


def test_a_refusal_is_logged_without_its_traceback_and_a_server_error_keeps_it() -> None:
    refusal, failure = _record(403), _record(500)
    assert QuietRefusalsFilter().filter(refusal) and QuietRefusalsFilter().filter(failure)
    assert refusal.exc_info is None
    assert failure.exc_info is not None
