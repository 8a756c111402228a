"""Log filters: an ordinary refusal (403, 404) is one line, not a traceback."""

from __future__ import annotations

import logging


class QuietRefusalsFilter(logging.Filter):
    """Django logs a PermissionDenied or Http404 with its traceback; for a 4xx that is noise that
    hides real errors. The line stays; the traceback goes. 5xx keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if record.exc_info and isinstance(status, int) and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
