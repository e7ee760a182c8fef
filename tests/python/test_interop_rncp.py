"""certigraph.io: the référentiel table text and the RNCP export from Python."""
from __future__ import annotations

import pathlib

import pytest

import certigraph as cg

DATA = pathlib.Path(__file__).resolve().parents[1] / "data" / "interop"
EXAMPLE = pathlib.Path(__file__).resolve().parents[2] / "examples" / "referentiels" / "rncp40514.json"


def test_text_import_gives_the_curated_tree():
    ref = cg.io.import_referentiel(DATA / "rncp40514_referentiel.txt", format="referentiel-text",
                                   fiche="RNCP40514", title="Informatique et systèmes numériques")
    want = cg.Referentiel.load(str(EXAMPLE))
    assert [b.code for b in ref.blocs] == [b.code for b in want.blocs]
    assert [b.title for b in ref.blocs] == [b.title for b in want.blocs]
    assert [(c.code, c.title) for c in ref.competencies] == [(c.code, c.title) for c in want.competencies]
    assert [(c.code, c.title) for c in ref.criteria] == [(c.code, c.title) for c in want.criteria]
    assert [e.evaluates for e in ref.epreuves] == [e.evaluates for e in want.epreuves]


def test_text_import_needs_the_fiche_and_names_the_place_of_an_error(tmp_path):
    with pytest.raises(cg.Error, match="needs fiche"):
        cg.io.import_referentiel(DATA / "rncp40514_referentiel.txt", format="referentiel-text")
    bad = tmp_path / "bad.txt"
    bad.write_text("BLOC 1\t\t\t\nTitre\t\t\t\n\t\t\tsuite\n", encoding="utf-8")
    with pytest.raises(cg.ParseError, match=r"bad.txt:3:4: .*nothing above it to continue"):
        cg.io.import_referentiel(bad, format="referentiel-text", fiche="RNCP1")


def test_rncp_xml_fiche_unchecked_and_checked():
    doc = cg.io.import_referentiel(DATA / "rncp" / "rncp_v4.1_5fiches.xml", format="rncp-xml",
                                   fiche="RNCP36490", check=False)
    assert doc["format_version"] == 2
    assert doc["certification"]["previous"] == ["RNCP14506"]
    assert len(doc["correspondences"]) == 20
    assert {"fiche": "RS6626", "blocs": ["RNCP36490BC04"], "counterparts": [], "kind": "total",
            "note": "RNCP export"} in doc["correspondences"]
    with pytest.raises(cg.InvalidReferentielError):
        cg.io.import_referentiel(DATA / "rncp" / "rncp_v4.1_5fiches.xml", format="rncp-xml", fiche="RNCP36490")
    with pytest.raises(cg.NotFoundError):
        cg.io.import_referentiel(DATA / "rncp" / "rncp_v4.1_5fiches.xml", format="rncp-xml", fiche="RNCP1")
    with pytest.raises(ValueError):
        cg.io.import_referentiel(DATA / "rncp" / "rncp_v4.1_5fiches.xml", format="xml", fiche="RNCP1")


def test_rncp_fiches_from_xml_and_csv():
    fiches = cg.io.rncp_fiches(DATA / "rncp" / "rncp_v4.1_5fiches.xml")
    assert [f["code"] for f in fiches] == ["RNCP34762", "RNCP39568", "RNCP40344", "RNCP36490", "RNCP35959"]
    assert fiches[1]["last_delivery"] == "2034-08-31"
    assert fiches[0]["next"] == ["RNCP39568"]
    active = cg.io.rncp_fiches(DATA / "rncp" / "rncp_v4.1_5fiches.xml", active_only=True)
    assert len(active) == 4
    zipped = cg.io.rncp_fiches(DATA / "rncp" / "csv_sample_2024-02-22" / "export-fiches-csv-2024-02-22.zip")
    folder = cg.io.rncp_fiches(DATA / "rncp" / "csv_sample_2024-02-22")
    assert zipped == folder
    assert len(zipped) == 9
    csv = cg.io.import_referentiel(DATA / "rncp" / "csv_sample_2024-02-22", format="rncp-csv", fiche="RNCP509",
                                   check=False)
    assert len(csv["blocs"]) == 6


def test_broken_xml_names_the_place():
    with pytest.raises(cg.ParseError, match=r"truncated.xml:\d+:\d+: malformed XML"):
        cg.io.rncp_fiches(DATA / "rncp" / "truncated.xml")
