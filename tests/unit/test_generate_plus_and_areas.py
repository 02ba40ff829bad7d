"""AddressBase Plus rows, boundaries and contacts of a small generated area."""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path
from typing import Any

import pytest
import shapely
from shapely.geometry import shape

from loaders.generate.supply import FullSupplyRequest, write_full_supply
from loaders.ingest.addressbase.layout import PLUS_COLUMNS

ADDRESSES = 3000
SEED = 11


def generate(out_dir: Path, output_format: str, parishes: int = 25) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    request = FullSupplyRequest(ADDRESSES, SEED, out_dir, output_format, 1, False, parishes)
    write_full_supply(request)
    return out_dir


@pytest.fixture(scope="module")
def plus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("plus"), "plus")


@pytest.fixture(scope="module")
def plus_rows(plus_dir: Path) -> list[dict[str, str]]:
    (path,) = plus_dir.glob("AddressBasePlus_*.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_features(folder: Path, name: str) -> list[dict[str, Any]]:
    document = json.loads((folder / "boundaries" / f"{name}.geojson").read_text())
    assert document["crs"]["properties"]["name"] == "urn:ogc:def:crs:EPSG::27700"
    features: list[dict[str, Any]] = document["features"]
    return features


def test_plus_has_one_row_per_address_under_a_header(plus_dir: Path) -> None:
    (path,) = plus_dir.glob("AddressBasePlus_*.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    assert tuple(header) == PLUS_COLUMNS and len(header) == 77
    assert len(rows) == ADDRESSES
    assert all(len(row) == 77 for row in rows)


def test_plus_describes_the_same_addresses_as_premium(
    tmp_path: Path, plus_rows: list[dict[str, str]]
) -> None:
    premium_dir = generate(tmp_path, "premium")
    (path,) = premium_dir.glob("AddressBasePremium_*.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        blpus = {row[3]: row for row in csv.reader(handle) if row[0] == "21"}
    assert {row["UPRN"] for row in plus_rows} == set(blpus)
    for row in plus_rows[::50]:
        assert row["X_COORDINATE"] == blpus[row["UPRN"]][8]
        assert row["POSTCODE_LOCATOR"] == blpus[row["UPRN"]][20]


def test_plus_rows_carry_the_ward_and_parish_they_lie_in(
    plus_dir: Path, plus_rows: list[dict[str, str]]
) -> None:
    parishes = {
        f["properties"]["code"]: shape(f["geometry"]) for f in load_features(plus_dir, "parishes")
    }
    wards = {f["properties"]["code"] for f in load_features(plus_dir, "wards")}
    for row in plus_rows[::7]:
        point = shapely.Point(float(row["X_COORDINATE"]), float(row["Y_COORDINATE"]))
        assert parishes[row["PARISH_CODE"]].distance(point) < 0.01
        assert row["WARD_CODE"] in wards


def test_boundaries_cover_every_address(plus_dir: Path, plus_rows: list[dict[str, str]]) -> None:
    points = shapely.points(
        [(float(r["X_COORDINATE"]), float(r["Y_COORDINATE"])) for r in plus_rows]
    )
    for name in ("parishes", "wards", "districts"):
        cover = shapely.union_all([shape(f["geometry"]) for f in load_features(plus_dir, name)])
        assert shapely.covers(cover.buffer(0.01), points).all(), name


def test_parishes_nest_in_wards_and_wards_in_districts(plus_dir: Path) -> None:
    parishes = load_features(plus_dir, "parishes")
    wards = load_features(plus_dir, "wards")
    districts = load_features(plus_dir, "districts")
    assert len(parishes) == 25 and 1 < len(wards) < 25 and 1 < len(districts) <= len(wards)
    for inner, outer in ((parishes, wards), (wards, districts)):
        outer_shapes = [shape(f["geometry"]).buffer(0.01) for f in outer]
        for feature in inner:
            polygon = shape(feature["geometry"])
            assert sum(o.covers(polygon) for o in outer_shapes) == 1, feature["properties"]


def test_area_codes_look_like_gss_codes_and_names_are_unique(plus_dir: Path) -> None:
    for name, prefix in (("parishes", "E04"), ("wards", "E05"), ("districts", "E07")):
        features = load_features(plus_dir, name)
        codes = [f["properties"]["code"] for f in features]
        names = [f["properties"]["name"] for f in features]
        assert all(code.startswith(prefix) and len(code) == 9 for code in codes)
        assert len(set(codes)) == len(codes) and len(set(names)) == len(names)


def test_contacts_route_to_most_parishes_and_every_ward_and_district(plus_dir: Path) -> None:
    with (plus_dir / "contacts.csv").open(encoding="utf-8", newline="") as handle:
        contacts = list(csv.DictReader(handle))
    assert list(contacts[0]) == ["area_code", "name", "role", "email", "phone", "url"]
    parish_codes = {f["properties"]["code"] for f in load_features(plus_dir, "parishes")}
    clerks = {c["area_code"] for c in contacts if c["role"] == "Parish Clerk"}
    assert clerks < parish_codes and len(clerks) > 0.6 * len(parish_codes)
    covered = {c["area_code"] for c in contacts}
    for name in ("wards", "districts"):
        assert {f["properties"]["code"] for f in load_features(plus_dir, name)} <= covered
    assert all(c["email"].endswith(".example.org") for c in contacts)


def test_ten_thousand_parishes_are_quick_to_make(tmp_path: Path) -> None:
    started = time.perf_counter()
    folder = generate(tmp_path, "premium", parishes=10_000)
    parishes = load_features(folder, "parishes")
    assert len(parishes) == 10_000
    assert all(shape(f["geometry"]).area > 0 for f in parishes[::100])
    print(f"10,000 parishes in {time.perf_counter() - started:.1f} s")
