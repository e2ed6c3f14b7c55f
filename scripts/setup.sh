#!/usr/bin/env bash
# Make the project's virtual environment (.venv) and install liaison into it.
# Usage: bash scripts/setup.sh [extras]   e.g. "dev" for the test tools.
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "liaison needs Python 3.11 or newer; this is $(python3 --version)" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  if ! python3 -m venv .venv 2>/dev/null; then
    # Debian ships venv separately.
    rm -rf .venv
    as_root apt-get update -qq
    as_root apt-get install -y -qq python3-venv >/dev/null
    python3 -m venv .venv
  fi
fi
.venv/bin/python -m pip install -q --upgrade pip
if [ -n "$extras" ]; then
  .venv/bin/python -m pip install -q -e ".[$extras]"
else
  .venv/bin/python -m pip install -q -e .
fi
