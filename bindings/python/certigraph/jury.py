"""Jury sessions: the composition check, the grid, the decisions, the seal and the
procès-verbal (docs/jury.md).

    import certigraph as cg
    session = cg.jury.Session.load("examples/juries/rncp40514-session.json")
    session.check().compliant                 # the composition, candidate by candidate
    session.grid().table                      # candidate x bloc: computed, margin, decision
    session.decide("C002", "RNCP40514BC02", "validate", reason="...", votes=(2, 2, 0), casting_vote="validate")
    session.confirm_rest()
    session.save()
    record = session.seal("ledger.db")        # sealed, its decisions recorded in the ledger once
    open("pv.html", "w").write(record.pv())   # the procès-verbal (also "csv", "json")

The rules are the C++ ones (``certigraph::jury``): the same findings, problems and
hashes as the command-line tool.
"""
from __future__ import annotations

import json
import os
import pathlib
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple, Union

import pandas as pd

from . import _core
from ._core import AlreadyRecordedError, SealBrokenError  # noqa: F401  (re-exported)

_j = _core._jury

__all__ = ["AlreadyRecordedError", "Composition", "Grid", "Record", "SealBrokenError", "Session"]

PathLike = Union[str, pathlib.Path]
VERDICTS = ("confirm", "validate", "refuse")


@dataclass(frozen=True)
class Composition:
    """The composition check: compliant, the findings and each candidate's jury."""

    compliant: bool
    findings: pd.DataFrame  #: code, blocking, overridden, candidate, members, rule, problem, fix
    juries: pd.DataFrame    #: candidate, deciding, recused, president, compliant
    unused_override: List[str]


@dataclass(frozen=True)
class Grid:
    """The grid: one row per candidate and bloc, and what stops sealing."""

    table: pd.DataFrame     #: candidate, route, bloc, computed, margin, verdict, validated, against, reason
    problems: pd.DataFrame  #: code, candidate, bloc, problem, fix
    record: Dict[str, Any]  #: the whole record (certigraph/jury-record, not sealed)

    @property
    def ready(self) -> bool:
        """True when every decision is taken and nothing stops sealing."""
        return self.problems.empty


def _grid_table(record: Dict[str, Any]) -> pd.DataFrame:
    decisions = {(d["candidate"], d["bloc"]): d for d in record["session"].get("decisions", [])}
    routes = {c["id"]: c["route"] for c in record["session"]["candidates"]}
    rows = []
    for c in record["candidates"]:
        for b in c["blocs"]:
            d = decisions.get((c["id"], b["bloc"]), {})
            rows.append({"candidate": c["id"], "route": routes[c["id"]], "bloc": b["bloc"],
                         "computed": b.get("computed"), "margin": b.get("margin"), "verdict": d.get("verdict"),
                         "validated": b.get("validated"), "against": b["against"], "reason": d.get("reason", "")})
    return pd.DataFrame(rows, columns=["candidate", "route", "bloc", "computed", "margin", "verdict", "validated",
                                       "against", "reason"])


class Session:
    """A jury session file, as a dict (``data``) checked by the C++ reader at every step."""

    def __init__(self, data: Dict[str, Any], path: Optional[PathLike] = None):
        self.path = pathlib.Path(path) if path is not None else None
        self.data = json.loads(_j.normalise(json.dumps(data, ensure_ascii=False), self._source))

    @classmethod
    def load(cls, path: PathLike) -> "Session":
        """Reads a session file (strict: errors name the JSON pointer and the fix)."""
        with open(path, encoding="utf-8") as f:
            text = f.read()
        return cls(json.loads(_j.normalise(text, str(path))), path)

    @property
    def _source(self) -> str:
        return str(self.path) if self.path is not None else "<session>"

    @property
    def base(self) -> pathlib.Path:
        """The folder the grading paths are relative to: the file's, else the current one."""
        return self.path.resolve().parent if self.path is not None else pathlib.Path.cwd()

    def to_json(self) -> str:
        """The session file's text, as certigraph writes it."""
        return _j.normalise(json.dumps(self.data, ensure_ascii=False), self._source)

    def save(self, path: Optional[PathLike] = None) -> pathlib.Path:
        """Writes the session (to its own file unless `path` is given; the grading paths
        are rebased when the folder changes)."""
        target = pathlib.Path(path) if path is not None else self.path
        if target is None:
            raise ValueError("this session has no file yet: save(path)")
        grading = self.data.get("grading")
        if grading is not None and target.resolve().parent != self.base:
            # Saved elsewhere: the relative grading paths are rebased to still name the same files.
            grading = dict(grading)
            for key in ("referentiel", "policy", "evaluations"):
                if not pathlib.Path(grading[key]).is_absolute():
                    grading[key] = os.path.relpath(self.base / grading[key], target.resolve().parent)
            self._replace(grading=grading)
        text = self.to_json()
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(target)
        self.path = target
        return target

    def check(self) -> Composition:
        """The composition check, candidate by candidate (recusals, rules of each route)."""
        r = _j.check(self.to_json(), self._source)
        return Composition(
            r["compliant"],
            pd.DataFrame(r["findings"], columns=["code", "blocking", "overridden", "candidate", "members", "rule",
                                                 "problem", "fix"]),
            pd.DataFrame(r["juries"], columns=["candidate", "deciding", "recused", "president", "compliant"]),
            list(r["unused_override"]))

    def grid(self, referentiel: Optional[PathLike] = None) -> Grid:
        """Grades the session's evaluations and returns the grid with the decisions so far."""
        r = _j.grid(self.to_json(), self._source, self.base, str(referentiel) if referentiel else "")
        record = json.loads(r["record"])
        return Grid(_grid_table(record),
                    pd.DataFrame(r["problems"], columns=["code", "candidate", "bloc", "problem", "fix"]), record)

    def decide(self, candidate: str, bloc: str, verdict: str, *, reason: str = "",
               votes: Optional[Tuple[int, int, int]] = None, casting_vote: Optional[str] = None) -> None:
        """Records (or replaces) the decision on one bloc: "confirm", "validate" or "refuse";
        votes = (validate, refuse, abstain); casting_vote "validate"/"refuse" on a tie."""
        if verdict not in VERDICTS:
            raise ValueError(f"verdict {verdict!r}: use one of {', '.join(VERDICTS)}")
        decision: Dict[str, Any] = {"candidate": candidate, "bloc": bloc, "verdict": verdict}
        if reason:
            decision["reason"] = reason
        if votes is not None:
            v: Dict[str, Any] = dict(zip(("validate", "refuse", "abstain"), (int(x) for x in votes)))
            if casting_vote is not None:
                v["casting_vote"] = casting_vote
            decision["votes"] = v
        elif casting_vote is not None:
            raise ValueError("casting_vote goes with votes: the president's casting vote decides a tie")
        kept = [d for d in self.data.get("decisions", []) if (d["candidate"], d["bloc"]) != (candidate, bloc)]
        self._replace(decisions=kept + [decision])

    def confirm_rest(self) -> int:
        """Confirms every computed result (validated or not) that has no decision; returns how many."""
        table = self.grid().table
        todo = table[table["verdict"].isna() & table["computed"].isin(["validated", "not_validated"])]
        decisions = list(self.data.get("decisions", []))
        decisions += [{"candidate": c, "bloc": b, "verdict": "confirm"} for c, b in zip(todo["candidate"], todo["bloc"])]
        self._replace(decisions=decisions)
        return len(todo)

    def withhold(self, candidate: str, reason: str) -> None:
        """Withholds the certification from an eligible candidate (the reason is mandatory)."""
        kept = [w for w in self.data.get("withheld", []) if w["candidate"] != candidate]
        self._replace(withheld=kept + [{"candidate": candidate, "reason": reason}])

    def prepare(self, ledger: PathLike, referentiel: Optional[PathLike] = None) -> "Record":
        """The draft record: the grid, the decisions and each candidate's certification
        decision from `ledger`'s events; nothing is recorded (its pv() is marked as a draft)."""
        r = _j.prepare(self.to_json(), self._source, self.base, str(referentiel) if referentiel else "",
                       pathlib.Path(ledger))
        return Record(r["record"], self._source)

    def seal(self, ledger: PathLike, referentiel: Optional[PathLike] = None) -> "Record":
        """Seals the session and records its decisions in `ledger` in one transaction, once:
        a second time raises AlreadyRecordedError; a session with problems raises
        certigraph.Error naming the first (nothing recorded)."""
        r = _j.seal(self.to_json(), self._source, self.base, str(referentiel) if referentiel else "",
                    pathlib.Path(ledger))
        return Record(r["record"], self._source)

    def _replace(self, **changes: Any) -> None:
        data = dict(self.data, **changes)
        self.data = json.loads(_j.normalise(json.dumps(data, ensure_ascii=False), self._source))


class Record:
    """A jury session's record: prepared (a draft, ``hash`` empty) or sealed."""

    def __init__(self, text: str, source: str = "<record>"):
        self._text = _j.read_record(text, source)  # checks the seal of a sealed record
        self.data: Dict[str, Any] = json.loads(self._text)
        self.source = source

    @classmethod
    def load(cls, path: PathLike) -> "Record":
        """Reads a sealed record (SESSION.sealed.json); an edited one raises SealBrokenError."""
        with open(path, encoding="utf-8") as f:
            return cls(f.read(), str(path))

    @property
    def hash(self) -> str:
        """The seal ("sha256:…"), empty for a draft."""
        return str(self.data["hash"])

    @property
    def sealed(self) -> bool:
        return bool(self.hash)

    def certifications(self) -> pd.DataFrame:
        """One row per candidate: awarded, eligible, missing, reason."""
        rows = [{"candidate": c["id"], **c.get("certification", {})} for c in self.data["candidates"]]
        return pd.DataFrame(rows, columns=["candidate", "awarded", "eligible", "missing", "reason"])

    def to_json(self) -> str:
        """The sealed file's text (certigraph/jury-record)."""
        return self._text

    def save(self, path: PathLike) -> pathlib.Path:
        target = pathlib.Path(path)
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_text(self._text, encoding="utf-8")
        tmp.replace(target)
        return target

    def pv(self, format: str = "html", *, page_per_candidate: bool = True, formula_guard: bool = True) -> str:
        """The procès-verbal: "html" (self-contained printable page in French), "csv" or "json"."""
        return _j.pv(self._text, self.source, format, page_per_candidate, formula_guard)
