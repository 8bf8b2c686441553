#!/usr/bin/env python3
"""Write config/nicknames/public.csv from the names.csv of the PyPI package `nicknames`.

The upstream file is one pair a line (`name1,has_nickname,name2`). This gathers each
name1's pairs into one equivalence group, drops the entries listed in REMOVED below, and
writes one group a line in the format src/normalise/nickname.rs reads. Run it again on a
new upstream release and review the diff; the header it writes records the source.

Usage: pip download nicknames==VERSION --no-deps -d /tmp/nick, unzip the wheel, then
  python3 config/nicknames/make_public.py PATH/nicknames/names.csv VERSION > config/nicknames/public.csv
"""

import csv
import hashlib
import sys
import textwrap

# (name1, name2) pairs taken out, and why. Kept short so a reviewer can check each one.
REMOVED = {
    # Not forenames: a suffix, a surname prefix, initials (initials are their own level).
    ("junior", "jr"): "a suffix",
    ("mac", "mc"): "a surname prefix",
    ("mack", "mc"): "a surname prefix",
    ("casey", "k.c."): "initials",
    ("kasey", "k.c."): "initials",
    ("littleberry", "l.b."): "initials",
    ("leroy", "l.r."): "initials",
    # Two letters that read as a pair of initials more often than as a name in use here.
    **{(n1, n2): "two letters, rare as a name, reads as initials"
       for n2, n1s in {
           "ab": ["abel", "abiel", "abijah", "abner", "abraham", "abram", "absalom"],
           "bo": ["boetius"],
           "eb": ["abel", "ebbie", "ebenezer"],
           "el": ["ella"],
           "es": ["essy"],
           "ev": ["evangeline", "evelyn"],
           "ez": ["ezekiel", "ezideen", "ezra"],
           "hy": ["hezekiah", "hiram"],
           "ib": ["isabel", "isabella", "isabelle"],
           "ry": ["ryan"],
       }.items() for n1 in n1s},
    # Two names each in use on its own, of different sex: a brother and sister (or twins)
    # with one surname would score as one person.
    ("aaron", "erin"): "two names of different sex",
    ("aron", "erin"): "two names of different sex",
    ("alexandria", "alexander"): "two names of different sex",
    ("andrea", "andrew"): "two names of different sex",
    ("clarence", "clare"): "two names of different sex",
    ("edwina", "edwin"): "two names of different sex",
    ("jacqueline", "jack"): "two names of different sex",
    ("louis", "louise"): "two names of different sex",
    ("paul", "polly"): "two names of different sex",
    ("william", "bell"): "two names of different sex",
    ("wilma", "william"): "two names of different sex",
    # Not a diminutive of that name in British use, and each joins two men's names.
    ("robert", "bill"): "Bill is William's, not Robert's",
    ("robert", "billy"): "Billy is William's, not Robert's",
    ("bill", "robert"): "Bill is William's, not Robert's",
    ("billy", "robert"): "Billy is William's, not Robert's",
    ("bill", "fred"): "Fred is Frederick's or Alfred's, not Bill's",
    ("billy", "fred"): "Fred is Frederick's or Alfred's, not Billy's",
    ("will", "fred"): "Fred is Frederick's or Alfred's, not Will's",
    # Names in their own right, not diminutives of Marietta.
    ("marietta", "marion"): "a name in its own right",
    ("marietta", "maureen"): "a name in its own right",
    ("marietta", "mercy"): "a name in its own right",
}


def main(path, version):
    raw = open(path, "rb").read()
    rows = list(csv.DictReader(raw.decode("utf-8").splitlines()))
    used = set()
    groups = {}
    for r in rows:
        if r["relationship"] != "has_nickname":
            sys.exit(f"unknown relationship {r['relationship']!r}")
        pair = (r["name1"], r["name2"])
        if pair in REMOVED:
            used.add(pair)
            continue
        groups.setdefault(r["name1"], []).append(r["name2"])
    unused = set(REMOVED) - used
    if unused:
        sys.exit(f"REMOVED names pairs upstream no longer has: {sorted(unused)}")

    # A member that has a line of its own (a name in its own right, or a nickname upstream
    # lists with its full names) is paired with the head, not pooled with the other members,
    # so that one line never makes two names equivalent that each stand on a line of their
    # own (the line "harry: hap, haps, harold, henry" must not make HAROLD ~ HENRY).
    lines, pairs = [], []
    for head, members in groups.items():
        pooled = [m for m in members if m not in groups]
        if pooled:
            lines.append([head] + pooled)
        for m in members:
            if m in groups:
                key = tuple(sorted((head, m)))
                if key not in pairs:
                    pairs.append(key)
    out = sys.stdout
    sha = hashlib.sha256(raw).hexdigest()
    out.write(HEADER.format(version=version, sha=sha, pairs=len(rows), removed=len(REMOVED)))
    for reason in dict.fromkeys(REMOVED.values()):
        names = ", ".join(f"{a}/{b}" for (a, b), r in REMOVED.items() if r == reason)
        text = textwrap.fill(f"{reason}: {names}", width=88, break_on_hyphens=False)
        out.write(textwrap.indent(text, "#       ").replace("#       ", "#     - ", 1) + "\n")
    out.write("#\n# Groups: a name and the nicknames upstream lists for it.\n")
    for line in lines:
        out.write(",".join(n.upper() for n in line) + "\n")
    out.write("# Pairs: a name and a nickname that has a line of its own.\n")
    for a, b in pairs:
        out.write(f"{a.upper()},{b.upper()}\n")


HEADER = """\
# Forename nicknames from the public list "nicknames" by Carlton Northern and Nick Crews:
# PyPI package nicknames {version}, file nicknames/names.csv ({pairs} name/nickname pairs,
# sha256 {sha}),
# licensed under the Apache License 2.0 (text and provenance: config/nicknames/LICENSE).
# Upstream: the carltonnorthern/nicknames repository on GitHub.
#
# NOTICE of modification (Apache-2.0 section 4(b)): this file is not the upstream file. It
# was written by config/nicknames/make_public.py, which changed it as follows:
#   - each upstream name with its nicknames is one line here (names upper-case);
#   - a nickname that has an upstream line of its own is written as a pair with the name,
#     not pooled with that name's other nicknames (upstream's line "harry: hap, haps,
#     harold, henry" gives HARRY,HAP,HAPS and the pairs HARRY,HAROLD and HARRY,HENRY, so
#     HAROLD and HENRY stay two names);
#   - {removed} pairs are removed, as not nicknames or as risky for linking:
"""

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
