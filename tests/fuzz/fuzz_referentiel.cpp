// libFuzzer harness for the référentiel readers: JSON and the three archive kinds.
// The first byte chooses the reader; the rest is the input. Any exception other
// than certigraph::Error, any crash, leak or sanitizer report is a finding.
// Build and run: see docs/development.md ("Fuzzing").
#include <certigraph/certigraph.hpp>

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string input(reinterpret_cast<const char*>(data + 1), size - 1);
    try {
        switch (data[0] % 4) {
            case 0: {
                auto builder = certigraph::io::parse_referentiel_json(input, "fuzz");
                (void)builder.check();
                try {
                    const auto ref = builder.build();
                    (void)certigraph::io::referentiel_to_json(ref);
                    (void)ref.topological_order();
                } catch (const certigraph::InvalidReferentiel&) {
                }
                break;
            }
            default: {
                const auto kind = static_cast<certigraph::io::ArchiveKind>(data[0] % 4 - 1);
                std::istringstream in(input, std::ios::binary);
                (void)certigraph::io::read_archive(in, kind, "fuzz").check();
                break;
            }
        }
    } catch (const certigraph::Error&) {
        // Clean, located errors are the expected outcome for bad input.
    }
    return 0;
}
