"""The small defects of issue 15, each with the test that shows it fixed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from service.settings import PROJECT_ROOT
from tests.support.abp import address_records, premium_row, street_records, write_premium
from tests.support.cli import COMMAND, run_cli
from tests.support.clusters import scratch_cluster
from tests.support.loading import fetch, load
from tests.support.server import free_port, http_status, wait_until_ready


async def test_a_building_named_like_its_organisation_is_written_once(
    database_url: str, tmp_path: Path
) -> None:
    rows = street_records(100, "HIGH STREET", "TESTTOWN")
    rows += address_records(
        1, number=12, organisation_name="THE GREEN LION", building_name="THE GREEN LION"
    )
    rows.append(premium_row(31, UPRN=1, ORG_KEY="9999O1", ORGANISATION="THE GREEN LION"))
    code, _, err = load(database_url, tmp_path, write_premium(tmp_path / "a.csv", rows))
    assert code == 0, err
    [row] = await fetch(database_url, "SELECT address, dpa_address FROM addresses")
    assert row["address"] == "THE GREEN LION, 12, HIGH STREET, TESTTOWN, FX1 1AA"


def test_a_postcode_centre_is_rounded_like_its_addresses(api: httpx.Client) -> None:
    centres = api.get("/v1/postcodes", params={"q": "FX1", "limit": 100}).json()["results"]
    assert centres
    for centre in centres:
        for axis in ("x", "y"):
            value = centre["location"][axis]
            assert value == round(value, 2), value


def test_demo_takes_a_host() -> None:
    helped = run_cli("demo", "--help")
    assert "--host" in helped.stdout


@pytest.mark.slow
def test_demo_listens_on_the_host_it_is_given(loaded_url: str, tmp_path: Path) -> None:
    port, log = free_port(), tmp_path / "demo.log"
    command = [COMMAND, "demo", "--host", "127.0.0.2", "--port", str(port)]
    with log.open("w") as output:  # the area is loaded already: demo only makes keys
        demo = subprocess.Popen(
            command, env={**os.environ, "DATABASE_URL": loaded_url}, stdout=output, stderr=output
        )
    try:
        wait_until_ready(f"http://127.0.0.2:{port}", demo, log)
        assert http_status(f"http://127.0.0.1:{port}/healthz") is None, "not on 127.0.0.1"
        assert f"http://127.0.0.2:{port}" in log.read_text(), "its pages' origin has a key"
    finally:
        demo.terminate()
        demo.wait(timeout=30)


@pytest.mark.slow
def test_the_load_benchmark_starts_a_stopped_local_cluster(tmp_path: Path) -> None:
    with scratch_cluster() as stopped:
        env = {**os.environ, "ADDRESS_LOOKUP_DATA_DIR": str(stopped.root), "DATABASE_URL": ""}
        command = [sys.executable, "-m", "benchmarks.load_benchmark", "--sizes", "300"]
        command += ["--runs", "1", "--out-dir", str(tmp_path), "--database", "al_bench_small"]
        done = subprocess.run(
            command,
            env=env,
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        assert "Traceback" not in done.stderr
        assert (tmp_path / "load_benchmark.json").exists()
