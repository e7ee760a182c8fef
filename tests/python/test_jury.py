"""certigraph.jury: the same rules as the C++ library, from Python."""
from __future__ import annotations

import json
import pathlib

import pytest

import certigraph as cg

from conftest import EXAMPLES

SESSION = EXAMPLES / "juries" / "rncp40514-session.json"


def test_the_example_jury_complies_with_two_recusals():
    check = cg.jury.Session.load(SESSION).check()
    assert check.compliant
    assert list(check.findings["code"]) == ["JURY-RECUSED", "JURY-RECUSED"]
    assert list(check.findings["candidate"]) == ["C003", "C005"]
    c003 = check.juries.set_index("candidate").loc["C003"]
    assert c003["deciding"] == ["M1", "M2", "M4"] and c003["recused"] == ["M3"]


def test_a_composition_finding_and_its_override():
    session = cg.jury.Session.load(SESSION)
    for member in session.data["members"]:
        member["qualified"] = False
    session = cg.jury.Session(session.data, SESSION)
    check = session.check()
    assert not check.compliant
    assert "JURY-MIN-QUALIFIED" in set(check.findings["code"])
    session.data["override"] = {"findings": ["JURY-MIN-QUALIFIED"], "reason": "the qualified member is ill", "by": "M1"}
    assert cg.jury.Session(session.data, SESSION).check().compliant


def test_the_grid_and_the_decisions():
    session = cg.jury.Session.load(SESSION)
    grid = session.grid()
    assert len(grid.table) == 32
    assert (grid.problems["code"] == "DECISION-MISSING").sum() == 31
    assert session.confirm_rest() == 31
    assert session.grid().ready
    # Against the computed result: a reason, then a tie broken by the president.
    session.decide("C002", "RNCP40514BC02", "validate")
    assert list(session.grid().problems["code"]) == ["DECISION-REASON"]
    session.decide("C002", "RNCP40514BC02", "validate", reason="project assessed in the company", votes=(2, 2, 0))
    assert list(session.grid().problems["code"]) == ["DECISION-TIE"]
    session.decide("C002", "RNCP40514BC02", "validate", reason="project assessed in the company", votes=(2, 2, 0),
                   casting_vote="validate")
    grid = session.grid()
    assert grid.ready
    row = grid.table.set_index(["candidate", "bloc"]).loc[("C002", "RNCP40514BC02")]
    assert row["computed"] == "not_validated" and row["validated"] and row["against"]


def test_the_session_file_is_strict(tmp_path: pathlib.Path):
    data = json.loads(SESSION.read_text(encoding="utf-8"))
    data["venue"] = "here"
    with pytest.raises(cg.ParseError, match="unknown key 'venue'"):
        cg.jury.Session(data)
    with pytest.raises(ValueError, match="verdict 'maybe'"):
        cg.jury.Session.load(SESSION).decide("C001", "RNCP40514BC01", "maybe")


def test_save_writes_what_load_reads(tmp_path: pathlib.Path):
    session = cg.jury.Session.load(SESSION)
    session.decide("C001", "RNCP40514BC01", "confirm")
    copy = tmp_path / "session.json"
    session.save(copy)
    again = cg.jury.Session.load(copy)
    assert again.data["decisions"] == session.data["decisions"]
    assert again.grid().table.equals(session.grid().table)  # the grading paths still resolve


def test_the_installed_example():
    session = cg.examples.jury_session()
    assert session.check().compliant
    assert len(session.grid().table) == 32


def _ledger_with_evidence(tmp_path: pathlib.Path) -> pathlib.Path:
    db = tmp_path / "ledger.db"
    with cg.Ledger.open(db, create=True) as store:
        store.append_many(cg.examples.evidence())
    return db


def test_seal_record_and_pv(tmp_path: pathlib.Path):
    db = _ledger_with_evidence(tmp_path)
    session = cg.jury.Session.load(SESSION)
    session.confirm_rest()
    session.decide("C002", "RNCP40514BC02", "validate", reason="project assessed in the company", votes=(2, 2, 0),
                   casting_vote="validate")
    draft = session.prepare(db)
    assert not draft.sealed
    assert "PROJET" in draft.pv()
    record = session.seal(db)
    assert record.sealed and record.hash.startswith("sha256:")
    table = record.certifications().set_index("candidate")
    assert bool(table.loc["C002", "awarded"]) and not bool(table.loc["C003", "awarded"])
    with pytest.raises(cg.jury.AlreadyRecordedError, match="was sealed and recorded"):
        session.seal(db)
    page = record.pv()
    assert page.startswith("<!DOCTYPE html>") and "Content-Security-Policy" in page and record.hash[-16:] in page
    assert record.pv("csv").splitlines()[0].startswith("session,session_date,fiche,candidate")
    assert json.loads(record.pv("json"))["format"] == "certigraph/jury-pv"
    # The sealed file reads back; an edit is detected.
    path = record.save(tmp_path / "session.sealed.json")
    assert cg.jury.Record.load(path).hash == record.hash
    path.write_text(path.read_text(encoding="utf-8").replace('"awarded": false', '"awarded": true'), encoding="utf-8")
    with pytest.raises(cg.jury.SealBrokenError, match="changed after it was sealed"):
        cg.jury.Record.load(path)
