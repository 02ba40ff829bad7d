"""The app factory: ``create_app(settings)`` builds the service; the lifespan opens the pool."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from starlette.types import Scope

from service import __version__
from service.api import (
    addresses,
    areas,
    docs,
    health,
    metrics,
    osplaces,
    postcodes,
    usage,
    widget,
)
from service.api.errors import install_error_handlers
from service.api.headers import AnswerHeadersMiddleware
from service.api.limits import TimeBudgetMiddleware
from service.api.middleware import RequestContextMiddleware
from service.api.openapi_errors import install_error_documentation
from service.api.replica_retry import ReplicaRetryMiddleware
from service.api.responses import JsonResponse
from service.api.tenancy_middleware import TenancyMiddleware
from service.api.tenancy_openapi import install_key_schemes
from service.api.unstorable import refuse_unstorable_text
from service.db.datastate import DataState, DataStateWatch
from service.db.pool import create_pool, wait_for_database
from service.db.readpools import open_read_pools, watching
from service.db.roles import superuser_warning
from service.settings import Settings
from service.tenancy.gate import Gate, gate_config

log = logging.getLogger("address_lookup.database")

DESCRIPTION = """
Address and boundary lookups for UK council web forms: typo-tolerant address search and
typeahead, postcode to addresses, UPRN lookup, nearest and within-area queries, and which
parish, ward or district a point, address or postcode is in, with its contacts.

Every error has one JSON shape: `{"error": {"status", "code", "message", "hint", "details"},
"request_id"}` (OS Places compatible endpoints answer in OS Places' own error shape). Every
response carries an `X-Request-ID` and a `Server-Timing` header. Lookups answered 200 carry
`Cache-Control` and an `ETag`: send it back in `If-None-Match` to get 304 while the data is
unchanged. While the database is unreachable every endpoint answers 503 with `Retry-After`.

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
    app.state.reads = app.state.database = await open_read_pools(pool, settings.db)
    app.state.data_state = DataStateWatch(app.state.database)
    async with pool.acquire() as conn:
        app.state.role_warning = await superuser_warning(conn)
    if app.state.role_warning:
        log.warning(app.state.role_warning)
    app.state.gate = Gate(pool, gate_config(settings.tenancy))
    try:
        await app.state.gate.start()
        async with metrics.recording(app, pool), watching(app.state.reads):
            yield
    finally:
        await app.state.gate.stop()  # writes the usage counted since the last flush
        await pool.close()


async def _data_state(scope: Scope) -> DataState | None:
    watch: DataStateWatch | None = getattr(scope["app"].state, "data_state", None)
    return await watch.current() if watch else None


def create_app(settings: Settings) -> FastAPI:
    """Build the service for these settings; nothing connects until the lifespan starts."""
    app = FastAPI(
        title="Address Lookup",
        version=__version__,
        description=DESCRIPTION,
        default_response_class=JsonResponse,
        lifespan=lifespan,
        docs_url=None,  # served from bundled files by service.api.docs
        redoc_url=None,
        redirect_slashes=False,  # a redirect would be built from the Host header
        dependencies=[Depends(refuse_unstorable_text)],
    )
    app.state.settings = settings
    app.state.error_renderers = {}
    install_error_handlers(app)
    app.add_middleware(ReplicaRetryMiddleware)  # innermost: a second run is one request
    server = settings.server
    app.add_middleware(
        TimeBudgetMiddleware,
        budget_s=server.request_timeout_s,
        body_timeout_s=server.body_timeout_s,
    )
    app.add_middleware(
        AnswerHeadersMiddleware, data_state=_data_state, max_age_s=server.cache_max_age_s
    )
    # Inside the metrics and the request context (refusals are counted and carry the
    # request id), outside the answer headers (a 304 is never served to an unchecked key).
    app.add_middleware(TenancyMiddleware)
    metrics.install(app, separate_port=server.metrics_port is not None)
    app.add_middleware(RequestContextMiddleware, log_requests=server.access_log)
    app.include_router(health.router)
    app.include_router(addresses.router)
    app.include_router(postcodes.router)
    app.include_router(areas.router)
    app.include_router(usage.router)
    osplaces.install(app)
    widget.install(app)
    docs.install(app)
    install_error_documentation(app)
    install_key_schemes(app, required=settings.tenancy.require_keys)
    return app


def app_from_environment() -> FastAPI:
    """The factory uvicorn calls (``--factory``): settings come from the environment."""
    return create_app(Settings())
