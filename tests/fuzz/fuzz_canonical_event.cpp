// libFuzzer harness for the ledger's readers of canonical event texts
// (src/ledger/canonical_event.cpp; tests/fuzz/run.sh 60 canonical_event):
// - read_canonical, verify()'s: whatever it reads, as whichever kind it is asked
//   for, must be of that kind and be written back byte for byte by canonical_json(),
//   since verify() does not write it again;
// - read_canonical_line, the JSON-lines readers': whatever it reads, with or without
//   an exported "hash";
// and the event readers (the strict one, and the fast one when it takes the text)
// must read the same event from it.
#include "io/json_reader.hpp"
#include "ledger/event_json.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <variant>

using namespace certigraph;
using namespace certigraph::ledger;

namespace {

/// Aborts unless both event readers read `e` from `text` (the strict one must take it).
void readers_agree(std::string_view text, const Event& e) {
    const Event strict =
        detail::from_json(io::detail::Reader(io::detail::parse_strict(text, "fuzz"), "", "fuzz")).event;
    if (!(strict == e)) std::abort();
    if (const auto fast = detail::fast_from_json(text); fast && !(*fast == e)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    Event e;  // reused across kinds, as verify() reuses it across rows
    for (std::size_t kind = 0; kind < std::variant_size_v<Event::Body>; ++kind) {
        std::uint64_t seq = 0;
        if (!detail::read_canonical(text, static_cast<EventKind>(kind), e, seq)) continue;
        if (e.body.index() != kind) std::abort();
        std::string again;
        detail::canonical_json(e, seq, again);
        if (again != text) std::abort();
        readers_agree(text, e);  // throws (a crash here) if the strict reader refuses it
    }
    if (detail::read_canonical_line(text, e)) readers_agree(text, e);
    return 0;
}
