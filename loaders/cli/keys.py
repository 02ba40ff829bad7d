"""``address-lookup keys ...``: issue, list, revoke and rotate the councils' API keys.

A new key is printed once, alone on the last line of the output (scripts read it with
``tail -n 1``); only its hash is stored, so it cannot be shown again."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

import typer
from rich.table import Table

from loaders.cli.councils import with_database
from loaders.cli.support import out
from loaders.errors import CliError
from service.settings import TenancySettings
from service.tenancy.councils import TenancyInputError, checked_code
from service.tenancy.keys import KeyKind
from service.tenancy.origins import BadOrigin, checked_origin
from service.tenancy.store import IssuedKey, KeySpec, create_key, list_keys, revoke_key, rotate_key

DEFAULT_PER_MINUTE = 600  # as the OS Data Hub allows a project
DEFAULT_PER_DAY = 100_000
DEFAULT_GRACE_HOURS = 24.0

keys_app = typer.Typer(
    rich_markup_mode=None,
    help="API keys of the signatory councils: create, list, revoke, rotate.",
    no_args_is_help=True,
)


PrefixArgument = Annotated[
    str, typer.Argument(help="The key's public prefix as `keys list` shows it, e.g. alpk_x7k2m9q4.")
]


def print_new_key(issued: IssuedKey) -> None:
    """The key, once, alone on the last line (plain print: nothing may wrap or colour it)."""
    out.print("the key is shown only now and cannot be recovered; store it safely:")
    print(issued.key, flush=True)


def spec_from_options(
    council: str,
    kind: KeyKind,
    origins: list[str],
    per_minute: int,
    per_day: int,
    label: str | None,
) -> KeySpec:
    try:
        return KeySpec(
            council_code=checked_code(council),
            kind=kind,
            origins=tuple(dict.fromkeys(checked_origin(o) for o in origins)),
            per_minute=per_minute,
            per_day=per_day,
            label=label,
        )
    except (TenancyInputError, BadOrigin) as error:
        raise CliError(str(error)) from None


@keys_app.command("create")
def keys_create(
    council: Annotated[str, typer.Option(help="The council's ONS/GSS code.")],
    kind: Annotated[
        KeyKind,
        typer.Option(help="browser: for web pages at --origin; server: for servers only."),
    ],
    origin: Annotated[
        list[str] | None,
        typer.Option(help="An origin whose pages may use a browser key (repeat for several)."),
    ] = None,
    per_minute: Annotated[int, typer.Option(min=1, help="Requests allowed a minute.")] = (
        DEFAULT_PER_MINUTE
    ),
    per_day: Annotated[int, typer.Option(min=1, help="Requests allowed a UTC day.")] = (
        DEFAULT_PER_DAY
    ),
    label: Annotated[str | None, typer.Option(help="A note: what or who the key is for.")] = None,
) -> None:
    """Issue a key to a council and print it once, alone on the last line."""
    spec = spec_from_options(council, kind, origin or [], per_minute, per_day, label)
    issued = with_database(lambda conn: create_key(conn, spec))
    out.print(f"created {spec.kind} key {issued.public_id} for council {spec.council_code}")
    if spec.origins:
        out.print(f"origins: {', '.join(spec.origins)}")
    out.print(f"limits: {spec.per_minute:,} a minute, {spec.per_day:,} a day")
    print_new_key(issued)


def _when(value: datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value else "-"


def _revoked(value: datetime | None) -> str:
    if value is None:
        return "-"
    pending = value > datetime.now().astimezone()
    return f"from {_when(value)}" if pending else _when(value)


def keys_table(rows: list[dict[str, Any]]) -> Table:
    """Keys without their secret: prefix, council, kind, origins, limits, dates."""
    table = Table(title="API keys (newest first)")
    headings = (
        "prefix",
        "council",
        "kind",
        "label",
        "origins",
        "per minute",
        "per day",
        "created",
        "last used",
        "revoked",
    )
    for heading in headings:
        table.add_column(heading)
    for r in rows:
        table.add_row(
            r["public_id"],
            r["council_code"],
            r["kind"],
            r["label"] or "-",
            " ".join(r["origins"]) or "-",
            f"{r['per_minute']:,}",
            f"{r['per_day']:,}",
            _when(r["created_at"]),
            _when(r["last_used_at"]),
            _revoked(r["revoked_at"]),
        )
    return table


@keys_app.command("list")
def keys_list(
    council: Annotated[str | None, typer.Option(help="Only this council's keys.")] = None,
    active: Annotated[bool, typer.Option("--active", help="Leave out revoked keys.")] = False,
) -> None:
    """List keys: public prefix, council, kind, origins, limits, created, last used and
    revoked. Never the key itself, which is not stored."""
    code = checked_code(council) if council else None
    rows = with_database(lambda conn: list_keys(conn, council=code, include_revoked=not active))
    if not rows:
        out.print("no keys yet: issue one with `address-lookup keys create`")
        return
    out.print(keys_table(rows))


@keys_app.command("revoke")
def keys_revoke(prefix: PrefixArgument) -> None:
    """Revoke a key now. Every service process refuses it within the key reload interval."""
    revoked = with_database(lambda conn: revoke_key(conn, prefix))
    seconds = TenancySettings().key_refresh_s
    out.print(
        f"revoked {prefix} at {_when(revoked)}; every service process refuses it within "
        f"{seconds:g} s"
    )


@keys_app.command("rotate")
def keys_rotate(
    prefix: PrefixArgument,
    grace_hours: Annotated[
        float,
        typer.Option(min=0, max=720, help="How long the old key keeps working (hours)."),
    ] = DEFAULT_GRACE_HOURS,
) -> None:
    """Issue a new key with the same council, kind, origins, limits and label; the old one
    keeps working for the grace period (24 hours unless --grace-hours says otherwise), time to
    deploy the new one, then stops. Prints the new key once, alone on the last line."""
    grace = timedelta(hours=grace_hours)
    issued = with_database(lambda conn: rotate_key(conn, prefix, grace))
    ends = datetime.now().astimezone() + grace
    out.print(f"new key {issued.public_id} replaces {prefix}, which stops at {_when(ends)}")
    print_new_key(issued)
