#!/usr/bin/env python3
"""Writes the référentiel test fixtures of this folder.

`tiny.json` is a small valid référentiel that uses every feature of the format
and yields no diagnostic. Each `broken/<code>.json` is tiny.json with one
mutation that must make the integrity check report diagnostic `<code>`; each
`malformed/<name>.json` must be refused by the JSON reader. Run it again after
changing the mutations; the test suite reads the files, not this script.
"""
import copy
import json
import pathlib

HERE = pathlib.Path(__file__).resolve().parent

TINY = {
    "format": "certigraph/referentiel",
    "format_version": 1,
    "certification": {
        "code": "TEST1",
        "title": "Certification de test",
        "level": 5,
        "certifiers": [{"name": "Organisme de test", "siret": "00000000000000"}],
        "dates": {"publication": "2024-01-15", "start_of_paths": "2024-09-01",
                  "end_of_registration": "2027-08-31", "last_delivery": "2030-08-31"},
        "access_routes": ["student", "vae"],
        "previous": ["OLD1"],
        "next": [],
        "requirements": [
            {"code": "ENGLISH_B2", "kind": "language", "title": "Anglais B2", "language": "en",
             "framework": "CEFR", "level": "B2", "third_party": True},
            {"code": "FRENCH_B1", "kind": "language", "title": "Français B1", "language": "fr",
             "framework": "CEFR", "level": "B1", "third_party": False,
             "applies_when": {"attribute": "nationality", "operator": "not_equals", "value": "FR"}},
            {"code": "MOBILITY", "kind": "mobility", "title": "Mobilité", "minimum_weeks": 4},
            {"code": "EXPERIENCE", "kind": "experience", "title": "Expérience",
             "minimum_months": 6, "consecutive": False},
        ],
    },
    "blocs": [
        {"code": "TEST1BC01", "title": "Bloc un", "description": "Premier bloc", "optional": False},
        {"code": "TEST1BC02", "title": "Bloc deux", "optional": False, "option_group": "spécialité"},
        {"code": "TEST1BC03", "title": "Bloc trois", "optional": False, "option_group": "spécialité"},
        {"code": "TEST1BC04", "title": "Bloc facultatif", "optional": True},
    ],
    "activities": [
        {"code": "A1", "title": "Activité un", "bloc": "TEST1BC01"},
        {"code": "A1.1", "title": "Sous-activité", "parent": "A1", "competencies": ["A1C1", "A1C2"]},
    ],
    "competencies": [
        {"code": "A1C1", "title": "Compétence 1.1", "bloc": "TEST1BC01"},
        {"code": "A1C2", "title": "Compétence 1.2", "bloc": "TEST1BC01"},
        {"code": "A2C1", "title": "Compétence 2.1", "bloc": "TEST1BC02"},
        {"code": "A3C1", "title": "Compétence 3.1", "bloc": "TEST1BC03"},
        {"code": "A4C1", "title": "Compétence 4.1", "bloc": "TEST1BC04"},
    ],
    "criteria": [
        {"code": "A1E1", "title": "Critère 1.1", "competency": "A1C1"},
        {"code": "A1E2", "title": "Critère 1.2 a", "competency": "A1C2"},
        {"code": "A1E3", "title": "Critère 1.2 b", "competency": "A1C2"},
        {"code": "A2E1", "title": "Critère 2.1", "competency": "A2C1"},
        {"code": "A3E1", "title": "Critère 3.1", "competency": "A3C1"},
        {"code": "A4E1", "title": "Critère 4.1", "competency": "A4C1"},
    ],
    "epreuves": [
        {"code": "EP1", "title": "Étude de cas", "modality": "Dossier écrit", "evaluates": ["A1C1", "A1C2"]},
        {"code": "EP2", "title": "Oral", "evaluates": ["A2E1", "A3C1", "A4E1"]},
    ],
    "correspondences": [
        {"blocs": ["TEST1BC01"], "counterparts": ["OLD1BC01", "OLD1BC02"], "kind": "partial",
         "note": "A1C2 reste à valider"},
    ],
}


def mutate(fn):
    doc = copy.deepcopy(TINY)
    fn(doc)
    return doc


def by_code(items, code):
    return next(i for i in items if i["code"] == code)


BROKEN = {
    "empty_code": lambda d: by_code(d["activities"], "A1.1").update(code=" "),
    "duplicate_code": lambda d: by_code(d["criteria"], "A1E3").update(code="A1E2"),
    "dangling_reference": lambda d: by_code(d["competencies"], "A1C2").update(bloc="TEST1BC09"),
    "containment_cycle": lambda d: by_code(d["activities"], "A1").update(parent="A1.1"),
    "competency_outside_bloc": lambda d: by_code(d["competencies"], "A1C2").update(bloc=""),
    "criterion_outside_competency": lambda d: by_code(d["criteria"], "A1E3").update(competency=""),
    "bloc_without_competency": lambda d: d["blocs"].append(
        {"code": "TEST1BC05", "title": "Bloc vide", "optional": False}),
    "competency_without_criterion": lambda d: d["criteria"].remove(by_code(d["criteria"], "A1E1")),
    "competency_not_evaluated": lambda d: by_code(d["epreuves"], "EP1").update(evaluates=["A1C1"]),
    "epreuve_evaluates_nothing": lambda d: d["epreuves"].append(
        {"code": "EP3", "title": "Épreuve vide", "evaluates": []}),
    "code_parent_mismatch": lambda d: (
        d["competencies"].append({"code": "A2C3", "title": "Mal classée", "bloc": "TEST1BC01"}),
        d["criteria"].append({"code": "A2E3", "title": "Critère", "competency": "A2C3"}),
        by_code(d["epreuves"], "EP1")["evaluates"].append("A2C3")),
    "empty_title": lambda d: by_code(d["criteria"], "A1E1").update(title=""),
    "dates_out_of_order": lambda d: d["certification"]["dates"].update(end_of_registration="2024-06-30"),
    "invalid_level": lambda d: d["certification"].update(level=12),
    "invalid_requirement": lambda d: by_code(d["certification"]["requirements"], "MOBILITY").update(minimum_weeks=0),
    "criterion_not_evaluated": lambda d: by_code(d["epreuves"], "EP1").update(evaluates=["A1C1", "A1E2"]),
    "option_group_single": lambda d: by_code(d["blocs"], "TEST1BC03").pop("option_group"),
}

MALFORMED = {
    # name: (text, what the error message must contain)
    "truncated": (json.dumps(TINY, ensure_ascii=False, indent=2)[:-40], ""),
    "not_referentiel": (json.dumps({"format": "something/else", "format_version": 1}), ""),
    "newer_version": (json.dumps(mutate(lambda d: d.update(format_version=99)), ensure_ascii=False, indent=2), ""),
    "wrong_type": (json.dumps(mutate(lambda d: d["blocs"][1].update(optional="no")), ensure_ascii=False, indent=2), ""),
    "unknown_key": (json.dumps(mutate(lambda d: d["competencies"][2].update(blok="TEST1BC02")), ensure_ascii=False, indent=2), ""),
    "missing_key": (json.dumps(mutate(lambda d: d["criteria"][0].pop("competency")), ensure_ascii=False, indent=2), ""),
    "bad_date": (json.dumps(mutate(lambda d: d["certification"]["dates"].update(last_delivery="2030-02-30")), ensure_ascii=False, indent=2), ""),
    "duplicate_key": ('{"format": "certigraph/referentiel", "format_version": 1, "format_version": 1}', ""),
    "huge_integer": (json.dumps(mutate(lambda d: d["certification"].update(level=-5000000000)), ensure_ascii=False, indent=2), ""),
    "bad_enum": (json.dumps(mutate(lambda d: d["certification"]["access_routes"].append("erasmus")), ensure_ascii=False, indent=2), ""),
}


def write(path, text):
    path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")


def main():
    write(HERE / "tiny.json", json.dumps(TINY, ensure_ascii=False, indent=2))
    for code, fn in BROKEN.items():
        write(HERE / "broken" / f"{code}.json", json.dumps(mutate(fn), ensure_ascii=False, indent=2))
    for name, (text, _) in MALFORMED.items():
        write(HERE / "malformed" / f"{name}.json", text)


if __name__ == "__main__":
    main()
