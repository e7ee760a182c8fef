"""The package's types are precise and hold: mypy --strict passes over the package (its
_core.pyi stub and __init__.py), the examples (scripts and notebook), every Python block
of README.md and docs/python.md, and a file of assert_type checks that fail if a type
decays to Any; a misuse is an error. mypy is a test-only dependency (skipped without it)."""
from __future__ import annotations

import importlib.metadata
import json
import os
import pathlib
import re
import tempfile

import pytest

from conftest import EXAMPLES, ROOT

PRECISE = '''
import pathlib
from typing import Any, Dict, List

import numpy as np
import numpy.typing as npt
import pandas as pd
from typing_extensions import assert_type

import certigraph as cg

ref = cg.examples.referentiel()
policy = cg.examples.policy()
cohort = cg.read_evaluations(ref, cg.examples.path("cohort"), policy=policy)
with open(cg.examples.path("cohort"), "rb") as binary:
    assert_type(cg.read_evaluations(ref, binary), cg.Cohort)
result = cg.grade(ref, policy, cohort)
assert_type(result, cg.Result)
assert_type(result.to_frame(), pd.DataFrame)
assert_type(result.to_frame(values=True), pd.DataFrame)
assert_type(result.bloc_status, npt.NDArray[np.uint8])
assert_type(result.criterion_values, "npt.NDArray[np.float32] | None")
assert_type(result.explain("C001"), List[cg.Explanation])
assert_type(result.explain("C001")[0]["children"][0]["margin"], "float | None")
assert_type(cohort.values, npt.NDArray[np.float32])
assert_type(cg.sensitivity(ref, policy, cohort, code="RNCP40514BC02", start=10, stop=12, step=1), pd.DataFrame)
assert_type(cg.examples.path("cohort"), pathlib.Path)
assert_type(cg.examples.evidence(), List[Dict[str, Any]])
eligibility = cg.eligibility(ref, cg.examples.evidence(), "2026-09-15")
assert_type(eligibility.to_frame(), pd.DataFrame)
assert_type(eligibility.summary(), pd.DataFrame)
with cg.Ledger.open("/tmp/never-opened.db") as ledger:
    assert_type(ledger.verify(), List[cg.VerifyProblem])
    assert_type(ledger.verify(frame=True), pd.DataFrame)
    assert_type(ledger.export_jsonl(), str)
    assert_type(ledger.export_jsonl("/tmp/x.jsonl"), None)
assert_type(cg.IoError("x"), cg.IoError)
'''

MISUSE = '''
import certigraph as cg

ref = cg.examples.referentiel()
cg.read_evaluations(ref, 42)
cg.grade(ref, cg.examples.policy(), ref)
cg.examples.cohort().rows.upper()
'''


def python_blocks(markdown: pathlib.Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", markdown.read_text(encoding="utf-8"), flags=re.S)


def mypy_strict(files: list[pathlib.Path], cwd: pathlib.Path) -> tuple[str, int]:
    api = pytest.importorskip("mypy.api", reason="mypy is not installed (pip install '.[test]')")
    try:
        importlib.metadata.version("pandas-stubs")
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("pandas-stubs is not installed (pip install '.[test]'): mypy cannot type pandas without it")
    cache = pathlib.Path(tempfile.gettempdir()) / "certigraph-mypy-cache"  # warm on later runs
    here = os.getcwd()
    os.chdir(cwd)  # the package of the source tree (bindings/python) comes first
    try:
        out, err, status = api.run(["--strict", "--no-error-summary", "--cache-dir", str(cache),
                                    "--python-version", "3.11", *map(str, files)])
    finally:
        os.chdir(here)
    return out + err, status


def test_mypy_strict_passes_on_the_package_examples_and_docs(tmp_path):
    package = ROOT / "bindings" / "python" / "certigraph"
    files = [package / name for name in ("__init__.py", "examples.py", "_typing.py")]
    files += [EXAMPLES / "dask_cohort.py", EXAMPLES / "cohorts" / "make_sample.py",
              EXAMPLES / "cohorts" / "make_evidence.py"]
    notebook = json.loads((EXAMPLES / "notebooks" / "cohort_analysis.ipynb").read_text(encoding="utf-8"))
    cells = ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"]
    (tmp_path / "notebook.py").write_text("\n\n".join(cells) + "\n", encoding="utf-8")
    files.append(tmp_path / "notebook.py")
    for markdown in (ROOT / "README.md", ROOT / "docs" / "python.md"):
        for i, block in enumerate(python_blocks(markdown)):
            snippet = tmp_path / f"{markdown.stem.lower()}_{i:02d}.py"
            snippet.write_text(block, encoding="utf-8")
            files.append(snippet)
    (tmp_path / "precise.py").write_text(PRECISE, encoding="utf-8")
    files.append(tmp_path / "precise.py")
    output, status = mypy_strict(files, ROOT / "bindings" / "python")
    assert status == 0, output
    assert len(files) > 25


def test_mypy_refuses_a_misuse(tmp_path):
    (tmp_path / "misuse.py").write_text(MISUSE, encoding="utf-8")
    output, status = mypy_strict([tmp_path / "misuse.py"], ROOT / "bindings" / "python")
    assert status == 1
    assert 'misuse.py:5: error: Argument 2 to "read_evaluations" has incompatible type "int"' in output
    assert 'misuse.py:6: error: Argument 3 to "grade" has incompatible type "Referentiel"' in output
    assert 'misuse.py:7: error: "int" has no attribute "upper"' in output
