"""Errors over HTTP: one status map and one JSON error body for every failure, whatever raised
it (a domain error, a validation error, an unknown route or method):

    {"error": {"status": 422, "code": "invalid_input", "message": "...", "hint": "...",
               "details": [...]}, "request_id": "..."}
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.routing import Match

from service.api.responses import JsonResponse
from service.api.sizes import MAX_BODY_BYTES
from service.errors import (
    ApiError,
    Forbidden,
    InternalError,
    InvalidInput,
    MethodNotAllowed,
    NotFound,
    PayloadTooLarge,
    TooManyRequests,
    Unauthorized,
    Unavailable,
)
from service.tenancy.errors import KeyRefused, Refusal

ErrorRenderer = Callable[[ApiError, Request, int], Response]

STATUS_BY_REFUSAL = {
    Refusal.KEY_REQUIRED: 401,
    Refusal.KEY_INVALID: 401,
    Refusal.KEY_REVOKED: 401,
    Refusal.ORIGIN_NOT_ALLOWED: 403,
    Refusal.SERVER_KEY_IN_BROWSER: 403,
    Refusal.RATE_LIMITED: 429,
}


STATUS_BY_ERROR: dict[type[ApiError], int] = {
    InvalidInput: 422,
    NotFound: 404,
    MethodNotAllowed: 405,
    PayloadTooLarge: 413,
    Unauthorized: 401,
    Forbidden: 403,
    TooManyRequests: 429,
    Unavailable: 503,
    InternalError: 500,
}


def status_of(error: ApiError) -> int:
    """The HTTP status for an error: its own, or its class's through the hierarchy."""
    if error.status is not None:
        return error.status
    for cls in type(error).__mro__:
        if cls in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[cls]
    return 500


def request_id_of(request: Request) -> str | None:
    """The request id the middleware gave this request, if any."""
    return getattr(request.state, "request_id", None)


def error_body(error: ApiError, request: Request) -> dict[str, Any]:
    """The one JSON error body."""
    body: dict[str, Any] = {
        "status": status_of(error),
        "code": error.code,
        "message": error.message,
    }
    if error.hint:
        body["hint"] = error.hint
    if error.details:
        body["details"] = error.details
    return {"error": body, "request_id": request_id_of(request)}


def validation_details(exc: RequestValidationError) -> list[dict[str, Any]]:
    """Turn FastAPI's validation errors into 'which parameter, what was wrong'."""
    details = []
    for err in exc.errors():
        if err.get("type") == "json_invalid":
            details.append(unparseable_json(err, exc.body))
            continue
        location = [str(part) for part in err.get("loc", ())]
        where = location[0] if location else "request"
        field = ".".join(location[1:]) or where
        details.append({"in": where, "field": field, "problem": err.get("msg", "invalid")})
    return details


def unparseable_json(err: Any, document: Any) -> dict[str, Any]:
    """Where a body stops being JSON, in words (FastAPI gives the character offset alone)."""
    position = int(err["loc"][1]) if len(err.get("loc", ())) > 1 else 0
    text = document if isinstance(document, str) else ""
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    why = err.get("ctx", {}).get("error", "not JSON")
    problem = f"not valid JSON: {why} at line {line}, column {column} (character {position + 1})"
    return {"in": "body", "field": "body", "problem": problem}


def from_validation_error(exc: RequestValidationError) -> InvalidInput:
    """A validation error as an InvalidInput that names every bad field."""
    details = validation_details(exc)
    summary = "; ".join(f"{d['field']}: {d['problem']}" for d in details)
    return InvalidInput(
        f"Invalid request: {summary}",
        hint="Correct the parameters listed in details; /docs describes each one.",
        details=details,
    )


def from_http_exception(exc: StarletteHTTPException, request: Request) -> ApiError:
    """Starlette's own 404/405s (unknown routes, wrong methods) as ApiErrors."""
    if exc.status_code == 404:
        return NotFound(
            f"No such endpoint: {request.method} {request.url.path}",
            hint="See /docs for the endpoints this service offers.",
        )
    if exc.status_code == 405:
        allowed = allowed_methods(request)
        return MethodNotAllowed(
            f"{request.method} is not allowed on {request.url.path}",
            hint=f"This endpoint accepts {allowed}." if allowed else "See /docs for the methods.",
        )
    if exc.status_code == 413:
        return PayloadTooLarge(
            f"The request body is larger than the {MAX_BODY_BYTES:,} bytes this service accepts",
            hint="Send at most 100 items a request, each within its documented length.",
        )
    if exc.status_code == 408:
        return ApiError(str(exc.detail), hint="Send the whole request at once.", status=408)
    if exc.status_code == 400:  # a body FastAPI could not read: not UTF-8, or a broken form
        return InvalidInput(
            "The request body could not be read: send UTF-8 JSON with "
            "Content-Type: application/json",
            details=[{"in": "body", "field": "body", "problem": "not UTF-8 encoded JSON"}],
        )
    return ApiError(str(exc.detail), status=exc.status_code)


_METHODS = ("DELETE", "GET", "HEAD", "PATCH", "POST", "PUT")


def allowed_methods(request: Request) -> str:
    """Every method some route takes at the request's path, for the Allow header of a 405
    (Starlette names only the first route's: GET alone where GET and POST share a path).
    Each method is asked of the routes as if the request had used it."""
    routes = request.app.router.routes
    allowed = [
        method
        for method in _METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] is Match.FULL for route in routes
        )
    ]
    return ", ".join(allowed)


def from_key_refused(refused: KeyRefused) -> ApiError:
    """A request refused for its key, with the refusal as its code (key_required...)."""
    error = ApiError(refused.message, hint=refused.hint, status=STATUS_BY_REFUSAL[refused.reason])
    error.code = refused.reason.value
    return error


def render(error: ApiError, request: Request) -> Response:
    """The response for an error; an API with its own error shape (OS Places) hooks in here
    by adding a path prefix and renderer to ``app.state.error_renderers``."""
    renderers: dict[str, ErrorRenderer] = getattr(request.app.state, "error_renderers", {})
    response = None
    for prefix, render_for_prefix in renderers.items():
        if request.url.path.startswith(prefix):
            response = render_for_prefix(error, request, status_of(error))
            break
    response = response or JsonResponse(error_body(error, request), status_code=status_of(error))
    if error.retry_after_s is not None:
        response.headers["Retry-After"] = str(error.retry_after_s)
    return response


async def _on_api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return render(exc, request)


async def _on_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    return render(from_validation_error(exc), request)


async def _on_http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    response = render(from_http_exception(exc, request), request)
    if exc.status_code == 405:
        response.headers["Allow"] = allowed_methods(request)
    if exc.status_code == 408:  # the rest of the body may still come: end the connection
        response.headers["Connection"] = "close"
    return response


def install_error_handlers(app: FastAPI) -> None:
    """Route every kind of failure through the one error body."""
    app.add_exception_handler(ApiError, _on_api_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_exception)
