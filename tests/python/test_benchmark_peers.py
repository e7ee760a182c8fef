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


def test_polars_peer_equals_certigraph_on_the_stories(tmp_path, ref):
    """The Polars peer of peers_eligibility.py, when Polars is installed (a
    benchmark-only dependency)."""
    pytest.importorskip("polars")
    import json

    import certigraph as cg
    import pandas_eligibility
    import peers_eligibility

    referentiel = json.loads((EXAMPLES / "referentiels" / "rncp40514.json").read_text())
    events = [e for e in pandas_eligibility.self_test_events() if e["candidate"] not in ("T16", "T17", "T18")]
    path = tmp_path / "stories.jsonl"
    path.write_text("".join(json.dumps(e) + "\n" for e in events))
    raw = peers_eligibility.polars_read(str(path))
    for as_of in ("2025-01-01", "2026-06-29", "2026-07-01", "2027-06-30", "2030-06-30", "2035-01-01"):
        theirs = peers_eligibility.polars_eligible(raw, referentiel, as_of)
        summary = cg.eligibility(ref, events, as_of).summary()
        ours = dict(zip(summary["candidate"], summary["eligible"].to_numpy(dtype=bool)))
        assert dict(zip(theirs.index, theirs.to_numpy(dtype=bool))) == ours, as_of
