#!/usr/bin/env python3
"""cg.grade from Python on the same cohort as bench_grade, against its C++ time.

    build-release/benchmarks/bench_grade --write-npy /tmp/cg-bench
    python3 benchmarks/bench_python.py /tmp/cg-bench

The values are loaded from values.npy and wrapped without a copy
(Cohort.from_array); cg.grade compiles the policy and grades with the GIL
released. Best of 5, one thread, bloc statuses only (as the C++ figure).
"""
import json
import pathlib
import sys
import time

import numpy as np

import certigraph as cg

ROOT = pathlib.Path(__file__).resolve().parents[1]


def main() -> int:
    folder = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/cg-bench")
    cpp = json.loads((folder / "timings.json").read_text())
    values = np.load(folder / "values.npy")
    expected = np.load(folder / "bloc_status.npy")
    ref = cg.Referentiel.load(str(ROOT / "examples" / "referentiels" / "rncp40514.json"))
    policy = cg.Policy.load(str(ROOT / "examples" / "policies" / "rncp40514-default.json"))
    cohort = cg.Cohort.from_array(ref, values)
    assert np.shares_memory(cohort.values, values)
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        result = cg.grade(ref, policy, cohort, threads=1, details=False)
        best = min(best, time.perf_counter() - start)
    equal = np.array_equal(result.bloc_status, expected)
    ratio = best / cpp["grade_seconds_1_core"]
    print(f"cg.grade, 1 thread: {best * 1e3:.1f} ms; C++ bench_grade: {cpp['grade_seconds_1_core'] * 1e3:.1f} ms "
          f"-> {ratio:.2f}x the C++ time; results equal: {equal}")
    return 0 if equal else 1


if __name__ == "__main__":
    sys.exit(main())
