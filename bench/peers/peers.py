#!/usr/bin/env python3
"""vetrecon beside Splink on the same files: generated forces and FEBRL4.

Run through bench/peers/run.sh, which makes the virtual environment and builds vetrecon.
For each dataset both tools link the roster to the vetting records; each runs as its own
process under a small wrapper that reports its wall time and peak RSS (getrusage of its only
child). Accuracy is scored the same way for both against the dataset's true links:
precision, recall and F1 of the (vetting record, person) links each tool makes. vetrecon's
links are its automatic and confirmed ones at its configured threshold (review and ambiguous
records count as not linked); Splink's threshold is chosen to maximise F1 against the truth,
which is Splink's best case. "Pairs compared" is what each tool scored: vetrecon's candidate
pairs (its log), Splink's blocked pairs.

Prints the table and writes bench/peers/RESULTS.md.
Usage: peers.py VETRECON_BINARY [SIZE ...]   (default sizes: 10000 100000 250000)
"""
import csv
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PY = sys.executable
WRAP = """
import json, resource, subprocess, sys, time
t = time.time()
r = subprocess.run(sys.argv[2:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
wall = time.time() - t
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
open(sys.argv[1], "w").write(json.dumps({"code": r.returncode, "wall": wall, "rss_kib": rss,
    "stdout": r.stdout.decode(errors="replace"), "stderr": r.stderr.decode(errors="replace")}))
"""


def measured(cmd, work):
    out = os.path.join(work, "measure.json")
    subprocess.run([PY, "-c", WRAP, out] + cmd, check=True)
    with open(out) as f:
        m = json.load(f)
    if m["code"] != 0:
        sys.exit(f"{cmd[0]} failed ({m['code']}):\n{m['stderr'][-3000:]}")
    return m


def truth_pairs(path):
    with open(path, newline="") as f:
        return {(r["vetting_ref"], r["employee_id"]) for r in csv.DictReader(f)}


def score(links, truth):
    tp = len(links & truth)
    p = tp / len(links) if links else 0.0
    r = tp / len(truth) if truth else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def run_vetrecon(binary, data, work):
    cfg = os.path.join(work, "bench.toml")
    with open(cfg, "w") as f:
        f.write("[input]\nmax_reject_share = 1.0\n")
    out, db = os.path.join(work, "out"), os.path.join(work, "db")
    m = measured([binary, "run", "--config", cfg, "--log-format", "json",
                  "--roster", os.path.join(data, "roster.csv"),
                  "--posts", os.path.join(data, "posts.csv"),
                  "--vetting", os.path.join(data, "vetting.csv"),
                  "--as-of", "2026-11-24", "--out", out, "--db", db], work)
    pairs = 0
    for line in m["stderr"].splitlines():
        if '"linked vetting records"' in line:
            pairs = json.loads(line)["candidate_pairs"]
    with open(os.path.join(out, "matches.csv"), newline="") as f:
        links = {(r["vetting_ref"].lstrip("'"), r["employee_id"].lstrip("'"))
                 for r in csv.DictReader(f) if r["decision"] in ("auto_link", "confirmed")}
    p, r, f1 = score(links, truth_pairs(os.path.join(data, "truth", "links.csv")))
    return dict(wall=m["wall"], rss=m["rss_kib"] / 1024, precision=p, recall=r, f1=f1, pairs=pairs)


def run_splink(data, work, with_ni):
    cmd = [PY, os.path.join(HERE, "splink_link.py"), os.path.join(data, "roster.csv"),
           os.path.join(data, "vetting.csv"), os.path.join(data, "truth", "links.csv")]
    if not with_ni:
        cmd.append("--no-ni")
    m = measured(cmd, work)
    res = json.loads(m["stdout"].strip().splitlines()[-1])
    return dict(wall=m["wall"], rss=m["rss_kib"] / 1024, precision=res["precision"],
                recall=res["recall"], f1=res["f1"], pairs=res["pairs"])


def row(name, records, tool, r):
    return (f"| {name} | {records} | {tool} | {r['wall']:.1f} s | {r['rss']:,.0f} MiB | "
            f"{r['precision']:.4f} | {r['recall']:.4f} | {r['f1']:.4f} | {r['pairs']:,} |")


def main():
    binary = os.path.abspath(sys.argv[1])
    sizes = [int(s) for s in sys.argv[2:]] or [10000, 100000, 250000]
    lines = []
    header = ("| data | records (roster + vetting) | tool | wall | peak RSS | precision | recall | F1 | pairs compared |\n"
              "|---|---:|---|---:|---:|---:|---:|---:|---:|")
    print(header, flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        datasets = []
        for n in sizes:
            d = os.path.join(tmp, f"force-{n}")
            subprocess.run([binary, "generate", "--people", str(n), "--seed", "1", "--out", d],
                           check=True, stdout=subprocess.DEVNULL)
            datasets.append((f"generated, {n:,} people", d, True))
        for with_ni in (False, True):
            d = os.path.join(tmp, f"febrl-{with_ni}")
            args = [PY, os.path.join(HERE, "febrl.py"), d] + (["--with-ni"] if with_ni else [])
            subprocess.run(args, check=True, stderr=subprocess.DEVNULL)
            name = "FEBRL4, names + DOB" + (" + id as NI" if with_ni else "")
            datasets.append((name, d, with_ni))
        for name, d, with_ni in datasets:
            with open(os.path.join(d, "roster.csv")) as f:
                people = sum(1 for _ in f) - 1
            with open(os.path.join(d, "vetting.csv")) as f:
                records = sum(1 for _ in f) - 1
            size = f"{people:,} + {records:,}"
            for tool, fn in (("vetrecon", lambda w: run_vetrecon(binary, d, w)),
                             ("Splink", lambda w: run_splink(d, w, with_ni))):
                work = tempfile.mkdtemp(dir=tmp)
                line = row(name, size, tool, fn(work))
                print(line, flush=True)
                lines.append(line)
    machine = f"{platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    with open(os.path.join(HERE, "RESULTS.md"), "w") as f:
        f.write(f"# vetrecon beside Splink\n\nMeasured {dt.date.today().isoformat()} on {machine}, "
                f"by `bench/peers/run.sh` (splink, duckdb and recordlinkage versions pinned in "
                f"requirements.txt). See the README's \"Beside Splink\" for how to read it.\n\n")
        f.write(header + "\n" + "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
