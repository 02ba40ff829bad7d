"""Boundaries and contacts load into named data sets, one per council: a load replaces only its
own set's areas of its type (and its own set's contacts), so councils' parishes sit side by side,
and a point on the seam between two sets gets the area of each."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import numpy as np
import psycopg
import pyogrio.raw
import pytest
import shapely

from service.db.pool import init_connection
from service.main import create_app
from service.settings import DatabaseSettings, Settings
from service.spatial.areas import find_areas_containing
from tests.support.areas import load as load_boundaries
from tests.support.areas import write_boundaries
from tests.support.cli import run_cli
from tests.support.paths import shared_data
from tests.support.server import KEYS_OPTIONAL, live_server

TRAFFORD = "../reference/boundaries/trafford_parish_ons_may2023_bgc.geojson"
PARISHES = "boundaries/parishes_boundaryline_sample.geojson"  # 44 Aylesbury Vale, 6 Torridge
TORRIDGE = "DEVON_COUNTY"
TRAFFORD_FIELDS = ("--code-field", "area_code", "--name-field", "area_name")


def parishes_where(path: Path, keep: Any) -> Path:
    """The real parishes file cut down to the features whose (code, name, county) pass
    ``keep``."""
    meta, _, wkb, columns = pyogrio.raw.read(shared_data(PARISHES))
    by_name = dict(zip(list(meta["fields"]), columns, strict=True))
    fields = ["code", "name", "file_name"]
    rows = [i for i in range(len(wkb)) if keep(*(by_name[f][i] for f in fields))]
    pyogrio.raw.write(
        path,
        np.array([wkb[i] for i in rows], dtype=object),
        [np.array([by_name[f][i] for i in rows], dtype=object) for f in fields],
        fields,
        crs=meta["crs"],
        geometry_type="Unknown",
    )
    return path


def by_set(url: str, table: str) -> dict[str, int]:
    column = "set_name"
    with psycopg.connect(url) as conn:
        found = conn.execute(f"SELECT {column}, count(*) FROM {table} GROUP BY 1 ORDER BY 1")
        return {str(name): int(n) for name, n in found.fetchall()}


def contacts_csv(path: Path, codes: list[str]) -> Path:
    lines = [
        f"{code},parish,Clerk of {code},Clerk,clerk@{code.lower()}.example.org,,\n"
        for code in codes
    ]
    path.write_text("area_code,area_type,name,role,email,phone,url\n" + "".join(lines))
    return path


def load_contacts(url: str, path: Path, *extra: str) -> Any:
    args = ("load", "contacts", str(path), "--rejects-dir", str(path.parent), *extra)
    return run_cli(*args, env={"DATABASE_URL": url})


@pytest.mark.slow
def test_trafford_and_torridge_parishes_and_contacts_load_side_by_side(
    database_url: str, tmp_path: Path
) -> None:
    trafford = shared_data(PARISHES).parent / TRAFFORD
    torridge = parishes_where(tmp_path / "torridge.geojson", lambda _c, _n, f: f == TORRIDGE)
    done = load_boundaries(database_url, trafford, "parish", "--set", "trafford", *TRAFFORD_FIELDS)
    assert done.returncode == 0, done.stderr
    done = load_boundaries(database_url, torridge, "parish", "--set", "torridge")
    assert done.returncode == 0, done.stderr
    assert by_set(database_url, "areas") == {"torridge": 6, "trafford": 4}
    trafford_contacts = contacts_csv(tmp_path / "t.csv", ["E04000009", "E04000010"])
    torridge_contacts = contacts_csv(tmp_path / "d.csv", ["E04003275", "E04003263"])
    assert load_contacts(database_url, trafford_contacts, "--set", "trafford").returncode == 0
    assert load_contacts(database_url, torridge_contacts, "--set", "torridge").returncode == 0
    # Torridge loads again: Trafford's parishes and contacts stay as they were.
    again = load_boundaries(database_url, torridge, "parish", "--set", "torridge")
    assert again.returncode == 0, again.stderr
    assert load_contacts(database_url, torridge_contacts, "--set", "torridge").returncode == 0
    assert by_set(database_url, "areas") == {"torridge": 6, "trafford": 4}
    assert by_set(database_url, "area_contacts") == {"torridge": 2, "trafford": 2}


def _shared_vertex(url: str, first: str, second: str) -> tuple[float, float]:
    """A vertex on the boundary the two loaded parishes share, exactly as stored (BNG)."""
    points = "SELECT (ST_DumpPoints(geom)).geom AS p FROM areas WHERE code = %s"
    with psycopg.connect(url) as conn:
        row = conn.execute(
            f"SELECT ST_X(p), ST_Y(p) FROM ({points}) a "
            f"WHERE ST_Intersects(p, (SELECT ST_Collect(geom) FROM areas WHERE code = %s)) LIMIT 1",
            (first, second),
        ).fetchone()
    assert row is not None, f"{first} and {second} share no vertex"
    return float(row[0]), float(row[1])


def _neighbours() -> tuple[str, str]:
    """Two Aylesbury Vale parishes that touch."""
    _, _, wkb, (codes,) = pyogrio.raw.read(shared_data(PARISHES), columns=["code"])
    geoms = shapely.from_wkb(wkb)
    for i in range(len(geoms)):
        for j in range(i + 1, len(geoms)):
            if geoms[i].touches(geoms[j]) and geoms[i].intersection(geoms[j]).length > 0:
                return str(codes[i]), str(codes[j])
    raise AssertionError("no two parishes touch")


@pytest.fixture
def api(database_url: str) -> Iterator[httpx.Client]:
    app = create_app(
        Settings(db=DatabaseSettings(DATABASE_URL=database_url), tenancy=KEYS_OPTIONAL)
    )
    with live_server(app) as base, httpx.Client(base_url=base) as client:
        yield client


async def test_a_point_on_the_seam_between_two_sets_of_real_parishes_gets_the_parish_of_each(
    database_url: str, tmp_path: Path
) -> None:
    first, second = _neighbours()
    for code, set_name in ((first, "east"), (second, "west")):
        path = parishes_where(tmp_path / f"{code}.geojson", lambda c, _n, _f, k=code: c == k)
        done = load_boundaries(database_url, path, "parish", "--set", set_name)
        assert done.returncode == 0, done.stderr
    x, y = _shared_vertex(database_url, first, second)
    conn = await asyncpg.connect(database_url)
    try:
        await init_connection(conn)
        found = await find_areas_containing(conn, x=x, y=y)
    finally:
        await conn.close()
    assert sorted(area.code for area in found) == sorted([first, second])


SQUARE_A = shapely.box(470_000, 210_000, 471_000, 211_000)
SQUARE_B = shapely.box(471_000, 210_000, 472_000, 211_000)


def test_the_api_answers_each_set_s_area_on_a_seam_and_one_within_a_set(
    database_url: str, api: httpx.Client, tmp_path: Path
) -> None:
    for code, square, set_name in (("A", SQUARE_A, "east"), ("B", SQUARE_B, "west")):
        path = write_boundaries(tmp_path / f"{code}.geojson", {f"E0400000{code}": square})
        assert load_boundaries(database_url, path, "parish", "--set", set_name).returncode == 0
    seam = {"x": "471000", "y": "210500"}
    answer = api.get("/v1/areas", params=seam).json()
    assert sorted(area["code"] for area in answer["areas"]) == ["E0400000A", "E0400000B"]
    # Within one set a point on a shared boundary has one parish: the lowest code.
    both = write_boundaries(
        tmp_path / "both.geojson", {"E0400000C": SQUARE_A, "E0400000D": SQUARE_B}
    )
    assert load_boundaries(database_url, both, "parish", "--set", "one").returncode == 0
    answer = api.get("/v1/areas", params=seam).json()
    assert sorted(area["code"] for area in answer["areas"]) == [
        "E0400000A",
        "E0400000B",
        "E0400000C",
    ]


def test_a_boundary_load_lists_the_contacts_it_leaves_without_an_area(
    database_url: str, tmp_path: Path
) -> None:
    squares = {
        f"P{n}": shapely.box(470_000 + n * 1000, 210_000, 471_000 + n * 1000, 211_000)
        for n in range(3)
    }
    assert (
        load_boundaries(
            database_url, write_boundaries(tmp_path / "a.geojson", squares), "parish"
        ).returncode
        == 0
    )
    assert (
        load_contacts(database_url, contacts_csv(tmp_path / "c.csv", ["P0", "P1", "P2"])).returncode
        == 0
    )
    fewer = write_boundaries(tmp_path / "b.geojson", {"P0": squares["P0"]})
    done = load_boundaries(database_url, fewer, "parish", "--force")
    assert done.returncode == 0, done.stderr
    assert "contacts left without an area by this load: 2: P1, P2" in " ".join(done.stdout.split())
