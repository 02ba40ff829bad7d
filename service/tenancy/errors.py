"""Why a request's key was refused. The HTTP side maps each reason to a status and error code;
the messages say what was wrong and the hints how to put it right."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from service.tenancy.caller import Caller


class Refusal(StrEnum):
    KEY_REQUIRED = "key_required"  # 401
    KEY_INVALID = "key_invalid"  # 401
    KEY_REVOKED = "key_revoked"  # 401
    ORIGIN_NOT_ALLOWED = "origin_not_allowed"  # 403
    SERVER_KEY_IN_BROWSER = "server_key_in_browser"  # 403
    RATE_LIMITED = "rate_limited"  # 429


@dataclass(frozen=True)
class LimitState:
    """Where a key stands against its tightest limit, for the RateLimit-* headers."""

    limit: int
    remaining: int
    reset_s: int  # seconds until the window restarts
    period: str  # "minute" or "day"


class KeyRefused(Exception):
    """A request refused for its key. ``key_id`` and ``caller`` are set when the key itself
    was recognised (the refusal is then counted in its usage and logged with its council)."""

    def __init__(
        self,
        reason: Refusal,
        message: str,
        hint: str,
        *,
        key_id: int | None = None,
        caller: Caller | None = None,
        limit: LimitState | None = None,
    ) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.hint = hint
        self.key_id = key_id
        self.caller = caller
        self.limit = limit
