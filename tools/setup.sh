#!/usr/bin/env bash
# Sets up everything certigraph needs on a Debian machine, then configures and
# builds it. Idempotent and quiet when nothing is missing; safe to run before
# every command (the README's two commands do).
#
#   tools/setup.sh               # Debian packages, configure and build into build/
#   BUILD_DIR=build-asan CERTIGRAPH_SANITIZE=address,undefined tools/setup.sh
set -euo pipefail

cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo}

# C++ toolchain and libraries: Debian packages only (no downloads at build time).
packages=(g++ cmake ninja-build ccache pkg-config
          libboost-graph-dev libboost-serialization-dev libeigen3-dev catch2
          libpugixml-dev nlohmann-json3-dev libsimdjson-dev libcli11-dev libsqlite3-dev libssl-dev
          pybind11-dev openssl)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

configure=(-S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="$BUILD_TYPE")
command -v ccache >/dev/null && configure+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
[[ -n ${CERTIGRAPH_SANITIZE:-} ]] && configure+=(-DCERTIGRAPH_SANITIZE="$CERTIGRAPH_SANITIZE")
[[ -f $BUILD_DIR/CMakeCache.txt ]] || cmake "${configure[@]}" >/dev/null
cmake --build "$BUILD_DIR" --parallel "$(nproc)" -- --quiet
test -x "$BUILD_DIR/bin/certigraph"

# The Python package: the python3 first on PATH, its packages from PyPI with pip.
# SKIP_PYTHON=1 skips it (a C++-only checkout).
if [[ -z ${SKIP_PYTHON:-} ]]; then
  pip=(python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore)
  "${pip[@]}" "scikit-build-core>=0.10" "pybind11>=2.12" numpy pandas matplotlib pytest \
    nbclient nbformat ipykernel "dask[distributed]"
  # No build isolation: the build tools are installed above, and build/python is
  # reused, so running this again only rebuilds what changed.
  "${pip[@]}" --no-build-isolation .
  python3 -c "import certigraph" # fails loudly if the install did not work
fi
