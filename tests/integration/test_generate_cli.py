"""``address-lookup generate`` run exactly as a user runs it."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from tests.support.cli import run_cli


def assert_one_error_line(done_stderr: str, expected: str) -> None:
    assert "Traceback" not in done_stderr
    lines = done_stderr.strip().splitlines()
    assert len(lines) == 1, done_stderr
    assert lines[0].startswith("error: ") and expected in lines[0], lines[0]


def test_generate_writes_a_supply_boundaries_contacts_and_manifest(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    done = run_cli("generate", "--addresses", "2000", "--seed", "3", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert f"to {out}" in done.stdout and "21 BLPU records: 2,000" in done.stdout
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 3 and manifest["addresses"] == 2000
    assert manifest["counts"]["21"] == 2000
    names = {entry["name"] for entry in manifest["files"]}
    assert "AddressBasePremium_FULL_2026-01-23_001.csv" in names
    assert {"boundaries/parishes.geojson", "contacts.csv"} <= names
    assert all(len(entry["sha256"]) == 64 for entry in manifest["files"])


def test_two_runs_are_byte_identical_whatever_the_hash_seed(tmp_path: Path) -> None:
    for run, hash_seed in (("a", "1"), ("b", "2")):
        done = run_cli(
            "generate",
            "--addresses",
            "1500",
            "--files",
            "2",
            "--out",
            str(tmp_path / run),
            env={"PYTHONHASHSEED": hash_seed},
        )
        assert done.returncode == 0, done.stderr
    first = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.*"))
    second = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.*"))
    assert first == second and len(first) == 7
    for name in first:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_plus_and_zip(tmp_path: Path) -> None:
    out = tmp_path / "plus"
    done = run_cli("generate", "--addresses", "500", "--out", str(out), "--format", "plus", "--zip")
    assert done.returncode == 0, done.stderr
    (archive,) = out.glob("AddressBasePlus_*.csv.zip")
    with zipfile.ZipFile(archive) as opened:
        (member,) = opened.namelist()
        rows = opened.read(member).decode().splitlines()
    assert member == archive.name.removesuffix(".zip")
    assert len(rows) == 501


def test_change_only_supply_against_an_earlier_run(tmp_path: Path) -> None:
    full, changes = tmp_path / "full", tmp_path / "cou"
    assert run_cli("generate", "--addresses", "3000", "--out", str(full)).returncode == 0
    done = run_cli("generate", "--cou-from", str(full), "--out", str(changes), "--seed", "2")
    assert done.returncode == 0, done.stderr
    manifest = json.loads((changes / "manifest.json").read_text())
    assert manifest["file_type"] == "C" and manifest["changes"]["requested"] == 15
    (cou,) = changes.glob("AddressBasePremium_COU_*.csv")
    assert cou.read_text().splitlines()[0].endswith(',"C"')


def test_a_bad_option_value_is_one_clear_line(tmp_path: Path) -> None:
    done = run_cli("generate", "--addresses", "10", "--out", str(tmp_path / "x"), "--format", "xml")
    assert done.returncode == 1
    assert_one_error_line(done.stderr, "--format must be premium or plus")


def test_too_few_addresses_is_one_clear_line(tmp_path: Path) -> None:
    done = run_cli("generate", "--addresses", "0", "--out", str(tmp_path / "x"))
    assert done.returncode == 1
    assert_one_error_line(done.stderr, "--addresses must be between 1 and")


def test_a_folder_in_use_needs_force(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    done = run_cli("generate", "--addresses", "10", "--out", str(tmp_path))
    assert done.returncode == 1
    assert_one_error_line(done.stderr, "is not empty")
    forced = run_cli("generate", "--addresses", "10", "--out", str(tmp_path), "--force")
    assert forced.returncode == 0, forced.stderr
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_out_that_is_a_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "file.csv"
    target.write_text("")
    done = run_cli("generate", "--addresses", "10", "--out", str(target))
    assert_one_error_line(done.stderr, "is a file")


def test_cou_from_a_folder_this_command_did_not_write_is_refused(tmp_path: Path) -> None:
    (tmp_path / "other").mkdir()
    done = run_cli("generate", "--cou-from", str(tmp_path / "other"), "--out", str(tmp_path / "c"))
    assert done.returncode == 1
    assert_one_error_line(done.stderr, "holds no manifest.json written by address-lookup generate")


def test_help_explains_every_option() -> None:
    done = run_cli("generate", "--help")
    assert done.returncode == 0
    for option in ("--addresses", "--seed", "--out", "--format", "--files", "--zip", "--parishes"):
        assert option in done.stdout
    assert "--cou-from" in done.stdout and "byte-identical" in done.stdout
