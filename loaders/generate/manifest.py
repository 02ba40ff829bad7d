"""manifest.json: what a generator run wrote and how to make it again.

A change-only run reads the manifest of the full supply it changes: the seed, address and parish
counts there are enough to generate that supply again, so its files are never parsed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from loaders.errors import CliError

GENERATOR = "address-lookup generate"
MANIFEST_NAME = "manifest.json"
MANIFEST_VERSION = 1


@dataclass(frozen=True, slots=True)
class FullSupplyRecipe:
    """The arguments that made a full supply: enough to generate it again, byte for byte."""

    seed: int
    addresses: int
    parishes: int


def write_manifest(out_dir: Path, content: dict[str, Any]) -> Path:
    """Write manifest.json (keys sorted, indented) with the generator's name and version."""
    path = out_dir / MANIFEST_NAME
    document = {"generator": GENERATOR, "manifest_version": MANIFEST_VERSION, **content}
    path.write_bytes(orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS))
    return path


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The generator manifest in ``folder``, or None when there is none or it is not ours."""
    path = folder / MANIFEST_NAME
    try:
        document = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None
    if not isinstance(document, dict) or document.get("generator") != GENERATOR:
        return None
    return document


def full_supply_recipe(folder: Path) -> FullSupplyRecipe:
    """How the full supply in ``folder`` was made; a CliError when it is not such a supply."""
    if not folder.is_dir():
        raise CliError(f"--cou-from {folder} is not a folder; give the --out folder of a full run")
    document = read_manifest(folder)
    if document is None:
        raise CliError(
            f"--cou-from {folder} holds no manifest.json written by address-lookup generate; "
            "give the --out folder of an earlier full (not change-only) run"
        )
    if document.get("supply") != "full":
        raise CliError(
            f"--cou-from {folder} holds a change-only supply; give the folder of a full supply"
        )
    try:
        return FullSupplyRecipe(
            int(document["seed"]), int(document["addresses"]), int(document["parishes"])
        )
    except (KeyError, TypeError, ValueError):
        raise CliError(f"the manifest.json in {folder} is incomplete; generate it again") from None
