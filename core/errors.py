"""Domain errors. One base per HTTP status; the API maps each base to its status at the edge."""


class DomainError(Exception):
    """Base for errors a user can act on. `field` names the input at fault, where there is one;
    `details` carries what helps to fix it (e.g. suggested occupation codes) into the answer."""

    def __init__(self, message: str, *, field: str | None = None, details: dict | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.details = details or {}


class NotFound(DomainError):
    """404: the thing asked for does not exist (or is not visible to the caller)."""


class Conflict(DomainError):
    """409: the change clashes with the current state (stale version, duplicate)."""


class Invalid(DomainError):
    """422: the input breaks a rule."""


class Forbidden(DomainError):
    """403: the caller may not do this to this thing."""


class Unauthorized(DomainError):
    """401: no valid credentials."""


class RateLimited(DomainError):
    """429: too many attempts; `retry_after` seconds until the next may succeed."""

    def __init__(self, message: str, *, retry_after: int, field: str | None = None):
        super().__init__(message, field=field)
        self.retry_after = retry_after
