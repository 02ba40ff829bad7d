"""``address-lookup councils ...``: the signatory councils that may be issued keys, and the home
area of each (its local custodian codes and/or a box), which search can rank first."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

import typer
from rich.table import Table

from loaders.cli.support import out, run_async
from loaders.core.database import connect, database_url
from loaders.errors import CliError
from service.db.types import Connection
from service.settings import Settings
from service.tenancy.councils import (
    Box,
    Council,
    TenancyInputError,
    add_council,
    checked_code,
    list_councils,
    parse_box,
    update_council,
)

T = TypeVar("T")

councils_app = typer.Typer(
    rich_markup_mode=None,
    help="Signatory councils: add them, list them, set their home area.",
    no_args_is_help=True,
)

CodeArgument = Annotated[str, typer.Argument(help="The council's ONS/GSS code, e.g. E07000203.")]
CustodianOption = Annotated[
    list[int] | None,
    typer.Option(
        "--custodian",
        help="A local custodian code of the council's home area (repeat for several).",
    ),
]
BoxOption = Annotated[
    str | None,
    typer.Option(help="Home area box 'minx,miny,maxx,maxy' in British National Grid metres."),
]


def with_database(work: Callable[[Connection], Awaitable[T]]) -> T:
    """Run ``work`` on a connection to the service's database; a refused input is one line."""

    async def run(url: str) -> T:
        conn = await connect(url)
        try:
            return await work(conn)
        except TenancyInputError as error:
            raise CliError(str(error)) from None
        finally:
            await conn.close()

    return run_async(run, database_url(Settings()))


def checked(code: str, box: str | None) -> tuple[str, Box | None]:
    try:
        return checked_code(code), parse_box(box) if box else None
    except TenancyInputError as error:
        raise CliError(str(error)) from None


@councils_app.command("add")
def councils_add(
    code: CodeArgument,
    name: Annotated[str, typer.Option(help="The council's name, e.g. 'Mid Suffolk'.")],
    custodian: CustodianOption = None,
    box: BoxOption = None,
) -> None:
    """Register a signatory council by its ONS/GSS code, optionally with its home area."""
    gss, home_box = checked(code, box)
    custodians = tuple(custodian or ())
    with_database(lambda conn: add_council(conn, gss, name, custodians=custodians, box=home_box))
    out.print(f"added council {gss} {name}")


@councils_app.command("update")
def councils_update(
    code: CodeArgument,
    name: Annotated[str | None, typer.Option(help="A new name.")] = None,
    custodian: CustodianOption = None,
    box: BoxOption = None,
    clear_home: Annotated[
        bool, typer.Option("--clear-home", help="Forget the home area (before setting a new one).")
    ] = False,
) -> None:
    """Change a council's name or home area; what is not given stays as it is."""
    gss, home_box = checked(code, box)
    custodians = tuple(custodian) if custodian else None
    with_database(
        lambda conn: update_council(
            conn, gss, name=name, custodians=custodians, box=home_box, clear_home=clear_home
        )
    )
    out.print(f"updated council {gss}")


def councils_table(councils: list[Council]) -> Table:
    table = Table(title="Councils")
    for heading in ("code", "name", "home custodians", "home box (BNG)", "keys in force"):
        table.add_column(heading)
    for council in councils:
        box = ",".join(f"{v:g}" for v in council.home_box) if council.home_box else "-"
        custodians = ",".join(map(str, council.home_custodians)) or "-"
        table.add_row(council.code, council.name, custodians, box, str(council.active_keys))
    return table


@councils_app.command("list")
def councils_list() -> None:
    """List the signatory councils with their home areas and how many keys they hold."""
    councils = with_database(list_councils)
    if not councils:
        out.print("no councils yet: add one with `address-lookup councils add CODE --name NAME`")
        return
    out.print(councils_table(councils))
