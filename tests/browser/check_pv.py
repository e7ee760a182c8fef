#!/usr/bin/env python3
"""Renders a procès-verbal page in Debian's headless Chromium and checks it.

    check_pv.py PAGE.html --out DIR [--expect TEXT]... [--pv-json PV.json]
                [--page-per-candidate] [--timeout SECONDS]

(a) prints it to PDF: the file starts with %PDF and, with --page-per-candidate, has
    at least one page per candidate; with --pv-json, its text shows the seal (or the
    draft mark) on every page and every candidate's heading, alone on its page with
    --page-per-candidate;
(b) takes an A4-sized screenshot (1240x1754): a PNG of that size, not blank;
(c) dumps the rendered DOM: every expected text (each --expect, and every candidate
    id and name of --pv-json, the page's JSON twin) is in its text, and it has no
    script element;
(d) every run writes Chromium's net log: no URL other than the page's own file:// URL
    may appear in it, Chromium's own background requests aside (every host name also
    resolves to nothing, as a safety net);
(e) a control page with an outside image and stylesheet is run the same way, and
    check (d) must find both there.

Standard library only. Artefacts (PDF, PNG, DOM, net logs, Chromium's output) stay
in DIR for inspection. Exit status 0 when every check passes, 1 otherwise; a missing
Chromium is a failure with the fix, never a skip.
"""

from __future__ import annotations

import argparse
import html.parser
import json
import pathlib
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import unicodedata
import zlib

FIX = "run tools/setup.sh --tests (it installs Debian's chromium package)"


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return None


class Failures:
    def __init__(self) -> None:
        self.messages: list[str] = []

    def check(self, ok: bool, message: str) -> bool:
        print(("ok    " if ok else "FAIL  ") + message, flush=True)
        if not ok:
            self.messages.append(message)
        return ok


def run_chromium(chromium: str, url: str, out: pathlib.Path, name: str, mode: list[str],
                 timeout: float) -> tuple[subprocess.CompletedProcess | None, float, pathlib.Path]:
    """One headless run with its own profile and net log; returns (process, seconds, net log)."""
    net_log = out / f"net-{name}.json"
    net_log.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix=f"pv-chromium-{name}-") as profile:
        command = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                   "--no-first-run", "--no-default-browser-check", f"--user-data-dir={profile}",
                   "--disable-extensions", "--disable-sync", "--disable-component-update",
                   "--disable-crash-reporter", "--disable-features=NetworkTimeServiceQuerying",
                   "--host-resolver-rules=MAP * ~NOTFOUND",
                   f"--log-net-log={net_log}", "--net-log-capture-mode=Everything", *mode, url]
        (out / f"chromium-{name}.cmd").write_text(" ".join(command) + "\n")
        started = time.monotonic()
        try:
            process = subprocess.run(command, capture_output=True, timeout=timeout,
                                     env={"HOME": profile, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
        except subprocess.TimeoutExpired as e:
            seconds = time.monotonic() - started
            (out / f"chromium-{name}.log").write_bytes((e.stdout or b"") + (e.stderr or b""))
            return None, seconds, net_log
        seconds = time.monotonic() - started
    (out / f"chromium-{name}.log").write_bytes(process.stderr)
    return process, seconds, net_log


def pdf_page_count(data: bytes) -> int:
    """Page objects (/Type /Page, not /Pages); falls back on the page tree's /Count."""
    pages = len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", data))
    if pages:
        return pages
    counts = [int(n) for n in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", data)]
    return max(counts, default=0)


def pdf_page_texts(data: bytes) -> list[str]:
    """The text of each page, in page order, read the way Chromium (Skia) writes PDF:
    uncompressed objects, Flate content streams, fonts with a ToUnicode CMap. Enough
    to find headings; whitespace is not reliable (words are placed, not spaced)."""
    objects = {int(m.group(1)): m.group(2) for m in re.finditer(rb"(\d+)\s+0\s+obj\s*(.*?)endobj", data, re.S)}

    def stream(number: int | None) -> bytes:
        body = objects.get(number, b"") if number is not None else b""
        m = re.search(rb"stream\r?\n", body)
        if not m:
            return b""
        length = re.search(rb"/Length\s+(\d+)(?!\s+\d+\s+R)", body[:m.start()])
        raw = body[m.end():m.end() + int(length.group(1))] if length else body[m.end():body.rfind(b"endstream")]
        if b"/FlateDecode" not in body[:m.start()]:
            return raw
        return zlib.decompressobj().decompress(raw)  # tolerant of a trailing end-of-line

    def reference(body: bytes, key: bytes) -> int | None:
        m = re.search(rb"/" + key + rb"\s+(\d+)\s+0\s+R", body)
        return int(m.group(1)) if m else None

    cmaps: dict[int, dict[int, str]] = {}

    def to_unicode(font: int) -> dict[int, str]:
        if font not in cmaps:
            table: dict[int, str] = {}
            text = stream(reference(objects.get(font, b""), b"ToUnicode"))
            for block in re.findall(rb"beginbfchar(.*?)endbfchar", text, re.S):
                for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                    table[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be", "replace")
            for block in re.findall(rb"beginbfrange(.*?)endbfrange", text, re.S):
                for low, high, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                    for i, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                        table[code] = chr(int(dst, 16) + i)
            cmaps[font] = table
        return cmaps[font]

    order: list[int] = []

    def walk(number: int) -> None:
        body = objects.get(number, b"")
        if re.search(rb"/Type\s*/Pages\b", body):
            kids = re.search(rb"/Kids\s*\[(.*?)\]", body, re.S)
            for kid in re.findall(rb"(\d+)\s+0\s+R", kids.group(1) if kids else b""):
                walk(int(kid))
        elif number not in order:
            order.append(number)

    for number, body in objects.items():
        if re.search(rb"/Type\s*/Pages\b", body) and b"/Parent" not in body:
            walk(number)
    texts = []
    for page in order:
        body = objects[page]
        font_dict = re.search(rb"/Font\s*<<(.*?)>>", body, re.S)
        fonts = {name: int(number) for name, number in
                 re.findall(rb"/(\w+)\s+(\d+)\s+0\s+R", font_dict.group(1) if font_dict else b"")}
        table: dict[int, str] = {}
        out = []
        for token in re.finditer(rb"/(\w+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f]*)>|(ET)\b", stream(reference(body, b"Contents"))):
            if token.group(1):
                table = to_unicode(fonts[token.group(1)]) if token.group(1) in fonts else {}
            elif token.group(2) is not None:
                glyphs = token.group(2)
                out.extend(table.get(int(glyphs[i:i + 4], 16), "\ufffd") for i in range(0, len(glyphs), 4))
            else:
                out.append(" ")
        texts.append(unicodedata.normalize("NFKC", "".join(out)))
    return texts


def squeeze(text: str) -> str:
    """Text without whitespace, for comparing with a PDF's placed words."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def png_size(data: bytes) -> tuple[int, int] | None:
    if not data.startswith(b"\x89PNG\r\n\x1a\n") or data[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", data[16:24])


class DomText(html.parser.HTMLParser):
    """The text of a document and the tags it holds."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)

    def handle_data(self, data):
        self.chunks.append(data)

    def text(self) -> str:
        return re.sub(r"\s+", " ", "".join(self.chunks))


def urls_in(value, found: set[str]) -> None:
    """Every string of a net log event's params that looks like a URL (scheme: or //host)."""
    if isinstance(value, dict):
        for v in value.values():
            urls_in(v, found)
    elif isinstance(value, list):
        for v in value:
            urls_in(v, found)
    elif isinstance(value, str):
        for match in re.finditer(r"(?:\b[a-zA-Z][a-zA-Z0-9+.-]*:)?//[^\s\"'<>\]]+", value):
            found.add(match.group(0))
        if re.match(r"^(?:https?|wss?|ftp|data|blob|filesystem):", value):
            found.add(value)


def dependencies(value, out: set[int]) -> None:
    """The ids of the other sources an event's params point to (source_dependency)."""
    if isinstance(value, dict):
        for k, v in value.items():
            if k.endswith("source_dependency") and isinstance(v, dict) and "id" in v:
                out.add(v["id"])
            else:
                dependencies(v, out)
    elif isinstance(value, list):
        for v in value:
            dependencies(v, out)


def foreign_urls(net: dict, page_url: str) -> tuple[list[str], list[str]]:
    """(URLs the page caused other than its own, origins the browser itself contacted).

    Chromium's own background requests (component updater, account check) are made
    by the browser, not the page: their URL_REQUEST starts with the initiator "not
    an origin", while every request a document makes carries its origin ("null" for
    a file:// page). Those requests and the sources linked to them (stream jobs,
    sockets) are set aside and reported; every other URL in the log must be the
    page's own. Host names rewritten by --host-resolver-rules ("~notfound") name no host.
    """
    names = {v: k for k, v in net.get("constants", {}).get("logEventTypes", {}).items()}
    events = net.get("events", [])
    links: dict[int, set[int]] = {}
    internal: set[int] = set()
    internal_origins: set[str] = set()
    for event in events:
        source = event.get("source", {}).get("id")
        params = event.get("params", {})
        linked: set[int] = set()
        dependencies(params, linked)
        for other in linked:
            links.setdefault(source, set()).add(other)
            links.setdefault(other, set()).add(source)
        if names.get(event.get("type")) == "URL_REQUEST_START_JOB" and params.get("initiator") == "not an origin" \
                and "file:" not in str(params.get("network_isolation_key", "")):
            internal.add(source)
            match = re.match(r"^[a-z]+://[^/]+", str(params.get("url", "")))
            if match:
                internal_origins.add(match.group(0))
    todo = list(internal)
    while todo:  # everything linked to the browser's own requests
        for other in links.get(todo.pop(), ()):
            if other not in internal:
                internal.add(other)
                todo.append(other)
    # Their isolation keys (e.g. "https://google.com same_site") also label work done
    # for them by shared sources (the DNS resolver): not a request of the page's.
    internal_keys = {str(v) for event in events if event.get("source", {}).get("id") in internal
                     for k, v in event.get("params", {}).items() if k.endswith("_key")}
    found: set[str] = set()
    for event in events:
        if event.get("source", {}).get("id") not in internal:
            params = {k: v for k, v in event.get("params", {}).items()
                      if not (k.endswith("_key") and str(v) in internal_keys)}
            urls_in(params, found)
    foreign = sorted(u for u in found if u != page_url and not re.match(r"^[a-z]+://~notfound\b", u))
    return foreign, sorted(internal_origins)


def read_net_log(path: pathlib.Path) -> tuple[dict | None, str]:
    if not path.exists():
        return None, "no net log written"
    text = path.read_text(errors="replace").rstrip()
    # Chromium may end the log without closing the events array when killed.
    for candidate in (text, text.rstrip(",") + "]}", text.rstrip(",") + "]}]}"):
        try:
            return json.loads(candidate), ""
        except json.JSONDecodeError:
            continue
    return None, "net log is not JSON"


def check_pdf_text(failures: Failures, data: bytes, pv: dict, page_per_candidate: bool) -> None:
    """Every printed page carries the seal (or the draft mark); every candidate's
    heading is printed, and with one candidate per page each heading opens its own page."""
    try:
        texts = [squeeze(t) for t in pdf_page_texts(data)]
        problem = ""
    except (zlib.error, ValueError, KeyError, IndexError) as e:
        texts, problem = [], f": {type(e).__name__}: {e}"
    if not failures.check(bool(texts) and any(texts), f"the PDF's text is readable ({len(texts)} pages{problem})"):
        return
    mark = squeeze("Scellé : sha256 " + pv["hash"].removeprefix("sha256:") if pv["sealed"] else "PROJET — non scellé")
    unmarked = [i + 1 for i, t in enumerate(texts) if mark not in t]
    failures.check(not unmarked, f"every page shows {'the seal' if pv['sealed'] else 'the draft mark'}"
                   + (f"; not pages {unmarked[:10]}" if unmarked else ""))
    heading_pages: dict[str, list[int]] = {}
    for c in pv["candidates"]:
        label = f"{c['name']} ({c['id']})" if c.get("name") else c["id"]
        heading = squeeze("Candidat : " + label)
        heading_pages[c["id"]] = [i + 1 for i, t in enumerate(texts) if heading in t]
    unprinted = [cid for cid, where in heading_pages.items() if not where]
    failures.check(not unprinted, f"every candidate's heading is printed ({len(heading_pages)})"
                   + (f"; missing: {unprinted[:10]}" if unprinted else ""))
    if page_per_candidate:
        shared = {}
        for cid, where in heading_pages.items():
            for page in where:
                shared.setdefault(page, []).append(cid)
        crowded = {page: ids for page, ids in shared.items() if len(ids) > 1}
        failures.check(not crowded, "each candidate's heading is alone on its page"
                       + (f"; shared: {dict(list(crowded.items())[:5])}" if crowded else ""))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("page", type=pathlib.Path)
    parser.add_argument("--out", type=pathlib.Path, required=True, help="artefacts directory")
    parser.add_argument("--expect", action="append", default=[], help="text the rendered page must show")
    parser.add_argument("--pv-json", type=pathlib.Path, help="the page's certigraph/jury-pv JSON: its candidates")
    parser.add_argument("--page-per-candidate", action="store_true")
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds per Chromium run")
    args = parser.parse_args()

    failures = Failures()
    chromium = find_chromium()
    if not chromium:
        print(f"FAIL  no chromium or chromium-browser on PATH: {FIX}", file=sys.stderr)
        return 1
    page = args.page.resolve()
    if not page.is_file():
        print(f"FAIL  no page at {page} (the sample_pv fixture writes it)", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    out = args.out.resolve()
    url = page.as_uri()
    try:
        version = subprocess.run([chromium, "--version"], capture_output=True, text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.TimeoutExpired) as e:
        print(f"FAIL  {chromium} --version: {e}: {FIX}", file=sys.stderr)
        return 1
    print(f"chromium: {chromium} ({version}); page: {url}; artefacts: {out}")

    expected = list(args.expect)
    candidates = 0
    pv = None
    if args.pv_json:
        pv = json.loads(args.pv_json.read_text())
        for c in pv["candidates"]:
            candidates += 1
            expected.append(c["id"])
            if c.get("name"):
                expected.append(c["name"])

    timings: dict[str, float] = {}
    net_logs: list[pathlib.Path] = []

    # (a) PDF.
    pdf = out / "pv.pdf"
    pdf.unlink(missing_ok=True)
    process, timings["pdf"], log = run_chromium(
        chromium, url, out, "pdf", ["--no-pdf-header-footer", f"--print-to-pdf={pdf}"], args.timeout)
    net_logs.append(log)
    if failures.check(process is not None, f"print to PDF finished within {args.timeout:.0f} s (chromium-pdf.log)"):
        data = pdf.read_bytes() if pdf.exists() else b""
        failures.check(data.startswith(b"%PDF"), f"{pdf.name} exists and starts with %PDF ({len(data)} bytes)")
        pages = pdf_page_count(data)
        if args.page_per_candidate and candidates:
            failures.check(pages >= candidates + 1,
                           f"{pages} printed pages for {candidates} candidates, one page each after the session pages")
        else:
            failures.check(pages >= 1, f"{pages} printed pages")
        if pv is not None:
            check_pdf_text(failures, data, pv, args.page_per_candidate)

    # (b) Screenshot, A4 at 150 dpi.
    png = out / "pv.png"
    png.unlink(missing_ok=True)
    process, timings["screenshot"], log = run_chromium(
        chromium, url, out, "screenshot",
        ["--hide-scrollbars", "--window-size=1240,1754", f"--screenshot={png}"], args.timeout)
    net_logs.append(log)
    if failures.check(process is not None, f"screenshot finished within {args.timeout:.0f} s (chromium-screenshot.log)"):
        data = png.read_bytes() if png.exists() else b""
        size = png_size(data)
        failures.check(size == (1240, 1754), f"{png.name} is a PNG of 1240x1754 (got {size})")
        failures.check(len(data) > 20_000, f"{png.name} is not blank ({len(data)} bytes > 20000)")

    # (c) The rendered DOM.
    process, timings["dom"], log = run_chromium(chromium, url, out, "dom", ["--dump-dom"], args.timeout)
    net_logs.append(log)
    if failures.check(process is not None and process.returncode == 0, "DOM dumped (chromium-dom.log)"):
        dom = process.stdout.decode("utf-8", errors="replace")
        (out / "dom.html").write_text(dom)
        text = DomText()
        text.feed(dom)
        shown = text.text()
        failures.check("script" not in text.tags, "no script element in the rendered DOM")
        failures.check("Procès-verbal de délibération du jury" in shown, "the title is rendered")
        missing = [e for e in expected if re.sub(r"\s+", " ", e) not in shown]
        failures.check(not missing, f"{len(expected) - len(missing)} of {len(expected)} expected texts shown"
                       + (f"; missing: {missing}" if missing else ""))

    # (d) No request other than the page itself, in every run.
    for log in net_logs:
        net, problem = read_net_log(log)
        if not failures.check(net is not None, f"{log.name} read" + (f": {problem}" if problem else "")):
            continue
        foreign, browser_own = foreign_urls(net, url)
        failures.check(not foreign, f"{log.name}: no URL but the page's ({len(net.get('events', []))} events; "
                       f"the browser's own requests set aside: {', '.join(browser_own) or 'none'})"
                       + (f"; found: {foreign[:10]}" if foreign else ""))

    # (e) The control: the same check on a page that loads an image and a stylesheet
    # from outside must see them (else (d) would prove nothing).
    leaky = out / "control-leaky.html"
    leaky.write_text('<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>fuite</title>'
                     '<link rel="stylesheet" href="http://example.net/style.css"></head>'
                     '<body><img src="https://example.org/logo.png" alt=""></body></html>\n')
    process, timings["control"], log = run_chromium(chromium, leaky.as_uri(), out, "control", ["--dump-dom"],
                                                    args.timeout)
    net, problem = read_net_log(log)
    if failures.check(net is not None, f"{log.name} read" + (f": {problem}" if problem else "")):
        foreign, _ = foreign_urls(net, leaky.as_uri())
        failures.check("https://example.org/logo.png" in foreign and "http://example.net/style.css" in foreign,
                       f"the control page's two outside requests are found ({foreign[:4]})")

    print("timings: " + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()))
    if failures.messages:
        print(f"{len(failures.messages)} check(s) failed; artefacts in {out}", file=sys.stderr)
        return 1
    print(f"all checks passed; artefacts in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
