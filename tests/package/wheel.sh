#!/usr/bin/env bash
# The repaired wheel installs into a fresh virtualenv and works there with the
# system's copies of the libraries it bundles out of reach.
# usage: wheel.sh PYTHON WORKDIR REFERENTIEL.json
set -euo pipefail
python=$1 work=$2 referentiel=$3
root=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf "$work" && mkdir -p "$work"
wheel=$(PYTHON=$python "$root/tools/build-wheel.sh" "$work/dist" | tail -n 1)
echo "built $(basename "$wheel") ($(du -k "$wheel" | cut -f1) KiB)"
case $(basename "$wheel") in
  *manylinux*) ;;
  *) echo "not a manylinux wheel: $wheel" >&2; exit 1 ;;
esac

"$python" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check "$wheel"
module=$("$work/venv/bin/python" -c "import certigraph._core as m; print(m.__file__)")

# Every library auditwheel bundled resolves inside the wheel, not to the system's copy.
status=0
for lib in libboost_serialization libsimdjson libsqlite3 libcrypto; do
  line=$(ldd "$module" | grep "$lib" || true)
  case $line in
    *certigraph.libs/*) echo "bundled: ${line#"${line%%[![:space:]]*}"}" ;;
    "") echo "$lib: not needed" ;;
    *) echo "resolves outside the wheel: $line" >&2; status=1 ;;
  esac
done
[ $status -eq 0 ] || exit 1

check='
import certigraph as cg, sys
ref = cg.Referentiel.load(sys.argv[1])
print(f"imported certigraph {cg.__version__} from {cg.__file__}: {ref}")
from certigraph import examples  # the example data travel in the wheel
result = cg.grade(examples.referentiel(), examples.policy(), examples.cohort())
print(f"graded the shipped sample cohort: {result}")
'
# Hide the system's copies for real where a private mount namespace is allowed
# (root, or unprivileged user namespaces): each library file is covered by /dev/null.
hide=""
for lib in /usr/lib/x86_64-linux-gnu/libboost_serialization.so* /usr/lib/x86_64-linux-gnu/libsimdjson.so* \
           /usr/lib/x86_64-linux-gnu/libsqlite3.so* /usr/lib/x86_64-linux-gnu/libcrypto.so*; do
  [ -f "$lib" ] && hide="$hide mount --bind /dev/null $lib;"
done
cd "$work"
if unshare --mount --map-root-user true 2>/dev/null || unshare --mount true 2>/dev/null; then
  flags=(--mount)
  [ "$(id -u)" -eq 0 ] || flags+=(--map-root-user)
  unshare "${flags[@]}" sh -c "$hide exec \"\$0\" -c \"\$1\" \"\$2\"" \
    "$work/venv/bin/python" "$check" "$referentiel"
  echo "the system's libraries were hidden (covered by /dev/null in a private mount namespace)"
else
  "$work/venv/bin/python" -c "$check" "$referentiel"
  echo "no private mount namespace here: the libraries were checked with ldd only"
fi
