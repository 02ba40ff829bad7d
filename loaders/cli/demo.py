"""``address-lookup demo``: everything a first look needs, in one command — the database,
its schema, a generated demo area (addresses, parishes, wards, districts and their contacts),
keys for the demo (keys are required, as in a real deployment), and the service on
http://127.0.0.1:8000."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from loaders.cli.demo_keys import DemoKeys, demo_origins, make_demo_keys
from loaders.cli.generate import generate
from loaders.cli.load import load_addressbase_command
from loaders.cli.load_areas import load_boundaries, load_contacts
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


async def _demo_keys(url: str, origins: tuple[str, ...]) -> DemoKeys:
    conn = await connect(url)
    try:
        return await make_demo_keys(conn, origins)
    finally:
        await conn.close()


def announce_keys(keys: DemoKeys, base: str) -> None:
    out.print("keys for this demo run (earlier demo keys are revoked):")
    out.print(f"  browser key, for pages at {' and '.join(keys.origins)}: {keys.browser}")
    out.print(f"  server key, for curl and scripts: {keys.server}")
    out.print(f"try: curl -H 'X-API-Key: {keys.server}' '{base}/v1/addresses/search?q=1+high+st'")


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
    it on http://127.0.0.1:8000 — API documentation at /docs. Keys are required: each run
    prints a new browser key for the demo pages and a server key for curl."""
    settings = Settings()
    url = database_url(settings)
    if not run_async(_prepare, url) or reload_data:
        load_demo_data(DEMO_DIR, addresses, seed)
    host = host or settings.server.host
    listen_port = port or settings.server.port
    keys = run_async(_demo_keys, url, demo_origins(host, listen_port))
    announce_keys(keys, f"http://{host}:{listen_port}")
    os.environ["ADDRESS_LOOKUP_REQUIRE_KEYS"] = "true"
    os.environ["ADDRESS_LOOKUP_DEMO_KEY"] = keys.browser  # the demo pages' data-key
    serve(host=host, port=port, workers=1)
