#!/usr/bin/env bash
# Set up everything and run the whole test suite: lint, types, layer contracts, and the tests
# on SQLite and on a real PostgreSQL server (Debian's postgresql, started with pg_ctlcluster).
set -euo pipefail
cd "$(dirname "$0")/.."
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

step() { printf '\n== %s\n' "$*"; }

step "system packages"
# PostgreSQL for the second test run; Debian's Chromium for the browser tests (Playwright drives
# it; we never download Playwright's own browsers).
missing=()
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
fi

step "python packages"
bash scripts/setup.sh dev,engine

# Tests never touch the user's own data folder.
export LIAISON_HOME="${LIAISON_TEST_HOME:-$(mktemp -d)}"

step "ruff"
.venv/bin/ruff check liaison tests benchmarks
step "mypy --strict"
.venv/bin/mypy liaison
step "import contracts"
.venv/bin/lint-imports

step "tests on SQLite"
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"

step "tests on PostgreSQL"
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | grep -q "^$version main"; then
  as_root pg_createcluster "$version" main >/dev/null
fi
as_root pg_ctlcluster "$version" main start 2>/dev/null || true
port=$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $3}')
as_root su postgres -c "psql -q -p $port -c \"DO \\\$\\\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'liaison') THEN
    CREATE ROLE liaison LOGIN CREATEDB PASSWORD 'liaison';
  END IF; END \\\$\\\$;\""
as_root su postgres -c "psql -q -p $port -tc \"SELECT 1 FROM pg_database WHERE datname = 'liaison'\"" \
  | grep -q 1 || as_root su postgres -c "createdb -p $port -O liaison liaison"
DATABASE_URL="postgres://liaison:liaison@127.0.0.1:$port/liaison" \
  .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
