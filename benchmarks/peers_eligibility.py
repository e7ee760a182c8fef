#!/usr/bin/env python3
"""Eligibility of N candidates from the same JSON-lines file, in one run: certigraph's
columnar path (cg.eligibility_table), numpy by hand (numpy_eligibility.py), a DuckDB
SQL query, Polars and pandas (pandas_eligibility.py), the eligible flags checked
equal; times, ratios and certigraph's peak memory (measured in a child process with
resource.getrusage).

    build-release/benchmarks/bench_ledger --candidates 1000000 --record-events 0 \\
        --write-jsonl /tmp/cg-elig.jsonl --object-path 0
    python3 -m pip install duckdb polars          # benchmark-only dependencies
    python3 benchmarks/peers_eligibility.py /tmp/cg-elig.jsonl [--peers numpy,duckdb,polars,pandas] \\
        [--cpp build-release/benchmarks/bench_ledger]

The SQL and the Polars code are generated from the référentiel's JSON (blocs, option
groups, requirements, dates), as pandas_eligibility.py and numpy_eligibility.py are.
Like them, they model the kinds bench_ledger writes (bloc results and credits,
certificates, periods, attributes, path starts, delivery exceptions) and refuse a file
holding VAE or jury decisions or corrections. Each peer's total includes reading the
file (what a notebook pays); its rules are also timed alone on what it read (best of
3), and with --cpp compared with certigraph's eligibility_table on an EventTable in
memory (bench_ledger, one thread, same N).
"""
import argparse
import json
import re
import pathlib
import resource
import subprocess
import sys
import time

import numpy as np
import pandas as pd

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
SLACK = 1e-9
CEFR = {"A1": 1, "A2": 2, "B1": 3, "B2": 4, "C1": 5, "C2": 6}


def quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def duckdb_events(path: str, as_of: str) -> str:
    """The events dated on or before the decision, flat, from the JSON lines."""
    return f"""
  SELECT candidate, kind, CAST(date AS DATE) AS day, body.bloc AS bloc, body.validated AS validated,
         body.language AS language, body.framework AS framework, body.level AS level,
         body.third_party AS third_party, body.name AS name, body.value AS value,
         CAST(body."start" AS DATE) AS s, least(CAST(body."end" AS DATE), DATE {quote(as_of)}) AS e
  FROM read_json({quote(path)}, format = 'newline_delimited',
                 columns = {{candidate: 'VARCHAR', kind: 'VARCHAR', date: 'VARCHAR',
                            body: 'STRUCT(bloc VARCHAR, validated BOOLEAN, "language" VARCHAR, framework VARCHAR,
                                          "level" VARCHAR, third_party BOOLEAN, "name" VARCHAR, "value" VARCHAR,
                                          "start" VARCHAR, "end" VARCHAR)'}})
  WHERE CAST(date AS DATE) <= DATE {quote(as_of)}
"""


def duckdb_sql(path: str, ref: dict, as_of: str, source: str = "") -> str:
    """One query: candidate, eligible; `source` the events (a table), else the file."""
    source = source or "(" + duckdb_events(path, as_of) + ")"
    blocs = ref["blocs"]
    reqs = ref["certification"].get("requirements", [])
    dates = {k: v for k, v in ref["certification"].get("dates", {}).items() if v}
    checks, bloc_columns = [], []
    for b in blocs:
        if not b.get("option_group") and not b.get("optional", False):
            bloc_columns.append(f"bool_or(validated) FILTER (WHERE bloc = {quote(b['code'])})")
    groups = sorted({b["option_group"] for b in blocs if b.get("option_group")})
    for g in groups:
        codes = ", ".join(quote(b["code"]) for b in blocs if b.get("option_group") == g)
        bloc_columns.append(f"bool_or(validated) FILTER (WHERE bloc IN ({codes}))")
    for i in range(len(bloc_columns)):
        checks.append(f"coalesce(b{i}, false)")
    lang_columns, condition_columns = [], []
    for i, r in enumerate(reqs):
        if r["kind"] == "language":
            cefr = r["framework"].upper() in ("CEFR", "CECRL") and r["level"].upper() in CEFR
            where = [f"lower(language) = {quote(r['language'].lower())}"] if r.get("language") else []
            where.append("upper(framework) IN ('CEFR', 'CECRL')" if r["framework"].upper() in ("CEFR", "CECRL")
                         else f"upper(framework) = {quote(r['framework'].upper())}")
            if r.get("third_party"):
                where.append("third_party")
            rank = ("CASE upper(level) " + " ".join(f"WHEN '{k}' THEN {v}" for k, v in CEFR.items()) + " ELSE 0 END"
                    if cefr else f"CASE WHEN upper(level) = {quote(r['level'].upper())} THEN 1 ELSE 0 END")
            target = CEFR[r["level"].upper()] if cefr else 1
            lang_columns.append(f"max({rank}) FILTER (WHERE kind = 'language_certificate' AND "
                                f"{' AND '.join(where)}) AS lang{i}")
            met = f"coalesce(lang{i}, -1) >= {target}"
        elif r["kind"] == "mobility":
            met = f"coalesce(mobility_days, 0) / 7.0 + {SLACK} >= {r['minimum_weeks']}"
        elif r["kind"] == "experience":
            met = (f"coalesce({'work_longest' if r.get('consecutive') else 'work_months'}, 0) + {SLACK} >= "
                   f"{r['minimum_months']}")
        else:
            raise SystemExit(f"requirement kind {r['kind']!r} not modelled")
        when = r.get("applies_when")
        if when:
            condition_columns.append(
                f"arg_max(value, day) FILTER (WHERE kind = 'attribute' AND name = {quote(when['attribute'])}) "
                f"AS cond{i}")
            holds = f"lower(cond{i}) = {quote(when['value'].lower())}"
            if when["operator"] != "equals":
                holds = f"NOT ({holds})"
            met = f"(cond{i} IS NOT NULL AND (NOT ({holds}) OR ({met})))"
        checks.append(met)
    deadline = dates.get("last_delivery", dates.get("end_of_registration"))
    window = "true"
    if "publication" in dates and as_of < dates["publication"]:
        window = "false"
    else:
        parts = []
        if "end_of_registration" in dates:
            parts.append(f"coalesce(coalesce(path_start, first_day) <= DATE {quote(dates['end_of_registration'])}, true)")
        if deadline is not None and deadline < as_of:
            parts.append("has_exception")
        window = " AND ".join(parts) if parts else "true"
    checks.append(window)
    return f"""
WITH ev AS (SELECT * FROM {source}),
outcomes AS (
  SELECT candidate, bloc, CASE WHEN kind = 'bloc_credit' THEN true ELSE validated END AS validated
  FROM ev WHERE kind IN ('bloc_result', 'bloc_credit')
),
periods AS (  -- the union of each candidate's periods: a new stretch after a gap of a day
  SELECT *, sum(CASE WHEN s > prev_end + 1 OR prev_end IS NULL THEN 1 ELSE 0 END)
              OVER (PARTITION BY candidate, kind ORDER BY s, e) AS stretch
  FROM (SELECT candidate, kind, s, e,
               max(e) OVER (PARTITION BY candidate, kind ORDER BY s, e
                            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end
        FROM ev WHERE kind IN ('mobility_period', 'work_period') AND s <= e)
),
stretches AS (
  SELECT candidate, kind, min(s) AS s, max(e) AS e FROM periods GROUP BY candidate, kind, stretch
),
months AS (  -- calendar months of each stretch (docs: calendar_months), the day of month clamped
  SELECT candidate, kind, e - s + 1 AS days,
         m + (e - whole + 1) / CAST((CAST(s + to_months(CAST(m + 1 AS INTEGER)) AS DATE) - whole) AS DOUBLE) AS months
  FROM (SELECT *, CAST(s + to_months(CAST(m AS INTEGER)) AS DATE) AS whole
        FROM (SELECT candidate, kind, s, e,
                     CASE WHEN CAST(s + to_months(CAST(k AS INTEGER)) AS DATE) - 1 <= e THEN k
                          WHEN CAST(s + to_months(CAST(k - 1 AS INTEGER)) AS DATE) - 1 <= e THEN k - 1
                          ELSE k - 2 END AS m
              FROM (SELECT *, datediff('month', s, e) + 1 AS k FROM stretches)))
),
per_candidate AS (
  SELECT candidate,
         sum(days) FILTER (WHERE kind = 'mobility_period') AS mobility_days,
         sum(months) FILTER (WHERE kind = 'work_period') AS work_months,
         max(months) FILTER (WHERE kind = 'work_period') AS work_longest
  FROM months GROUP BY candidate
),
facts AS (
  SELECT candidate, min(day) AS first_day, min(day) FILTER (WHERE kind = 'path_start') AS path_start,
         bool_or(kind = 'delivery_exception') AS has_exception
         {''.join(', ' + c for c in lang_columns + condition_columns)}
  FROM ev GROUP BY candidate
),
bloc_checks AS (
  SELECT candidate {''.join(f", {c} AS b{i}" for i, c in enumerate(bloc_columns))} FROM outcomes GROUP BY candidate
),
everyone AS (SELECT DISTINCT candidate FROM {source})
SELECT everyone.candidate, ({' AND '.join('(' + c + ')' for c in checks)}) AS eligible
FROM everyone LEFT JOIN facts USING (candidate) LEFT JOIN per_candidate USING (candidate)
     LEFT JOIN bloc_checks USING (candidate)
ORDER BY everyone.candidate
"""


def duckdb_eligible(path: str, ref: dict, as_of: str, threads: int) -> tuple:
    """The flags from the file in one query, and the wall and CPU time of the query
    alone on the events loaded into a table (best of 3)."""
    import duckdb

    con = duckdb.connect()
    con.execute(f"SET threads TO {threads}")
    frame = con.execute(duckdb_sql(path, ref, as_of)).df()
    flags = pd.Series(frame["eligible"].to_numpy(dtype=bool), index=pd.Index(frame["candidate"]))
    con.execute("CREATE TABLE loaded AS " + duckdb_events(path, as_of))
    best, best_cpu = float("inf"), float("inf")
    for _ in range(3):
        start, cpu = time.perf_counter(), time.process_time()
        again = con.execute(duckdb_sql(path, ref, as_of, source="loaded")).df()
        best, best_cpu = min(best, time.perf_counter() - start), min(best_cpu, time.process_time() - cpu)
    assert (again["eligible"].to_numpy(dtype=bool) == flags.to_numpy()).all()
    return flags, best, best_cpu


def polars_read(path: str):
    import polars as pl

    body = pl.Struct({"bloc": pl.Utf8, "validated": pl.Boolean, "language": pl.Utf8, "framework": pl.Utf8,
                      "level": pl.Utf8, "third_party": pl.Boolean, "name": pl.Utf8, "value": pl.Utf8,
                      "start": pl.Utf8, "end": pl.Utf8})
    schema = {"candidate": pl.Utf8, "kind": pl.Utf8, "date": pl.Utf8, "body": body}
    return pl.read_ndjson(path, schema=schema)


def polars_eligible(raw, ref: dict, as_of: str) -> pd.Series:
    """The flags from the events as read by polars_read."""
    import polars as pl

    decision = np.datetime64(as_of, "D")
    everyone = raw.select(pl.col("candidate").unique()).sort("candidate")
    ev = raw.unnest("body").with_columns(pl.col("date").str.to_date().alias("day")).filter(
        pl.col("day") <= pl.lit(decision))
    if ev.filter(pl.col("kind").is_in(["vae_decision", "jury_decision", "correction"])).height:
        raise SystemExit("the Polars baseline does not model VAE or jury decisions or corrections")
    out = everyone
    outcomes = ev.filter(pl.col("kind").is_in(["bloc_result", "bloc_credit"])).with_columns(
        pl.when(pl.col("kind") == "bloc_credit").then(True).otherwise(pl.col("validated")).alias("validated"))
    acquired = outcomes.group_by("candidate", "bloc").agg(pl.col("validated").any())
    checks = []
    groups: dict = {}
    for b in ref["blocs"]:
        if b.get("option_group"):
            groups.setdefault(b["option_group"], []).append(b["code"])
        elif not b.get("optional", False):
            groups[b["code"]] = [b["code"]]
    for i, (name, codes) in enumerate(sorted(groups.items())):
        have = acquired.filter(pl.col("bloc").is_in(codes) & pl.col("validated")).select("candidate").unique() \
            .with_columns(pl.lit(True).alias(f"bloc{i}"))
        out = out.join(have, on="candidate", how="left")
        checks.append(pl.col(f"bloc{i}").fill_null(False))
    # Periods: union per candidate, days and calendar months.
    per = ev.filter(pl.col("kind").is_in(["mobility_period", "work_period"])).select(
        "candidate", "kind", pl.col("start").str.to_date().alias("s"),
        pl.min_horizontal(pl.col("end").str.to_date(), pl.lit(decision)).alias("e")).filter(pl.col("s") <= pl.col("e"))
    # One sorted pass without window expressions (`.over(candidate, kind)` took 20x
    # longer): the (candidate, kind) group's number in the high bits of the key makes
    # the running maximum of the end restart at each group.
    per = per.sort("candidate", "kind", "s", "e")
    first_of_group = ~((pl.col("candidate") == pl.col("candidate").shift(1)) &
                       (pl.col("kind") == pl.col("kind").shift(1))).fill_null(False)
    per = per.with_columns(first_of_group.cast(pl.Int64).cum_sum().alias("g"))
    reach = (pl.col("g") * (1 << 32) + pl.col("e").cast(pl.Int64) + (1 << 31)).cum_max().shift(1)
    per = per.with_columns(reach.alias("reach"))
    fresh = (pl.col("reach").is_null() | ((pl.col("reach") // (1 << 32)) != pl.col("g")) |
             (pl.col("s").cast(pl.Int64) > (pl.col("reach") % (1 << 32)) - (1 << 31) + 1))
    per = per.with_columns(fresh.cast(pl.Int64).cum_sum().alias("stretch"))
    st = per.group_by("stretch", maintain_order=True).agg(pl.col("candidate").first(), pl.col("kind").first(),
                                                          pl.col("s").min(), pl.col("e").max())
    s_days = st["s"].to_numpy().astype("datetime64[D]")
    e_days = st["e"].to_numpy().astype("datetime64[D]")
    import pandas_eligibility as pe
    months = pe.calendar_months(s_days.astype(np.int64), e_days.astype(np.int64))
    st = st.with_columns(pl.Series("months", months), ((pl.col("e") - pl.col("s")).dt.total_days() + 1).alias("days"))
    facts = st.group_by("candidate").agg(
        pl.col("days").filter(pl.col("kind") == "mobility_period").sum().alias("mobility_days"),
        pl.col("months").filter(pl.col("kind") == "work_period").sum().alias("work_months"),
        pl.col("months").filter(pl.col("kind") == "work_period").max().alias("work_longest"))
    out = out.join(facts, on="candidate", how="left")
    certs = ev.filter(pl.col("kind") == "language_certificate")
    attributes = ev.filter(pl.col("kind") == "attribute").sort("day")
    for i, r in enumerate(ref["certification"].get("requirements", [])):
        if r["kind"] == "language":
            cefr = r["framework"].upper() in ("CEFR", "CECRL") and r["level"].upper() in CEFR
            mine = certs
            if r.get("language"):
                mine = mine.filter(pl.col("language").str.to_lowercase() == r["language"].lower())
            mine = mine.filter(pl.col("framework").str.to_uppercase().is_in(["CEFR", "CECRL"])
                               if r["framework"].upper() in ("CEFR", "CECRL")
                               else pl.col("framework").str.to_uppercase() == r["framework"].upper())
            if r.get("third_party"):
                mine = mine.filter(pl.col("third_party"))
            rank = (pl.col("level").str.to_uppercase().replace_strict(CEFR, default=0, return_dtype=pl.Int32) if cefr
                    else (pl.col("level").str.to_uppercase() == r["level"].upper()).cast(pl.Int32))
            best = mine.group_by("candidate").agg(rank.max().alias(f"lang{i}"))
            out = out.join(best, on="candidate", how="left")
            met = pl.col(f"lang{i}").fill_null(-1) >= (CEFR[r["level"].upper()] if cefr else 1)
        elif r["kind"] == "mobility":
            met = pl.col("mobility_days").fill_null(0) / 7.0 + SLACK >= r["minimum_weeks"]
        else:
            met = pl.col("work_longest" if r.get("consecutive") else "work_months").fill_null(0.0) + SLACK >= \
                r["minimum_months"]
        when = r.get("applies_when")
        if when:
            latest = attributes.filter(pl.col("name") == when["attribute"]).group_by("candidate").agg(
                pl.col("value").last().alias(f"cond{i}"))
            out = out.join(latest, on="candidate", how="left")
            holds = pl.col(f"cond{i}").str.to_lowercase() == when["value"].lower()
            if when["operator"] != "equals":
                holds = ~holds
            met = pl.col(f"cond{i}").is_not_null() & (~holds | met)
        checks.append(met)
    dates = {k: v for k, v in ref["certification"].get("dates", {}).items() if v}
    window = pl.lit(True)
    if "publication" in dates and as_of < dates["publication"]:
        window = pl.lit(False)
    else:
        started = ev.group_by("candidate").agg(
            pl.col("day").min().alias("first_day"),
            pl.col("day").filter(pl.col("kind") == "path_start").min().alias("path_start"),
            (pl.col("kind") == "delivery_exception").any().alias("has_exception"))
        out = out.join(started, on="candidate", how="left")
        if "end_of_registration" in dates:
            end = np.datetime64(dates["end_of_registration"], "D")
            window = window & (pl.coalesce("path_start", "first_day") <= pl.lit(end)).fill_null(True)
        deadline = dates.get("last_delivery", dates.get("end_of_registration"))
        if deadline is not None and deadline < as_of:
            window = window & pl.col("has_exception").fill_null(False)
    checks.append(window)
    result = out.select("candidate", pl.all_horizontal(checks).alias("eligible")).sort("candidate")
    return pd.Series(result["eligible"].to_numpy(), index=pd.Index(result["candidate"].to_list()))


def certigraph_child(path: str, ref_path: str, as_of: str) -> None:
    """Run in a child: certigraph alone, its time and peak RSS as JSON on stdout."""
    import certigraph as cg

    ref = cg.Referentiel.load(ref_path)
    start = time.perf_counter()
    frame = cg.eligibility_table(ref, path, as_of, threads=1)
    seconds = time.perf_counter() - start
    frame[["candidate", "eligible"]].to_parquet(path + ".certigraph.parquet")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB -> MB
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "candidates": len(frame),
                      "eligible": int(frame["eligible"].sum())}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=pathlib.Path)
    parser.add_argument("--as-of", default="2026-07-01")
    parser.add_argument("--referentiel", type=pathlib.Path,
                        default=ROOT / "examples" / "referentiels" / "rncp40514.json")
    parser.add_argument("--peers", default="numpy,duckdb,polars,pandas")
    parser.add_argument("--duckdb-threads", type=int, default=1, help="DuckDB's threads (default 1, as certigraph)")
    parser.add_argument("--show-sql", action="store_true")
    parser.add_argument("--cpp", type=pathlib.Path,
                        help="bench_ledger: also run it (same N) for the columnar time from memory")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        certigraph_child(str(args.path), str(args.referentiel), args.as_of)
        return 0
    ref = json.loads(args.referentiel.read_text())
    if args.show_sql:
        print(duckdb_sql(str(args.path), ref, args.as_of))
    run = subprocess.run([sys.executable, __file__, str(args.path), "--as-of", args.as_of, "--referentiel",
                          str(args.referentiel), "--child"], capture_output=True, text=True, check=True)
    mine = json.loads(run.stdout.strip().splitlines()[-1])
    flags = pd.read_parquet(str(args.path) + ".certigraph.parquet")
    ours = pd.Series(flags["eligible"].to_numpy(dtype=bool), index=pd.Index(flags["candidate"]))
    print(f"certigraph eligibility_table(JSON lines): {mine['candidates']:,} candidates, {mine['eligible']:,} "
          f"eligible, {mine['seconds']:.2f} s, peak RSS {mine['peak_mb']:.0f} MB (child process)")
    cpp_seconds = cpp_cpu = 0.0
    if args.cpp:
        out = subprocess.run([str(args.cpp), "--candidates", str(mine["candidates"]), "--record-events", "0",
                              "--object-path", "0"], capture_output=True, text=True, check=True).stdout
        print(out, end="")
        columns = re.search(r"\(columns\): .* threads 1: best of 3 ([0-9.]+) s wall, ([0-9.]+) s CPU", out)
        cpp_seconds, cpp_cpu = float(columns.group(1)), float(columns.group(2))
    ok = True
    summary = []
    for peer in [p for p in args.peers.split(",") if p]:
        start = time.perf_counter()
        if peer == "duckdb":
            import duckdb
            theirs, rules_only, rules_cpu = duckdb_eligible(str(args.path), ref, args.as_of, args.duckdb_threads)
            version = f"{duckdb.__version__} ({args.duckdb_threads} thread{'s' if args.duckdb_threads > 1 else ''})"
            seconds = time.perf_counter() - start
            what = "query alone, events already in a DuckDB table"
        else:
            # Read once, then the rules alone on what was read, best of 3; the first
            # run counts in the total ("file included").
            if peer == "numpy":
                import numpy_eligibility as ne
                loaded, version = ne.load_arrays(args.path), np.__version__
                decide = lambda: pd.Series(*reversed(ne.eligibility_with_numpy(loaded, ref, args.as_of)))  # noqa: E731
                what = "rules alone, the events already in numpy arrays"
            elif peer == "polars":
                import polars
                loaded, version = polars_read(str(args.path)), polars.__version__
                decide = lambda: polars_eligible(loaded, ref, args.as_of)  # noqa: E731
                what = "rules alone, the events already in a Polars frame"
            elif peer == "pandas":
                import pandas_eligibility as pe
                loaded, version = pe.load_events(args.path), pd.__version__
                decide = lambda: pe.eligibility_with_pandas(loaded, ref, args.as_of)["eligible"]  # noqa: E731
                what = "rules alone, the events already in a pandas frame"
            else:
                raise SystemExit(f"unknown peer {peer}")
            read = time.perf_counter() - start
            rules_only = rules_cpu = float("inf")
            for _ in range(3):
                began, cpu = time.perf_counter(), time.process_time()
                theirs = decide()
                rules_only = min(rules_only, time.perf_counter() - began)
                rules_cpu = min(rules_cpu, time.process_time() - cpu)
                if _ == 0:
                    seconds = time.perf_counter() - start
            del loaded
            what += f" (reading them: {read:.2f} s)"
        print(f"{peer} {what}: {rules_only:.3f} s wall, {rules_cpu:.3f} s CPU of all its threads (best of 3)")
        if cpp_seconds:
            print(f"  certigraph eligibility_table on an EventTable in memory, 1 thread (bench_ledger): "
                  f"{cpp_seconds:.3f} s wall, {cpp_cpu:.3f} s CPU -> {peer} / certigraph = "
                  f"{rules_only / cpp_seconds:.1f}x wall, {rules_cpu / cpp_cpu:.1f}x CPU")
        index = ours.index.union(theirs.index)
        same = bool((ours.reindex(index) == theirs.reindex(index)).all())
        ok = ok and same
        print(f"{peer} {version}: {seconds:.2f} s (file included), {int(theirs.sum()):,} eligible, "
              f"equal to certigraph's: {same}; {peer}/certigraph = {seconds / mine['seconds']:.1f}x")
        summary.append((peer, rules_only, rules_cpu, seconds, same))
    if summary:
        print(f"summary (certigraph: in memory {cpp_seconds:.3f} s wall, {cpp_cpu:.3f} s CPU; "
              f"from the file {mine['seconds']:.2f} s):")
        for peer, rules_only, rules_cpu, seconds, same in summary:
            in_memory = (f"{rules_only / cpp_seconds:5.1f}x wall, {rules_cpu / cpp_cpu:5.1f}x CPU"
                         if cpp_seconds else "n/a")
            print(f"  {peer:7s} rules {rules_only:7.3f} s wall {rules_cpu:7.3f} s CPU ({in_memory} certigraph's)"
                  f"   with the file {seconds:6.2f} s ({seconds / mine['seconds']:4.1f}x)   equal: {same}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
