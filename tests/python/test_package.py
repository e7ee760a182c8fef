"""The installed package: importable from anywhere, versioned from one place, typed."""
from __future__ import annotations

import pathlib
import re
import subprocess
import sys

import certigraph as cg
from conftest import ROOT


def test_imports_from_outside_the_source_tree(tmp_path):
    out = subprocess.run([sys.executable, "-c", "import certigraph, sys; print(certigraph.__file__)"],
                         cwd=tmp_path, capture_output=True, text=True, check=True)
    assert "site-packages" in out.stdout or "dist-packages" in out.stdout


def test_version_comes_from_cmake():
    cmake = (ROOT / "CMakeLists.txt").read_text()
    assert re.search(r"project\(certigraph VERSION ([0-9.]+)", cmake).group(1) == cg.__version__


def test_type_marker_is_installed():
    assert (pathlib.Path(cg.__file__).parent / "py.typed").exists()
