"""``address-lookup load ...``: bring data in (addresses, boundaries, contacts)."""

from __future__ import annotations

import typer

from loaders.addressbase.command import load_addressbase_command
from loaders.areas_commands import load_boundaries, load_contacts
from loaders.csv_command import load_csv_command

load_app = typer.Typer(
    rich_markup_mode=None,
    help="Load data: AddressBase or CSV addresses, boundaries, contacts.",
    no_args_is_help=True,
)
load_app.command("addressbase")(load_addressbase_command)
load_app.command("csv")(load_csv_command)
load_app.command("boundaries")(load_boundaries)
load_app.command("contacts")(load_contacts)
