#!/usr/bin/env python3
"""Default grading of one cohort by certigraph and its peers, in one run, on the same
numpy array: certigraph (cg.grade), numpy by hand, pandas, Polars and DuckDB. Every
peer's bloc statuses are checked equal to certigraph's; times are best of --repeat,
with the ratio to one read of the same bytes and to certigraph on as many threads.

    build-release/benchmarks/bench_grade --write-npy /tmp/cg-bench   # the C++ cohort
    python benchmarks/peers_grade.py /tmp/cg-bench
    python benchmarks/peers_grade.py --smoke                          # tiny, for CI

Without a folder the cohort is generated here (same model as bench_grade, other
draws). Polars and DuckDB are benchmark-only dependencies (pip install polars duckdb);
a missing one is reported and skipped. The policy is RNCP40514's default: criterion
met when the mean of the jurors' values is >= 10, unknown without any value, bloc =
all competencies = all criteria. Status codes: 1 validated, 2 not validated,
0 incomplete.

The array is numpy's (numpy asks the kernel for transparent huge pages on large
arrays with madvise); the read is timed on that same array, and the page sizes it
got are printed.
"""
import argparse
import json
import os
import pathlib
import platform
import sys
import time

import numpy as np

import certigraph as cg

ROOT = pathlib.Path(__file__).resolve().parents[1]
THRESHOLD = 10.0


def generate(rows: int, criteria: int, jurors: int, seed: int = 40514) -> np.ndarray:
    rng = np.random.default_rng(seed)
    level = rng.normal(11.5, 3.0, (rows, 1, 1))
    difficulty = rng.normal(0.0, 1.5, (1, criteria, 1))
    severity = rng.normal(0.0, 1.0, (1, 1, jurors))
    v = level - difficulty - severity + rng.normal(0.0, 1.5, (rows, criteria, jurors))
    v = (np.round(np.clip(v, 0.0, 20.0) * 2.0) / 2.0).astype(np.float32)
    v[rng.random((rows, criteria, jurors)) < 0.02] = np.nan
    return v


def best_of(repeat: int, f):
    best, out = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        out = f()
        best = min(best, time.perf_counter() - start)
    return best, out


def read_once(values: np.ndarray) -> int:
    """Every byte once: a wrapping sum of the 64-bit words."""
    return int(np.add.reduce(values.reshape(-1).view(np.uint64)))


def huge_page_share(values: np.ndarray) -> str:
    """How much of the array's memory the kernel backs with 2 MB pages (Linux): the
    mappings it overlaps (numpy's madvise splits the first one off)."""
    try:
        start = values.__array_interface__["data"][0]
        text = pathlib.Path("/proc/self/smaps").read_text()
    except OSError:
        return "page size unknown"
    end = start + values.nbytes
    size = huge = 0
    inside = False
    for line in text.splitlines():
        head = line.split()
        if "-" in head[0] and not head[0].endswith(":"):
            lo, hi = (int(x, 16) for x in head[0].split("-"))
            inside = lo < end and start < hi
        elif inside and head[0] == "Size:":
            size += int(head[1])
        elif inside and head[0] == "AnonHugePages:":
            huge += int(head[1])
    return f"{huge / size:.0%} of its {size / 1024:.0f} MiB in 2 MB pages" if size else "page size unknown"


def rank_to_status(rank: np.ndarray) -> np.ndarray:
    """rank 0 met -> 1 validated, 1 unknown -> 0 incomplete, 2 not met -> 2."""
    return np.array([1, 0, 2], dtype=np.uint8)[rank]


def numpy_by_hand(values: np.ndarray, bloc_of: np.ndarray, blocs: int) -> np.ndarray:
    """Whole-array operations, one juror slot at a time (numpy reduces a short last
    axis slowly), uint8 ranks, and one maximum.reduceat over the criteria in bloc order."""
    rows, criteria, jurors = values.shape
    total = np.zeros((rows, criteria), dtype=np.float32)
    count = np.zeros((rows, criteria), dtype=np.uint8)
    for j in range(jurors):
        v = values[:, :, j]
        present = v == v
        total += np.where(present, v, np.float32(0))
        count += present
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / count
    rank = (mean < THRESHOLD).astype(np.uint8) * np.uint8(2)  # 2 not met, 0 met
    rank[count == 0] = 1                                      # unknown
    order = np.argsort(bloc_of, kind="stable")
    starts = np.searchsorted(bloc_of[order], np.arange(blocs))
    return rank_to_status(np.maximum.reduceat(rank[:, order], starts, axis=1))


def pandas_long(values: np.ndarray, bloc_of: np.ndarray, blocs: int) -> np.ndarray:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from pandas_grade import grade_with_pandas
    status, _ = grade_with_pandas(values, bloc_of)
    return status


def polars_frame(values: np.ndarray):
    import polars as pl
    rows, criteria, jurors = values.shape
    names = [f"k{k}_{j}" for k in range(criteria) for j in range(jurors)]
    return pl.from_numpy(values.reshape(rows, criteria * jurors), schema=names, orient="row")


def polars_grade(frame, criteria: int, jurors: int, bloc_of: np.ndarray, blocs: int) -> np.ndarray:
    import polars as pl
    ranks = []
    for k in range(criteria):
        cols = [pl.col(f"k{k}_{j}") for j in range(jurors)]
        count = pl.sum_horizontal([c.is_not_nan().cast(pl.Int8) for c in cols])
        total = pl.sum_horizontal([pl.when(c.is_nan()).then(0.0).otherwise(c) for c in cols])
        ranks.append(pl.when(count == 0).then(1).when(total / count >= THRESHOLD).then(0).otherwise(2).alias(f"r{k}"))
    bloc_cols = [pl.max_horizontal([pl.col(f"r{k}") for k in range(criteria) if bloc_of[k] == b]).alias(f"b{b}")
                 for b in range(blocs)]
    out = frame.lazy().select(ranks).select(bloc_cols).collect()
    return rank_to_status(out.to_numpy().astype(np.uint8))


def duckdb_grade(con, criteria: int, jurors: int, bloc_of: np.ndarray, blocs: int) -> np.ndarray:
    ranks = []
    for k in range(criteria):
        cols = [f"k{k}_{j}" for j in range(jurors)]
        count = " + ".join(f"(NOT isnan({c}))::INTEGER" for c in cols)
        total = " + ".join(f"(CASE WHEN isnan({c}) THEN 0 ELSE {c} END)" for c in cols)
        ranks.append(f"CASE WHEN ({count}) = 0 THEN 1 WHEN ({total}) / ({count}) >= {THRESHOLD} THEN 0 ELSE 2 END"
                     f" AS r{k}")
    blocs_sql = ", ".join("greatest(" + ", ".join(f"r{k}" for k in range(criteria) if bloc_of[k] == b) + ")"
                          for b in range(blocs))
    sql = f"SELECT {blocs_sql} FROM (SELECT {', '.join(ranks)} FROM cohort)"
    out = con.execute(sql).fetchnumpy()
    return rank_to_status(np.column_stack([np.asarray(v) for v in out.values()]).astype(np.uint8))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", help="a bench_grade --write-npy folder (else generated)")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--smoke", action="store_true", help="2,000 rows, one repeat: checks, no figures")
    parser.add_argument("--no-pandas", action="store_true", help="skip pandas (seconds per million rows)")
    args = parser.parse_args()
    if args.smoke:
        args.rows, args.repeat, args.folder = 2000, 1, None

    ref = cg.Referentiel.load(str(ROOT / "examples" / "referentiels" / "rncp40514.json"))
    policy = cg.Policy.load(str(ROOT / "examples" / "policies" / "rncp40514-default.json"))
    if args.folder:
        values = np.load(pathlib.Path(args.folder) / "values.npy")
        bloc_of = np.load(pathlib.Path(args.folder) / "bloc_of_criterion.npy")
    else:
        values = generate(args.rows, len(ref.criteria), 2)
        bloc_codes = [b.code for b in ref.blocs]
        bloc_of = np.array([bloc_codes.index(ref.bloc_of(c.code)) for c in ref.criteria], dtype=np.int32)
    rows, criteria, jurors = values.shape
    cohort = cg.Cohort.from_array(ref, values)
    blocs = len(ref.blocs)

    cores = os.cpu_count()
    print(f"cohort: {rows:,} x {criteria} criteria x {jurors} jurors, float32, {values.nbytes / 1e6:.0f} MB "
          f"({huge_page_share(values)}); {platform.processor() or platform.machine()}, {cores} cores, "
          f"load {os.getloadavg()[0]:.2f}")
    t_read, _ = best_of(args.repeat, lambda: read_once(values))
    results = {}

    def report(name, seconds, status, base=None):
        equal = status is None or np.array_equal(status, results["certigraph"][1])
        vs = f", {seconds / base[0]:6.1f}x certigraph on {base[1]}" if base else ""
        print(f"  {name:46s} {seconds * 1e3:9.1f} ms  {seconds / t_read:6.2f}x the read{vs}"
              f"{'' if equal else '  RESULTS DIFFER'}")
        return equal

    print(f"  {'read the bytes once (numpy, 1 core)':46s} {t_read * 1e3:9.1f} ms  {values.nbytes / t_read / 1e9:.1f} GB/s")
    t_default, default = best_of(args.repeat, lambda: cg.grade(ref, policy, cohort, threads=1))
    results["certigraph"] = (t_default, np.asarray(default.bloc_status))
    ok = report("cg.grade, defaults (details on access), 1 thread", t_default, None)
    t_bare, bare = best_of(args.repeat, lambda: cg.grade(ref, policy, cohort, threads=1, details=False))
    ok &= report("cg.grade, details=False, 1 thread", t_bare, np.asarray(bare.bloc_status))
    t_all, every = best_of(args.repeat, lambda: cg.grade(ref, policy, cohort, threads=cores))
    ok &= report(f"cg.grade, defaults, {cores} threads ({t_default / t_all:.2f}x 1 thread)", t_all,
                 np.asarray(every.bloc_status))
    t_eager, eager = best_of(args.repeat, lambda: cg.grade(ref, policy, cohort, threads=1).criterion_status)
    report("cg.grade + first access to details, 1 thread", t_eager, None)

    # Each peer against certigraph on as many threads: numpy and pandas on one core,
    # Polars and DuckDB on all of them (their defaults).
    one_core, all_cores = (t_default, "1 thread"), (t_all, f"{cores} threads")
    t, s = best_of(args.repeat, lambda: numpy_by_hand(values, bloc_of, blocs))
    ok &= report(f"numpy {np.__version__} by hand (1 core)", t, s, one_core)
    try:
        import polars as pl
        t_frame, frame = best_of(1, lambda: polars_frame(values))
        t, s = best_of(args.repeat, lambda: polars_grade(frame, criteria, jurors, bloc_of, blocs))
        ok &= report(f"Polars {pl.__version__} ({pl.thread_pool_size()} threads; frame {t_frame * 1e3:.0f} ms)",
                     t, s, all_cores)
        try:
            import duckdb
            con = duckdb.connect()
            arrow = frame.to_arrow()
            con.register("cohort", arrow)
            threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
            t, s = best_of(args.repeat, lambda: duckdb_grade(con, criteria, jurors, bloc_of, blocs))
            ok &= report(f"DuckDB {duckdb.__version__} ({threads} threads, Arrow table)", t, s, all_cores)
        except ImportError:
            print("  DuckDB: not installed (pip install duckdb), skipped")
    except ImportError:
        print("  Polars (and DuckDB on its Arrow table): not installed (pip install polars duckdb), skipped")
    if not args.no_pandas:
        import pandas as pd
        t, s = best_of(1 if rows > 100_000 else args.repeat, lambda: pandas_long(values, bloc_of, blocs))
        ok &= report(f"pandas {pd.__version__} long table + groupby (1 run)", t, s, one_core)
    print(f"all results equal to certigraph's: {ok}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
