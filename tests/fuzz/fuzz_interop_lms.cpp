// libFuzzer harness for the CASE, Moodle CSV and Canvas CSV readers. The first
// byte chooses the reader (0 CASE, 1 Moodle, 2 Canvas); the rest is the file.
// What reads and passes the check is exported to the three formats and read
// back. Any exception other than certigraph::Error, any crash or sanitizer
// report is a finding. Run: tests/fuzz/run.sh SECONDS interop_lms.
#include <certigraph/certigraph.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace certigraph;
    if (size == 0) return 0;
    const std::string input(reinterpret_cast<const char*>(data + 1), size - 1);
    try {
        ReferentielBuilder builder;
        switch (data[0] % 3) {
            case 0: builder = interop::parse_case(input, "fuzz"); break;
            case 1: builder = interop::parse_moodle_csv(input, "fuzz"); break;
            default: builder = interop::parse_canvas_csv(input, "fuzz", {"FUZZ"}); break;
        }
        (void)builder.check();
        const Referentiel ref = builder.build();
        (void)interop::parse_case(interop::referentiel_to_case(ref), "case").check();
        (void)interop::parse_moodle_csv(interop::referentiel_to_moodle_csv(ref), "moodle").check();
        (void)interop::parse_canvas_csv(interop::referentiel_to_canvas_csv(ref), "canvas").check();
    } catch (const Error&) {
    }
    return 0;
}
