"""The ``address-lookup`` command: run the service, manage its database, load data."""

from __future__ import annotations

import sys

import asyncpg
import typer

from loaders.cli.councils import councils_app
from loaders.cli.database import db_app
from loaders.cli.demo import demo
from loaders.cli.generate import generate
from loaders.cli.keys import keys_app
from loaders.cli.load import load_app
from loaders.cli.serve import serve
from loaders.cli.status import status
from loaders.cli.support import err
from loaders.cli.usage import usage
from loaders.errors import CliError
from service.db import localcluster
from service.db.pool import DatabaseNotReady, describe

app = typer.Typer(
    rich_markup_mode=None,  # help texts are plain prose: rewrap their lines
    help="Address Lookup: UK address and boundary lookups for council web forms.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(db_app, name="db")
app.command("generate")(generate)
app.add_typer(load_app, name="load")
app.command("serve")(serve)
app.command("status")(status)
app.command("demo")(demo)
app.add_typer(councils_app, name="councils")
app.add_typer(keys_app, name="keys")
app.command("usage")(usage)


EXPECTED_ERRORS = (CliError, localcluster.LocalDbError, DatabaseNotReady)


def main() -> None:
    """Entry point: expected failures print one line and exit 1, never a traceback."""
    try:
        app()
    except EXPECTED_ERRORS as error:
        err.print(f"error: {error}")
        sys.exit(1)
    except asyncpg.PostgresError as error:
        err.print(f"error: the database refused: {describe(error)}")
        sys.exit(1)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
