#!/usr/bin/env python3
"""The default RNCP40514 policy written the pandas way, on the cohort bench_grade
wrote, with its results checked equal to certigraph's and the speed ratio printed.

    build-release/benchmarks/bench_grade --write-npy /tmp/cg-bench
    python3 benchmarks/pandas_grade.py /tmp/cg-bench

The pandas way is what a notebook does: a long table (candidate, criterion, juror,
value), a groupby for the juror mean, a comparison with the pass mark, and a
groupby for the bloc. Statuses: 1 validated, 2 not validated, 0 incomplete
(certigraph's Status codes). Missing values stay NaN and make a criterion
incomplete, exactly as in certigraph.
"""
import json
import pathlib
import sys
import time

import numpy as np
import pandas as pd


def grade_with_pandas(values: np.ndarray, bloc_of_criterion: np.ndarray) -> tuple[np.ndarray, dict]:
    rows, criteria, jurors = values.shape
    timings = {}
    start = time.perf_counter()
    long = pd.DataFrame({
        "candidate": np.repeat(np.arange(rows, dtype=np.int32), criteria * jurors),
        "criterion": np.tile(np.repeat(np.arange(criteria, dtype=np.int16), jurors), rows),
        "value": values.reshape(-1),
    })
    timings["build long table"] = time.perf_counter() - start

    start = time.perf_counter()
    # Juror mean per criterion (NaN when no juror gave a value).
    crit = long.groupby(["candidate", "criterion"], sort=True)["value"].mean().reset_index()
    # Three-valued criterion outcome as a rank: 0 met, 1 unknown, 2 not met.
    crit["rank"] = np.where(crit["value"].isna(), 1, np.where(crit["value"] >= 10.0, 0, 2))
    crit["bloc"] = bloc_of_criterion[crit["criterion"].to_numpy()]
    # Competency = all its criteria, bloc = all its competencies: the worst rank.
    bloc = crit.groupby(["candidate", "bloc"], sort=True)["rank"].max().reset_index()
    status = np.select([bloc["rank"] == 0, bloc["rank"] == 1], [1, 0], default=2).astype(np.uint8)
    timings["grade"] = time.perf_counter() - start
    return status.reshape(rows, -1), timings


def main() -> int:
    folder = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/cg-bench")
    values = np.load(folder / "values.npy")
    expected = np.load(folder / "bloc_status.npy")
    bloc_of_criterion = np.load(folder / "bloc_of_criterion.npy")
    cpp = json.loads((folder / "timings.json").read_text())

    status, timings = grade_with_pandas(values, bloc_of_criterion)
    equal = np.array_equal(status, expected)
    total = sum(timings.values())
    print(f"pandas {pd.__version__}, numpy {np.__version__}: {values.shape[0]:,} candidates x "
          f"{values.shape[1]} criteria x {values.shape[2]} jurors")
    for step, seconds in timings.items():
        print(f"  {step:18s} {seconds:8.3f} s")
    print(f"  {'total':18s} {total:8.3f} s")
    print(f"results equal to certigraph's: {equal}")
    print(f"certigraph, 1 core: {cpp['grade_seconds_1_core'] * 1e3:.1f} ms -> "
          f"{timings['grade'] / cpp['grade_seconds_1_core']:.0f}x faster than the pandas grading step, "
          f"{total / cpp['grade_seconds_1_core']:.0f}x faster than pandas in all")
    return 0 if equal else 1


if __name__ == "__main__":
    sys.exit(main())
