#!/usr/bin/env bash
# End-to-end benchmark: generate forces of several sizes and time the whole nightly `run`
# (ingest to report and commit) with the release build. Prints wall time and peak memory
# per size, as vetrecon itself measures them (the "run finished" log line), plus the
# generator's time. Usage: bench/run.sh [SIZE ...]   (default: 10000 50000 250000 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 50000 250000 1000000)
cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-target}/release/vetrecon"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '%10s %10s %12s %10s %12s\n' people vetting generate_s run_s peak_rss_mb
for n in "${sizes[@]}"; do
  force="$work/force-$n"
  t0=$(date +%s.%N)
  "$bin" generate --people "$n" --seed 1 --out "$force" >/dev/null
  t1=$(date +%s.%N)
  log=$("$bin" run --config config/vetrecon.toml --roster "$force/roster.csv" \
        --posts "$force/posts.csv" --vetting "$force/vetting.csv" --as-of 2026-11-24 \
        --out "$work/out-$n" --db "$work/db-$n" --log-format json 2>&1 >/dev/null)
  line=$(grep '"run finished"' <<<"$log")
  secs=$(sed -E 's/.*"seconds":"([0-9.]+)".*/\1/' <<<"$line")
  rss=$(sed -E 's/.*"peak_rss_mb":([0-9]+).*/\1/' <<<"$line")
  records=$(($(wc -l <"$force/vetting.csv") - 1))
  printf '%10s %10s %12.1f %10s %12s\n' "$n" "$records" "$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')" "$secs" "$rss"
  rm -rf "$force" "$work/out-$n" "$work/db-$n"
done
