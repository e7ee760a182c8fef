"""Runs the examples of a Markdown page and checks what they print.

    python run_docs.py ROOT PAGE.md [--bin DIR]

Which blocks run (the rules are also written in docs/development.md, "Docs that run"):

* ```` ```console ````: every line starting with ``$ `` is a shell command (a trailing
  ``\\`` continues it on the next line); the lines up to the next ``$ `` line are its
  expected output.
* ```` ```sh ```` / ```` ```bash ````: a shell script, run with ``set -e``; if the next
  block is a ```` ```text ```` or unlabelled block, that is its expected output.
* ```` ```python ````: run in one interpreter per page (names carry over from block to
  block, as in a notebook); an unlabelled or ```` ```text ```` block right after it is
  its expected output.
* Every other block (json, csv, cpp, cmake, …) is data and is not run.

A comment line right before a block changes that: ``<!-- docs-test: skip REASON -->``
leaves the block out (the README's set-up commands, benchmarks, fuzzing…),
``<!-- docs-test: no-output -->`` runs it without comparing what it prints, and
``<!-- docs-test: write PATH -->`` saves a data block as the file PATH (the page says
"save this as …").

Comparison: trailing spaces and blank lines are ignored; durations (``12.3 s``,
``40 ms``) compare equal whatever their value; an expected line that is only ``…``
matches any number of lines, and ``…`` inside a line matches any text.

Every page runs in a fresh temporary directory holding links to the repository's
top-level entries; the examples' absolute ``/tmp/…`` paths are redirected to a private
directory of that page (and shown back as ``/tmp/…``), and ``TMPDIR`` points there, so
that no page sees another's files or an earlier run's, so relative paths such as ``examples/…`` and ``build/bin/…`` work
and files the examples write are thrown away. ``build/bin`` and the directory of this
Python come first on PATH, so ``certigraph`` and ``python3`` are the project's.
"""
from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import traceback
from dataclasses import dataclass
from pathlib import Path

RUNNABLE = {"console", "sh", "bash", "shell", "python"}
OUTPUT_LANGS = {"", "text"}
DIRECTIVE = re.compile(r"^<!--\s*docs-test:\s*(skip|no-output|write)\b(.*?)-->\s*$")
DURATION = re.compile(r"\b\d+(?:[.,]\d+)?\s?(?:ns|µs|us|ms|s|min)\b")


@dataclass
class Block:
    lang: str
    body: str
    line: int          # 1-based line of the opening fence
    directive: str = ""
    argument: str = ""


def parse(text: str) -> list[Block]:
    blocks: list[Block] = []
    lines = text.splitlines()
    i = 0
    pending, argument = "", ""
    while i < len(lines):
        stripped = lines[i].strip()
        match = DIRECTIVE.match(stripped)
        if match:
            pending, argument = match.group(1), match.group(2).strip()
            i += 1
            continue
        fence = re.match(r"^(\s*)(`{3,}|~{3,})\s*([\w+-]*)", lines[i])
        if fence:
            indent, marker, lang = fence.group(1), fence.group(2), fence.group(3).lower()
            start = i
            body: list[str] = []
            i += 1
            while i < len(lines) and not lines[i].strip().startswith(marker):
                body.append(lines[i][len(indent):] if lines[i].startswith(indent) else lines[i])
                i += 1
            blocks.append(Block(lang, "\n".join(body) + "\n", start + 1, pending, argument))
            pending, argument = "", ""
            i += 1
            continue
        if stripped:
            pending, argument = "", ""
        i += 1
    return blocks


def normalise(text: str, tmp: str) -> list[str]:
    text = text.replace(tmp, "<tmp>").replace(os.path.realpath(tmp), "<tmp>")
    out = [DURATION.sub("<time>", line.rstrip()) for line in text.splitlines()]
    while out and not out[-1]:
        out.pop()
    while out and not out[0]:
        out.pop(0)
    return out


def _line_matches(expected: str, actual: str) -> bool:
    if "…" not in expected:
        return expected == actual
    pattern = ".*".join(re.escape(part) for part in expected.split("…"))
    return re.fullmatch(pattern, actual) is not None


def matches(expected: list[str], actual: list[str]) -> bool:
    """Expected lines against actual ones; a line of only '…' matches any run of lines."""
    memo: dict[tuple[int, int], bool] = {}

    def go(i: int, j: int) -> bool:
        key = (i, j)
        if key in memo:
            return memo[key]
        if i == len(expected):
            result = j == len(actual)
        elif expected[i].strip() in ("…", "..."):
            result = any(go(i + 1, k) for k in range(j, len(actual) + 1))
        else:
            result = j < len(actual) and _line_matches(expected[i], actual[j]) and go(i + 1, j + 1)
        memo[key] = result
        return result

    return go(0, 0)


def incomplete(command: list[str]) -> bool:
    """Whether a shell command needs more lines (a trailing backslash, an open loop or quote)."""
    if command[-1].endswith("\\"):
        return True
    check = subprocess.run(["bash", "-n", "-c", "\n".join(command)], capture_output=True, text=True)
    return ((check.returncode != 0 and "unexpected end of file" in check.stderr)
            or "here-document" in check.stderr)


def console_commands(body: str) -> list[tuple[str, str]]:
    """(command, expected output) pairs of a console block."""
    pairs: list[tuple[str, str]] = []
    command: list[str] = []
    output: list[str] = []
    continuing = False
    for line in body.splitlines():
        if continuing:
            command.append(line)
            continuing = incomplete(command)
        elif line.startswith("$ "):
            if command:
                pairs.append(("\n".join(command), "\n".join(output)))
            command, output = [line[2:]], []
            continuing = incomplete(command)
        elif command:
            output.append(line)
    if command:
        pairs.append(("\n".join(command), "\n".join(output)))
    return pairs


class Page:
    def __init__(self, root: Path, page: Path, bin_dir: Path, work: Path):
        self.root, self.page, self.work = root, page, work
        self.failures: list[str] = []
        self.ran = 0
        self.namespace: dict[str, object] = {"__name__": "__docs__"}
        env = dict(os.environ)
        env["PATH"] = os.pathsep.join([str(bin_dir), str(Path(sys.executable).parent), env.get("PATH", "")])
        env.pop("PYTHONPATH", None)
        env["COLUMNS"] = "200"
        self.tmp = work / ".tmp"
        self.tmp.mkdir()
        env["TMPDIR"] = str(self.tmp)
        self.env = env

    def private(self, code: str) -> str:
        """The code with its /tmp/ paths in this page's private directory."""
        return re.sub(r"(?<![\w.])/tmp/", str(self.tmp) + "/", code)

    def public(self, text: str) -> str:
        return text.replace(str(self.tmp), "/tmp")

    def where(self, block: Block) -> str:
        return f"{self.page.relative_to(self.root)}:{block.line}"

    def fail(self, block: Block, what: str) -> None:
        self.failures.append(f"{self.where(block)}: {what}")

    def compare(self, block: Block, expected: str, actual: str, command: str) -> None:
        want, got = normalise(expected, str(self.work)), normalise(actual, str(self.work))
        if not matches(want, got):
            self.fail(block, "output differs for\n    " + command.replace("\n", "\n    ")
                      + "\n  expected:\n    " + "\n    ".join(want)
                      + "\n  got:\n    " + "\n    ".join(got))

    def shell(self, block: Block, script: str, expected: str | None, check_status: bool) -> None:
        self.ran += 1
        try:
            proc = subprocess.run(["bash", "-o", "pipefail", "-ec", self.private(script)], cwd=self.work,
                                  env=self.env,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                  timeout=600)
        except subprocess.TimeoutExpired:
            self.fail(block, f"timed out: {script}")
            return
        if check_status and proc.returncode != 0:
            self.fail(block, f"exit {proc.returncode}:\n    {script}\n  printed:\n    "
                      + "\n    ".join(self.public(proc.stdout).splitlines()[-30:]))
            return
        if expected is not None:
            self.compare(block, expected, self.public(proc.stdout), script)

    def python(self, block: Block, expected: str | None) -> None:
        self.ran += 1
        buffer = io.StringIO()
        cwd = os.getcwd()
        os.chdir(self.work)
        try:
            with contextlib.redirect_stdout(buffer):
                exec(compile(self.private(block.body), self.where(block), "exec"), self.namespace)
        except Exception:  # noqa: BLE001 - every failure of an example is reported
            self.fail(block, "raised:\n    " + "\n    ".join(traceback.format_exc().splitlines()[-12:]))
            return
        finally:
            os.chdir(cwd)
        if expected is not None:
            self.compare(block, expected, self.public(buffer.getvalue()), block.body.strip().splitlines()[0] + " …")

    def run(self) -> None:
        blocks = parse(self.page.read_text(encoding="utf-8"))
        for k, block in enumerate(blocks):
            if block.directive == "write":
                target = Path(self.private(block.argument))
                target = target if target.is_absolute() else self.work / target
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(block.body, encoding="utf-8")
                continue
            if block.lang not in RUNNABLE or block.directive == "skip":
                continue
            compare = block.directive != "no-output"
            following = blocks[k + 1] if k + 1 < len(blocks) else None
            expected = None
            if (compare and block.lang != "console" and following is not None
                    and following.lang in OUTPUT_LANGS and following.directive != "skip"
                    and self._adjacent(block, following)):
                expected = following.body
            if block.lang == "console":
                for command, output in console_commands(block.body):
                    # A console example may show a failure: its exit status is not checked.
                    self.shell(block, command, output if compare else None, check_status=False)
            elif block.lang == "python":
                self.python(block, expected)
            else:
                self.shell(block, block.body, expected, check_status=True)

    def _adjacent(self, block: Block, following: Block) -> bool:
        lines = self.page.read_text(encoding="utf-8").splitlines()
        # Lines are 1-based: the body is block.line + 1 … block.line + n, the closing fence
        # block.line + n + 1; what lies between it and the next opening fence must be blank.
        closing = block.line + block.body.count("\n") + 1
        return all(not line.strip() for line in lines[closing:following.line - 1])


def main() -> int:
    args = sys.argv[1:]
    if len(args) < 2:
        print(__doc__)
        return 2
    root, page = Path(args[0]).resolve(), Path(args[1]).resolve()
    bin_dir = root / "build" / "bin"
    if "--bin" in args:
        bin_dir = Path(args[args.index("--bin") + 1]).resolve()
    work = Path(tempfile.mkdtemp(prefix="certigraph-docs-"))
    try:
        for entry in root.iterdir():
            if entry.name not in (".git",):
                (work / entry.name).symlink_to(entry)
        if bin_dir != root / "build" / "bin":
            (work / "build").unlink()
            (work / "build").mkdir()
            (work / "build" / "bin").symlink_to(bin_dir)
        runner = Page(root, page, bin_dir, work)
        runner.run()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for failure in runner.failures:
        print(failure, end="\n\n")
    print(f"{page.relative_to(root)}: {runner.ran} examples run, {len(runner.failures)} failed")
    return 1 if runner.failures else 0


if __name__ == "__main__":
    sys.exit(main())
