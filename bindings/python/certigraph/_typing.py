"""Types of the dicts certigraph returns (for annotations; at run time they are dicts)."""
from __future__ import annotations

from typing import List, Optional, TypedDict


class _ExplanationBase(TypedDict):
    kind: str  #: 'bloc', 'competency' or 'criterion'
    code: str
    status: str  #: a Status label: 'validated', 'not_validated', 'incomplete', 'exempt'
    rule: str
    value: Optional[float]
    threshold: Optional[float]
    margin: Optional[float]
    note: str
    children: List["Explanation"]


class Explanation(_ExplanationBase, total=False):
    """One node of Result.explain(): a bloc, a competency or a criterion, with its children."""

    jurors: List[Optional[float]]  #: criteria only: each juror slot's value, None when missing
