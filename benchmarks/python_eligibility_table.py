#!/usr/bin/env python3
"""cg.eligibility_table from a ledger file: time and peak RSS (docs/performance.md,
"Eligibility over typed columns").

    python3 benchmarks/python_eligibility_table.py LEDGER.sqlite [AS_OF]
"""
import resource, sys, time
import certigraph as cg
ref = cg.examples.referentiel()
start = time.perf_counter()
with cg.Ledger.open(sys.argv[1]) as ledger:
    table = cg.eligibility_table(ref, ledger, sys.argv[2] if len(sys.argv) > 2 else "2026-07-01", threads=1)
seconds = time.perf_counter() - start
print(f"cg.eligibility_table(ref, Ledger, ...): {len(table):,} candidates, {int(table.eligible.sum()):,} eligible, "
      f"{seconds:.2f} s, peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
