#!/usr/bin/env bash
# Installs everything Address Lookup needs on a Debian/Ubuntu machine. Safe to re-run: it only
# installs what is missing. System packages need root (or sudo); the Python side goes in .venv.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else echo "error: root is needed to run: $*" >&2; exit 1
  fi
}

apt_updated=""
apt_install() {
  [ $# -eq 0 ] && return 0
  echo "installing system packages: $*"
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

pg_bin_dir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

# Python 3.11+ with venv, and the PostgreSQL server binaries for the managed local PostGIS.
missing=()
command -v python3 >/dev/null || missing+=(python3)
python3 -c 'import venv, ensurepip' 2>/dev/null || missing+=(python3-venv)
[ -n "$(pg_bin_dir)" ] || missing+=(postgresql)
# Debian's Chromium for the browser tests; Node.js and npm to install GOV.UK Frontend.
command -v chromium >/dev/null || missing+=(chromium)
command -v npm >/dev/null || missing+=(nodejs npm)
apt_install "${missing[@]}"

python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
  echo "error: Python 3.11 or newer is needed; python3 is $(python3 --version)" >&2; exit 1; }

# PostGIS for the installed PostgreSQL major version.
pg_major="$(basename "$(dirname "$(pg_bin_dir)")")"
sharedir="$("$(pg_bin_dir)/pg_config" --sharedir 2>/dev/null || echo "/usr/share/postgresql/$pg_major")"
[ -f "$sharedir/extension/postgis.control" ] || apt_install "postgresql-$pg_major-postgis-3"

# The Python environment, reinstalled only when pyproject.toml changes.
[ -x .venv/bin/python ] || python3 -m venv .venv
stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "installing Python dependencies into .venv"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e '.[dev]'
  rm -f .venv/.installed-*
  touch "$stamp"
fi

# GOV.UK Frontend (the demo pages' look) from npm, reinstalled only when its lock file changes.
widget=service/widget
npm_stamp="$widget/node_modules/.installed-$(sha256sum "$widget/package-lock.json" | cut -c1-16)"
if [ ! -f "$npm_stamp" ]; then
  echo "installing GOV.UK Frontend with npm"
  (cd "$widget" && npm ci --no-audit --no-fund --loglevel=error)
  touch "$npm_stamp"
fi
