// libFuzzer harness for the canonical bloc_result reader (src/ledger/canonical_bloc_result.hpp;
// tests/fuzz/run.sh 60 canonical_bloc_result). verify() trusts it to accept only the
// canonical writer's own text: whatever it reads must be written back byte for byte
// by canonical_json(), and the event readers must read the same event from it.
#include "ledger/canonical_bloc_result.hpp"
#include "ledger/event_json.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

using namespace certigraph::ledger;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    Event e;
    std::uint64_t id = 0, seq = 0;
    if (!detail::CanonicalBlocResult(text).read(e, id, seq)) return 0;
    std::string again;
    detail::canonical_json(e, seq, again);
    if (again != text) std::abort();
    const Event read = event_from_json(text, "fuzz");  // throws (a crash here) if the readers refuse it
    if (!(read == e) || read.id != id) std::abort();
    return 0;
}
