"""Python conventions: exceptions shown as certigraph.X, reprs that say what an object
holds, categorical status columns, the example data shipped in the package, and the
README's Python snippet run from another directory."""
from __future__ import annotations

import pathlib
import pickle
import re
import subprocess
import sys
import traceback

import numpy as np
import pandas as pd
import pytest

import certigraph as cg
from conftest import ROOT

ERRORS = ["Error", "IoError", "ParseError", "InvalidReferentielError", "NotFoundError", "SerializationError",
          "GradingError", "InvalidInputError", "LedgerError", "InvalidEventError"]


@pytest.mark.parametrize("name", ERRORS)
def test_exceptions_are_certigraph_x(name):
    error_type = getattr(cg, name)
    assert error_type.__module__ == "certigraph" and error_type.__qualname__ == name
    assert repr(error_type) == f"<class 'certigraph.{name}'>"
    assert name in cg.__all__
    from certigraph import Error

    assert issubclass(error_type, Error)


def test_a_traceback_names_certigraph_x(ref):
    with pytest.raises(cg.NotFoundError) as caught:
        ref.criteria_of("A9E9")
    line = traceback.format_exception_only(caught.type, caught.value)[-1]
    assert line == "certigraph.NotFoundError: unknown code 'A9E9' in référentiel RNCP40514\n"
    copy = pickle.loads(pickle.dumps(caught.value))
    assert type(copy) is cg.NotFoundError and str(copy) == str(caught.value)


def test_classes_are_shown_and_pickled_as_certigraph_x(ref, policy):
    for cls in (cg.Referentiel, cg.Policy, cg.Cohort, cg.Result, cg.Grader, cg.Ledger, cg.EligibilityResult):
        assert cls.__module__ == "certigraph"
    assert b"certigraph\x94\x8c\x06Policy" in pickle.dumps(policy) or b"certigraph.Policy" in pickle.dumps(policy, 0)
    assert pickle.loads(pickle.dumps(policy)) == policy


def test_reprs_say_what_objects_hold(ref, policy, sample):
    assert repr(policy) == "<Policy RNCP40514: 1 scale, jurors' mean, competencies: all, blocs: all, 0 thresholds>"
    assert repr(policy.with_thresholds({"RNCP40514BC02": 12})).endswith("1 threshold>")
    assert repr(cg.Grader(ref, policy)) == "<Grader RNCP40514: 30 criteria, 0 thresholds>"
    assert repr(sample) == "<Cohort 8 rows × 30 criteria × 2 jurors>"
    result = cg.grade(ref, policy, sample)
    assert repr(result) == "<Result 8 rows × 4 blocs: 26 validated, 5 not_validated, 1 incomplete; with details>"
    light = cg.grade(ref, policy, sample, details=False)
    assert repr(light).endswith("1 incomplete; bloc statuses only>")
    counts = np.bincount(result.bloc_status.reshape(-1), minlength=4)
    assert [counts[cg.Status.VALIDATED], counts[cg.Status.NOT_VALIDATED], counts[cg.Status.INCOMPLETE]] == [26, 5, 1]
    one = cg.Cohort.from_array(ref, np.full((1, 30, 1), 15, dtype=np.float32))
    assert repr(one) == "<Cohort 1 row × 30 criteria × 1 juror>"
    assert repr(cg.grade(ref, policy, one)) == "<Result 1 row × 4 blocs: 4 validated; with details>"


def test_status_columns_are_categoricals_over_the_fixed_set(ref, policy, sample):
    result = cg.grade(ref, policy, sample)
    pairs = ((result.to_frame(), result.bloc_status), (result.to_frame(values=True), result.criterion_status))
    for frame, codes in pairs:
        status = frame["status"]
        assert isinstance(status.dtype, pd.CategoricalDtype)
        assert list(status.cat.categories) == ["incomplete", "validated", "not_validated", "exempt"]
        assert cg.STATUS_LABELS == list(status.cat.categories)
        assert np.array_equal(status.cat.codes.to_numpy(), codes.reshape(-1))  # codes are the Status codes
        assert [cg.Status(c).label for c in codes.reshape(-1)] == status.astype(str).tolist()
    # Every category is there even when a status never occurs (crosstabs keep their columns).
    blocs = result.to_frame()
    assert (blocs.status == "exempt").sum() == 0 and "exempt" in blocs.status.cat.categories


def test_eligibility_kind_and_finding_are_categoricals(ref):
    events = cg.examples.evidence()
    frame = cg.eligibility(ref, events, "2026-09-15").to_frame()
    assert list(frame.kind.cat.categories) == cg.CHECK_KINDS == [
        "bloc", "option_group", "requirement", "delivery_window", "ledger"]
    assert cg.FINDINGS[0] == "bloc_acquired" and cg.FINDINGS[-1] == "ledger_problem" and len(cg.FINDINGS) == 20
    assert isinstance(frame.finding.dtype, pd.CategoricalDtype) and list(frame.finding.cat.categories) == cg.FINDINGS
    assert not frame.finding.isna().any() and not frame.kind.isna().any()


def test_examples_are_installed_with_the_package():
    package = pathlib.Path(cg.__file__).parent
    for short, name in cg.examples.FILES.items():
        path = cg.examples.path(short)
        # installed with its folder (referentiels/, policies/, ...) under data/; path() takes the file name
        assert path == cg.examples.path(name.rsplit("/", 1)[-1]) and path == package / "data" / name
        assert path.read_bytes() == (ROOT / "examples" / name).read_bytes()  # the repository's file
    with pytest.raises(ValueError, match="no example named 'nope'; the examples are 'referentiel'"):
        cg.examples.path("nope")


def test_example_loaders(ref, policy, sample):
    assert cg.examples.referentiel() == ref and cg.examples.policy() == policy
    cohort = cg.examples.cohort()
    assert np.array_equal(cohort.values, sample.values, equal_nan=True) and cohort.candidates == sample.candidates
    events = cg.examples.evidence()
    assert len(events) == 41 and events[0]["kind"] == "path_start" and events[0]["candidate"] == "C001"
    assert cg.eligibility(ref, events, "2026-09-15").candidates == sorted({e["candidate"] for e in events})


def python_blocks(markdown: pathlib.Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", markdown.read_text(encoding="utf-8"), flags=re.S)


def test_the_readme_snippet_runs_from_any_directory(tmp_path):
    snippet = next(b for b in python_blocks(ROOT / "README.md") if "cg.examples" in b)
    done = subprocess.run([sys.executable, "-c", snippet], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(
        "<Result 8 rows × 4 blocs: 26 validated, 5 not_validated, 1 incomplete; with details>\n")
    assert "C001  2026-06  RNCP40514BC01      validated" in done.stdout


def test_explanations_are_dicts_whose_repr_says_what_they_hold(ref, policy, sample):
    result = cg.grade(ref, policy, sample)
    bloc2 = result.explain("C002")[1]
    assert isinstance(bloc2, dict) and bloc2["code"] == "RNCP40514BC02" and bloc2 == dict(bloc2)
    assert repr(bloc2) == "<Explanation bloc RNCP40514BC02: not_validated, all, 7 needed, margin -1, 7 children>"
    assert str(bloc2["children"][2]) == (
        "<Explanation competency A2C3: not_validated, all, 1 needed, margin -1, 1 child>")
    assert repr(bloc2["children"][2]["children"][0]) == (
        "<Explanation criterion A2E3: not_validated, mean >= 10, value 7.8, margin -2.2, jurors 7.2 8.4>")
    missing = result.explain("C006")[3]["children"][0]["children"][0]
    assert repr(missing) == ("<Explanation criterion A4E1: incomplete, mean >= 10, 10 needed, jurors - -, "
                             "missing: no juror has given a value>")
    assert pickle.loads(pickle.dumps(bloc2)) == bloc2
