// Juror severity (additive and Rasch) and the cohort-level statistics.
#include "support.hpp"

#include <certigraph/stats/cohort.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>

using namespace certigraph;
using namespace certigraph::stats;

namespace {

/// Candidates x criteria, each mark by two of `jurors` jurors (a rotating pair, so
/// the design is connected), score = mu + a_c + b_k - s_j (+ noise).
std::vector<Observation> simulate(std::size_t candidates, std::size_t criteria, const std::vector<double>& severity,
                                  double noise, unsigned seed, std::vector<double>* ability = nullptr) {
    std::mt19937 rng(seed);
    std::normal_distribution<double> n01(0, 1);
    std::vector<double> a(candidates), b(criteria);
    for (auto& x : a) x = 2 * n01(rng);
    for (auto& x : b) x = n01(rng);
    if (ability) *ability = a;
    std::vector<Observation> obs;
    const auto J = static_cast<std::uint32_t>(severity.size());
    for (std::uint32_t c = 0; c < candidates; ++c) {
        const std::uint32_t j1 = c % J, j2 = (c + 1 + c / J) % J == j1 ? (j1 + 1) % J : (c + 1 + c / J) % J;
        for (std::uint32_t k = 0; k < criteria; ++k)
            for (auto j : {j1, j2}) obs.push_back({c, j, k, 10 + a[c] + b[k] - severity[j] + noise * n01(rng)});
    }
    return obs;
}

}  // namespace

TEST_CASE("additive model: exact data give back the severities, centred, with tiny errors", "[stats][severity]") {
    const std::vector<double> s{0.5, -0.25, 1.0, -1.25};  // sums to 0
    auto obs = simulate(40, 3, s, 0.0, 1);
    // A little noise so that sigma > 0.
    std::mt19937 rng(3);
    std::normal_distribution<double> tiny(0, 1e-6);
    for (auto& o : obs) o.score += tiny(rng);
    const AdditiveModel m = additive_severity(obs);
    REQUIRE(m.jurors.size() == 4);
    for (std::size_t j = 0; j < 4; ++j) {
        CHECK(m.jurors[j].severity == Approx(s[j]).margin(1e-5));
        CHECK(m.jurors[j].se < 1e-5);
    }
    double sum = 0;
    for (double x : m.criterion_effects) sum += x;
    CHECK(sum == Approx(0).margin(1e-9));
    sum = 0;
    for (double x : m.candidate_effects) sum += x;
    CHECK(sum == Approx(0).margin(1e-9));
    CHECK(m.residual_df == obs.size() - 40 - 2 - 3);
}

TEST_CASE("additive model: a harsh juror is flagged with the reason, the others are not", "[stats][severity]") {
    const std::vector<double> s{-1.5, 0, 0, 0, 0, 0, 0, 1.5};  // sums to 0: the others sit at the centre
    const auto obs = simulate(200, 5, s, 1.0, 11);
    SeverityOptions o;
    o.juror_names = {"J1", "J2", "J3", "J4", "J5", "J6", "J7", "J8"};
    const AdditiveModel m = additive_severity(obs, o);
    CHECK(m.jurors[7].flagged);
    CHECK(m.jurors[7].severity > 1.0);
    CHECK_THAT(m.jurors[7].reason, Catch::StartsWith("harsher than the others: severity +"));
    CHECK(m.jurors[0].flagged);
    CHECK_THAT(m.jurors[0].reason, Catch::StartsWith("more lenient than the others: severity -"));
    std::size_t flagged = 0;
    for (const auto& j : m.jurors) flagged += j.flagged;
    CHECK(flagged <= 3);  // J1, J8, and at most one false alarm at the 5 % level
    // Severity and standard errors match a direct reading: se ~ sigma / sqrt(marks) order.
    CHECK(m.sigma == Approx(1.0).margin(0.1));
    // The same inputs give the same bits.
    const AdditiveModel again = additive_severity(obs, o);
    for (std::size_t j = 0; j < m.jurors.size(); ++j) {
        CHECK(again.jurors[j].severity == m.jurors[j].severity);
        CHECK(again.jurors[j].se == m.jurors[j].se);
    }
}

TEST_CASE("additive model: the order of the marks changes nothing", "[stats][severity]") {
    auto obs = simulate(60, 4, {0.3, -0.3, 0.6, -0.6, 0}, 0.8, 5);
    const AdditiveModel m = additive_severity(obs);
    std::mt19937 rng(9);
    std::shuffle(obs.begin(), obs.end(), rng);
    const AdditiveModel p = additive_severity(obs);
    for (std::size_t j = 0; j < m.jurors.size(); ++j) {
        CHECK(p.jurors[j].severity == Approx(m.jurors[j].severity).margin(1e-10));
        CHECK(p.jurors[j].se == Approx(m.jurors[j].se).margin(1e-10));
    }
    CHECK(p.mu == Approx(m.mu).margin(1e-10));
}

TEST_CASE("a disconnected design is refused, naming the groups", "[stats][severity]") {
    // Jurors A, B mark candidates 0-1; jurors C, D mark candidates 2-3.
    std::vector<Observation> obs;
    for (std::uint32_t c = 0; c < 4; ++c)
        for (std::uint32_t j : {c < 2 ? 0u : 2u, c < 2 ? 1u : 3u}) obs.push_back({c, j, 0, 10.0 + c + j});
    SeverityOptions o;
    o.juror_names = {"A", "B", "C", "D"};
    o.candidate_names = {"C001", "C002", "C003", "C004"};
    try {
        additive_severity(obs, o);
        FAIL("no exception");
    } catch (const DisconnectedDesign& e) {
        CHECK_THAT(e.what(), Catch::Contains("group 1: jurors A B; candidates C001, C002"));
        CHECK_THAT(e.what(), Catch::Contains("group 2: jurors C D; candidates C003, C004"));
        REQUIRE(e.groups.size() == 2);
        CHECK(e.groups[1] == std::vector<std::uint32_t>{2, 3});
    }
    CHECK_THROWS_AS(rasch_severity(obs, o), DisconnectedDesign);
}

TEST_CASE("confounded criterion and juror effects are refused", "[stats][severity]") {
    // Criterion 0 only by jurors 0 and 1, criterion 1 only by jurors 2 and 3, all on every candidate.
    std::vector<Observation> obs;
    for (std::uint32_t c = 0; c < 5; ++c)
        for (std::uint32_t j = 0; j < 4; ++j) obs.push_back({c, j, j / 2, static_cast<double>(c + j) + 0.1 * (c % 2)});
    CHECK_THROWS_WITH(additive_severity(obs), Catch::Contains("confounded"));
    std::vector<Observation> bad{{0, 0, 0, std::nan("")}};
    CHECK_THROWS_WITH(additive_severity(bad), Catch::Contains("mark 0 (candidate 0, juror 0, criterion 0) is nan"));
}

TEST_CASE("Rasch JMLE recovers simulated juror severities; fit statistics near 1", "[stats][severity]") {
    // Rating scale 0..3, thresholds -1, 0, 1; severities in logits.
    const std::vector<double> sev{-0.6, 0.0, 0.2, 0.4};
    const std::vector<double> F{0, -1.0, 0.0, 1.0};
    std::mt19937 rng(42);
    std::normal_distribution<double> n01(0, 1);
    std::uniform_real_distribution<double> u01(0, 1);
    std::vector<Observation> obs;
    const std::size_t candidates = 600, criteria = 4;
    const std::vector<double> difficulty{-0.5, 0.0, 0.2, 0.3};
    for (std::uint32_t c = 0; c < candidates; ++c) {
        const double b = n01(rng);
        for (std::uint32_t k = 0; k < criteria; ++k)
            for (std::uint32_t j : {c % 4, (c + 1 + (c / 4) % 3) % 4}) {
                const double theta = b - difficulty[k] - sev[j];
                double p[4], acc = 0, z = 0;
                for (int x = 0; x < 4; ++x) {
                    acc += F[static_cast<std::size_t>(x)];
                    p[x] = std::exp(x * theta - (x ? acc : 0.0));
                    z += p[x];
                }
                double r = u01(rng) * z;
                int x = 0;
                while (x < 3 && r > p[x]) r -= p[x++];
                obs.push_back({c, j, k, static_cast<double>(x) + 1});  // categories 1..4
            }
    }
    const RaschModel m = rasch_severity(obs);
    CHECK(m.converged);
    CHECK(m.minimum_category == 1);
    REQUIRE(m.jurors.size() == 4);
    for (std::size_t j = 0; j < 4; ++j) {
        INFO("juror " << j);
        CHECK(m.jurors[j].severity == Approx(sev[j] - 0.0).margin(0.15));  // sev sums to 0
        CHECK(m.jurors[j].infit == Approx(1.0).margin(0.15));
        CHECK(m.jurors[j].outfit == Approx(1.0).margin(0.2));
        CHECK(m.jurors[j].se > 0);
    }
    double sum = 0;
    for (double t : m.thresholds) sum += t;
    CHECK(sum == Approx(0).margin(1e-9));
    CHECK(m.thresholds[0] < m.thresholds[1]);
    CHECK(m.thresholds[1] < m.thresholds[2]);
    CHECK(m.jurors[0].flagged);  // -0.6 logit on ~1,200 marks: lenient
    CHECK_THAT(m.jurors[0].reason, Catch::StartsWith("more lenient than the others"));
    // Non-integer marks are refused with the fix.
    std::vector<Observation> half{{0, 0, 0, 1.5}, {0, 1, 0, 2}};
    CHECK_THROWS_WITH(rasch_severity(half), Catch::Contains("use model=\"additive\""));
}

TEST_CASE("cohort agreement equals alpha on the same marks, per criterion and pooled", "[stats][cohort]") {
    const Referentiel ref = test::rncp40514();
    const std::size_t C = ref.criteria().size(), R = 50, J = 2;
    Cohort cohort(R, C, J);
    std::mt19937 rng(8);
    std::uniform_int_distribution<int> mark(0, 20);
    for (std::size_t r = 0; r < R; ++r)
        for (std::size_t c = 0; c < C; ++c) {
            const int base = mark(rng);
            cohort.set_value(r, c, 0, static_cast<float>(base));
            if ((r + c) % 7 != 0) cohort.set_value(r, c, 1, static_cast<float>(std::clamp(base + (mark(rng) % 5) - 2, 0, 20)));
        }
    cohort.set_mark(3, 0, 1, Mark::absent);  // absent: not a value
    cohort.set_value(3, 0, 1, 0.0f);
    for (auto metric : {Metric::interval, Metric::nominal, Metric::ordinal, Metric::ratio}) {
        INFO(to_string(metric));
        const auto rows = cohort_agreement(ref, cohort, {Level::criterion, metric});
        REQUIRE(rows.size() == C);
        for (std::size_t c = 0; c < C; ++c) {
            std::vector<double> v(R * J);
            for (std::size_t r = 0; r < R; ++r)
                for (std::size_t s = 0; s < J; ++s)
                    v[r * J + s] = cohort.mark(r, c, s) == Mark::value ? cohort.value(r, c, s) : std::nan("");
            const Alpha a = krippendorff_alpha({v, R, J}, metric);
            CHECK(rows[c].alpha.alpha == Approx(a.alpha).margin(1e-12));
            CHECK(rows[c].alpha.pairable_values == a.pairable_values);
            CHECK(rows[c].code == ref.criteria()[c].code);
        }
        // A bloc pools the (candidate, criterion) units of its criteria.
        const auto blocs = cohort_agreement(ref, cohort, {Level::bloc, metric});
        REQUIRE(blocs.size() == ref.blocs().size());
        const auto crits = ref.criteria_of_bloc(1);
        std::vector<double> v;
        for (std::size_t r = 0; r < R; ++r)
            for (auto c : crits)
                for (std::size_t s = 0; s < J; ++s)
                    v.push_back(cohort.mark(r, c, s) == Mark::value ? cohort.value(r, c, s) : std::nan(""));
        CHECK(blocs[1].alpha.alpha == Approx(krippendorff_alpha({v, R * crits.size(), J}, metric).alpha).margin(1e-12));
    }
    CHECK(cohort_agreement(ref, cohort, {Level::epreuve, Metric::interval}).size() == ref.epreuves().size());
    Cohort wrong(2, 3, 2);
    CHECK_THROWS_WITH(cohort_agreement(ref, wrong), Catch::Contains("the cohort has 3 criteria"));
}

TEST_CASE("cohort observations name the jurors of the evaluations file, else the slots", "[stats][cohort]") {
    Cohort cohort(2, 1, 2);
    cohort.set_value(0, 0, 0, 10);
    cohort.set_value(0, 0, 1, 12);
    cohort.set_value(1, 0, 0, 8);
    std::vector<std::string> names;
    auto obs = cohort_observations(cohort, names);
    CHECK(obs.size() == 3);
    CHECK(names == std::vector<std::string>{"slot 1", "slot 2"});
    cohort.set_juror(0, 0, 0, "Dupont");
    cohort.set_juror(0, 0, 1, "Martin");
    cohort.set_juror(1, 0, 0, "Martin");
    obs = cohort_observations(cohort, names);
    CHECK(names == std::vector<std::string>{"Dupont", "Martin"});
    CHECK(obs[2].juror == 1);
}

TEST_CASE("cohort agreement refuses a non-interval metric on too many distinct marks", "[stats][cohort]") {
    const Referentiel ref = test::rncp40514();
    Cohort cohort(600, ref.criteria().size(), 2);
    for (std::size_t r = 0; r < 600; ++r) {
        cohort.set_value(r, 0, 0, static_cast<float>(r) / 7.0f);
        cohort.set_value(r, 0, 1, static_cast<float>(r) / 7.0f + 0.01f);
    }
    CHECK_THROWS_WITH(cohort_agreement(ref, cohort, {Level::criterion, Metric::ordinal}),
                      Catch::Contains("use the interval metric"));
    const auto rows = cohort_agreement(ref, cohort, {Level::criterion, Metric::interval});
    CHECK(rows[0].alpha.alpha > 0.99);
    CHECK(std::isnan(rows[1].alpha.alpha));  // no marks at all
    CHECK(rows[1].units == 0);
}

TEST_CASE("cohort severity per bloc fits each bloc's marks and reports a failed level", "[stats][cohort]") {
    const Referentiel ref = test::rncp40514();
    const std::size_t C = ref.criteria().size(), R = 120;
    Cohort cohort(R, C, 2);
    const std::vector<std::string> names{"Ana", "Bo", "Cy", "Di"};
    std::vector<std::uint32_t> ids;
    for (const auto& n : names) ids.push_back(cohort.juror_id(n));
    std::mt19937 rng(2);
    std::normal_distribution<double> n01(0, 1);
    const auto bloc1 = ref.criteria_of_bloc(0);
    for (std::size_t r = 0; r < R; ++r) {
        const double level = 12 + 2 * n01(rng);
        const std::uint32_t j1 = static_cast<std::uint32_t>(r % 4), j2 = static_cast<std::uint32_t>((r + 1) % 4);
        for (std::size_t c = 0; c < C; ++c) {
            // Di is 2 marks harsher, in bloc 1 only; bloc 4's last criterion has one juror only.
            const bool in_bloc1 = std::find(bloc1.begin(), bloc1.end(), c) != bloc1.end();
            std::size_t s = 0;
            for (auto j : {j1, j2}) {
                if (c == C - 1 && s == 1) break;
                const double harsh = (j == 3 && in_bloc1) ? 2.0 : 0.0;
                cohort.set_value(r, c, s, static_cast<float>(level - harsh + 0.5 * n01(rng)));
                cohort.set_juror(r, c, s, ids[j]);
                ++s;
            }
        }
    }
    std::vector<std::string> juror_names;
    const auto blocs = cohort_severity(ref, cohort, Level::bloc, SeverityModel::additive, {}, juror_names);
    REQUIRE(blocs.size() == 4);
    CHECK(juror_names == names);
    REQUIRE(blocs[0].jurors.size() == 4);
    CHECK(blocs[0].jurors[3].flagged);
    CHECK(blocs[0].jurors[3].severity == Approx(1.5).margin(0.2));  // +2 against the others, centred: 2 * 3/4
    CHECK_FALSE(blocs[1].jurors[3].flagged);
    const auto criteria = cohort_severity(ref, cohort, Level::criterion, SeverityModel::additive, {}, juror_names);
    CHECK(criteria.back().jurors.empty());
    CHECK_THAT(criteria.back().error, Catch::Contains("disconnected"));
    CHECK(criteria.front().error.empty());
}
