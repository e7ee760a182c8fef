#!/usr/bin/env python3
"""Writes a national-size RNCP XML export (flux v4.1) for bench_rncp_list by
repeating the 5 real fiches of tests/data/interop/rncp/rncp_v4.1_5fiches.xml with
new codes (RNCP1000000, RNCP1000001, ...; their blocs renamed alike), until the file
reaches --mb megabytes. The file is made at run time and never committed:

    python3 benchmarks/make_rncp_export.py /tmp/rncp_national.xml --mb 320
"""
from __future__ import annotations

import argparse
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "tests" / "data" / "interop" / "rncp" / "rncp_v4.1_5fiches.xml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=pathlib.Path)
    parser.add_argument("--mb", type=float, default=320.0, help="size to reach, in 10^6 bytes")
    args = parser.parse_args()
    text = SAMPLE.read_text(encoding="utf-8")
    fiches = re.findall(r"  <FICHE>.*?</FICHE>\n", text, re.S)
    codes = [re.search(r"<NUMERO_FICHE>(RNCP\d+)</NUMERO_FICHE>", f).group(1) for f in fiches]
    target = int(args.mb * 1_000_000)
    written = 0
    n = 0
    with args.out.open("w", encoding="utf-8", newline="\n") as out:
        head = '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<FICHES>\n  <VERSION_FLUX>4.1</VERSION_FLUX>\n'
        out.write(head)
        written += len(head.encode())
        while written < target:
            for fiche, code in zip(fiches, codes):
                new = f"RNCP{1_000_000 + n}"
                # The fiche's own code and its blocs' codes (RNCPnnnnBCmm), not its links.
                chunk = re.sub(rf"<NUMERO_FICHE>{code}</NUMERO_FICHE>", f"<NUMERO_FICHE>{new}</NUMERO_FICHE>", fiche, count=1)
                chunk = chunk.replace(f"{code}BC", f"{new}BC")
                chunk = re.sub(r"<ID_FICHE>\d+</ID_FICHE>", f"<ID_FICHE>{n + 1}</ID_FICHE>", chunk, count=1)
                out.write(chunk)
                written += len(chunk.encode())
                n += 1
        out.write("</FICHES>\n")
    print(f"wrote {args.out}: {n} fiches, {written / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
