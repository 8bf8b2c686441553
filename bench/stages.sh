#!/usr/bin/env bash
# Per-stage profile of the nightly `run` (BENCHMARKS.md, "Whole run"): for each force size,
# generate the force (seed 1), run it REPEAT times (default 3) on a fresh store, and print
# each stage's seconds (best of the repeats) and the peak RSS reached by the end of that stage
# (from the run's own `stage done` debug lines), then the whole run's wall time and peak RSS
# as /usr/bin/time -v measures them. Usage: bench/stages.sh [SIZE ...] (default: 250000)
# REPEAT=1 bench/stages.sh 1000000 for one run of a million.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(250000)
repeat=${REPEAT:-3}
cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-target}/release/vetrecon"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for n in "${sizes[@]}"; do
  force="$work/force-$n"
  "$bin" generate --people "$n" --seed 1 --out "$force" >/dev/null
  mb=$(du -cb "$force"/roster.csv "$force"/posts.csv "$force"/vetting.csv | tail -1 | cut -f1)
  for i in $(seq "$repeat"); do
    rm -rf "$work/out" "$work/db"
    RUST_LOG=info,vetrecon=debug /usr/bin/time -v "$bin" run --config config/vetrecon.toml \
      --roster "$force/roster.csv" --posts "$force/posts.csv" --vetting "$force/vetting.csv" \
      --as-of 2026-11-24 --out "$work/out" --db "$work/db" --log-format json \
      >/dev/null 2>"$work/log-$i"
  done
  echo "== $n people, $((mb / 1000000)) MB of CSV (roster, posts, vetting), best of $repeat runs"
  python3 - "$work" "$repeat" <<'PY'
import json, re, sys
work, repeat = sys.argv[1], int(sys.argv[2])
runs = []
for i in range(1, repeat + 1):
    stages, wall, rss = [], None, None
    for line in open(f"{work}/log-{i}"):
        if line.startswith("{"):
            j = json.loads(line)
            if j.get("message") == "stage done":
                stages.append((j["stage"], float(j["seconds"]), int(j["peak_rss_mb"])))
        elif "Elapsed (wall clock)" in line:
            t = line.rsplit(" ", 1)[1].strip().split(":")
            wall = sum(float(x) * 60 ** k for k, x in enumerate(reversed(t)))
        elif "Maximum resident set size" in line:
            rss = int(line.rsplit(" ", 1)[1]) // 1024
    runs.append((stages, wall, rss))
print(f"{'stage':<20} {'seconds':>8} {'peak_rss_mb':>12}")
for k, (name, _, _) in enumerate(runs[0][0]):
    best = min(r[0][k][1] for r in runs)
    rss = min(r[0][k][2] for r in runs)
    print(f"{name:<20} {best:>8.2f} {rss:>12}")
print(f"{'whole run (wall)':<20} {min(r[1] for r in runs):>8.2f} {min(r[2] for r in runs):>12}")
PY
  rm -rf "$force"
done
