"""The app factory: ``create_app(settings)`` builds the service; the lifespan opens the pool."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from service.api import addresses, areas, health, osplaces, postcodes, usage, widget
from service.api.errors import install_error_handlers
from service.api.middleware import RequestContextMiddleware
from service.api.responses import JsonResponse
from service.api.tenancy_middleware import TenancyMiddleware
from service.api.tenancy_openapi import install_key_schemes
from service.db.connections import PoolConnections
from service.db.pool import create_pool, wait_for_database
from service.settings import Settings
from service.tenancy.gate import Gate, gate_config

DESCRIPTION = """
Address and boundary lookups for UK council web forms: typo-tolerant address search and
typeahead, postcode to addresses, UPRN lookup, nearest and within-area queries, and which
parish, ward or district a point, address or postcode is in, with its contacts.

Every error has one JSON shape: `{"error": {"status", "code", "message", "hint", "details"},
"request_id"}`. Every response carries an `X-Request-ID` and a `Server-Timing` header.

Every lookup needs an API key, sent as the `key` query parameter or the `X-API-Key` header
(use **Authorize** to try them here). A browser key works only from the origins registered on
it; a server key never from a browser. Over a key's limit the answer is 429 with `Retry-After`
and `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` headers.
"""


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Check the database is reachable and migrated, then hold a pool for the app's life."""
    settings: Settings = app.state.settings
    await wait_for_database(settings.database_url, settings.db)
    pool = await create_pool(settings.database_url, settings.db)
    app.state.database = PoolConnections(pool)
    app.state.gate = Gate(pool, gate_config(settings.tenancy))
    try:
        await app.state.gate.start()
        yield
    finally:
        await app.state.gate.stop()  # writes the usage counted since the last flush
        await pool.close()


def create_app(settings: Settings) -> FastAPI:
    """Build the service for these settings; nothing connects until the lifespan starts."""
    app = FastAPI(
        title="Address Lookup",
        version="0.1.0",
        description=DESCRIPTION,
        default_response_class=JsonResponse,
        lifespan=lifespan,
        docs_url="/docs",
    )
    app.state.settings = settings
    app.state.error_renderers = {}
    install_error_handlers(app)
    app.add_middleware(TenancyMiddleware)  # inside the request context: refusals get its id
    app.add_middleware(RequestContextMiddleware, log_requests=settings.server.access_log)
    app.include_router(health.router)
    app.include_router(addresses.router)
    app.include_router(postcodes.router)
    app.include_router(areas.router)
    app.include_router(usage.router)
    osplaces.install(app)
    widget.install(app)
    install_key_schemes(app, required=settings.tenancy.require_keys)
    return app


def app_from_environment() -> FastAPI:
    """The factory uvicorn calls (``--factory``): settings come from the environment."""
    return create_app(Settings())
