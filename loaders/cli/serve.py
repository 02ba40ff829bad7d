"""``address-lookup serve``: the HTTP service, on the managed local PostGIS unless
DATABASE_URL is set."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer
import uvicorn

from loaders.cli.support import err, run_async
from loaders.core.database import service_database_url
from loaders.errors import CliError
from service.api.slowclients import uvicorn_options
from service.db.pool import DatabaseNotReady, wait_for_database
from service.settings import ServerSettings, Settings

METRICS_DIR_ENV = "PROMETHEUS_MULTIPROC_DIR"


def serve(
    host: Annotated[str | None, typer.Option(help="Interface to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
) -> None:
    """Run the HTTP service (on the managed local PostGIS unless DATABASE_URL is set, as its
    read-only service role). Metrics are at /metrics, or on ADDRESS_LOOKUP_METRICS_PORT."""
    settings = Settings()
    url = service_database_url(settings)
    try:
        run_async(wait_for_database, url, settings.db)
    except DatabaseNotReady as problem:
        raise CliError(f"cannot serve: {problem}") from None
    with metrics_folder():
        start_metrics_port(settings.server)
        uvicorn.run(
            "service.main:app_from_environment",
            factory=True,
            host=host or settings.server.host,
            port=port or settings.server.port,
            workers=workers,
            access_log=False,
            log_config=log_config(settings.server.log_level),
            **uvicorn_options(settings.server),
        )


@contextmanager
def metrics_folder() -> Iterator[None]:
    """A fresh folder where every worker writes its metrics (prometheus-client's
    multiprocess mode), removed when the service stops; set before any worker starts."""
    if os.environ.get(METRICS_DIR_ENV):
        yield
        return
    folder = tempfile.mkdtemp(prefix="address-lookup-metrics-")
    os.environ[METRICS_DIR_ENV] = folder
    try:
        yield
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def start_metrics_port(server: ServerSettings) -> None:
    """Serve /metrics on its own (internal) port from this process, which outlives the
    workers and reads their figures from the metrics folder."""
    if server.metrics_port is None:
        return
    # Imported here, not at the top: prometheus-client picks its multiprocess mode when it
    # is first imported, which must be after metrics_folder() set the folder.
    from prometheus_client import start_http_server  # noqa: PLC0415

    from service.api.metrics import scrape_registry  # noqa: PLC0415

    start_http_server(server.metrics_port, server.metrics_host, registry=scrape_registry())
    err.print(f"metrics on http://{server.metrics_host}:{server.metrics_port}/metrics")


def log_config(level: str) -> dict[str, Any]:
    """Plain lines for uvicorn's own messages; the access log is one JSON object a line."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
            "bare": {"format": "%(message)s"},
        },
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "plain",
                "stream": "ext://sys.stderr",
            },
            "stdout": {
                "class": "logging.StreamHandler",
                "formatter": "bare",
                "stream": "ext://sys.stdout",
            },
        },
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": level.upper()},
            "address_lookup": {"handlers": ["stderr"], "level": level.upper(), "propagate": False},
            "address_lookup.access": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
            # asyncpg's pool logs a traceback each time it fails to reconnect during an
            # outage; service.db.outages says it once, when the outage starts and ends.
            "asyncpg.pool": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
        },
    }
