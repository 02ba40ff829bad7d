"""The error answers in the OpenAPI document, as they really are: the one error body (and OS
Places' own shape under /search/places/v1) for every status a route can answer with, in
place of FastAPI's default 422 schema, which describes a body this service never sends."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, Field

OS_PLACES_PREFIX = "/search/places/v1"


class ErrorDetail(BaseModel):
    model_config = {"extra": "allow"}

    field: str | None = Field(default=None, description="The parameter, or body.addresses.3")
    problem: str | None = Field(default=None, description="What is wrong with it")


class ErrorDescription(BaseModel):
    status: int = Field(description="The HTTP status, again")
    code: str = Field(
        description="invalid_input, not_found, method_not_allowed, payload_too_large, "
        "too_many_requests, service_unavailable, time_budget_exceeded, internal_error..."
    )
    message: str = Field(description="What was wrong")
    hint: str | None = Field(default=None, description="How to put it right")
    details: list[ErrorDetail] | None = Field(default=None, description="One per bad value")


class ErrorBody(BaseModel):
    """The one JSON error body of the native API."""

    error: ErrorDescription
    request_id: str | None = Field(description="Also in the X-Request-ID header")


class OsPlacesErrorDescription(BaseModel):
    statuscode: int
    message: str


class OsPlacesErrorBody(BaseModel):
    """OS Places API's own error shape."""

    error: OsPlacesErrorDescription


WHY = {
    400: "The request is not one OS Places would accept (OS Places answers 400 for it)",
    404: "Not found",
    405: "The method is not allowed here; the Allow header lists those that are",
    408: "The request body arrived too slowly",
    413: "The request body is larger than 128 KiB",
    422: "A parameter or the body is invalid, or the body is not JSON; details name each one",
    429: "Too many requests for this key; Retry-After says when to try again",
    500: "A fault in the service; report the request_id",
    503: "The database is unreachable or the request ran out of time; retry after Retry-After",
}
RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}}


def error_responses(*statuses: int, description: str | None = None) -> dict[int | str, Any]:
    """Route-level ``responses=`` entries for these statuses, with the one error body."""
    return {
        status: {"model": ErrorBody, "description": description or WHY[status]}
        for status in statuses
    }


def _error_response(status: int, body: type[BaseModel], description: str) -> dict[str, Any]:
    content = {"application/json": {"schema": {"$ref": f"#/components/schemas/{body.__name__}"}}}
    answer: dict[str, Any] = {"description": description, "content": content}
    if status in (429, 503):
        answer["headers"] = RETRY_AFTER
    return answer


def _statuses(path: str, method: str, operation: dict[str, Any]) -> list[int]:
    statuses = [s for s in (int(code) for code in operation["responses"]) if s >= 400]
    if path.startswith(OS_PLACES_PREFIX):
        statuses = [s for s in statuses if s != 422]
    wanted = {422, 503, 500, *statuses}
    if method in ("post", "put", "patch"):
        wanted |= {408, 413}
    if path.startswith(("/v1/", OS_PLACES_PREFIX)):
        wanted.add(429)
    if path.startswith(OS_PLACES_PREFIX):
        wanted = (wanted - {422}) | {400}
    return sorted(wanted)


def document_errors(spec: dict[str, Any]) -> dict[str, Any]:
    """Every operation's error answers, with the body each really has."""
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    for model in (ErrorBody, OsPlacesErrorBody):
        model_schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(model_schema.pop("$defs", {}))
        schemas[model.__name__] = model_schema
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    for path, operations in spec["paths"].items():
        body = OsPlacesErrorBody if path.startswith(OS_PLACES_PREFIX) else ErrorBody
        for method, operation in operations.items():
            responses = operation["responses"]
            if path.startswith(OS_PLACES_PREFIX):
                responses.pop("422", None)  # OS Places answers 400 instead
            for status in _statuses(path, method, operation):
                described = responses.get(str(status), {}).get("description")
                if not described or described == "Validation Error":
                    described = WHY[status]
                responses[str(status)] = _error_response(status, body, described)
    return spec


def install_error_documentation(app: FastAPI) -> None:
    """Generate the OpenAPI document once, with the real error answers."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            spec = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
                tags=app.openapi_tags,
            )
            app.openapi_schema = document_errors(spec)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
