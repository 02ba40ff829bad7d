#!/usr/bin/env bash
# Runs the service on http://127.0.0.1:8000 with demo data (the widget's demo journey at
# /demo/report-speeding), on the managed local PostGIS unless DATABASE_URL is set. Extra
# arguments go to `address-lookup demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/address-lookup demo "$@"
