#!/usr/bin/env bash
# vetrecon beside Splink: make the pinned Python environment if missing, build vetrecon,
# then run both tools on generated forces and FEBRL1-4 and write bench/peers/RESULTS.md.
# Usage: bench/peers/run.sh [--febrl-only] [SIZE ...]   (default: 10000 100000 250000).
# --febrl-only skips the generated forces, the longest part (FEBRL alone takes minutes,
# nearly all of it Splink), and keeps RESULTS.md's generated-forces section from the
# last run that measured them. Not part of CI.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=bench/peers/.venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --upgrade pip
  "$venv/bin/pip" install --quiet -r bench/peers/requirements.txt
fi
cargo build --release --quiet
# The probability bands' known answers, before any figure depends on them.
"$venv/bin/python" bench/peers/calibration.py
exec "$venv/bin/python" bench/peers/peers.py "${CARGO_TARGET_DIR:-target}/release/vetrecon" "$@"
