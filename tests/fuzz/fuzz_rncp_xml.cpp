// libFuzzer harness: the RNCP XML export reader (expat) and fiche -> référentiel.
// Any input either streams or throws a certigraph::Error; every fiche read becomes
// référentiel JSON that reads back to itself.
#include <certigraph/error.hpp>
#include <certigraph/interop/rncp.hpp>
#include <certigraph/io/json.hpp>

#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
    try {
        certigraph::interop::rncp::read_xml(
            in,
            [](certigraph::interop::rncp::Fiche&& fiche) {
                if (fiche.code.empty()) std::abort();  // NUMERO_FICHE is required
                const certigraph::ReferentielBuilder b = certigraph::interop::rncp::to_builder(fiche);
                (void)b.check();
                const std::string json = certigraph::io::referentiel_to_json(b);
                if (certigraph::io::referentiel_to_json(certigraph::io::parse_referentiel_json(json)) != json)
                    std::abort();
                return true;
            },
            "fuzz");
    } catch (const certigraph::Error&) {
    }
    return 0;
}
