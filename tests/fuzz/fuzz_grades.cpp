// libFuzzer harness for the results CSV reader of `ledger record` (tests/fuzz/run.sh
// SECONDS grades): the input is a grades file. It must be read or refused with a
// certigraph::Error; every row read names a bloc of the référentiel and is valid
// UTF-8 (it becomes a ledger event).
#include "cli/common.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

using namespace certigraph;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const Referentiel ref = io::load_referentiel(CERTIGRAPH_EXAMPLES "/referentiels/rncp40514.json");
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        const cli::GradesFile file = cli::read_grades_csv(text, "fuzz", ref, "2026-06");
        for (const auto& row : file.decided) {
            const auto node = ref.find(row.bloc);
            if (!node || node->kind != NodeKind::bloc) std::abort();
            (void)ledger::canonical_json(cli::bloc_result_event(
                cli::GradingBasis{{"RNCP40514", "sha256:x"}, "sha256:y"}, row.candidate, row.bloc, row.validated,
                *Date::parse("2026-06-30"), "2026-06", "fuzz"));
        }
    } catch (const Error&) {
    }
    return 0;
}
