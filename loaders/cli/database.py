"""``address-lookup db ...``: the managed local PostGIS (start, stop, status) and schema
migrations."""

from __future__ import annotations

import typer

from loaders.cli.support import err, out, run_async
from loaders.core.database import connect, database_url
from loaders.errors import CliError
from service.db import localcluster
from service.db.migrations import migrate, schema_state
from service.settings import Settings

db_app = typer.Typer(
    rich_markup_mode=None,
    help="Manage the database: the managed local PostGIS and schema migrations.",
    no_args_is_help=True,
)


def local_cluster(settings: Settings) -> localcluster.LocalCluster:
    if settings.db.url:
        err.print("note: DATABASE_URL is set, so commands use that database, not this local one")
    return localcluster.cluster_from_settings(settings.local_db)


@db_app.command("start")
def db_start() -> None:
    """Start the managed local PostGIS (creating it on first use). Safe to run twice."""
    cluster = local_cluster(Settings())
    started = localcluster.start(cluster)
    out.print(f"local database {'started' if started else 'already running'}: {cluster.url}")


@db_app.command("stop")
def db_stop() -> None:
    """Stop the managed local PostGIS. Safe to run when it is not running."""
    cluster = local_cluster(Settings())
    stopped = localcluster.stop(cluster)
    out.print("local database stopped" if stopped else "local database was not running")


@db_app.command("status")
def db_status() -> None:
    """Show whether the managed local PostGIS runs and whether the schema is current."""
    settings = Settings()
    cluster = local_cluster(settings)
    state = localcluster.status(cluster)
    running = f"running (pid {state.pid})" if state.running else "stopped"
    out.print(f"local database: {running if state.initialised else 'not created yet'}")
    out.print(f"  data dir: {cluster.data_dir}")
    out.print(f"  url:      {cluster.url}")
    out.print(f"  loader:   {settings.local_db.loader_url}")
    out.print(f"  service:  {settings.local_db.service_url}")
    if settings.db.url or state.running:
        for line in run_async(_describe_schema, settings.database_url):
            out.print(line)


async def _describe_schema(url: str) -> list[str]:
    try:
        conn = await connect(url)
    except CliError as error:
        return [f"schema: {error}"]
    try:
        state = await schema_state(conn)
    finally:
        await conn.close()
    described = [f"schema: {state.problem() or f'current (version {state.current})'}"]
    warning = state.warning()
    return [*described, f"warning: {warning}"] if warning else described


@db_app.command("migrate")
def db_migrate() -> None:
    """Apply pending schema migrations. Running it again when current does nothing."""
    applied, warning = run_async(_migrate, database_url(Settings()))
    if not applied:
        out.print("schema already current")
    for version, name in applied:
        out.print(f"applied migration {version:04d} {name}")
    if warning:
        err.print(f"warning: {warning}")


async def _migrate(url: str) -> tuple[list[tuple[int, str]], str | None]:
    conn = await connect(url)
    try:
        applied = [(m.version, m.name) for m in await migrate(conn)]
        return applied, (await schema_state(conn)).warning()
    finally:
        await conn.close()
