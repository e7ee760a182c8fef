#!/usr/bin/env python3
"""Eligibility of N candidates as of a date written with numpy arrays only: the fourth
peer of peers_eligibility.py (beside DuckDB, Polars and pandas).

    python3 benchmarks/numpy_eligibility.py /tmp/cg-elig.jsonl [--as-of 2026-07-01]
    python3 benchmarks/numpy_eligibility.py --self-test

What a data scientist writes who keeps to numpy: the JSON lines are read into typed
arrays once (pyarrow's JSON reader with an explicit schema: numpy has no JSON reader;
strings become integer codes through a dictionary, dates int32 days), then every rule
is array code — one stable sort of the events by candidate, boolean masks per kind,
np.maximum.reduceat / np.minimum.reduceat over each candidate's run of rows,
np.bincount for sums, np.lexsort for the periods (start, end within candidate), a
running maximum for the union of periods and the calendar months with numpy's
datetime64 arithmetic. Every rule is read from the référentiel's JSON.

The rules are certigraph's (docs/ledger.md, "Eligibility"), as the DuckDB and Polars
peers state them: a bloc is acquired by any validating bloc_result or any bloc_credit
dated on or before the decision; option groups need one member; a language
requirement the best rank among certificates of that language and framework (by a
third party when required); mobility in days of the union of periods / 7; experience
in calendar months of the union of work periods (their sum, or the longest stretch);
a conditional requirement applies per the latest value of its attribute (unknown:
not met); the delivery window (publication, path start or first event against the end
of registration, then the deadline lifted by a recorded exception).

Not modelled, refused: VAE decisions, jury decisions and corrections (the bench's
files have none); --self-test leaves out the hand-made stories holding them.
"""
import argparse
import json
import pathlib
import sys
import time

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
SLACK = 1e-9
CEFR = {"A1": 1, "A2": 2, "B1": 3, "B2": 4, "C1": 5, "C2": 6}
KINDS = ("bloc_result", "bloc_credit", "language_certificate", "mobility_period", "work_period", "attribute",
         "path_start", "delivery_exception")
REFUSED = ("vae_decision", "jury_decision", "correction")


# --------------------------------------------------------------------------- load

def load_arrays(path) -> dict:
    """The events as numpy arrays: int32 days, int32 codes into string tables, bools."""
    import pyarrow as pa
    import pyarrow.json as pj

    body = pa.struct([("bloc", pa.string()), ("validated", pa.bool_()), ("language", pa.string()),
                      ("framework", pa.string()), ("level", pa.string()), ("third_party", pa.bool_()),
                      ("name", pa.string()), ("value", pa.string()), ("start", pa.timestamp("s")),
                      ("end", pa.timestamp("s"))])
    schema = pa.schema([("id", pa.int64()), ("candidate", pa.string()), ("date", pa.timestamp("s")),
                        ("kind", pa.string()), ("body", body)])
    table = pj.read_json(str(path), parse_options=pj.ParseOptions(explicit_schema=schema,
                                                                  unexpected_field_behavior="ignore"))
    columns = {}

    def codes(array):
        if hasattr(array, "combine_chunks"):  # a ChunkedArray
            array = array.combine_chunks()
        encoded = array.dictionary_encode()
        words = np.asarray(encoded.dictionary.to_pylist(), dtype=object)
        return encoded.indices.to_numpy(zero_copy_only=False).astype(np.int32), words

    def days(array):  # dates are read as timestamps (pyarrow's JSON reader has no date type)
        if hasattr(array, "combine_chunks"):
            array = array.combine_chunks()
        seconds = array.cast(pa.int64()).fill_null(0).to_numpy()
        return (seconds // 86400).astype(np.int32)

    def flags(array):
        if hasattr(array, "combine_chunks"):
            array = array.combine_chunks()
        return array.fill_null(False).to_numpy(zero_copy_only=False).astype(bool)

    columns["id"] = table.column("id").combine_chunks().fill_null(0).to_numpy()
    columns["candidate"], columns["candidate_names"] = codes(table.column("candidate"))
    columns["day"] = days(table.column("date"))
    columns["kind"], columns["kind_names"] = codes(table.column("kind"))
    b = table.column("body").combine_chunks()
    for field in ("bloc", "language", "framework", "level", "name", "value"):
        array = b.field(field).fill_null("")
        columns[field], columns[field + "_names"] = codes(array)
    columns["validated"] = flags(b.field("validated"))
    columns["third_party"] = flags(b.field("third_party"))
    columns["start"] = days(b.field("start"))
    columns["end"] = days(b.field("end"))
    return columns


# -------------------------------------------------------------------- eligibility

def add_months(start, m):
    """start (datetime64[D]) + m calendar months, the day of month clamped."""
    month = start.astype("datetime64[M]")
    day_of_month = (start - month.astype("datetime64[D]")).astype(np.int64)
    target = month + m.astype("timedelta64[M]")
    first = target.astype("datetime64[D]")
    length = ((target + np.timedelta64(1, "M")).astype("datetime64[D]") - first).astype(np.int64)
    return first + np.minimum(day_of_month, length - 1).astype("timedelta64[D]")


def calendar_months(s, e):
    """certigraph's calendar_months of [s, e] (int days, e >= s): whole months, then
    the rest in days over the length of the next month step."""
    start, end = s.astype("datetime64[D]"), e.astype("datetime64[D]")
    one = np.timedelta64(1, "D")
    m = end.astype("datetime64[M]").astype(np.int64) - start.astype("datetime64[M]").astype(np.int64) + 1
    for _ in range(2):  # m is never too small and at most two too large
        m = np.where((m > 0) & (add_months(start, m) - one > end), m - 1, m)
    whole = add_months(start, m)
    rest = (end - whole).astype(np.int64) + 1
    step = (add_months(start, m + 1) - whole).astype(np.int64)
    return np.where(rest <= 0, m.astype(np.float64), m + rest / np.maximum(step, 1))


def runs(keys):
    """Start of each run of equal values in a sorted array."""
    return np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else np.zeros(0, np.int64)


def per_candidate(n, cand, values, reduce, fill, dtype):
    """reduce (np.maximum, np.minimum, np.logical_or) of values over each candidate's
    rows (cand sorted), `fill` for candidates without rows."""
    out = np.full(n, fill, dtype=dtype)
    if len(cand):
        starts = runs(cand)
        out[cand[starts]] = reduce.reduceat(values, starts)
    return out


def lower_table(words):
    return np.array([str(w).lower() for w in words], dtype=object)


def union_of_periods(cand, s, e):
    """Merged stretches of closed day intervals per candidate: (cand, s, e) arrays."""
    order = np.lexsort((e, s, cand))
    cand, s, e = cand[order], s[order], e[order]
    # Running maximum of the end within each candidate: the candidate in the high bits
    # makes the maximum restart at every new candidate (cand is sorted).
    key = cand.astype(np.int64) << 32 | (e.astype(np.int64) + (1 << 31))
    reach = np.maximum.accumulate(key)
    previous = np.r_[np.int64(-1), reach[:-1]]
    new = (previous >> 32 != cand) | (s.astype(np.int64) > (previous & 0xFFFFFFFF) - (1 << 31) + 1)
    starts = np.flatnonzero(new)
    return cand[starts], s[starts], np.maximum.reduceat(e, starts)


def eligibility_with_numpy(a: dict, ref: dict, as_of: str) -> tuple:
    """(candidate names sorted, eligible bool array)."""
    names = a["candidate_names"]
    n = len(names)
    kind_of = {str(k): i for i, k in enumerate(a["kind_names"])}
    if any(k in kind_of for k in REFUSED) and np.isin(a["kind"], [kind_of[k] for k in REFUSED if k in kind_of]).any():
        raise SystemExit("the numpy baseline does not model VAE or jury decisions or corrections")
    decision = int(np.datetime64(as_of, "D").astype(np.int64))
    # Candidates in sorted order: rank of each dictionary code.
    by_name = np.argsort(names.astype(str), kind="stable")
    rank = np.empty(n, np.int32)
    rank[by_name] = np.arange(n, dtype=np.int32)
    keep = a["day"] <= decision
    cand_all = rank[a["candidate"][keep]]
    order = np.argsort(cand_all, kind="stable")  # rows grouped by candidate, file order within
    rows = np.flatnonzero(keep)[order]
    cand = cand_all[order]
    kind, day = a["kind"][rows], a["day"][rows]

    def is_kind(k):
        return kind == kind_of[k] if k in kind_of else np.zeros(len(kind), bool)

    checks = []
    # Blocs: acquired[c, b] from any validating result or credit.
    blocs = ref["blocs"]
    bloc_column = {b["code"]: i for i, b in enumerate(blocs)}
    bloc_words = a["bloc_names"]
    bloc_of_code = np.array([bloc_column.get(str(w), -1) for w in bloc_words], dtype=np.int32)
    # Only the rows of bloc outcomes are gathered (each gather of a 9M-row column costs).
    outcome = np.flatnonzero(is_kind("bloc_result") | is_kind("bloc_credit"))
    validating = a["validated"][rows[outcome]] | (kind[outcome] == kind_of.get("bloc_credit", -1))
    which = bloc_of_code[a["bloc"][rows[outcome]]]
    validating &= which >= 0
    acquired = np.zeros((n, len(blocs)), dtype=bool)
    acquired[cand[outcome][validating], which[validating]] = True
    groups = {}
    for i, b in enumerate(blocs):
        if b.get("option_group"):
            groups.setdefault(b["option_group"], []).append(i)
        elif not b.get("optional", False):
            checks.append(acquired[:, i])
    for _, members in sorted(groups.items()):
        checks.append(acquired[:, members].any(axis=1))

    # Periods: the union per candidate, in days (mobility) and calendar months (work).
    def stretches(k):
        mask = is_kind(k)
        s, e = a["start"][rows[mask]], np.minimum(a["end"][rows[mask]], decision)
        ok = s <= e
        return union_of_periods(cand[mask][ok], s[ok], e[ok])

    mc, ms, me = stretches("mobility_period")
    mobility_days = np.bincount(mc, weights=(me - ms + 1).astype(np.float64), minlength=n)
    wc, ws, we = stretches("work_period")
    months = calendar_months(ws, we)
    work_months = np.bincount(wc, weights=months, minlength=n)
    work_longest = per_candidate(n, wc, months, np.maximum, 0.0, np.float64)

    # Requirements.
    certificates = is_kind("language_certificate")
    c_cand = cand[certificates]
    c_rows = rows[certificates]
    attributes = is_kind("attribute")
    for r in ref["certification"].get("requirements", []):
        if r["kind"] == "language":
            fw_cefr = r["framework"].upper() in ("CEFR", "CECRL")
            cefr = fw_cefr and r["level"].upper() in CEFR
            frameworks = np.array([str(w).upper() for w in a["framework_names"]], dtype=object)
            framework_ok = np.isin(frameworks, ["CEFR", "CECRL"]) if fw_cefr else frameworks == r["framework"].upper()
            language_ok = (lower_table(a["language_names"]) == r["language"].lower() if r.get("language")
                           else np.ones(len(a["language_names"]), bool))
            levels = np.array([str(w).upper() for w in a["level_names"]], dtype=object)
            level_rank = (np.array([CEFR.get(w, 0) for w in levels], dtype=np.int8) if cefr
                          else (levels == r["level"].upper()).astype(np.int8))
            mine = framework_ok[a["framework"][c_rows]] & language_ok[a["language"][c_rows]]
            if r.get("third_party"):
                mine &= a["third_party"][c_rows]
            best = per_candidate(n, c_cand[mine], level_rank[a["level"][c_rows][mine]], np.maximum, -1, np.int8)
            met = best >= (CEFR[r["level"].upper()] if cefr else 1)
        elif r["kind"] == "mobility":
            met = mobility_days / 7.0 + SLACK >= r["minimum_weeks"]
        elif r["kind"] == "experience":
            met = (work_longest if r.get("consecutive") else work_months) + SLACK >= r["minimum_months"]
        else:
            raise SystemExit(f"requirement kind {r['kind']!r} not modelled")
        when = r.get("applies_when")
        if when:
            named = np.array([str(w) == when["attribute"] for w in a["name_names"]], dtype=bool)
            mask = attributes.copy()
            mask[attributes] = named[a["name"][rows[attributes]]]
            # The latest value per candidate: sort by (candidate, day, id), take the last row.
            sub = rows[mask]
            last_order = np.lexsort((a["id"][sub], a["day"][sub], cand[mask]))
            sub, sub_cand = sub[last_order], cand[mask][last_order]
            ends = np.flatnonzero(np.r_[sub_cand[1:] != sub_cand[:-1], True]) if len(sub) else np.zeros(0, int)
            value = np.full(n, -1, np.int64)
            value[sub_cand[ends]] = a["value"][sub][ends]
            equal = lower_table(a["value_names"]) == when["value"].lower()
            holds = np.where(value >= 0, equal[np.maximum(value, 0)], False)
            if when["operator"] != "equals":
                holds = ~holds
            met = (value >= 0) & (~holds | met)
        checks.append(met)

    # The delivery window.
    dates = {k: v for k, v in ref["certification"].get("dates", {}).items() if v}
    if "publication" in dates and as_of < dates["publication"]:
        window = np.zeros(n, bool)
    else:
        never = np.iinfo(np.int32).max
        first_day = per_candidate(n, cand, day, np.minimum, never, np.int32)
        starts = is_kind("path_start")
        path_start = per_candidate(n, cand[starts], day[starts], np.minimum, never, np.int32)
        started = np.where(path_start != never, path_start, first_day)
        window = np.ones(n, bool)
        if "end_of_registration" in dates:
            end = int(np.datetime64(dates["end_of_registration"], "D").astype(np.int64))
            window &= (started == never) | (started <= end)
        deadline = dates.get("last_delivery", dates.get("end_of_registration"))
        if deadline is not None and deadline < as_of:
            exception = np.zeros(n, bool)
            exception[cand[is_kind("delivery_exception")]] = True
            window &= exception
    checks.append(window)
    eligible = np.logical_and.reduce(checks) if checks else np.ones(n, bool)
    return names[by_name], eligible


# ----------------------------------------------------------------------- self-test

def self_test(referentiel_path: pathlib.Path) -> int:
    """The hand-made stories of pandas_eligibility.py (without VAE and jury decisions)
    at six dates, compared candidate by candidate with certigraph."""
    import tempfile

    import certigraph as cg
    import pandas_eligibility as pe

    ref = cg.Referentiel.load(str(referentiel_path))
    referentiel = json.loads(referentiel_path.read_text())
    events = [e for e in pe.self_test_events() if e["candidate"] not in ("T16", "T17", "T18")]
    failures = 0
    with tempfile.TemporaryDirectory() as folder:
        path = pathlib.Path(folder) / "self-test.jsonl"
        path.write_text("".join(json.dumps(e) + "\n" for e in events))
        arrays = load_arrays(path)
        for as_of in ("2025-01-01", "2026-06-29", "2026-07-01", "2027-06-30", "2030-06-30", "2035-01-01"):
            names, eligible = eligibility_with_numpy(arrays, referentiel, as_of)
            summary = cg.eligibility(ref, events, as_of).summary()
            theirs = dict(zip(summary["candidate"], summary["eligible"].to_numpy(dtype=bool)))
            mine = dict(zip(names, eligible))
            bad = sorted(c for c in set(mine) | set(theirs) if mine.get(c) != theirs.get(c))
            print(f"self-test as of {as_of}: numpy {int(eligible.sum())} eligible, certigraph "
                  f"{sum(theirs.values())} of {len(theirs)}; mismatches: {bad or 'none'}")
            failures += len(bad)
    print("self-test:", "ok" if failures == 0 else f"{failures} mismatches")
    return 0 if failures == 0 else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", type=pathlib.Path)
    parser.add_argument("--as-of", default="2026-07-01")
    parser.add_argument("--referentiel", type=pathlib.Path,
                        default=ROOT / "examples" / "referentiels" / "rncp40514.json")
    parser.add_argument("--self-test", action="store_true")
    args = parser.parse_args()
    if args.self_test:
        return self_test(args.referentiel)
    if args.path is None:
        parser.error("PATH.jsonl is required (or --self-test)")
    ref = json.loads(args.referentiel.read_text())
    start = time.perf_counter()
    arrays = load_arrays(args.path)
    loaded = time.perf_counter()
    names, eligible = eligibility_with_numpy(arrays, ref, args.as_of)
    done = time.perf_counter()
    print(f"numpy {np.__version__}: {len(names):,} candidates, {int(eligible.sum()):,} eligible; "
          f"load {loaded - start:.2f} s, rules {done - loaded:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
