"""certigraph.io: référentiels from the formats people already hold (docs/interop.md).

    import certigraph as cg
    ref = cg.io.import_referentiel("tests/data/interop/rncp40514_referentiel.txt",
                                   format="referentiel-text", fiche="RNCP40514")
    fiches = cg.io.rncp_fiches("tests/data/interop/rncp/rncp_v4.1_5fiches.xml", active_only=True)
"""
from __future__ import annotations

import json
import os
from typing import Any, Dict, List, Optional, Union

from . import _core

#: The formats import_referentiel reads (the `--from` names of `certigraph import`).
FORMATS = ("referentiel-text", "rncp-xml", "rncp-csv")

PathLike = Union[str, "os.PathLike[str]"]


def import_referentiel(path: PathLike, format: str, *, fiche: Optional[str] = None,
                       title: Optional[str] = None, check: bool = True) -> Any:
    """Reads a référentiel written in another format.

    format: "referentiel-text" (the table text of a dossier; `fiche` gives the codes,
    `title` the certification's title), "rncp-xml" or "rncp-csv" (France compétences'
    export; `fiche` chooses the fiche).

    With check=True (default) returns a built Referentiel, or raises
    InvalidReferentielError with every diagnostic (an export's fiche alone has blocs
    without competencies: they come from a curated référentiel). With check=False
    returns the référentiel JSON document as a dict, unchecked.
    Raises ParseError naming file:line:column for broken input, NotFoundError for a
    fiche that is not in the export, IoError for an unreadable file.
    """
    if format not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {format!r}")
    text = _core._import_referentiel_json(os.fspath(path), format, fiche or "", title or "")
    if check:
        return _core.Referentiel.from_json(text, os.fspath(path))
    return json.loads(text)


def rncp_fiches(path: PathLike, *, active_only: bool = False) -> List[Dict[str, Any]]:
    """One dict per fiche of an RNCP export (the .xml, its .zip, the CSV .zip or folder):
    code, id, title, level, state, active, dates (ISO strings or None), blocs (codes),
    access_routes (open ones), previous, next, correspondences."""
    return _core._rncp_fiches(os.fspath(path), active_only)


__all__ = ["FORMATS", "import_referentiel", "rncp_fiches"]
