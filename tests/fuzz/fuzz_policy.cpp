// libFuzzer harness for the policy reader (tests/fuzz/run.sh SECONDS policy): the
// input is policy JSON. It must be read or refused with a certigraph::Error; a policy
// read must write back to canonical JSON that reads again to the same canonical
// text, and compile against the RNCP40514 référentiel or be refused with an Error.
#include <certigraph/certigraph.hpp>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

using namespace certigraph;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const Referentiel ref = io::load_referentiel(CERTIGRAPH_EXAMPLES "/referentiels/rncp40514.json");
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    Policy policy;
    try {
        policy = io::policy_from_json(text, "fuzz");
    } catch (const Error&) {
        return 0;
    }
    const std::string canonical = io::policy_to_json(policy);
    try {
        if (io::policy_to_json(io::policy_from_json(canonical, "canonical")) != canonical) std::abort();
    } catch (const Error&) {
        std::abort();  // what was read must be written readably
    }
    try {
        const Grader grader(ref, policy);
        (void)grader;
    } catch (const Error&) {
    }
    return 0;
}
