#!/usr/bin/env bash
# Set up liaison and run the demo: a web app on an embedded SQLite database with sample data.
# Open http://127.0.0.1:8000/ and log in with the account it prints. Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/liaison demo "$@"
