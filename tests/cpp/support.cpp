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
