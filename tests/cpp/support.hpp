// Shared helpers of the C++ tests: where the fixtures are, reading files, temporary
// directories, ledger events.
#pragma once

#include <certigraph/certigraph.hpp>

#include <filesystem>
#include <string>

namespace certigraph::test {

/// tests/data/<relative>
std::filesystem::path data(const std::string& relative);
/// examples/<relative>
std::filesystem::path example(const std::string& relative);
/// The whole file as bytes.
std::string read_file(const std::filesystem::path& path);
/// The small fixture référentiel that uses every feature (tests/data/referentiels/tiny.json).
Referentiel tiny();
/// The real RNCP40514 référentiel shipped in examples/.
Referentiel rncp40514();

/// A ledger event of RNCP40514 as the tests write them: référentiel version
/// "sha256:ref-v1", policy "sha256:policy-v1", no evidence; `date` as YYYY-MM-DD.
ledger::Event ledger_event(std::string candidate, const char* date, ledger::Event::Body body,
                           ledger::Route route = ledger::Route::exam, std::string session = "S1",
                           ledger::EventId id = 0);

/// A fresh directory under the system's temporary directory, removed with everything
/// in it when the object goes.
struct TempDir {
    std::filesystem::path path;
    explicit TempDir(const std::string& prefix = "certigraph-test");
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::filesystem::path operator/(const std::string& name) const { return path / name; }
};

}  // namespace certigraph::test
