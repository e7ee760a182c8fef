"""The examples run and say what the docs say: the notebook executes (so it never
rots) and Dask partitions grade to exactly the single-process result."""
from __future__ import annotations

import importlib.util

import numpy as np
import pytest

import certigraph as cg
from conftest import EXAMPLES, synthetic_scores


def test_notebook_executes(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    notebook = nbformat.read(EXAMPLES / "notebooks" / "cohort_analysis.ipynb", as_version=4)
    # From a directory outside the repository: its data come with the package (cg.examples).
    client = nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    errors = [o for cell in notebook.cells if cell.cell_type == "code"
              for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    images = [o for cell in notebook.cells if cell.cell_type == "code"
              for o in cell.get("outputs", []) if "image/png" in o.get("data", {})]
    assert len(images) >= 6  # pass rates, difficulty, margins, what-if curve, agreement, severity


def _dask_example():
    spec = importlib.util.spec_from_file_location("dask_cohort", EXAMPLES / "dask_cohort.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_dask_partitions_give_the_single_process_result(ref, policy):
    distributed = pytest.importorskip("dask.distributed")
    example = _dask_example()
    scores = synthetic_scores(20_000, seed=7)
    expected = cg.grade(ref, policy, cg.Cohort.from_array(ref, scores)).bloc_status
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        got = example.grade_with_dask(ref.to_json(), policy.to_json(), scores, 5, client)
    assert np.array_equal(got, expected)
