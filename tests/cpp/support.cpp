#include "support.hpp"

#include <unistd.h>

#include <fstream>
#include <iterator>
#include <stdexcept>

namespace certigraph::test {

std::filesystem::path data(const std::string& relative) {
    return std::filesystem::path(CERTIGRAPH_TEST_DATA) / relative;
}

std::filesystem::path example(const std::string& relative) {
    return std::filesystem::path(CERTIGRAPH_EXAMPLES) / relative;
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + path.string());
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

Referentiel tiny() { return io::load_referentiel(data("referentiels/tiny.json")); }

Referentiel rncp40514() { return io::load_referentiel(example("referentiels/rncp40514.json")); }

ledger::Event ledger_event(std::string candidate, const char* date, ledger::Event::Body body, ledger::Route route,
                           std::string session, ledger::EventId id) {
    const auto day = Date::parse(date);
    if (!day) throw std::invalid_argument(std::string("ledger_event: not a date: ") + date);
    ledger::Event e;
    e.id = id;
    e.candidate = std::move(candidate);
    e.date = *day;
    e.session = std::move(session);
    e.route = route;
    e.referentiel = {"RNCP40514", "sha256:ref-v1"};
    e.policy_hash = "sha256:policy-v1";
    e.body = std::move(body);
    return e;
}

TempDir::TempDir(const std::string& prefix) {
    static int counter = 0;
    path = std::filesystem::temp_directory_path() /
           (prefix + "-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
}

TempDir::~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
}

}  // namespace certigraph::test
