// Grading: scales, aggregations, rules, three-valued logic, absent/exempt/missing,
// policy errors, determinism across threads and incremental re-grading.
#include "support.hpp"

#include <certigraph/grading/grader.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <random>

using namespace certigraph;

namespace {

constexpr float missing = std::numeric_limits<float>::quiet_NaN();

/// Bloc X1BC01: C1 (K1, K2, K3), C2 (K4); bloc X1BC02: C3 (K5). Épreuve E1 evaluates all.
Referentiel small() {
    ReferentielBuilder b;
    b.certification({.code = "X1", .title = "Petite certification"});
    b.add(Bloc{.code = "X1BC01", .title = "Bloc 1"});
    b.add(Bloc{.code = "X1BC02", .title = "Bloc 2"});
    b.add(Competency{.code = "C1", .title = "C1", .bloc = "X1BC01"});
    b.add(Competency{.code = "C2", .title = "C2", .bloc = "X1BC01"});
    b.add(Competency{.code = "C3", .title = "C3", .bloc = "X1BC02"});
    for (auto [k, c] : {std::pair{"K1", "C1"}, {"K2", "C1"}, {"K3", "C1"}, {"K4", "C2"}, {"K5", "C3"}})
        b.add(Criterion{.code = k, .title = k, .competency = c});
    b.add(Epreuve{.code = "E1", .title = "Épreuve", .evaluates = {"C1", "C2", "C3"}});
    return b.build();
}

Policy default_policy(const std::string& fiche = "X1") {
    Policy p;
    p.referentiel = fiche;
    p.scales["note_20"] = Scale::numeric(0, 20, 10);
    p.default_scale = "note_20";
    return p;
}

/// One row, `values[k]` for the jurors of criterion k.
Cohort one_row(std::vector<std::vector<float>> values) {
    std::size_t jurors = 0;
    for (const auto& v : values) jurors = std::max(jurors, v.size());
    Cohort c(1, values.size(), jurors);
    for (std::size_t k = 0; k < values.size(); ++k)
        for (std::size_t j = 0; j < values[k].size(); ++j) c.set_value(0, k, j, values[k][j]);
    return c;
}

Status bloc1(const Grader& g, const Cohort& c) { return g.grade(c).bloc(0, 0); }

/// The GradingError message of compiling `small()` with the default policy changed
/// by `change`, or "accepted".
template <class Change>
std::string compile_error(Change change, std::vector<std::string> compensation = {}) {
    Policy p = default_policy();
    p.compensation = std::move(compensation);
    change(p);
    try {
        Grader g(small(), p);
    } catch (const GradingError& e) {
        return e.what();
    }
    return "accepted";
}

}  // namespace

TEST_CASE("scales read numbers and labels, and know their threshold", "[grading][scale]") {
    const Scale n = Scale::numeric(0, 20, 10, 0.5);
    CHECK(n.parse("12.5") == 12.5);
    CHECK(n.parse(" 12,5 ") == 12.5);  // French decimal comma
    CHECK_FALSE(n.parse("12.3"));      // off the 0.5 step
    CHECK_FALSE(n.parse("21"));
    CHECK_FALSE(n.parse("-1"));
    CHECK_FALSE(n.parse("douze"));
    CHECK(n.threshold() == 10);

    const Scale b = Scale::binary();
    CHECK(b.parse("acquis") == 1);
    CHECK(b.parse("Non Acquis") == 0);
    CHECK(b.parse("1") == 1);
    CHECK_FALSE(b.parse("0.5"));
    CHECK(b.threshold() == 1);

    const Scale o = Scale::ordinal({"insuffisant", "fragile", "satisfaisant", "très bon"}, 3);
    CHECK(o.parse("fragile") == 2);
    CHECK(o.parse("TRÈS BON") == std::nullopt);  // case-folding is ASCII only: "È" differs
    CHECK(o.parse("très bon") == 4);
    CHECK(o.parse("4") == 4);
    CHECK_FALSE(o.parse("5"));
    CHECK(o.threshold() == 3);
    CHECK(o.lowest() == 1);
    CHECK(o.highest() == 4);
}

TEST_CASE("the default rules: criterion mean >= 10, all criteria, all competencies", "[grading][rule]") {
    const Grader g(small(), default_policy());
    CHECK(bloc1(g, one_row({{12, 14}, {10, 10}, {9, 11}, {15, 15}, {0, 0}})) == Status::validated);
    CHECK(bloc1(g, one_row({{12, 14}, {10, 10}, {9, 10.5f}, {15, 15}, {0, 0}})) == Status::not_validated);
    const GradeResult r = g.grade(one_row({{12, 14}, {10, 10}, {9, 11}, {15, 15}, {0, 0}}), {.details = true});
    CHECK(r.bloc(0, 1) == Status::not_validated);  // bloc 2: K5 mean 0
    CHECK(r.criterion_value[2] == 10.0f);          // (9 + 11) / 2, exactly the pass mark
    CHECK(r.criterion_status[2] == Status::validated);
}

TEST_CASE("missing values are never 0: three-valued outcomes", "[grading][three-valued]") {
    const Grader g(small(), default_policy());
    // K3 missing, the rest met: the bloc may still be validated -> incomplete.
    CHECK(bloc1(g, one_row({{12, 14}, {11, 11}, {missing, missing}, {15, 15}, {12, 12}})) == Status::incomplete);
    // K3 missing but K1 failed: already ruled out.
    CHECK(bloc1(g, one_row({{2, 4}, {11, 11}, {missing, missing}, {15, 15}, {12, 12}})) == Status::not_validated);
    // One juror missing: the other's value stands (min_jurors = 1).
    CHECK(bloc1(g, one_row({{12, missing}, {11, 11}, {10, 10}, {15, 15}, {12, 12}})) == Status::validated);

    Policy two = default_policy();
    two.min_jurors = 2;
    const Grader strict(small(), two);
    CHECK(bloc1(strict, one_row({{12, missing}, {11, 11}, {10, 10}, {15, 15}, {12, 12}})) == Status::incomplete);
}

TEST_CASE("absent counts as not met, exempt as met", "[grading][marks]") {
    const Grader g(small(), default_policy());
    Cohort c = one_row({{12, 12}, {11, 11}, {10, 10}, {15, 15}, {12, 12}});
    c.set_mark(0, 1, 0, Mark::absent);
    c.set_mark(0, 1, 1, Mark::absent);
    GradeResult r = g.grade(c, {.details = true});
    CHECK(r.bloc(0, 0) == Status::not_validated);
    CHECK(r.criterion_status[1] == Status::not_validated);

    Cohort e = one_row({{12, 12}, {missing, missing}, {10, 10}, {15, 15}, {missing, missing}});
    e.set_mark(0, 1, 0, Mark::exempt);
    e.set_mark(0, 4, 0, Mark::exempt);
    e.set_mark(0, 4, 1, Mark::exempt);
    r = g.grade(e, {.details = true});
    CHECK(r.criterion_status[1] == Status::exempt);
    CHECK(r.bloc(0, 0) == Status::validated);  // exempt counts as met
    CHECK(r.bloc(0, 1) == Status::exempt);     // every child exempt
    const auto why = g.explain(e, 0);
    CHECK(why[1].status == Status::exempt);
    CHECK(why[0].children[0].children[1].note == "exempt: counts as met");
}

TEST_CASE("every juror aggregation", "[grading][aggregation]") {
    auto value_of = [](Aggregation a, std::vector<float> jurors, std::string president = "") {
        Policy p = default_policy();
        p.aggregation = a;
        p.president = president;
        const Grader g(small(), p);
        Cohort c(1, 5, jurors.size());
        for (std::size_t j = 0; j < jurors.size(); ++j) c.set_value(0, 0, j, jurors[j]);
        if (!president.empty())
            for (std::size_t j = 0; j < jurors.size(); ++j) c.set_juror(0, 0, j, "J" + std::to_string(j + 1));
        return g.grade(c, {.details = true}).criterion_value[0];
    };
    CHECK(value_of(Aggregation::mean, {8, 12, 13}) == 11.0f);
    CHECK(value_of(Aggregation::median, {8, 12, 19}) == 12.0f);
    CHECK(value_of(Aggregation::median, {8, 12, 19, 13}) == 12.5f);
    CHECK(value_of(Aggregation::min, {14, 9, 12}) == 9.0f);
    CHECK(value_of(Aggregation::majority, {12, 9, 12}) == 12.0f);
    CHECK(value_of(Aggregation::majority, {12, 9}) == 9.0f);             // tie: the lowest
    CHECK(value_of(Aggregation::president, {12, 9}) == 12.0f);           // tie: slot 0 presides
    CHECK(value_of(Aggregation::president, {12, 9}, "J2") == 9.0f);      // tie: the named president
    CHECK(value_of(Aggregation::president, {12, 9, 9}, "J1") == 9.0f);   // no tie: the majority
    CHECK(value_of(Aggregation::collegial, {13, 13}) == 13.0f);
    CHECK(std::isnan(value_of(Aggregation::collegial, {13, 12})));       // disagreement: unknown

    Policy p = default_policy();
    p.aggregation = Aggregation::collegial;
    const Grader g(small(), p);
    Cohort c = one_row({{13, 12}, {11, 11}, {10, 10}, {15, 15}, {12, 12}});
    CHECK(g.grade(c, {.details = true}).criterion_status[0] == Status::incomplete);
    CHECK(g.explain(c, 0)[0].children[0].children[0].note == "jurors disagree on a collegial mark");
}

TEST_CASE("at_least k: met, ruled out, or still open", "[grading][rule]") {
    Policy p = default_policy();
    p.competency_rules["C1"] = Rule{.kind = RuleKind::at_least, .k = 2};
    const Grader g(small(), p);
    auto c1 = [&](std::vector<std::vector<float>> v) { return g.grade(one_row(v), {.details = true}).competency_status[0]; };
    CHECK(c1({{12}, {12}, {2}, {12}, {12}}) == Status::validated);
    CHECK(c1({{12}, {2}, {2}, {12}, {12}}) == Status::not_validated);
    CHECK(c1({{12}, {2}, {missing}, {12}, {12}}) == Status::incomplete);
    CHECK(c1({{2}, {2}, {missing}, {12}, {12}}) == Status::not_validated);  // 1 unknown cannot reach 2
    // k larger than a competency's children is refused when compiling.
    Policy bad = default_policy();
    bad.competency_rules["C2"] = Rule{.kind = RuleKind::at_least, .k = 3};
    CHECK_THROWS_WITH(Grader(small(), bad), Catch::Contains("at_least 3 cannot be met by C2"));
    Policy bad_default = default_policy();  // a default rule must fit every node too
    bad_default.competency_rule = Rule{.kind = RuleKind::at_least, .k = 2};
    CHECK_THROWS_WITH(Grader(small(), bad_default),
                      Catch::Contains("policy: competency_rule: at_least 2 cannot be met by C2"));
}

TEST_CASE("points: required children and a minimum total (Moodle's rule)", "[grading][rule]") {
    Policy p = default_policy();
    p.compensation = {"X1BC01"};
    p.competency_rules["C1"] =
        Rule{.kind = RuleKind::points, .points = {{"K1", 3}, {"K2", 1}}, .required = {"K1"}, .minimum = 4};
    const Grader g(small(), p);
    auto c1 = [&](std::vector<std::vector<float>> v) { return g.grade(one_row(v), {.details = true}).competency_status[0]; };
    CHECK(c1({{12}, {12}, {2}, {0}, {0}}) == Status::validated);      // 3 + 1 = 4
    CHECK(c1({{12}, {2}, {12}, {0}, {0}}) == Status::validated);      // 3 + 1 (K3 worth 1)
    CHECK(c1({{2}, {12}, {12}, {0}, {0}}) == Status::not_validated);  // required K1 failed
    CHECK(c1({{12}, {2}, {2}, {0}, {0}}) == Status::not_validated);   // 3 < 4, nothing open
    CHECK(c1({{12}, {missing}, {2}, {0}, {0}}) == Status::incomplete);
    CHECK(c1({{missing}, {12}, {12}, {0}, {0}}) == Status::incomplete);  // required still open
}

TEST_CASE("weighted mean with an eliminatory floor, inside a bloc only", "[grading][rule]") {
    Policy p = default_policy();
    p.compensation = {"X1BC01"};
    p.bloc_rules["X1BC01"] = Rule{.kind = RuleKind::weighted_mean,
                                  .weights = {{"K1", 2}},
                                  .threshold = 10,
                                  .floor = 6,
                                  .over_criteria = true};
    const Grader g(small(), p);
    // (2*14 + 8 + 9 + 10) / 5 = 11 >= 10, none below 6: compensated.
    CHECK(bloc1(g, one_row({{14}, {8}, {9}, {10}, {0}})) == Status::validated);
    // (2*14 + 5 + 15 + 12) / 5 = 12, but 5 < floor 6: eliminated.
    CHECK(bloc1(g, one_row({{14}, {5}, {15}, {12}, {0}})) == Status::not_validated);
    // (2*8 + 8 + 9 + 10) / 5 = 8.6 < 10.
    CHECK(bloc1(g, one_row({{8}, {8}, {9}, {10}, {0}})) == Status::not_validated);
    // K4 unknown: the mean lies in [(28+8+9+0)/5, (28+8+9+20)/5] = [9, 13]: open.
    CHECK(bloc1(g, one_row({{14}, {8}, {9}, {missing}, {0}})) == Status::incomplete);
    // K4 unknown, but even 20 cannot lift (2*2 + 2 + 2 + 20)/5 = 5.6 to 10: ruled out.
    CHECK(bloc1(g, one_row({{2}, {2}, {2}, {missing}, {0}})) == Status::not_validated);
    const auto why = g.explain(one_row({{14}, {8}, {9}, {10}, {0}}), 0);
    REQUIRE(why[0].value);
    CHECK(*why[0].value == Approx(11.0));
    CHECK(*why[0].margin == Approx(1.0));
    CHECK(why[0].rule == "weighted_mean >= 10 (floor 6)");

    Policy not_allowed = p;
    not_allowed.compensation.clear();
    CHECK_THROWS_WITH(Grader(small(), not_allowed),
                      Catch::Contains("policy: bloc_rules/X1BC01: rule 'weighted_mean' compensates") &&
                          Catch::Contains("not listed in `compensation`"));
}

TEST_CASE("policies that do not fit the référentiel are refused with the field", "[grading][policy]") {
    auto refused = [](auto change) { return compile_error(change); };
    CHECK_THAT(refused([](Policy& p) { p.referentiel = "RNCP1"; }),
               Catch::Contains("written for 'RNCP1', not for X1"));
    CHECK_THAT(refused([](Policy& p) { p.thresholds["K9"] = 12; }),
               Catch::Contains("policy: thresholds/K9: 'K9' is not a code of X1"));
    CHECK_THAT(refused([](Policy& p) { p.thresholds["K1"] = 25; }),
               Catch::Contains("25 lies outside the scale of criterion K1"));
    CHECK_THAT(refused([](Policy& p) { p.competency_rules["X1BC01"] = Rule{}; }),
               Catch::Contains("'X1BC01' is a bloc; this field takes a competency"));
    CHECK_THAT(refused([](Policy& p) { p.scale_of["K1"] = "nope"; }),
               Catch::Contains("'nope' is not one of the declared scales"));
    CHECK_THAT(refused([](Policy& p) {
                   p.compensation = {"X1BC01"};
                   p.competency_rules["C1"] = Rule{.kind = RuleKind::weighted_mean, .weights = {{"K4", 2}}};
               }),
               Catch::Contains("competency_rules/C1/weights/K4: 'K4' is not a child of C1"));
    CHECK(refused([](Policy&) {}) == "accepted");
}

TEST_CASE("thresholds follow the most specific node; what-if counts the flips", "[grading][what-if]") {
    Policy p = default_policy();
    p.thresholds["X1BC01"] = 12;
    p.thresholds["K2"] = 8;
    const Grader g(small(), p);
    const Cohort c = one_row({{11, 11}, {9, 9}, {12, 12}, {12, 12}, {11, 11}});
    const GradeResult r = g.grade(c, {.details = true});
    CHECK(r.criterion_status[0] == Status::not_validated);  // 11 < 12 (bloc threshold)
    CHECK(r.criterion_status[1] == Status::validated);      // 9 >= 8 (its own)
    CHECK(r.criterion_status[4] == Status::validated);      // bloc 2 keeps 10

    const Grader base(small(), default_policy());
    Cohort many(3, 5, 1);
    const float rows[3][5] = {{9, 12, 12, 12, 12}, {11, 11, 11, 11, 11}, {14, 14, 14, 14, 14}};
    for (std::size_t r0 = 0; r0 < 3; ++r0)
        for (std::size_t k = 0; k < 5; ++k) many.set_value(r0, k, 0, rows[r0][k]);
    const auto table = sensitivity(base, many, "X1BC01", 8, 14, 0.5);
    REQUIRE(table.size() == 13);
    CHECK(table.front().threshold == 8);
    CHECK(table.back().threshold == 14);
    CHECK(table.front().validated == 3 + 3);   // bloc 1 for all three rows, bloc 2 for all three
    CHECK(table[4].threshold == 10);
    CHECK(table[4].changed == 0);               // 10 is the base policy's pass mark
    CHECK(table.back().validated == 1 + 3);     // only row 3 keeps bloc 1 at 14
    CHECK(table.back().changed == 1);           // row 2's bloc 1 flips
    for (std::size_t i = 1; i < table.size(); ++i) CHECK(table[i].validated <= table[i - 1].validated);
}

TEST_CASE("explanations give values, thresholds, margins and jurors", "[grading][explain]") {
    const Grader g(small(), default_policy());
    const Cohort c = one_row({{9, 10}, {11, 11}, {missing, missing}, {15, 15}, {12, 12}});
    const auto blocs = g.explain(c, 0);
    REQUIRE(blocs.size() == 2);
    const Explanation& b1 = blocs[0];
    CHECK(b1.code == "X1BC01");
    CHECK(b1.status == Status::not_validated);
    CHECK(b1.rule == "all");
    const Explanation& k1 = b1.children[0].children[0];
    CHECK(k1.code == "K1");
    CHECK(*k1.value == Approx(9.5));
    CHECK(*k1.threshold == 10);
    CHECK(*k1.margin == Approx(-0.5));
    REQUIRE(k1.jurors.size() == 2);
    CHECK(*k1.jurors[0] == 9.0f);
    const Explanation& k3 = b1.children[0].children[2];
    CHECK(k3.status == Status::incomplete);
    CHECK(k3.note == "missing: no juror has given a value");
    CHECK_FALSE(k3.value);
    CHECK(b1.children[0].note == "1 child is not yet known");
}

namespace {

/// A random référentiel, policy and cohort, for property tests.
struct Random {
    std::mt19937 rng;
    explicit Random(unsigned seed) : rng(seed) {}
    std::size_t pick(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); }

    Referentiel referentiel() {
        ReferentielBuilder b;
        b.certification({.code = "R1", .title = "Aléatoire"});
        const std::size_t blocs = 1 + pick(4);
        std::size_t comp = 0, crit = 0;
        Epreuve e{.code = "E1", .title = "Tout"};
        for (std::size_t i = 0; i < blocs; ++i) {
            const std::string bloc = "R1BC" + std::to_string(i + 1);
            b.add(Bloc{.code = bloc, .title = bloc});
            for (std::size_t c = 0, nc = 1 + pick(4); c < nc; ++c, ++comp) {
                const std::string code = "C" + std::to_string(comp);
                b.add(Competency{.code = code, .title = code, .bloc = bloc});
                e.evaluates.push_back(code);
                for (std::size_t k = 0, nk = 1 + pick(3); k < nk; ++k, ++crit) {
                    const std::string kc = "K" + std::to_string(crit);
                    b.add(Criterion{.code = kc, .title = kc, .competency = code});
                }
            }
        }
        b.add(std::move(e));
        return b.build();
    }

    Rule rule(bool bloc_level) {
        switch (pick(4)) {
            case 0: return Rule{};
            case 1: return Rule{.kind = RuleKind::at_least, .k = 1};
            case 2: return Rule{.kind = RuleKind::points, .minimum = 0.5 + static_cast<double>(pick(2)) / 2.0};
            default:
                return Rule{.kind = RuleKind::weighted_mean, .threshold = 8.0 + static_cast<double>(pick(5)),
                            .floor = pick(2) ? std::optional<double>(4.0) : std::nullopt,
                            .over_criteria = bloc_level && pick(2) == 0};
        }
    }

    /// `counting`: mean aggregation and all/at_least rules only, as the fast path takes.
    Policy policy(const Referentiel& ref, bool counting) {
        Policy p = default_policy("R1");
        p.aggregation = counting ? Aggregation::mean : static_cast<Aggregation>(pick(6));
        p.min_jurors = 1 + static_cast<unsigned>(pick(2));
        p.competency_rule = rule(false);
        p.bloc_rule = rule(true);
        if (counting) {
            p.competency_rule = pick(2) ? Rule{} : Rule{.kind = RuleKind::at_least, .k = 1};
            p.bloc_rule = pick(2) ? Rule{} : Rule{.kind = RuleKind::at_least, .k = 1, .over_criteria = pick(2) == 0};
        }
        for (const auto& b : ref.blocs()) p.compensation.push_back(b.code);
        return p;
    }

    Cohort cohort(const Referentiel& ref, std::size_t rows, bool marks = true) {
        const std::size_t jurors = 1 + pick(3);
        Cohort c(rows, ref.criteria().size(), jurors);
        for (std::size_t r = 0; r < rows; ++r)
            for (std::size_t k = 0; k < ref.criteria().size(); ++k)
                for (std::size_t j = 0; j < jurors; ++j) {
                    const std::size_t roll = pick(20);
                    if (marks && roll == 0) c.set_mark(r, k, j, Mark::absent);
                    else if (marks && roll == 1) c.set_mark(r, k, j, Mark::exempt);
                    else if (roll > 3) c.set_value(r, k, j, static_cast<float>(pick(41)) / 2.0f);
                }
        return c;
    }
};

}  // namespace

TEST_CASE("grading is deterministic: threads, blocks and one-by-one agree bit for bit",
          "[grading][property]") {
    // Odd seeds take the general kernel (marks, any aggregation and rule); even seeds
    // fit the row-major fast path, which regrade/explain (general kernel) must match.
    for (unsigned seed = 1; seed <= 40; ++seed) {
        INFO("seed " << seed);
        Random random(seed);
        const bool counting = seed % 2 == 0;
        const Referentiel ref = random.referentiel();
        const Grader g(ref, random.policy(ref, counting));
        const Cohort cohort = random.cohort(ref, 700, !counting);  // several blocks of 256 rows
        const GradeResult one = g.grade(cohort, {.threads = 1, .details = true});
        CHECK(g.grade(cohort, {.threads = 2, .details = true}) == one);
        CHECK(g.grade(cohort, {.threads = 3, .details = true}) == one);

        // Row by row through regrade, starting from an unrelated result.
        GradeResult incremental = g.grade(random.cohort(ref, 700), {.threads = 1, .details = true});
        for (std::size_t r = 0; r < cohort.rows(); ++r) g.regrade(cohort, r, incremental);
        CHECK(incremental.bloc_status == one.bloc_status);
        CHECK(incremental.competency_status == one.competency_status);
        CHECK(incremental.criterion_status == one.criterion_status);
        CHECK(std::memcmp(incremental.criterion_value.data(), one.criterion_value.data(),
                          one.criterion_value.size() * sizeof(float)) == 0);
        // Without details, the same bloc statuses.
        CHECK(g.grade(cohort, {.threads = 1, .details = false}).bloc_status == one.bloc_status);

        // Explanations tell the same statuses as the kernel.
        for (std::size_t r = 0; r < cohort.rows(); r += 97) {
            const auto why = g.explain(cohort, r);
            for (std::size_t b = 0; b < why.size(); ++b) CHECK(why[b].status == one.bloc(r, b));
        }
    }
}

TEST_CASE("the sample cohort grid on RNCP40514 with the default policy", "[grading][rncp40514]") {
    const Referentiel ref = test::rncp40514();
    const Grader g(ref, io::load_policy(test::example("policies/rncp40514-default.json").string()));
    CHECK(g.scale_of_criterion(0).pass_mark == 10);
    Cohort c(1, 30, 2);
    for (std::size_t k = 0; k < 30; ++k) {
        c.set_value(0, k, 0, 12);
        c.set_value(0, k, 1, 12);
    }
    const Index a2e3 = ref.index_of(NodeKind::criterion, "A2E3");
    c.set_value(0, a2e3, 0, 7);
    c.set_value(0, a2e3, 1, 9);
    const GradeResult r = g.grade(c, {.details = true});
    CHECK(r.bloc(0, 0) == Status::validated);
    CHECK(r.bloc(0, 1) == Status::not_validated);
    CHECK(r.bloc(0, 2) == Status::validated);
    CHECK(r.bloc(0, 3) == Status::validated);
}

TEST_CASE("policy JSON round-trips and names the place of errors", "[grading][policy][json]") {
    const Policy p = io::load_policy(test::example("policies/rncp40514-default.json").string());
    CHECK(p.referentiel == "RNCP40514");
    CHECK(io::policy_from_json(io::policy_to_json(p)) == p);
    CHECK(io::policy_to_json(p) == test::read_file(test::example("policies/rncp40514-default.json")));

    Policy rich = default_policy();
    rich.scales["niveaux"] = Scale::ordinal({"insuffisant", "fragile", "satisfaisant", "très bon"}, 3);
    rich.scales["acquis"] = Scale::binary();
    rich.scale_of["K5"] = "niveaux";
    rich.aggregation_of["E1"] = Aggregation::median;
    rich.thresholds["C1"] = 11.5;
    rich.president = "J1";
    rich.compensation = {"X1BC01"};
    rich.bloc_rules["X1BC01"] = Rule{.kind = RuleKind::weighted_mean, .weights = {{"K1", 2}},
                                     .threshold = 10, .floor = 6, .over_criteria = true};
    rich.competency_rules["C1"] = Rule{.kind = RuleKind::points, .points = {{"K1", 2}},
                                       .required = {"K2"}, .minimum = 3};
    rich.competency_rules["C2"] = Rule{.kind = RuleKind::at_least, .k = 1};
    CHECK(io::policy_from_json(io::policy_to_json(rich)) == rich);

    auto error_of = [](const std::string& text) {
        try {
            (void)io::policy_from_json(text, "p.json");
        } catch (const ParseError& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    const std::string head = R"({"format": "certigraph/policy", "format_version": 1, "referentiel": "X1", )";
    CHECK_THAT(error_of(head + R"("scales": {"n": {"kind": "numeric", "min": 0, "max": 20, "pass_mark": 30}}, "default_scale": "n"})"),
               Catch::Contains("p.json: at /scales/n/pass_mark: the pass mark must lie between min and max"));
    CHECK_THAT(error_of(head + R"("scales": {"n": {"kind": "numeric", "min": 0, "max": 20, "pass_mark": 10}}, "default_scale": "m"})"),
               Catch::Contains("at /default_scale: 'm' is not one of the declared scales"));
    CHECK_THAT(error_of(head + R"("scales": {"n": {"kind": "numeric", "min": 0, "max": 20, "pass_mark": 10}}, "default_scale": "n", "bloc_rule": {"rule": "most"}})"),
               Catch::Contains("at /bloc_rule/rule: unknown value 'most'; use one of: all, at_least, points, weighted_mean"));
    CHECK_THAT(error_of(head + R"("scales": {"n": {"kind": "numeric", "min": 0, "max": 20, "pass_mark": 10}}, "default_scale": "n", "competency_rule": {"rule": "all", "over": "criteria"}})"),
               Catch::Contains("at /competency_rule/over: `over` applies to bloc rules only"));
    CHECK_THAT(error_of(R"({"format": "certigraph/referentiel", "format_version": 1})"),
               Catch::Contains("this is not a certigraph policy"));
}

TEST_CASE("compiling refuses rules that cannot work", "[grading][policy]") {
    auto refused = [](auto change) { return compile_error(change, {"X1BC01", "X1BC02"}); };
    CHECK_THAT(refused([](Policy& p) { p.competency_rules["C1"] = Rule{.kind = RuleKind::points, .minimum = 4}; }),
               Catch::Contains("points >= 4 cannot be met by C1, whose children are worth 3 points in all"));
    CHECK_THAT(refused([](Policy& p) {
                   p.competency_rules["C2"] = Rule{.kind = RuleKind::weighted_mean, .weights = {{"K4", 0}}, .threshold = 10};
               }),
               Catch::Contains("competency_rules/C2/weights: the weights of C2's children add up to 0"));
    CHECK_THAT(refused([](Policy& p) {
                   p.competency_rules["C2"] = Rule{.kind = RuleKind::weighted_mean, .threshold = 25};
               }),
               Catch::Contains("competency_rules/C2/threshold: 25 lies outside the scale"));
    CHECK_THAT(refused([](Policy& p) { p.competency_rule = Rule{.kind = RuleKind::all, .required = {"NOPE"}}; }),
               Catch::Contains("competency_rule/required/NOPE: 'NOPE' is not a criterion of X1"));
    CHECK_THAT(refused([](Policy& p) {
                   p.aggregation = Aggregation::president;
                   p.president = "J9";
               }),
               Catch::Contains("accepted"));  // compiles; the cohort is checked when grading
    Policy p = default_policy();
    p.aggregation = Aggregation::president;
    p.president = "J9";
    const Grader g(small(), p);
    CHECK_THROWS_WITH(g.grade(one_row({{12, 9}, {11}, {10}, {15}, {12}})),
                      Catch::Contains("the policy's president 'J9' is not among the cohort's jurors"));
}

TEST_CASE("an eliminatory floor is named in the explanation", "[grading][explain]") {
    Policy p = default_policy();
    p.compensation = {"X1BC01"};
    p.bloc_rules["X1BC01"] =
        Rule{.kind = RuleKind::weighted_mean, .threshold = 10, .floor = 6, .over_criteria = true};
    const Grader g(small(), p);
    const auto why = g.explain(one_row({{14}, {5}, {15}, {12}, {0}}), 0);
    CHECK(why[0].status == Status::not_validated);
    CHECK(why[0].note == "below the floor: K2");
}

TEST_CASE("the fast path agrees with the general kernel when a bloc's criteria are not contiguous",
          "[grading][property]") {
    ReferentielBuilder b;  // criteria declared alternating between the two blocs
    b.certification({.code = "X2", .title = "Entrelacée"});
    b.add(Bloc{.code = "X2BC01", .title = "Bloc 1"});
    b.add(Bloc{.code = "X2BC02", .title = "Bloc 2"});
    b.add(Competency{.code = "C1", .title = "C1", .bloc = "X2BC01"});
    b.add(Competency{.code = "C2", .title = "C2", .bloc = "X2BC02"});
    for (int k = 0; k < 6; ++k)
        b.add(Criterion{.code = "K" + std::to_string(k), .title = "K", .competency = k % 2 ? "C2" : "C1"});
    b.add(Epreuve{.code = "E1", .title = "E", .evaluates = {"C1", "C2"}});
    const Grader g(b.build(), default_policy("X2"));
    std::mt19937 rng(5);
    Cohort c(600, 6, 2);
    for (std::size_t r = 0; r < 600; ++r)
        for (std::size_t k = 0; k < 6; ++k)
            for (std::size_t j = 0; j < 2; ++j)
                if (rng() % 10) c.set_value(r, k, j, static_cast<float>(rng() % 41) / 2.0f);
    const GradeResult fast = g.grade(c, {.threads = 1, .details = false});
    GradeResult general = fast;
    for (std::size_t r = 0; r < 600; ++r) g.regrade(c, r, general);  // the general kernel
    CHECK(general.bloc_status == fast.bloc_status);
}
