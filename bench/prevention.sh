#!/usr/bin/env bash
# The prevention feeds end to end: generate a force with its postings, conditions and second
# night, run night one then night two (a week later, its roster with the planned joiners,
# movers and leavers) into one store with every feed, and print each night's wall time and
# peak memory as vetrecon measures them (the "run finished" log line), the rows of the
# prevention outputs, and the store's size after each night.
# Usage: bench/prevention.sh [PEOPLE]   (default 250000)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-250000}"
cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-target}/release/vetrecon"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
force="$work/force"
"$bin" generate --people "$n" --seed 1 --out "$force" >/dev/null
as_of2=$(sed -nE 's/^night_two_as_of = "(.*)"/\1/p' "$force/truth/manifest.toml")
printf '%8s %10s %8s %12s %8s %8s %10s %10s %10s\n' night as_of run_s peak_rss_mb jml postings conditions register store_mb
night() {
  local label="$1" as_of="$2" dir="$3"
  log=$("$bin" run --config config/vetrecon.toml --as-of "$as_of" \
        --roster "$dir/roster.csv" --posts "$force/posts.csv" --vetting "$force/vetting.csv" \
        --pnd-returns "$force/pnd_returns.csv" --misconduct "$force/misconduct.csv" \
        --circumstances "$force/circumstances.csv" --recruitment-plan "$force/recruitment_plan.csv" \
        --postings "$dir/postings.csv" --conditions "$force/conditions.csv" \
        --out "$work/out-$label" --db "$work/db" --accept-change --log-format json 2>&1 >/dev/null)
  line=$(grep '"run finished"' <<<"$log")
  secs=$(sed -E 's/.*"seconds":"([0-9.]+)".*/\1/' <<<"$line")
  rss=$(sed -E 's/.*"peak_rss_mb":([0-9]+).*/\1/' <<<"$line")
  rows() { echo $(($(wc -l <"$work/out-$label/$1") - 1)); }
  posting=$(awk -F, 'NR==1{for(i=1;i<=NF;i++) if($i=="code") c=i} NR>1 && $c=="POSTING_NOT_CLEARED"' \
    "$work/out-$label/exceptions.csv" | wc -l)
  store=$(du -sm "$work/db" | cut -f1)
  printf '%8s %10s %8s %12s %8s %8s %10s %10s %10s\n' "$label" "$as_of" "$secs" "$rss" \
    "$(rows jml.csv)" "$posting" "$(rows condition_status.csv)" "$(rows clearance_register.csv)" "$store"
}
night one 2026-11-24 "$force"
night two "$as_of2" "$force/night2"
