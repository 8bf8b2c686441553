#!/usr/bin/env python3
"""Link a force's roster to its vetting export with Splink, following Splink's documented
workflow, and score the links against the truth.

Fields are the ones vetrecon uses: forenames (first name), surname, previous surnames,
date of birth and, unless --no-ni, the NI number. The workflow:
  1. blocking rules for prediction (date of birth; surname prefix + birth year; first name
     + surname; NI number);
  2. the prior from a deterministic rule;
  3. u by random sampling;
  4. m by expectation-maximisation, in two sessions blocked on different fields;
  5. term-frequency adjustment on surname;
  6. prediction over every blocked pair.
Each vetting record then keeps its best-scoring person (vetrecon's one-to-one assignment),
and the match threshold is chosen to maximise F1 against the truth: Splink's best case.

Prints one JSON object: pairs compared, precision, recall, F1, threshold, and the calibration
of match_probability over each vetting record's best person (calibration.py's bands).
Usage: splink_link.py ROSTER VETTING TRUTH_LINKS [--no-ni]
"""
import json
import sys

import duckdb
import pandas as pd
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

from calibration import calibrate


def load(path, id_col):
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    out = pd.DataFrame()
    out["unique_id"] = df[id_col]
    out["first_name"] = df["forenames"].str.split().str[0].str.upper().fillna("")
    out["surname"] = df["surname"].str.upper().str.replace(r"[^A-Z]", "", regex=True)
    prev = df.get("previous_surnames", pd.Series([""] * len(df)))
    out["previous_surname"] = prev.str.split(";").str[0].str.upper().str.replace(r"[^A-Z]", "", regex=True)
    out["dob"] = df["date_of_birth"]
    out["birth_year"] = df["date_of_birth"].str[:4]
    out["ni"] = df.get("ni_number", pd.Series([""] * len(df))).str.upper().str.replace(" ", "")
    for c in ["first_name", "surname", "previous_surname", "ni", "dob", "birth_year"]:
        out.loc[out[c] == "", c] = None
    # Text, even where a column is empty throughout (DuckDB would guess a number type).
    return out.astype("string")


def main():
    roster_path, vetting_path, truth_path = sys.argv[1:4]
    with_ni = "--no-ni" not in sys.argv
    roster = load(roster_path, "employee_id")
    vetting = load(vetting_path, "vetting_ref")
    if not with_ni:
        roster["ni"] = None
        vetting["ni"] = None

    previous = cl.CustomComparison(
        output_column_name="previous_surname",
        comparison_levels=[
            cll.CustomLevel("surname_l = previous_surname_r", "roster surname was the record's previous"),
            cll.CustomLevel("previous_surname_l = surname_r", "record surname was the roster's previous"),
            cll.ElseLevel(),
        ],
    )
    comparisons = [
        cl.NameComparison("first_name"),
        cl.NameComparison("surname").configure(term_frequency_adjustments=True),
        previous,
        cl.DateOfBirthComparison("dob", input_is_string=True),
    ]
    rules = [
        block_on("dob"),
        block_on("substr(surname, 1, 3)", "birth_year"),
        block_on("first_name", "surname"),
    ]
    if with_ni:
        comparisons.append(cl.ExactMatch("ni"))
        rules.append(block_on("ni"))
    settings = SettingsCreator(
        link_type="link_only",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=rules,
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )
    con = duckdb.connect()
    db = DuckDBAPI(connection=con)
    linker = Linker([roster, vetting], settings, db_api=db, input_table_aliases=["roster", "vetting"])
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "surname", "dob")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("first_name", "surname")
    )
    pred = linker.inference.predict()
    name = pred.physical_name
    pairs = con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
    # Each vetting record keeps its best person (ties broken by id, so the result is stable).
    best = con.execute(
        f"""
        SELECT unique_id_r AS vetting_ref, unique_id_l AS employee_id, match_probability AS p
        FROM (
          SELECT *, row_number() OVER (
            PARTITION BY unique_id_r ORDER BY match_probability DESC, unique_id_l) AS rank
          FROM {name} WHERE source_dataset_l = 'roster' AND source_dataset_r = 'vetting'
        ) WHERE rank = 1
        """
    ).df()
    truth = pd.read_csv(truth_path, dtype=str)
    true_pairs = set(zip(truth["vetting_ref"], truth["employee_id"]))
    best["correct"] = [(v, e) in true_pairs for v, e in zip(best["vetting_ref"], best["employee_id"])]
    best = best.sort_values("p", ascending=False, kind="mergesort").reset_index(drop=True)
    tp = best["correct"].cumsum()
    n = pd.Series(range(1, len(best) + 1))
    precision = tp / n
    recall = tp / max(len(true_pairs), 1)
    f1 = 2 * precision * recall / (precision + recall).where(precision + recall > 0, 1)
    i = int(f1.idxmax()) if len(f1) else 0
    print(json.dumps({
        "pairs": int(pairs),
        "precision": float(precision[i]) if len(f1) else 0.0,
        "recall": float(recall[i]) if len(f1) else 0.0,
        "f1": float(f1[i]) if len(f1) else 0.0,
        "threshold": float(best["p"][i]) if len(f1) else 1.0,
        "calibration": calibrate(zip(best["p"].astype(float), best["correct"])),
    }))


if __name__ == "__main__":
    main()
