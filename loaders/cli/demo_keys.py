"""The demo's own council and keys. The demo runs with keys required, like a real deployment:
each run makes a browser key for the demo pages (origins http://127.0.0.1:PORT and
http://localhost:PORT) and a server key for trying the API with curl, and revokes the keys of
earlier runs (keys are stored only as hashes, so an earlier key cannot be shown again)."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from loaders.generate.areas import FIRST_CUSTODIAN_CODE
from service.db.types import Connection
from service.tenancy.councils import TenancyInputError, add_council
from service.tenancy.keys import KeyKind
from service.tenancy.store import KeySpec, create_key, list_keys, revoke_key

DEMO_COUNCIL = "E06999999"  # a GSS-shaped code no real council has
DEMO_COUNCIL_NAME = "Demo Council (fictional)"
DEMO_LABELS = ("demo pages", "demo curl")
DEMO_PER_MINUTE, DEMO_PER_DAY = 6000, 1_000_000


@dataclass(frozen=True)
class DemoKeys:
    browser: str
    server: str
    origins: tuple[str, ...]


def demo_origins(host: str, port: int) -> tuple[str, ...]:
    """Where a person opens the demo pages from."""
    origins = [f"http://127.0.0.1:{port}", f"http://localhost:{port}"]
    if host not in ("127.0.0.1", "localhost", "0.0.0.0", "::"):
        origins.append(f"http://{host}:{port}")
    return tuple(origins)


async def make_demo_keys(conn: Connection, origins: tuple[str, ...]) -> DemoKeys:
    """The demo council (added once, its home area the demo data's first district), this
    run's keys, and the earlier runs' keys revoked."""
    with contextlib.suppress(TenancyInputError):  # added by an earlier run
        await add_council(conn, DEMO_COUNCIL, DEMO_COUNCIL_NAME, custodians=(FIRST_CUSTODIAN_CODE,))
    for old in await list_keys(conn, council=DEMO_COUNCIL, include_revoked=False):
        if old["label"] in DEMO_LABELS:
            await revoke_key(conn, old["public_id"])
    limits = (DEMO_PER_MINUTE, DEMO_PER_DAY)
    browser = await create_key(
        conn, KeySpec(DEMO_COUNCIL, KeyKind.BROWSER, origins, *limits, DEMO_LABELS[0])
    )
    server = await create_key(
        conn, KeySpec(DEMO_COUNCIL, KeyKind.SERVER, (), *limits, DEMO_LABELS[1])
    )
    return DemoKeys(browser=browser.key, server=server.key, origins=origins)
