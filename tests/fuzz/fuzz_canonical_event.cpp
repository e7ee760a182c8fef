// libFuzzer harness for verify()'s reader of canonical event texts
// (read_canonical, src/ledger/canonical_event.cpp; tests/fuzz/run.sh 60 canonical_event).
// verify() trusts it to accept only the canonical writer's own text: whatever it
// reads, as whichever kind it is asked for, must be of that kind and be written back
// byte for byte by canonical_json(), and the event readers must read the same event.
#include "ledger/event_json.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <variant>

using namespace certigraph::ledger;

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
        const Event read = event_from_json(text, "fuzz");  // throws (a crash here) if the readers refuse it
        if (!(read == e)) std::abort();
    }
    return 0;
}
