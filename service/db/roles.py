"""The database roles of least privilege. The loader's role owns the schema: it runs the
migrations and the loads. The service's role can only read the address and area data, and
write the usage counts and rate-limit allowances that a request records (migration 0010
grants it that, and default privileges extend it to every table the loader makes later).
The managed local cluster, docker-compose and the README's production setup create both."""

from __future__ import annotations

import logging

from service.db.types import Connection
from service.sqlfiles import sql

LOADER_ROLE = "address_lookup_loader"
SERVICE_ROLE = "address_lookup_service"

log = logging.getLogger("address_lookup.database")


async def superuser_warning(conn: Connection) -> str | None:
    """A sentence for the operator when the service connects as a superuser, else None."""
    row = await conn.fetchrow(sql("service.db", "current_role"))
    if row is None or not row["superuser"]:
        return None
    return (
        f"the service connects to the database as {row['name']}, a superuser: a flaw in it "
        f"could change or destroy any data. Connect as {SERVICE_ROLE}, which can only read "
        "(README, Production setup)."
    )
