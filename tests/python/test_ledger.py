"""The ledger, the state as of a date and eligibility from Python (pairs with
bindings/src/register_ledger.cpp; the rules themselves are tested in C++)."""
from __future__ import annotations

import datetime
import json
import pickle
import sqlite3

import numpy as np
import pandas as pd
import pytest

import certigraph as cg

AS_OF = datetime.date(2026, 9, 15)
BLOCS = ["RNCP40514BC01", "RNCP40514BC02", "RNCP40514BC03", "RNCP40514BC04"]


def event(candidate, date, kind, body, *, route="exam", session="S2026-06"):
    """An event dict in the JSON form of docs/ledger.md."""
    return {"candidate": candidate, "date": date, "session": session, "route": route,
            "referentiel": {"fiche": "RNCP40514", "content_hash": "sha256:ref"}, "policy_hash": "sha256:policy",
            "evidence": [], "kind": kind, "body": body}


def file_of(candidate, *, english="B2", nationality="FR", french=None):
    """A complete file: path start, the 4 blocs, certificates, 4 weeks abroad, 6 months of work."""
    out = [event(candidate, "2025-09-01", "path_start", {"access_route": "initial_training"}),
           event(candidate, "2025-09-01", "attribute", {"name": "nationality", "value": nationality})]
    out += [event(candidate, "2026-06-12", "bloc_result", {"bloc": b, "validated": True}) for b in BLOCS]
    for language, level in (("en", english), ("fr", french)):
        if level:
            out.append(event(candidate, "2026-03-01", "language_certificate",
                             {"language": language, "framework": "CEFR", "level": level, "issuer": "Test Centre",
                              "third_party": True, "issued": "2026-02-20"}))
    out.append(event(candidate, "2026-02-01", "mobility_period",
                     {"start": "2026-01-05", "end": "2026-02-01", "place": "DE"}))
    out.append(event(candidate, "2026-08-31", "work_period",
                     {"start": "2026-03-01", "end": "2026-08-31", "place": "ACME"}))
    return out


@pytest.fixture()
def events():
    # C1 has everything; C2 no English certificate; C3 is a Brazilian national without French B1.
    return file_of("C1") + file_of("C2", english=None) + file_of("C3", nationality="BR")


@pytest.fixture()
def ledger(tmp_path, events):
    with cg.Ledger.open(tmp_path / "ledger.db", create=True) as ledger:
        ledger.append_many(events)
        yield ledger


def test_store_and_read_back(tmp_path, events):
    with cg.Ledger.open(tmp_path / "l.db", create=True) as ledger:
        assert len(ledger) == 0 and ledger.version == 5 and ledger.candidates() == []
        first = ledger.append(events[0])
        ids = ledger.append_many(events[1:])
        assert first == 1 and ids == list(range(2, len(events) + 1))
        assert len(ledger) == len(events)
        assert ledger.candidates() == ["C1", "C2", "C3"]
        mine = ledger.events("C2")
        assert [e["candidate"] for e in mine] == ["C2"] * len(mine)
        stored = ledger.events()
        assert [e["id"] for e in stored] == list(range(1, len(events) + 1))
        # Read back as written, plus the id the store assigned.
        assert [{k: v for k, v in e.items() if k != "id"} for e in stored] == events
        assert len(ledger.head("C1")) == 64 and ledger.head("nobody") == ""
        assert ledger.verify() == []
        assert ledger.verify(frame=True).columns.tolist() == ["row", "candidate", "problem"]
    assert ledger.closed and "closed" in repr(ledger)
    with pytest.raises(cg.LedgerError, match="is closed"):
        len(ledger)
    with cg.Ledger.open(str(tmp_path / "l.db")) as again:  # str paths too; the file persists
        assert len(again) == len(events)


def test_vacuum_keeps_every_event_and_hash(tmp_path, events):
    with cg.Ledger.open(tmp_path / "v.db", create=True) as ledger:
        ledger.append_many(events)
        before = [(e["id"], ledger.head(e["candidate"])) for e in ledger.events()]
        ledger.vacuum()
        assert [(e["id"], ledger.head(e["candidate"])) for e in ledger.events()] == before
        assert ledger.verify() == []
        reader = sqlite3.connect(tmp_path / "v.db")
        assert reader.execute("PRAGMA page_size").fetchone() == (65536,)
        assert reader.execute("SELECT count(*) FROM events").fetchone() == (len(events),)
        with pytest.raises(cg.LedgerError, match="cannot vacuum the ledger while another process is reading it"):
            ledger.vacuum()  # the reader above still has the file open
        reader.close()


def test_dates_may_be_date_objects(tmp_path):
    e = event("C9", datetime.date(2026, 6, 12), "mobility_period",
              {"start": datetime.date(2026, 1, 5), "end": datetime.date(2026, 2, 1), "place": ""})
    with cg.Ledger.open(tmp_path / "l.db", create=True) as ledger:
        ledger.append(e)
        [back] = ledger.events()
    assert back["date"] == "2026-06-12" and back["body"]["start"] == "2026-01-05"


def test_invalid_event_names_the_field_and_records_nothing(ledger, events):
    before = len(ledger)
    bad = event("C4", "2026-06-12", "bloc_result", {"bloc": "", "validated": True})
    with pytest.raises(cg.InvalidEventError, match=r"^event 1: body/bloc: must not be empty") as error:
        ledger.append_many([events[0] | {"candidate": "C4"}, bad, events[1]])
    assert error.value.index == 1 and error.value.field == "body/bloc"
    assert isinstance(error.value, cg.LedgerError) and isinstance(error.value, cg.Error)
    assert len(ledger) == before and "C4" not in ledger.candidates()

    # A wrong type or a missing key is refused the same way, before the store is touched.
    wrong = event("C4", "2026-06-12", "bloc_result", {"bloc": "RNCP40514BC01", "validated": "yes"})
    with pytest.raises(cg.InvalidEventError, match=r"^event 0: body/validated: expected true or false"):
        ledger.append(wrong)
    no_date = {k: v for k, v in events[0].items() if k != "date"}
    with pytest.raises(cg.InvalidEventError, match=r"^event 0: date: missing") as error:
        ledger.append(no_date)
    assert error.value.field == "date"
    with pytest.raises(cg.InvalidEventError, match="route"):
        ledger.append(events[2] | {"route": "vae"})  # a bloc_result has route exam
    with pytest.raises(cg.InvalidEventError, match="unknown key 'colour'"):
        ledger.append(events[0] | {"colour": "blue"})
    with pytest.raises(TypeError):
        ledger.append_many(events[0])  # one dict is not a list of events
    assert len(ledger) == before


def test_export_import_round_trip(ledger, tmp_path):
    text = ledger.export_jsonl()
    assert len(text.splitlines()) == len(ledger)
    assert json.loads(text.splitlines()[0])["hash"] and '"seq":1' in text.splitlines()[0]
    with cg.Ledger.open(tmp_path / "copy.db", create=True) as copy:
        assert copy.import_jsonl(text) == len(ledger)
        assert copy.events() == ledger.events()
        assert all(copy.head(c) == ledger.head(c) for c in ledger.candidates())
        assert copy.verify() == []
    ledger.export_jsonl(tmp_path / "out.jsonl")  # to a path
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8") == text
    with cg.Ledger.open(tmp_path / "copy2.db", create=True) as copy:
        assert copy.import_jsonl(tmp_path / "out.jsonl") == len(ledger)
        assert copy.events() == ledger.events()
        # Replicating the same lines again records nothing: the same content is there.
        assert copy.import_jsonl(str(tmp_path / "out.jsonl")) == 0
        assert len(copy) == len(ledger)


def test_state_as_of(ledger, events):
    state = cg.state_as_of(ledger, AS_OF, candidate="C3")
    assert state == cg.state_as_of(ledger.events("C3"), "2026-09-15")  # listed events keep their ids
    assert state["as_of"] == "2026-09-15"
    assert sorted(state["blocs"]) == BLOCS
    bc1 = state["blocs"]["RNCP40514BC01"]
    assert bc1["acquired"] and bc1["since"] == "2026-06-12" and bc1["route"] == "exam" and bc1["refusals"] == 0
    assert bc1["event"] == ledger.events("C3")[2]["id"] and bc1["corrects"] is None
    assert state["mobility_days"] == 28 and state["mobility_weeks"] == 4.0
    assert state["work_months"] == 6.0 and state["work_longest_months"] == 6.0
    assert state["attributes"] == {"nationality": "BR"}
    assert [c["level"] for c in state["languages"]] == ["B2"]
    assert state["path_started"] == "2025-09-01" and state["path_access_route"] == "initial_training"
    assert state["problems"] == []

    # Events dated after as_of are ignored: the mobility (recorded 2026-02-01) counts, the
    # certificate (2026-03-01) and the session (2026-06-12) not yet.
    early = cg.state_as_of(events, datetime.date(2026, 2, 10), candidate="C1")
    assert early["blocs"] == {} and early["languages"] == [] and early["mobility_days"] == 28

    with pytest.raises(ValueError, match="3 candidates"):
        cg.state_as_of(events, AS_OF)
    with pytest.raises(TypeError, match="candidate="):
        cg.state_as_of(ledger, AS_OF)
    with pytest.raises(ValueError, match="as_of: '2026-02-30' is not a date"):
        cg.state_as_of(events, "2026-02-30", candidate="C1")


def test_eligibility_frame(ref, ledger):
    result = cg.eligibility(ref, ledger, AS_OF)
    assert len(result) == 3 and result.candidates == ["C1", "C2", "C3"] and result.eligible == ["C1"]
    assert result.as_of == "2026-09-15" and "1 of 3" in repr(result)

    frame = result.to_frame()
    assert frame.columns.tolist() == ["candidate", "as_of", "eligible", "kind", "subject", "required", "met",
                                      "finding", "reason", "missing", "have", "need", "date", "event", "detail"]
    # 4 blocs, 4 requirements, the delivery window per candidate.
    assert len(frame) == 27 and (frame.groupby("candidate").size() == 9).all()
    assert (frame.as_of == "2026-09-15").all()

    c1 = frame[frame.candidate == "C1"].set_index("subject")
    assert c1.eligible.all() and (c1.met | ~c1.required).all() and (c1.missing == "").all()
    assert c1.loc[BLOCS, "finding"].eq("bloc_acquired").all()
    assert "2026-06-12" in c1.loc["RNCP40514BC02", "reason"]  # the wording is tested in C++
    assert c1.loc["RNCP40514BC02", "date"] == "2026-06-12" and c1.loc["RNCP40514BC02", "detail"] == "exam"
    english = c1.loc["ENGLISH_B1"]
    assert english.finding == "requirement_met" and (english.have, english.need) == (4.0, 3.0)  # B2 >= B1
    assert english.event == ledger.events("C1")[6]["id"]
    assert c1.loc["FRENCH_B1", "finding"] == "requirement_not_applicable" and not c1.loc["FRENCH_B1", "required"]
    assert c1.loc["INTERNATIONAL_MOBILITY", "have"] == 4.0 and c1.loc["WORK_EXPERIENCE", "have"] == 6.0
    assert c1.loc["delivery_window", "finding"] == "window_met"
    assert np.isnan(c1.loc["RNCP40514BC01", "have"]) and pd.isna(c1.loc["INTERNATIONAL_MOBILITY", "event"])

    c2 = frame[frame.candidate == "C2"].set_index("subject")
    assert not c2.eligible.any()
    assert c2.loc["ENGLISH_B1", "finding"] == "language_missing" and not c2.loc["ENGLISH_B1", "met"]
    assert "ENGLISH_B1" in c2.loc["ENGLISH_B1", "missing"]
    assert c2.loc[c2.required & ~c2.met].index.tolist() == ["ENGLISH_B1"]

    c3 = frame[frame.candidate == "C3"].set_index("subject")
    assert c3.loc["FRENCH_B1", "required"] and c3.loc["FRENCH_B1", "finding"] == "language_missing"
    assert c3.loc["FRENCH_B1", "detail"] == "nationality = BR"
    assert c3.loc[c3.required & ~c3.met].index.tolist() == ["FRENCH_B1"]

    # The notebook one-liner: how many candidates lack each requirement.
    lacking = frame[frame.required & ~frame.met].groupby("subject").candidate.nunique()
    assert lacking.to_dict() == {"ENGLISH_B1": 1, "FRENCH_B1": 1}

    summary = result.summary()
    assert summary.columns.tolist() == ["candidate", "as_of", "eligible", "missing"]
    assert summary.eligible.tolist() == [True, False, False]
    assert summary.missing[0] == "" and "ENGLISH_B1" in summary.missing[1] and "FRENCH_B1" in summary.missing[2]

    one = result["C2"]
    assert not one["eligible"] and len(one["missing"]) == 1 and len(one["checks"]) == 9
    assert one["state"] == cg.state_as_of(ledger, AS_OF, candidate="C2")
    assert "C2" in result and "C9" not in result
    with pytest.raises(cg.NotFoundError):
        result["C9"]
    assert [a["candidate"] for a in json.loads(result.to_json())] == ["C1", "C2", "C3"]
    assert result.to_csv().startswith("candidate,as_of,eligible,kind,subject,required,met,finding,reason,missing\n")


def test_eligibility_sources_and_threads(ref, ledger, events):
    from_ledger = cg.eligibility(ref, ledger, AS_OF, threads=1).to_frame()
    assert from_ledger.equals(cg.eligibility(ref, ledger, AS_OF, threads=2).to_frame())
    from_list = cg.eligibility(ref, events, "2026-09-15", threads=1).to_frame()
    assert from_list.equals(cg.eligibility(ref, events, AS_OF, threads=2).to_frame())
    # Listed events have no ids: the same answers but for the event column and the reasons quoting it.
    same = ["candidate", "eligible", "kind", "subject", "required", "met", "finding", "missing", "have", "need",
            "date", "detail"]
    assert from_list[same].equals(from_ledger[same])

    alone = cg.eligibility(ref, ledger, AS_OF, candidate="C3")
    assert alone.candidates == ["C3"] and alone.to_frame().equals(
        from_ledger[from_ledger.candidate == "C3"].reset_index(drop=True))
    nobody = cg.eligibility(ref, events, AS_OF, candidate="C9")  # no events: every bloc to validate
    assert nobody.candidates == ["C9"] and nobody.eligible == []
    assert nobody.to_frame().finding.head(4).eq("bloc_not_assessed").all()
    assert len(cg.eligibility(ref, [], AS_OF).to_frame()) == 0

    # Before the session, no bloc is acquired yet.
    early = cg.eligibility(ref, ledger, datetime.date(2026, 6, 1)).to_frame()
    assert not early.eligible.any() and early[early.kind == "bloc"].finding.eq("bloc_not_assessed").all()

    bad = events + [event("C1", "2026-06-12", "work_period", {"start": "2026-05-01", "end": "2026-04-01",
                                                               "place": ""})]
    with pytest.raises(cg.InvalidEventError, match=rf"^event {len(events)}: body/end: the period ends before"):
        cg.eligibility(ref, bad, AS_OF)


def test_a_correction_and_a_refusal(ref, tmp_path, events):
    with cg.Ledger.open(tmp_path / "l.db", create=True) as ledger:
        ids = ledger.append_many(events)
        bc2 = ids[3]  # C1's RNCP40514BC02 result
        ledger.append(event("C1", "2026-07-01", "correction",
                            {"supersedes": bc2, "reason": "transcription error",
                             "replacement": {"kind": "bloc_result",
                                             "body": {"bloc": "RNCP40514BC02", "validated": False}}},
                            session="S2026-06"))
        answer = cg.eligibility(ref, ledger, AS_OF, candidate="C1")["C1"]
    check = {c["subject"]: c for c in answer["checks"]}["RNCP40514BC02"]
    assert not answer["eligible"] and check["finding"] == "bloc_refused" and check["have"] == 1.0
    assert len(answer["missing"]) == 1 and "RNCP40514BC02" in answer["missing"][0]


def test_ledger_is_not_picklable(ledger):
    with pytest.raises(TypeError):
        pickle.dumps(ledger)


def test_only_ledgers_are_ledgers(tmp_path):
    missing = tmp_path / "typo.db"
    with pytest.raises(cg.NotALedgerError, match="no ledger there"):
        cg.Ledger.open(missing)
    assert not missing.exists()
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    with pytest.raises(cg.NotALedgerError, match=r"empty file \(0 bytes\)"):
        cg.Ledger.open(empty)
    assert empty.stat().st_size == 0 and not (tmp_path / "empty.db-wal").exists()
    other = tmp_path / "notes.db"
    import sqlite3

    con = sqlite3.connect(other)
    con.execute("CREATE TABLE notes (text TEXT)")
    con.commit()
    con.close()
    before = other.read_bytes()
    with pytest.raises(cg.NotALedgerError, match="without the ledger's tables"):
        cg.Ledger.open(other)
    with pytest.raises(cg.LedgerError):
        cg.Ledger.open(other, create=True)
    assert other.read_bytes() == before
    with cg.Ledger.open(empty, create=True) as ledger:  # ledger init's way
        assert ledger.version == 5 and len(ledger.id) == 32


def test_checkpoint_signed_and_verified(tmp_path, events):
    import subprocess

    key, pub = tmp_path / "key.pem", tmp_path / "pub.pem"
    subprocess.run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", str(key)], check=True)
    subprocess.run(["openssl", "pkey", "-in", str(key), "-pubout", "-out", str(pub)], check=True)
    with cg.Ledger.open(tmp_path / "l.db", create=True) as ledger:
        ledger.append_many(events[:10])
        text = ledger.checkpoint(key)
        assert text.startswith(f"certigraph.ledger/{ledger.id}\n10\n")
        (tmp_path / "l.cp").write_text(text, encoding="utf-8")
        ledger.append_many(events[10:])
        assert ledger.verify(checkpoint=tmp_path / "l.cp", pubkey=pub) == []
        assert ledger.verify(checkpoint=text, pubkey=pub) == []
        with pytest.raises(cg.LedgerError, match="does not verify"):
            ledger.verify(checkpoint=text.replace("\n10\n", "\n9\n"), pubkey=pub)
        with pytest.raises(TypeError):
            ledger.verify(checkpoint=text)


def test_certification_decision_in_and_out(tmp_path):
    """Issue 10: the certification_decision kind crosses the boundary, its rules are the
    ledger's, and the state shows the decision in force (after a correction)."""
    decision = event("C1", "2026-09-15", "certification_decision",
                     {"awarded": True, "eligible": True, "missing": [], "reason": ""}, session="JURY-2026-09")
    with cg.Ledger.open(tmp_path / "l.db", create=True) as ledger:
        ledger.append_many(file_of("C1"))
        decided = ledger.append(decision)
        back = [e for e in ledger.events("C1") if e["kind"] == "certification_decision"]
        assert back[0]["body"] == decision["body"] and back[0]["id"] == decided
        state = cg.state_as_of(ledger, AS_OF, candidate="C1")
        assert state["certification"] == {"awarded": True, "eligible": True, "missing": [], "reason": "",
                                          "date": "2026-09-15", "session": "JURY-2026-09", "route": "exam",
                                          "event": decided, "corrects": None}
        assert cg.state_as_of(ledger, "2026-09-14", candidate="C1")["certification"] is None
        correction = event("C1", "2026-09-20", "correction",
                           {"supersedes": decided, "reason": "fraude constatée",
                            "replacement": {"kind": "certification_decision",
                                            "body": {"awarded": False, "eligible": True, "missing": [],
                                                     "reason": "fraude constatée"}}}, session="JURY-2026-09")
        corrected = ledger.append(correction)
        state = cg.state_as_of(ledger, "2026-10-01", candidate="C1")
        assert state["certification"]["awarded"] is False
        assert (state["certification"]["event"], state["certification"]["corrects"]) == (corrected, decided)
        assert state["certification"]["date"] == "2026-09-15"
        # Awarded to a candidate who is not eligible: refused, nothing recorded.
        bad = event("C1", "2026-09-15", "certification_decision",
                    {"awarded": True, "eligible": False, "missing": ["RNCP40514BC04"], "reason": ""},
                    session="JURY-2026-10")
        with pytest.raises(cg.InvalidEventError, match="awarded only to an eligible candidate") as caught:
            ledger.append(bad)
        assert caught.value.field == "body/awarded"
        assert len(ledger) == len(file_of("C1")) + 2


def test_eligibility_table_equals_the_answers(ref, ledger, events, tmp_path):
    """The columnar path (ledger typed columns, JSON lines) gives the findings of eligibility()."""
    answers = cg.eligibility(ref, ledger, AS_OF).to_frame()
    table = cg.eligibility_table(ref, ledger, AS_OF)
    assert list(table.candidate) == ["C1", "C2", "C3"]
    assert list(table.eligible) == [True, False, False] and table.eligible.dtype == bool
    assert table.problems.eq(0).all()
    checks = [c for c in table.columns if c not in ("candidate", "eligible", "problems") and not c.endswith(".have")]
    assert checks == list(answers[answers.candidate == "C1"].subject)
    assert table.attrs["as_of"] == "2026-09-15" and table.attrs["check_kinds"]["ENGLISH_B1"] == "requirement"
    for k, candidate in enumerate(table.candidate):
        mine = answers[answers.candidate == candidate].set_index("subject")
        for check in checks:
            assert table[check].iloc[k] == mine.finding[check]
            assert table[check + ".have"].iloc[k] == mine.have.fillna(0.0)[check]  # 0 where to_frame() has NaN
    assert isinstance(table["ENGLISH_B1"].dtype, pd.CategoricalDtype)

    lines = tmp_path / "events.jsonl"
    lines.write_text("".join(json.dumps(e) + "\n" for e in events), encoding="utf-8")
    from_lines = cg.eligibility_table(ref, lines, AS_OF, threads=2)
    assert from_lines.equals(table)
    with pytest.raises(cg.Error):
        cg.eligibility_table(ref, tmp_path / "missing.jsonl", AS_OF)
