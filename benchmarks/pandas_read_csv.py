#!/usr/bin/env python3
"""pandas.read_csv on the file bench_evaluations wrote, against certigraph's reader.

    build-release/benchmarks/bench_evaluations --file /tmp/cg-evaluations.csv
    python3 benchmarks/pandas_read_csv.py /tmp/cg-evaluations.csv

pandas only tokenises and types the columns (the C engine, default options, and
the pyarrow engine when installed); certigraph also validates every code and value
against the référentiel and policy and builds the dense cohort.
"""
import json
import pathlib
import sys
import time

import pandas as pd


def best_of(repeat, f):
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        f()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    path = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/cg-evaluations.csv")
    cpp = json.loads(pathlib.Path(str(path) + ".timings.json").read_text())
    mb = cpp["bytes"] / 1e6
    print(f"file: {path}, {mb:.1f} MB; certigraph: {cpp['certigraph_seconds']:.3f} s "
          f"({mb / cpp['certigraph_seconds']:.0f} MB/s)")
    engines = ["c"]
    try:
        import pyarrow  # noqa: F401
        engines.append("pyarrow")
    except ImportError:
        pass
    for engine in engines:
        seconds = best_of(3, lambda: pd.read_csv(path, engine=engine))
        print(f"pandas {pd.__version__} read_csv (engine={engine}): {seconds:.3f} s ({mb / seconds:.0f} MB/s) -> "
              f"certigraph is {seconds / cpp['certigraph_seconds']:.1f}x faster")
    return 0


if __name__ == "__main__":
    sys.exit(main())
