// The evaluations CSV reader: long and wide formats, RFC 4180 details, every kind of
// problem with its place, all or nothing, and random files read back.
#include "support.hpp"

#include <certigraph/grading/cohort.hpp>
#include <certigraph/grading/grader.hpp>
#include <certigraph/grading/policy.hpp>
#include <certigraph/grading/scale.hpp>
#include <certigraph/io/evaluations.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

using namespace certigraph;

namespace {

std::vector<Scale> numeric_0_20(const Referentiel& ref) {
    return std::vector<Scale>(ref.criteria().size(), Scale::numeric(0, 20, 10));
}

Index criterion(const Referentiel& ref, std::string_view code) {
    return ref.index_of(NodeKind::criterion, code);
}

Cohort read_cohort(const Referentiel& ref, std::span<const Scale> scales, const std::string& relative) {
    const auto path = relative.starts_with("examples/") ? test::example(relative.substr(9))
                                                        : test::data("evaluations/" + relative);
    return io::read_evaluations(ref, scales, test::read_file(path), path.filename().string());
}

/// The problems reported for tests/data/evaluations/broken/<name>, with <name> as source.
std::vector<std::string> problems_of(const std::string& name, const Referentiel& ref,
                                     std::span<const Scale> scales,
                                     const io::EvaluationReadOptions& options = {}) {
    const std::string text = test::read_file(test::data("evaluations/broken/" + name));
    try {
        (void)io::read_evaluations(ref, scales, text, name, options);
    } catch (const InvalidInput& e) {
        return e.problems();
    }
    FAIL("no InvalidInput for " << name);
    return {};
}

std::vector<std::string> problems_of(const std::string& name) {
    const Referentiel ref = test::rncp40514();
    return problems_of(name, ref, numeric_0_20(ref));
}

std::vector<std::string> problems_in(std::string_view text, const Referentiel& ref,
                                     std::span<const Scale> scales) {
    try {
        (void)io::read_evaluations(ref, scales, text, "mem.csv");
    } catch (const InvalidInput& e) {
        return e.problems();
    }
    FAIL("no InvalidInput for:\n" << text);
    return {};
}

bool same_float(float a, float b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

/// Same shape, row labels, values (NaN = NaN), marks and juror of every slot.
void check_same_cohort(const Cohort& a, const Cohort& b) {
    REQUIRE(a.rows() == b.rows());
    REQUIRE(a.criteria() == b.criteria());
    REQUIRE(a.jurors() == b.jurors());
    for (std::size_t r = 0; r < a.rows(); ++r) {
        CHECK(a.candidate(r) == b.candidate(r));
        CHECK(a.session(r) == b.session(r));
        for (std::size_t c = 0; c < a.criteria(); ++c)
            for (std::size_t s = 0; s < a.jurors(); ++s) {
                INFO("row " << r << " criterion " << c << " slot " << s);
                CHECK(same_float(a.value(r, c, s), b.value(r, c, s)));
                CHECK(a.mark(r, c, s) == b.mark(r, c, s));
                const auto ja = a.juror(r, c, s), jb = b.juror(r, c, s);
                REQUIRE((ja == Cohort::no_juror) == (jb == Cohort::no_juror));
                if (ja != Cohort::no_juror) CHECK(a.juror_names()[ja] == b.juror_names()[jb]);
            }
    }
}

std::string_view trim_spaces(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::string juror_name(const Cohort& c, std::size_t row, std::size_t criterion, std::size_t slot) {
    const auto j = c.juror(row, criterion, slot);
    return j == Cohort::no_juror ? std::string("<none>") : c.juror_names()[j];
}

const std::string long_header = "candidate,session,epreuve,criterion,juror,value";

}  // namespace

TEST_CASE("the RNCP40514 sample cohort loads", "[evaluations][rncp40514]") {
    const Referentiel ref = test::rncp40514();
    const auto scales = numeric_0_20(ref);
    const Cohort c = read_cohort(ref, scales, "examples/cohorts/rncp40514-sample.csv");
    REQUIRE(c.rows() == 8);
    REQUIRE(c.criteria() == 30);
    REQUIRE(c.jurors() == 2);
    for (std::size_t r = 0; r < 8; ++r) {
        CHECK(c.candidate(r) == "C00" + std::to_string(r + 1));
        CHECK(c.session(r) == "2026-06");
    }
    CHECK(c.juror_names() == std::vector<std::string>{"J1", "J2"});
    CHECK(c.find_row("C004", "2026-06") == 3);

    const auto value = [&](const char* cand, const char* crit, std::size_t slot) {
        return c.value(c.find_row(cand), criterion(ref, crit), slot);
    };
    CHECK(value("C001", "A1E1", 0) == 12.9f);
    CHECK(value("C001", "A1E1", 1) == 12.8f);
    CHECK(value("C002", "A2E3", 0) == 7.2f);
    CHECK(value("C002", "A2E3", 1) == 8.4f);
    CHECK(value("C003", "A1E7", 0) == 9.0f);  // mean exactly 10
    CHECK(value("C003", "A1E7", 1) == 11.0f);
    CHECK(value("C007", "A4E6", 0) == 7.5f);
    CHECK(value("C007", "A4E6", 1) == 8.6f);
    CHECK(value("C008", "A2E2", 0) == 16.2f);  // jurors disagree
    CHECK(value("C008", "A2E2", 1) == 5.1f);
    CHECK(value("C008", "A4E7", 0) == 15.9f);
    CHECK(juror_name(c, 0, criterion(ref, "A1E1"), 0) == "J1");
    CHECK(juror_name(c, 0, criterion(ref, "A1E1"), 1) == "J2");

    // C004 absent at EP4: every bloc 3 criterion, both jurors.
    const std::size_t c004 = c.find_row("C004");
    const auto bloc3 = ref.criteria_of_bloc(ref.index_of(NodeKind::bloc, "RNCP40514BC03"));
    REQUIRE(bloc3.size() == 6);
    for (const Index k : bloc3)
        for (std::size_t s = 0; s < 2; ++s) {
            CHECK(c.mark(c004, k, s) == Mark::absent);
            CHECK(std::isnan(c.value(c004, k, s)));
            CHECK(juror_name(c, c004, k, s) == (s == 0 ? "J1" : "J2"));
        }
    CHECK(c.mark(c004, criterion(ref, "A1E1"), 0) == Mark::value);
    CHECK_FALSE(std::isnan(c.value(c004, criterion(ref, "A1E1"), 0)));

    // C005 exempt from A1E10 only.
    const std::size_t c005 = c.find_row("C005");
    for (std::size_t s = 0; s < 2; ++s) {
        CHECK(c.mark(c005, criterion(ref, "A1E10"), s) == Mark::exempt);
        CHECK(std::isnan(c.value(c005, criterion(ref, "A1E10"), s)));
        CHECK(c.mark(c005, criterion(ref, "A1E9"), s) == Mark::value);
    }

    // C006: no rows for bloc 4 = missing (NaN, no mark, no juror), not failed.
    const std::size_t c006 = c.find_row("C006");
    for (const Index k : ref.criteria_of_bloc(ref.index_of(NodeKind::bloc, "RNCP40514BC04")))
        for (std::size_t s = 0; s < 2; ++s) {
            CHECK(std::isnan(c.value(c006, k, s)));
            CHECK(c.mark(c006, k, s) == Mark::value);
            CHECK(c.juror(c006, k, s) == Cohort::no_juror);
        }

    // Everything else has two numbers on the scale.
    std::size_t numbers = 0;
    for (std::size_t r = 0; r < c.rows(); ++r)
        for (std::size_t k = 0; k < c.criteria(); ++k)
            for (std::size_t s = 0; s < 2; ++s)
                if (c.mark(r, k, s) == Mark::value && !std::isnan(c.value(r, k, s))) {
                    ++numbers;
                    CHECK(c.value(r, k, s) >= 0.0f);
                    CHECK(c.value(r, k, s) <= 20.0f);
                }
    CHECK(numbers == 466 - 12 - 2);  // data lines minus absent (6 x 2) and exempt (2)
}

TEST_CASE("the wide format gives the same cohort as the long one", "[evaluations][rncp40514]") {
    const Referentiel ref = test::rncp40514();
    const auto scales = numeric_0_20(ref);
    const Cohort from_long = read_cohort(ref, scales, "examples/cohorts/rncp40514-sample.csv");
    const Cohort from_wide = read_cohort(ref, scales, "rncp40514-sample-wide.csv");
    check_same_cohort(from_long, from_wide);

    // Any subset of criteria, in any order; header names in any case, trimmed.
    const std::string wide = "Candidate , session,JUROR,A4E7,A1E2\n"
                             "C1,S,J1,absent,12\n"
                             "C2,S,J1,,EXEMPT\n";
    const Cohort c = io::read_evaluations(ref, scales, wide);
    REQUIRE(c.rows() == 2);
    REQUIRE(c.jurors() == 1);
    CHECK(c.value(0, criterion(ref, "A1E2"), 0) == 12.0f);
    CHECK(c.mark(0, criterion(ref, "A4E7"), 0) == Mark::absent);
    CHECK(c.mark(1, criterion(ref, "A1E2"), 0) == Mark::exempt);
    CHECK(std::isnan(c.value(1, criterion(ref, "A4E7"), 0)));
    CHECK(c.juror(1, criterion(ref, "A4E7"), 0) == Cohort::no_juror);
}

TEST_CASE("juror slots are filled in order of appearance", "[evaluations]") {
    const Referentiel ref = test::rncp40514();
    const auto scales = numeric_0_20(ref);
    const std::string text = long_header + "\n"
                             "C1,S,EP1,A1E1,Martin,11\n"
                             "C1,S,EP1,A1E2,Durand,12\n"
                             "C1,S,EP1,A1E1,Durand,13\n"
                             "C2,S,EP1,A1E1,Petit,14\n"
                             "C1,S,EP1,A1E1,Petit,15\n"
                             "C1,S2,EP1,A1E1,Martin,\n";  // missing: nothing recorded, the row exists
    const Cohort c = io::read_evaluations(ref, scales, text);
    REQUIRE(c.rows() == 3);
    REQUIRE(c.jurors() == 3);  // C1 x A1E1 has three distinct jurors
    CHECK(c.candidate(2) == "C1");
    CHECK(c.session(2) == "S2");
    const Index a1e1 = criterion(ref, "A1E1"), a1e2 = criterion(ref, "A1E2");
    CHECK(juror_name(c, 0, a1e1, 0) == "Martin");
    CHECK(juror_name(c, 0, a1e1, 1) == "Durand");
    CHECK(juror_name(c, 0, a1e1, 2) == "Petit");
    CHECK(c.value(0, a1e1, 2) == 15.0f);
    CHECK(juror_name(c, 0, a1e2, 0) == "Durand");
    CHECK(c.value(0, a1e2, 0) == 12.0f);
    CHECK(std::isnan(c.value(0, a1e2, 1)));
    CHECK(juror_name(c, 1, a1e1, 0) == "Petit");
    for (std::size_t s = 0; s < 3; ++s) {
        CHECK(std::isnan(c.value(2, a1e1, s)));
        CHECK(c.juror(2, a1e1, s) == Cohort::no_juror);
    }

    // Wide: J2's value of A4E7 goes to a second slot, after J1's absent.
    const std::string wide = "candidate,session,juror,A4E7\nC1,S,J1,absent\nC1,S,J2,13.5\n";
    const Cohort w = io::read_evaluations(ref, scales, wide);
    REQUIRE(w.jurors() == 2);
    CHECK(w.mark(0, criterion(ref, "A4E7"), 0) == Mark::absent);
    CHECK(w.value(0, criterion(ref, "A4E7"), 1) == 13.5f);
    CHECK(juror_name(w, 0, criterion(ref, "A4E7"), 1) == "J2");

    // A header alone: no rows, one (empty) slot.
    const Cohort empty = io::read_evaluations(ref, scales, long_header + "\n");
    CHECK(empty.rows() == 0);
    CHECK(empty.criteria() == 30);
}

TEST_CASE("labels and numbers on binary, ordinal and stepped scales", "[evaluations]") {
    const Referentiel ref = test::tiny();  // criteria A1E1 A1E2 A1E3 A2E1 A3E1 A4E1
    std::vector<Scale> scales(ref.criteria().size(), Scale::numeric(0, 20, 10));
    scales[criterion(ref, "A1E1")] = Scale::binary();
    scales[criterion(ref, "A1E2")] = Scale::ordinal({"insuffisant", "fragile", "satisfaisant", "très bon"}, 3);
    scales[criterion(ref, "A1E3")] = Scale::numeric(0, 20, 10, 0.5);
    scales[criterion(ref, "A2E1")] = Scale::ordinal({"10", "20", "30"}, 2);  // labels that look like numbers
    const std::string text = long_header + "\n"
                             "C1,S,EP1,A1E1,J1,acquis\n"
                             "C1,S,EP1,A1E1,J2,Non Acquis\n"
                             "C1,S,EP1,A1E1,J3,1\n"
                             "C1,S,EP1,A1E2,J1,fragile\n"
                             "C1,S,,A1E2,J2,Très bon\n"
                             "C1,S,EP1,A1E2,J3,3\n"
                             "C1,S,EP1,A1E3,J1,12.5\n"
                             "C1,S,EP1,A1E3,J2,\"12,5\"\n"  // decimal comma
                             "C1,S,EP1,A1E3,J3, 20 \n"
                             "C1,S,EP2,A2E1,J1,20\n"       // the label '20': level 2
                             "C1,S,EP2,A2E1,J2,3\n";        // a level number
    const Cohort c = io::read_evaluations(ref, scales, text);
    REQUIRE(c.jurors() == 3);
    const Index a1e1 = criterion(ref, "A1E1"), a1e2 = criterion(ref, "A1E2"),
                a1e3 = criterion(ref, "A1E3"), a2e1 = criterion(ref, "A2E1");
    CHECK(c.value(0, a1e1, 0) == 1.0f);
    CHECK(c.value(0, a1e1, 1) == 0.0f);
    CHECK(c.value(0, a1e1, 2) == 1.0f);
    CHECK(c.value(0, a1e2, 0) == 2.0f);
    CHECK(c.value(0, a1e2, 1) == 4.0f);
    CHECK(c.value(0, a1e2, 2) == 3.0f);
    CHECK(c.value(0, a1e3, 0) == 12.5f);
    CHECK(c.value(0, a1e3, 1) == 12.5f);
    CHECK(c.value(0, a1e3, 2) == 20.0f);
    CHECK(c.value(0, a2e1, 0) == 2.0f);
    CHECK(c.value(0, a2e1, 1) == 3.0f);

    const std::string bad = long_header + "\n"
                            "C1,S,EP1,A1E1,J1,2\n"
                            "C1,S,EP1,A1E2,J1,bon\n"
                            "C1,S,EP1,A1E3,J1,12.3\n"
                            "C1,S,EP2,A2E1,J1,15\n";
    CHECK(problems_in(bad, ref, scales) ==
          std::vector<std::string>{
              "mem.csv:2:18: value '2' is not on the scale of criterion A1E1; write 0 or 1 ('non "
              "acquis' or 'acquis'), 'absent', 'exempt', or leave it empty if not yet assessed",
              "mem.csv:3:18: value 'bon' is not on the scale of criterion A1E2; write a level 1 to 4 "
              "or its label ('insuffisant', 'fragile', 'satisfaisant', 'très bon'), 'absent', "
              "'exempt', or leave it empty if not yet assessed",
              "mem.csv:4:18: value '12.3' is not on the scale of criterion A1E3; write a number from 0 "
              "to 20 by 0.5, 'absent', 'exempt', or leave it empty if not yet assessed",
              "mem.csv:5:18: value '15' is not on the scale of criterion A2E1; write a level 1 to 3 or "
              "its label ('10', '20', '30'), 'absent', 'exempt', or leave it empty if not yet assessed",
          });
}

TEST_CASE("absent and exempt are marks, in any case", "[evaluations]") {
    const Referentiel ref = test::rncp40514();
    const auto scales = numeric_0_20(ref);
    const Cohort c = io::read_evaluations(ref, scales, long_header + "\n"
                                                       "C1,S,EP1,A1E1,J1,ABSENT\n"
                                                       "C1,S,EP1,A1E1,J2,Exempt\n"
                                                       "C1,S,EP1,A1E1,J3,0\n");
    const Index a1e1 = criterion(ref, "A1E1");
    CHECK(c.mark(0, a1e1, 0) == Mark::absent);
    CHECK(c.mark(0, a1e1, 1) == Mark::exempt);
    CHECK(std::isnan(c.value(0, a1e1, 0)));
    CHECK(std::isnan(c.value(0, a1e1, 1)));
    CHECK(c.mark(0, a1e1, 2) == Mark::value);
    CHECK(c.value(0, a1e1, 2) == 0.0f);  // a real zero, not a missing value

    // Number syntax: std::from_chars beyond plain decimals, a quoted decimal comma.
    const Cohort n = io::read_evaluations(ref, scales, long_header + "\n"
                                                       "C1,S,EP1,A1E1,J1,1.25e1\n"
                                                       "C1,S,EP1,A1E1,J2,-0\n"
                                                       "C1,S,EP1,A1E1,J3,\"7,5\"\n"
                                                       "C1,S,EP1,A1E1,J4,0.1\n"
                                                       "C1,S,EP1,A1E1,J5,20.000000000000001\n");
    CHECK(n.value(0, a1e1, 0) == 12.5f);
    CHECK(n.value(0, a1e1, 1) == 0.0f);
    CHECK(n.value(0, a1e1, 2) == 7.5f);
    CHECK(n.value(0, a1e1, 3) == 0.1f);
    CHECK(n.value(0, a1e1, 4) == 20.0f);
    // A quote inside an unquoted field is a character of the value.
    CHECK(problems_in(long_header + "\nC1,S,EP1,A1E1,J1,12\"\n", ref, scales).at(0) ==
          "mem.csv:2:18: value '12\"' is not on the scale of criterion A1E1; write a number from 0 "
          "to 20, 'absent', 'exempt', or leave it empty if not yet assessed");
    CHECK(problems_in(long_header + "\nC1,S,EP1,A1E1,J1,inf\nC1,S,EP1,A1E1,J2,nan\n", ref, scales).size() == 2);
}

TEST_CASE("the header decides the format", "[evaluations][problems]") {
    CHECK(problems_of("bad_header.csv") ==
          std::vector<std::string>{
              "bad_header.csv:1:27: unrecognised header 'candidate,session,epreuve,critere,juror,...' "
              "(column 'critere'); expected 'candidate,session,epreuve,criterion,juror,value' (+ "
              "',time') for the long format, or 'candidate,session,juror,<criterion code>...' for "
              "the wide format"});
    const Referentiel ref = test::rncp40514();
    const auto scales = numeric_0_20(ref);
    CHECK_THAT(problems_in("candidate,session,epreuve,criterion,juror\nC1,S,EP1,A1E1,J1\n", ref, scales).at(0),
               Catch::StartsWith("mem.csv:1:42: unrecognised header"));
    CHECK_THAT(problems_in(long_header + ",time,comment\n", ref, scales).at(0),
               Catch::StartsWith("mem.csv:1:54: unrecognised header"));
    CHECK_THAT(problems_in("candidate,session,juror\nC1,S,J1\n", ref, scales).at(0),
               Catch::StartsWith("mem.csv:1:24: the wide format needs criterion columns after 'juror'"));
    CHECK(problems_in("", ref, scales) ==
          std::vector<std::string>{
              "mem.csv:1:1: empty file; expected 'candidate,session,epreuve,criterion,juror,value' (+ "
              "',time') for the long format, or 'candidate,session,juror,<criterion code>...' for "
              "the wide format"});
    CHECK(problems_of("wide_header.csv") ==
          std::vector<std::string>{
              "wide_header.csv:1:30: unknown criterion 'A1E99'; did you mean A1E9?",
              "wide_header.csv:1:36: criterion A1E1 has a second column (the first is column 25); "
              "keep one column per criterion"});
}

TEST_CASE("malformed lines", "[evaluations][problems]") {
    CHECK(problems_of("field_count.csv") ==
          std::vector<std::string>{
              "field_count.csv:2:29: 7 fields where the header has 6; quote a field that contains a "
              "comma (\"a,b\") or remove the extra fields",
              "field_count.csv:3:25: 5 fields where the header has 6; add the missing fields (an "
              "empty field is written ,,)"});
    CHECK(problems_of("unterminated_quote.csv") ==
          std::vector<std::string>{
              "unterminated_quote.csv:3:26: unterminated quoted field (it runs to the end of the "
              "file); close it with a double quote"});
}

TEST_CASE("unknown codes, with the closest one", "[evaluations][problems]") {
    CHECK(problems_of("unknown_criterion.csv") ==
          std::vector<std::string>{
              "unknown_criterion.csv:2:18: unknown criterion 'A1F3'; did you mean A1E3?",
              "unknown_criterion.csv:3:18: unknown criterion 'A1C1' (it is the code of a competency, "
              "not of a criterion); use one of its criteria: A1E1",
              "unknown_criterion.csv:4:18: unknown criterion 'ZZZZZZ'; use a criterion code of "
              "RNCP40514"});
}

TEST_CASE("the épreuve column", "[evaluations][problems]") {
    CHECK(problems_of("wrong_epreuve.csv") ==
          std::vector<std::string>{
              "wrong_epreuve.csv:2:14: unknown épreuve 'EP9'; criterion A1E1 is evaluated by EP1: "
              "write it or leave the epreuve column empty",
              "wrong_epreuve.csv:3:14: épreuve EP2 does not evaluate criterion A1E1; write EP1 or "
              "leave the epreuve column empty",
              "wrong_epreuve.csv:4:14: épreuve EP3 does not evaluate criterion A2E7; no épreuve "
              "evaluates it: leave the epreuve column empty"});

    // E2 is evaluated by EPA (through its competency) and EPB (directly): name one.
    const Referentiel two = io::load_referentiel(test::data("evaluations/two-epreuves.json"));
    const auto scales = numeric_0_20(two);
    CHECK(problems_of("epreuve_required.csv", two, scales) ==
          std::vector<std::string>{
              "epreuve_required.csv:2:14: criterion E2 is evaluated by several épreuves (EPA, EPB); "
              "name the épreuve in the epreuve column",
              "epreuve_required.csv:5:14: épreuve EPB does not evaluate criterion E1; write EPA or "
              "leave the epreuve column empty",
              "epreuve_required.csv:7:14: épreuve EPB does not evaluate criterion E3; no épreuve "
              "evaluates it: leave the epreuve column empty"});
    const Cohort c = io::read_evaluations(two, scales, long_header + "\n"
                                                       "C1,S,EPB,E2,J1,12\n"
                                                       "C1,S,EPA,E2,J2,13\n"
                                                       "C1,S,,E1,J1,14\n"
                                                       "C1,S,,E3,J1,15\n");
    CHECK(c.value(0, criterion(two, "E2"), 1) == 13.0f);
    CHECK(c.value(0, criterion(two, "E3"), 0) == 15.0f);
}

TEST_CASE("values outside the scale say what the scale accepts", "[evaluations][problems]") {
    CHECK(problems_of("out_of_scale.csv") ==
          std::vector<std::string>{
              "out_of_scale.csv:2:26: value '25' is not on the scale of criterion A1E1; write a number "
              "from 0 to 20, 'absent', 'exempt', or leave it empty if not yet assessed",
              "out_of_scale.csv:3:26: value 'douze' is not on the scale of criterion A1E2; write a "
              "number from 0 to 20, 'absent', 'exempt', or leave it empty if not yet assessed",
              "out_of_scale.csv:4:26: value '-1' is not on the scale of criterion A1E3; write a number "
              "from 0 to 20, 'absent', 'exempt', or leave it empty if not yet assessed"});
    CHECK(problems_of("wide_values.csv") ==
          std::vector<std::string>{
              "wide_values.csv:3:17: value '21' is not on the scale of criterion A1E1; write a number "
              "from 0 to 20, 'absent', 'exempt', or leave it empty if not yet assessed",
              "wide_values.csv:3:20: value 'non' is not on the scale of criterion A1E2; write a number "
              "from 0 to 20, 'absent', 'exempt', or leave it empty if not yet assessed",
              "wide_values.csv:4:18: second value for candidate 'C001', session '2026-06', criterion "
              "A1E2, juror 'J1' (the first is on line 2); keep one of the two"});
}

TEST_CASE("duplicates name the first line", "[evaluations][problems]") {
    CHECK(problems_of("duplicate.csv") ==
          std::vector<std::string>{
              "duplicate.csv:5:23: second value for candidate 'C001', session '2026-06', criterion "
              "A1E1, juror 'J1' (the first is on line 2); keep one of the two"});
}

TEST_CASE("empty candidate, criterion or juror", "[evaluations][problems]") {
    CHECK(problems_of("empty_fields.csv") ==
          std::vector<std::string>{
              "empty_fields.csv:2:1: empty candidate; every line needs the candidate's code",
              "empty_fields.csv:3:18: empty criterion; write a criterion code of RNCP40514 (e.g. A1E1)",
              "empty_fields.csv:4:23: empty juror; name the juror who gave this value"});
}

TEST_CASE("the optional time column", "[evaluations][problems]") {
    CHECK(problems_of("bad_time.csv") ==
          std::vector<std::string>{
              "bad_time.csv:4:29: time 'hier' is not an ISO date or date-time; write e.g. 2026-06-15 "
              "or 2026-06-15T14:30:00",
              "bad_time.csv:5:29: time '2026-02-30' is not an ISO date or date-time; write e.g. "
              "2026-06-15 or 2026-06-15T14:30:00"});
    const Referentiel ref = test::rncp40514();
    const auto scales = numeric_0_20(ref);
    const Cohort c = io::read_evaluations(ref, scales, long_header + ",time\n"
                                                       "C1,S,EP1,A1E1,J1,12,2026-06-15\n"
                                                       "C1,S,EP1,A1E2,J1,12,2026-06-15 09:05\n"
                                                       "C1,S,EP1,A1E3,J1,12,2026-06-15T09:05:59.250Z\n"
                                                       "C1,S,EP1,A1E4,J1,12,2026-06-15T09:05:00-0130\n"
                                                       "C1,S,EP1,A1E5,J1,12,\n");
    CHECK(c.value(0, criterion(ref, "A1E5"), 0) == 12.0f);
}

TEST_CASE("every problem of a file is reported, up to max_errors", "[evaluations][problems]") {
    const Referentiel ref = test::rncp40514();
    const auto scales = numeric_0_20(ref);
    const std::vector<std::string> all = problems_of("many.csv");
    CHECK(all == std::vector<std::string>{
                     "many.csv:3:23: second value for candidate 'C001', session '2026-06', criterion "
                     "A1E1, juror 'J1' (the first is on line 2); keep one of the two",
                     "many.csv:4:1: empty candidate; every line needs the candidate's code",
                     "many.csv:5:26: value '30' is not on the scale of criterion A1E3; write a number "
                     "from 0 to 20, 'absent', 'exempt', or leave it empty if not yet assessed",
                     "many.csv:6:14: épreuve EP4 does not evaluate criterion A1E4; write EP1 or leave "
                     "the epreuve column empty",
                     "many.csv:7:23: empty juror; name the juror who gave this value",
                     "many.csv:8:18: unknown criterion 'A1X5'; did you mean A1E5?",
                     "many.csv:9:25: 5 fields where the header has 6; add the missing fields (an empty "
                     "field is written ,,)",
                     "many.csv:10:29: unexpected '2' after a closing quote; inside a quoted field write "
                     "a quote as \"\""});

    const std::string text = test::read_file(test::data("evaluations/broken/many.csv"));
    try {
        (void)io::read_evaluations(ref, scales, text, "many.csv");
        FAIL("accepted");
    } catch (const InvalidInput& e) {
        const std::string what = e.what();
        CHECK_THAT(what, Catch::StartsWith("many.csv: 8 problems; nothing was imported\n" + all[0] + "\n"));
        CHECK_THAT(what, Catch::EndsWith(all[4] + "\n(3 more)"));
    }

    // The limit stops the reading: the first problems in file order.
    try {
        (void)io::read_evaluations(ref, scales, text, "many.csv", {.max_errors = 3});
        FAIL("accepted");
    } catch (const InvalidInput& e) {
        CHECK(e.problems() == std::vector<std::string>{all[0], all[1], all[2]});
        CHECK(std::string(e.what()) ==
              "many.csv: at least 3 problems (stopped at max_errors); nothing was imported\n" + all[0] +
                  "\n" + all[1] + "\n" + all[2]);
    }
    try {
        (void)io::read_evaluations(ref, scales, text, "many.csv", {.max_errors = 1});
        FAIL("accepted");
    } catch (const InvalidInput& e) {
        CHECK(e.problems() == std::vector<std::string>{all[0]});
        CHECK(std::string(e.what()) == "many.csv: 1 problem; nothing was imported\n" + all[0]);
    }
}

TEST_CASE("quoted fields with commas, quotes and newlines", "[evaluations][csv]") {
    const Referentiel ref = test::rncp40514();
    const auto scales = numeric_0_20(ref);
    const Cohort c = read_cohort(ref, scales, "quoted.csv");
    REQUIRE(c.rows() == 3);
    CHECK(c.candidate(0) == "Dupont, Jean");
    CHECK(c.candidate(1) == "Élève \"é\"");
    CHECK(c.candidate(2) == "C004");  // spaces around a field are trimmed
    const Index a1e1 = criterion(ref, "A1E1"), a1e2 = criterion(ref, "A1E2");
    CHECK(juror_name(c, 0, a1e1, 0) == "Martin, \"Président\"");
    CHECK(juror_name(c, 0, a1e1, 1) == "Durand\n(visio)");
    CHECK(c.value(0, a1e1, 0) == 12.5f);
    CHECK(c.value(0, a1e1, 1) == 13.0f);
    CHECK(c.value(1, a1e2, 0) == 14.0f);
    CHECK(c.mark(2, a1e2, 0) == Mark::absent);

    // Lines and columns stay right after a field that spans lines; columns count
    // UTF-8 characters ("Élève" is 5 columns).
    CHECK(problems_of("quoted_lines.csv") ==
          std::vector<std::string>{
              "quoted_lines.csv:4:33: second value for candidate 'Dupont, Jean', session '2026-06', "
              "criterion A1E1, juror 'Martin\\nDurand' (the first is on line 2); keep one of the two",
              "quoted_lines.csv:6:38: unexpected '2' after a closing quote; inside a quoted field "
              "write a quote as \"\"",
              "quoted_lines.csv:7:32: 7 fields where the header has 6; quote a field that contains a "
              "comma (\"a,b\") or remove the extra fields",
              "quoted_lines.csv:9:29: unterminated quoted field (it runs to the end of the file); "
              "close it with a double quote"});
}

TEST_CASE("CRLF, BOM, blank and trailing lines", "[evaluations][csv]") {
    const Referentiel ref = test::rncp40514();
    const auto scales = numeric_0_20(ref);
    const std::string lf = long_header + "\nC1,S,EP1,A1E1,J1,12\nC1,S,EP1,A1E1,J2,\"1\n3\"\n";
    const std::string lf_ok = long_header + "\nC1,S,EP1,A1E1,J1,12\nC1,S,EP1,A1E1,J2,13\n";
    const Cohort expected = io::read_evaluations(ref, scales, lf_ok);
    const std::string bom = "\xEF\xBB\xBF";
    for (const std::string& text : {
             lf_ok,
             bom + lf_ok,
             bom + long_header + "\r\nC1,S,EP1,A1E1,J1,12\r\nC1,S,EP1,A1E1,J2,13\r\n",
             long_header + "\r\nC1,S,EP1,A1E1,J1,12\r\nC1,S,EP1,A1E1,J2,13",  // no final line break
             long_header + "\nC1,S,EP1,A1E1,J1,12\n\nC1,S,EP1,A1E1,J2,13\n\n",  // blank lines
             long_header + "\rC1,S,EP1,A1E1,J1,12\rC1,S,EP1,A1E1,J2,13\r",        // old Mac line ends
         }) {
        INFO(text);
        check_same_cohort(io::read_evaluations(ref, scales, text), expected);
    }
    // A value spread over two lines is not a number.
    CHECK(problems_in(lf, ref, scales).at(0) ==
          "mem.csv:3:18: value '1\\n3' is not on the scale of criterion A1E1; write a number from 0 "
          "to 20, 'absent', 'exempt', or leave it empty if not yet assessed");
    // The BOM is not a column; CRLF is not part of a field; lines count CRLF once.
    CHECK_THAT(problems_in(bom + "candidate,session,epreuve,critere,juror,value\r\n", ref, scales).at(0),
               Catch::StartsWith("mem.csv:1:27: unrecognised header"));
    CHECK(problems_in(bom + long_header + "\r\n\r\nC1,S,EP1,A1E1,J1,12\r\nC1,S,EP1,A1E1,J1,x\r\n", ref, scales) ==
          std::vector<std::string>{
              "mem.csv:4:18: value 'x' is not on the scale of criterion A1E1; write a number from 0 to "
              "20, 'absent', 'exempt', or leave it empty if not yet assessed"});
    CHECK(problems_in(long_header + "\r\nC1,S,EP1,A1E1,J1\r\n", ref, scales).at(0) ==
          "mem.csv:2:17: 5 fields where the header has 6; add the missing fields (an empty field "
          "is written ,,)");
}

TEST_CASE("nothing is returned when anything is wrong", "[evaluations]") {
    const Referentiel ref = test::rncp40514();
    const auto scales = numeric_0_20(ref);
    // 465 good lines and one bad one at the end: still all or nothing.
    std::string text = test::read_file(test::example("cohorts/rncp40514-sample.csv"));
    text += "C009,2026-06,EP1,A1E1,J1,20.5\n";
    CHECK_THROWS_AS(io::read_evaluations(ref, scales, text, "sample.csv"), InvalidInput);
    CHECK_THROWS_WITH(io::read_evaluations(ref, scales, text, "sample.csv"),
                      Catch::StartsWith("sample.csv: 1 problem; nothing was imported\nsample.csv:468:26: "
                                        "value '20.5' is not on the scale"));
    // The scales must match the référentiel.
    const std::vector<Scale> too_few(3, Scale::binary());
    CHECK_THROWS_AS(io::read_evaluations(ref, too_few, long_header + "\n"), GradingError);
}

TEST_CASE("load_evaluations reads a file with the grader's scales", "[evaluations]") {
    const Referentiel ref = test::rncp40514();
    const Grader grader(ref, io::load_policy(test::example("policies/rncp40514-default.json").string()));
    const auto path = test::example("cohorts/rncp40514-sample.csv");
    const Cohort loaded = io::load_evaluations(grader, path);
    check_same_cohort(loaded, read_cohort(ref, numeric_0_20(ref), "examples/cohorts/rncp40514-sample.csv"));

    CHECK_THROWS_AS(io::load_evaluations(grader, test::data("evaluations/missing.csv")), IoError);
    CHECK_THROWS_WITH(io::load_evaluations(grader, test::data("evaluations/missing.csv")),
                      Catch::Contains("missing.csv: cannot open for reading"));
    CHECK_THROWS_WITH(io::load_evaluations(grader, test::data("evaluations")),
                      Catch::Contains("evaluations: is a directory, not a regular file"));
    // Problems name the file by its path.
    const auto broken = test::data("evaluations/broken/duplicate.csv");
    CHECK_THROWS_WITH(io::load_evaluations(grader, broken),
                      Catch::StartsWith(broken.string() + ": 1 problem; nothing was imported\n" +
                                        broken.string() + ":5:23: second value"));
    // An empty file.
    const test::TempDir dir{"certigraph-evaluations"};
    const auto empty = dir / "empty.csv";
    { std::ofstream(empty, std::ios::binary); }
    CHECK_THROWS_WITH(io::load_evaluations(grader, empty), Catch::Contains(":1:1: empty file"));
}

TEST_CASE("random long files read back the values written", "[evaluations][property]") {
    const Referentiel ref = test::rncp40514();
    const std::size_t criteria = ref.criteria().size();
    const std::vector<std::string> ordinal = {"insuffisant", "fragile", "satisfaisant", "très bon"};
    const std::vector<std::string> juror_pool = {"J1", "J2", "Dupont, M.", "Jury \"A\"", "Durand\n(visio)", "Zoé"};
    std::mt19937 rng(20260615);
    auto pick = [&rng](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); };
    auto chance = [&rng](double p) { return std::bernoulli_distribution(p)(rng); };
    auto field = [&](const std::string& s) {
        const bool must = s.find_first_of(",\"\n\r") != std::string::npos;
        if (!must && !chance(0.1)) return s;
        std::string q = "\"";
        for (char ch : s) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
        return q + "\"";
    };

    for (int round = 0; round < 30; ++round) {
        INFO("round " << round);
        std::vector<Scale> scales;
        for (std::size_t k = 0; k < criteria; ++k) {
            switch (pick(3)) {
                case 0: scales.push_back(Scale::numeric(0, 20, 10, 0.5)); break;
                case 1: scales.push_back(Scale::binary()); break;
                default: scales.push_back(Scale::ordinal(ordinal, 3)); break;
            }
        }
        struct Slot {
            std::string juror;
            float value;
            Mark mark;
        };
        std::vector<std::pair<std::string, std::string>> rows;  // in order of first appearance
        std::map<std::tuple<std::size_t, std::size_t>, std::vector<Slot>> cells;
        std::string text = chance(0.3) ? "\xEF\xBB\xBF" : "";
        const std::string eol = chance(0.5) ? "\r\n" : "\n";
        text += long_header + eol;
        const std::size_t lines = 1 + pick(300);
        for (std::size_t line = 0; line < lines; ++line) {
            const std::string cand = "C" + std::to_string(pick(12));
            const std::string sess = chance(0.8) ? "2026-06" : "2025-12";
            const std::size_t k = pick(criteria);
            const std::string juror = juror_pool[pick(juror_pool.size())];
            auto row_it = std::find(rows.begin(), rows.end(), std::make_pair(cand, sess));
            const std::size_t row = static_cast<std::size_t>(row_it - rows.begin());
            auto& slots = cells[{row, k}];
            if (std::any_of(slots.begin(), slots.end(), [&](const Slot& s) { return s.juror == juror; }))
                continue;  // would be a duplicate
            if (row_it == rows.end()) rows.emplace_back(cand, sess);
            std::string value;
            Slot slot{juror, std::nanf(""), Mark::value};
            const std::size_t kind = pick(20);
            if (kind == 0) {
                value = chance(0.5) ? "absent" : "ABSENT";
                slot.mark = Mark::absent;
            } else if (kind == 1) {
                value = chance(0.5) ? "exempt" : "Exempt";
                slot.mark = Mark::exempt;
            } else if (kind == 2) {
                value = "";  // missing: nothing recorded
            } else if (scales[k].kind == ScaleKind::numeric) {
                const int halves = static_cast<int>(pick(41));
                char buffer[16];
                std::snprintf(buffer, sizeof buffer, halves % 2 ? "%.1f" : "%.0f", halves / 2.0);
                value = buffer;
                if (halves % 2 && chance(0.2)) value[value.find('.')] = ',';  // decimal comma
                slot.value = static_cast<float>(halves / 2.0);
            } else if (scales[k].kind == ScaleKind::binary) {
                const std::size_t v = pick(2);
                value = chance(0.5) ? std::to_string(v) : (v ? "acquis" : "non acquis");
                slot.value = static_cast<float>(v);
            } else {
                const std::size_t level = 1 + pick(ordinal.size());
                value = chance(0.5) ? std::to_string(level) : ordinal[level - 1];
                slot.value = static_cast<float>(level);
            }
            if (!value.empty()) slots.push_back(slot);
            const auto covering = ref.epreuves_covering_criterion(static_cast<Index>(k));
            const std::string epreuve = !covering.empty() && chance(0.7) ? ref.epreuves()[covering[0]].code : "";
            text += field(cand) + "," + field(sess) + "," + field(epreuve) + "," +
                    field(ref.criteria()[k].code) + "," + field(juror) + "," + field(value) + eol;
        }
        std::size_t jurors = 1;
        for (const auto& [key, slots] : cells) jurors = std::max(jurors, slots.size());

        const Cohort c = io::read_evaluations(ref, scales, text, "random.csv");
        REQUIRE(c.rows() == rows.size());
        REQUIRE(c.criteria() == criteria);
        REQUIRE(c.jurors() == jurors);
        for (std::size_t r = 0; r < rows.size(); ++r) {
            CHECK(c.candidate(r) == rows[r].first);
            CHECK(c.session(r) == rows[r].second);
            for (std::size_t k = 0; k < criteria; ++k) {
                const auto it = cells.find({r, k});
                const std::size_t filled = it == cells.end() ? 0 : it->second.size();
                for (std::size_t s = 0; s < jurors; ++s) {
                    INFO("row " << r << " criterion " << k << " slot " << s);
                    if (s < filled) {
                        const Slot& e = it->second[s];
                        CHECK(same_float(c.value(r, k, s), e.value));
                        CHECK(c.mark(r, k, s) == e.mark);
                        CHECK(juror_name(c, r, k, s) == e.juror);
                    } else {
                        CHECK(std::isnan(c.value(r, k, s)));
                        CHECK(c.mark(r, k, s) == Mark::value);
                        CHECK(c.juror(r, k, s) == Cohort::no_juror);
                    }
                }
            }
        }
    }
}

TEST_CASE("garbage is refused with problems, never a crash", "[evaluations][robustness]") {
    const Referentiel ref = test::rncp40514();
    const auto scales = numeric_0_20(ref);
    const std::string alphabet = ",,,\"\"\r\n\n  A1E3EP1C0J12.5absentexempt\xC3\xA9\xEF\xBB\xBF-";
    const std::vector<std::string> prefixes = {"", long_header + "\n", long_header + ",time\r\n",
                                               "candidate,session,juror,A1E1,A2E7\n"};
    std::mt19937 rng(4242);
    for (int round = 0; round < 2000; ++round) {
        std::string text = prefixes[rng() % prefixes.size()];
        const std::size_t n = rng() % 200;
        for (std::size_t i = 0; i < n; ++i) text += alphabet[rng() % alphabet.size()];
        INFO(text);
        const auto bytes = std::make_unique<char[]>(text.size());  // a sanitizer sees reads past the end
        std::memcpy(bytes.get(), text.data(), text.size());
        try {
            const Cohort c = io::read_evaluations(ref, scales, {bytes.get(), text.size()}, "garbage.csv",
                                                  {.max_errors = 1 + rng() % 5, .threads = static_cast<unsigned>(1 + round % 3)});
            CHECK(c.criteria() == 30);
        } catch (const InvalidInput& e) {
            REQUIRE_FALSE(e.problems().empty());
            for (const std::string& p : e.problems()) CHECK_THAT(p, Catch::Matches("garbage\\.csv:[0-9]+:[0-9]+: .+"));
        }
    }
}

namespace {

/// What a read gives: the cohort, or the problems and the summary.
struct Outcome {
    std::optional<Cohort> cohort;
    std::string what;
    std::vector<std::string> problems;
};

Outcome read_with_threads(const Referentiel& ref, std::span<const Scale> scales, const std::string& text,
                          unsigned threads, std::size_t max_errors = 100) {
    // In a buffer of exactly its size, so that a sanitizer sees any read past the end.
    const auto bytes = std::make_unique<char[]>(text.size());
    std::memcpy(bytes.get(), text.data(), text.size());
    Outcome o;
    try {
        o.cohort = io::read_evaluations(ref, scales, {bytes.get(), text.size()}, "threads.csv",
                                        {.max_errors = max_errors, .threads = threads});
    } catch (const InvalidInput& e) {
        o.what = e.what();
        o.problems = e.problems();
    }
    return o;
}

/// The same cohort bit for bit: shape, labels, values, marks, juror ids and names.
void check_identical(const Outcome& a, const Outcome& b) {
    REQUIRE(a.cohort.has_value() == b.cohort.has_value());
    if (!a.cohort) {
        CHECK(a.problems == b.problems);
        CHECK(a.what == b.what);
        return;
    }
    const Cohort& x = *a.cohort;
    const Cohort& y = *b.cohort;
    REQUIRE(x.rows() == y.rows());
    REQUIRE(x.criteria() == y.criteria());
    REQUIRE(x.jurors() == y.jurors());
    CHECK(x.juror_names() == y.juror_names());
    const std::size_t n = x.rows() * x.criteria() * x.jurors();
    CHECK(std::memcmp(x.values(), y.values(), n * sizeof(float)) == 0);
    REQUIRE((x.marks() == nullptr) == (y.marks() == nullptr));
    if (x.marks()) CHECK(std::memcmp(x.marks(), y.marks(), n) == 0);
    std::size_t differences = 0;
    for (std::size_t r = 0; r < x.rows(); ++r) {
        if (x.candidate(r) != y.candidate(r) || x.session(r) != y.session(r)) ++differences;
        for (std::size_t c = 0; c < x.criteria(); ++c)
            for (std::size_t s = 0; s < x.jurors(); ++s)
                if (x.juror(r, c, s) != y.juror(r, c, s)) ++differences;
    }
    CHECK(differences == 0);
}

/// A long file of `lines` lines, candidates mostly grouped (as exports are) but
/// coming back now and then, so that rows span the parts read by different threads.
/// With `problems`, some lines are wrong in every way the reader knows, and some
/// values are given twice.
std::string threads_file(const Referentiel& ref, std::mt19937& rng, std::size_t lines, bool problems, bool time) {
    auto pick = [&rng](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); };
    auto chance = [&rng](double p) { return std::bernoulli_distribution(p)(rng); };
    const std::vector<std::string> jurors = {"J1", "J2", "J3", "Dupont M.", "Zoé", " J4 "};
    const std::vector<std::string> eols = {"\n", "\r\n", "\r"};
    const std::string eol = eols[pick(eols.size())];
    std::string text = chance(0.2) ? "\xEF\xBB\xBF" : "";
    text += long_header + (time ? ",time" : "") + eol;
    std::vector<std::string> written;
    std::set<std::tuple<std::string, std::string, std::string, std::string>> given;  // no duplicates by chance
    std::size_t candidate = 0;
    for (std::size_t line = 0; line < lines; ++line) {
        if (problems && !written.empty() && chance(0.01)) {  // a value given twice
            text += written[pick(written.size())];
            continue;
        }
        if (chance(0.03)) candidate = pick(400);             // a jump
        else if (chance(0.02)) candidate = pick(candidate + 1);  // back to an earlier one
        else if (chance(0.05)) ++candidate;
        const std::size_t k = pick(ref.criteria().size());
        const auto covering = ref.epreuves_covering_criterion(static_cast<Index>(k));
        std::string epreuve = !covering.empty() && chance(0.8) ? ref.epreuves()[covering[0]].code : "";
        std::string cand = "C" + std::to_string(1000 + candidate);
        std::string session = chance(0.9) ? "2026-06" : "2025-12";
        std::string criterion = ref.criteria()[k].code;
        std::string juror = jurors[pick(jurors.size())];
        std::string value;
        switch (pick(12)) {
            case 0: value = chance(0.5) ? "absent" : "ABSENT"; break;
            case 1: value = chance(0.5) ? "exempt" : "Exempt"; break;
            case 2: value = ""; break;
            case 3: value = std::to_string(pick(20)) + "." + std::to_string(pick(100)); break;
            case 4: value = chance(0.5) ? "1.25e1" : " 12.5 "; break;
            case 5: value = "0" + std::to_string(pick(20)); break;
            default: value = std::to_string(pick(20)) + (chance(0.5) ? "." + std::to_string(pick(10)) : ""); break;
        }
        std::string stamp = time ? (chance(0.5) ? ",2026-06-15T09:30:00" : ",") : "";
        std::string extra;
        if (problems && chance(0.04)) {
            switch (pick(10)) {
                case 0: cand = ""; break;
                case 1: criterion = "A1X" + std::to_string(pick(9)); break;
                case 2: juror = ""; break;
                case 3: epreuve = "EP9"; break;
                case 4: epreuve = "EP2"; break;
                case 5: value = "25"; break;
                case 6: value = "douze"; break;
                case 7: extra = ",x"; break;
                case 8: value.clear(), juror.clear(), extra = ""; text += cand + "," + session + eol; continue;
                default: if (time) stamp = ",hier"; else value = "-1"; break;
            }
        }
        if (!value.empty() && !given.emplace(cand, session, criterion, std::string(trim_spaces(juror))).second) continue;
        std::string l = cand + "," + session + "," + epreuve + "," + criterion + "," + juror + "," + value + stamp + extra + eol;
        if (!value.empty()) written.push_back(l);
        text += l;
        if (chance(0.01)) text += eol;  // a blank line
    }
    return text;
}

}  // namespace

TEST_CASE("any number of threads reads the same cohort and the same problems", "[evaluations][threads]") {
    const Referentiel ref = test::rncp40514();
    const std::vector<Scale> numeric = numeric_0_20(ref);
    std::vector<Scale> mixed = numeric;  // values of the file outside these scales are problems
    mixed[3] = Scale::numeric(0, 20, 10, 0.5);
    mixed[4] = Scale::binary();
    mixed[5] = Scale::ordinal({"insuffisant", "fragile", "satisfaisant", "très bon"}, 3);
    std::mt19937 rng(40514);
    for (int round = 0; round < 40; ++round) {
        const bool problems = round % 2 == 1;
        const std::vector<Scale>& scales = problems && round % 4 == 3 ? mixed : numeric;
        const bool time = round % 5 == 4;
        const std::size_t lines = 50 + std::uniform_int_distribution<std::size_t>(0, 4000)(rng);
        const std::string text = threads_file(ref, rng, lines, problems, time);
        INFO("round " << round << ", " << lines << " lines" << (problems ? ", with problems" : ""));
        for (const std::size_t max_errors : {std::size_t{100}, std::size_t{1}, std::size_t{7}}) {
            const Outcome one = read_with_threads(ref, scales, text, 1, max_errors);
            if (!problems) CHECK(one.problems == std::vector<std::string>{});
            for (const unsigned threads : {2u, 3u, 4u, 8u}) {
                INFO(threads << " threads, max_errors " << max_errors);
                check_identical(one, read_with_threads(ref, scales, text, threads, max_errors));
            }
            if (!problems) break;
        }
    }
}

TEST_CASE("threads: duplicates across parts name the first line", "[evaluations][threads]") {
    const Referentiel ref = test::rncp40514();
    const auto scales = numeric_0_20(ref);
    // C1 every seventh line: one row whose values are read by every thread, each
    // (criterion, juror) of it given again every 84 lines.
    std::string text = long_header + "\n";
    for (int i = 0; i < 300; ++i) {
        const int m = i / 7;
        text += i % 7 == 0 ? "C1,S,EP1,A1E" + std::to_string(1 + m % 3) + ",J" + std::to_string(m % 4)
                           : "C" + std::to_string(100 + i) + ",S,EP1,A1E" + std::to_string(1 + i % 9) + ",J" +
                                 std::to_string(i % 11);
        text += "," + std::to_string(i % 20) + "\n";
    }
    const Outcome one = read_with_threads(ref, scales, text, 1);
    REQUIRE_FALSE(one.cohort.has_value());
    CHECK(one.problems.size() == 31);
    CHECK(one.problems.at(0) ==
          "threads.csv:86:15: second value for candidate 'C1', session 'S', criterion A1E1, juror 'J0' (the "
          "first is on line 2); keep one of the two");
    CHECK(one.problems.at(12) ==
          "threads.csv:170:15: second value for candidate 'C1', session 'S', criterion A1E1, juror 'J0' (the "
          "first is on line 2); keep one of the two");
    for (const unsigned threads : {2u, 3u, 5u, 16u}) {
        INFO(threads << " threads");
        check_identical(one, read_with_threads(ref, scales, text, threads));
        check_identical(read_with_threads(ref, scales, text, 1, 2), read_with_threads(ref, scales, text, threads, 2));
    }
    // Without duplicates, slots are filled in file order across the parts.
    std::string fine = long_header + "\n";
    for (int i = 0; i < 400; ++i)
        fine += "C" + std::to_string(i % 3) + ",S,EP1,A1E" + std::to_string(1 + i % 9) + ",J" + std::to_string(i / 9) +
                "," + std::to_string(i % 20) + "\n";
    const Outcome expected = read_with_threads(ref, scales, fine, 1);
    REQUIRE(expected.cohort.has_value());
    CHECK(expected.cohort->jurors() == 45);
    for (const unsigned threads : {2u, 3u, 7u, 32u}) check_identical(expected, read_with_threads(ref, scales, fine, threads));
}

TEST_CASE("threads: a file with quotes is read by one thread", "[evaluations][threads]") {
    const Referentiel ref = test::rncp40514();
    const auto scales = numeric_0_20(ref);
    std::string text = long_header + "\n";
    for (int i = 0; i < 200; ++i) {
        text += 'C';
        text += std::to_string(i / 10) + ",S,EP1,A1E" + std::to_string(1 + i % 9) + ",J" + std::to_string(i % 2) + ",";
        text += i == 150 ? "\"1\n2\"\n" : std::to_string(i % 20) + "\n";  // a value over two lines, late in the file
    }
    const Outcome one = read_with_threads(ref, scales, text, 1);
    REQUIRE(one.problems.size() == 1);
    CHECK_THAT(one.problems[0], Catch::StartsWith("threads.csv:152:"));
    for (const unsigned threads : {2u, 4u}) check_identical(one, read_with_threads(ref, scales, text, threads));
    text.replace(text.find("\"1\n2\""), 5, "\"1,5\"");  // a decimal comma
    const Outcome ok = read_with_threads(ref, scales, text, 1);
    REQUIRE(ok.cohort.has_value());
    for (const unsigned threads : {2u, 4u}) check_identical(ok, read_with_threads(ref, scales, text, threads));
}

TEST_CASE("values read quickly mean what the scale says", "[evaluations]") {
    // Lines far enough from the end of the text take the reader's fast path:
    // every value must read as std::from_chars reads it, or be refused.
    const Referentiel ref = test::rncp40514();
    const std::vector<std::string> texts = {
        "0", "00", "20", "20.0", "20.00001", "19.99", "12.5", "12.25", "012.50", "9.", ".5", "1..2", "1.2.3",
        "12345678", "1234567.8", "0.1234567", "-0", "-1", "1e1", "+5", "  7", "7  ", "absent", "ABSENT",
        "absente", "exempt", "eXeMpT", "exempt ", "inf", "nan", "0x1", "5\t", "19.95", "0.05", "3.3", "0.3"};
    for (const bool stepped : {false, true}) {
        const std::vector<Scale> scales(ref.criteria().size(),
                                        stepped ? Scale::numeric(0, 20, 10, 0.05) : Scale::numeric(0, 20, 10));
        for (const std::string& value : texts) {
            INFO("value '" << value << "'" << (stepped ? " on a 0.05 step" : ""));
            std::string text = long_header + "\nC1,S,EP1,A1E1,J1," + value + "\n";
            for (int i = 0; i < 10; ++i) text += "C2,S,EP1,A1E1,J" + std::to_string(i) + ",1\n";
            const std::string_view t = trim_spaces(value);
            double expected = 0;
            const auto [end, error] = std::from_chars(t.data(), t.data() + t.size(), expected);
            const bool number = error == std::errc{} && end == t.data() + t.size();
            const bool mark = t.size() == 6 && (Catch::toLower(std::string(t)) == "absent" || Catch::toLower(std::string(t)) == "exempt");
            try {
                const Cohort c = io::read_evaluations(ref, scales, text);
                const float v = c.value(0, 0, 0);
                if (mark) {
                    CHECK(std::isnan(v));
                    CHECK(c.mark(0, 0, 0) == (Catch::toLower(std::string(t)) == "absent" ? Mark::absent : Mark::exempt));
                } else {
                    REQUIRE(number);
                    CHECK(scales[0].contains(expected));
                    CHECK(v == static_cast<float>(expected));
                }
            } catch (const InvalidInput& e) {
                CHECK_FALSE(mark);
                CHECK((!number || !scales[0].contains(expected)));
                CHECK_THAT(e.problems().at(0), Catch::StartsWith("<input>:2:18: value"));
            }
        }
    }
}

TEST_CASE("the fast path and the general reader agree", "[evaluations][threads]") {
    // A quoted candidate sends every line to the general reader, which then reads
    // the same values as the fast path does on the file without quotes. The
    // problems are the same, on the same lines, but columns after the candidate
    // move by the two quotes.
    const Referentiel ref = test::rncp40514();
    std::vector<Scale> scales = numeric_0_20(ref);
    scales[7] = Scale::numeric(0, 20, 10, 0.25);
    std::mt19937 rng(1515);
    auto without_columns = [](std::vector<std::string> problems) {
        for (std::string& p : problems) {  // "file:line:column: message" -> "line: message"
            const auto first = p.find(':'), second = p.find(':', first + 1), third = p.find(':', second + 1);
            p = p.substr(first + 1, second - first - 1) + p.substr(third);
        }
        return problems;
    };
    for (int round = 0; round < 24; ++round) {
        const bool problems = round % 2 == 1;
        const std::string text = threads_file(ref, rng, 200 + 100 * static_cast<std::size_t>(round), problems, round % 3 == 2);
        std::string quoted;
        std::size_t line = 0;
        for (std::size_t at = 0; at < text.size();) {  // each line and its line break
            std::size_t end = text.find_first_of("\r\n", at);
            if (end == std::string::npos) end = text.size();
            std::size_t next = end;
            if (next < text.size()) next += text.compare(next, 2, "\r\n") == 0 ? 2 : 1;
            const std::string l = text.substr(at, end - at);
            const std::size_t comma = l.find(',');
            if (line++ == 0 || comma == std::string::npos) {
                quoted += l;
            } else {
                quoted += '"';
                quoted.append(l, 0, comma);
                quoted += '"';
                quoted.append(l, comma);
            }
            quoted += text.substr(end, next - end);
            at = next;
        }
        INFO("round " << round);
        const Outcome fast = read_with_threads(ref, scales, text, 1);
        const Outcome general = read_with_threads(ref, scales, quoted, 1);
        REQUIRE(fast.cohort.has_value() == general.cohort.has_value());
        if (fast.cohort) check_identical(fast, general);
        else CHECK(without_columns(fast.problems) == without_columns(general.problems));
    }
}
