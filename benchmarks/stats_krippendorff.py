"""Krippendorff's alpha (interval) per criterion: certigraph against the PyPI
`krippendorff` package on the same data (benchmark-only dependency).

    python3 -m pip install krippendorff      # into the benchmark's virtualenv
    python3 benchmarks/stats_krippendorff.py [--rows 1000000] [--reference-criteria 3]

Draws a cohort of N candidates x 30 criteria x 2 jurors (0-20 by half points, ~2 %
missing), times certigraph.stats.cohort_agreement over the 30 criteria in one call
(numpy view, no copy), then krippendorff.alpha on the first few criteria (it takes
one raters x units table at a time), checks the values are equal and prints the
ratio per criterion.
"""
from __future__ import annotations

import argparse
import pathlib
import time

import numpy as np

import certigraph as cg
import certigraph.stats as st

ROOT = pathlib.Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--reference-criteria", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import krippendorff  # noqa: PLC0415 - benchmark-only dependency

    ref = cg.Referentiel.load(str(ROOT / "examples" / "referentiels" / "rncp40514.json"))
    rng = np.random.default_rng(11)
    n, c, j = args.rows, len(ref.criteria), 2
    level = rng.normal(11.5, 3.0, size=n)
    difficulty = rng.normal(0.0, 1.5, size=c)
    severity = rng.normal(0.0, 1.0, size=j)
    raw = level[:, None, None] - difficulty[None, :, None] - severity[None, None, :] + rng.normal(0, 1.5, (n, c, j))
    scores = (np.round(np.clip(raw, 0, 20) * 2) / 2).astype(np.float32)
    scores[rng.random(scores.shape) < 0.02] = np.nan
    cohort = cg.Cohort.from_array(ref, scores)

    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        ours = st.cohort_agreement(cohort, ref, by="criterion", metric="interval")
        times.append(time.perf_counter() - start)
    ours_time = min(times)
    print(f"certigraph: alpha of {c} criteria x {n:,} candidates x {j} jurors in {ours_time:.3f} s "
          f"(best of {args.repeat}; {ours_time / c * 1e3:.1f} ms per criterion)")

    ratios = []
    for k in range(args.reference_criteria):
        data = scores[:, k, :].T.astype(np.float64)  # raters x units, NaN = missing
        start = time.perf_counter()
        theirs = krippendorff.alpha(reliability_data=data, level_of_measurement="interval")
        elapsed = time.perf_counter() - start
        mine = ours["alpha"].iloc[k]
        ratios.append(elapsed / (ours_time / c))
        print(f"  {ours.index[k]}: krippendorff {theirs:.12f} in {elapsed:.3f} s; certigraph {mine:.12f}; "
              f"|difference| {abs(theirs - mine):.1e}; ratio {ratios[-1]:.0f}x")
        assert abs(theirs - mine) < 1e-9, "results differ"
    print(f"krippendorff package / certigraph per criterion: {min(ratios):.0f}x - {max(ratios):.0f}x")


if __name__ == "__main__":
    main()
