"""Domain exceptions. The API maps them to 4xx JSON and pages show their message by the form."""

from __future__ import annotations


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


class PermissionDenied(DomainError):
    status = 403
    code = "forbidden"


class NotFound(DomainError):
    """Also what a staff member gets for a record outside their scope: its existence is private."""

    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"
