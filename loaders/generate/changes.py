"""A change-only (COU) supply against an earlier full supply of this generator.

The full supply is generated again from its recipe (seed, addresses, parishes) rather than read:
only the settlements the changes touch are generated, each from its own random stream. Changes
are picked at positions drawn from the change seed, so the same arguments give the same supply.
About 20% of changes delete whole addresses, 40% update one, 40% insert new houses.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from loaders.generate import classes, words
from loaders.generate.edits import AddressEditor
from loaders.generate.manifest import FullSupplyRecipe, write_manifest
from loaders.generate.model import Address, AddressableObject, StreetBatch
from loaders.generate.outputs import describe_file
from loaders.generate.plan import AreaPlan, Settlement, build_plan
from loaders.generate.premium import CHANGE_ONLY, Change, PremiumSupplyWriter
from loaders.generate.settlement import generate_settlement, to_lat_lon
from loaders.generate.supply import Summary

CHANGE_INTERVAL = timedelta(weeks=6)
DELETE_SHARE, UPDATE_SHARE = 0.2, 0.4
CANDIDATES_PER_CHANGE = 6
HOUSE_CLASSES = frozenset({classes.DETACHED, classes.SEMI_DETACHED, classes.TERRACED})


def default_change_count(base_addresses: int) -> int:
    """Half a percent of the addresses (AddressBase changes about that much in six weeks)."""
    return max(10, base_addresses // 200)


@dataclass(frozen=True, slots=True)
class ChangeRequest:
    """A change-only supply to make: against which full supply, how many changes, where."""

    base: FullSupplyRecipe
    seed: int
    changes: int
    out_dir: Path
    files: int
    zipped: bool


@dataclass(slots=True)
class ChangeLog:
    """Which UPRNs the supply inserted, updated and deleted (for the manifest and tests)."""

    inserted: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    deleted: list[int] = field(default_factory=list)
    update_kinds: dict[str, int] = field(default_factory=dict)


def write_change_supply(request: ChangeRequest) -> Summary:
    """Write the change-only Premium supply and its manifest into ``request.out_dir``."""
    started = time.perf_counter()
    plan = build_plan(request.base.seed, request.base.addresses, request.base.parishes)
    change_date = plan.supply_date + CHANGE_INTERVAL
    rng = random.Random(f"{request.base.seed}:cou:{request.seed}")
    writer = PremiumSupplyWriter(
        request.out_dir,
        file_type=CHANGE_ONLY,
        supply_date=change_date,
        file_count=request.files,
        expected_addresses=request.changes,
        zipped=request.zipped,
    )
    picker = ChangePicker(rng, plan, request.changes, AddressEditor(rng, change_date.isoformat()))
    for settlement in picker.settlements:
        for batch in generate_settlement(plan, settlement):
            for changes, addresses in picker.street_changes(batch):
                writer.write_group(changes, addresses)
    paths = writer.close()
    counts = {str(record_id): writer.counts[record_id] for record_id in sorted(writer.counts)}
    manifest = _manifest(request, plan, change_date.isoformat(), picker.log, counts)
    manifest["files"] = [describe_file(path, request.out_dir) for path in paths]
    write_manifest(request.out_dir, manifest)
    return Summary(paths, counts, time.perf_counter() - started, {"log": picker.log})


class ChangePicker:
    """Decides, address by address, what changes: positions drawn up front, applied in order."""

    def __init__(
        self, rng: random.Random, plan: AreaPlan, changes: int, editor: AddressEditor
    ) -> None:
        self._rng, self._editor = rng, editor
        self.settlements = _touched_settlements(rng, plan, changes * CANDIDATES_PER_CHANGE)
        candidates = sum(settlement.addresses for settlement in self.settlements)
        deletes, updates = round(changes * DELETE_SHARE), round(changes * UPDATE_SHARE)
        kinds = (
            ["delete"] * deletes + ["update"] * updates + ["insert"] * (changes - deletes - updates)
        )
        positions = sorted(rng.sample(range(candidates), min(len(kinds), candidates)))
        rng.shuffle(kinds)
        self._due = dict(zip(positions, kinds, strict=False))
        self._pending = {"delete": 0, "update": 0, "insert": 0}
        self._position = 0
        self._next_uprn = plan.next_uprn
        self.log = ChangeLog()

    def street_changes(self, batch: StreetBatch) -> list[tuple[list[Change], int]]:
        """The changes on this street, one group per address changed."""
        postcodes = sorted({address.postcode for address in batch.addresses})
        groups = []
        for address in batch.addresses:
            kind = self._due.get(self._position)
            self._position += 1
            if kind is not None:
                self._pending[kind] += 1
            changes = self._change(address, postcodes)
            if changes:
                groups.append((changes, 1))
        while self._pending["insert"] and (house := self._new_house(batch)) is not None:
            self._pending["insert"] -= 1
            self.log.inserted.append(house.uprn)
            groups.append((self._editor.insert(house), 1))
        return groups

    def _change(self, address: Address, postcodes: list[str]) -> list[Change]:
        if self._pending["delete"] and address.multi_occupation == 0:
            self._pending["delete"] -= 1
            self.log.deleted.append(address.uprn)
            return self._editor.delete(address)
        kinds = self._editor.update_kinds(address) if self._pending["update"] else []
        if not kinds:
            return []
        kind = self._rng.choice(kinds)
        changes = self._editor.update(address, kind, postcodes)
        if changes:
            self._pending["update"] -= 1
            self.log.updated.append(address.uprn)
            self.log.update_kinds[kind] = self.log.update_kinds.get(kind, 0) + 1
        return changes

    def _new_house(self, batch: StreetBatch) -> Address | None:
        """A new house after the highest number on the street (or a new named house)."""
        houses = [a for a in batch.addresses if a.class_code in HOUSE_CLASSES and _is_house(a)]
        if not houses:
            return None
        numbered = [a for a in houses if a.pao.start_number is not None]
        if numbered:
            template = max(numbered, key=lambda a: a.pao.start_number or 0)
            pao = AddressableObject(start_number=(template.pao.start_number or 0) + 2)
        else:
            template = houses[-1]
            pao = AddressableObject(text=self._unused_name(batch))
        house = self._editor.new_house(template, self._next_uprn, pao)
        self._next_uprn += 1
        lats, lons = to_lat_lon([house.x], [house.y])
        house.lat, house.lon = lats[0], lons[0]
        batch.addresses.append(house)
        return house

    def _unused_name(self, batch: StreetBatch) -> str:
        taken = {address.pao.text for address in batch.addresses}
        free = [name for name in words.HOUSE_NAMES if name not in taken]
        return self._rng.choice(free) if free else f"{self._rng.choice(words.STREET_ROOTS)} HOUSE"


def _is_house(address: Address) -> bool:
    return address.parent_uprn is None and address.sao.start_number is None and not address.sao.text


def _touched_settlements(rng: random.Random, plan: AreaPlan, wanted: int) -> list[Settlement]:
    """Settlements drawn at random until they hold ``wanted`` addresses, in supply order."""
    order = list(range(len(plan.settlements)))
    rng.shuffle(order)
    chosen, held = [], 0
    for index in order:
        if held >= wanted:
            break
        chosen.append(index)
        held += plan.settlements[index].addresses
    return [plan.settlements[index] for index in sorted(chosen)]


def _manifest(
    request: ChangeRequest, plan: AreaPlan, change_date: str, log: ChangeLog, counts: dict[str, int]
) -> dict[str, Any]:
    return {
        "supply": "change-only",
        "seed": request.seed,
        "format": "premium",
        "file_type": CHANGE_ONLY,
        "zipped": request.zipped,
        "supply_date": change_date,
        "base": {
            "seed": request.base.seed,
            "addresses": request.base.addresses,
            "parishes": request.base.parishes,
            "supply_date": plan.supply_date.isoformat(),
        },
        "changes": {
            "requested": request.changes,
            "inserted_uprns": sorted(log.inserted),
            "updated_uprns": sorted(log.updated),
            "deleted_uprns": sorted(log.deleted),
            "update_kinds": dict(sorted(log.update_kinds.items())),
        },
        "counts": counts,
    }
