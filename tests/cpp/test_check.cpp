// The integrity check: one broken fixture per diagnostic code
// (tests/data/referentiels/broken/<code>.json, written by make_fixtures.py).
#include "support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace certigraph;

namespace {

constexpr auto last_code = DiagnosticCode::criterion_not_evaluated;

std::vector<Diagnostic> check_fixture(DiagnosticCode code) {
    const auto path = test::data("referentiels/broken/" + std::string(to_string(code)) + ".json");
    return io::read_referentiel(path).check();
}

const Diagnostic* find(const std::vector<Diagnostic>& ds, DiagnosticCode code) {
    auto it = std::find_if(ds.begin(), ds.end(), [&](const Diagnostic& d) { return d.code == code; });
    return it == ds.end() ? nullptr : &*it;
}

}  // namespace

TEST_CASE("the tiny fixture is clean", "[check]") {
    CHECK(io::read_referentiel(test::data("referentiels/tiny.json")).check().empty());
}

TEST_CASE("every diagnostic code is reported on its broken fixture", "[check]") {
    for (int i = 0; i <= static_cast<int>(last_code); ++i) {
        const auto code = static_cast<DiagnosticCode>(i);
        INFO("diagnostic " << to_string(code));
        const auto diagnostics = check_fixture(code);
        const Diagnostic* d = find(diagnostics, code);
        REQUIRE(d != nullptr);
        CHECK(d->severity == severity_of(code));
        CHECK_FALSE(d->message.empty());
        CHECK(diagnostic_code_from_string(to_string(code)) == code);

        auto builder = io::read_referentiel(
            test::data("referentiels/broken/" + std::string(to_string(code)) + ".json"));
        if (severity_of(code) == Severity::error) {
            CHECK_THROWS_AS(builder.build(), InvalidReferentiel);
        } else {
            // Warnings never stop a build; they are kept with the référentiel.
            const Referentiel ref = builder.build();
            CHECK(find(ref.diagnostics(), code) != nullptr);
        }
    }
}

TEST_CASE("diagnostics name the node, the field and the fix", "[check]") {
    using C = DiagnosticCode;
    const auto dangling = check_fixture(C::dangling_reference);
    REQUIRE(dangling.size() == 1);
    CHECK(dangling[0].node_kind == NodeKind::competency);
    CHECK(dangling[0].node == "A1C2");
    CHECK(dangling[0].pointer == "/competencies/1/bloc");
    CHECK_THAT(dangling[0].message, Catch::Contains("'TEST1BC09', which does not exist"));

    const auto cycles = check_fixture(C::containment_cycle);
    const Diagnostic* cycle = find(cycles, C::containment_cycle);
    REQUIRE(cycle);
    CHECK_THAT(cycle->message, Catch::Contains("A1 -> A1.1 -> A1"));

    const auto mismatches = check_fixture(C::code_parent_mismatch);
    const Diagnostic* mismatch = find(mismatches, C::code_parent_mismatch);
    REQUIRE(mismatch);
    CHECK(mismatch->node == "A2C3");
    CHECK_THAT(mismatch->message, Catch::Contains("numbered for bloc 2"));

    const auto dups = check_fixture(C::duplicate_code);
    const Diagnostic* dup = find(dups, C::duplicate_code);
    REQUIRE(dup);
    CHECK(dup->pointer == "/criteria/2/code");

    const auto all_dates = check_fixture(C::dates_out_of_order);
    const Diagnostic* dates = find(all_dates, C::dates_out_of_order);
    REQUIRE(dates);
    CHECK(dates->pointer == "/certification/dates/end_of_registration");

    const auto partial = check_fixture(C::criterion_not_evaluated);
    REQUIRE(partial.size() == 1);  // A1C2 is covered through A1E2; A1E3 is left out
    CHECK(partial[0].node == "A1E3");

    const auto unevaluated = check_fixture(C::competency_not_evaluated);
    const Diagnostic* not_evaluated = find(unevaluated, C::competency_not_evaluated);
    REQUIRE(not_evaluated);
    CHECK(not_evaluated->node == "A1C2");
}

TEST_CASE("references to the wrong kind of node are dangling", "[check]") {
    ReferentielBuilder b;
    b.certification({.code = "X1", .title = "X"});
    b.add(Bloc{.code = "X1BC01", .title = "Bloc"});
    b.add(Competency{.code = "C1", .title = "Comp", .bloc = "X1BC01"});
    b.add(Criterion{.code = "K1", .title = "Crit", .competency = "X1BC01"});  // a bloc
    b.add(Epreuve{.code = "E1", .title = "Ep", .evaluates = {"C1", "X1BC01"}});
    const auto ds = b.check();
    const auto dangling = std::count_if(ds.begin(), ds.end(), [](const Diagnostic& d) {
        return d.code == DiagnosticCode::dangling_reference;
    });
    CHECK(dangling == 2);
    CHECK_THAT(find(ds, DiagnosticCode::dangling_reference)->message, Catch::Contains("which is a bloc"));
    CHECK(find(ds, DiagnosticCode::dangling_reference)->pointer == "/criteria/0/competency");
}

TEST_CASE("an error stops build and carries every diagnostic", "[check]") {
    auto builder = io::read_referentiel(test::data("referentiels/broken/empty_title.json"));
    try {
        (void)builder.build();
        FAIL("build() accepted a référentiel with errors");
    } catch (const InvalidReferentiel& e) {
        REQUIRE_FALSE(e.diagnostics().empty());
        CHECK(e.diagnostics()[0].severity == Severity::error);  // errors are listed first
        CHECK_THAT(e.what(), Catch::Contains("empty_title"));
    }
}

TEST_CASE("the check never throws on hostile content", "[check]") {
    ReferentielBuilder b;  // nothing at all, not even a certification code
    b.add(Activity{.code = "A", .parent = "A"});  // its own parent
    b.add(Competency{});
    b.add(Criterion{.code = "K", .competency = "K"});
    const auto ds = b.check();
    CHECK(find(ds, DiagnosticCode::containment_cycle));
    CHECK(find(ds, DiagnosticCode::empty_code));
    CHECK(find(ds, DiagnosticCode::empty_title));
    CHECK_THROWS_AS(b.build(), InvalidReferentiel);
}

TEST_CASE("a CEFR requirement must name a CEFR level", "[check]") {
    std::string text = test::read_file(test::data("referentiels/tiny.json"));
    const auto at = text.find("\"level\": \"B2\"");
    REQUIRE(at != std::string::npos);
    text.replace(at, 13, "\"level\": \"B1+\"");
    const auto ds = io::parse_referentiel_json(text, "tiny.json").check();
    const Diagnostic* d = find(ds, DiagnosticCode::invalid_requirement);
    REQUIRE(d);
    CHECK_THAT(d->message, Catch::Contains("level 'B1+' is not a CEFR level; use one of A1, A2, B1, B2, C1, C2"));
    // Lower case and the French name of the framework are fine.
    std::string lower = test::read_file(test::data("referentiels/tiny.json"));
    lower.replace(lower.find("\"level\": \"B2\""), 13, "\"level\": \"b2\"");
    CHECK_FALSE(find(io::parse_referentiel_json(lower, "tiny.json").check(), DiagnosticCode::invalid_requirement));
}
