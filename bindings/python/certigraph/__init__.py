"""certigraph: grade competency-based certifications (RNCP blocs de compétences).

    import certigraph as cg
    ref = cg.Referentiel.load("examples/referentiels/rncp40514.json")
    policy = cg.Policy.load("examples/policies/rncp40514-default.json")
    cohort = cg.read_evaluations(ref, "examples/cohorts/rncp40514-sample.csv", policy=policy)
    result = cg.grade(ref, policy, cohort)
    result.to_frame()

See docs/python.md for the whole API.
"""
from __future__ import annotations

import collections
import datetime
import enum
import io as _io
import json
import os
from typing import Any, Iterable, List, Mapping, Optional, Sequence, Union

import numpy as np

try:
    from . import _core
except ImportError as error:  # pragma: no cover - explains a broken install
    raise ImportError(
        "certigraph's compiled module could not be imported; install the package with "
        "`python3 -m pip install .` from the repository root (not from inside bindings/)"
    ) from error

from ._core import (  # noqa: F401  (re-exported)
    Bloc,
    Cohort,
    Competency,
    Criterion,
    Diagnostic,
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
    NotFoundError,
    ParseError,
    Policy,
    Referentiel,
    Result,
    SerializationError,
    __version__,
    check_file,
    grade,
)

__all__ = [
    "Bloc", "Cohort", "Competency", "Criterion", "Diagnostic", "EligibilityResult", "Epreuve", "Error",
    "GradingError", "Grader", "InvalidEventError", "InvalidInputError", "InvalidReferentielError", "IoError",
    "Ledger", "LedgerError", "Mark", "NotFoundError", "ParseError", "Policy", "Referentiel", "Result",
    "SerializationError", "Status", "VerifyProblem", "__version__", "check_file", "eligibility", "grade",
    "read_evaluations", "sensitivity", "state_as_of",
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


_STATUS_LABELS = np.array([s.label for s in Status], dtype=object)


def _from_array(referentiel: Referentiel, scores: np.ndarray, *, candidates: Optional[Sequence[str]] = None,
                sessions: Optional[Sequence[str]] = None, marks: Optional[np.ndarray] = None) -> Cohort:
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


def _from_frame(referentiel: Referentiel, frame, *, policy: Optional[Policy] = None) -> Cohort:
    """A cohort from a long DataFrame with columns candidate, session, epreuve,
    criterion, juror, value (as the CSV reader reads them: values are numbers or
    labels of the criterion's scale, 'absent' or 'exempt'; NaN or '' = missing).
    Errors name the frame's row as line (row + 2) of '<frame>'."""
    columns = ["candidate", "session", "epreuve", "criterion", "juror", "value"]
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"the frame lacks the columns {missing}; it needs {columns}")
    buffer = _io.StringIO()
    frame[columns].to_csv(buffer, index=False)
    return _core._read_evaluations_text(referentiel, buffer.getvalue(), "<frame>", policy)


Cohort.from_array = staticmethod(_from_array)
Cohort.from_frame = staticmethod(_from_frame)


def read_evaluations(referentiel: Referentiel, path, *, policy: Optional[Policy] = None) -> Cohort:
    """Reads an evaluations CSV (long or wide format) as `certigraph grade` does.

    Values are read on the policy's scales (numeric 0-20 with pass mark 10 when no
    policy is given). All or nothing: raises InvalidInputError naming every problem's
    file:line:column.
    """
    with open(path, encoding="utf-8", newline="") as handle:
        text = handle.read()
    return _core._read_evaluations_text(referentiel, text, str(path), policy)


def _to_frame(self: Result, *, values: bool = False):
    """One row per candidate and bloc: candidate, session, bloc, status (a label).

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
            "status": _STATUS_LABELS[self.bloc_status.reshape(-1)],
        })
    if self.criterion_values is None:
        raise GradingError("this result has no criterion values: grade with details=True")
    criteria = len(self.criteria)
    return pd.DataFrame({
        "candidate": np.repeat(np.asarray(self.candidates, dtype=object), criteria),
        "session": np.repeat(np.asarray(self.sessions, dtype=object), criteria),
        "criterion": np.tile(np.asarray(self.criteria, dtype=object), rows),
        "value": self.criterion_values.reshape(-1),
        "status": _STATUS_LABELS[self.criterion_status.reshape(-1)],
    })


Result.to_frame = _to_frame


def sensitivity(referentiel: Referentiel, policy: Policy, cohort: Cohort, *, code: str, start: float,
                stop: float, step: float):
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


def _json_default(value):
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


def _event_text(event) -> str:
    if isinstance(event, str):  # already JSON text
        return event
    if not isinstance(event, Mapping):
        raise TypeError(f"an event is a dict (or its JSON text), not a {type(event).__name__}")
    return json.dumps(event, ensure_ascii=False, default=_json_default)


def _event_texts(events: Iterable) -> List[str]:
    if isinstance(events, (str, Mapping)):
        raise TypeError("expected a list of events (dicts); for one event use append()")
    return [_event_text(e) for e in events]


class VerifyProblem(collections.namedtuple("VerifyProblem", ["row", "candidate", "problem"])):
    """One problem found by Ledger.verify(): the row (event id; 0 for a chain head),
    the candidate and what is wrong. A tuple: ``row, candidate, problem = p``."""

    __slots__ = ()


def _ledger_append(self: Ledger, event: Mapping[str, Any]) -> int:
    """Validates and records one event (a dict in the JSON form of docs/ledger.md, or
    its JSON text); returns its id. Dates may be datetime.date or 'YYYY-MM-DD'; an
    "id" in the event is ignored (the store assigns it).

    Raises InvalidEventError (``.index``, ``.field``; nothing recorded) or LedgerError.
    """
    return self._append_json([_event_text(event)])[0]


def _ledger_append_many(self: Ledger, events: Iterable[Mapping[str, Any]]) -> List[int]:
    """Validates and records a batch in one transaction, all or nothing; returns the
    ids in order. InvalidEventError names the first bad event's index and field."""
    return self._append_json(_event_texts(events))


def _ledger_events(self: Ledger, candidate: Optional[str] = None) -> List[dict]:
    """The events (of one candidate, or all), in append order, as dicts with their "id"."""
    return json.loads(self._events_json(candidate))


def _ledger_verify(self: Ledger, *, frame: bool = False):
    """Re-checks every hash chain (docs/ledger.md); an empty list when nothing was
    tampered with. A list of VerifyProblem(row, candidate, problem) tuples, or with
    ``frame=True`` a DataFrame with those columns."""
    problems = [VerifyProblem(*p) for p in self._verify()]
    if not frame:
        return problems
    import pandas as pd

    return pd.DataFrame(problems, columns=list(VerifyProblem._fields))


def _ledger_export_jsonl(self: Ledger, path=None) -> Optional[str]:
    """JSON lines, one canonical event per line with its id, seq and hash: returned as
    text, or written to `path` (str or os.PathLike; then returns None)."""
    if path is None:
        return self._export_jsonl()
    self._export_jsonl_file(os.fspath(path))
    return None


def _ledger_import_jsonl(self: Ledger, source) -> int:
    """Records JSON lines in one transaction, all or nothing; returns how many.

    `source` is a path (os.PathLike, or a str that does not start with '{'), JSON-lines
    text (a str whose first non-blank character is '{', or blank), or an open text
    file. Lines with an "id" are replicated (they must continue this ledger), lines
    without are new events. Raises ParseError ``source:line: at /pointer: problem``.
    """
    if hasattr(source, "read"):
        return self._import_jsonl(source.read(), getattr(source, "name", "<file>"))
    if isinstance(source, str) and (not source.strip() or source.lstrip().startswith("{")):
        return self._import_jsonl(source, "<text>")
    return self._import_jsonl_file(os.fspath(source))


def _ledger_enter(self: Ledger) -> Ledger:
    return self


def _ledger_exit(self: Ledger, *exc) -> None:
    self.close()


Ledger.append = _ledger_append
Ledger.append_many = _ledger_append_many
Ledger.events = _ledger_events
Ledger.verify = _ledger_verify
Ledger.export_jsonl = _ledger_export_jsonl
Ledger.import_jsonl = _ledger_import_jsonl
Ledger.__enter__ = _ledger_enter
Ledger.__exit__ = _ledger_exit


def state_as_of(events, as_of: Union[datetime.date, str], *, candidate: Optional[str] = None) -> dict:
    """The capitalisation state of one candidate as of a date (docs/ledger.md, "State as
    of a date"): a dict with as_of, blocs ({code: {acquired, since, route, event,
    corrects, refusals, last_refused}}), languages, mobility_days, mobility_weeks,
    work_days, work_months, work_longest_months, path_started, path_access_route,
    path_event, exceptions, first_event, attributes and problems. Dates are
    'YYYY-MM-DD' text, None when absent.

    `events` is a list of event dicts (all of one candidate, or pick one with
    `candidate=`), or a Ledger (then `candidate=` is required). Events are checked as
    the ledger checks them (InvalidEventError).
    """
    as_of = _iso_date(as_of)
    if isinstance(events, Ledger):
        if candidate is None:
            raise TypeError("state_as_of(ledger, as_of) needs candidate=")
        return _core._state_as_of_ledger(events, candidate, as_of)
    events = list(events)
    if candidate is not None:
        events = [e for e in events if _candidate_of(e) == candidate]
    else:
        found = {_candidate_of(e) for e in events}
        if len(found) > 1:
            raise ValueError(f"state_as_of: the events are of {len(found)} candidates; pass candidate=")
    return _core._state_as_of(_event_texts(events), as_of)


def _candidate_of(event) -> Optional[str]:
    if isinstance(event, str):
        event = json.loads(event)
    return event.get("candidate") if isinstance(event, Mapping) else None


def eligibility(referentiel: Referentiel, source, as_of: Union[datetime.date, str], candidate: Optional[str] = None, *,
                threads: int = 0) -> EligibilityResult:
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
    as_of = _iso_date(as_of)
    if isinstance(source, Ledger):
        return _core._eligibility_of_ledger(referentiel, source, as_of, candidate, threads)
    return _core._eligibility_of_events(referentiel, _event_texts(source), as_of, candidate, threads)


def _eligibility_to_frame(self: EligibilityResult):
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
        "kind": c["kind"],
        "subject": c["subject"],
        "required": c["required"],
        "met": c["met"],
        "finding": c["finding"],
        "reason": c["reason"],
        "missing": c["missing"],
        "have": np.where(none, np.nan, have),
        "need": np.where(none, np.nan, need),
        "date": [d or None for d in c["date"]],
        "event": event,
        "detail": c["detail"],
    }, columns=["candidate", "as_of", "eligible", "kind", "subject", "required", "met", "finding", "reason",
                "missing", "have", "need", "date", "event", "detail"])


def _eligibility_summary(self: EligibilityResult):
    """One row per candidate: candidate, as_of, eligible, missing (the sentences of
    what is missing, joined with '; '; '' when eligible)."""
    import pandas as pd

    c = self._summary_columns()
    return pd.DataFrame({"candidate": c["candidate"], "as_of": self.as_of, "eligible": c["eligible"],
                         "missing": c["missing"]}, columns=["candidate", "as_of", "eligible", "missing"])


EligibilityResult.to_frame = _eligibility_to_frame
EligibilityResult.summary = _eligibility_summary

from . import io  # noqa: E402,F401  (certigraph.io: CASE, Moodle, Canvas files)
