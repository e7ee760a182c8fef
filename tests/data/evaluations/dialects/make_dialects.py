#!/usr/bin/env python3
"""Makes the French-Excel sample of the evaluation dialect tests, deterministically.

From examples/cohorts/rncp40514-sample.csv (the designed sample cohort, UTF-8,
commas, decimal points), with the jurors given accented names so that the encoding
matters, writes:

- rncp40514-fr-utf8.csv: the same cohort in certigraph's own dialect (UTF-8, commas,
  decimal points, LF);
- rncp40514-fr-excel.csv: what Excel writes for it on a French Windows ("CSV
  (séparateur: point-virgule)"): ';' separators, decimal commas, Windows-1252, CRLF.

The two must grade identically (tests/cpp/test_io.cpp). Run from the repository root:
    python3 tests/data/evaluations/dialects/make_dialects.py
"""
import csv
import io
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[4]
HERE = pathlib.Path(__file__).resolve().parent
JURORS = {"J1": "Mme Lefèvre", "J2": "M. Château"}  # both in Windows-1252


def main() -> None:
    with open(ROOT / "examples/cohorts/rncp40514-sample.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    juror = header.index("juror")
    value = header.index("value")
    for r in body:
        r[juror] = JURORS[r[juror]]

    utf8 = io.StringIO()
    csv.writer(utf8, lineterminator="\n").writerows([header] + body)
    (HERE / "rncp40514-fr-utf8.csv").write_bytes(utf8.getvalue().encode("utf-8"))

    excel = io.StringIO()
    writer = csv.writer(excel, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for r in body:
        r = list(r)
        r[value] = r[value].replace(".", ",")
        writer.writerow(r)
    (HERE / "rncp40514-fr-excel.csv").write_bytes(excel.getvalue().encode("cp1252"))


if __name__ == "__main__":
    main()
