"""The API key in the OpenAPI document: two security schemes (the ``key`` query parameter and
the X-API-Key header), required on every keyed operation, so /docs offers an Authorize button
and sends the key it is given. Declared in the document only: the middleware enforces keys,
so no route pays for a dependency that would do nothing."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from service.api.tenancy_middleware import is_open

HOW_TO_GET = (
    "Keys are issued by the operator of this service to signatory councils: a browser key "
    "(alpk_...) for web pages at registered origins, a server key (alsk_...) for servers."
)
SCHEMES = {
    "ApiKeyHeader": {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
        "description": f"Your key in the X-API-Key header. {HOW_TO_GET}",
    },
    "ApiKeyQuery": {
        "type": "apiKey",
        "in": "query",
        "name": "key",
        "description": "Your key as the `key` query parameter (as OS Places takes "
        "it; a simple GET from a page then needs no CORS preflight).",
    },
}
REFUSALS = {
    "401": {"description": "No key (key_required), or a key unknown or revoked"},
    "403": {
        "description": "A browser key from an origin not registered on it, or a server "
        "key sent from a browser"
    },
    "429": {
        "description": "Over the key's limit a minute or a day; see Retry-After and "
        "the RateLimit-* headers"
    },
}


def add_key_schemes(schema: dict[str, Any], *, required: bool) -> None:
    """Declare the key schemes and which operations need them (every one outside the open
    paths; with keys not required, a key is optional)."""
    schema.setdefault("components", {}).setdefault("securitySchemes", {}).update(SCHEMES)
    keyed: list[dict[str, list[str]]] = [{"ApiKeyHeader": []}, {"ApiKeyQuery": []}]
    if not required:
        keyed.append({})
    for path, operations in schema.get("paths", {}).items():
        for operation in operations.values():
            if is_open(path):
                operation["security"] = []
                continue
            operation["security"] = keyed
            for status, response in REFUSALS.items():
                operation.setdefault("responses", {}).setdefault(status, response)


def install_key_schemes(app: FastAPI, *, required: bool) -> None:
    """Make the app's OpenAPI document declare the key (built once, on first request)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            add_key_schemes(build(), required=required)
        assert app.openapi_schema is not None
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
