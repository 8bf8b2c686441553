#!/usr/bin/env python3
"""vetrecon beside Splink on the same files: generated forces and FEBRL1, FEBRL2, FEBRL3 and
FEBRL4, each FEBRL set with and without its id as the NI number.

Run through bench/peers/run.sh, which makes the virtual environment and builds vetrecon.
For each dataset both tools link the roster to the vetting records; each runs as its own
process under a small wrapper that reports its wall time and peak RSS (getrusage of its only
child). Accuracy is scored the same way for both against the dataset's true links:
precision, recall and F1 of the (vetting record, person) links each tool makes. vetrecon's
links are its automatic and confirmed ones at its configured threshold (review and ambiguous
records count as not linked); Splink's threshold is chosen to maximise F1 against the truth,
which is Splink's best case. "Pairs compared" is what each tool scored: vetrecon's candidate
pairs (its log), Splink's blocked pairs.

Calibration: for every data set, each vetting record's best candidate (vetrecon: the first
row per record in matches.csv, read from its `posterior` column, in a second, untimed run
with linking.no_match_probability = 1.0 so that every record's best candidate is listed;
Splink: its best person's match_probability) is put in a probability band, and each band
shows how many such pairs it holds and the share that are true links (calibration.py).

Prints the tables and writes bench/peers/RESULTS.md. With --febrl-only the generated forces
are skipped and RESULTS.md keeps its generated-forces section, with that section's own date,
from the last run that measured them.
Usage: peers.py VETRECON_BINARY [--febrl-only] [SIZE ...]   (default sizes: 10000 100000 250000)
"""
import csv
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile

from calibration import BANDS, calibrate, label

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PY = sys.executable
RESULTS = os.path.join(HERE, "RESULTS.md")
GENERATED = "## Generated forces"
FEBRL = "## FEBRL"
FEBRL_SETS = ["febrl1", "febrl2", "febrl3", "febrl4"]
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
        rows = list(csv.DictReader(f))
    truth = truth_pairs(os.path.join(data, "truth", "links.csv"))
    links = {(r["vetting_ref"].lstrip("'"), r["employee_id"].lstrip("'"))
             for r in rows if r["decision"] in ("auto_link", "confirmed")}
    p, r, f1 = score(links, truth)
    cal = calibrate_vetrecon(binary, data, work, truth)
    return dict(wall=m["wall"], rss=m["rss_kib"] / 1024, precision=p, recall=r, f1=f1, pairs=pairs,
                calibration=cal)


def calibrate_vetrecon(binary, data, work, truth):
    """Posterior calibration from a second, untimed run with linking.no_match_probability =
    1.0: the threshold only decides, it never changes a posterior, and at 1.0 no record with
    a candidate in contention is called no match, so every record's best candidate is listed
    in matches.csv with its posterior, whatever band it falls in."""
    cfg = os.path.join(work, "calibrate.toml")
    with open(cfg, "w") as f:
        f.write("[input]\nmax_reject_share = 1.0\n[linking]\nno_match_probability = 1.0\n")
    out, db = os.path.join(work, "out-cal"), os.path.join(work, "db-cal")
    subprocess.run([binary, "run", "--config", cfg, "--log-format", "json",
                    "--roster", os.path.join(data, "roster.csv"),
                    "--posts", os.path.join(data, "posts.csv"),
                    "--vetting", os.path.join(data, "vetting.csv"),
                    "--as-of", "2026-11-24", "--out", out, "--db", db],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(os.path.join(out, "matches.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    # A record's candidates are listed best first, so its first row is its best candidate;
    # a record with none has one row with a blank employee_id and no posterior.
    best = {}
    for row_ in rows:
        if row_["employee_id"] and row_["vetting_ref"] not in best:
            best[row_["vetting_ref"]] = row_
    return calibrate((float(b["posterior"]),
                      (v.lstrip("'"), b["employee_id"].lstrip("'")) in truth)
                     for v, b in best.items())


def run_splink(data, work, with_ni):
    cmd = [PY, os.path.join(HERE, "splink_link.py"), os.path.join(data, "roster.csv"),
           os.path.join(data, "vetting.csv"), os.path.join(data, "truth", "links.csv")]
    if not with_ni:
        cmd.append("--no-ni")
    m = measured(cmd, work)
    res = json.loads(m["stdout"].strip().splitlines()[-1])
    return dict(wall=m["wall"], rss=m["rss_kib"] / 1024, precision=res["precision"],
                recall=res["recall"], f1=res["f1"], pairs=res["pairs"],
                calibration=res["calibration"])


def row(name, records, tool, r):
    return (f"| {name} | {records} | {tool} | {r['wall']:.1f} s | {r['rss']:,.0f} MiB | "
            f"{r['precision']:.4f} | {r['recall']:.4f} | {r['f1']:.4f} | {r['pairs']:,} |")


def share(n, true):
    return f"{true / n:.4f}" if n else "-"


def calibration_table(name, by_tool):
    """One data set's bands, each tool's pairs and share true side by side."""
    head = "| band | " + " | ".join(f"{t} pairs | {t} share true" for t in by_tool) + " |"
    lines = [f"**{name}**", "", head, "|---|" + "---:|---:|" * len(by_tool)]
    for i in range(len(BANDS)):
        cells = " | ".join(f"{c[i][0]:,} | {share(*c[i])}" for c in by_tool.values())
        lines.append(f"| {label(i)} | {cells} |")
    return "\n".join(lines)


def section(text, heading):
    """The section of a RESULTS.md under heading, up to the next section, or None."""
    start = text.find(heading + "\n")
    if start < 0:
        return None
    end = text.find("\n## ", start + len(heading))
    return text[start:] if end < 0 else text[start:end + 1]


def measure(binary, datasets, header, tmp):
    """Both tools on each data set: the accuracy table's lines and the calibration tables."""
    lines, tables = [], []
    for name, d, with_ni in datasets:
        with open(os.path.join(d, "roster.csv")) as f:
            people = sum(1 for _ in f) - 1
        with open(os.path.join(d, "vetting.csv")) as f:
            records = sum(1 for _ in f) - 1
        size = f"{people:,} + {records:,}"
        cal = {}
        for tool, fn in (("vetrecon", lambda w: run_vetrecon(binary, d, w)),
                         ("Splink", lambda w: run_splink(d, w, with_ni))):
            work = tempfile.mkdtemp(dir=tmp)
            r = fn(work)
            cal[tool] = r["calibration"]
            line = row(name, size, tool, r)
            print(line, flush=True)
            lines.append(line)
        tables.append(calibration_table(name, cal))
    return header + "\n" + "\n".join(lines) + "\n", "\n\n".join(tables) + "\n"


CALIBRATION_NOTE = (
    "Calibration: each vetting record's best candidate with probability at least 0.5, by band "
    "(each band includes its lower bound; the last includes 1.0). For vetrecon the "
    "probability is the record's posterior (matches.csv's `posterior` column of its first, "
    "best-ranked candidate, from a second run with linking.no_match_probability = 1.0 so "
    "that every record's best candidate is listed whatever its band); "
    "for Splink it is the best person's `match_probability`. \"share true\" is the share "
    "of those pairs that are true links: a calibrated probability puts it inside the band.")


def main():
    binary = os.path.abspath(sys.argv[1])
    febrl_only = "--febrl-only" in sys.argv[2:]
    sizes = [int(s) for s in sys.argv[2:] if s != "--febrl-only"] or [10000, 100000, 250000]
    header = ("| data | records (roster + vetting) | tool | wall | peak RSS | precision | recall | F1 | pairs compared |\n"
              "|---|---:|---|---:|---:|---:|---:|---:|---:|")
    machine = f"{platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    measured_on = f"Measured {dt.date.today().isoformat()} on {machine}."
    print(header, flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        if febrl_only:
            old = open(RESULTS).read() if os.path.exists(RESULTS) else ""
            generated = section(old, GENERATED) or (
                f"{GENERATED}\n\nNot measured yet: the last run was `run.sh --febrl-only`.\n")
        else:
            datasets = []
            for n in sizes:
                d = os.path.join(tmp, f"force-{n}")
                subprocess.run([binary, "generate", "--people", str(n), "--seed", "1", "--out", d],
                               check=True, stdout=subprocess.DEVNULL)
                datasets.append((f"generated, {n:,} people", d, True))
            table, cal = measure(binary, datasets, header, tmp)
            generated = (f"{GENERATED}\n\n{measured_on} Seed 1.\n\n{table}\n"
                         f"{CALIBRATION_NOTE}\n\n{cal}")
        datasets, kept = [], []
        for name in FEBRL_SETS:
            for with_ni in (False, True):
                d = os.path.join(tmp, f"{name}-{with_ni}")
                args = [PY, os.path.join(HERE, "febrl.py"), d, "--set", name]
                r = subprocess.run(args + (["--with-ni"] if with_ni else []), check=True,
                                   stderr=subprocess.PIPE, text=True)
                if not with_ni:
                    # febrl.py's summary is its last line (anything above it is a library warning).
                    kept.append(f"- {r.stderr.strip().splitlines()[-1]}")
                label_ = f"{name.upper()}, names + DOB" + (" + id as NI" if with_ni else "")
                datasets.append((label_, d, with_ni))
        table, cal = measure(binary, datasets, header, tmp)
        febrl = (f"{FEBRL}\n\n{measured_on} Originals as the roster, duplicates as the vetting "
                 f"records; after dropping the rows the contract rejects (febrl.py):\n\n"
                 + "\n".join(kept) + f"\n\n{table}\n{CALIBRATION_NOTE}\n\n{cal}")
    with open(RESULTS, "w") as f:
        f.write("# vetrecon beside Splink\n\nWritten by `bench/peers/run.sh` (splink, duckdb and "
                "recordlinkage versions pinned in requirements.txt). See BENCHMARKS.md, \"Beside "
                "Splink\", for how to read it.\n\n")
        f.write(generated.rstrip("\n") + "\n\n" + febrl)


if __name__ == "__main__":
    main()
