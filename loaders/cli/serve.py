"""``address-lookup serve``: the HTTP service, on the managed local PostGIS unless
DATABASE_URL is set."""

from __future__ import annotations

from typing import Annotated, Any

import typer
import uvicorn

from loaders.cli.support import run_async
from loaders.core.database import database_url
from loaders.errors import CliError
from service.db.pool import DatabaseNotReady, wait_for_database
from service.settings import Settings


def serve(
    host: Annotated[str | None, typer.Option(help="Interface to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
) -> None:
    """Run the HTTP service (on the managed local PostGIS unless DATABASE_URL is set)."""
    settings = Settings()
    url = database_url(settings)
    try:
        run_async(wait_for_database, url, settings.db)
    except DatabaseNotReady as problem:
        raise CliError(f"cannot serve: {problem}") from None
    uvicorn.run(
        "service.main:app_from_environment",
        factory=True,
        host=host or settings.server.host,
        port=port or settings.server.port,
        workers=workers,
        access_log=False,
        log_config=log_config(settings.server.log_level),
    )


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
        },
    }
