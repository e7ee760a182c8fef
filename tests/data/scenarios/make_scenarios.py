"""Writes the scenario files of this directory (format: README.md). Each scenario is
one candidate's story with the state and eligibility expected at some dates; the
JSON files are the tests, this script only spares typing the shared events.

Run from anywhere: python3 tests/data/scenarios/make_scenarios.py
"""
import json
import os

out = os.path.dirname(os.path.abspath(__file__))
def ev(date, kind, body, **kw):
    e = {"date": date, "kind": kind, "body": body}; e.update(kw); return e
def exam(date, bloc, ok, session):
    return ev(date, "bloc_result", {"bloc": bloc, "validated": ok}, session=session, evidence=["pv-"+session])
B = lambda n: "RNCP40514BC0%d" % n
def base(nat="FR", english=True, mobility=True, work=True, path=True):
    out = []
    if path: out.append(ev("2025-09-01", "path_start", {"access_route": "initial_training"}))
    if nat: out.append(ev("2025-09-01", "attribute", {"name": "nationality", "value": nat}))
    if english: out.append(ev("2026-03-10", "language_certificate", {"language": "en", "framework": "CEFR", "level": "B2", "issuer": "ETS Global (TOEIC)", "third_party": True, "issued": "2026-03-10"}, evidence=["toeic-2026-0042"]))
    if mobility: out.append(ev("2026-06-01", "mobility_period", {"start": "2026-05-04", "end": "2026-05-31", "place": "Universität Stuttgart"}))
    if work: out.append(ev("2027-03-01", "work_period", {"start": "2026-09-01", "end": "2027-02-28", "place": "Thales SIX"}))
    return out
def exams(date, session, blocs):
    return [exam(date, B(b), True, session) for b in blocs]
def write(name, title, events, expect, referentiel="rncp40514", candidate="C-0001", note=None):
    doc = {"title": title}
    if note: doc["note"] = note
    doc.update({"referentiel": referentiel, "candidate": candidate})
    lines = ['{']
    for k, v in doc.items(): lines.append('  %s: %s,' % (json.dumps(k), json.dumps(v, ensure_ascii=False)))
    lines.append('  "events": [')
    lines.append(',\n'.join('    ' + json.dumps(e, ensure_ascii=False) for e in events))
    lines.append('  ],')
    lines.append('  "expect": [')
    lines.append(',\n'.join('    ' + json.dumps(x, ensure_ascii=False) for x in expect))
    lines.append('  ]')
    lines.append('}')
    open(os.path.join(out, name + '.json'), 'w').write('\n'.join(lines) + '\n')
ALLREQ = {"ENGLISH_B1": "requirement_met", "INTERNATIONAL_MOBILITY": "requirement_met", "WORK_EXPERIENCE": "requirement_met", "FRENCH_B1": "requirement_not_applicable", "delivery_window": "window_met"}
ACQ = lambda route="exam", blocs=(1,2,3,4): {B(b): route for b in blocs}

# 1. re-sit after failure
write("resit_after_failure", "Re-sit after a failure: the refusal stays on record, the re-sit acquires the bloc",
  base() + exams("2027-06-15", "S2027-06", [1,2,4]) + [exam("2027-06-15", B(3), False, "S2027-06"), exam("2027-11-20", B(3), True, "S2027-11")],
  [{"as_of": "2027-07-01", "acquired": ACQ(blocs=(1,2,4)), "refusals": {B(3): 1}, "eligible": False, "findings": {B(3): "bloc_refused"}, "missing": [B(3)], "missing_text": ["bloc RNCP40514BC03 to validate"], "reason_text": {B(3): "refused 1 time, last on 2027-06-15"}},
   {"as_of": "2027-12-01", "acquired": ACQ(), "refusals": {B(3): 1}, "eligible": True, "findings": dict(ALLREQ, **{B(3): "bloc_acquired"}), "missing": [], "reason_text": {B(3): "acquired on 2027-11-20 by exam"}}])

# 2. VAE partial then exam
write("vae_partial_then_exam", "A VAE jury validates two blocs (partial validation); exams complete the other two",
  [ev("2025-10-01", "path_start", {"access_route": "vae"}), ev("2025-10-01", "attribute", {"name": "nationality", "value": "FR"})] + base(nat=None, path=False) +
  [ev("2026-02-10", "vae_decision", {"acquired": [B(1), B(2)], "refused": [B(3)], "prescriptions": "Blocs 3 et 4 : évaluation complémentaire par examen"}, session="JURY-VAE-2026-02"),
   exam("2027-06-15", B(3), True, "S2027-06"), exam("2027-06-15", B(4), True, "S2027-06")],
  [{"as_of": "2026-03-01", "acquired": ACQ("vae", (1,2)), "refusals": {B(3): 1}, "eligible": False, "missing": [B(3), B(4), "ENGLISH_B1", "INTERNATIONAL_MOBILITY", "WORK_EXPERIENCE"], "findings": {B(4): "bloc_not_assessed"}},
   {"as_of": "2027-07-01", "acquired": {B(1): "vae", B(2): "vae", B(3): "exam", B(4): "exam"}, "eligible": True, "missing": [], "findings": ALLREQ}])

# 3. correspondence from the old fiche
write("correspondence_from_old_fiche", "A bloc of the previous fiche RNCP38732 is credited through a correspondence; exams give the rest",
  base() + [ev("2025-09-15", "bloc_credit", {"bloc": B(1), "from_certification": "RNCP38732", "from_blocs": ["RNCP38732BC01"], "basis": "certificateur_rule", "from_validation": "PV-RNCP38732-2024-06-C0001"}, evidence=["attestation-RNCP38732BC01"])] +
  exams("2027-06-15", "S2027-06", [2,3,4]),
  [{"as_of": "2025-10-01", "acquired": {B(1): "correspondence"}, "eligible": False, "findings": {B(1): "bloc_acquired"}, "reason_text": {B(1): "acquired on 2025-09-15 by correspondence"}},
   {"as_of": "2027-07-01", "acquired": dict(ACQ(blocs=(2,3,4)), **{B(1): "correspondence"}), "eligible": True, "missing": []}])

# 4. jury override with reason
write("jury_override", "The jury validates a bloc the computed result refused, with its recorded reason",
  base() + exams("2027-06-15", "S2027-06", [1,3,4]) + [exam("2027-06-15", B(2), False, "S2027-06"),
  ev("2027-06-20", "jury_decision", {"bloc": B(2), "validated": True, "overrides_session": "S2027-06", "reason": "Situation de handicap : épreuve E2 passée sans l'aménagement notifié ; le jury retient le dossier professionnel"}, session="JURY-2027-06-20")],
  [{"as_of": "2027-06-16", "acquired": ACQ(blocs=(1,3,4)), "refusals": {B(2): 1}, "eligible": False, "missing": [B(2)]},
   {"as_of": "2027-07-01", "acquired": dict(ACQ(blocs=(1,3,4)), **{B(2): "jury_decision"}), "refusals": {B(2): 0}, "eligible": True, "missing": [], "reason_text": {B(2): "by jury_decision"}}])

# 5. correction
write("correction", "A result recorded by mistake as validated is corrected; the record as of an earlier date still shows what was on record then",
  base() + exams("2027-06-15", "S2027-06", [1,2,3,4]) +
  [ev("2027-06-25", "correction", {"supersedes": 9, "reason": "Erreur de saisie : le PV du jury indique BC04 non validé", "replacement": {"kind": "bloc_result", "body": {"bloc": B(4), "validated": False}}}, session="S2027-06")],
  [{"as_of": "2027-06-20", "acquired": ACQ(), "eligible": True},
   {"as_of": "2027-07-01", "acquired": ACQ(blocs=(1,2,3)), "refusals": {B(4): 1}, "eligible": False, "missing": [B(4)]}],
  note="The correction supersedes event 9, the 9th event of this file (ids are given in file order by a fresh ledger): the BC04 result.")

# 6. mobility 2 + 2 weeks
write("mobility_two_plus_two_weeks", "Two mobility periods of 2 weeks each add up to the 4 weeks required",
  base(mobility=False) + exams("2027-06-15", "S2027-06", [1,2,3,4]) +
  [ev("2026-05-20", "mobility_period", {"start": "2026-05-04", "end": "2026-05-17", "place": "TU Delft"}),
   ev("2027-07-20", "mobility_period", {"start": "2027-07-05", "end": "2027-07-18", "place": "Politecnico di Milano"})],
  [{"as_of": "2027-07-01", "mobility_weeks": 2.0, "eligible": False, "findings": {"INTERNATIONAL_MOBILITY": "mobility_short"}, "missing": ["INTERNATIONAL_MOBILITY"], "missing_text": ["2 more weeks of international mobility"]},
   {"as_of": "2027-07-19", "mobility_weeks": 2.0, "eligible": False, "missing": ["INTERNATIONAL_MOBILITY"], "reason_text": {"INTERNATIONAL_MOBILITY": "only 2 weeks of mobility, 4 required"}},
   {"as_of": "2027-07-20", "mobility_weeks": 4.0, "eligible": True, "findings": {"INTERNATIONAL_MOBILITY": "requirement_met"}, "missing": []}])

# 7. 5.9 vs 6 months
write("experience_5_9_vs_6_months", "Work experience: 5.9 months is not 6; the same period 3 days later is",
  base(work=False) + exams("2027-06-15", "S2027-06", [1,2,3,4]) +
  [ev("2027-01-01", "work_period", {"start": "2027-01-01", "end": "2027-06-30", "place": "Capgemini"})],
  [{"as_of": "2027-06-27", "work_months": 5.9, "eligible": False, "findings": {"WORK_EXPERIENCE": "experience_short"}, "missing": ["WORK_EXPERIENCE"], "missing_text": ["0.1 more months of work experience"], "reason_text": {"WORK_EXPERIENCE": "only 5.9 months"}},
   {"as_of": "2027-06-30", "work_months": 6.0, "work_longest_months": 6.0, "eligible": True, "missing": []}],
  note="The work period is counted up to the date of the state: 2027-01-01..2027-06-27 is 5 months + 27/30 = 5.9; up to 2027-06-30 it is 6.0.")

# 7b. 3 + 3 months not consecutive
write("experience_three_plus_three_months", "Two stretches of 3 months add up to the 6 months required (consecutive or not)",
  base(work=False) + exams("2027-06-15", "S2027-06", [1,2,3,4]) +
  [ev("2026-10-01", "work_period", {"start": "2026-07-01", "end": "2026-09-30", "place": "Orange"}),
   ev("2027-04-01", "work_period", {"start": "2027-01-01", "end": "2027-03-31", "place": "Sopra Steria"})],
  [{"as_of": "2027-07-01", "work_months": 6.0, "work_longest_months": 3.0, "eligible": True, "findings": {"WORK_EXPERIENCE": "requirement_met"}}])

# 8. foreign national without French B1
write("foreign_national_without_french_b1", "A foreign national needs French B1: missing, then recorded",
  base(nat="IT") + exams("2027-06-15", "S2027-06", [1,2,3,4]) +
  [ev("2027-09-10", "language_certificate", {"language": "fr", "framework": "CEFR", "level": "B1", "issuer": "CESI (test interne)", "third_party": False, "issued": "2027-09-10"})],
  [{"as_of": "2027-07-01", "eligible": False, "findings": {"FRENCH_B1": "language_missing"}, "missing": ["FRENCH_B1"], "missing_text": ["a certificate of CEFR B1 or higher in 'fr' (FRENCH_B1)"]},
   {"as_of": "2027-09-15", "eligible": True, "findings": {"FRENCH_B1": "requirement_met"}, "missing": []}])

# 8b. nationality not recorded
write("nationality_not_recorded", "Without a nationality on record, whether French B1 applies cannot be told: not eligible until it is recorded",
  base(nat=None) + exams("2027-06-15", "S2027-06", [1,2,3,4]) + [ev("2027-07-05", "attribute", {"name": "nationality", "value": "FR"})],
  [{"as_of": "2027-07-01", "eligible": False, "findings": {"FRENCH_B1": "condition_unknown"}, "missing": ["FRENCH_B1"], "missing_text": ["the attribute 'nationality' to record"]},
   {"as_of": "2027-07-06", "eligible": True, "findings": {"FRENCH_B1": "requirement_not_applicable"}}])

# 8c. English: level and third party
write("english_level_and_third_party", "English B1 must be attested by a third party: an internal B2 does not count, an external A2 is too low, an external B1 does",
  base(english=False) + exams("2027-06-15", "S2027-06", [1,2,3,4]) +
  [ev("2026-01-15", "language_certificate", {"language": "en", "framework": "CEFR", "level": "B2", "issuer": "CESI (test interne)", "third_party": False, "issued": "2026-01-15"}),
   ev("2026-04-02", "language_certificate", {"language": "en", "framework": "CEFR", "level": "A2", "issuer": "Cambridge English", "third_party": True, "issued": "2026-04-02"}),
   ev("2027-08-30", "language_certificate", {"language": "en", "framework": "CEFR", "level": "B1", "issuer": "Cambridge English", "third_party": True, "issued": "2027-08-30"})],
  [{"as_of": "2026-03-01", "eligible": False, "findings": {"ENGLISH_B1": "language_not_third_party"}},
   {"as_of": "2027-07-01", "eligible": False, "findings": {"ENGLISH_B1": "language_not_third_party"}, "missing": ["ENGLISH_B1"], "missing_text": ["attested by a third party"]},
   {"as_of": "2027-09-01", "eligible": True, "findings": {"ENGLISH_B1": "requirement_met"}, "reason_text": {"ENGLISH_B1": "B1 from Cambridge English"}}])

# 9. after deadline without exception
late = base() + exams("2034-06-20", "S2034-06", [1,2,3]) + [exam("2034-06-20", B(4), False, "S2034-06"), exam("2034-09-12", B(4), True, "S2034-09")]
write("decision_after_deadline_without_exception", "The last bloc is validated after the last possible delivery (2034-08-31) and no exception is recorded",
  late,
  [{"as_of": "2034-09-15", "acquired": ACQ(), "eligible": False, "findings": {"delivery_window": "after_deadline"}, "missing": ["delivery_window"], "reason_text": {"delivery_window": "after the last possible delivery, 2034-08-31"}}])
write("decision_after_deadline_with_exception", "The same late decision with a recorded L6113-9 exception",
  late + [ev("2034-09-14", "delivery_exception", {"basis": "L6113-9", "reason": "Parcours de formation commencé le 2025-09-01 pendant l'enregistrement ; session de rattrapage reportée par le certificateur"}, session="JURY-2034-09-14")],
  [{"as_of": "2034-09-13", "eligible": False, "findings": {"delivery_window": "after_deadline"}},
   {"as_of": "2034-09-15", "eligible": True, "findings": {"delivery_window": "window_exception"}, "missing": [], "reason_text": {"delivery_window": "exception L6113-9"}}])

# 9b. path started after the end of registration
write("path_started_after_registration", "A path started after the end of registration (2029-08-31) is refused, even with a decision before the last delivery, and an L6113-9 exception does not lift it",
  [ev("2029-10-01", "path_start", {"access_route": "continuing_education"})] + base(path=False) + exams("2031-06-15", "S2031-06", [1,2,3,4]) +
  [ev("2031-06-20", "delivery_exception", {"basis": "L6113-9", "reason": "Demande du centre de formation"}, session="JURY-2031-06-20")],
  [{"as_of": "2031-07-01", "eligible": False, "findings": {"delivery_window": "path_after_registration"}, "missing": ["delivery_window"], "missing_text": ["the path started after its end of registration"]}])
write("path_start_not_recorded", "Without a recorded path start, the earliest event bounds it; when that is after the end of registration, the path start is what is missing",
  [ev("2030-01-05", "attribute", {"name": "nationality", "value": "fr"}), ev("2030-01-05", "language_certificate", {"language": "en", "framework": "CECRL", "level": "b2", "issuer": "ETS Global (TOEIC)", "third_party": True, "issued": "2030-01-05"}),
   ev("2030-03-01", "mobility_period", {"start": "2030-02-01", "end": "2030-02-28", "place": "Erasmus"}), ev("2030-09-01", "work_period", {"start": "2030-03-01", "end": "2030-08-31", "place": "Atos"})] +
  exams("2031-06-15", "S2031-06", [1,2,3,4]),
  [{"as_of": "2031-07-01", "eligible": False, "findings": {"delivery_window": "path_after_registration", "FRENCH_B1": "requirement_not_applicable", "ENGLISH_B1": "requirement_met"}, "missing": ["delivery_window"], "missing_text": ["a path_start event"], "reason_text": {"delivery_window": "no path start recorded, and the earliest event, on 2030-01-05"}}],
  note="Also: nationality 'fr' is FR (case does not matter), and a CECRL 'b2' certificate meets a CEFR B1 requirement.")

# 9c. before publication
write("decision_before_publication", "A decision before the fiche's publication (2025-04-18) cannot award it",
  [ev("2025-01-06", "attribute", {"name": "nationality", "value": "FR"}), ev("2025-01-06", "language_certificate", {"language": "en", "framework": "CEFR", "level": "C1", "issuer": "British Council (IELTS)", "third_party": True, "issued": "2025-01-06"}),
   ev("2025-02-01", "mobility_period", {"start": "2024-09-02", "end": "2024-10-31", "place": "ETH Zürich"}), ev("2025-02-01", "work_period", {"start": "2024-01-01", "end": "2024-08-31", "place": "Airbus"}),
   ev("2025-03-20", "bloc_credit", {"bloc": B(1), "from_certification": "RNCP38732", "from_blocs": ["RNCP38732BC01"], "basis": "certificateur_rule"})] + exams("2025-03-28", "S2025-03", [2,3,4]),
  [{"as_of": "2025-04-01", "acquired": dict(ACQ(blocs=(2,3,4)), **{B(1): "correspondence"}), "eligible": False, "findings": {"delivery_window": "before_registration"}, "missing": ["delivery_window"]},
   {"as_of": "2025-04-18", "eligible": True, "findings": {"delivery_window": "window_met"}}])

# 10. option group (tiny référentiel)
T = lambda n: "TEST1BC0%d" % n
tbase = [ev("2024-09-02", "path_start", {"access_route": "student"}), ev("2024-09-02", "attribute", {"name": "nationality", "value": "BE"}),
  ev("2025-03-01", "language_certificate", {"language": "en", "framework": "CEFR", "level": "C1", "issuer": "British Council (IELTS)", "third_party": True, "issued": "2025-03-01"}),
  ev("2025-03-01", "language_certificate", {"language": "fr", "framework": "CEFR", "level": "C2", "issuer": "France Éducation international (DALF)", "third_party": True, "issued": "2025-03-01"}),
  ev("2025-06-01", "mobility_period", {"start": "2025-04-01", "end": "2025-05-31", "place": "KU Leuven"}),
  ev("2025-06-01", "work_period", {"start": "2024-09-01", "end": "2025-02-28", "place": "Decathlon"})]
def texam(date, b, ok, s): e = exam(date, T(b), ok, s); e["referentiel"] = {"fiche": "TEST1", "content_hash": "sha256:scenario"}; return e
write("option_group", "An option group asks for one of its blocs; the optional bloc is not required",
  tbase + [texam("2025-06-20", 1, True, "S2025-06"), texam("2025-06-20", 2, False, "S2025-06"), texam("2025-11-18", 3, True, "S2025-11")],
  [{"as_of": "2025-07-01", "acquired": {T(1): "exam"}, "eligible": False, "findings": {"spécialité": "option_missing", T(4): "optional_bloc", "FRENCH_B1": "requirement_met"}, "missing": ["spécialité"], "missing_text": ["one bloc of option group spécialité to validate (TEST1BC02, TEST1BC03)"]},
   {"as_of": "2025-12-01", "acquired": {T(1): "exam", T(3): "exam"}, "eligible": True, "findings": {"spécialité": "option_met", T(4): "optional_bloc"}, "missing": [], "reason_text": {"spécialité": "met by TEST1BC03"}}],
  referentiel="tiny", candidate="T-0042")
print(len([f for f in os.listdir(out) if f.endswith('.json')]), 'scenarios')

# 5b. corrections: same day (the later recorded wins), then a correction of the correction
write("correction_chain", "Two corrections of one result on the same day: the one recorded last wins, whatever its text; a later correction of it counts from its date",
  base() + exams("2027-06-15", "S2027-06", [1,2,3,4]) +
  [ev("2027-06-25", "correction", {"supersedes": 9, "reason": "zz: PV lu trop vite, BC04 non validé", "replacement": {"kind": "bloc_result", "body": {"bloc": B(4), "validated": False}}}, session="S2027-06"),
   ev("2027-06-25", "correction", {"supersedes": 9, "reason": "aa: PV relu le même jour, BC04 bien validé", "replacement": {"kind": "bloc_result", "body": {"bloc": B(4), "validated": True}}}, session="S2027-06"),
   ev("2027-08-01", "correction", {"supersedes": 11, "reason": "Commission de recours : BC04 non validé", "replacement": {"kind": "bloc_result", "body": {"bloc": B(4), "validated": False}}}, session="S2027-06")],
  [{"as_of": "2027-07-01", "acquired": ACQ(), "eligible": True},
   {"as_of": "2027-08-02", "acquired": ACQ(blocs=(1,2,3)), "refusals": {B(4): 1}, "eligible": False, "missing": [B(4)]}],
  note="Events 10 and 11 both correct event 9 (the BC04 result) on 2027-06-25; 11 was recorded last and wins, although its reason sorts first. Event 12 corrects 11.")

# 4b. a jury decision naming a session that has no such result
write("jury_override_unknown_session", "A jury decision overriding a session with no such result replaces nothing and is reported: not eligible until the record is corrected",
  base() + exams("2027-06-15", "S2027-06", [1,3,4]) + [exam("2027-06-15", B(2), False, "S2027-06"),
  ev("2027-06-20", "jury_decision", {"bloc": B(2), "validated": False, "overrides_session": "S2027-6", "reason": "Le jury confirme le refus"}, session="JURY-2027-06-20")],
  [{"as_of": "2027-07-01", "acquired": ACQ(blocs=(1,3,4)), "eligible": False, "findings": {"ledger": "ledger_problem"}, "missing": [B(2), "ledger"], "reason_text": {"ledger": "overrides the result of bloc RNCP40514BC02 in session S2027-6, but no such result is on record"}}])
