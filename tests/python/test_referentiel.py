"""The référentiel from Python (pairs with bindings/src/register_referentiel.cpp)."""
from __future__ import annotations

import pickle

import pytest

import certigraph as cg
from conftest import DATA, EXAMPLES


def test_rncp40514_structure(ref):
    assert ref.code == "RNCP40514"
    assert [len(ref.blocs), len(ref.competencies), len(ref.criteria), len(ref.epreuves)] == [4, 30, 30, 5]
    assert ref.blocs[1].code == "RNCP40514BC02"
    assert ref.criteria[0].competency == "A1C1"
    assert ref.competencies[16].bloc == "RNCP40514BC02"
    assert ref.epreuves[1].evaluates == ["A1C10"]
    assert ref.certification["last_delivery"] == "2034-08-31"
    assert "vae" in ref.certification["access_routes"]
    assert ref.criteria_of("RNCP40514BC03") == [f"A3E{i}" for i in range(1, 7)]
    assert ref.bloc_of("A4E7") == "RNCP40514BC04"
    assert ref.unevaluated_competencies() == ["A2C7"]


def test_check_reports_the_published_gap(ref):
    diagnostics = ref.check()
    assert [(d.code, d.severity, d.node, d.pointer) for d in diagnostics] == [
        ("competency_not_evaluated", "warning", "A2C7", "/competencies/16")]


def test_check_file_lists_errors_that_load_refuses():
    broken = DATA / "referentiels" / "broken" / "dangling_reference.json"
    codes = [d.code for d in cg.check_file(str(broken))]
    assert "dangling_reference" in codes
    with pytest.raises(cg.InvalidReferentielError, match="dangling_reference"):
        cg.Referentiel.load(str(broken))


def test_json_round_trip_and_pickle(ref):
    text = ref.to_json()
    assert text == (EXAMPLES / "referentiels" / "rncp40514.json").read_text(encoding="utf-8")
    assert cg.Referentiel.from_json(text) == ref
    assert pickle.loads(pickle.dumps(ref)) == ref


def test_golden_archive_loads(ref):
    assert cg.Referentiel.load(str(DATA / "archives" / "rncp40514_v1.xml")) == ref
