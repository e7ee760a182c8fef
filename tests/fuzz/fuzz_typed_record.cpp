// libFuzzer harness for the ledger's packed typed record (schema 5, `events.typed`;
// tests/fuzz/run.sh 60 typed_record): Ledger::event_table() decodes it from a file
// that may have been edited by hand. Whatever unpack_typed() accepts must pack back
// to the very same bytes (one encoding per record); nothing may read out of bounds.
#include "ledger/store.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

using namespace certigraph::ledger;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    EventKind kind{};
    std::int32_t day = 0;
    detail::Columns columns;
    if (!detail::unpack_typed(bytes, kind, day, columns)) return 0;
    std::string again;
    detail::pack_typed(kind, day, columns, again);
    if (again != bytes) std::abort();
    return 0;
}
