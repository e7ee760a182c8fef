// libFuzzer harness: the référentiel table text reader. Any input either parses or
// throws a certigraph::Error; what parses writes JSON that reads back to the same JSON.
#include <certigraph/error.hpp>
#include <certigraph/interop/referentiel_text.hpp>
#include <certigraph/io/json.hpp>

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        const certigraph::ReferentielBuilder b =
            certigraph::interop::parse_referentiel_text(text, {"RNCP1", "Title"}, "fuzz");
        (void)b.check();
        const std::string json = certigraph::io::referentiel_to_json(b);
        const std::string again = certigraph::io::referentiel_to_json(certigraph::io::parse_referentiel_json(json));
        if (again != json) std::abort();  // the written JSON must read back to itself
    } catch (const certigraph::Error&) {
    }
    (void)certigraph::interop::clean_html_text(text);
    return 0;
}
