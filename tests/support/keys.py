"""Councils and keys made through the CLI, exactly as an operator makes them."""

from __future__ import annotations

from tests.support.cli import run_cli


def add_council(url: str, code: str, name: str, *options: str) -> None:
    done = run_cli("councils", "add", code, "--name", name, *options, env={"DATABASE_URL": url})
    assert done.returncode == 0, done.stderr


def issue_key(url: str, council: str, kind: str, *options: str) -> str:
    """A new key; the command prints it alone on its last line."""
    done = run_cli(
        "keys", "create", "--council", council, "--kind", kind, *options,
        env={"DATABASE_URL": url},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def public_prefix(key: str) -> str:
    return key.rsplit("_", 1)[0]
