#!/usr/bin/env bash
# Builds a libFuzzer harness with clang (ASan + UBSan) and fuzzes for SECONDS
# (default 60), seeded with the test fixtures:
#   tests/fuzz/run.sh [SECONDS] [referentiel|events|typed_record|canonical_event|evaluations|policy|grades|referentiel_text|rncp_xml|interop_lms|jury]
# referentiel (default): the JSON reader and the three archive readers;
# events: the ledger's event reader, canonical round trip, state and eligibility;
# typed_record: the ledger's packed typed record (seeds: tests/fuzz/corpus/typed_record);
# canonical_event: verify()'s reader of canonical event texts, which must accept only
# the canonical writer's text (seeds: tests/fuzz/corpus/canonical_event, every kind);
# evaluations, policy, grades: those readers, seeded with tests/fuzz/corpus/<name>/.
# interop_lms: the CASE, Moodle CSV and Canvas CSV readers (seeds: tests/fuzz/corpus/interop_lms).
# jury: the jury session and sealed record readers, the composition check, the procès-verbal
# (seeds: tests/fuzz/corpus/jury).
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
target=${2:-referentiel}
build=build-fuzz
if [[ ! -f $build/CMakeCache.txt ]]; then
  cmake -S . -B $build -G Ninja -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCERTIGRAPH_BUILD_FUZZERS=ON -DCERTIGRAPH_BUILD_CLI=OFF -DCERTIGRAPH_INSTALL=OFF \
    "-DCERTIGRAPH_SANITIZE=address,undefined,fuzzer-no-link" >/dev/null
fi
cmake --build $build --target "fuzz_$target" -- --quiet
if [[ -d tests/fuzz/corpus/$target ]]; then
  # Seeds: the harness's committed corpus (small); new inputs go to a scratch
  # copy, never into the repository.
  corpus=$build/fuzz-corpus-$target
  mkdir -p "$corpus"
  cp tests/fuzz/corpus/$target/* "$corpus/"
  "$build/tests/fuzz_$target" "$corpus" -max_total_time="$seconds" -max_len=65536 \
    -rss_limit_mb=4096 -print_final_stats=1
  exit
fi
if [[ $target == events ]]; then
  corpus=$build/fuzz-corpus-events
  mkdir -p "$corpus"
  cp tests/data/ledger/*.jsonl examples/cohorts/*.jsonl "$corpus/"
  "$build/tests/fuzz_events" "$corpus" -max_total_time="$seconds" -max_len=16384 \
    -rss_limit_mb=4096 -print_final_stats=1
  exit
fi
# Seeds: each fixture prefixed with the byte that selects its reader
# (0 JSON, 1 text, 2 XML, 3 binary archive).
corpus=$build/fuzz-corpus
mkdir -p "$corpus"
for f in tests/data/referentiels/*.json tests/data/referentiels/*/*.json; do
  { printf '\x00'; cat "$f"; } > "$corpus/json-$(basename "$(dirname "$f")")-$(basename "$f")"
done
for f in tests/data/archives/*; do
  case $f in
    *.txt) b='\x01' ;; *.xml) b='\x02' ;; *.bin) b='\x03' ;; *) continue ;;
  esac
  { printf "$b"; cat "$f"; } > "$corpus/archive-$(basename "$f")"
done
"$build/tests/fuzz_referentiel" "$corpus" -max_total_time="$seconds" -max_len=65536 \
  -rss_limit_mb=4096 -print_final_stats=1
