"""The example data of the repository's ``examples/``, shipped inside the package.

    import certigraph as cg
    ref = cg.examples.referentiel()        # the published référentiel of RNCP40514
    policy = cg.examples.policy()          # its default policy (jurors' mean >= 10/20, all of everything)
    cohort = cg.examples.cohort()          # the 8-candidate sample cohort, read on that policy
    events = cg.examples.evidence()        # their requirement evidence, as ledger events (dicts)
    session = cg.examples.jury_session()   # the sample's jury session (certigraph.jury.Session)
    cg.examples.path("cohort")             # where a file is, for the command-line tool or pandas

They work from any directory: the files are installed with the package (the
wheel carries them), copied from ``examples/`` at build time.
"""
from __future__ import annotations

import json
import pathlib
from typing import Any, Dict, List, Optional

from . import _core

__all__ = ["FILES", "cohort", "evidence", "jury_session", "path", "policy", "referentiel"]

#: The example files by short name; path() accepts either the short name or the file name.
FILES: Dict[str, str] = {
    "referentiel": "referentiels/rncp40514.json",
    "policy": "policies/rncp40514-default.json",
    "cohort": "cohorts/rncp40514-sample.csv",
    "evidence": "cohorts/rncp40514-sample-evidence.jsonl",
    "jury": "juries/rncp40514-session.json",
}

_DATA = pathlib.Path(__file__).resolve().parent / "data"


def path(name: str) -> pathlib.Path:
    """The installed file of an example: a short name of FILES ('referentiel', 'policy',
    'cohort', 'evidence', 'jury'), its file name ('rncp40514.json', ...) or its path under
    examples/ ('referentiels/rncp40514.json', ...)."""
    file = FILES.get(name) or next((f for f in FILES.values() if name in (f, f.rsplit("/", 1)[-1])), "")
    if not file:
        known = ", ".join(f"'{short}' ({file})" for short, file in FILES.items())
        raise ValueError(f"no example named {name!r}; the examples are {known}")
    found = _DATA / file
    if not found.is_file():
        raise _core.IoError(f"{found}: the example file is missing from this installation of certigraph; "
                            "reinstall the package (python3 -m pip install .)")
    return found


def _referentiel() -> _core.Referentiel:
    return _core.Referentiel.load(path("referentiel"))


def _policy() -> _core.Policy:
    return _core.Policy.load(path("policy"))


def referentiel() -> _core.Referentiel:
    """The published référentiel of RNCP40514 (4 blocs, 30 competencies, 30 criteria, 5 épreuves)."""
    return _referentiel()


def policy() -> _core.Policy:
    """The default policy of RNCP40514: each criterion on 0-20, pass mark 10, the jurors'
    mean; all criteria of a competency and all competencies of a bloc."""
    return _policy()


def cohort(referentiel: Optional[_core.Referentiel] = None, policy: Optional[_core.Policy] = None) -> _core.Cohort:
    """The sample cohort (8 candidates, session 2026-06, 2 jurors), read on `policy`'s
    scales (the example référentiel and policy when not given)."""
    from . import read_evaluations  # the package's reader (a path: read in C++)

    return read_evaluations(referentiel if referentiel is not None else _referentiel(), path("cohort"),
                            policy=policy if policy is not None else _policy())


def evidence() -> List[Dict[str, Any]]:
    """The sample candidates' requirement evidence (path starts, attributes, language
    certificates, mobility and work periods) as ledger event dicts, in file order, for
    Ledger.append_many or eligibility()."""
    with open(path("evidence"), encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def jury_session() -> Any:
    """The sample cohort's jury session (4 members, 8 candidates, no decision yet), as a
    certigraph.jury.Session read from the installed file (its grading files resolve
    next to it)."""
    from . import jury

    return jury.Session.load(path("jury"))
