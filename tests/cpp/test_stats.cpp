// The stats area against every published value of tests/data/irr/expected_values.json,
// plus the properties the definitions imply.
#include "support.hpp"

#include <certigraph/stats/agreement.hpp>
#include <certigraph/stats/severity.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>
#include <random>
#include <sstream>

using namespace certigraph;
using namespace certigraph::stats;

namespace {

constexpr double NA = std::numeric_limits<double>::quiet_NaN();

std::vector<std::string> split(const std::string& line) {
    std::vector<std::string> out;
    std::string field;
    std::istringstream in(line);
    while (std::getline(in, field, ',')) out.push_back(field);
    if (!line.empty() && line.back() == ',') out.emplace_back();
    return out;
}

/// A wide CSV: unit label, then one column per rater; empty = missing.
struct Wide {
    std::vector<double> values;
    std::size_t units = 0, raters = 0;
    Ratings ratings() const { return {values, units, raters}; }
    /// Columns `cols` and rows [begin, end).
    Wide select(std::vector<std::size_t> cols, std::size_t begin, std::size_t end) const {
        Wide w;
        w.units = end - begin;
        w.raters = cols.size();
        for (std::size_t u = begin; u < end; ++u)
            for (auto c : cols) w.values.push_back(values[u * raters + c]);
        return w;
    }
    std::vector<double> column(std::size_t c) const {
        std::vector<double> out;
        for (std::size_t u = 0; u < units; ++u) out.push_back(values[u * raters + c]);
        return out;
    }
};

Wide read_wide(const std::string& file) {
    std::istringstream in(test::read_file(test::data("irr/" + file)));
    std::string line;
    std::getline(in, line);
    Wide w;
    w.raters = split(line).size() - 1;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        auto f = split(line);
        f.resize(w.raters + 1);
        for (std::size_t j = 1; j <= w.raters; ++j) w.values.push_back(f[j].empty() ? NA : std::stod(f[j]));
        ++w.units;
    }
    return w;
}

Table read_contingency(const std::string& file) {
    std::istringstream in(test::read_file(test::data("irr/" + file)));
    std::string line;
    std::getline(in, line);
    Table t;
    t.cols = split(line).size() - 1;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        const auto f = split(line);
        for (std::size_t j = 1; j < f.size(); ++j) t.values.push_back(std::stod(f[j]));
        ++t.rows;
    }
    return t;
}

std::vector<double> doubles(const nlohmann::json& j) {
    std::vector<double> out;
    for (const auto& x : j) out.push_back(x.get<double>());
    return out;
}

/// The value an entry describes, computed by certigraph (vector for per-category).
std::vector<double> compute(const nlohmann::json& e) {
    const std::string stat = e["statistic"], file = e["file"];
    const auto& p = e["params"];
    auto selected = [&] {
        Wide w = read_wide(file);
        std::vector<std::size_t> cols;
        if (p.contains("cols"))
            for (const auto& c : p["cols"]) cols.push_back(c.get<std::size_t>());
        else
            for (std::size_t c = 0; c < w.raters; ++c) cols.push_back(c);
        std::size_t begin = 0, end = w.units;
        if (p.contains("rows")) begin = p["rows"][0], end = p["rows"][1];
        return w.select(cols, begin, end);
    };
    auto categories = [&] { return p.contains("categories") ? doubles(p["categories"]) : std::vector<double>{}; };
    auto weights = [&]() -> Weights {
        const std::string name = p.value("weights", "none");
        if (name == "irr_vector") return Weights::irr_vector(doubles(p["weight_vector"]));
        return Weights::named(name);
    };
    if (stat == "krippendorff_alpha")
        return {krippendorff_alpha(selected().ratings(), metric_from_string(p["metric"].get<std::string>())).alpha};
    if (stat == "fleiss_kappa") {
        const Wide w = selected();
        const auto cats = categories();
        const FleissKappa f = fleiss_kappa(w.ratings(), cats);
        if (p["output"] == "kappa_j") return f.category_kappas;
        return {f.kappa};
    }
    if (stat == "conger_exact_kappa") {
        const auto cats = categories();
        return {conger_kappa(selected().ratings(), cats)};
    }
    if (stat == "cohen_kappa") {
        if (p.value("input", "") == "contingency") return {cohen_kappa_table(read_contingency(file), weights()).kappa};
        const Wide w = selected();
        const auto cats = categories();
        return {cohen_kappa(w.column(0), w.column(1), weights(), cats).kappa};
    }
    if (stat == "icc") return {icc(selected().ratings()).form(p["form"].get<std::string>()).value};
    if (stat == "kendall_w") return {kendall_w(selected().ratings(), p["tie_correction"].get<bool>()).w};
    if (stat == "additive_two_way") {
        const Wide w = selected();
        std::vector<Observation> obs;
        for (std::size_t u = 0; u < w.units; ++u)
            for (std::size_t j = 0; j < w.raters; ++j)
                if (!std::isnan(w.values[u * w.raters + j]))
                    obs.push_back({static_cast<std::uint32_t>(u), static_cast<std::uint32_t>(j), 0,
                                   w.values[u * w.raters + j]});
        const AdditiveModel m = additive_severity(obs);
        if (p["output"] == "mu") return {m.mu};
        std::vector<double> s;
        for (const auto& j : m.jurors) s.push_back(j.severity);
        return s;
    }
    FAIL("no computation for statistic " << stat);
    return {};
}

}  // namespace

TEST_CASE("every value of irr/expected_values.json is reproduced to its tolerance", "[stats]") {
    const auto doc = nlohmann::json::parse(test::read_file(test::data("irr/expected_values.json")));
    std::size_t checked = 0;
    for (const auto& e : doc["entries"]) {
        const std::string id = e["id"];
        INFO(id);
        const double tolerance = e["tolerance"];
        const std::vector<double> expected =
            e["expected"].is_array() ? doubles(e["expected"]) : std::vector<double>{e["expected"].get<double>()};
        const std::vector<double> got = compute(e);
        REQUIRE(got.size() == expected.size());
        for (std::size_t i = 0; i < got.size(); ++i) {
            INFO("component " << i << ": got " << got[i] << ", expected " << expected[i]);
            CHECK(std::fabs(got[i] - expected[i]) <= tolerance);
        }
        if (e.contains("expected_full_precision") && !e["expected_full_precision"].is_array()) {
            INFO("full precision " << e["expected_full_precision"].get<double>() << ", got " << got[0]);
            CHECK(std::fabs(got[0] - e["expected_full_precision"].get<double>()) <= 1e-9);
        }
        ++checked;
    }
    CHECK(checked == 37);
}

TEST_CASE("Fleiss' z for diagnoses is irr's 17.65183", "[stats]") {
    const Wide w = read_wide("fleiss1971_diagnoses_30subj_6raters.csv");
    const FleissKappa f = fleiss_kappa(w.ratings());
    CHECK(f.z == Approx(17.65183).margin(5e-6));
    CHECK(f.subjects == 30);
    CHECK(f.raters == 6);
    // The counts form gives the same kappa.
    Table counts{std::vector<double>(30 * 5, 0.0), 30, 5};
    for (std::size_t u = 0; u < 30; ++u)
        for (std::size_t j = 0; j < 6; ++j) counts.at(u, static_cast<std::size_t>(w.values[u * 6 + j]) - 1) += 1;
    CHECK(fleiss_kappa_counts(counts).kappa == Approx(f.kappa).margin(1e-15));
}

TEST_CASE("an unused category changes weighted kappa only when declared", "[stats]") {
    const Wide w = read_wide("irr_anxiety_20subj_3raters.csv");
    const std::vector<double> full{1, 2, 3, 4, 5, 6};
    // The values of the README's pitfall: on the declared 1..6 scale.
    CHECK(cohen_kappa(w.column(1), w.column(2), Weights::named("linear"), full).kappa ==
          Approx(0.1262135922).margin(1e-9));
    CHECK(cohen_kappa(w.column(1), w.column(2), Weights::named("quadratic"), full).kappa ==
          Approx(0.2297979798).margin(1e-9));
    CHECK(cohen_kappa(w.column(1), w.column(2), Weights::named("linear")).kappa == Approx(0.1459075).margin(1e-6));
    // A mark outside the declared set is refused, naming it.
    const std::vector<double> small{1, 2, 3};
    CHECK_THROWS_WITH(cohen_kappa(w.column(1), w.column(2), {}, small), Catch::Contains("not in the category set"));
}

TEST_CASE("alpha: the interval coincidence form equals the closed form, perfect agreement gives 1", "[stats]") {
    std::vector<double> v{1, 1, NA, 2, 2, 2, 3, 3, NA, 4, NA, NA};
    const Ratings r{v, 4, 3};
    for (auto m : {Metric::nominal, Metric::ordinal, Metric::interval, Metric::ratio}) {
        const Alpha a = krippendorff_alpha(r, m);
        CHECK(a.alpha == Approx(1.0).margin(1e-15));
        CHECK(a.pairable_units == 3);  // the unit with one value is not pairable
        CHECK(a.pairable_values == 7);
    }
    // Units holding one value only, or a single value everywhere: alpha is undefined.
    std::vector<double> one{5, 5, 5, 5};
    CHECK(std::isnan(krippendorff_alpha({one, 2, 2}).alpha));
}

TEST_CASE("alpha, kappas and ICC are unchanged by permuting units or raters", "[stats]") {
    const Wide w = read_wide("hayes_krippendorff2007_news_tone_40units_5obs.csv");
    std::mt19937 rng(7);
    std::vector<std::size_t> units(w.units), raters(w.raters);
    std::iota(units.begin(), units.end(), std::size_t{0});
    std::iota(raters.begin(), raters.end(), std::size_t{0});
    std::shuffle(units.begin(), units.end(), rng);
    std::shuffle(raters.begin(), raters.end(), rng);
    Wide p;
    p.units = w.units;
    p.raters = w.raters;
    for (auto u : units)
        for (auto j : raters) p.values.push_back(w.values[u * w.raters + j]);
    for (auto m : {Metric::nominal, Metric::ordinal, Metric::interval, Metric::ratio})
        CHECK(krippendorff_alpha(p.ratings(), m).alpha ==
              Approx(krippendorff_alpha(w.ratings(), m).alpha).margin(1e-12));
    CHECK(gwet_ac(p.ratings()).coefficient == Approx(gwet_ac(w.ratings()).coefficient).margin(1e-12));
    const Wide a = read_wide("irr_anxiety_20subj_3raters.csv");
    const Wide ap = a.select({2, 0, 1}, 0, a.units);
    for (std::size_t f = 0; f < 6; ++f) CHECK(icc(ap.ratings()).forms[f].value == Approx(icc(a.ratings()).forms[f].value).margin(1e-12));
    CHECK(kendall_w(ap.ratings()).w == Approx(kendall_w(a.ratings()).w).margin(1e-12));
    const Wide d = read_wide("fleiss1971_diagnoses_30subj_6raters.csv");
    const Wide dp = d.select({5, 3, 1, 0, 2, 4}, 0, d.units);
    CHECK(fleiss_kappa(dp.ratings()).kappa == Approx(fleiss_kappa(d.ratings()).kappa).margin(1e-12));
}

TEST_CASE("alpha on two raters without missing values sits within kappa-like limits", "[stats]") {
    // Nominal alpha on two raters, complete: alpha = 1 - (2N-1)(1-po)/(2N (1-pe_pooled)) (Krippendorff 2004),
    // so it lies between Scott's pi and its small-sample correction, and near Cohen's kappa.
    const Wide d = read_wide("fleiss1971_diagnoses_30subj_6raters.csv");
    for (std::size_t a = 0; a < 6; ++a)
        for (std::size_t b = a + 1; b < 6; ++b) {
            const Wide two = d.select({a, b}, 0, d.units);
            const double alpha = krippendorff_alpha(two.ratings(), Metric::nominal).alpha;
            const FleissKappa pi = fleiss_kappa(two.ratings());  // Fleiss' kappa on 2 raters = Scott's pi
            const double n = static_cast<double>(two.units);
            CHECK(alpha == Approx(1 - (2 * n - 1) / (2 * n) * (1 - pi.kappa)).margin(1e-12));
            // pi <= alpha <= pi + (1 - pi) / 2N, and pi <= Cohen's kappa (pooled chance agreement >= separate).
            CHECK(alpha >= pi.kappa - 1e-12);
            CHECK(alpha <= pi.kappa + (1 - pi.kappa) / (2 * n) + 1e-12);
            const double kappa = cohen_kappa(two.column(0), two.column(1)).kappa;
            CHECK(kappa >= pi.kappa - 1e-12);
        }
    // Interval alpha on two raters relates to ICC(1,1) the same way.
    const Wide a = read_wide("irr_anxiety_20subj_3raters.csv").select({0, 1}, 0, 20);
    const double alpha = krippendorff_alpha(a.ratings(), Metric::interval).alpha;
    CHECK(alpha == Approx(icc(a.ratings()).form("ICC(1,1)").value).margin(0.05));
}

TEST_CASE("Gwet's AC1 equals its definition on two raters and 1 on perfect agreement", "[stats]") {
    std::vector<double> v{1, 1, 2, 2, 3, 3, 1, 1};
    CHECK(gwet_ac({v, 4, 2}).coefficient == Approx(1.0));
    // Two raters, 2 categories: AC1 = (po - pe)/(1 - pe), pe = sum_k pi_k (1 - pi_k) / (q - 1).
    std::vector<double> x{1, 1, 1, 2, 2, 2, 2, 2, 1, 1};
    const GwetAc g = gwet_ac({x, 5, 2});
    const double po = 4.0 / 5, pi = 2.5 / 5, pe = 2 * pi * (1 - pi) / 1;
    CHECK(g.coefficient == Approx(0.6));
    CHECK(g.coefficient == Approx((po - pe) / (1 - pe)));
    // AC2 with identity weights is AC1.
    CHECK(gwet_ac({x, 5, 2}, {}, Weights::named("none")).coefficient == Approx(g.coefficient));
}

TEST_CASE("ICC F tests and intervals are consistent", "[stats]") {
    const Wide a = read_wide("irr_anxiety_20subj_3raters.csv");
    const IccTable t = icc(a.ratings());
    for (const auto& f : t.forms) {
        INFO(f.name);
        CHECK(f.lower < f.value);
        CHECK(f.value < f.upper);
        CHECK(f.p_value > 0);
        CHECK(f.p_value < 1);
    }
    // irr::icc(anxiety, "twoway", "agreement") prints "-0.039 < ICC < 0.494" for ICC(A,1) = ICC(2,1),
    // and psych::ICC the same interval (3 decimals).
    CHECK(t.form("ICC(2,1)").lower == Approx(-0.039).margin(5e-4));
    CHECK(t.form("ICC(2,1)").upper == Approx(0.494).margin(5e-4));
    CHECK(t.forms[0].df1 == 19);
    CHECK(t.forms[0].df2 == 40);
    CHECK(t.forms[1].df2 == 38);
    CHECK_THROWS_WITH(t.form("ICC(4,1)"), Catch::Contains("use ICC(1,1)"));
}

TEST_CASE("Kendall's chi-square is m (n - 1) W", "[stats]") {
    const Wide a = read_wide("irr_anxiety_20subj_3raters.csv");
    const KendallW w = kendall_w(a.ratings(), true);
    CHECK(w.chi_square == Approx(30.76044).margin(5e-5));  // scipy friedmanchisquare (tie-corrected)
    CHECK(w.df == 19);
    // Identical rankings give W = 1.
    std::vector<double> same{1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4};
    CHECK(kendall_w({same, 4, 3}, false).w == Approx(1.0));
}

TEST_CASE("percent agreement", "[stats]") {
    std::vector<double> v{1, 1, NA, 2, 3, 2, 4, NA, NA};
    const PercentAgreement p = percent_agreement({v, 3, 3});
    CHECK(p.units == 2);
    CHECK(p.all_agree == Approx(0.5));
    CHECK(p.pairwise == Approx(2.0 / 4.0));
}

TEST_CASE("bad input is refused with the place and the fix", "[stats]") {
    std::vector<double> v{1, 2, 3};
    CHECK_THROWS_WITH(krippendorff_alpha({v, 2, 2}), Catch::Contains("3 values for 2 units x 2 raters"));
    CHECK_THROWS_WITH(metric_from_string("cardinal"), Catch::Contains("use nominal, ordinal, interval or ratio"));
    std::vector<double> m{1, NA, 2, 2};
    CHECK_THROWS_WITH(fleiss_kappa({m, 2, 2}), Catch::Contains("unit 0, rater 1 is missing"));
    Table uneven{{2, 0, 1, 2}, 2, 2};
    CHECK_THROWS_WITH(fleiss_kappa_counts(uneven), Catch::Contains("same number of raters"));
    Table rect{{1, 2, 3, 4, 5, 6}, 2, 3};
    CHECK_THROWS_WITH(cohen_kappa_table(rect), Catch::Contains("square"));
    Table w2{{1, 0, 0, 1}, 2, 2};
    CHECK_THROWS_WITH(cohen_kappa_table(Table{std::vector<double>(9, 1.0), 3, 3}, Weights::matrix(w2)),
                      Catch::Contains("2 x 2 matrix for 3 categories"));
}

TEST_CASE("perfect agreement gives 1 for every coefficient", "[stats]") {
    // 6 units x 3 raters, all raters equal, several categories used.
    std::vector<double> v{1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 2, 2, 2, 1, 1, 1};
    const Ratings r{v, 6, 3};
    for (auto m : {Metric::nominal, Metric::ordinal, Metric::interval, Metric::ratio})
        CHECK(krippendorff_alpha(r, m).alpha == Approx(1.0));
    CHECK(fleiss_kappa(r).kappa == Approx(1.0));
    CHECK(conger_kappa(r) == Approx(1.0));
    std::vector<double> a{1, 2, 3, 4, 2, 1};
    for (auto w : {"none", "linear", "quadratic"}) CHECK(cohen_kappa(a, a, Weights::named(w)).kappa == Approx(1.0));
    CHECK(gwet_ac(r).coefficient == Approx(1.0));
    CHECK(gwet_ac(r, {}, Weights::named("quadratic")).coefficient == Approx(1.0));
    const IccTable t = icc(r);
    for (const auto& f : t.forms) CHECK(f.value == Approx(1.0));
    CHECK(kendall_w(r, true).w == Approx(1.0));
    CHECK(percent_agreement(r).all_agree == 1.0);
}
