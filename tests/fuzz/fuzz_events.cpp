// libFuzzer harness for the ledger's event reader (tests/fuzz/run.sh events):
// each input line goes through the fast reader (simdjson) and the strict reader
// (nlohmann): whatever the fast one accepts, the strict one must accept as an equal
// event. What is accepted must be checked without crashing, written back to
// canonical JSON and read again to an equal event; the accepted events then go
// through state_as_of and eligibility.
#include <certigraph/certigraph.hpp>

#include "io/json_reader.hpp"
#include "ledger/event_json.hpp"

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string_view>
#include <vector>

using namespace certigraph;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const Referentiel ref = io::load_referentiel(CERTIGRAPH_EXAMPLES "/referentiels/rncp40514.json");
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    std::vector<ledger::Event> events;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        const std::string_view line = text.substr(start, end - start);
        start = end + 1;
        if (line.empty()) continue;
        const std::optional<ledger::Event> fast = ledger::detail::fast_from_json(line);
        std::optional<ledger::Event> strict;
        try {
            const auto j = io::detail::parse_strict(line, "fuzz");
            strict = ledger::detail::from_json(io::detail::Reader(j, "", "fuzz")).event;
        } catch (const Error&) {
        }
        if (fast && !(strict && *fast == *strict)) std::abort();  // the fast path accepts only what is valid
        try {
            ledger::Event e = ledger::event_from_json(line, "fuzz");
            (void)ledger::check_event(e);
            const std::string canonical = ledger::canonical_json(e);
            if (!(ledger::event_from_json(canonical, "canonical") == e)) std::abort();  // round trip
            e.candidate = "C";  // one candidate, so that the state sees them together
            events.push_back(std::move(e));
        } catch (const Error&) {
        }
    }
    if (!events.empty()) {
        for (const char* date : {"2020-01-01", "2026-07-01", "2040-01-01"}) {
            const auto answer = ledger::eligibility(ref, events, *Date::parse(date));
            for (const auto& check : answer.checks) {
                (void)ledger::explain(check, ref);
                (void)ledger::missing(check, ref);
            }
        }
    }
    return 0;
}
