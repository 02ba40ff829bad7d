"""One error hierarchy for every failure a caller can act on, raised by the domain (search,
postcodes, addresses, areas, OS Places) without knowing about HTTP. ``service.api.errors``
maps each class to its status and renders the one JSON error body."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """An error the caller can act on: says what was wrong and how to fix it."""

    code = "error"

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        details: list[dict[str, Any]] | None = None,
        status: int | None = None,
        retry_after_s: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.details = details or []
        self.status = status
        self.retry_after_s = retry_after_s  # when to try again, for a passing condition


class InvalidInput(ApiError):
    code = "invalid_input"


class NotFound(ApiError):
    code = "not_found"


class MethodNotAllowed(ApiError):
    code = "method_not_allowed"


class Unauthorized(ApiError):
    code = "unauthorized"


class Forbidden(ApiError):
    code = "forbidden"


class TooManyRequests(ApiError):
    code = "too_many_requests"


class PayloadTooLarge(ApiError):
    code = "payload_too_large"


class Unavailable(ApiError):
    code = "service_unavailable"


class TooSlow(Unavailable):
    """The request ran out of its time budget; its work was stopped."""

    code = "time_budget_exceeded"


class InternalError(ApiError):
    code = "internal_error"
