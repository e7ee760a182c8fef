#!/usr/bin/env python3
# mypy: allow-untyped-calls
# (dask.distributed's Client and LocalCluster are not annotated; the rest passes mypy --strict)
"""Grade a cohort split into partitions on a Dask cluster, and check that the result is
identical, bit for bit, to grading the whole cohort in one process.

    python3 examples/dask_cohort.py                      # 200,000 candidates, 8 partitions
    python3 examples/dask_cohort.py --rows 50000 --partitions 3

The script starts a local cluster of 2 worker processes (1 thread each, no dashboard),
ships the référentiel and the policy to the workers as JSON text, grades each partition
there with `cg.grade`, gathers the bloc statuses in partition order and compares them
with `cg.grade` on the whole cohort in this process. It prints the timings and
"identical: True", and exits with 0 when the results are identical, 1 otherwise.

Grading is a pure function of (référentiel, policy, rows): a row's result depends on
that row's values only, so partitions of candidates can be graded anywhere, in any
order, with no shared state. See docs/scaling.md.

`grade_with_dask` is the reusable part; a test can import it from this file and give it
any `dask.distributed.Client`.
"""
from __future__ import annotations

import argparse
import sys
import time
from typing import TYPE_CHECKING, List, Literal, Optional, Tuple, Union, overload

import numpy as np
import numpy.typing as npt

import certigraph as cg

if TYPE_CHECKING:
    from dask.distributed import Client

Statuses = npt.NDArray[np.uint8]
Values = npt.NDArray[np.float32]


def make_scores(rows: int, criteria: int = 30, jurors: int = 2, *, seed: int = 40514,
                missing: float = 0.02) -> Values:
    """A deterministic synthetic cohort: float32, C-contiguous, (rows, criteria, jurors).

    Additive model: candidate level ~ N(11.5, 3), criterion difficulty ~ N(0, 1.5), a
    severity per juror slot, noise ~ N(0, 1.2); half points clipped to 0-20, and a
    fraction `missing` of the slots left NaN (missing). Same seed, same bits.
    """
    rng = np.random.default_rng(seed)
    level = rng.normal(11.5, 3.0, size=rows).astype(np.float32)
    difficulty = rng.normal(0.0, 1.5, size=criteria).astype(np.float32)
    severity = rng.normal(0.0, 0.8, size=jurors).astype(np.float32)
    scores = rng.standard_normal(size=(rows, criteria, jurors), dtype=np.float32)
    scores *= np.float32(1.2)
    scores += level[:, None, None]
    scores -= difficulty[None, :, None]
    scores -= severity[None, None, :]
    scores *= 2
    np.round(scores, out=scores)
    scores /= 2
    np.clip(scores, 0, 20, out=scores)
    scores[rng.random(size=scores.shape, dtype=np.float32) < missing] = np.nan
    return scores


@overload
def grade_with_dask(ref_json: str, policy_json: str, scores: Values, partitions: int, client: Client, *,
                    values: Literal[False] = False) -> Statuses: ...
@overload
def grade_with_dask(ref_json: str, policy_json: str, scores: Values, partitions: int, client: Client, *,
                    values: Literal[True]) -> Tuple[Statuses, Values]: ...
def grade_with_dask(ref_json: str, policy_json: str, scores: Values, partitions: int, client: Client, *,
                    values: bool = False) -> Union[Statuses, Tuple[Statuses, Values]]:
    """Bloc statuses of `scores` graded partition by partition on the cluster of `client`.

    Parameters
    ----------
    ref_json, policy_json : str
        The référentiel and the policy as JSON text (`Referentiel.to_json()`,
        `Policy.to_json()`); every worker parses the same text.
    scores : numpy.ndarray
        float32, C-contiguous, (candidates, criteria, jurors), as for `Cohort.from_array`.
    partitions : int
        Number of contiguous row ranges (numpy.array_split); each is one task.
    client : dask.distributed.Client
    values : bool
        Also return the aggregated criterion values, for a bit-for-bit check.

    Returns
    -------
    numpy.ndarray
        (candidates, blocs) uint8 Status codes, rows in the order of `scores`; with
        ``values=True``, a tuple (bloc statuses, (candidates, criteria) float32 values).
    """
    if scores.dtype != np.float32 or scores.ndim != 3 or not scores.flags.c_contiguous:
        raise ValueError("scores must be a C-contiguous float32 array (candidates, criteria, jurors)")
    if not 1 <= partitions <= max(1, len(scores)):
        raise ValueError(f"partitions must be from 1 to the number of rows ({len(scores)}), got {partitions}")

    # A local function is pickled by value, so the workers need not import this file.
    def grade_partition(ref_text: str, policy_text: str, part: Values) -> Union[Statuses, Tuple[Statuses, Values]]:
        ref = cg.Referentiel.from_json(ref_text, "référentiel")
        policy = cg.Policy.from_json(policy_text, "policy")
        # The partition arrives as a float32 C-contiguous array, but a buffer unpickled
        # by the worker may be unaligned, which Cohort.from_array refuses: np.require
        # copies only in that case.
        part = np.require(part, dtype=np.float32, requirements=["C", "A"])
        result = cg.grade(ref, policy, cg.Cohort.from_array(ref, part), threads=1, details=values)
        # Copies: the views would keep the whole Result alive.
        statuses = np.array(result.bloc_status)
        if values and result.criterion_values is not None:
            return statuses, np.array(result.criterion_values)
        return statuses

    parts = np.array_split(scores, partitions, axis=0)  # contiguous row ranges, views (no copy)
    # hash=False: fresh keys on every call. With content-hashed keys, a second call with
    # the same référentiel can race with the release of the first call's keys.
    ref_future, policy_future = client.scatter([ref_json, policy_json], broadcast=True, hash=False)
    part_futures = client.scatter(parts, hash=False)
    futures = client.map(grade_partition, [ref_future] * partitions, [policy_future] * partitions, part_futures,
                         pure=False)
    results = client.gather(futures)  # in partition order
    if values:
        return (np.concatenate([r[0] for r in results]), np.concatenate([r[1] for r in results]))
    return np.concatenate(results)


def same_bits(a: Values, b: Values) -> bool:
    """True when two float32 arrays hold the same bits (NaN included)."""
    return a.shape == b.shape and np.array_equal(a.view(np.uint32), b.view(np.uint32))


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=200_000, help="candidates (default 200,000)")
    parser.add_argument("--partitions", type=int, default=8, help="partitions (default 8)")
    parser.add_argument("--seed", type=int, default=40514, help="seed of the synthetic cohort")
    args = parser.parse_args(argv)
    if args.rows < 1 or not 1 <= args.partitions <= args.rows:
        parser.error("--rows must be at least 1 and --partitions from 1 to --rows")

    from dask.distributed import Client, LocalCluster

    ref = cg.examples.referentiel()
    policy = cg.examples.policy()
    ref_json, policy_json = ref.to_json(), policy.to_json()

    clock = time.perf_counter()
    scores = make_scores(args.rows, len(ref.criteria), seed=args.seed)
    made = time.perf_counter() - clock
    print(f"cohort: {args.rows:,} candidates x {scores.shape[1]} criteria x {scores.shape[2]} jurors, "
          f"float32, {scores.nbytes / 1e6:.0f} MB, made in {made:.2f} s")

    clock = time.perf_counter()
    single = cg.grade(ref, policy, cg.Cohort.from_array(ref, scores))
    single_status, single_values = np.array(single.bloc_status), np.array(single.criterion_values)
    one_process = time.perf_counter() - clock
    print(f"one process, cg.grade: {one_process:.3f} s")

    clock = time.perf_counter()
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        started = time.perf_counter() - clock
        print(f"local cluster: 2 worker processes x 1 thread, started in {started:.2f} s")
        # Every worker must run the same engine (and get the same référentiel and policy text).
        versions = set(client.run(lambda: cg.__version__).values())
        if versions != {cg.__version__}:
            print(f"workers run certigraph {sorted(versions)}, this process {cg.__version__}")
            return 1
        clock = time.perf_counter()
        status, values = grade_with_dask(ref_json, policy_json, scores, args.partitions, client, values=True)
        on_dask = time.perf_counter() - clock
        print(f"dask, {args.partitions} partitions (scatter, grade, gather): {on_dask:.3f} s")
        clock = time.perf_counter()
    closed = time.perf_counter() - clock
    print(f"cluster closed in {closed:.2f} s")

    counts = {s.label: int((status == s).sum()) for s in cg.Status}
    print("bloc statuses:", ", ".join(f"{n:,} {label}" for label, n in counts.items()))
    statuses_equal = np.array_equal(status, single_status)
    values_equal = same_bits(values, single_values)
    print(f"bloc statuses equal (np.array_equal): {statuses_equal}")
    print(f"criterion values equal bit for bit: {values_equal}")
    identical = statuses_equal and values_equal
    print(f"identical: {identical}")
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
