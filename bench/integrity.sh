#!/usr/bin/env bash
# Integrity oversight end to end: generate a force with its declarations, integrity review
# dates, breach categories and sanctions and mis-graded posts, run one night with every feed
# and then the same night without the declarations feed, and print each run's wall time and
# peak memory as vetrecon measures them (the "run finished" log line) and the rows of the
# integrity outputs.
# Usage: bench/integrity.sh [PEOPLE]   (default 250000)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-250000}"
cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-target}/release/vetrecon"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
force="$work/force"
"$bin" generate --people "$n" --seed 1 --out "$force" >/dev/null
printf '%-22s %8s %12s %10s %10s %8s %10s %10s\n' run run_s peak_rss_mb checks declarations signals decl_rows review_rows
night() {
  local label="$1"; shift
  rm -rf "$work/db" "$work/out"
  log=$("$bin" run --config config/vetrecon.toml --as-of 2026-11-24 \
        --roster "$force/roster.csv" --posts "$force/posts.csv" --vetting "$force/vetting.csv" \
        --pnd-returns "$force/pnd_returns.csv" --misconduct "$force/misconduct.csv" \
        --circumstances "$force/circumstances.csv" --recruitment-plan "$force/recruitment_plan.csv" \
        --postings "$force/postings.csv" --conditions "$force/conditions.csv" "$@" \
        --out "$work/out" --db "$work/db" --log-format json 2>&1 >/dev/null)
  line=$(grep '"run finished"' <<<"$log")
  secs=$(sed -E 's/.*"seconds":"([0-9.]+)".*/\1/' <<<"$line")
  rss=$(sed -E 's/.*"peak_rss_mb":([0-9]+).*/\1/' <<<"$line")
  rows() { echo $(($(wc -l <"$work/out/$1") - 1)); }
  code() { grep -c ",$1," "$work/out/exceptions.csv" || true; }
  printf '%-22s %8s %12s %10s %10s %8s %10s %10s\n' "$label" "$secs" "$rss" \
    "$(rows post_register_checks.csv)" "$(rows declaration_status.csv)" "$(rows signals.csv)" \
    "$(( $(code DECLARATION_REVIEW_DUE) + $(code DECLARATION_REFUSED_IN_POST) ))" \
    "$(code INTEGRITY_REVIEW_OVERDUE)"
}
night "every feed" --declarations "$force/declarations.csv"
night "without declarations"
