// Boost.Serialization archives: round trips, golden files, corruption.
#include "support.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using namespace certigraph;
using io::ArchiveKind;

namespace {

constexpr ArchiveKind kinds[] = {ArchiveKind::text, ArchiveKind::xml, ArchiveKind::binary};

std::string save(const Referentiel& ref, ArchiveKind kind) {
    std::ostringstream out(std::ios::binary);
    io::save_archive(ref, out, kind);
    return out.str();
}

Referentiel load(const std::string& bytes, ArchiveKind kind) {
    std::istringstream in(bytes, std::ios::binary);
    return io::load_archive(in, kind, "test");
}

}  // namespace

TEST_CASE("archives round-trip losslessly", "[archive]") {
    for (const Referentiel& ref : {test::tiny(), test::rncp40514()})
        for (ArchiveKind kind : kinds) {
            INFO(io::to_string(kind));
            const std::string bytes = save(ref, kind);
            CHECK(load(bytes, kind) == ref);
            CHECK(save(load(bytes, kind), kind) == bytes);  // deterministic bytes
        }
}

TEST_CASE("files round-trip through every extension", "[archive]") {
    const test::TempDir dir{"certigraph-archive"};
    const Referentiel ref = test::tiny();
    for (const char* ext : {".json", ".txt", ".xml", ".bin"}) {
        const auto path = dir / (std::string("tiny") + ext);
        io::save_referentiel(ref, path);
        CHECK(io::load_referentiel(path) == ref);
        CHECK_FALSE(std::filesystem::exists(path.string() + ".tmp"));
    }
    CHECK_THROWS_AS(io::save_referentiel(ref, dir / "tiny.yaml"), IoError);
}

TEST_CASE("golden archives of every released version keep loading", "[archive][golden]") {
    // Written by certigraph 0.1.0 (archive class version 1). Never regenerate them:
    // add new golden files when the version changes.
    const Referentiel tiny = test::tiny();
    CHECK(io::load_referentiel(test::data("archives/tiny_v1.txt")) == tiny);
    CHECK(io::load_referentiel(test::data("archives/tiny_v1.xml")) == tiny);
    CHECK(io::load_referentiel(test::data("archives/tiny_v1.bin")) == tiny);
    CHECK(io::load_referentiel(test::data("archives/rncp40514_v1.xml")) == test::rncp40514());
}

TEST_CASE("truncated or corrupted archives are clear errors", "[archive]") {
    const Referentiel ref = test::tiny();
    for (ArchiveKind kind : kinds) {
        INFO(io::to_string(kind));
        const std::string bytes = save(ref, kind);
        for (std::size_t cut = 0; cut < bytes.size(); cut += 13) {
            INFO("truncated at " << cut);
            CHECK_THROWS_AS(load(bytes.substr(0, cut), kind), SerializationError);
        }
        for (std::size_t at = 0; at < bytes.size(); at += 11) {
            INFO("byte flipped at " << at);
            std::string flipped = bytes;
            flipped[at] = static_cast<char>(flipped[at] ^ 0x5A);
            CHECK_THROWS_AS(load(flipped, kind), SerializationError);
        }
    }
    CHECK_THROWS_WITH(load(save(ref, ArchiveKind::text).substr(0, 200), ArchiveKind::text),
                      Catch::Contains("archive truncated"));
    CHECK_THROWS_WITH(load(save(ref, ArchiveKind::xml), ArchiveKind::text),
                      Catch::Contains("this is a xml archive, not a text one"));
    CHECK_THROWS_WITH(load("{\"format\": 1}", ArchiveKind::text),
                      Catch::Contains("not a certigraph archive"));
}

TEST_CASE("archives from a newer certigraph are refused", "[archive][golden]") {
    // tests/data/archives/tiny_v99.txt is tiny_v1.txt with the root class version
    // raised to 99 and the checksum recomputed.
    CHECK_THROWS_WITH(io::load_referentiel(test::data("archives/tiny_v99.txt")),
                      Catch::Contains("newer certigraph"));
}
