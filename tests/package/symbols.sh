#!/bin/sh
# The installed shared library: stripped, and exporting certigraph's symbols only.
# usage: symbols.sh PREFIX
set -eu
lib=$(find "$1" -name 'libcertigraph.so.*.*.*' | head -n 1)
[ -n "$lib" ] || { echo "no libcertigraph.so under $1" >&2; exit 1; }
if find "$1" -name 'libcertigraph.a' | grep -q .; then echo "a static library was installed" >&2; exit 1; fi
if readelf -S "$lib" | grep -q '\.debug_info'; then echo "$lib is not stripped" >&2; exit 1; fi
exported=$(nm -DC --defined-only "$lib")
ours=$(printf '%s\n' "$exported" | grep -c 'certigraph::' || true)
[ "$ours" -gt 100 ] || { echo "only $ours certigraph symbols exported" >&2; exit 1; }
leaked=$(printf '%s\n' "$exported" | grep -E ' (boost|nlohmann|simdjson|std)::' | grep -v 'certigraph::' || true)
if [ -n "$leaked" ]; then
  echo "private dependencies' symbols exported:" >&2
  printf '%s\n' "$leaked" | head -n 20 >&2
  exit 1
fi
echo "$(basename "$lib"): $ours certigraph symbols exported, no private dependency's; $(du -k "$lib" | cut -f1) KiB stripped"
