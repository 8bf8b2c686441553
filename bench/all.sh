#!/usr/bin/env bash
# Every benchmark in one command (BENCHMARKS.md), each printing its own figures:
#   1. bench/run.sh       whole run, wall time and peak memory per force size
#   2. bench/stages.sh    per-stage profile of the nightly run
#   3. cargo bench --bench link        linking kernels and end-to-end linking accuracy
#   4. cargo bench --bench store_year  store size over a year of nightly runs
#   5. bench/peers/run.sh vetrecon beside Splink on generated forces and FEBRL1-4
#   6. bench/prevention.sh two nights with every feed (postings, conditions, jml)
#   7. bench/integrity.sh  one night with and without the declarations feed
# Usage: bench/all.sh [--quick]
#   --quick   small sizes throughout (minutes, not hours): run.sh at 10,000 and 50,000,
#             stages.sh at 50,000 people, the link bench at 20,000, a month of a
#             5,000-person store, the peers on FEBRL only. Without it: run.sh at 10,000 to
#             1,000,000, stages.sh at 250,000, the link bench at its default (100,000), the
#             year of a 50,000-person store as BENCHMARKS.md publishes it, the peers at 10,000
#             and 100,000.
# A step that fails stops the whole run with its exit code, so a figure is never silently
# missing.
set -euo pipefail
cd "$(dirname "$0")/.."
quick=false
for a in "$@"; do
  case "$a" in
    --quick) quick=true ;;
    *) echo "usage: bench/all.sh [--quick]" >&2; exit 2 ;;
  esac
done
step() { printf '\n==== %s\n' "$*"; }
if $quick; then
  step "bench/run.sh 10000 50000"; bench/run.sh 10000 50000
  step "bench/stages.sh 50000"; REPEAT=1 bench/stages.sh 50000
  step "cargo bench --bench link (20,000 people)"
  VETRECON_BENCH_PEOPLE=20000 cargo bench --quiet --bench link
  step "cargo bench --bench store_year -- --people 5000 --nights 30"
  cargo bench --quiet --bench store_year -- --people 5000 --nights 30
  step "bench/peers/run.sh --febrl-only"; bench/peers/run.sh --febrl-only
  step "bench/prevention.sh 20000"; bench/prevention.sh 20000
  step "bench/integrity.sh 20000"; bench/integrity.sh 20000
else
  step "bench/run.sh"; bench/run.sh
  step "bench/stages.sh 250000"; bench/stages.sh 250000
  step "cargo bench --bench link"; cargo bench --quiet --bench link
  step "cargo bench --bench store_year"; cargo bench --quiet --bench store_year
  step "bench/peers/run.sh 10000 100000"; bench/peers/run.sh 10000 100000
  step "bench/prevention.sh 250000"; bench/prevention.sh 250000
  step "bench/integrity.sh 250000"; bench/integrity.sh 250000
fi
