"""The CLI as an operator meets it: help everywhere, and one clear line for expected failures."""

from __future__ import annotations

from typing import Any

import typer.main

from loaders.cli.app import app
from tests.support.cli import run_cli


def _all_command_paths() -> list[list[str]]:
    root = typer.main.get_command(app)
    paths: list[list[str]] = []

    def walk(command: Any, path: list[str]) -> None:
        paths.append(path)
        if hasattr(command, "commands"):
            for name, sub in command.commands.items():
                walk(sub, [*path, name])

    walk(root, [])
    return paths


def test_every_command_has_help() -> None:
    paths = _all_command_paths()
    assert ["db", "migrate"] in paths
    for path in paths:
        done = run_cli(*path, "--help")
        assert done.returncode == 0, (path, done.stderr)
        assert "Usage" in done.stdout


def test_unreachable_database_is_one_clear_line() -> None:
    done = run_cli("db", "migrate", env={"DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"})
    assert done.returncode == 1
    assert done.stderr.startswith("error: cannot connect to the database")
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_unknown_option_is_a_usage_error() -> None:
    done = run_cli("serve", "--colour", "blue")
    assert done.returncode == 2
    assert "No such option" in done.stderr
    assert "Traceback" not in done.stderr
