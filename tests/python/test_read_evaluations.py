"""read_evaluations from a path (read in C++) and from file-like objects (read in chunks)."""
from __future__ import annotations

import builtins
import io
import pathlib

import numpy as np
import pytest

import certigraph as cg
from conftest import EXAMPLES

SAMPLE = EXAMPLES / "cohorts" / "rncp40514-sample.csv"


def same(a: cg.Cohort, b: cg.Cohort) -> bool:
    return (np.array_equal(a.values, b.values, equal_nan=True) and a.candidates == b.candidates
            and a.sessions == b.sessions and a.juror_names == b.juror_names)


def test_str_and_pathlib_paths_give_the_same_cohort(ref, policy, sample):
    assert same(cg.read_evaluations(ref, str(SAMPLE), policy=policy), sample)
    assert same(cg.read_evaluations(ref, pathlib.Path(SAMPLE), policy=policy), sample)
    assert sample.rows == 8 and sample.candidates[0] == "C001"


def test_a_path_is_read_by_cpp_not_by_python_open(ref, policy, sample, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("read_evaluations opened the file in Python")

    monkeypatch.setattr(builtins, "open", refuse)
    monkeypatch.setattr(io, "open", refuse)
    assert same(cg.read_evaluations(ref, SAMPLE, policy=policy), sample)


def test_binary_and_text_files(ref, policy, sample):
    with open(SAMPLE, "rb") as binary:
        assert same(cg.read_evaluations(ref, binary, policy=policy), sample)
    with open(SAMPLE, encoding="utf-8", newline="") as text:
        assert same(cg.read_evaluations(ref, text, policy=policy), sample)
    assert same(cg.read_evaluations(ref, io.BytesIO(SAMPLE.read_bytes()), policy=policy), sample)
    assert same(cg.read_evaluations(ref, io.StringIO(SAMPLE.read_text(encoding="utf-8")), policy=policy), sample)


class Chunks:
    """A file-like object that records the sizes asked for and returns at most `most` bytes."""

    def __init__(self, data: bytes, most: int) -> None:
        self.data, self.most, self.asked, self.offset = data, most, [], 0

    def read(self, size: int = -1) -> bytes:
        self.asked.append(size)
        n = min(self.most, size if size >= 0 else len(self.data))
        part = self.data[self.offset:self.offset + n]
        self.offset += len(part)
        return part


def test_file_likes_are_read_in_chunks_until_empty(ref, policy, sample):
    data = SAMPLE.read_bytes()
    source = Chunks(data, 1000)  # short reads split lines and multi-byte characters anywhere
    assert same(cg.read_evaluations(ref, source, policy=policy), sample)
    assert len(source.asked) == len(data) // 1000 + 2  # the last read returns b""
    assert all(0 < size <= 1 << 20 for size in source.asked)  # never read() of everything


class IntoChunks(Chunks):
    """A binary file-like object with readinto (which read_evaluations prefers: no bytes objects)."""

    def read(self, size: int = -1) -> bytes:
        raise AssertionError("read() called on a file with readinto()")

    def readinto(self, buffer: memoryview) -> int:
        self.asked.append(len(buffer))
        part = self.data[self.offset:self.offset + min(self.most, len(buffer))]
        buffer[:len(part)] = part
        self.offset += len(part)
        return len(part)


def test_binary_files_fill_the_buffer_with_readinto(ref, policy, sample):
    data = SAMPLE.read_bytes()
    source = IntoChunks(data, 777)
    assert same(cg.read_evaluations(ref, source, policy=policy), sample)
    assert len(source.asked) == len(data) // 777 + 2 and set(source.asked) == {1 << 20}


def test_a_large_file_like_is_never_asked_for_all_at_once(ref):
    header = b"candidate,session,epreuve,criterion,juror,value\n"
    lines = b"".join(b"C%06d,2026-06,EP3,A2E1,J1,12\n" % i for i in range(120_000))  # 3.6 MB
    source = Chunks(header + lines, 1 << 30)
    cohort = cg.read_evaluations(ref, source)
    assert cohort.rows == 120_000 and cohort.values[-1, 10, 0] == 12
    assert source.asked[:4] == [1 << 20] * 4


def test_errors_name_the_file(ref, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("candidate,session,epreuve,criterion,juror,value\nC1,2026-06,EP3,A2E9,J1,12\n", encoding="utf-8")
    with pytest.raises(cg.InvalidInputError, match=r"bad\.csv:2:\d+: unknown criterion 'A2E9'"):
        cg.read_evaluations(ref, bad)
    with open(bad, "rb") as handle, pytest.raises(cg.InvalidInputError, match=r"bad\.csv:2:\d+: unknown criterion"):
        cg.read_evaluations(ref, handle)
    with pytest.raises(cg.InvalidInputError, match=r"<file>:2:\d+: unknown criterion"):
        cg.read_evaluations(ref, io.BytesIO(bad.read_bytes()))
    with pytest.raises(cg.IoError, match=r"missing\.csv: cannot open for reading"):
        cg.read_evaluations(ref, tmp_path / "missing.csv")
    with pytest.raises(cg.IoError, match="is a directory"):
        cg.read_evaluations(ref, tmp_path)


def test_wrong_sources_are_type_errors(ref):
    with pytest.raises(TypeError, match="not a int"):
        cg.read_evaluations(ref, 42)  # type: ignore[arg-type]

    class Numbers:
        def read(self, size: int = -1) -> int:
            return 7

    with pytest.raises(TypeError, match="read\\(\\) returned int; .*binary or text mode"):
        cg.read_evaluations(ref, Numbers())  # type: ignore[arg-type]
