"""certigraph.io: CASE, Moodle and Canvas files and the merge (pairs with
bindings/src/register_interop_lms.cpp and tests/cpp/test_interop_lms.cpp)."""
from __future__ import annotations

import json
import uuid

import pytest

import certigraph as cg
from conftest import DATA, EXAMPLES


def tree(ref):
    return ([(b.code, b.title) for b in ref.blocs],
            [(c.code, c.bloc, c.title) for c in ref.competencies],
            [(c.code, c.competency, c.title) for c in ref.criteria])


@pytest.mark.parametrize("fmt", cg.io.EXCHANGE_FORMATS)
def test_export_then_import_gives_the_same_tree(ref, tmp_path, fmt):
    policy = cg.Policy.load(str(EXAMPLES / "policies" / "rncp40514-default.json"))
    path = tmp_path / f"out.{fmt}"
    cg.io.export_referentiel(ref, path, format=fmt, policy=policy)
    assert path.read_bytes().decode("utf-8") == cg.io.exchange_text(ref, fmt, policy)
    back = cg.io.import_referentiel(path, format=fmt)
    assert tree(back) == tree(ref)
    assert back.code == "RNCP40514"


def test_case_identifiers_are_uuid5(ref):
    package = json.loads(cg.io.exchange_text(ref, "case"))
    a1c1 = next(i for i in package["CFItems"] if i["humanCodingScheme"] == "A1C1")
    assert a1c1["identifier"] == str(uuid.uuid5(uuid.NAMESPACE_URL, "urn:certigraph:case:RNCP40514:item:A1C1"))
    assert cg._core.case_uuid("x") == str(uuid.uuid5(uuid.NAMESPACE_URL, "x"))


def test_opensalt_sample_imports():
    ref = cg.io.import_referentiel(DATA / "interop_lms" / "case" / "opensalt_sample_ccss_math_6RP.json", "case")
    assert len(ref.blocs) == 2 and len(ref.competencies) == 6 and len(ref.criteria) == 8


def test_errors_name_the_place(tmp_path):
    with pytest.raises(cg.ParseError, match=r"moodle_unterminated\.csv:3:5: this quoted cell is never closed"):
        cg.io.import_referentiel(DATA / "interop_lms" / "broken" / "moodle_unterminated.csv", "moodle-csv")
    with pytest.raises(cg.ParseError, match=r"at /CFItems/0: missing required key 'fullStatement'"):
        cg.io.import_referentiel(DATA / "interop_lms" / "broken" / "case_item_without_statement.json", "case")
    with pytest.raises(ValueError, match="unknown format"):
        cg.io.import_referentiel(tmp_path / "x", "excel")


def test_merge(ref):
    merged, diagnostics = cg.io.merge(ref, ref)
    assert diagnostics == []
    assert merged == ref
    other = json.loads(ref.to_json())
    other["blocs"][0]["title"] = "Autre titre"
    fiche = cg.Referentiel.from_json(json.dumps(other))
    merged, diagnostics = cg.io.merge(fiche, ref)
    assert [d["code"] for d in diagnostics] == ["bloc_title_differs"]
    assert diagnostics[0]["severity"] == "warning" and diagnostics[0]["node"] == "RNCP40514BC01"
    assert merged.blocs[0].title == "Autre titre"
