#!/usr/bin/env bash
# vetrecon beside Splink: make the pinned Python environment if missing, build vetrecon,
# then run both tools on generated forces and FEBRL4 and write bench/peers/RESULTS.md.
# Usage: bench/peers/run.sh [SIZE ...]   (default: 10000 100000 250000). Not part of CI.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=bench/peers/.venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --upgrade pip
  "$venv/bin/pip" install --quiet -r bench/peers/requirements.txt
fi
cargo build --release --quiet
exec "$venv/bin/python" bench/peers/peers.py target/release/vetrecon "$@"
