"""The ``address-lookup`` command: run the service, manage its database, load data."""

from __future__ import annotations

import sys

import asyncpg
import typer

from loaders import localdb
from loaders.cli_support import connect, database_url, err, out, run_async
from loaders.councils_command import councils_app
from loaders.demo_command import demo
from loaders.errors import CliError
from loaders.generate.command import generate
from loaders.keys_command import keys_app
from loaders.load_commands import load_app
from loaders.migrations import migrate, schema_state
from loaders.serve_command import serve
from loaders.status_command import status
from loaders.usage_command import usage
from service.db import DatabaseNotReady, describe
from service.settings import Settings

app = typer.Typer(
    rich_markup_mode=None,  # help texts are plain prose: rewrap their lines
    help="Address Lookup: UK address and boundary lookups for council web forms.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
db_app = typer.Typer(
    rich_markup_mode=None,
    help="Manage the database: the managed local PostGIS and schema migrations.",
    no_args_is_help=True,
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


def local_cluster(settings: Settings) -> localdb.LocalCluster:
    if settings.db.url:
        err.print("note: DATABASE_URL is set, so commands use that database, not this local one")
    return localdb.cluster_from_settings(settings.local_db)


@db_app.command("start")
def db_start() -> None:
    """Start the managed local PostGIS (creating it on first use). Safe to run twice."""
    cluster = local_cluster(Settings())
    started = localdb.start(cluster)
    out.print(f"local database {'started' if started else 'already running'}: {cluster.url}")


@db_app.command("stop")
def db_stop() -> None:
    """Stop the managed local PostGIS. Safe to run when it is not running."""
    cluster = local_cluster(Settings())
    stopped = localdb.stop(cluster)
    out.print("local database stopped" if stopped else "local database was not running")


@db_app.command("status")
def db_status() -> None:
    """Show whether the managed local PostGIS runs and whether the schema is current."""
    settings = Settings()
    cluster = local_cluster(settings)
    state = localdb.status(cluster)
    running = f"running (pid {state.pid})" if state.running else "stopped"
    out.print(f"local database: {running if state.initialised else 'not created yet'}")
    out.print(f"  data dir: {cluster.data_dir}")
    out.print(f"  url:      {cluster.url}")
    if settings.db.url or state.running:
        out.print(f"schema: {run_async(_describe_schema, settings.database_url)}")


async def _describe_schema(url: str) -> str:
    try:
        conn = await connect(url)
    except CliError as error:
        return str(error)
    try:
        state = await schema_state(conn)
    finally:
        await conn.close()
    return state.problem() or f"current (version {state.current})"


@db_app.command("migrate")
def db_migrate() -> None:
    """Apply pending schema migrations. Running it again when current does nothing."""
    applied = run_async(_migrate, database_url(Settings()))
    if not applied:
        out.print("schema already current")
    for version, name in applied:
        out.print(f"applied migration {version:04d} {name}")


async def _migrate(url: str) -> list[tuple[int, str]]:
    conn = await connect(url)
    try:
        return [(m.version, m.name) for m in await migrate(conn)]
    finally:
        await conn.close()


EXPECTED_ERRORS = (CliError, localdb.LocalDbError, DatabaseNotReady)


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
