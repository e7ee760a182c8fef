// libFuzzer harness for the evaluation CSV reader (tests/fuzz/run.sh SECONDS
// evaluations). The first input byte picks the dialect options (separator, encoding,
// decimal mark), the rest is the file, read against the RNCP40514 référentiel and
// its default policy's scales. The reader must return a cohort or throw a
// certigraph::Error; and one thread and three threads must agree exactly.
#include <certigraph/certigraph.hpp>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

using namespace certigraph;

namespace {

struct Outcome {
    bool ok = false;
    std::string error;
    std::size_t rows = 0, jurors = 0;
    std::vector<std::uint8_t> marks;
    std::vector<std::uint32_t> values;  ///< bits: NaN compares equal to itself
    bool operator==(const Outcome&) const = default;
};

Outcome read(const Referentiel& ref, const std::vector<Scale>& scales, std::string_view text,
             io::EvaluationReadOptions options) {
    Outcome o;
    try {
        const Cohort c = io::read_evaluations(ref, scales, text, "fuzz", options);
        o.ok = true;
        o.rows = c.rows();
        o.jurors = c.jurors();
        const std::size_t n = c.rows() * c.criteria() * c.jurors();
        for (std::size_t i = 0; i < n; ++i) {
            std::uint32_t bits = 0;  // NaN (missing) compares equal to itself
            std::memcpy(&bits, c.values() + i, sizeof bits);
            o.values.push_back(bits);
            o.marks.push_back(c.marks() ? c.marks()[i] : 0);  // null: no absent or exempt slot
        }
        for (std::size_t r = 0; r < c.rows(); ++r) o.error += c.candidate(r) + '\n' + c.session(r) + '\n';
    } catch (const Error& e) {
        o.error = e.what();
    }
    return o;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const Grader grader(io::load_referentiel(CERTIGRAPH_EXAMPLES "/referentiels/rncp40514.json"),
                               io::load_policy(CERTIGRAPH_EXAMPLES "/policies/rncp40514-default.json"));
    static const std::vector<Scale> scales = [] {
        std::vector<Scale> s;
        for (Index i = 0; i < grader.referentiel().criteria().size(); ++i) s.push_back(grader.scale_of_criterion(i));
        return s;
    }();
    if (size == 0) return 0;
    const std::uint8_t selector = data[0];
    io::EvaluationReadOptions options;
    static constexpr char delimiters[] = {0, ',', ';', '\t'};
    options.delimiter = delimiters[selector & 3];
    options.encoding = static_cast<io::Encoding>((selector >> 2) % 3);
    options.decimal = static_cast<io::DecimalMark>((selector >> 4) % 3);
    options.max_errors = 20;
    const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
    options.threads = 1;
    const Outcome one = read(grader.referentiel(), scales, text, options);
    options.threads = 3;
    const Outcome three = read(grader.referentiel(), scales, text, options);
    if (!(one == three)) std::abort();  // the cohort and the problems do not depend on threads
    return 0;
}
