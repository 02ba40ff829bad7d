"""The refusals a key check can give, each with a message that says what was wrong and a hint
that says how to put it right."""

from __future__ import annotations

from service.tenancy.cache import KeyRecord
from service.tenancy.errors import KeyRefused, LimitState, Refusal
from service.tenancy.keys import KeyKind
from service.tenancy.origins import origin_of

HOW_TO_SEND = "Send it as the `key` query parameter or in an X-API-Key header."


def key_required() -> KeyRefused:
    return KeyRefused(
        Refusal.KEY_REQUIRED,
        "This service needs an API key.",
        f"{HOW_TO_SEND} The operator of this service issues keys to signatory councils; a "
        "web form needs a browser key (alpk_...) registered for the origin of its pages.",
    )


def key_invalid() -> KeyRefused:
    return KeyRefused(
        Refusal.KEY_INVALID,
        "The API key is not one this service issued.",
        "Check that the whole key was copied (it starts alpk_ or alsk_ and is 41 characters "
        "long); ask the operator of this service for a key if you have none.",
    )


def key_revoked(record: KeyRecord) -> KeyRefused:
    return KeyRefused(
        Refusal.KEY_REVOKED,
        f"The API key {record.public_id} has been revoked.",
        "Use the key that replaced it, or ask the operator of this service for a new one.",
        key_id=record.id,
        caller=record.caller,
    )


def check_origin(record: KeyRecord, origin: str | None, referer: str | None) -> None:
    """Refuse a server key sent from a browser (it carries an Origin) and a browser key sent
    from a page whose origin (the Origin header, else the Referer's) is not registered on it."""
    if record.kind is KeyKind.SERVER:
        if origin is not None:
            raise _refused(
                record,
                Refusal.SERVER_KEY_IN_BROWSER,
                "server keys must not be used in a browser",
                "A server key is secret: keep it on your server. From web pages use a browser "
                "key (alpk_...) registered for their origin; if this key was published in a "
                "page, ask the operator to rotate it.",
            )
        return
    page = origin_of(origin) if origin is not None else origin_of(referer) if referer else None
    if page is None or page not in record.origins:
        raise _origin_not_allowed(record, page)


def _origin_not_allowed(record: KeyRecord, page: str | None) -> KeyRefused:
    registered = ", ".join(sorted(record.origins))
    if page is None:
        return _refused(
            record,
            Refusal.ORIGIN_NOT_ALLOWED,
            f"Browser key {record.public_id} was sent without an Origin or Referer header, so "
            "the page it came from is unknown.",
            f"Browser keys work only from pages at their registered origins ({registered}); "
            "a page with `Referrer-Policy: no-referrer` sends neither header on a simple GET, "
            "so send the key in an X-API-Key header instead. From a server, use a server key.",
        )
    return _refused(
        record,
        Refusal.ORIGIN_NOT_ALLOWED,
        f"Browser key {record.public_id} is not allowed from {page}.",
        f"It works only from pages at {registered}; ask the operator of this service to add "
        f"{page} to the key, or use the key registered for this page.",
    )


def rate_limited(record: KeyRecord, state: LimitState) -> KeyRefused:
    return _refused(
        record,
        Refusal.RATE_LIMITED,
        f"Key {record.public_id} has used all {state.limit} of its requests this {state.period}.",
        f"Wait {state.reset_s} s (the Retry-After header) and try again, or ask the operator "
        "of this service for a higher limit.",
        limit=state,
    )


def _refused(
    record: KeyRecord, reason: Refusal, message: str, hint: str, *, limit: LimitState | None = None
) -> KeyRefused:
    return KeyRefused(reason, message, hint, key_id=record.id, caller=record.caller, limit=limit)
