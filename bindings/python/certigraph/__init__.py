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

import enum
import io
from typing import Optional, Sequence

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
    Epreuve,
    Error,
    GradingError,
    Grader,
    InvalidInputError,
    InvalidReferentielError,
    IoError,
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
    "Bloc", "Cohort", "Competency", "Criterion", "Diagnostic", "Epreuve", "Error", "GradingError",
    "Grader", "InvalidInputError", "InvalidReferentielError", "IoError", "Mark", "NotFoundError",
    "ParseError", "Policy", "Referentiel", "Result", "SerializationError", "Status", "__version__",
    "check_file", "grade", "read_evaluations", "sensitivity",
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
    buffer = io.StringIO()
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
