"""The one error vocabulary. Selectors, services and pages raise these; nothing reads their text.

The API maps each to its status with JSON ``{code, message, field}``; pages get Django's 404/403
pages (``NotFound`` *is* an ``Http404``, ``PermissionDenied`` *is* Django's) or, for the others,
the domain-error page (``core.middleware.DomainErrorMiddleware``). Every ``code`` is declared by the
app that raises it (its registry entry); ``tests/test_vocabulary.py`` fails on an undeclared one.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404


class DomainError(Exception):
    """A request the platform refuses, with a message in the user's language and a stable code."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code


class InvalidInput(DomainError):
    status = 400
    code = "invalid_input"


class PermissionDenied(DomainError, DjangoPermissionDenied):
    status = 403
    code = "forbidden"


class NotFound(DomainError, Http404):
    """Also what a staff member gets for a record outside their scope: its existence is private."""

    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


# Codes the platform itself uses (the base classes' defaults and the API's own answers).
ERROR_CODES = frozenset(
    {"invalid", "invalid_input", "forbidden", "not_found", "conflict", "unauthenticated"}
)
