// certigraph's référentiel JSON: strict reading with located errors, lossless round trip.
#include "support.hpp"

#include <catch2/catch.hpp>

using namespace certigraph;

namespace {

std::string malformed_error(const std::string& name) {
    const auto path = test::data("referentiels/malformed/" + name + ".json");
    try {
        (void)io::read_referentiel(path);
    } catch (const ParseError& e) {
        return e.what();
    }
    FAIL("no ParseError for " << name);
    return {};
}

}  // namespace

TEST_CASE("JSON round trip is lossless", "[json]") {
    for (const Referentiel& ref : {test::tiny(), test::rncp40514()}) {
        const std::string text = io::referentiel_to_json(ref);
        const Referentiel back = io::referentiel_from_json(text);
        CHECK(back == ref);
        CHECK(io::referentiel_to_json(back) == text);  // canonical: a fixed point
    }
}

TEST_CASE("the example file is in canonical form", "[json][rncp40514]") {
    const auto path = test::example("referentiels/rncp40514.json");
    CHECK(io::referentiel_to_json(io::load_referentiel(path)) == test::read_file(path));
}

TEST_CASE("malformed JSON names file, line and column", "[json]") {
    const std::string what = malformed_error("truncated");
    CHECK_THAT(what, Catch::Matches(".*truncated\\.json:[0-9]+:[0-9]+: malformed JSON.*"));
    try {
        (void)io::parse_referentiel_json("{\n  \"format\": \"certigraph/referentiel\",\n  oops\n}",
                                         "mem.json");
        FAIL("accepted");
    } catch (const ParseError& e) {
        CHECK(e.source() == "mem.json");
        CHECK(e.line() == 3);
        CHECK(e.column() == 3);
    }
}

TEST_CASE("content errors name the JSON pointer and the fix", "[json]") {
    CHECK_THAT(malformed_error("wrong_type"),
               Catch::Contains("at /blocs/1/optional: expected true or false, found a string"));
    CHECK_THAT(malformed_error("unknown_key"),
               Catch::Contains("at /competencies/2/blok: unknown key 'blok'"));
    CHECK_THAT(malformed_error("missing_key"),
               Catch::Contains("at /criteria/0: missing required key 'competency'"));
    CHECK_THAT(malformed_error("bad_date"),
               Catch::Contains("at /certification/dates/last_delivery: '2030-02-30' is not a date"));
    CHECK_THAT(malformed_error("bad_enum"),
               Catch::Contains("at /certification/access_routes/2: unknown value 'erasmus'; use one of:"));
    CHECK_THAT(malformed_error("newer_version"),
               Catch::Contains("format_version 99 is newer than this certigraph reads"));
    CHECK_THAT(malformed_error("not_referentiel"),
               Catch::Contains("this is not a certigraph référentiel"));
    CHECK_THAT(malformed_error("duplicate_key"),
               Catch::Contains("at /format_version: duplicate key 'format_version'"));
    CHECK_THAT(malformed_error("huge_integer"),
               Catch::Contains("at /certification/level: integer out of range"));
    try {
        (void)io::parse_referentiel_json(R"({"a": [{"b": 1}, {"c": [0, {"d": 1, "d": 2}]}]})");
        FAIL("accepted a repeated key");
    } catch (const ParseError& e) {
        CHECK(e.pointer() == "/a/1/c/1/d");
    }
    // Found by fuzzing: a number that overflows a double is a ParseError, not a crash.
    CHECK_THROWS_WITH(io::parse_referentiel_json(R"({"format": 1e99999})", "big.json"),
                      Catch::Contains("big.json:1:12: malformed JSON (in /format): number overflow"));
    CHECK_THROWS_AS(io::parse_referentiel_json("[1, 2]"), ParseError);
    CHECK_THROWS_AS(io::parse_referentiel_json(""), ParseError);
}

TEST_CASE("every fixture parses or fails with a ParseError, never anything else", "[json]") {
    // Cutting a valid document anywhere must give a ParseError, not a crash.
    const std::string text = test::read_file(test::data("referentiels/tiny.json"));
    for (std::size_t cut = 0; cut < text.size(); cut += 7) {
        INFO("cut at " << cut);
        CHECK_THROWS_AS(io::parse_referentiel_json(text.substr(0, cut)), ParseError);
    }
}
