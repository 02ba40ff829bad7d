"""The OpenAPI document tells the truth: a bounded, seeded schemathesis run with every check
(`--checks all`: status codes, content types, response bodies and headers against their
schemas, negative data refused, methods and Allow headers...) against `address-lookup serve`
in its own process over the generated area, with no failure. What the run relaxes is in
schemathesis.toml beside this file, each with its reason. Also the two answers it caught."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.server import serve_process

CONFIG = Path(__file__).with_name("schemathesis.toml")
SCHEMATHESIS = str(Path(sys.executable).parent / "schemathesis")
EXAMPLES_PER_OPERATION = 25  # about a minute on 2 cores; the run had 31,090 cases


@pytest.fixture(scope="module")
def served(loaded_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("schemathesis") / "serve.log"
    with serve_process(loaded_url, log, ADDRESS_LOOKUP_REQUIRE_KEYS="false") as base:
        yield base


@pytest.mark.slow
def test_schemathesis_finds_no_failure_with_every_check(served: str, tmp_path: Path) -> None:
    operations = sum(
        len(methods) for methods in httpx.get(f"{served}/openapi.json").json()["paths"].values()
    )
    command = [SCHEMATHESIS, "--config-file", str(CONFIG), "--no-color", "run"]
    command += [f"{served}/openapi.json", "--checks", "all", "--seed", "15", "--workers", "1"]
    command += ["--max-examples", str(EXAMPLES_PER_OPERATION), "--generation-database", "none"]
    done = subprocess.run(  # in tmp_path: schemathesis keeps a cache where it runs
        command, cwd=tmp_path, capture_output=True, text=True, timeout=900, check=False
    )
    report = done.stdout[-6000:] + done.stderr[-2000:]
    assert done.returncode == 0, report
    tested = re.search(r"Tested: (\d+)", done.stdout)
    assert tested and int(tested[1]) == operations, report


def test_a_405_allows_every_method_of_the_path(api: httpx.Client) -> None:
    response = api.request("OPTIONS", "/v1/areas")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"
    assert response.json()["error"]["hint"] == "This endpoint accepts GET, POST."


def test_get_of_the_match_endpoint_is_the_wrong_method_not_a_bad_uprn(api: httpx.Client) -> None:
    response = api.get("/v1/addresses/match")
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert api.get("/v1/addresses/abc").status_code == 422, "a UPRN that is not a number"
