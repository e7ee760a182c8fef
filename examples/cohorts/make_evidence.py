"""Writes rncp40514-sample-evidence.jsonl: the award-requirement evidence of the eight
designed candidates of rncp40514-sample.csv, as ledger events (docs/ledger.md).

Together with the bloc results of their 2026-06 session (`certigraph ledger record`),
it gives each candidate a different eligibility answer, as `certigraph demo` shows:

C001  everything on record: eligible.
C002  requirements met, bloc 2 refused by the session.
C003  every bloc, but English B1 only from the school's own test (not a third party).
C004  bloc 3 not validated (absent at EP4: absent counts as failed); Moroccan national with a DELF B2 (French met).
C005  every bloc; Spanish national without a French certificate (FRENCH_B1 missing).
C006  bloc 4 not yet assessed; mobility of 2 + 2 weeks (met); 5.9 months of work.
C007  several blocs refused; English A2 only.
C008  every bloc; no nationality on record, so whether FRENCH_B1 applies is unknown.

Run from this directory: python3 make_evidence.py
"""
import hashlib
import json
import pathlib
from typing import Any, Dict, List, Optional, Sequence

HERE = pathlib.Path(__file__).resolve().parent
REFERENTIEL = HERE.parent / "referentiels" / "rncp40514.json"
# The example référentiel is stored in canonical form, so the hash of its bytes is
# the content hash `certigraph ledger record` writes.
CONTENT_HASH = "sha256:" + hashlib.sha256(REFERENTIEL.read_bytes()).hexdigest()


Event = Dict[str, Any]


def event(candidate: str, date: str, kind: str, body: Dict[str, Any], evidence: Sequence[str] = ()) -> Event:
    return {"candidate": candidate, "date": date, "session": "", "route": "exam",
            "referentiel": {"fiche": "RNCP40514", "content_hash": CONTENT_HASH},
            "policy_hash": "", "evidence": list(evidence), "kind": kind, "body": body}


def english(candidate: str, level: str, issuer: str, third_party: bool, issued: str) -> Event:
    return event(candidate, issued, "language_certificate",
                 {"language": "en", "framework": "CEFR", "level": level, "issuer": issuer,
                  "third_party": third_party, "issued": issued}, [f"{candidate}-english"])


def french(candidate: str, level: str, issuer: str, issued: str) -> Event:
    return event(candidate, issued, "language_certificate",
                 {"language": "fr", "framework": "CEFR", "level": level, "issuer": issuer,
                  "third_party": True, "issued": issued}, [f"{candidate}-french"])


def period(candidate: str, kind: str, start: str, end: str, place: str, recorded: str) -> Event:
    return event(candidate, recorded, kind, {"start": start, "end": end, "place": place},
                 [f"{candidate}-{kind}-{start}"])


def standard(candidate: str, nationality: Optional[str] = "FR", english_event: Optional[Event] = None,
             work: Optional[List[Event]] = None) -> List[Event]:
    out = [event(candidate, "2025-09-01", "path_start", {"access_route": "initial_training"}, [f"{candidate}-enrolment"])]
    if nationality:
        out.append(event(candidate, "2025-09-01", "attribute", {"name": "nationality", "value": nationality}))
    out.append(english_event or english(candidate, "B2", "ETS Global (TOEIC)", True, "2026-02-14"))
    out.append(period(candidate, "mobility_period", "2025-05-05", "2025-06-01", "Hochschule München", "2025-06-02"))
    out.extend(work or [period(candidate, "work_period", "2025-09-01", "2026-02-28", "Capgemini Engineering", "2026-03-02")])
    return out


events: List[Event] = []
events += standard("C001")
events += standard("C002")
events += standard("C003", english_event=english("C003", "B1", "CESI (test interne)", False, "2026-03-20"))
events += standard("C004", nationality="MA") + [french("C004", "B2", "France Éducation international (DELF)", "2024-06-20")]
events += standard("C005", nationality="ES")
events += [e for e in standard("C006", work=[period("C006", "work_period", "2025-09-01", "2026-02-24", "Orange Business", "2026-03-02")])
           if e["kind"] != "mobility_period"]
events += [period("C006", "mobility_period", "2025-04-07", "2025-04-20", "TU Delft", "2025-04-22"),
           period("C006", "mobility_period", "2025-10-06", "2025-10-19", "Politecnico di Milano", "2025-10-21")]
events += standard("C007", english_event=english("C007", "A2", "Cambridge English", True, "2026-01-30"))
events += standard("C008", nationality=None)

with open(HERE / "rncp40514-sample-evidence.jsonl", "w", encoding="utf-8", newline="\n") as out:
    for e in events:
        out.write(json.dumps(e, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n")
print(f"{len(events)} events")
