#!/usr/bin/env python3
"""Generate the sample cohort ``rncp40514-sample.csv`` for the RNCP40514 demo.

Deterministic (``random.Random(40514)``), standard library only. The criteria and the
épreuve that evaluates each criterion's competency are read from
``../referentiels/rncp40514.json``; the CSV is written next to this script.

Long format, one row per (candidate, épreuve, criterion, juror)::

    candidate,session,epreuve,criterion,juror,value

* session ``2026-06``; jurors ``J1`` and ``J2`` for every (candidate, criterion);
* values on the 0-20 scale (pass mark 10) with at most one decimal, or the words
  ``absent`` / ``exempt``;
* ``epreuve`` is empty for A2E7: its competency A2C7 is evaluated by no épreuve in the
  published référentiel (EPREUVE 3 covers "A2C1 à A2C6");
* rows are sorted by candidate, épreuve order (EP1..EP5, then the empty one),
  criterion order, juror.

The 8 candidates are designed to exercise every grading path:

C001  strong everywhere: every mark >= 12.
C002  validates blocs 1, 3 and 4 but fails A2E3 (both jurors < 10), so bloc 2 fails;
      every other mark >= 10.
C003  borderline: A1E7 marked 9 (J1) and 11 (J2), mean exactly 10; every other mark
      >= 10 (drawn close to the pass mark).
C004  absent at EP4: ``absent`` for both jurors on all bloc 3 criteria (A3E1-A3E6);
      passes everything else.
C005  exempt from EP2: ``exempt`` for both jurors on A1E10 only; passes everything else.
C006  no rows at all for EP5 (bloc 4 not yet assessed: missing, not failed); passes
      everything else.
C007  weak: fails A1E2, A1E7, A1E10 (bloc 1), A2E1, A2E4 (bloc 2), A4E3, A4E6 (bloc 4)
      with both jurors < 10; every other mark >= 10 (so bloc 3 passes).
C008  jurors disagree strongly (one mark in 4-7, the other in 15-18, e.g. 6 vs 16) on
      A1E3, A1E8, A2E2, A2E5, A3E4, A4E1, A4E5, yet every criterion mean is >= 10.5;
      the jurors agree elsewhere, all marks >= 10.
"""
import csv
import json
import random
from pathlib import Path
from typing import Dict, List, Tuple, Union

HERE = Path(__file__).resolve().parent
REFERENTIEL = HERE.parent / "referentiels" / "rncp40514.json"
OUTPUT = HERE / "rncp40514-sample.csv"
SESSION = "2026-06"
JURORS = ("J1", "J2")

C007_FAILS = {"A1E2", "A1E7", "A1E10", "A2E1", "A2E4", "A4E3", "A4E6"}
C008_SPLITS = {"A1E3", "A1E8", "A2E2", "A2E5", "A3E4", "A4E1", "A4E5"}


def load_criteria() -> Tuple[List[Tuple[str, str]], List[str]]:
    """[(criterion, épreuve code or ''), ...] in référentiel order, and the épreuve order."""
    ref = json.loads(REFERENTIEL.read_text(encoding="utf-8"))
    epreuve_of: Dict[str, str] = {}
    for ep in ref["epreuves"]:
        for comp in ep["evaluates"]:
            epreuve_of[comp] = ep["code"]
    criteria = [(c["code"], epreuve_of.get(c["competency"], "")) for c in ref["criteria"]]
    return criteria, [ep["code"] for ep in ref["epreuves"]]


def fmt(tenths: int) -> str:
    """Integer tenths -> '12' or '12.5' (at most one decimal)."""
    return str(tenths // 10) if tenths % 10 == 0 else f"{tenths // 10}.{tenths % 10}"


def make_rows() -> List[List[str]]:
    rng = random.Random(40514)
    criteria, ep_order = load_criteria()

    def agreeing(lo: int, hi: int, spread: int = 10) -> List[Union[int, str]]:
        """Two correlated marks in [lo, hi] (all in tenths)."""
        true = rng.randint(lo, hi)
        return [min(hi, max(lo, true + rng.randint(-spread, spread))) for _ in JURORS]

    def split() -> List[Union[int, str]]:
        """One low (4-7) and one high (15-18) mark whose mean is >= 10.5."""
        low = rng.randint(40, 70)
        high = rng.randint(max(150, 210 - low), 180)
        return [low, high] if rng.random() < 0.5 else [high, low]

    rows: List[List[str]] = []
    for cand in [f"C{i:03d}" for i in range(1, 9)]:
        for crit, ep in criteria:
            bloc = crit[1]
            if cand == "C001":
                marks = agreeing(120, 190)
            elif cand == "C002":
                marks = agreeing(50, 95) if crit == "A2E3" else agreeing(105, 170)
            elif cand == "C003":
                marks = [90, 110] if crit == "A1E7" else agreeing(100, 135)
            elif cand == "C004":
                marks = ["absent"] * 2 if bloc == "3" else agreeing(105, 170)
            elif cand == "C005":
                marks = ["exempt"] * 2 if crit == "A1E10" else agreeing(105, 170)
            elif cand == "C006":
                if ep == "EP5":
                    continue  # bloc 4 not yet assessed: no rows at all
                marks = agreeing(105, 170)
            elif cand == "C007":
                marks = agreeing(30, 90) if crit in C007_FAILS else agreeing(100, 130)
            else:  # C008
                marks = split() if crit in C008_SPLITS else agreeing(105, 170)
            for juror, mark in zip(JURORS, marks):
                value = mark if isinstance(mark, str) else fmt(mark)
                rows.append([cand, SESSION, ep, crit, juror, value])

    ep_rank = {code: i for i, code in enumerate(ep_order)}
    crit_rank = {code: i for i, (code, _) in enumerate(criteria)}
    rows.sort(key=lambda r: (r[0], ep_rank.get(r[2], len(ep_rank)), crit_rank[r[3]], r[4]))
    return rows


def main() -> None:
    rows = make_rows()
    with OUTPUT.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["candidate", "session", "epreuve", "criterion", "juror", "value"])
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {OUTPUT}")


if __name__ == "__main__":
    main()
