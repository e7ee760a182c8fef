"""Référentiels from and to other systems' files: 1EdTech CASE, Moodle, Canvas.

    import certigraph as cg
    ref = cg.Referentiel.load("examples/referentiels/rncp40514.json")
    cg.io.export_referentiel(ref, "rncp40514-case.json", format="case")
    back = cg.io.import_referentiel("rncp40514-case.json", format="case")

See docs/interop.md.
"""
from __future__ import annotations

import os
from typing import Dict, List, Optional, Tuple, Union

from . import _core

__all__ = ["EXCHANGE_FORMATS", "export_referentiel", "exchange_text", "import_referentiel", "merge"]

#: The formats of import_referentiel and export_referentiel.
EXCHANGE_FORMATS = ("case", "moodle-csv", "canvas-csv")

PathLike = Union[str, "os.PathLike[str]"]


def import_referentiel(path: PathLike, format: str, fiche: Optional[str] = None) -> "_core.Referentiel":
    """Reads a file of another system into a checked Referentiel.

    format: 'case' (CASE 1.0/1.1 CFPackage JSON), 'moodle-csv' (Moodle competency
    framework CSV) or 'canvas-csv' (Canvas outcomes CSV). fiche: the certification's
    code when the file does not give it. Raises ParseError naming the file and the
    line:column or JSON pointer, InvalidReferentielError if the result does not
    pass the integrity check."""
    return _core.import_exchange(os.fspath(path), format, fiche or "")


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
