"""``address-lookup demo``: everything a first look needs, in one command — the database,
its schema, a generated demo area (addresses, parishes, wards, districts and their contacts),
and the service on http://127.0.0.1:8000."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from loaders.cli.generate import generate
from loaders.cli.load import load_addressbase_command, load_boundaries, load_contacts
from loaders.cli.serve import serve
from loaders.cli.support import out, run_async
from loaders.core.database import connect, database_url
from service.db.migrations import migrate
from service.settings import PROJECT_ROOT, Settings

DEMO_DIR = PROJECT_ROOT / "data" / "demo"
AREA_FILES = (("parish", "parishes"), ("ward", "wards"), ("district", "districts"))


async def _prepare(url: str) -> bool:
    """Migrate; True when addresses are already loaded."""
    conn = await connect(url)
    try:
        for migration in await migrate(conn):
            out.print(f"applied migration {migration.version:04d} {migration.name}")
        return bool(await conn.fetchval("SELECT EXISTS (SELECT 1 FROM addresses)"))
    finally:
        await conn.close()


def load_demo_data(supply: Path, addresses: int, seed: int) -> None:
    """Generate the demo area (once) and load it exactly as an operator would."""
    if not (supply / "manifest.json").exists():
        generate(out_dir=supply, addresses=addresses, seed=seed, force=supply.exists())
    rejects = supply / "rejects"
    load_addressbase_command([str(supply / "AddressBasePremium_*.csv")], rejects_dir=rejects)
    for area_type, file_name in AREA_FILES:
        load_boundaries(
            supply / "boundaries" / f"{file_name}.geojson", area_type=area_type, rejects_dir=rejects
        )
    load_contacts(supply / "contacts.csv", rejects_dir=rejects)


def demo(
    host: Annotated[
        str | None, typer.Option(help="Interface to listen on (default 127.0.0.1).")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (default 8000).")] = None,
    addresses: Annotated[int, typer.Option(min=100, help="Size of the demo area.")] = 20_000,
    seed: Annotated[int, typer.Option(help="Which demo area to generate.")] = 1,
    reload_data: Annotated[
        bool, typer.Option("--reload-data", help="Load the demo data again.")
    ] = False,
) -> None:
    """Start the database, migrate it, load a generated demo area (the first time) and serve
    it on http://127.0.0.1:8000 — API documentation at /docs."""
    url = database_url(Settings())
    if not run_async(_prepare, url) or reload_data:
        load_demo_data(DEMO_DIR, addresses, seed)
    serve(host=host, port=port, workers=1)
