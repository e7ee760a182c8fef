"""certigraph: grade competency-based certifications (RNCP blocs de compétences).

    import certigraph as cg
    ref = cg.examples.referentiel()          # or cg.Referentiel.load(path)
    policy = cg.examples.policy()            # or cg.Policy.load(path)
    cohort = cg.read_evaluations(ref, cg.examples.path("cohort"), policy=policy)
    result = cg.grade(ref, policy, cohort)
    result.to_frame()

See docs/python.md for the whole API.
"""
from __future__ import annotations

import datetime
import enum
import io as _stdio  # `io` is certigraph.io, the interop submodule
import json
import os
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterable, List, Mapping, NamedTuple, Optional, Protocol, \
    Sequence, Union, cast

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    import pandas as pd

from ._typing import Explanation  # noqa: F401  (re-exported, for annotations)

try:
    from . import _core
except ImportError as error:  # pragma: no cover - explains a broken install
    raise ImportError(
        "certigraph's compiled module could not be imported; install the package with "
        "`python3 -m pip install .` from the repository root (not from inside bindings/)"
    ) from error

from ._core import (  # noqa: F401  (re-exported)
    AlreadyRecordedError,
    Bloc,
    Cohort,
    Competency,
    Criterion,
    Diagnostic,
    DisconnectedDesignError,
    EligibilityResult,
    Epreuve,
    Error,
    GradingError,
    Grader,
    InvalidEventError,
    InvalidInputError,
    InvalidReferentielError,
    IoError,
    Ledger,
    LedgerError,
    NotALedgerError,
    NotFoundError,
    ParseError,
    Policy,
    Referentiel,
    Result,
    SealBrokenError,
    SerializationError,
    StatsError,
    __version__,
    check_file,
    grade,
)

# The compiled classes and exceptions are shown as certigraph.X (reprs, tracebacks,
# pickles): that is where users import them from.
for _name in ("Bloc", "Cohort", "Competency", "Criterion", "Diagnostic", "EligibilityResult", "Epreuve", "Error",
              "GradingError", "Grader", "InvalidEventError", "InvalidInputError", "InvalidReferentielError",
              "IoError", "Ledger", "LedgerError", "NotFoundError", "ParseError", "Policy", "Referentiel", "Result",
              "SerializationError", "StatsError", "DisconnectedDesignError", "NotALedgerError", "SealBrokenError", "AlreadyRecordedError"):
    getattr(_core, _name).__module__ = __name__
del _name

__all__ = [
    "AlreadyRecordedError", "Bloc", "CHECK_KINDS", "Cohort", "Competency", "Criterion", "Diagnostic", "DisconnectedDesignError",
    "EligibilityResult", "Epreuve", "Error",
    "Event", "EvaluationSource", "Explanation", "FINDINGS", "GradingError", "Grader", "InvalidEventError",
    "InvalidInputError", "InvalidReferentielError", "IoError", "Ledger", "LedgerError", "Mark", "NotALedgerError", "NotFoundError",
    "ParseError", "Policy", "Referentiel", "Result", "STATUS_LABELS", "SealBrokenError", "SerializationError", "Status",
    "StatsError", "VerifyProblem", "__version__", "check_file", "eligibility", "eligibility_table", "examples", "grade",
    "jury", "read_evaluations",
    "sensitivity", "state_as_of",
]


class Status(enum.IntEnum):
    """The codes in Result.bloc_status (and the criterion/competency status arrays)."""

    INCOMPLETE = 0  #: the known values neither guarantee nor rule out the rule
    VALIDATED = 1  #: guaranteed by the known values
    NOT_VALIDATED = 2  #: ruled out by the known values
    EXEMPT = 3  #: every child exempt

    @property
    def label(self) -> str:
        """The name used in files and frames: 'validated', 'not_validated', ..."""
        return self.name.lower()

    def __str__(self) -> str:
        return self.label


class Mark(enum.IntEnum):
    """Codes of the optional `marks` array of Cohort.from_array."""

    VALUE = 0  #: the slot's number (missing when NaN)
    ABSENT = 1  #: absent: counts as not met
    EXEMPT = 2  #: exempt: counts as met, flagged


#: The labels of Status, in code order: the categories of every status column of
#: our frames (so ``frame.status.cat.codes`` are the Status codes).
STATUS_LABELS: List[str] = [s.label for s in Status]


def _status_column(codes: npt.NDArray[np.uint8]) -> "pd.Categorical[str]":
    """A categorical column over the fixed status set from an array of Status codes."""
    import pandas as pd

    # pandas-stubs types the values of from_codes as int: they are the labels.
    return pd.Categorical.from_codes(codes.astype(np.int8, copy=False),  # type: ignore[return-value]
                                     dtype=pd.CategoricalDtype(STATUS_LABELS, ordered=False))


def _from_array(referentiel: Referentiel, scores: npt.NDArray[np.floating[Any]], *,
                candidates: Optional[Sequence[str]] = None, sessions: Optional[Sequence[str]] = None,
                marks: Optional[npt.NDArray[np.uint8]] = None) -> Cohort:
    """A cohort over `scores` without copying it.

    Parameters
    ----------
    referentiel : Referentiel
        Its criteria give the columns, in the order of ``referentiel.criteria``.
    scores : numpy.ndarray
        float32, C-contiguous, shape (candidates, criteria, jurors); NaN = missing.
        Anything else raises ValueError rather than being copied silently.
    candidates, sessions : sequence of str, optional
        Row labels.
    marks : numpy.ndarray, optional
        uint8, same shape: Mark codes (absent / exempt).
    """
    return Cohort._from_array(referentiel, scores, marks, None if candidates is None else list(candidates),
                              None if sessions is None else list(sessions))


def _from_frame(referentiel: Referentiel, frame: "pd.DataFrame", *, policy: Optional[Policy] = None) -> Cohort:
    """A cohort from a long DataFrame with columns candidate, session, epreuve,
    criterion, juror, value (as the CSV reader reads them: values are numbers or
    labels of the criterion's scale, 'absent' or 'exempt'; NaN or '' = missing).
    Errors name the frame's row as line (row + 2) of '<frame>'."""
    columns = ["candidate", "session", "epreuve", "criterion", "juror", "value"]
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"the frame lacks the columns {missing}; it needs {columns}")
    buffer = _stdio.StringIO()
    frame[columns].to_csv(buffer, index=False)
    return _core._read_evaluations_text(referentiel, buffer.getvalue(), "<frame>", policy)


setattr(Cohort, "from_array", staticmethod(_from_array))
setattr(Cohort, "from_frame", staticmethod(_from_frame))


class _ReadsBytes(Protocol):
    def read(self, size: int, /) -> bytes: ...


class _ReadsText(Protocol):
    def read(self, size: int, /) -> str: ...


#: What read_evaluations reads: a path, or a binary or text file-like object.
EvaluationSource = Union[str, "os.PathLike[str]", _ReadsBytes, _ReadsText]


def read_evaluations(referentiel: Referentiel, source: EvaluationSource, *, policy: Optional[Policy] = None) -> Cohort:
    """Reads an evaluations CSV (long or wide format) as `certigraph grade` does.

    `source` is a path (str or os.PathLike), read by the C++ reader (the file is
    mapped, never a Python object; the GIL is released), or a file-like object with
    ``read`` (binary or text mode), read in chunks of 1 MiB into one C++ buffer.
    Values are read on the policy's scales (numeric 0-20 with pass mark 10 when no
    policy is given). All or nothing: raises InvalidInputError naming every problem's
    file:line:column; IoError when the file cannot be opened.
    """
    if not isinstance(source, (str, os.PathLike)) and hasattr(source, "read"):
        name = getattr(source, "name", None)
        # A binary file fills the C++ buffer itself (readinto); a text file's str chunks are encoded.
        into = hasattr(source, "readinto") and not isinstance(source, _stdio.TextIOBase)
        return _core._read_evaluations_stream(referentiel, source, name if isinstance(name, str) else "<file>",
                                              policy, readinto=into)
    if isinstance(source, (str, os.PathLike)):
        return _core._read_evaluations_file(referentiel, os.fspath(source), policy)
    raise TypeError(f"read_evaluations: source is a path (str or os.PathLike) or a file object with read(), "
                    f"not a {type(source).__name__}")


def _to_frame(self: Result, *, values: bool = False) -> "pd.DataFrame":
    """One row per candidate and bloc: candidate, session, bloc, status (a categorical
    over STATUS_LABELS, whose codes are the Status codes).

    With ``values=True``, one row per candidate and criterion instead: candidate,
    session, criterion, value, status (needs a result graded with details).
    """
    import pandas as pd

    rows, blocs = self.bloc_status.shape
    if not values:
        return pd.DataFrame({
            "candidate": np.repeat(np.asarray(self.candidates, dtype=object), blocs),
            "session": np.repeat(np.asarray(self.sessions, dtype=object), blocs),
            "bloc": np.tile(np.asarray(self.blocs, dtype=object), rows),
            "status": _status_column(self.bloc_status.reshape(-1)),
        })
    if self.criterion_values is None or self.criterion_status is None:
        raise GradingError("this result has no criterion values: grade with details=True")
    criteria = len(self.criteria)
    return pd.DataFrame({
        "candidate": np.repeat(np.asarray(self.candidates, dtype=object), criteria),
        "session": np.repeat(np.asarray(self.sessions, dtype=object), criteria),
        "criterion": np.tile(np.asarray(self.criteria, dtype=object), rows),
        "value": self.criterion_values.reshape(-1),
        "status": _status_column(self.criterion_status.reshape(-1)),
    })


setattr(Result, "to_frame", _to_frame)


class _ExplanationNode(Dict[str, Any]):
    """An Explanation at run time: a dict (compare, index and serialise it as one) whose
    repr says what it holds:
    ``<Explanation criterion A2E3: not_validated, mean >= 10, value 7.8, margin -2.2, jurors 7.2 8.4>``."""

    __slots__ = ()

    def __repr__(self) -> str:
        parts = [f"{self['status']}, {self['rule']}"]
        if self["value"] is not None:
            parts.append(f"value {self['value']:.6g}")
        elif self["threshold"] is not None:
            parts.append(f"{self['threshold']:g} needed")
        if self["margin"] is not None:
            parts.append(f"margin {self['margin']:+.6g}")
        if "jurors" in self:
            parts.append("jurors " + " ".join("-" if j is None else f"{j:g}" for j in self["jurors"]))
        if self["children"]:
            parts.append(f"{len(self['children'])} {'child' if len(self['children']) == 1 else 'children'}")
        if self["note"]:
            parts.append(self["note"])
        return f"<Explanation {self['kind']} {self['code']}: {', '.join(parts)}>"

    __str__ = __repr__


def _explanation_node(node: Mapping[str, Any]) -> _ExplanationNode:
    out = _ExplanationNode(node)
    out["children"] = [_explanation_node(child) for child in node["children"]]
    return out


_core_explain = Result.explain


def _explain(self: Result, candidate: str, session: Optional[str] = None) -> List[Explanation]:
    """Why a candidate has each bloc status: one Explanation per bloc (a dict with kind,
    code, status, rule, value, threshold, margin, note and children; jurors for a
    criterion), its competencies as children and theirs with their criteria."""
    # At run time an Explanation is a dict (of the subclass above); to type checkers, a TypedDict.
    return cast(List[Explanation], [_explanation_node(bloc) for bloc in _core_explain(self, candidate, session)])


setattr(Result, "explain", _explain)


def sensitivity(referentiel: Referentiel, policy: Policy, cohort: Cohort, *, code: str, start: float,
                stop: float, step: float) -> "pd.DataFrame":
    """What-if: for each pass threshold from `start` to `stop` (inclusive) by `step`,
    set on the criteria under node `code` (a bloc, competency, criterion or épreuve),
    the cohort's bloc statuses and how many (candidate, bloc) pairs change from the
    policy's own result. Returns a DataFrame."""
    import pandas as pd

    rows = _core._sensitivity(referentiel, policy, cohort, code, start, stop, step)
    return pd.DataFrame(rows, columns=["threshold", "validated", "not_validated", "incomplete", "exempt",
                                       "changed"])


# --- The capitalisation ledger and eligibility (docs/ledger.md) ------------------------
#
# Events cross into C++ as JSON text in the form of docs/ledger.md and come back as
# dicts of that form: the C++ reader (event_from_json) validates them strictly.


def _json_default(value: object) -> str:
    if isinstance(value, datetime.date):  # datetime.datetime and pandas.Timestamp too
        return _iso_date(value)
    raise TypeError(f"an event holds a {type(value).__name__}, which has no JSON form: {value!r}")


def _iso_date(value: Union[datetime.date, str]) -> str:
    """'YYYY-MM-DD' from a datetime.date (or datetime, Timestamp: its calendar day) or a str."""
    if isinstance(value, str):
        return value
    if isinstance(value, datetime.date):
        return datetime.date(value.year, value.month, value.day).isoformat()
    raise TypeError(f"expected a datetime.date or a 'YYYY-MM-DD' string, got {type(value).__name__}")


#: An event: a dict in the JSON form of docs/ledger.md, or its JSON text.
Event = Union[Mapping[str, Any], str]


def _event_text(event: Event) -> str:
    if isinstance(event, str):  # already JSON text
        return event
    if not isinstance(event, Mapping):
        raise TypeError(f"an event is a dict (or its JSON text), not a {type(event).__name__}")
    return json.dumps(event, ensure_ascii=False, default=_json_default)


def _event_texts(events: Iterable[Event]) -> List[str]:
    if isinstance(events, (str, Mapping)):
        raise TypeError("expected a list of events (dicts); for one event use append()")
    return [_event_text(e) for e in events]


class VerifyProblem(NamedTuple):
    """One problem found by Ledger.verify(): the row (event id; 0 for a chain head),
    the candidate and what is wrong. A tuple: ``row, candidate, problem = p``."""

    row: int
    candidate: str
    problem: str


def _ledger_append(self: Ledger, event: Event) -> int:
    """Validates and records one event (a dict in the JSON form of docs/ledger.md, or
    its JSON text); returns its id. Dates may be datetime.date or 'YYYY-MM-DD'; an
    "id" in the event is ignored (the store assigns it).

    Raises InvalidEventError (``.index``, ``.field``; nothing recorded) or LedgerError.
    """
    return self._append_json([_event_text(event)])[0]


def _ledger_append_many(self: Ledger, events: Iterable[Event]) -> List[int]:
    """Validates and records a batch in one transaction, all or nothing; returns the
    ids in order. InvalidEventError names the first bad event's index and field."""
    return self._append_json(_event_texts(events))


def _ledger_events(self: Ledger, candidate: Optional[str] = None) -> List[Dict[str, Any]]:
    """The events (of one candidate, or all), in append order, as dicts with their "id"."""
    events: List[Dict[str, Any]] = json.loads(self._events_json(candidate))
    return events


def _ledger_verify(self: Ledger, *, checkpoint: Optional[Union[str, "os.PathLike[str]"]] = None,
                   pubkey: Optional[Union[str, "os.PathLike[str]"]] = None,
                   frame: bool = False) -> Union[List[VerifyProblem], "pd.DataFrame"]:
    """Re-checks the file, every hash chain and the Merkle tree (docs/ledger.md); with
    ``checkpoint`` (a path, or the text of a signed checkpoint) and ``pubkey`` (the
    Ed25519 public key's PEM file), also that the ledger still holds exactly what the
    checkpoint covered. An empty list when nothing was found. A list of
    VerifyProblem(row, candidate, problem) tuples, or with ``frame=True`` a DataFrame
    with those columns. Raises LedgerError if the checkpoint's signature does not
    verify."""
    if (checkpoint is None) != (pubkey is None):
        raise TypeError("checkpoint and pubkey go together")
    if checkpoint is None or pubkey is None:
        raw = self._verify()
    else:
        text, source = os.fspath(checkpoint), "<checkpoint>"
        if isinstance(checkpoint, os.PathLike) or "\n" not in text:
            source = os.fspath(checkpoint)
            with open(source, encoding="utf-8") as f:
                text = f.read()
        raw = self._verify_checkpoint(text, os.fspath(pubkey), source)
    problems = [VerifyProblem(*p) for p in raw]
    if not frame:
        return problems
    import pandas as pd

    return pd.DataFrame(problems, columns=list(VerifyProblem._fields))


def _ledger_export_jsonl(self: Ledger, path: Union[str, "os.PathLike[str]", None] = None) -> Optional[str]:
    """JSON lines, one canonical event per line with its id, seq and hash: returned as
    text, or written to `path` (str or os.PathLike; then returns None)."""
    if path is None:
        return self._export_jsonl()
    self._export_jsonl_file(os.fspath(path))
    return None


class _ReadsAllText(Protocol):
    def read(self) -> str: ...


def _ledger_import_jsonl(self: Ledger, source: Union[str, "os.PathLike[str]", _ReadsAllText]) -> int:
    """Records JSON lines in one transaction, all or nothing; returns how many.

    `source` is a path (os.PathLike, or a str that does not start with '{'), JSON-lines
    text (a str whose first non-blank character is '{', or blank), or an open text
    file. Lines with an "id" are replicated (they must continue this ledger), lines
    without are new events. Raises ParseError ``source:line: at /pointer: problem``.
    """
    if isinstance(source, str) and (not source.strip() or source.lstrip().startswith("{")):
        return self._import_jsonl(source, "<text>")
    if isinstance(source, (str, bytes, os.PathLike)):
        return self._import_jsonl_file(os.fspath(source))
    return self._import_jsonl(source.read(), getattr(source, "name", "<file>"))


def _ledger_enter(self: Ledger) -> Ledger:
    return self


def _ledger_exit(self: Ledger, *exc: object) -> None:
    self.close()


_LEDGER_METHODS: Dict[str, Callable[..., Any]] = {
    "append": _ledger_append, "append_many": _ledger_append_many, "events": _ledger_events,
    "verify": _ledger_verify, "export_jsonl": _ledger_export_jsonl, "import_jsonl": _ledger_import_jsonl,
    "__enter__": _ledger_enter, "__exit__": _ledger_exit,
}
for _name, _method in _LEDGER_METHODS.items():
    setattr(Ledger, _name, _method)


def state_as_of(events: Union[Ledger, Iterable[Event]], as_of: Union[datetime.date, str], *,
                candidate: Optional[str] = None) -> Dict[str, Any]:
    """The capitalisation state of one candidate as of a date (docs/ledger.md, "State as
    of a date"): a dict with as_of, blocs ({code: {acquired, since, route, event,
    corrects, refusals, last_refused}}), languages, mobility_days, mobility_weeks,
    work_days, work_months, work_longest_months, path_started, path_access_route,
    path_event, exceptions, first_event, attributes, problems and certification (the
    certification decision in force: {awarded, eligible, missing, reason, date,
    session, route, event, corrects}, or None). Dates are 'YYYY-MM-DD' text, None
    when absent.

    `events` is a list of event dicts (all of one candidate, or pick one with
    `candidate=`), or a Ledger (then `candidate=` is required). Events are checked as
    the ledger checks them (InvalidEventError).
    """
    date = _iso_date(as_of)
    if isinstance(events, Ledger):
        if candidate is None:
            raise TypeError("state_as_of(ledger, as_of) needs candidate=")
        return _core._state_as_of_ledger(events, candidate, date)
    listed = list(events)
    if candidate is not None:
        listed = [e for e in listed if _candidate_of(e) == candidate]
    else:
        found = {_candidate_of(e) for e in listed}
        if len(found) > 1:
            raise ValueError(f"state_as_of: the events are of {len(found)} candidates; pass candidate=")
    return _core._state_as_of(_event_texts(listed), date)


def _candidate_of(event: Event) -> Optional[str]:
    value = json.loads(event) if isinstance(event, str) else event
    candidate = value.get("candidate") if isinstance(value, Mapping) else None
    return candidate if isinstance(candidate, str) else None


def eligibility(referentiel: Referentiel, source: Union[Ledger, Iterable[Event]], as_of: Union[datetime.date, str],
                candidate: Optional[str] = None, *, threads: int = 0) -> EligibilityResult:
    """Eligibility for the certification as of `as_of` (the decision date), with every
    reason and what is missing (docs/ledger.md).

    Parameters
    ----------
    referentiel : Referentiel
        Its blocs, option groups, requirements and dates are checked.
    source : Ledger or list of event dicts
        The events (several candidates are fine). Listed events are checked as the
        ledger checks them (InvalidEventError).
    as_of : datetime.date or 'YYYY-MM-DD'
        Events dated after it are ignored.
    candidate : str, optional
        Only this candidate (a candidate without events gets an answer too).
    threads : int
        0 = one thread, or all cores from 4,096 candidates; the answers do not depend on it.

    Returns
    -------
    EligibilityResult
        ``to_frame()``, ``summary()``, ``result[candidate]``, ``eligible``, ``to_json()``.
    """
    date = _iso_date(as_of)
    if isinstance(source, Ledger):
        return _core._eligibility_of_ledger(referentiel, source, date, candidate, threads)
    return _core._eligibility_of_events(referentiel, _event_texts(source), date, candidate, threads)


def eligibility_table(referentiel: Referentiel, source: Union[Ledger, str, "os.PathLike[str]"],
                      as_of: Union[datetime.date, str], *, threads: int = 0) -> "pd.DataFrame":
    """Eligibility of every candidate as columns, for large cohorts: one row per
    candidate, no Python object per check (docs/python.md, "Eligibility in bulk").

    Parameters
    ----------
    referentiel : Referentiel
    source : Ledger, or the path of a JSON-lines file of events
        A ledger is read from its typed columns; a file line by line. Neither is
        turned into Python objects.
    as_of : datetime.date or 'YYYY-MM-DD'
    threads : int
        0 = one thread, or all cores from 4,096 candidates; the answers do not depend on it.

    Returns
    -------
    pandas.DataFrame
        ``candidate``, ``eligible`` (bool), ``problems`` (ledger problems, each makes
        the candidate ineligible), then per check (blocs, option groups, requirements,
        ``delivery_window``) a categorical column named after it holding the finding
        (``FINDINGS``) and ``<check>.have`` (refusals, weeks, months or CEFR rank).
        ``attrs`` holds ``as_of`` and ``check_kinds``. The findings equal those of
        ``eligibility(...)``; for the sentences of one candidate, call it with ``candidate=``.
    """
    import pandas as pd

    date = _iso_date(as_of)
    if isinstance(source, Ledger):
        columns = _core._eligibility_table_of_ledger(referentiel, source, date, threads)
    else:
        columns = _core._eligibility_table_of_json_lines(referentiel, os.fspath(source), date, threads)
    data: Dict[str, Any] = {"candidate": columns["candidate"], "eligible": columns["eligible"],
                            "problems": columns["problems"]}
    finding, have = columns["finding"], columns["have"]
    categories = pd.Index(FINDINGS)
    for c, subject in enumerate(columns["check_subject"]):
        data[subject] = pd.Categorical.from_codes(np.ascontiguousarray(finding[:, c]).astype(np.int8),
                                                  categories=categories)
        data[subject + ".have"] = np.ascontiguousarray(have[:, c])
    frame = pd.DataFrame(data, copy=False)
    frame.attrs["as_of"] = columns["as_of"]
    frame.attrs["check_kinds"] = dict(zip(columns["check_subject"], columns["check_kind"]))
    return frame


#: The categories of the eligibility frame's `kind` and `finding` columns (enum order).
CHECK_KINDS: List[str] = list(_core._check_kinds())
FINDINGS: List[str] = list(_core._findings())


def _fixed_categorical(values: Sequence[str], categories: List[str], column: str) -> "pd.Categorical[str]":
    import pandas as pd

    out: pd.Categorical[str] = pd.Categorical(list(values), dtype=pd.CategoricalDtype(categories, ordered=False))
    if len(values) and out.isna().any():  # a code the category set lacks: never silently NaN
        raise GradingError(f"eligibility frame: column {column} holds a value outside {categories}")
    return out


def _eligibility_to_frame(self: EligibilityResult) -> "pd.DataFrame":
    """One row per candidate and check: candidate, as_of, eligible, kind, subject,
    required, met, finding, reason, missing ('' when nothing is missing), have, need
    (float, NaN when the check has no quantities), date ('YYYY-MM-DD' or None), event
    (Int64, <NA> when none) and detail. Candidates sorted, checks in a fixed order
    (blocs, option groups, requirements, delivery window, ledger problems).

    E.g. who lacks what: ``f[f.required & ~f.met].groupby("subject").candidate.nunique()``.
    """
    import pandas as pd

    c = self._columns()
    have, need = c["have"], c["need"]
    none = (have == 0) & (need == 0)
    event = pd.array(c["event"], dtype="Int64")
    event[c["event"] == 0] = pd.NA
    return pd.DataFrame({
        "candidate": c["candidate"],
        "as_of": self.as_of,
        "eligible": c["eligible"],
        "kind": _fixed_categorical(c["kind"], CHECK_KINDS, "kind"),
        "subject": c["subject"],
        "required": c["required"],
        "met": c["met"],
        "finding": _fixed_categorical(c["finding"], FINDINGS, "finding"),
        "reason": c["reason"],
        "missing": c["missing"],
        "have": np.where(none, np.nan, have),
        "need": np.where(none, np.nan, need),
        "date": [d or None for d in c["date"]],
        "event": event,
        "detail": c["detail"],
    }, columns=["candidate", "as_of", "eligible", "kind", "subject", "required", "met", "finding", "reason",
                "missing", "have", "need", "date", "event", "detail"])


def _eligibility_summary(self: EligibilityResult) -> "pd.DataFrame":
    """One row per candidate: candidate, as_of, eligible, missing (the sentences of
    what is missing, joined with '; '; '' when eligible)."""
    import pandas as pd

    c = self._summary_columns()
    return pd.DataFrame({"candidate": c["candidate"], "as_of": self.as_of, "eligible": c["eligible"],
                         "missing": c["missing"]}, columns=["candidate", "as_of", "eligible", "missing"])


setattr(EligibilityResult, "to_frame", _eligibility_to_frame)
setattr(EligibilityResult, "summary", _eligibility_summary)


from . import examples  # noqa: E402  (the example data; uses read_evaluations above)

# Jury-quality statistics (docs/stats.md): `cg.stats.krippendorff_alpha(...)`.
from . import stats  # noqa: E402  (needs the names above)

# Interoperability (docs/interop.md): certigraph.io.import_referentiel, ...
from . import io  # noqa: E402

# Jury sessions (docs/jury.md): certigraph.jury.Session.
from . import jury  # noqa: E402
