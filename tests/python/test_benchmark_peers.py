"""The numpy-by-hand eligibility peer (benchmarks/numpy_eligibility.py) answers what
certigraph answers on the hand-made stories: a benchmark's peer must be right before
its time means anything."""
from __future__ import annotations

import sys

import pytest

from conftest import EXAMPLES, ROOT

pytest.importorskip("pyarrow")
sys.path.insert(0, str(ROOT / "benchmarks"))

import numpy_eligibility  # noqa: E402


def test_numpy_peer_equals_certigraph_on_the_stories(capsys):
    assert numpy_eligibility.self_test(EXAMPLES / "referentiels" / "rncp40514.json") == 0
    assert "self-test: ok" in capsys.readouterr().out
