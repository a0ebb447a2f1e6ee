"""Domain errors raised by services and turned into GOV.UK messages or API problems by callers."""


class DomainError(Exception):
    """A rule of the service refused the request; `message` is safe to show to the user."""

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


class NotAllowed(DomainError):
    """The user may not do this (role, region or restriction)."""

    def __init__(self, message: str = "You do not have permission to do this.", **kwargs):
        super().__init__(message, code=kwargs.pop("code", "forbidden"), **kwargs)


class Conflict(DomainError):
    """The record changed underneath the request or the action clashes with existing data."""

    def __init__(self, message: str, **kwargs):
        super().__init__(message, code=kwargs.pop("code", "conflict"), **kwargs)
