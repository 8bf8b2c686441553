#!/usr/bin/env python3
"""Build the bundled demo force: roster.csv, posts.csv, vetting.csv and the answer key.

Every person is generated as a *true identity* first; the HR row and the vetting rows are
then written from that identity with the noise a real export has (accents, Mc/Mac, titles,
nicknames, married names, swapped dates, stale employee ids). The answer key
(expected_exceptions.csv) is computed here, from the true identities and the contract's
rules, never by running vetrecon. Run from the repository root:

    python3 testdata/demo/make_demo.py

The output is deterministic (fixed seed). The demo is anchored at AS_OF below; run vetrecon
with --as-of 2026-11-24 to reproduce the answer key exactly.

It also writes the prevention feeds (postings.csv, conditions.csv, revet_on_appointment in
posts.csv), a second night a week later (night2/roster.csv, night2/postings.csv) and their
answer keys: the prevention codes' rows in expected_exceptions.csv, expected_jml.csv (the
second night's joiners-movers-leavers actions) and expected_inspection.csv (moves into
designated posts before MV), each worked out from the agreed rules and checked against the
planned cases.

And the integrity oversight data: declarations.csv, the roster's last_integrity_review, the
misconduct feed's breach_category and sanction (with further outcomes, each followed by a
vetting review), a roads policing post graded MV, and their answer keys: the rows of
DECLARATION_REVIEW_DUE, DECLARATION_REFUSED_IN_POST and INTEGRITY_REVIEW_OVERDUE in
expected_exceptions.csv, and expected_post_register_checks.csv, each worked out from the agreed
rules and checked against the planned cases.
"""
import csv
import datetime as dt
import os
import random

AS_OF = dt.date(2026, 11, 24)
WARN_DAYS = 180
VALIDITY_YEARS = {"RV": 10, "MV": 7, "NPPV1": 3, "NPPV2": 3, "NPPV3": 5, "CTC": 10, "SC": 10, "DV": 7}
LADDERS = [["RV", "MV"], ["NPPV1", "NPPV2", "NPPV3"], ["CTC", "SC", "DV"]]
BASELINE = {"officer": "RV", "staff": "RV", "special": "RV", "pcso": "RV", "volunteer": "RV", "contractor": "NPPV2"}
HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(20261124)

SURNAMES = """Abbott Ahmed Allen Atkinson Bailey Baker Barnes Bell Bennett Bradley Brooks Burton Campbell
Chapman Clarke Cole Collins Cook Cooper Cox Davies Dawson Dixon Doyle Edwards Ellis Evans Fisher Fletcher
Foster Fox Gibson Graham Grant Gray Green Griffiths Hall Hamilton Harper Harris Hart Hayes Henderson Hill
Holmes Hudson Hughes Hunt Hussain Jackson James Jenkins Johnson Kaur Kelly Kennedy Khan Knight Lambert Lawrence
Lee Lewis Lloyd Marshall Martin Mason Matthews Miller Mills Mitchell Moore Morgan Morris Murphy Murray Nash
Newton Owen Palmer Parker Patel Pearce Perry Phillips Porter Powell Price Quinn Reid Reynolds Richards Roberts
Robinson Rogers Rose Russell Ryan Saunders Scott Shaw Simpson Singh Spencer Stevens Stone Sutton Taylor Thomas
Turner Walker Wallace Ward Watson Webb Wells West White Wilkinson Williams Wood Wright Young""".split()
FORENAMES = """Aaron Adam Aisha Alan Alice Amanda Amir Andrew Angela Anna Barry Ben Carl Caroline Chloe Claire
Colin Craig Daniel Darren David Dean Diane Donna Emma Fatima Gary Gemma Graham Hannah Helen Ian Imran Jack Jade
Jason Jenna Joanne Jordan Karen Keith Kelly Kevin Laura Leanne Lee Lewis Lisa Liam Lucy Luke Mark Martin Megan
Michelle Mohammed Natalie Neil Nicola Paul Priya Rachel Rebecca Ryan Sam Sarah Scott Sean Simon Sophie Stephen
Stuart Tariq Tom Tracy Wayne Zara""".split()

posts = []          # dicts
persons = []        # true identities with HR rows
records = []        # vetting rows: dict with 'truth' = employee id or None, 'expect' = auto|review|ambiguous|none
expected = []       # (code, employee_id, vetting_ref)
used_names = set()
emp_seq = [1000]
ref_seq = [500000]


def add_post(pid, title, dept, level, designated, vulnerable):
    posts.append(dict(post_id=pid, title=title, department=dept, required_level=level,
                      designated="yes" if designated else "no", vulnerable_contact="Y" if vulnerable else "N"))


def requirement(post_id, role):
    post = next((p for p in posts if p["post_id"] == post_id), None)
    if post is None:
        return BASELINE[role], False
    if post["designated"] == "yes":
        return "MV", True
    return post["required_level"] or BASELINE[role], True


def satisfies(held, req):
    for ladder in LADDERS:
        if held in ladder and req in ladder:
            return ladder.index(held) >= ladder.index(req)
    return False


def random_dob():
    return dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 42))


def fresh_name():
    while True:
        name = (rng.choice(FORENAMES), rng.choice(SURNAMES))
        if name not in used_names:
            used_names.add(name)
            return name


def person(role="staff", post=None, status="active", forenames=None, surname=None, dob=None, ni=None,
           previous="", leaving_date="", hr_surname=None, hr_forenames=None, hr_dob=None, start=None):
    emp_seq[0] += 1
    f, s = fresh_name()
    p = dict(employee_id=f"E{emp_seq[0]}", forenames=forenames or f, surname=surname or s,
             dob=dob or random_dob(), ni=ni, role=role, post=post, status=status, previous=previous,
             leaving_date=leaving_date, start=start, start_given=start is not None)
    p["hr_surname"] = hr_surname or p["surname"]
    p["hr_forenames"] = hr_forenames or p["forenames"]
    p["hr_dob"] = (hr_dob or p["dob"].isoformat())
    persons.append(p)
    return p


def record(who, level, status="granted", decided=None, expiry="", surname=None, forenames=None, dob=None,
           ni=None, hint="", adverse="no", rationale="no", mitigation="no", expect="auto", previous=""):
    ref_seq[0] += 7
    r = dict(vetting_ref=f"V{ref_seq[0]}", truth=who["employee_id"] if who and "employee_id" in who else None,
             surname=surname if surname is not None else who["surname"],
             forenames=forenames if forenames is not None else who["forenames"],
             dob=dob if dob is not None else who["dob"].isoformat(), ni=ni if ni is not None else (who.get("ni") or ""),
             hint=hint, level=level, status=status, decided=decided, expiry=expiry, adverse=adverse,
             rationale=rationale, mitigation=mitigation, expect=expect, previous=previous)
    records.append(r)
    return r


def years_ago(y, days=0):
    return AS_OF - dt.timedelta(days=int(365.25 * y) + days)


def expiry_of(r):
    if r["expiry"]:
        return dt.date.fromisoformat(r["expiry"])
    if r["decided"] is None:
        return None
    d = r["decided"]
    try:
        return d.replace(year=d.year + VALIDITY_YEARS[r["level"]])
    except ValueError:  # 29 February
        return d.replace(year=d.year + VALIDITY_YEARS[r["level"]], day=28)


def valid(r):
    e = expiry_of(r)
    return r["status"] == "granted" and e is not None and e > AS_OF


# --- the post register -------------------------------------------------------------------
for i in range(1, 13):
    add_post(f"P{i:03d}", f"Response officer {i}", "Response", "RV", False, i % 3 == 0)
for i in range(13, 21):
    add_post(f"P{i:03d}", f"Staff role {i}", "Support", "RV", False, False)
for i in range(21, 29):   # designated posts; some registers still say RV: MV is required anyway
    add_post(f"P{i:03d}", f"Intelligence analyst {i}", "Intelligence", "MV" if i % 2 else "RV", True, i % 4 == 0)
add_post("P029", "Professional standards investigator", "PSD", "MV", True, True)
add_post("P030", "Counter terrorism liaison", "Special Branch", "SC", False, False)
add_post("P031", "IT contractor (systems)", "ICT", "NPPV2", False, False)
add_post("P032", "IT contractor (data centre)", "ICT", "NPPV3", False, False)
add_post("P033", "Cleaning contractor", "Estates", "NPPV1", False, False)
add_post("P034", "Child protection officer", "Safeguarding", "RV", False, True)
add_post("P035", "Custody detention officer", "Custody", "RV", False, True)
# A roads policing post graded MV: the national review's example of a post graded higher than
# its work needs (integrity.title_rules expects RV). Its holders are moved in below.
add_post("P036", "Roads Policing officer", "Roads Policing", "MV", False, False)

RV_POSTS = [f"P{i:03d}" for i in range(1, 21)] + ["P034", "P035"]
MV_POSTS = [f"P{i:03d}" for i in range(21, 30)]


def compliant(p):
    """Give a person the valid clearance their post needs, decided 1-4 years ago."""
    req, _ = requirement(p["post"], p["role"])
    return record(p, req, decided=years_ago(rng.uniform(1, 4)))


# --- background: compliant people with clean records ------------------------------------------
for i in range(140):
    role = rng.choice(["officer", "officer", "staff", "staff", "pcso", "special", "volunteer"])
    post = rng.choice(RV_POSTS + MV_POSTS)
    p = person(role=role, post=post, ni=f"{rng.choice(['AB', 'CE', 'JK', 'PR', 'WX'])}{rng.randrange(10**6):06d}{rng.choice('ABCD')}" if i % 2 else None)
    if post in MV_POSTS and i % 5 == 0:
        record(p, "RV", decided=years_ago(rng.uniform(5, 9)))   # the older RV they started on
    compliant(p)
for post in ["P031", "P032", "P033"]:
    for _ in range(3):
        compliant(person(role="contractor", post=post))
compliant(person(role="officer", post="P030"))
# Four people who hold MV in a designated post serve in the roads policing post instead (their
# requirement stays MV; none of them is picked for anything below). No draw is made here.
ROADS_POLICING = ("E1005", "E1032", "E1042", "E1050")
for p in persons:
    if p["employee_id"] in ROADS_POLICING:
        p["post"] = "P036"

# --- normalisation and linking cases: all must auto-link, so none raises an exception ---------
cases = [
    dict(surname="Ó Súilleabháin", forenames="Siobhán", vet=dict(surname="O'SUILLEABHAIN", forenames="siobhan")),
    dict(surname="McDonald", forenames="Callum", vet=dict(surname="MacDonald")),
    dict(surname="O'Neill", forenames="Patrick", vet=dict(surname="ONeill", forenames="Pat")),
    dict(surname="Smith-Jones", forenames="Rebecca Anne", vet=dict(surname="Jones", forenames="Becky")),
    dict(surname="Okafor", forenames="Chukwuemeka", vet=dict(forenames="Dr. Chukwuemeka")),
    dict(surname="Whitfield", forenames="William", vet=dict(forenames="Bill")),
    dict(surname="Ashworth", forenames="Margaret Louise", vet=dict(forenames="Louise")),
    dict(surname="Zoellner", forenames="Zoë", vet=dict(surname="ZOELLNER ", forenames="Zoe")),
    dict(surname="De La Cruz", forenames="Maria", vet=dict(surname="Delacruz")),
    dict(surname="Fitzgerald", forenames="Niamh", vet=dict(surname="Fitzgerrald")),
    dict(surname="St John", forenames="Oliver", vet=dict(surname="Saint-John")),
]
for c in cases:
    p = person(role="staff", post=rng.choice(RV_POSTS), surname=c["surname"], forenames=c["forenames"])
    record(p, "RV", decided=years_ago(2), **c["vet"])
# married name: HR has the new surname and the old one; vetting still has the old one
p = person(role="officer", post="P005", surname="Bradshaw", forenames="Helen", previous="Kowalski")
record(p, "RV", decided=years_ago(3), surname="Kowalski")
# vetting knows the marriage, HR does not
p = person(role="staff", post="P014", surname="Okonkwo", forenames="Grace")
record(p, "RV", decided=years_ago(3), surname="Adeyemi", previous="Okonkwo")
# date of birth exported US-style (day and month exchanged) and as DD/MM/YYYY in HR
p = person(role="officer", post="P007", surname="Lindqvist", forenames="Erik", dob=dt.date(1985, 3, 9))
p["hr_dob"] = "09/03/1985"
record(p, "RV", decided=years_ago(2), dob="1985-09-03")
# one digit keyed wrong in the year
p = person(role="staff", post="P016", surname="Pemberton", forenames="Judith", dob=dt.date(1977, 6, 21))
record(p, "RV", decided=years_ago(2), dob="1978-06-21")
# NI written with spaces and lower case on one side; stale employee id hint on the vetting side
p = person(role="officer", post="P003", surname="Gallagher", forenames="Declan", ni="JT 12 34 56 A")
record(p, "RV", decided=years_ago(1), ni="jt123456a", hint="E9999")
# a person with many records: refused long ago, an old RV, a current MV
p = person(role="officer", post="P023", surname="Hargreaves", forenames="Simon")
old_refusal = record(p, "MV", status="refused", decided=years_ago(9))
record(p, "RV", decided=years_ago(8))
record(p, "MV", decided=years_ago(2))

# --- exception cases ----------------------------------------------------------------------------
# EXPIRING_SOON: designated post, MV expires in 60 days
p = expiring = person(role="officer", post="P025")
record(p, "MV", decided=years_ago(3), expiry=(AS_OF + dt.timedelta(days=60)).isoformat())
# INSUFFICIENT_LEVEL with a pending MV named in the detail; the MV application carries adverse
# information and has waited 75 days in a designated post (PENDING_TOO_LONG for the adverse
# reason: over casework.adverse_undecided_days, under the 90 days an upgrade may take)
p = person(role="officer", post="P022", start=dt.date(2025, 1, 6))
record(p, "RV", decided=years_ago(4))
upgrade = record(p, "MV", status="pending", decided=None, adverse="yes")
# INSUFFICIENT_LEVEL across ladders: NPPV3 is not MV unless the force maps it
p = contractor_p027 = person(role="contractor", post="P027")
record(p, "NPPV3", decided=years_ago(1))
# INSUFFICIENT_LEVEL: SC post, RV held
p = person(role="officer", post="P030")
record(p, "RV", decided=years_ago(2))
# EXPIRED: RV expired last year
p = expired_p002 = person(role="officer", post="P002")
record(p, "RV", decided=years_ago(11))
# EXPIRED via a lapsed record, plus a pending renewal (still EXPIRED: order step 3 before 4);
# the renewal has sat at the first stage for 45 days (RENEWAL_NO_RESPONSE)
p = person(role="staff", post="P034")
record(p, "RV", status="lapsed", decided=years_ago(10, 40))
renewal = record(p, "RV", status="pending", decided=None)
# NOT_GRANTED: refused only, in a designated post; refused on adverse information with no
# rationale recorded (RATIONALE_MISSING), the appeal dismissed
p = refused_p029 = person(role="staff", post="P029")
refusal = record(p, "MV", status="refused", decided=years_ago(0.5), adverse="yes")
# NOT_GRANTED: pending and withdrawn only; the withdrawal rested on adverse information with
# no rationale (RATIONALE_MISSING), and the new application has waited 200 days
# (PENDING_TOO_LONG: a recruit's limit is 90)
p = person(role="pcso", post="P009")
reapplied = record(p, "RV", status="pending", decided=None)
withdrawal = record(p, "RV", status="withdrawn", decided=years_ago(1), adverse="yes")
# NO_CLEARANCE: designated post with vulnerable contact, nothing in the vetting system
person(role="officer", post="P024", start=dt.date(2023, 9, 1))
# NO_CLEARANCE: an ordinary post, and a person on a career break
person(role="staff", post="P018", start=dt.date(2026, 6, 1))
person(role="officer", post="P011", status="career_break", start=dt.date(2020, 2, 3))
# suspended person with a valid clearance: no exception
compliant(person(role="officer", post="P006", status="suspended"))
# UNKNOWN_POST with a valid RV (the baseline): only UNKNOWN_POST
p = person(role="staff", post="P999")
record(p, "RV", decided=years_ago(2))
# UNKNOWN_POST for a contractor holding only RV: baseline NPPV2 not met
p = person(role="contractor", post="P998")
record(p, "RV", decided=years_ago(2))
# AMBIGUOUS_MATCH: twins; a record giving only the initial cannot be placed
twin_dob = dt.date(1990, 7, 14)
t1 = person(role="officer", post="P004", surname="Carter", forenames="James", dob=twin_dob)
t2 = person(role="officer", post="P008", surname="Carter", forenames="John", dob=twin_dob)
record(t1, "RV", decided=years_ago(3))
record(t2, "RV", decided=years_ago(3))
record(t1, "RV", decided=years_ago(1), forenames="J", expect="ambiguous")
# REVIEW_MATCH: surname mistyped twice (a letter doubled and one wrong: no single slip), the forename given
# only as an initial, the day of birth one out, and an old payroll number that is no one's now;
# the person has nothing else, so NO_CLEARANCE is raised too (a pending review never hides an
# exception). (The example used to have the forename misspelt in full, and then the surname one
# letter off; weighed against the rest of the roster, where no one else comes close, each of
# those records is this person beyond reasonable doubt and now links.)
p = person(role="staff", post="P015", surname="Thompson", forenames="Gareth", dob=dt.date(1982, 4, 17))
record(p, "RV", decided=years_ago(1), surname="Thompseen", forenames="G", dob="1982-04-18", hint="E0917",
       expect="review")
# LEAVER_ACTIVE_CLEARANCE: left in September, MV still live
p = person(role="officer", post="P021", status="leaver", leaving_date="2026-09-30")
record(p, "MV", decided=years_ago(2))
# a leaver whose clearance has expired: nothing to do
p = person(role="staff", post="P013", status="leaver", leaving_date="2020-01-31")
record(p, "RV", decided=years_ago(12))
# ORPHAN_CLEARANCE: a live clearance for someone HR has never heard of
record({"surname": "Vasquez", "forenames": "Isabella", "dob": dt.date(1971, 12, 2)}, "NPPV2", decided=years_ago(1), expect="none")
# ORPHAN_CLEARANCE and ADVERSE_UNMITIGATED on the same unlinked record
orphan_adverse = record({"surname": "Brannigan", "forenames": "Kieran", "dob": dt.date(1966, 2, 27)}, "RV", decided=years_ago(2),
       adverse="yes", rationale="yes", mitigation="no", expect="none")
# ADVERSE_UNMITIGATED on a linked record (no rationale, no mitigation); a criminal record and
# no interview (INTERVIEW_NOT_HELD)
p = person(role="officer", post="P010")
unmitigated = record(p, "RV", decided=years_ago(1), adverse="yes")
# adverse information fully handled: no exception (the interview is not recorded)
p = handled_who = person(role="officer", post="P012")
handled = record(p, "RV", decided=years_ago(1), adverse="yes", rationale="yes", mitigation="yes")
# an orphan that has expired: no exception
record({"surname": "Ogunleye", "forenames": "Tunde", "dob": dt.date(1958, 5, 5)}, "RV", decided=years_ago(15), expect="none")

# --- prevention: who moves, who joins, who leaves, and the conditions on clearances ------------
# No draws from `rng` here (nor from the casework generator below), so every identity, reference
# and row order above stays as it was. Post start dates come from a generator of their own.
prng = random.Random(2026112403)
LATEST_START = dt.date(2026, 9, 30)   # the roster's newest date stays the September leaver's
NIGHT2 = AS_OF + dt.timedelta(days=7)
HORIZON = 90                          # prevention.posting_horizon_days
DUE_DAYS = {"vet_joiner": 28, "confirm_transfer": 14, "upgrade": 28, "revet": 28, "end_clearance": 7}
REVET_POSTS = {"P021", "P029", "P030"}  # revet_on_appointment = yes
for post in posts:
    post["revet_on_appointment"] = "yes" if post["post_id"] in REVET_POSTS else "no"
post_by_id = {x["post_id"]: x for x in posts}
VULNERABLE_RV = [x["post_id"] for x in posts if x["vulnerable_contact"] == "Y" and x["post_id"] in RV_POSTS]


def own(p):
    return [r for r in records if r["truth"] == p["employee_id"]]


used = set()


def pick(pred):
    """The first background person (past the eight with review-trigger events) that fits."""
    for p in persons[20:140]:
        if p["employee_id"] not in used and p["status"] == "active" and pred(p, own(p)):
            used.add(p["employee_id"])
            return p
    raise SystemExit("no background person fits")


def one_record(level, post_ok):
    return lambda p, rs: p["post"] in post_ok and len(rs) == 1 and rs[0]["level"] == level


# A move into a designated post in March, management vetting granted in May (70 days uncleared).
moved_early = pick(lambda p, rs: p["post"] in MV_POSTS and sorted(r["level"] for r in rs) == ["MV", "RV"])
late_mv = next(r for r in own(moved_early) if r["level"] == "MV")
# (`drawn_as` keeps the casework generator's draws in the order they were made before.)
late_mv.update(drawn_as=late_mv["decided"], decided=dt.date(2026, 5, 11))
# Two mitigated grants: one with no condition in the feed (CONDITION_NO_OWNER, risk mitigation
# recorded but no condition held), one under a posting restriction its post breaks.
mitigated_alone = pick(one_record("RV", [x for x in RV_POSTS if x not in VULNERABLE_RV]))
restricted = pick(lambda p, rs: one_record("RV", VULNERABLE_RV)(p, rs) and rs[0]["decided"] < AS_OF - dt.timedelta(days=400))
for who in (mitigated_alone, restricted):
    own(who)[0].update(adverse="yes", rationale="yes", mitigation="yes")
# Movers (postings on night one, moves on night two) and leavers (night two).
up_mover = pick(one_record("RV", [x for x in RV_POSTS if x not in REVET_POSTS]))
mv_mover = pick(one_record("MV", [x for x in MV_POSTS if x not in ("P028", "P029")]))
revet_mover = pick(one_record("MV", [x for x in MV_POSTS if x not in ("P028", "P029")]))
same_mover = pick(one_record("RV", [x for x in RV_POSTS if x not in ("P019",)]))
unknown_mover = pick(one_record("RV", RV_POSTS))
later_mover = pick(one_record("RV", RV_POSTS))
started_mover = pick(one_record("RV", RV_POSTS))
leaver_told = pick(one_record("RV", RV_POSTS))
leaver_absent = pick(one_record("MV", MV_POSTS))
leaver_late = pick(one_record("RV", RV_POSTS))

# Joiners: not on tonight's roster; their vetting is reachable only through the employee_id
# hint on their vetting record. Their records go at the end of vetting.csv.
joiners = [
    dict(employee_id="E2001", surname="Okoro", forenames="Adaeze", dob=dt.date(1994, 2, 11), role="staff",
         post="P024", start=dt.date(2027, 1, 4), ni="JR482913C"),
    dict(employee_id="E2002", surname="Baxter", forenames="Rhys", dob=dt.date(1999, 7, 23), role="officer",
         post="P016", start=dt.date(2026, 11, 27), ni=""),
    dict(employee_id="E2003", surname="Lindgren", forenames="Freya", dob=dt.date(1988, 10, 5), role="officer",
         post="P005", start=dt.date(2026, 11, 30), ni="NH730216B"),
]
J1, J2, J3 = joiners
joiner_records = [
    # an MV application made before the joiner starts, still at enquiries
    dict(vetting_ref="V600011", who=J1, level="MV", status="pending", decided=None, expiry="",
         case=dict(application_date=dt.date(2026, 10, 12), case_type="transferee", stage="enquiries")),
    # a transferee's clearance from their old force, sent ahead of them
    dict(vetting_ref="V600018", who=J3, level="RV", status="granted", decided=dt.date(2023, 6, 14), expiry="",
         case=dict(application_date=dt.date(2023, 4, 3), case_type="transferee", stage="decision",
                   decision_maker="DM004")),
]
for r in joiner_records:
    r.update(adverse="no", rationale="no", mitigation="no")


# Post start dates: after the clearance the post needs, for most; a spread over the years.
def start_of(p):
    recs = own(p)
    req, _ = requirement(p["post"], p["role"])
    grants = [r for r in recs if r["status"] in ("granted", "lapsed") and r["decided"]]
    meeting = [r for r in grants if satisfies(r["level"], req)]
    dated = meeting or grants or [r for r in recs if r["decided"]]
    end = LATEST_START
    if p["leaving_date"]:
        end = min(end, dt.date.fromisoformat(p["leaving_date"]) - dt.timedelta(days=30))
    if not dated:
        return end - dt.timedelta(days=prng.randrange(60, 2000))
    # Most take up the post within six months of the clearance it needs; some move years later.
    lo = max(min(r["decided"] for r in dated) + dt.timedelta(days=14), end - dt.timedelta(days=6 * 365))
    span = max(1, (end - lo).days)
    return lo + dt.timedelta(days=prng.randrange(0, span if prng.random() < 0.2 else min(span, 180)))


for p in persons:
    if not p["start_given"]:
        p["start"] = start_of(p)
# Three moves into designated posts in the last twelve months made before MV was granted: one
# cleared later (above), a refusal and a contractor holding NPPV3 (both still uncleared).
moved_early["start"] = dt.date(2026, 3, 2)
refused_p029["start"] = dt.date(2026, 2, 16)
contractor_p027["start"] = dt.date(2026, 7, 6)

# --- the answer key, from the true identities ---------------------------------------------
by_emp = {p["employee_id"]: p for p in persons}
auto = {}
for r in records:
    if r["expect"] == "auto":
        auto.setdefault(r["truth"], []).append(r)
for p in persons:
    recs = auto.get(p["employee_id"], [])
    e = p["employee_id"]
    if p["status"] == "leaver":
        live = [r for r in recs if valid(r)]
        if live:
            live.sort(key=lambda r: (expiry_of(r), r["vetting_ref"]), reverse=True)
            expected.append(("LEAVER_ACTIVE_CLEARANCE", e, live[0]["vetting_ref"]))
        continue
    req, known = requirement(p["post"], p["role"])
    if not known:
        expected.append(("UNKNOWN_POST", e, ""))
    live = [r for r in recs if valid(r)]
    sat = [r for r in live if satisfies(r["level"], req)]
    if sat:
        best = max(sat, key=lambda r: expiry_of(r))
        if (expiry_of(best) - AS_OF).days <= WARN_DAYS:
            expected.append(("EXPIRING_SOON", e, best["vetting_ref"]))
    elif live:
        expected.append(("INSUFFICIENT_LEVEL", e, max(live, key=lambda r: expiry_of(r))["vetting_ref"]))
    elif any(r["status"] in ("granted", "lapsed") for r in recs):
        gl = [r for r in recs if r["status"] in ("granted", "lapsed")]
        expected.append(("EXPIRED", e, max(gl, key=lambda r: expiry_of(r))["vetting_ref"]))
    elif recs:
        latest = max(recs, key=lambda r: (r["decided"] or dt.date.min, r["vetting_ref"]))
        expected.append(("NOT_GRANTED", e, latest["vetting_ref"]))
    else:
        expected.append(("NO_CLEARANCE", e, ""))
for r in records:
    if r["expect"] == "ambiguous":
        expected.append(("AMBIGUOUS_MATCH", "", r["vetting_ref"]))
    if r["expect"] == "review":
        expected.append(("REVIEW_MATCH", r["truth"], r["vetting_ref"]))
    if r["expect"] == "none" and valid(r):
        expected.append(("ORPHAN_CLEARANCE", "", r["vetting_ref"]))
    if valid(r) and r["adverse"] == "yes" and not (r["rationale"] == "yes" and r["mitigation"] == "yes"):
        expected.append(("ADVERSE_UNMITIGATED", r["truth"] if r["expect"] == "auto" else "", r["vetting_ref"]))

# --- review triggers: PND returns, misconduct outcomes, changes of circumstances --------------
# Background people (compliant, each with an NI number) are given events; no random draws
# here, so the files above stay as they were. A review on or after an event closes it; an
# open event is an exception once more than GRACE days have passed.
GRACE = 28
MISCONDUCT_REVIEW = {"written_warning", "final_written_warning", "reduction_in_rank"}
CIRCUMSTANCES_REVIEW = {"name", "marital_status", "partner", "finances", "association"}


def days_ago(n):
    return AS_OF - dt.timedelta(days=n)


def reviewed(who, on):
    for r in records:
        if r["truth"] == who["employee_id"]:
            r["last_review"] = on.isoformat()


bg = [persons[i] for i in range(1, 140, 2)]   # background people with NI numbers
A, B, C, D, E, F, G, H = bg[:8]
reviewed(B, days_ago(50))
pnd = [
    # arrest 40 days ago; the PND copy has the surname misspelt (letters transposed)
    dict(ref="PND-24-000101", who=A, surname=A["surname"][0] + A["surname"][2] + A["surname"][1] + A["surname"][3:],
         date=days_ago(40), category="arrest"),
    # intelligence 100 days ago, but B's vetting was reviewed 50 days ago: closed
    dict(ref="PND-24-000102", who=B, surname=B["surname"], date=days_ago(100), category="intelligence"),
    # a charge 10 days ago: still inside the grace period
    dict(ref="PND-24-000103", who=C, surname=C["surname"], date=days_ago(10), category="charge"),
    # someone who is not in the workforce at all: links to no one
    dict(ref="PND-24-000104", who=None, surname="Featherstonehaugh", date=days_ago(200), category="conviction"),
]
misconduct = [
    dict(ref="MIS-2026-0001", who=D, outcome="final_written_warning", date=days_ago(60)),
    dict(ref="MIS-2026-0002", who=E, outcome="written_warning", date=days_ago(10)),
    dict(ref="MIS-2026-0003", who=F, outcome="other", date=days_ago(90)),
]
circumstances = [
    dict(ref="COC-2026-0001", who=G, change="partner", date=days_ago(45)),
    dict(ref="COC-2026-0002", who=H, change="address", date=days_ago(45)),
    dict(ref="COC-2026-0003", who=B, change="finances", date=days_ago(70)),
]


def latest_review(who):
    dates = []
    for r in auto.get(who["employee_id"], []):
        dates += [d for d in (r["decided"], dt.date.fromisoformat(r["last_review"]) if r.get("last_review") else None) if d]
    return max(dates) if dates else None


def due(who, date):
    if who is None or who["status"] == "leaver":
        return False
    last = latest_review(who)
    return (last is None or last < date) and (AS_OF - date).days > GRACE


for e in pnd:
    if due(e["who"], e["date"]):
        expected.append(("PND_UNREVIEWED", e["who"]["employee_id"], e["ref"]))
for e in misconduct:
    if e["outcome"] in MISCONDUCT_REVIEW and due(e["who"], e["date"]):
        expected.append(("MISCONDUCT_REVIEW_DUE", e["who"]["employee_id"], e["ref"]))
for e in circumstances:
    if e["change"] in CIRCUMSTANCES_REVIEW and due(e["who"], e["date"]):
        expected.append(("CIRCUMSTANCES_REVIEW_DUE", e["who"]["employee_id"], e["ref"]))

# --- the vetting unit's casework ----------------------------------------------------------------
# The casework columns (docs/input.md), the three further protected characteristics and the
# recruitment plan. Drawn from a generator of their own, so every value above (identities,
# levels, statuses, dates, the row order and the sex column) stays as it was; the only other
# change is adverse_info on the three planned records above. The expected rows for the four
# casework codes are worked out below from the contract (docs/output.md) and the defaults of
# [casework], never by running vetrecon.
crng = random.Random(2026112402)
CASE_TYPES = ["recruit", "renewal", "upgrade", "transferee", "contractor", "non_police"]
PENDING_LIMIT = {"recruit": 90, "renewal": 60, "upgrade": 90, "transferee": 60, "contractor": 60, "non_police": 90}
PENDING_LIMIT_DEFAULT = 90
ADVERSE_UNDECIDED = 60
RENEWAL_REMINDER = 180
RENEWAL_NO_RESPONSE = 28
LOOKBACK = dt.date(AS_OF.year - 2, AS_OF.month, AS_OF.day)   # decision_lookback_months = 24
STAGES = ["received", "enquiries", "interview", "decision"]
INTERVIEW_CATEGORIES = {"criminal_record", "associations", "honesty"}
WORKFORCE = {"active", "suspended", "career_break"}
CASE_COLUMNS = ["application_date", "case_type", "stage", "refusal_reason", "adverse_category", "interview_held",
                "appeal_status", "appeal_date", "appeal_outcome_date", "decision_maker"]
MORE_PROTECTED = ["gender_reassignment", "marriage_civil_partnership", "pregnancy_maternity"]


def days_before(d, n):
    return d - dt.timedelta(days=n)


def plan(r, age=None, **case):
    """A record's planned casework: its application `age` in days on AS_OF, and any column."""
    if age is not None:
        case["application_date"] = days_before(AS_OF, age)
    r["case"] = case


# The planned cases. Ages are whole days on AS_OF.
plan(upgrade, age=75, case_type="upgrade", stage="enquiries", adverse_category="associations")
plan(renewal, age=45, case_type="renewal", stage="received")
plan(reapplied, age=200, case_type="recruit", stage="interview")
plan(refusal, case_type="recruit", refusal_reason="financial", adverse_category="financial", interview_held="no",
     appeal_status="dismissed", appeal_date=refusal["decided"] + dt.timedelta(days=20),
     appeal_outcome_date=refusal["decided"] + dt.timedelta(days=100))
plan(withdrawal, case_type="recruit", adverse_category="honesty",
     appeal_status="lodged", appeal_date=withdrawal["decided"] + dt.timedelta(days=25))
plan(old_refusal, case_type="recruit", refusal_reason="other",
     appeal_status="upheld", appeal_date=old_refusal["decided"] + dt.timedelta(days=30),
     appeal_outcome_date=old_refusal["decided"] + dt.timedelta(days=120))
plan(unmitigated, adverse_category="criminal_record", interview_held="no")
# An appeal against the conditions of a grant, withdrawn; the interview is not recorded.
plan(handled, adverse_category="associations", appeal_status="withdrawn",
     appeal_date=handled["decided"] + dt.timedelta(days=15))
plan(orphan_adverse, adverse_category="financial", interview_held="yes")


def first_case_type(level, role):
    if role == "contractor" or level.startswith("NPPV"):
        return "contractor"
    return "non_police" if role == "volunteer" else "recruit"


def fill_casework(r, earlier):
    """The columns of a record no scenario plans: an ordinary decided (or pending) case."""
    case = dict(r.get("case", {}))
    who = by_emp.get(r["truth"]) if r["expect"] == "auto" else None
    role = who["role"] if who else ("contractor" if r["level"].startswith("NPPV") else "recruit")
    if "case_type" not in case:
        if any(e["level"] == r["level"] for e in earlier):
            case["case_type"] = "renewal"
        elif r["level"] == "MV" and any(e["level"] == "RV" for e in earlier):
            case["case_type"] = "upgrade"
        else:
            case["case_type"] = first_case_type(r["level"], role)
    if r["decided"] is not None:
        case.setdefault("application_date", days_before(r["decided"], crng.randint(20, 150)))
        case.setdefault("stage", "decision")
        case.setdefault("decision_maker", f"DM{crng.randint(1, 12):03d}")
        if r["status"] == "refused":
            case.setdefault("refusal_reason", "other")
            case.setdefault("appeal_status", "none")
    if r["adverse"] == "yes":
        case.setdefault("adverse_category", "other")
    # One decided record in ten has no application date recorded: an older case.
    if r["decided"] is not None and "case" not in r and crng.random() < 0.1:
        del case["application_date"]
    return case


owned = {}
for r in sorted(records, key=lambda r: (r.get("drawn_as", r["decided"]) or dt.date.max, r["vetting_ref"])):
    key = r["truth"] if r["expect"] == "auto" else r["vetting_ref"]
    r["casework"] = fill_casework(r, owned.get(key, []))
    owned.setdefault(key, []).append(r)
for r in records:
    # The three characteristics are recorded on about two records in three.
    extra = {}
    if crng.random() < 0.65:
        extra = dict(gender_reassignment=crng.choice(["no"] * 30 + ["yes", "prefer not to say"]),
                     marriage_civil_partnership=crng.choice(["married", "married", "single", "single", "civil partnership",
                                                             "divorced", "widowed"]),
                     pregnancy_maternity=crng.choice(["no"] * 25 + ["yes"]))
    r["protected"] = extra

# The expected rows of the four casework codes, from the contract.


def in_lookback(d):
    """Made in the last 24 months. Asked only once every other condition holds, so a record
    it decides may not sit within a week of the edge, where a day's reading would matter."""
    assert abs((d - LOOKBACK).days) > 7, f"a planned date {d} sits on the lookback's edge"
    return d >= LOOKBACK


def age_of(r):
    d = r["casework"].get("application_date")
    return (AS_OF - d).days if d else None


def clearance_expiry(e):
    """The latest expiry among the person's granted or lapsed records, or None."""
    ex = [expiry_of(r) for r in auto.get(e, []) if r["status"] in ("granted", "lapsed") and expiry_of(r)]
    return max(ex) if ex else None


casework_expected = []
for r in records:
    c = r["casework"]
    who = by_emp.get(r["truth"]) if r["expect"] == "auto" else None
    e = who["employee_id"] if who else ""
    in_work = who is not None and who["status"] in WORKFORCE
    age = age_of(r)
    if r["status"] == "pending" and in_work and age is not None:
        req, known = requirement(who["post"], who["role"])
        post = next((x for x in posts if x["post_id"] == who["post"]), None)
        designated = post is not None and post["designated"] == "yes"
        if known and r["level"] == req:
            limit = PENDING_LIMIT.get(c.get("case_type"), PENDING_LIMIT_DEFAULT)
            if age > limit or (r["adverse"] == "yes" and designated and age > ADVERSE_UNDECIDED):
                casework_expected.append(("PENDING_TOO_LONG", e, r["vetting_ref"]))
    if r["adverse"] == "yes" and r["rationale"] != "yes" and not valid(r):
        decided_in_window = r["status"] in ("refused", "withdrawn") and in_lookback(r["decided"])
        appeal_in_window = (c.get("appeal_status") in ("upheld", "dismissed")
                            and in_lookback(c["appeal_outcome_date"]))
        if decided_in_window or appeal_in_window:
            casework_expected.append(("RATIONALE_MISSING", e, r["vetting_ref"]))
    if (r["status"] in ("granted", "refused") and r["adverse"] == "yes" and c.get("adverse_category") in INTERVIEW_CATEGORIES
            and c.get("interview_held") == "no" and in_lookback(r["decided"])):
        casework_expected.append(("INTERVIEW_NOT_HELD", e, r["vetting_ref"]))
    if (c.get("case_type") == "renewal" and c.get("stage") == STAGES[0] and age is not None
            and age > RENEWAL_NO_RESPONSE and who is not None):
        expiry = clearance_expiry(e)
        if expiry is not None and (expiry - AS_OF).days <= RENEWAL_REMINDER:
            casework_expected.append(("RENEWAL_NO_RESPONSE", e, r["vetting_ref"]))
# Each planned case raises what its comment says, and nothing else does.
assert sorted(casework_expected) == sorted([
    ("PENDING_TOO_LONG", upgrade["truth"], upgrade["vetting_ref"]),
    ("PENDING_TOO_LONG", reapplied["truth"], reapplied["vetting_ref"]),
    ("RENEWAL_NO_RESPONSE", renewal["truth"], renewal["vetting_ref"]),
    ("RATIONALE_MISSING", refusal["truth"], refusal["vetting_ref"]),
    ("RATIONALE_MISSING", withdrawal["truth"], withdrawal["vetting_ref"]),
    ("INTERVIEW_NOT_HELD", unmitigated["truth"], unmitigated["vetting_ref"]),
]), casework_expected
expected += casework_expected

# The recruitment plan: the intake the force expects in each of the 12 months after AS_OF.
PLAN_MONTHS = [dt.date(AS_OF.year + (AS_OF.month + k - 1) // 12, (AS_OF.month + k - 1) % 12 + 1, 1) for k in range(1, 13)]
PLANNED = {
    "recruit": [4, 3, 6, 3, 3, 5, 3, 3, 12, 8, 3, 3],
    "transferee": [1] * 12,
    "contractor": [0, 2, 0, 0, 2, 0, 0, 2, 0, 0, 2, 0],
}

# --- prevention: the answer keys, from the rules (docs/output.md) and the plan above ----------


def linked(p):
    return [r for r in records if r["truth"] == p["employee_id"] and r["expect"] == "auto"]


def holds(recs, level, on):
    """A granted record at `level` or above, decided by `on` and unexpired on it."""
    return [r for r in recs if r["status"] == "granted" and r["decided"] is not None and r["decided"] <= on
            and expiry_of(r) > on and satisfies(r["level"], level)]


def post_requirement(post_id):
    post = post_by_id.get(post_id)
    if post is None:
        return None
    return "MV" if post["designated"] == "yes" else post["required_level"]


def best(recs):
    """The record a row names: the latest-expiring valid one, else the latest decided."""
    live = [r for r in recs if valid(r)]
    if live:
        return max(live, key=lambda r: (expiry_of(r), r["vetting_ref"]))
    return max(recs, key=lambda r: (r["decided"] or dt.date.max, r["vetting_ref"])) if recs else None


def days(n):
    return AS_OF + dt.timedelta(days=n)


postings = [
    # movers on tonight's roster
    dict(ref="PST-26-0101", who=up_mover, post="P026", start=days(6)),        # RV into MV: raised
    dict(ref="PST-26-0102", who=mv_mover, post="P028", start=days(20)),       # MV into MV: cleared
    dict(ref="PST-26-0103", who=expiring, post="P028", start=days(69)),       # MV lapses first: raised
    dict(ref="PST-26-0104", who=revet_mover, post="P029", start=days(2)),     # MV into MV: cleared
    dict(ref="PST-26-0105", who=unknown_mover, post="P777", start=days(20)),  # not in the register: raised
    dict(ref="PST-26-0106", who=later_mover, post="P021", start=days(128)),   # past the horizon: counted
    dict(ref="PST-26-0107", who=started_mover, post="P020", start=days(-8)),  # already started: counted
    # joiners, not yet on the roster
    dict(ref="PST-26-0108", who=J1, post="P024", start=J1["start"]),          # MV pending: raised
    dict(ref="PST-26-0109", who=J2, post="P016", start=J2["start"]),          # nothing known: raised
    dict(ref="PST-26-0110", who=J3, post="P005", start=J3["start"]),          # transferee's RV: cleared
]
on_roster = {p["employee_id"] for p in persons if p["status"] != "leaver"}
posting_expected = []
for x in postings:
    if not (AS_OF <= x["start"] <= AS_OF + dt.timedelta(days=HORIZON)):
        continue
    e = x["who"]["employee_id"]
    recs = linked(x["who"]) if e in on_roster else [r for r in joiner_records if r["who"]["employee_id"] == e]
    req = post_requirement(x["post"])
    if req is not None and holds(recs, req, x["start"]):
        continue
    b = best(recs)
    posting_expected.append(("POSTING_NOT_CLEARED", e, b["vetting_ref"] if b else "", x["ref"]))
assert [x[3] for x in posting_expected] == ["PST-26-0101", "PST-26-0103", "PST-26-0105", "PST-26-0108",
                                             "PST-26-0109"], posting_expected
expected += [x[:3] for x in posting_expected]

handled_ref, restricted_ref = handled["vetting_ref"], own(restricted)[0]["vetting_ref"]
conditions = [
    # the mitigated grant of P012: a finance review six months overdue, a briefing no unit owns,
    # and a restriction to keep out of Intelligence (not breached: the post is Response)
    dict(ref="CND-0001", vetting_ref=handled_ref, type="finance_review", owner="counter_corruption",
         every="6 months", months=6, checked=dt.date(2026, 3, 2), restricts=""),
    dict(ref="CND-0002", vetting_ref=handled_ref, type="supervisor_briefing", owner="", every="1 year", months=12,
         checked=dt.date(2026, 10, 1), restricts=""),
    dict(ref="CND-0003", vetting_ref=handled_ref, type="posting_restriction", owner="professional_standards",
         every="1 year", months=12, checked=dt.date(2026, 6, 1), restricts="Intelligence"),
    # kept out of posts with vulnerable contact, and in one: breached; its yearly briefing never
    # checked, so due a year after the decision
    dict(ref="CND-0004", vetting_ref=restricted_ref, type="posting_restriction", owner="professional_standards",
         every="1 year", months=12, checked=dt.date(2026, 8, 3), restricts="vulnerable_contact"),
    dict(ref="CND-0005", vetting_ref=restricted_ref, type="supervisor_briefing", owner="hr", every="P1Y",
         months=12, checked=None, restricts=""),
    # an orphan's grant monitored with no review period: counted, nothing raised
    dict(ref="CND-0006", vetting_ref=orphan_adverse["vetting_ref"], type="it_monitoring", owner="vetting",
         every="", months=None, checked=None, restricts=""),
    # on a pending application: not live, nothing raised (no owner either)
    dict(ref="CND-0007", vetting_ref=upgrade["vetting_ref"], type="finance_review", owner="", every="90 days",
         months=None, checked=None, restricts=""),
    # a reference that is no record tonight: counted
    dict(ref="CND-0008", vetting_ref="V999999", type="it_monitoring", owner="vetting", every="3 months", months=3,
         checked=dt.date(2026, 1, 5), restricts=""),
]
record_by_ref = {r["vetting_ref"]: r for r in records}
holder = {r["vetting_ref"]: by_emp[r["truth"]] for r in records if r["expect"] == "auto"}


def add_months(d, m):
    y, mo = divmod(d.month - 1 + m, 12)
    y, mo = d.year + y, mo + 1
    last = (dt.date(y + mo // 12, mo % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(y, mo, min(d.day, last))


condition_expected = []
ownerless = {}
for c in conditions:
    r = record_by_ref.get(c["vetting_ref"])
    if r is None or not (r["status"] == "granted" or r["status"] == "suspended"):
        continue
    who = holder.get(r["vetting_ref"])
    e = who["employee_id"] if who else ""
    if c["every"]:
        assert c["months"], c
        due_on = add_months(c["checked"] or r["decided"], c["months"])
        assert abs((due_on - AS_OF).days) > 7, c
        if due_on < AS_OF:
            # One row per condition: the row's vetting_ref holds the condition's own reference.
            condition_expected.append(("CONDITION_REVIEW_DUE", e, c["ref"], c["ref"]))
    if not c["owner"]:
        ownerless.setdefault(r["vetting_ref"], e)
    if c["type"] == "posting_restriction" and who is not None and who["status"] != "leaver":
        post = post_by_id.get(who["post"])
        covers = post is not None and (
            (c["restricts"] == "vulnerable_contact" and post["vulnerable_contact"] == "Y")
            or (c["restricts"] == "designated" and post["designated"] == "yes")
            or c["restricts"].lower() == post["department"].lower())
        if covers:
            condition_expected.append(("CONDITION_BREACHED", e, c["ref"], c["ref"]))
for ref, e in ownerless.items():
    condition_expected.append(("CONDITION_NO_OWNER", e, ref, "no owner"))
with_conditions = {c["vetting_ref"] for c in conditions}
for r in records + joiner_records:
    if (valid(r) and r["adverse"] == "yes" and r["mitigation"] == "yes" and r["vetting_ref"] not in with_conditions):
        who = holder.get(r["vetting_ref"])
        condition_expected.append(("CONDITION_NO_OWNER", who["employee_id"] if who else "", r["vetting_ref"],
                                   "no condition held"))
assert sorted((x[0], x[3]) for x in condition_expected) == sorted([
    ("CONDITION_REVIEW_DUE", "CND-0001"), ("CONDITION_NO_OWNER", "no owner"), ("CONDITION_BREACHED", "CND-0004"),
    ("CONDITION_REVIEW_DUE", "CND-0005"), ("CONDITION_NO_OWNER", "no condition held")]), condition_expected
assert [x[1] for x in condition_expected if x[3] == "no condition held"] == [mitigated_alone["employee_id"]]
expected += [x[:3] for x in condition_expected]
# The transferee's clearance, sent ahead of them, is held by no one on the roster yet.
for r in joiner_records:
    if valid(r):
        expected.append(("ORPHAN_CLEARANCE", "", r["vetting_ref"]))

# The inspection figure: moves into designated posts in the last twelve months made before MV.
LOOKBACK_START = dt.date(AS_OF.year - 1, AS_OF.month, AS_OF.day)
moves = [p for p in persons if p["status"] != "leaver" and p["post"] in post_by_id
         and post_by_id[p["post"]]["designated"] == "yes" and LOOKBACK_START < p["start"] <= AS_OF]
early = []
for p in moves:
    if holds(linked(p), "MV", p["start"]):
        continue
    later = sorted(r["decided"] for r in linked(p) if r["status"] == "granted" and r["decided"] > p["start"]
                   and satisfies(r["level"], "MV"))
    early.append((p["employee_id"], ((later[0] if later else AS_OF) - p["start"]).days, not later))
assert sorted(e for e, _, _ in early) == sorted(x["employee_id"] for x in (moved_early, refused_p029, contractor_p027))
spans = sorted(d for _, d, _ in early)
inspection = dict(moves=len(moves), moves_before_mv=len(early), median_days_uncleared=spans[len(spans) // 2],
                  still_uncleared=sum(1 for *_, u in early if u))

# --- night two, a week later: joiners, movers and leavers -------------------------------------
night2 = {p["employee_id"]: dict(p) for p in persons}
for who, post, start in [(up_mover, "P026", days(6)), (revet_mover, "P029", days(2)), (same_mover, "P019", None)]:
    night2[who["employee_id"]].update(post=post, start=start or who["start"])
night2[leaver_told["employee_id"]].update(status="leaver", leaving_date=days(4).isoformat())
night2[leaver_late["employee_id"]].update(status="leaver", leaving_date=days(-14).isoformat())
night2[expired_p002["employee_id"]].update(status="leaver", leaving_date=days(3).isoformat())
del night2[leaver_absent["employee_id"]]
for j in (J2, J3):
    night2[j["employee_id"]] = dict(j, hr_surname=j["surname"], hr_forenames=j["forenames"], hr_dob=j["dob"].isoformat(),
                                    previous="", status="active", leaving_date="")
j3_record = joiner_records[1]
jml = []


def action(act, event, p, from_post, to_post, required, held, event_date):
    due = event_date + dt.timedelta(days=DUE_DAYS[act])
    jml.append(dict(action_id=f"{act}:{p['employee_id']}:{event_date.isoformat()}", action=act, event=event,
                    employee_id=p["employee_id"], from_post=from_post, to_post=to_post, required_level=required,
                    held_level=held, event_date=event_date.isoformat(), first_seen=NIGHT2.isoformat(),
                    due_date=due.isoformat(), days_open=0, days_overdue=max(0, (NIGHT2 - due).days), status="open"))


def held_on(recs, on):
    live = [r for r in recs if r["status"] == "granted" and expiry_of(r) > on]
    return max(live, key=lambda r: (expiry_of(r), r["vetting_ref"]))["level"] if live else ""


def records_tonight(e):
    return [r for r in records if r["truth"] == e and r["expect"] == "auto"] + (
        [j3_record] if e == J3["employee_id"] else [])


before = {p["employee_id"]: p for p in persons}
for e in sorted(set(before) | set(night2)):
    was, now = before.get(e), night2.get(e)
    if now is not None and now["status"] != "leaver":
        req = post_requirement(now["post"])
        recs = records_tonight(e)
        held = held_on(recs, NIGHT2)
        start = now["start"] if now["start"] > AS_OF else NIGHT2
        cleared = req is not None and bool(holds(recs, req, NIGHT2))
        if was is None and req is not None:
            action("confirm_transfer" if cleared else "vet_joiner", "joiner", now, "", now["post"], req, held, start)
        elif was is not None and was["status"] != "leaver" and was["post"] != now["post"] and req is not None:
            if not cleared:
                action("upgrade", "mover", now, was["post"], now["post"], req, held, start)
            elif post_by_id[now["post"]]["revet_on_appointment"] == "yes":
                action("revet", "mover", now, was["post"], now["post"], req, held, start)
    elif was is not None and was["status"] != "leaver":
        recs = records_tonight(e)
        held = held_on(recs, NIGHT2)
        if held:
            left = dt.date.fromisoformat(now["leaving_date"]) if now and now["leaving_date"] else NIGHT2
            # A leaver goes to no post: nothing is required of them, only their clearance ended.
            action("end_clearance", "leaver", was, was["post"], "", "", held, left)
jml.sort(key=lambda a: (-a["days_overdue"], a["due_date"], a["action_id"]))
assert [(a["action"], a["employee_id"]) for a in jml] == [
    ("end_clearance", leaver_late["employee_id"]), ("end_clearance", leaver_told["employee_id"]),
    ("end_clearance", leaver_absent["employee_id"]), ("confirm_transfer", J3["employee_id"]),
    ("revet", revet_mover["employee_id"]), ("vet_joiner", J2["employee_id"]),
    ("upgrade", up_mover["employee_id"])], jml

# --- integrity oversight: declarations, integrity reviews, sanctions, the post register -------
# No draws from `rng` (nor from the other generators): every identity, reference and row order
# above stays as it was. The review dates of the people with nothing planned come from a
# generator of their own. The expected rows are worked out below from the agreed rules
# (docs/output.md) at the defaults of [integrity], never by running vetrecon.
irng = random.Random(2026112404)
INTEGRITY_EVERY = 12                  # integrity.integrity_review_every, months
DECLARATION_EVERY = 12                # integrity.declaration_review_every, months, every type
REFUSED_IN_POST_TYPES = {"business_interest", "notifiable_association"}
TITLE_RULES = [("roads policing", "RV"), ("dog handler", "RV")]
VULNERABLE_LEVEL = "MV"
SANCTION_SCALE = ["management_advice", "written_warning", "final_written_warning", "reduction_in_rank", "dismissal"]
SERIOUS_FROM = SANCTION_SCALE.index("final_written_warning")
WINDOW_START = add_months(AS_OF, -12)
who = {p["employee_id"]: p for p in persons}


def period_months(text):
    return {"": DECLARATION_EVERY, "6 months": 6, "2 years": 24}[text]


# Declarations (declarations.csv): ref, person, type, declared, review_every, last_reviewed,
# decision, and what the plan says of each.
declarations = [
    # E1008 (already due a review after a final written warning): a business interest reviewed
    # in March 2025, due a year later
    dict(ref="DEC-2026-0001", e="E1008", type="business_interest", declared="2024-03-11", every="",
         reviewed="2025-03-20", decision="approved", plan="review due"),
    # E1002 (an unreviewed PND arrest) holds the designated P027 and was refused a business
    # interest in June
    dict(ref="DEC-2026-0002", e="E1002", type="business_interest", declared="2026-06-15", every="",
         reviewed="", decision="refused", plan="refused in post"),
    # E1020 holds the designated P024 and was refused a notifiable association
    dict(ref="DEC-2026-0003", e="E1020", type="notifiable_association", declared="2025-10-02", every="",
         reviewed="2025-10-20", decision="refused", plan="refused in post"),
    # a refused secondary employment in a designated post: not a type held against the post
    dict(ref="DEC-2026-0004", e="E1037", type="secondary_employment", declared="2026-02-09", every="",
         reviewed="", decision="refused", plan="refused"),
    # a refused business interest in an ordinary post
    dict(ref="DEC-2026-0005", e="E1019", type="business_interest", declared="2025-12-01", every="",
         reviewed="", decision="refused", plan="refused"),
    # approved with conditions, never reviewed since February 2025
    dict(ref="DEC-2026-0006", e="E1013", type="secondary_employment", declared="2025-02-03", every="",
         reviewed="", decision="approved_with_conditions", plan="review due"),
    # not yet decided, declared in June 2025
    dict(ref="DEC-2026-0007", e="E1015", type="notifiable_association", declared="2025-06-16", every="",
         reviewed="", decision="", plan="review due"),
    # not yet decided, declared in September: not due
    dict(ref="DEC-2026-0008", e="E1017", type="business_interest", declared="2026-09-14", every="",
         reviewed="", decision="", plan="not due"),
    # reviewed in April: not due
    dict(ref="DEC-2026-0009", e="E1009", type="secondary_employment", declared="2023-05-02", every="",
         reviewed="2026-04-30", decision="approved", plan="not due"),
    # its own six-month period: due in September
    dict(ref="DEC-2026-0010", e="E1018", type="business_interest", declared="2025-08-11", every="6 months",
         reviewed="2026-03-02", decision="approved", plan="review due"),
    # its own two-year period: not due until June 2027 (the type's year would have been due)
    dict(ref="DEC-2026-0011", e="E1007", type="notifiable_association", declared="2024-01-22", every="2 years",
         reviewed="2025-06-10", decision="approved", plan="not due"),
    # an employee id no one on the roster has
    dict(ref="DEC-2026-0012", e="E0999", type="business_interest", declared="2025-01-10", every="",
         reviewed="", decision="approved", plan="not on the roster"),
    # the September leaver's: raises nothing
    dict(ref="DEC-2026-0013", e="E1185", type="business_interest", declared="2023-04-18", every="",
         reviewed="", decision="approved", plan="leaver"),
    # the suspended E1179 is on the roster: due since 1 November (the decision in words)
    dict(ref="DEC-2026-0014", e="E1179", type="secondary_employment", declared="2024-11-05", every="",
         reviewed="2025-11-01", decision="Approved with conditions", plan="review due"),
]

# The annual integrity review (roster.last_integrity_review): a date within the year for
# everyone but these. Only people who own one vetting record or none are planned overdue, so
# the row names that record (or none).
REVIEWS = {
    "E1008": "2025-08-19",   # overdue since 19 August
    "E1020": "2025-06-30",   # overdue since 30 June
    "E1176": "",             # none recorded, in P024 since September 2023: overdue
    "E1177": "",             # none recorded, in post since June: not yet due
    "E1178": "",             # none recorded, on a career break: not checked
    "E1179": "2025-05-01",   # overdue, but suspended: not checked
    "E1185": "",             # a leaver
    "E1186": "",             # a leaver
}
for p in persons:
    if p["employee_id"] in REVIEWS:
        p["integrity_review"] = REVIEWS[p["employee_id"]]
    else:
        p["integrity_review"] = (AS_OF - dt.timedelta(days=irng.randrange(20, 331))).isoformat()

# The breach category and sanction of each misconduct outcome, and further outcomes: in
# discreditable conduct, staff given serious sanctions far more often than officers. Every
# further outcome that calls for a vetting review had one twenty days later (last_review_date
# on the person's record), so none raises MISCONDUCT_REVIEW_DUE.
misconduct[0].update(breach="honesty_and_integrity", sanction="final_written_warning")
misconduct[1].update(breach="confidentiality", sanction="written_warning")
misconduct[2].update(breach="authority_respect_and_courtesy", sanction="management_advice")
taken = used | set(ROADS_POLICING) | {d["e"] for d in declarations} | set(REVIEWS) | {
    e["who"]["employee_id"] for e in pnd + misconduct + circumstances if e["who"]}


def sanctioned(group_roles, n):
    """The next `n` background people of these roles with one record and nothing else planned."""
    out = []
    for p in persons[20:140]:
        if (p["role"] in group_roles and p["status"] == "active" and p["employee_id"] not in taken
                and len(own(p)) == 1):
            taken.add(p["employee_id"])
            out.append(p)
            if len(out) == n:
                return out
    raise SystemExit("not enough background people for the sanctions")


OFFICERS, STAFF = ("officer", "special"), ("staff", "pcso")
officer_sanctions = ["final_written_warning"] + ["written_warning"] * 2 + ["management_advice"] * 8
staff_sanctions = ["final_written_warning"] * 6 + ["reduction_in_rank"] * 3 + ["management_advice"] * 3
more = []
for k, (p, sanction) in enumerate(zip(sanctioned(OFFICERS, 11) + sanctioned(STAFF, 12),
                                      officer_sanctions + staff_sanctions)):
    more.append(dict(who=p, breach="discreditable_conduct", sanction=sanction, date=days_ago(90 + 9 * k)))
# The September leaver was dismissed on the day he left: counted (a sanction stands whoever
# left since), raises nothing.
more.append(dict(who=by_emp["E1185"], breach="discreditable_conduct", sanction="dismissal",
                 date=dt.date(2026, 9, 30)))
# Use of force: too few outcomes to compare (suppressed).
for p, sanction in zip(sanctioned(OFFICERS, 2) + sanctioned(STAFF, 1), ["management_advice"] * 3):
    more.append(dict(who=p, breach="use_of_force", sanction=sanction, date=days_ago(150)))
# Left out of the comparison: no sanction recorded, and an outcome outside the twelve months.
(blank_who,), (old_who,) = sanctioned(OFFICERS, 1), sanctioned(OFFICERS, 1)
more.append(dict(who=blank_who, breach="confidentiality", sanction="", date=days_ago(120)))
more.append(dict(who=old_who, breach="honesty_and_integrity", sanction="management_advice", date=days_ago(400)))
OUTCOME_OF = {"written_warning": "written_warning", "final_written_warning": "final_written_warning",
              "reduction_in_rank": "reduction_in_rank", "management_advice": "other", "dismissal": "other", "": "other"}
for k, m in enumerate(more):
    m.update(ref=f"MIS-2026-{k + 4:04d}", outcome=OUTCOME_OF[m["sanction"]])
    if m["outcome"] in MISCONDUCT_REVIEW and m["who"]["status"] != "leaver":
        reviewed(m["who"], m["date"] + dt.timedelta(days=20))
# The further outcomes raise nothing: the review closed each one (or the person left).
for m in more:
    assert not (m["outcome"] in MISCONDUCT_REVIEW and due(m["who"], m["date"])), m
# The reviews stay older than the newest review the vetting export already holds (B's).
assert max(m["date"] for m in more if m["outcome"] in MISCONDUCT_REVIEW) + dt.timedelta(days=20) < days_ago(50)

# The answer keys, from the rules.
on_roster_now = {p["employee_id"]: p for p in persons if p["status"] != "leaver"}


def designated_post(p):
    post = post_by_id.get(p["post"])
    return post is not None and post["designated"] == "yes"


integrity_expected = []
for d in declarations:
    p = on_roster_now.get(d["e"])
    decision = d["decision"].lower().replace(" ", "_")
    if p is None:
        status = "leaver" if d["e"] in by_emp else "not on the roster"
    elif decision == "refused":
        status = "refused in post" if designated_post(p) and d["type"] in REFUSED_IN_POST_TYPES else "refused"
    else:
        last = dt.date.fromisoformat(d["reviewed"] or d["declared"])
        due_on = add_months(last, period_months(d["every"]))
        assert abs((due_on - AS_OF).days) > 7, d
        status = "review due" if due_on < AS_OF else "not due"
    assert status == d["plan"], (d, status)
    if status == "review due":
        integrity_expected.append(("DECLARATION_REVIEW_DUE", d["e"], d["ref"]))
    if status == "refused in post":
        integrity_expected.append(("DECLARATION_REFUSED_IN_POST", d["e"], d["ref"]))
for p in persons:
    if p["status"] != "active":
        continue
    last = dt.date.fromisoformat(p["integrity_review"]) if p["integrity_review"] else p["start"]
    due_on = add_months(last, INTEGRITY_EVERY)
    assert abs((due_on - AS_OF).days) > 7, p["employee_id"]
    if due_on < AS_OF:
        recs = linked(p)
        assert len(recs) <= 1, p["employee_id"]
        integrity_expected.append(("INTEGRITY_REVIEW_OVERDUE", p["employee_id"],
                                   recs[0]["vetting_ref"] if recs else ""))
assert sorted(integrity_expected) == sorted([
    ("DECLARATION_REVIEW_DUE", "E1008", "DEC-2026-0001"), ("DECLARATION_REVIEW_DUE", "E1013", "DEC-2026-0006"),
    ("DECLARATION_REVIEW_DUE", "E1015", "DEC-2026-0007"), ("DECLARATION_REVIEW_DUE", "E1018", "DEC-2026-0010"),
    ("DECLARATION_REVIEW_DUE", "E1179", "DEC-2026-0014"),
    ("DECLARATION_REFUSED_IN_POST", "E1002", "DEC-2026-0002"),
    ("DECLARATION_REFUSED_IN_POST", "E1020", "DEC-2026-0003"),
    ("INTEGRITY_REVIEW_OVERDUE", "E1008", linked(by_emp["E1008"])[0]["vetting_ref"]),
    ("INTEGRITY_REVIEW_OVERDUE", "E1020", linked(by_emp["E1020"])[0]["vetting_ref"]),
    ("INTEGRITY_REVIEW_OVERDUE", "E1176", ""),
]), integrity_expected
expected += integrity_expected

# The post register's checks (expected_post_register_checks.csv): one row per rule a post
# breaks, postholders (the roster, leavers left out) first.
RULE_ORDER = ["designated_below_mv", "vulnerable_contact_below_level", "title_rule"]


def ladder_place(level):
    for i, ladder in enumerate(LADDERS):
        if level in ladder:
            return i, ladder.index(level)
    return None


def direction(recorded, expected_level):
    if not recorded:
        return "under"
    a, b = ladder_place(recorded), ladder_place(expected_level)
    if a is None or b is None or a[0] != b[0]:
        return "other_ladder"
    return "under" if a[1] < b[1] else "over"


post_checks = []
for post in posts:
    holders = sum(1 for p in persons if p["status"] != "leaver" and p["post"] == post["post_id"])
    own_level = post["required_level"]
    of_post = "MV" if post["designated"] == "yes" else own_level

    def check(rule, keyword, recorded, want):
        post_checks.append(dict(post_id=post["post_id"], rule=rule, keyword=keyword, recorded_level=recorded,
                                expected_level=want, direction=direction(recorded, want), postholders=holders))

    if post["designated"] == "yes" and not (own_level and satisfies(own_level, "MV")):
        check("designated_below_mv", "", own_level, "MV")
    if post["vulnerable_contact"] == "Y" and not (of_post and satisfies(of_post, VULNERABLE_LEVEL)):
        check("vulnerable_contact_below_level", "", of_post, VULNERABLE_LEVEL)
    for keyword, level in TITLE_RULES:
        if keyword in post["title"].lower() and of_post != level:
            check("title_rule", keyword, of_post, level)
post_checks.sort(key=lambda c: (-c["postholders"], c["post_id"], RULE_ORDER.index(c["rule"]), c["keyword"]))
assert [(c["post_id"], c["rule"]) for c in post_checks[:10]].count(("P034", "vulnerable_contact_below_level")) == 1
assert [(c["post_id"], c["rule"]) for c in post_checks[:10]].count(("P036", "title_rule")) == 1

# The sanctions the comparison reads: on the roster (leavers too), officers and staff, in the
# last twelve months, both cells recorded.
misconduct_rows = misconduct + more
counts = {}
for m in misconduct_rows:
    group = {"officer": "officers", "special": "officers", "staff": "staff", "pcso": "staff"}.get(m["who"]["role"])
    if group is None or not m["sanction"] or m["date"] < WINDOW_START:
        continue
    for c in ("all", m["breach"]):
        n = counts.setdefault((c, group), [0, 0])
        n[0] += 1
        n[1] += SANCTION_SCALE.index(m["sanction"]) >= SERIOUS_FROM
assert counts[("discreditable_conduct", "officers")] == [12, 2], counts
assert counts[("discreditable_conduct", "staff")] == [12, 9], counts

# --- write ---------------------------------------------------------------------------------------
rng.shuffle(persons)
rng.shuffle(records)


def write(name, header, rows):
    with open(os.path.join(HERE, name), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


POST_COLUMNS = ["post_id", "title", "department", "required_level", "designated", "vulnerable_contact",
                "revet_on_appointment"]
write("posts.csv", POST_COLUMNS, [[p[k] for k in POST_COLUMNS] for p in posts])
ROSTER_COLUMNS = ["employee_id", "surname", "forenames", "previous_surnames", "date_of_birth", "ni_number",
                  "post_id", "role_type", "force", "post_start_date", "employment_status", "leaving_date",
                  "last_integrity_review"]


def roster_of(people, joined=()):
    # The integrity review is the first night's on both nights (a joiner has none yet).
    rows = [[p["employee_id"], p["hr_surname"], p["hr_forenames"], p["previous"], p["hr_dob"], p["ni"] or "",
             p["post"] or "", p["role"], "Demoshire", p["start"].isoformat(), p["status"], p["leaving_date"],
             by_emp[p["employee_id"]]["integrity_review"]]
            for p in people]
    # one duplicate employee id, as an HR export sometimes has: rejected, the first row kept
    dup = list(rows[0])
    dup[1] = "Duplicate"
    rows.insert(len(rows) // 2, dup)
    return rows + [[j["employee_id"], j["surname"], j["forenames"], "", j["dob"].isoformat(), j["ni"], j["post"],
                    j["role"], "Demoshire", j["start"].isoformat(), "active", "", ""] for j in joined]


write("roster.csv", ROSTER_COLUMNS, roster_of(persons))
os.makedirs(os.path.join(HERE, "night2"), exist_ok=True)
write("night2/roster.csv", ROSTER_COLUMNS,
      roster_of([night2[p["employee_id"]] for p in persons if p["employee_id"] in night2], (J2, J3)))
vet_rows = []
for r in records:
    sex = rng.choice(["F", "M"])
    c = r["casework"]
    if sex == "M" and r["protected"].get("pregnancy_maternity") == "yes":
        r["protected"]["pregnancy_maternity"] = "no"
    cell = lambda v: v.isoformat() if isinstance(v, dt.date) else (v or "")
    vet_rows.append([r["vetting_ref"], r["surname"], r["forenames"], r["previous"], r["dob"], r["ni"], r["hint"],
                     r["level"], r["status"], r["decided"].isoformat() if r["decided"] else "", r["expiry"],
                     r["adverse"], r["rationale"], r["mitigation"], sex, r.get("last_review", "")]
                    + [r["protected"].get(k, "") for k in MORE_PROTECTED] + [cell(c.get(k)) for k in CASE_COLUMNS])
# two broken rows: an impossible date and an unknown level (rejected; the run goes on)
blank = [""] * (len(MORE_PROTECTED) + len(CASE_COLUMNS))
vet_rows.insert(10, ["V900001", "Harlow", "Dennis", "", "31/02/1980", "", "", "RV", "granted", "2024-01-10", "", "no", "no", "no", "M", ""] + blank)
vet_rows.insert(20, ["V900002", "Marsh", "Yvonne", "", "1975-05-05", "", "", "XV", "granted", "2024-01-10", "", "no", "no", "no", "F", ""] + blank)
# the joiners' records (a pending MV application, a transferee's RV), after everyone else's
for r in joiner_records:
    j, c = r["who"], r["case"]
    cell = lambda v: v.isoformat() if isinstance(v, dt.date) else (v or "")
    vet_rows.append([r["vetting_ref"], j["surname"], j["forenames"], "", j["dob"].isoformat(), j["ni"], j["employee_id"],
                     r["level"], r["status"], cell(r["decided"]), r["expiry"], r["adverse"], r["rationale"],
                     r["mitigation"], "F" if j is not J2 else "M", ""] + [""] * len(MORE_PROTECTED)
                    + [cell(c.get(k)) for k in CASE_COLUMNS])
write("vetting.csv", ["vetting_ref", "surname", "forenames", "previous_surnames", "date_of_birth", "ni_number",
                      "employee_id", "level", "status", "decision_date", "expiry_date", "adverse_info",
                      "rationale_recorded", "risk_mitigation", "sex", "last_review_date"] + MORE_PROTECTED + CASE_COLUMNS,
      vet_rows)
write("pnd_returns.csv", ["pnd_ref", "surname", "forenames", "date_of_birth", "ni_number", "record_date", "category"],
      [[e["ref"], e["surname"], e["who"]["forenames"] if e["who"] else "Algernon",
        e["who"]["dob"].isoformat() if e["who"] else "1961-03-03", (e["who"] or {}).get("ni") or "",
        e["date"].isoformat(), e["category"]] for e in pnd])
write("misconduct.csv", ["outcome_ref", "employee_id", "outcome", "outcome_date", "breach_category", "sanction"],
      [[e["ref"], e["who"]["employee_id"], e["outcome"], e["date"].isoformat(), e["breach"], e["sanction"]]
       for e in misconduct_rows])
write("circumstances.csv", ["notice_ref", "employee_id", "change_type", "notified_date"],
      [[e["ref"], e["who"]["employee_id"], e["change"], e["date"].isoformat()] for e in circumstances])
write("recruitment_plan.csv", ["month", "case_type", "expected"],
      [[m.strftime("%Y-%m"), t, n] for t, counts in PLANNED.items() for m, n in zip(PLAN_MONTHS, counts)])
write("expected_exceptions.csv", ["code", "employee_id", "vetting_ref"], sorted(expected))
POSTING_COLUMNS = ["posting_ref", "employee_id", "post_id", "start_date"]
posting_rows = [[x["ref"], x["who"]["employee_id"], x["post"], x["start"].isoformat()] for x in postings]
write("postings.csv", POSTING_COLUMNS, posting_rows)
# On night two the postings that have started have left HR's file.
write("night2/postings.csv", POSTING_COLUMNS, [r for r in posting_rows if dt.date.fromisoformat(r[3]) > NIGHT2])
write("conditions.csv", ["condition_ref", "vetting_ref", "type", "owner_unit", "review_every", "last_checked", "restricts"],
      [[c["ref"], c["vetting_ref"], c["type"], c["owner"], c["every"], c["checked"].isoformat() if c["checked"] else "",
        c["restricts"]] for c in conditions])
JML_COLUMNS = ["action_id", "action", "event", "employee_id", "from_post", "to_post", "required_level", "held_level",
               "event_date", "first_seen", "due_date", "days_open", "days_overdue", "status"]
write("expected_jml.csv", JML_COLUMNS, [[a[k] for k in JML_COLUMNS] for a in jml])
write("expected_inspection.csv", ["figure", "value"], [[k, v] for k, v in inspection.items()])
write("declarations.csv", ["declaration_ref", "employee_id", "type", "declared_date", "review_every", "last_reviewed",
                           "decision"],
      [[d["ref"], d["e"], d["type"], d["declared"], d["every"], d["reviewed"], d["decision"]] for d in declarations])
CHECK_COLUMNS = ["post_id", "rule", "keyword", "recorded_level", "expected_level", "direction", "postholders"]
write("expected_post_register_checks.csv", CHECK_COLUMNS, [[c[k] for k in CHECK_COLUMNS] for c in post_checks])
print(f"{len(persons)} people, {len(posts)} posts, {len(records) + len(joiner_records)} vetting records, "
      f"{len(expected)} expected exceptions, {len(postings)} postings, {len(conditions)} conditions, "
      f"{len(jml)} expected night-two actions, {len(declarations)} declarations, "
      f"{len(post_checks)} expected post-register checks")
