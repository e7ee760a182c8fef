#!/usr/bin/env python3
"""Eligibility of N candidates as of a date written the pandas way, on the events
bench_ledger wrote, with the eligible flags checked equal to certigraph's and the
speed ratio printed.

    build-release/benchmarks/bench_ledger --candidates 100000 --record-events 0 \\
        --write-jsonl /tmp/cg-elig.jsonl
    python3 benchmarks/pandas_eligibility.py /tmp/cg-elig.jsonl [--as-of 2026-07-01] \\
        [--referentiel examples/referentiels/rncp40514.json] \\
        [--cpp build-release/benchmarks/bench_ledger] [--default-reader]
    python3 benchmarks/pandas_eligibility.py --self-test

The pandas way is what a notebook does (docs/ledger.md, "State as of a date" and
"Eligibility"): read the JSON lines (pandas.read_json, pyarrow engine) and flatten the
body; keep the events dated on or before the decision; bloc outcomes to "any
validation per candidate x bloc" (jury decisions overriding a session's result
replace it); the best CEFR rank of the certificates per candidate (third party only
when required); the union of the mobility and of the work periods per candidate (sort
by start, cumulative maximum of the end, a new stretch when a period starts more than
a day after it), in days / 7 and in calendar months (numpy month arithmetic, the day
of month kept and clamped); a requirement that applies only when an attribute holds
(the latest value per candidate); the delivery window (publication, last delivery,
path start against the end of registration, lifted by a delivery exception). Every
rule is read from the référentiel's JSON, not hard-coded.

Not modelled: `correction` events (supersession chains); the script refuses input
holding any. Same-day events are ordered by id here, by content then id in certigraph
(a tie between two same-day nationality values could differ).

The report: load, pandas eligibility, certigraph from Python (cg.eligibility on the
list of dicts, and on the JSON lines as text), optionally the C++ benchmark's own
time (events in memory), and the ratios; written also as JSON to PATH.pandas.json.
--self-test runs the same code on small hand-made stories (overlapping, adjacent and
cut periods, Jan 31 clamping, 3 + 3 months, nationality unknown, jury overrides,
VAE, credit, delivery exceptions, several dates) and checks them against certigraph.
"""
import argparse
import json
import pathlib
import re
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd

ROOT = pathlib.Path(__file__).resolve().parent.parent
SLACK = 1e-9  # certigraph compares quantities with this slack
CEFR_RANK = {"A1": 1, "A2": 2, "B1": 3, "B2": 4, "C1": 5, "C2": 6}
CEFR_NAMES = ("CEFR", "CECRL")


# --------------------------------------------------------------------------- load

def load_events(path: pathlib.Path, default_reader: bool = False) -> pd.DataFrame:
    """The JSON lines as one flat frame: header columns plus body.<field>."""
    if default_reader:  # pandas' own JSON reader, then json_normalize of the bodies
        df = pd.read_json(path, lines=True, dtype=False)
        body = pd.json_normalize(df["body"].tolist()).add_prefix("body.")
        body.index = df.index
        flat = pd.concat([df.drop(columns=["body", "referentiel"]), body], axis=1)
        for column in ("date", "body.issued", "body.start", "body.end"):
            if column in flat:
                flat[column] = pd.to_datetime(flat[column], format="%Y-%m-%d")
        return flat
    df = pd.read_json(path, lines=True, engine="pyarrow", dtype_backend="pyarrow")
    body = df["body"].struct.explode().add_prefix("body.")
    return pd.concat([df.drop(columns=["body", "referentiel"]), body], axis=1)


# -------------------------------------------------------------------- eligibility

def days(series: pd.Series) -> np.ndarray:
    """Dates as int64 days since 1970-01-01."""
    return series.to_numpy(dtype="datetime64[s]").astype("datetime64[D]").astype(np.int64)


def add_months(start: np.ndarray, m: np.ndarray) -> np.ndarray:
    """start (datetime64[D]) + m calendar months, the day of month clamped to the
    target month's last day (Jan 31 + 1 month = Feb 28/29)."""
    month = start.astype("datetime64[M]")
    day_of_month = (start - month.astype("datetime64[D]")).astype(np.int64)  # 0-based
    target = month + m.astype("timedelta64[M]")
    first = target.astype("datetime64[D]")
    length = ((target + np.timedelta64(1, "M")).astype("datetime64[D]") - first).astype(np.int64)
    return first + np.minimum(day_of_month, length - 1).astype("timedelta64[D]")


def calendar_months(start_days: np.ndarray, end_days: np.ndarray) -> np.ndarray:
    """certigraph's calendar_months, vectorised: the largest m with
    add_months(start, m) - 1 day <= end, plus the rest in days / the next step's length.
    Every input has end >= start."""
    start = start_days.astype("datetime64[D]")
    end = end_days.astype("datetime64[D]")
    one = np.timedelta64(1, "D")
    sm = start.astype("datetime64[M]").astype(np.int64)
    em = end.astype("datetime64[M]").astype(np.int64)
    m = em - sm + 1  # never too small; at most two too large
    for _ in range(2):
        too_far = (m > 0) & (add_months(start, m) - one > end)
        m = np.where(too_far, m - 1, m)
    whole_end = add_months(start, m)
    rest = (end - whole_end).astype(np.int64) + 1
    step = (add_months(start, m + 1) - whole_end).astype(np.int64)
    return np.where(rest <= 0, m.astype(np.float64), m + rest / step)


def union_of_periods(periods: pd.DataFrame, as_of_day: int) -> pd.DataFrame:
    """Per candidate, the union of closed periods [start, end] cut at as_of, as
    merged stretches (candidate, s, e) in days; adjacent periods merge too."""
    p = pd.DataFrame({"candidate": periods["candidate"].to_numpy(),
                      "s": days(periods["body.start"]),
                      "e": np.minimum(days(periods["body.end"]), as_of_day)})
    p = p[p["s"] <= p["e"]].sort_values(["candidate", "s", "e"], ignore_index=True)
    reach = p.groupby("candidate", sort=False)["e"].cummax()
    previous = reach.groupby(p["candidate"], sort=False).shift()
    new_stretch = previous.isna() | (p["s"] > previous + 1)
    return p.groupby(new_stretch.cumsum()).agg(candidate=("candidate", "first"), s=("s", "min"),
                                               e=("e", "max"))


def column(frame: pd.DataFrame, name: str) -> pd.Series:
    return frame[name] if name in frame else pd.Series(pd.NA, index=frame.index, dtype=object)


def eligibility_with_pandas(events: pd.DataFrame, referentiel: dict, as_of: str) -> pd.DataFrame:
    """One row per candidate (sorted), one boolean column per required check and
    `eligible`."""
    if (events["kind"] == "correction").any():
        raise SystemExit("correction events are not modelled by this pandas baseline")
    decision = pd.Timestamp(as_of)
    as_of_day = int(np.datetime64(as_of, "D").astype(np.int64))
    candidates = pd.Index(events["candidate"].unique(), name="candidate").sort_values()
    ev = events[events["date"] <= decision]
    kind = ev["kind"]
    out = pd.DataFrame(index=candidates)

    # Blocs: every validation counts, a refusal never removes one; a jury decision
    # overriding (session, bloc) replaces that session's bloc_result.
    results = ev[kind == "bloc_result"]
    jury = ev[kind == "jury_decision"]
    if len(jury):
        overrides = jury.loc[column(jury, "body.overrides_session").fillna("") != "",
                             ["candidate", "body.overrides_session", "body.bloc"]]
        overrides.columns = ["candidate", "session", "body.bloc"]
        key = pd.MultiIndex.from_frame(results[["candidate", "session", "body.bloc"]].astype(object))
        drop = key.isin(pd.MultiIndex.from_frame(overrides.astype(object)))
        results = results[~drop]
    outcomes = [results[["candidate", "body.bloc", "body.validated"]],
                jury[["candidate", "body.bloc", "body.validated"]],
                ev.loc[kind == "bloc_credit", ["candidate", "body.bloc"]].assign(**{"body.validated": True})]
    vae = ev[kind == "vae_decision"]
    if len(vae):
        acquired = vae[["candidate", "body.acquired"]].explode("body.acquired").dropna()
        outcomes.append(acquired.rename(columns={"body.acquired": "body.bloc"}).assign(**{"body.validated": True}))
    outcomes = pd.concat([o.astype({"candidate": object, "body.bloc": object, "body.validated": bool})
                          for o in outcomes], ignore_index=True)
    acquired = (outcomes.groupby(["candidate", "body.bloc"])["body.validated"].any()
                .unstack(fill_value=False))
    groups = {}
    for bloc in referentiel["blocs"]:
        have = acquired[bloc["code"]].reindex(candidates, fill_value=False).astype(bool) \
            if bloc["code"] in acquired else pd.Series(False, index=candidates)
        if bloc.get("option_group"):
            groups[bloc["option_group"]] = groups.get(bloc["option_group"], False) | have
        elif not bloc.get("optional", False):
            out[bloc["code"]] = have
    for name, have in sorted(groups.items()):
        out["option:" + name] = have

    # Evidence, computed once for every requirement that needs it.
    certificates = ev[kind == "language_certificate"]
    c_language = certificates["body.language"].str.lower()
    c_framework = certificates["body.framework"].str.upper()
    c_level = certificates["body.level"].str.upper()
    attributes = ev[kind == "attribute"].sort_values(["date", "id"])
    mobility = union_of_periods(ev[kind == "mobility_period"], as_of_day)
    mobility_weeks = ((mobility["e"] - mobility["s"] + 1).groupby(mobility["candidate"]).sum()
                      .reindex(candidates, fill_value=0) / 7.0)
    work = union_of_periods(ev[kind == "work_period"], as_of_day)
    work["months"] = calendar_months(work["s"].to_numpy(), work["e"].to_numpy())
    work_months = work.groupby("candidate")["months"].agg(["sum", "max"]).reindex(candidates, fill_value=0.0)

    for r in referentiel["certification"].get("requirements", []):
        if r["kind"] == "language":
            cefr = r["framework"].upper() in CEFR_NAMES
            mine = (c_framework.isin(CEFR_NAMES) if cefr else c_framework == r["framework"].upper())
            if r.get("language"):
                mine &= c_language == r["language"].lower()
            if r.get("third_party", False):
                mine &= certificates["body.third_party"].astype(bool)
            if cefr:
                rank, target = c_level.map(CEFR_RANK).astype("float64").fillna(0), CEFR_RANK[r["level"].upper()]
            else:
                rank, target = (c_level == r["level"].upper()).astype(int), 1
            best = rank[mine].groupby(certificates.loc[mine, "candidate"]).max()
            met = best.reindex(candidates, fill_value=-1) >= target
        elif r["kind"] == "mobility":
            met = mobility_weeks + SLACK >= r["minimum_weeks"]
        elif r["kind"] == "experience":
            met = work_months["max" if r.get("consecutive", False) else "sum"] + SLACK >= r["minimum_months"]
        else:
            raise SystemExit(f"requirement kind {r['kind']!r} not modelled")
        when = r.get("applies_when")
        if when:  # not applicable -> met; attribute never recorded -> not met
            value = (attributes.loc[attributes["body.name"] == when["attribute"]]
                     .groupby("candidate")["body.value"].last().reindex(candidates))
            holds = value == when["value"] if when["operator"] == "equals" else value != when["value"]
            met = value.notna() & (~holds.fillna(False).astype(bool) | met)
        out[r["code"]] = met.astype(bool).to_numpy()

    # Delivery window.
    dates = {k: pd.Timestamp(v) for k, v in referentiel["certification"].get("dates", {}).items() if v}
    deadline = dates.get("last_delivery", dates.get("end_of_registration"))
    if "publication" in dates and decision < dates["publication"]:
        window = pd.Series(False, index=candidates)
    else:
        started = ev.loc[kind == "path_start"].groupby("candidate")["date"].min().reindex(candidates)
        started = started.fillna(ev.groupby("candidate")["date"].min().reindex(candidates))
        outside = pd.Series(False, index=candidates)
        if deadline is not None and deadline < decision:
            outside[:] = True
        elif "end_of_registration" in dates:
            outside = (started > dates["end_of_registration"]).fillna(False).astype(bool)
        excepted = candidates.isin(ev.loc[kind == "delivery_exception", "candidate"].unique())
        window = ~outside | excepted
    out["delivery_window"] = np.asarray(window, dtype=bool)
    out["eligible"] = out.all(axis=1)
    return out


# ---------------------------------------------------------------------- certigraph

def certigraph_flags(cg, ref, source, as_of: str) -> pd.Series:
    summary = cg.eligibility(ref, source, as_of).summary()
    return pd.Series(summary["eligible"].to_numpy(dtype=bool), index=pd.Index(summary["candidate"], name="candidate"))


def compare(mine: pd.DataFrame, theirs: pd.Series, label: str) -> int:
    """Number of mismatches, printed."""
    index = mine.index.union(theirs.index)
    a = mine["eligible"].reindex(index)
    b = theirs.reindex(index)
    bad = index[(a != b) | a.isna() | b.isna()]
    print(f"{label}: pandas {int(a.sum()):,} eligible, certigraph {int(b.sum()):,} eligible "
          f"of {len(index):,}; mismatches: {len(bad)}")
    for c in bad[:20]:
        failed = [k for k, v in mine.loc[c].items() if k != "eligible" and not v] if c in mine.index else "absent"
        print(f"  {c}: pandas {a.get(c)}, certigraph {b.get(c)}; pandas failed checks: {failed}")
    return len(bad)


def ratio(pandas_over_certigraph: float) -> str:
    r = pandas_over_certigraph
    return (f"pandas/certigraph {r:.2f}: certigraph {r:.1f}x faster" if r >= 1
            else f"pandas/certigraph {r:.2f}: certigraph {1 / r:.1f}x slower")


def best_of(n: int, f):
    best, value = float("inf"), None
    for _ in range(n):
        start = time.perf_counter()
        value = f()
        best = min(best, time.perf_counter() - start)
    return best, value


# ----------------------------------------------------------------------- self-test

def self_test_events() -> list:
    def e(candidate, date, kind, body, route="exam", session=""):
        return {"candidate": candidate, "date": date, "session": session, "route": route,
                "referentiel": {"fiche": "RNCP40514", "content_hash": "sha256:ref"},
                "policy_hash": "sha256:policy" if kind == "bloc_result" else "", "evidence": [],
                "kind": kind, "body": body}

    def blocs(c, skip=(), date="2026-06-26", session="S2026-06", validated=True):
        return [e(c, date, "bloc_result", {"bloc": f"RNCP40514BC0{i}", "validated": validated}, session=session)
                for i in range(1, 5) if i not in skip]

    def english(c, level="B2", third=True, framework="CEFR", language="en", date="2026-02-14"):
        return e(c, date, "language_certificate", {"language": language, "framework": framework, "level": level,
                                                   "issuer": "X", "third_party": third, "issued": date})

    def period(c, kind, start, end, date=None):
        return e(c, date or end, kind, {"start": start, "end": end, "place": "p"})

    def base(c, nationality="FR", path="2025-09-01", skip_blocs=(), eng=True, mob=True, work=True):
        out = [e(c, path, "path_start", {"access_route": "initial_training"})]
        if nationality:
            out.append(e(c, "2025-09-01", "attribute", {"name": "nationality", "value": nationality}))
        out += blocs(c, skip_blocs)
        if eng:
            out.append(english(c))
        if mob:
            out.append(period(c, "mobility_period", "2025-05-01", "2025-05-28"))
        if work:
            out.append(period(c, "work_period", "2025-01-01", "2025-06-30"))
        return out

    ev = []
    ev += base("T01")                                                      # eligible
    ev += base("T02", mob=False, work=False) + [                           # 2 + 2 weeks, 3 + 3 months
        period("T02", "mobility_period", "2025-03-01", "2025-03-14"),
        period("T02", "mobility_period", "2025-04-01", "2025-04-14"),
        period("T02", "work_period", "2025-01-01", "2025-03-31"),
        period("T02", "work_period", "2025-07-01", "2025-09-30")]
    ev += base("T03", work=False) + [period("T03", "work_period", "2024-01-01", "2024-06-27")]  # 5.9
    ev += base("T04", mob=False, work=False) + [                           # overlaps counted once
        period("T04", "mobility_period", "2025-05-01", "2025-05-20"),
        period("T04", "mobility_period", "2025-05-10", "2025-05-27"),      # union 27 days: short
        period("T04", "work_period", "2025-01-01", "2025-04-30"),
        period("T04", "work_period", "2025-03-01", "2025-06-30"),          # union 6.0
        period("T04", "work_period", "2025-02-01", "2025-02-10")]          # inside
    ev += base("T05", work=False) + [                                      # adjacent: merged 5.90, not 1 + 5
        period("T05", "work_period", "2025-01-31", "2025-02-27"),
        period("T05", "work_period", "2025-02-28", "2025-07-27")]
    ev += base("T06", work=False) + [period("T06", "work_period", "2026-02-01", "2026-12-31", date="2026-02-01")]
    ev += base("T07", work=False) + [period("T07", "work_period", "2026-01-01", "2026-12-31", date="2026-01-01")]
    ev += base("T08", nationality="IT")                                    # no French
    ev += base("T09", nationality="IT") + [english("T09", "B1", False, "CECRL", "FR")]
    ev += base("T10", nationality=None)                                    # nationality unknown
    ev += base("T11", nationality="FR") + [                                # changed to BR later, with French
        e("T11", "2026-03-01", "attribute", {"name": "nationality", "value": "BR"}),
        english("T11", "A2", True, "CEFR", "fr")]
    ev += base("T12", eng=False) + [english("T12", "B2", False), english("T12", "B1", True, date="2026-01-10")]
    ev += base("T13", eng=False) + [english("T13", "C1", False)]           # not third party
    ev += base("T14", eng=False) + [english("T14", "b2", True, "CECRL", "EN")]
    ev += base("T15", skip_blocs=(1,)) + [                                 # re-sit
        e("T15", "2026-01-20", "bloc_result", {"bloc": "RNCP40514BC01", "validated": False}, session="S2026-01"),
        e("T15", "2026-06-28", "bloc_result", {"bloc": "RNCP40514BC01", "validated": True}, session="S2026-06b")]
    ev += base("T16", skip_blocs=(2,)) + [                                 # jury overrides a refusal
        e("T16", "2026-06-26", "bloc_result", {"bloc": "RNCP40514BC02", "validated": False}, session="S2026-06"),
        e("T16", "2026-06-30", "jury_decision", {"bloc": "RNCP40514BC02", "validated": True,
                                                  "overrides_session": "S2026-06", "reason": "r"},
          route="jury_decision", session="J1")]
    ev += base("T17", skip_blocs=(3,)) + [                                 # jury overrides a success
        e("T17", "2026-06-26", "bloc_result", {"bloc": "RNCP40514BC03", "validated": True}, session="S2026-06"),
        e("T17", "2026-06-30", "jury_decision", {"bloc": "RNCP40514BC03", "validated": False,
                                                  "overrides_session": "S2026-06", "reason": "r"},
          route="jury_decision", session="J1")]
    ev += base("T18", skip_blocs=(1, 2)) + [                               # VAE, then exams
        e("T18", "2026-02-01", "vae_decision", {"acquired": ["RNCP40514BC01", "RNCP40514BC02"],
                                                 "refused": ["RNCP40514BC03"], "prescriptions": "p"},
          route="vae", session="V1")]
    ev += base("T19", skip_blocs=(1,)) + [                                 # credit from RNCP38732
        e("T19", "2025-10-01", "bloc_credit", {"bloc": "RNCP40514BC01", "from_certification": "RNCP38732",
                                                "from_blocs": ["RNCP38732BC01"], "basis": "certificateur_rule"},
          route="correspondence")]
    ev += base("T20", skip_blocs=(4,)) + blocs("T20", (1, 2, 3), date="2026-07-15", session="S2026-07")
    ev += base("T21", path="2029-09-15")                                   # path after registration
    ev += base("T22", path="2029-09-15") + [
        e("T22", "2029-10-01", "delivery_exception", {"basis": "L6113-9", "reason": "r"})]
    ev += base("T23") + [e("T23", "2034-09-01", "delivery_exception", {"basis": "L6113-9", "reason": "r"})]
    ev += base("T24", skip_blocs=(1, 2, 3, 4)) + blocs("T24", validated=False)
    ev += [e("T25", "2027-01-01", "path_start", {"access_route": "vae"})]  # nothing before 2027
    for i, event in enumerate(ev):
        event["id"] = i + 1
    return ev


def self_test(referentiel_path: pathlib.Path) -> int:
    import certigraph as cg
    ref = cg.Referentiel.load(str(referentiel_path))
    referentiel = json.loads(referentiel_path.read_text())
    events = self_test_events()
    failures = 0
    with tempfile.TemporaryDirectory() as folder:
        path = pathlib.Path(folder) / "self-test.jsonl"
        path.write_text("".join(json.dumps(e) + "\n" for e in events))
        frame = load_events(path)
        for as_of in ("2025-01-01", "2026-06-29", "2026-07-01", "2027-06-30", "2030-06-30", "2035-01-01"):
            mine = eligibility_with_pandas(frame, referentiel, as_of)
            failures += compare(mine, certigraph_flags(cg, ref, events, as_of), f"self-test as of {as_of}")
            # Check by check, too: certigraph's `met` of every check pandas computes.
            checks = cg.eligibility(ref, events, as_of).to_frame()
            met = checks.pivot(index="candidate", columns="subject", values="met")
            columns = [c for c in mine.columns if c != "eligible"]
            met = met.reindex(index=mine.index, columns=columns)
            differ = (met.astype(bool).to_numpy() != mine[columns].to_numpy())
            differ = pd.DataFrame(differ, index=mine.index, columns=columns).stack()
            for (candidate, subject) in differ[differ].index:
                print(f"  check {subject} of {candidate}: pandas {mine.loc[candidate, subject]}, "
                      f"certigraph {met.loc[candidate, subject]}")
                failures += 1
            print("  eligible:", " ".join(mine.index[mine["eligible"]]))
    print("self-test:", "ok" if failures == 0 else f"{failures} mismatches")
    return 0 if failures == 0 else 1


# ---------------------------------------------------------------------------- main

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", type=pathlib.Path)
    parser.add_argument("--as-of", default="2026-07-01")
    parser.add_argument("--referentiel", type=pathlib.Path,
                        default=ROOT / "examples" / "referentiels" / "rncp40514.json")
    parser.add_argument("--repeat", type=int, default=3, help="best of N for the computations (default 3)")
    parser.add_argument("--cpp", type=pathlib.Path,
                        help="bench_ledger binary: also run it (same N, --record-events 0) for the C++ time")
    parser.add_argument("--default-reader", action="store_true",
                        help="also time pandas.read_json's default engine + json_normalize")
    parser.add_argument("--self-test", action="store_true")
    args = parser.parse_args()
    if args.self_test:
        return self_test(args.referentiel)
    if args.path is None:
        parser.error("PATH.jsonl is required (or --self-test)")

    import certigraph as cg
    referentiel = json.loads(args.referentiel.read_text())
    ref = cg.Referentiel.load(str(args.referentiel))
    figures = {"path": str(args.path), "as_of": args.as_of, "pandas": pd.__version__, "numpy": np.__version__}

    start = time.perf_counter()
    events = load_events(args.path)
    figures["load_seconds"] = time.perf_counter() - start
    if args.default_reader:
        start = time.perf_counter()
        other = load_events(args.path, default_reader=True)
        figures["load_default_reader_seconds"] = time.perf_counter() - start
        start = time.perf_counter()
        x = eligibility_with_pandas(other, referentiel, args.as_of)
        y = eligibility_with_pandas(events, referentiel, args.as_of)
        same = bool(list(x.index) == list(y.index) and list(x.columns) == list(y.columns)
                    and (x.to_numpy() == y.to_numpy()).all())  # the index dtypes differ (str, string[pyarrow])
        figures["eligibility_on_both_frames_seconds"] = time.perf_counter() - start
        figures["default_reader_same_answers"] = same
        del other

    figures["eligibility_seconds"], mine = best_of(
        args.repeat, lambda: eligibility_with_pandas(events, referentiel, args.as_of))
    figures["events"], figures["candidates"] = len(events), len(mine)
    figures["eligible_pandas"] = int(mine["eligible"].sum())
    del events

    start = time.perf_counter()
    with open(args.path, encoding="utf-8") as f:
        lines = [line.rstrip("\n") for line in f if line.strip()]
    figures["read_lines_seconds"] = time.perf_counter() - start
    start = time.perf_counter()
    records = [json.loads(line) for line in lines]
    figures["json_loads_seconds"] = time.perf_counter() - start

    figures["certigraph_dicts_seconds"], result = best_of(
        args.repeat, lambda: cg.eligibility(ref, records, args.as_of))
    summary = result.summary()
    theirs = pd.Series(summary["eligible"].to_numpy(dtype=bool), index=pd.Index(summary["candidate"]))
    figures["eligible_certigraph"] = int(theirs.sum())
    del result
    figures["certigraph_text_seconds"], result = best_of(
        args.repeat, lambda: cg.eligibility(ref, lines, args.as_of))
    same_answers = result.eligible == list(theirs.index[theirs.to_numpy()])
    del result
    figures["certigraph_text_1_thread_seconds"], _ = best_of(
        args.repeat, lambda: cg.eligibility(ref, lines, args.as_of, threads=1))
    # The input alone: every line converted and parsed (checked), one candidate decided.
    figures["certigraph_text_parse_only_seconds"], _ = best_of(
        args.repeat, lambda: cg.eligibility(ref, lines, args.as_of, candidate="?"))
    del records, lines

    if args.cpp:
        run = subprocess.run([str(args.cpp), "--candidates", str(figures["candidates"]), "--record-events", "0"],
                             capture_output=True, text=True, check=True)
        match = re.search(r"best of 3 ([0-9.]+) s .* ([0-9]+) eligible", run.stdout)
        figures["cpp_eligibility_seconds"] = float(match.group(1))
        figures["cpp_eligible"] = int(match.group(2))

    mismatches = compare(mine, theirs, f"as of {args.as_of}")
    figures["mismatches"] = mismatches + (0 if same_answers else 1) + \
        (0 if figures.get("default_reader_same_answers", True) else 1)
    e = figures["eligibility_seconds"]
    figures["ratio_pandas_over_certigraph_dicts"] = e / figures["certigraph_dicts_seconds"]
    figures["ratio_pandas_over_certigraph_text"] = e / figures["certigraph_text_seconds"]
    if "cpp_eligibility_seconds" in figures:
        figures["ratio_pandas_over_cpp"] = e / figures["cpp_eligibility_seconds"]

    print(f"pandas {pd.__version__}, numpy {np.__version__}: {figures['candidates']:,} candidates, "
          f"{figures['events']:,} events, as of {args.as_of} (best of {args.repeat} where repeated)")
    print(f"  load (read_json pyarrow + flatten)        {figures['load_seconds']:8.3f} s")
    if "load_default_reader_seconds" in figures:
        print(f"  load (read_json default + json_normalize) {figures['load_default_reader_seconds']:8.3f} s"
              f"  (same answers from that frame: {figures['default_reader_same_answers']})")
    print(f"  pandas eligibility                         {e:8.3f} s")
    print(f"  certigraph input: read lines               {figures['read_lines_seconds']:8.3f} s")
    print(f"  certigraph input: json.loads to dicts      {figures['json_loads_seconds']:8.3f} s")
    print(f"  cg.eligibility(list of dicts)              {figures['certigraph_dicts_seconds']:8.3f} s"
          f"  -> {ratio(figures['ratio_pandas_over_certigraph_dicts'])}")
    print(f"  cg.eligibility(JSON lines as text)         {figures['certigraph_text_seconds']:8.3f} s"
          f"  -> {ratio(figures['ratio_pandas_over_certigraph_text'])}")
    print(f"  cg.eligibility(JSON lines, threads=1)      {figures['certigraph_text_1_thread_seconds']:8.3f} s")
    print(f"    of which the input (lines to Events)     {figures['certigraph_text_parse_only_seconds']:8.3f} s"
          f"  (cg.eligibility(..., candidate='?'): every line parsed, one answer)")
    if "cpp_eligibility_seconds" in figures:
        print(f"  C++ eligibility_of_all, events in memory   {figures['cpp_eligibility_seconds']:8.3f} s"
              f"  -> {ratio(figures['ratio_pandas_over_cpp'])} ({figures['cpp_eligible']:,} eligible)")
    print(f"results equal to certigraph's: {figures['mismatches'] == 0}")
    out = args.path.with_name(args.path.name + ".pandas.json")
    out.write_text(json.dumps(figures, indent=2) + "\n")
    print(f"figures written to {out}")
    return 0 if figures["mismatches"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
