"""Grading from Python (pairs with bindings/src/register_grading.cpp)."""
from __future__ import annotations

import pickle
import threading

import numpy as np
import pandas as pd
import pytest

import certigraph as cg
from conftest import EXAMPLES, synthetic_scores

EXPECTED_SAMPLE = {  # the designed candidates of examples/cohorts/make_sample.py
    "C001": ["validated"] * 4,
    "C002": ["validated", "not_validated", "validated", "validated"],
    "C003": ["validated"] * 4,
    "C004": ["validated", "validated", "not_validated", "validated"],
    "C005": ["validated"] * 4,
    "C006": ["validated", "validated", "validated", "incomplete"],
    "C007": ["not_validated", "not_validated", "validated", "not_validated"],
    "C008": ["validated"] * 4,
}


def test_sample_cohort_grades_as_designed(ref, policy, sample):
    result = cg.grade(ref, policy, sample)
    assert result.bloc_status.dtype == np.uint8
    assert result.bloc_status.shape == (8, 4)
    frame = result.to_frame()
    assert list(frame.columns) == ["candidate", "session", "bloc", "status"]
    got = frame.groupby("candidate", sort=True)["status"].apply(list).to_dict()
    assert got == EXPECTED_SAMPLE
    assert cg.Status(result.bloc_status[1, 1]) is cg.Status.NOT_VALIDATED


def test_explain_tells_why(ref, policy, sample):
    result = cg.grade(ref, policy, sample)
    bloc2 = result.explain("C002")[1]
    assert (bloc2["code"], bloc2["status"], bloc2["rule"]) == ("RNCP40514BC02", "not_validated", "all")
    a2c3 = next(c for c in bloc2["children"] if c["code"] == "A2C3")
    a2e3 = a2c3["children"][0]
    assert a2e3["status"] == "not_validated"
    assert a2e3["value"] == pytest.approx(7.8, abs=1e-5)
    assert a2e3["margin"] == pytest.approx(-2.2, abs=1e-5)
    assert a2e3["jurors"] == pytest.approx([7.2, 8.4])
    bloc4 = result.explain("C006")[3]
    assert bloc4["status"] == "incomplete"
    assert bloc4["children"][0]["children"][0]["note"].startswith("missing")
    with pytest.raises(cg.NotFoundError):
        result.explain("C999")


def test_from_array_does_not_copy(ref, policy):
    scores = synthetic_scores(1000)
    cohort = cg.Cohort.from_array(ref, scores, candidates=[f"X{i}" for i in range(1000)])
    assert np.shares_memory(cohort.values, scores)
    assert cohort.values.base is not None and not cohort.values.flags.writeable
    result = cg.grade(ref, policy, cohort)
    first, second = result.bloc_status, result.bloc_status
    assert first.base is not None and not first.flags.writeable
    assert np.shares_memory(first, second)  # each access is a view of the result, not a copy
    assert result.candidates[3] == "X3"
    # What would need a copy is refused, not copied silently.
    with pytest.raises(ValueError, match="float32"):
        cg.Cohort.from_array(ref, scores.astype(np.float64))
    with pytest.raises(ValueError, match="C-contiguous"):
        cg.Cohort.from_array(ref, np.asfortranarray(scores))
    with pytest.raises(ValueError, match="30 criteria|criteria"):
        cg.Cohort.from_array(ref, scores[:, :10, :].copy())


def test_the_array_outlives_python_references(ref, policy):
    scores = synthetic_scores(300)
    expected = cg.grade(ref, policy, cg.Cohort.from_array(ref, scores.copy())).bloc_status.copy()
    cohort = cg.Cohort.from_array(ref, scores)
    del scores  # the cohort keeps the array alive
    assert np.array_equal(cg.grade(ref, policy, cohort).bloc_status, expected)


def test_marks_absent_and_exempt(ref, policy):
    scores = np.full((1, 30, 2), 12.0, dtype=np.float32)
    marks = np.zeros_like(scores, dtype=np.uint8)
    marks[0, 0, :] = cg.Mark.ABSENT
    result = cg.grade(ref, policy, cg.Cohort.from_array(ref, scores, marks=marks))
    assert list(result.bloc_status[0]) == [cg.Status.NOT_VALIDATED, cg.Status.VALIDATED,
                                           cg.Status.VALIDATED, cg.Status.VALIDATED]


def test_from_frame_matches_the_csv_reader(ref, policy, sample):
    frame = pd.read_csv(EXAMPLES / "cohorts" / "rncp40514-sample.csv", dtype=str, keep_default_na=False)
    cohort = cg.Cohort.from_frame(ref, frame, policy=policy)
    assert cohort.candidates == sample.candidates
    assert np.array_equal(cohort.values, sample.values, equal_nan=True)
    bad = frame.copy()
    bad.loc[5, "value"] = "21"
    with pytest.raises(cg.InvalidInputError, match=r"<frame>:7:\d+"):
        cg.Cohort.from_frame(ref, bad, policy=policy)


def test_details_values_and_frames(ref, policy):
    cohort = cg.Cohort.from_array(ref, synthetic_scores(50))
    result = cg.grade(ref, policy, cohort, details=True)
    values = result.to_frame(values=True)
    assert len(values) == 50 * 30
    assert set(values["status"]) <= {"validated", "not_validated", "incomplete"}
    means = np.nanmean(cohort.values, axis=2)
    assert np.allclose(result.criterion_values, means, equal_nan=True)
    assert cg.grade(ref, policy, cohort, details=False).criterion_values is None


def test_sensitivity_is_monotone(ref, policy):
    cohort = cg.Cohort.from_array(ref, synthetic_scores(2000))
    table = cg.sensitivity(ref, policy, cohort, code="RNCP40514BC02", start=8, stop=14, step=0.5)
    assert list(table["threshold"]) == [8 + 0.5 * i for i in range(13)]
    assert table["validated"].is_monotonic_decreasing
    assert table.loc[table["threshold"] == 10, "changed"].item() == 0


def test_incremental_regrade(ref, policy):
    scores = synthetic_scores(100)
    cohort = cg.Cohort.from_array(ref, scores)
    grader = cg.Grader(ref, policy)
    result = grader.grade(cohort)
    scores[7, :, :] = 2.0  # the array is the cohort's memory: change a candidate in place
    grader.regrade(cohort, 7, result)
    assert list(result.bloc_status[7]) == [cg.Status.NOT_VALIDATED] * 4
    assert np.array_equal(result.bloc_status, grader.grade(cohort).bloc_status)


def test_results_pickle_through_the_versioned_archive(ref, policy, sample):
    result = cg.grade(ref, policy, sample)
    back = pickle.loads(pickle.dumps(result))
    assert back == result
    assert np.array_equal(back.criterion_values, result.criterion_values, equal_nan=True)
    assert back.to_frame().equals(result.to_frame())
    with pytest.raises(cg.GradingError, match="unpickled"):
        back.explain("C001")
    assert pickle.loads(pickle.dumps(policy)) == policy


def test_threads_grade_at_once_with_identical_results(ref, policy):
    """Bulk calls release the GIL: several Python threads grade concurrently."""
    cohort = cg.Cohort.from_array(ref, synthetic_scores(100_000))
    expected = cg.grade(ref, policy, cohort, threads=1).bloc_status.copy()
    results, errors = [None] * 6, []

    def work(i):
        try:
            results[i] = cg.grade(ref, policy, cohort, threads=1 + i % 2).bloc_status.copy()
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert all(np.array_equal(r, expected) for r in results)


def test_details_are_computed_on_first_access_with_the_same_bits(ref, policy):
    """cg.grade's default runs the bloc-only pass; details come on first access."""
    scores = synthetic_scores(3000)
    cohort = cg.Cohort.from_array(ref, scores)
    grader = cg.Grader(ref, policy)
    first = grader.grade(cohort, threads=1)
    assert repr(first).endswith("; with details>")
    values, status = first.criterion_values.copy(), first.criterion_status.copy()
    competencies = first.competency_status.copy()
    assert np.shares_memory(first.criterion_values, first.criterion_values)  # computed once, then views
    for threads in (1, 2, 3):
        again = grader.grade(cohort, threads=threads)
        assert np.array_equal(again.bloc_status, first.bloc_status)
        assert np.array_equal(again.criterion_values, values, equal_nan=True)
        assert np.array_equal(again.criterion_status, status)
        assert np.array_equal(again.competency_status, competencies)
    # Row by row through regrade (the general kernel, with details): the same bits.
    for row in range(0, 3000, 7):
        grader.regrade(cohort, row, first)
    assert np.array_equal(first.criterion_values.view(np.uint32), values.view(np.uint32))
    assert np.array_equal(first.criterion_status, status)
    # Several Python threads touching the details at once compute them once.
    shared = grader.grade(cohort, threads=1)
    seen, errors = [None] * 4, []

    def touch(i):
        try:
            seen[i] = shared.criterion_status
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    workers = [threading.Thread(target=touch, args=(i,)) for i in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert not errors and all(np.shares_memory(s, seen[0]) and np.array_equal(s, status) for s in seen)
    # Values changed after grading, without regrade: refused rather than mismatched.
    stale = grader.grade(cohort, threads=1)
    scores[:, :, :] = 0.0
    with pytest.raises(cg.GradingError, match="changed since"):
        stale.criterion_status
