#!/usr/bin/env bash
# The whole test suite against a real PostGIS: lint, strict types, then pytest.
# Uses DATABASE_URL's server when set, else the managed local PostGIS (started if needed).
# Extra arguments go to pytest, e.g. scripts/test.sh -k areas
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

echo "== ruff"
.venv/bin/ruff check service loaders tests benchmarks
.venv/bin/ruff format --check service loaders tests benchmarks
echo "== mypy --strict"
.venv/bin/mypy --strict service loaders
echo "== pytest"
.venv/bin/pytest "$@"
