#!/usr/bin/env python3
"""Reading the evaluations CSV that bench_evaluations wrote, in one run: certigraph from
Python (a path, and an open binary file), pandas' C engine and pyarrow engine, against
the C++ reader's time on the same file.

    build-release/benchmarks/bench_evaluations --file /tmp/cg-evaluations.csv
    python3 benchmarks/pandas_read_csv.py /tmp/cg-evaluations.csv \
        --cpp build-release/benchmarks/bench_evaluations

With --cpp, the C++ benchmark is run again on the same file (--reuse 1) before and
after the Python readers, and the best of its times is the C++ figure: on a busy
machine, only figures of one run compare.

pandas only tokenises and types the columns (default options); certigraph also
validates every code and value against the référentiel and policy and builds the
dense cohort. Best of 6 for certigraph (and for the C++ reader with --cpp: 3 runs
before the Python readers, 3 after), best of 3 for pandas; the file is in the page
cache (read once before).
"""
import argparse
import json
import pathlib
import resource
import subprocess
import sys
import time

import pandas as pd

try:
    import certigraph as cg
except ImportError:  # pandas alone still runs
    cg = None

ROOT = pathlib.Path(__file__).resolve().parents[1]


def best_of(repeat, f, cpu=None):
    """Best wall time of `repeat` calls; with a dict `cpu`, its "seconds" is set to the best
    CPU time of the process (all threads), the steadier figure on a busy machine, and its
    "faults" to the fewest minor page faults of a call (fresh memory touched)."""
    best = best_cpu = float("inf")
    fewest_faults = None
    for _ in range(repeat):
        faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        start, start_cpu = time.perf_counter(), time.process_time()
        result = f()
        best = min(best, time.perf_counter() - start)  # freeing the result is not timed (nor in C++)
        best_cpu = min(best_cpu, time.process_time() - start_cpu)
        faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults
        fewest_faults = faults if fewest_faults is None else min(fewest_faults, faults)
        del result
    if cpu is not None:
        cpu["seconds"] = best_cpu
        cpu["faults"] = fewest_faults
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", default="/tmp/cg-evaluations.csv")
    parser.add_argument("--cpp", help="bench_evaluations, to time the C++ reader in this run")
    args = parser.parse_args()
    path = pathlib.Path(args.file)
    path.read_bytes()  # into the page cache

    def cpp_seconds() -> dict:
        if args.cpp:
            subprocess.run([args.cpp, "--file", str(path), "--reuse", "1", "--repeat", "3"], check=True,
                           stdout=subprocess.DEVNULL)
        return json.loads(pathlib.Path(str(path) + ".timings.json").read_text())

    cpp = cpp_seconds()
    mb = cpp["bytes"] / 1e6
    print(f"file: {path}, {mb:.1f} MB; C++ io::read_evaluations from memory (bench_evaluations): "
          f"{cpp['certigraph_seconds']:.3f} s ({mb / cpp['certigraph_seconds']:.0f} MB/s)")
    timings, cpu_timings, fault_counts = {}, {}, {}
    if cg is not None:
        ref = cg.Referentiel.load(ROOT / "examples" / "referentiels" / "rncp40514.json")
        policy = cg.Policy.load(ROOT / "examples" / "policies" / "rncp40514-default.json")

        def from_file():
            with open(path, "rb") as handle:
                return cg.read_evaluations(ref, handle, policy=policy)

        for name, f in (("cg.read_evaluations(ref, path)", lambda: cg.read_evaluations(ref, path, policy=policy)),
                        ("cg.read_evaluations(ref, open(path, 'rb'))", from_file)):
            cpu = {}
            timings[name] = best_of(6, f, cpu)  # as many runs as the C++ figure's best (3 before, 3 after)
            cpu_timings[name] = cpu["seconds"]
            fault_counts[name] = cpu["faults"]
            print(f"certigraph {cg.__version__} {name}: {timings[name]:.3f} s ({mb / timings[name]:.0f} MB/s) = "
                  f"{timings[name] / cpp['certigraph_seconds']:.2f}x the C++ time")
    if args.cpp:  # again after the Python readers: the best of both C++ runs
        again = cpp_seconds()
        for key in ("certigraph_seconds", "certigraph_file_seconds", "certigraph_cpu_seconds",
                    "certigraph_file_cpu_seconds", "certigraph_faults", "certigraph_file_faults"):
            if key in again:
                cpp[key] = min(cpp.get(key, again[key]), again[key])
        print(f"C++, best of the runs before and after: io::read_evaluations from memory "
              f"{cpp['certigraph_seconds']:.3f} s, io::load_evaluations from the path "
              f"{cpp.get('certigraph_file_seconds', float('nan')):.3f} s")
        for name, t in timings.items():
            print(f"  {name}: {t / cpp['certigraph_seconds']:.2f}x the C++ time from memory, "
                  f"{t / cpp.get('certigraph_file_seconds', float('nan')):.2f}x from the path")
        if "certigraph_file_cpu_seconds" in cpp:
            print(f"CPU time (all threads, best): C++ from memory {cpp['certigraph_cpu_seconds']:.3f} s, "
                  f"from the path {cpp['certigraph_file_cpu_seconds']:.3f} s")
            for name, t in cpu_timings.items():
                print(f"  {name}: {t:.3f} s = {t / cpp['certigraph_cpu_seconds']:.2f}x the C++ CPU time from memory, "
                      f"{t / cpp['certigraph_file_cpu_seconds']:.2f}x from the path")
        if "certigraph_file_faults" in cpp:
            print(f"minor page faults per read (fewest): C++ from memory {cpp['certigraph_faults']:,}, "
                  f"from the path {cpp['certigraph_file_faults']:,}; "
                  + "; ".join(f"{name} {n:,}" for name, n in fault_counts.items()))
    engines = ["c"]
    try:
        import pyarrow  # noqa: F401
        engines.append("pyarrow")
    except ImportError:
        pass
    for engine in engines:
        seconds = best_of(3, lambda: pd.read_csv(path, engine=engine))
        line = f"pandas {pd.__version__} read_csv (engine={engine}): {seconds:.3f} s ({mb / seconds:.0f} MB/s)"
        for name, t in timings.items():
            line += f"; {name.split('(')[1].split(',')[1].strip(' )')}: {seconds / t:.1f}x faster"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
