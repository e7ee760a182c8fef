"""certigraph.io: référentiels from the formats people already hold, and to the
systems they already run (docs/interop.md).

    import certigraph as cg
    ref = cg.io.import_referentiel("tests/data/interop/rncp40514_referentiel.txt",
                                   format="referentiel-text", fiche="RNCP40514")
    fiches = cg.io.rncp_fiches("tests/data/interop/rncp/rncp_v4.1_5fiches.xml", active_only=True)
    cg.io.export_referentiel(cg.examples.referentiel(), "rncp40514-case.json", format="case")
    back = cg.io.import_referentiel("rncp40514-case.json", format="case")
"""
from __future__ import annotations

import json
import os
from typing import Any, Dict, List, Optional, Tuple, Union

from . import _core

#: The RNCP formats import_referentiel reads (`certigraph import --from` names).
RNCP_FORMATS = ("referentiel-text", "rncp-xml", "rncp-csv")
#: The exchange formats of import_referentiel and export_referentiel.
EXCHANGE_FORMATS = ("case", "moodle-csv", "canvas-csv")
#: Every format import_referentiel reads.
FORMATS = RNCP_FORMATS + EXCHANGE_FORMATS

PathLike = Union[str, "os.PathLike[str]"]


def import_referentiel(path: PathLike, format: str, fiche: Optional[str] = None, *,
                       title: Optional[str] = None, check: bool = True) -> Any:
    """Reads a référentiel written in another format.

    format: "referentiel-text" (the table text of a dossier; `fiche` gives the codes,
    `title` the certification's title), "rncp-xml" or "rncp-csv" (France compétences'
    export; `fiche` chooses the fiche), "case" (a CASE 1.0/1.1 CFPackage JSON),
    "moodle-csv" (a Moodle competency framework CSV) or "canvas-csv" (Canvas outcomes
    CSV); for the last three `fiche` is the certification's code when the file does not
    give it.

    With check=True (default) returns a built Referentiel, or raises
    InvalidReferentielError with every diagnostic (an export's fiche alone has blocs
    without competencies: they come from a curated référentiel). With check=False
    (RNCP formats only) returns the référentiel JSON document as a dict, unchecked.
    Raises ParseError naming file:line:column (or the JSON pointer) for broken input,
    NotFoundError for a fiche that is not in the export, IoError for an unreadable file.
    """
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}: use one of {', '.join(FORMATS)}")
    if format in EXCHANGE_FORMATS:
        if not check:
            raise ValueError(f"check=False is for the RNCP formats ({', '.join(RNCP_FORMATS)})")
        return _core.import_exchange(os.fspath(path), format, fiche or "")
    text = _core._import_referentiel_json(os.fspath(path), format, fiche or "", title or "")
    if check:
        return _core.Referentiel.from_json(text, os.fspath(path))
    return json.loads(text)


def rncp_fiches(path: PathLike, *, active_only: bool = False) -> List[Dict[str, Any]]:
    """One dict per fiche of an RNCP export (the .xml, its .zip, the CSV .zip or folder):
    code, id, title, level, state, active, dates (ISO strings or None), blocs (codes),
    access_routes (open ones), previous, next, correspondences."""
    return _core._rncp_fiches(os.fspath(path), active_only)


def exchange_text(ref: "_core.Referentiel", format: str, policy: "Optional[_core.Policy]" = None,
                  base_uri: str = "") -> str:
    """The text export_referentiel would write."""
    return _core.exchange_text(ref, format, policy, base_uri)


def export_referentiel(ref: "_core.Referentiel", path: PathLike, format: str = "case",
                       policy: "Optional[_core.Policy]" = None, base_uri: str = "") -> None:
    """Writes the référentiel for another system, atomically.

    With a policy, its scales become CASE rubric levels and Canvas ratings, and its
    rules Moodle's rules where Moodle has them. base_uri: CASE URIs under this base."""
    _core.export_exchange(ref, os.fspath(path), format, policy, base_uri)


def merge(fiche: "_core.Referentiel", curated: "_core.Referentiel"
          ) -> Tuple["Optional[_core.Referentiel]", List[Dict[str, str]]]:
    """Blocs, dates, routes, links and correspondences from the fiche; competencies,
    criteria, épreuves and activities from the curated référentiel.

    Returns (merged, diagnostics): merged is None when a diagnostic is an error;
    each diagnostic is a dict with code, severity, kind, node and message."""
    return _core.merge_referentiels(fiche, curated)


__all__ = ["EXCHANGE_FORMATS", "FORMATS", "RNCP_FORMATS", "exchange_text", "export_referentiel",
           "import_referentiel", "merge", "rncp_fiches"]
