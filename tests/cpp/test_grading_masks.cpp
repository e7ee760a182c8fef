// The default (bloc statuses only) kernel: division-free criterion tests and rules as
// bit masks must give the bits of the division-based kernels, for edge values too;
// details added later must be those of grading with details.
#include "support.hpp"

#include <certigraph/error.hpp>
#include <certigraph/grading/grader.hpp>

#include "grading/compiled.hpp"

#include <catch2/catch.hpp>

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

using namespace certigraph;

namespace {

constexpr float inf = std::numeric_limits<float>::infinity();
constexpr float not_a_number = std::numeric_limits<float>::quiet_NaN();

float up(float x, int n = 1) {
    for (int i = 0; i < n; ++i) x = std::nextafter(x, inf);
    return x;
}
float down(float x, int n = 1) {
    for (int i = 0; i < n; ++i) x = std::nextafter(x, -inf);
    return x;
}

/// Thresholds where `sum / d >= t` is delicate: halves, non-dyadic values, zero signs,
/// subnormals, the normal range's ends, infinities, NaN.
std::vector<float> edge_thresholds() {
    const float denorm = std::numeric_limits<float>::denorm_min(), least = std::numeric_limits<float>::min(),
                most = std::numeric_limits<float>::max();
    std::vector<float> out = {10.0f, 10.5f, 0.1f, 1.0f / 3.0f, 7.0f / 3.0f, 12.85f, 0.0f, -0.0f, -5.5f,
                              denorm, 3 * denorm, least, up(least), down(least), 2 * least, most, most / 2,
                              most / 3, -most, 1e30f, inf, -inf, not_a_number};
    for (float t : std::vector<float>(out)) out.push_back(up(t)), out.push_back(down(t));
    return out;
}

/// Sums around d·t (± a few ulps, ± a few units) and the special values.
std::vector<float> sums_near(float t, unsigned d) {
    std::vector<float> out = {0.0f, -0.0f, inf, -inf, not_a_number, std::numeric_limits<float>::denorm_min(),
                              -std::numeric_limits<float>::denorm_min()};
    for (float centre : {static_cast<float>(static_cast<double>(t) * d), t * static_cast<float>(d), t}) {
        for (int n = 0; n <= 4; ++n) out.push_back(up(centre, n)), out.push_back(down(centre, n));
        out.push_back(centre + 1), out.push_back(centre - 1);
    }
    return out;
}

Policy counting_policy(const std::string& fiche, double threshold, bool at_least, unsigned min_jurors) {
    Policy p;
    p.referentiel = fiche;
    p.scales["wide"] = Scale::numeric(-100, 100, threshold);
    p.default_scale = "wide";
    p.min_jurors = min_jurors;
    if (at_least) {
        p.competency_rule = Rule{.kind = RuleKind::at_least, .k = 1};
        p.bloc_rule = Rule{.kind = RuleKind::at_least, .k = 2};
    }
    return p;
}

/// Three blocs of 2-3 competencies of 1-3 criteria (17 criteria), not in order.
Referentiel three_blocs() {
    ReferentielBuilder b;
    b.certification({.code = "M1", .title = "Masques"});
    for (int i = 1; i <= 3; ++i) b.add(Bloc{.code = "M1BC0" + std::to_string(i), .title = "Bloc"});
    Epreuve e{.code = "E1", .title = "E"};
    int k = 0;
    for (int c = 0; c < 8; ++c) {
        const std::string code = "C" + std::to_string(c);
        b.add(Competency{.code = code, .title = code, .bloc = "M1BC0" + std::to_string(1 + c % 3)});
        e.evaluates.push_back(code);
        for (int n = 0; n < 1 + (c * 5) % 3; ++n, ++k)
            b.add(Criterion{.code = "K" + std::to_string(k), .title = "K", .competency = code});
    }
    b.add(std::move(e));
    return b.build();
}

/// `blocs` blocs over `criteria` criteria (one competency each), dealt round the blocs
/// out of order.
Referentiel dealt(std::size_t blocs, std::size_t criteria) {
    ReferentielBuilder b;
    b.certification({.code = "D1", .title = "Dealt"});
    for (std::size_t i = 0; i < blocs; ++i) b.add(Bloc{.code = "D1BC" + std::to_string(10 + i), .title = "Bloc"});
    Epreuve e{.code = "E1", .title = "E"};
    for (std::size_t k = 0; k < criteria; ++k) {
        const std::string code = "C" + std::to_string(k);
        const std::size_t bloc = k < blocs ? k : (k * 5 + k / 3) % blocs;
        b.add(Competency{.code = code, .title = code, .bloc = "D1BC" + std::to_string(10 + bloc)});
        e.evaluates.push_back(code);
        b.add(Criterion{.code = "K" + std::to_string(k), .title = "K", .competency = code});
    }
    b.add(std::move(e));
    return b.build();
}

}  // namespace

TEST_CASE("the smallest passing sum gives the division's answer for every sum", "[grading][masks]") {
    for (float t : edge_thresholds())
        for (unsigned d = 1; d <= 3; ++d) {
            const float least = detail::smallest_passing_sum(t, d);
            for (float s : sums_near(t, d)) {
                INFO("threshold " << t << " (bits " << std::hex << std::bit_cast<std::uint32_t>(t) << std::dec
                                  << "), " << d << " jurors, sum " << s);
                CHECK((s >= least) == (s / static_cast<float>(d) >= t));
            }
        }
}

TEST_CASE("bloc statuses without details equal the division-based kernels' at edge values",
          "[grading][masks][property]") {
    const Referentiel ref = three_blocs();
    const std::size_t C = ref.criteria().size();
    std::mt19937 rng(12);
    for (double threshold : {10.0, 10.5, 1.0 / 3.0, 0.1, 0.0, -7.25, 12.85})
        for (bool at_least : {false, true})
            for (unsigned min_jurors : {1u, 2u})
                for (std::size_t jurors : {1u, 2u, 3u, 4u}) {  // 4: the division path (no masks)
                    INFO("threshold " << threshold << ", at_least " << at_least << ", min_jurors " << min_jurors
                                      << ", jurors " << jurors);
                    const Grader g(ref, counting_policy("M1", threshold, at_least, min_jurors));
                    const float t = static_cast<float>(threshold);
                    // Values at the threshold, one ulp either side, pairs and triples whose sum is
                    // d·t give or take an ulp, far values and NaN (missing).
                    const std::vector<float> near = {t, up(t), down(t), up(t, 2), down(t, 2), t + 1, t - 1,
                                                     2 * t - up(t), 3 * t - 2 * t, -t, 0.0f, -0.0f, 100, -100, not_a_number};
                    Cohort c(900, C, jurors);
                    for (std::size_t r = 0; r < c.rows(); ++r)
                        for (std::size_t k = 0; k < C; ++k)
                            for (std::size_t j = 0; j < jurors; ++j) c.set_value(r, k, j, near[rng() % near.size()]);
                    const GradeResult bare = g.grade(c, {.threads = 1});  // the mask kernel
                    for (unsigned simd : {256u, 0u}) {  // its AVX2 and portable passes (where AVX-512 ran)
                        detail::limit_simd(simd);
                        const GradeResult narrower = g.grade(c, {.threads = 1});
                        detail::limit_simd(512);
                        CHECK(narrower == bare);
                    }
                    const GradeResult detailed = g.grade(c, {.threads = 1, .details = true});  // division
                    CHECK(bare.criterion_status.empty());
                    CHECK(bare.bloc_status == detailed.bloc_status);
                    // The same values at every offset from a cache line (the AVX-512 pass takes
                    // the pairs before the first aligned one one by one).
                    std::vector<float> shifted(c.rows() * C * jurors + 16);
                    for (std::size_t offset = 1; offset < 16; offset += jurors == 1 ? 1 : 3) {
                        std::copy(c.values(), c.values() + c.rows() * C * jurors, shifted.begin() + offset);
                        const Cohort view = Cohort::view(shifted.data() + offset, nullptr, c.rows(), C, jurors);
                        CHECK(g.grade(view, {.threads = 1}).bloc_status == bare.bloc_status);
                    }
                    GradeResult general = bare;  // the general block kernel, row by row
                    for (std::size_t r = 0; r < c.rows(); ++r) g.regrade(c, r, general);
                    CHECK(general.bloc_status == bare.bloc_status);
                    CHECK(g.grade(c, {.threads = 2}) == bare);
                    CHECK(g.grade(c, {.threads = 3}) == bare);
                }
}

TEST_CASE("details added later are the bits of grading with details", "[grading][masks][property]") {
    const Referentiel ref = three_blocs();
    const Grader g(ref, counting_policy("M1", 10.5, true, 1));
    std::mt19937 rng(3);
    Cohort c(1000, ref.criteria().size(), 2);
    for (std::size_t r = 0; r < c.rows(); ++r)
        for (std::size_t k = 0; k < c.criteria(); ++k)
            for (std::size_t j = 0; j < 2; ++j)
                if (rng() % 20) c.set_value(r, k, j, static_cast<float>(rng() % 41) / 2.0f);
    const GradeResult eager = g.grade(c, {.threads = 1, .details = true});
    for (unsigned threads : {1u, 2u, 3u}) {
        GradeResult lazy = g.grade(c, {.threads = threads});
        CHECK(lazy.criterion_value.empty());
        g.add_details(c, lazy, threads);
        CHECK(lazy == eager);
        g.add_details(c, lazy);  // already there: unchanged
        CHECK(lazy == eager);
    }
    // Values changed since grading: refused, not details of other values.
    GradeResult lazy = g.grade(c, {.threads = 1});
    for (std::size_t r = 0; r < c.rows(); ++r)
        for (std::size_t k = 0; k < c.criteria(); ++k) c.set_value(r, k, 0, 0.0f), c.set_value(r, k, 1, 0.0f);
    CHECK_THROWS_AS(g.add_details(c, lazy), GradingError);
}

TEST_CASE("bloc statuses of 'all' rules are the same bits for every count of blocs and criteria",
          "[grading][masks][property]") {
    // The AVX-512 rules take 8 rows at once, each row's bits from the stream's words
    // wherever they start; up to 8 blocs (stored as 1, 2, 4, 8 or other bytes a row).
    std::mt19937 rng(40514);
    for (std::size_t criteria : {1u, 7u, 30u, 56u, 57u, 63u, 64u})
        for (std::size_t blocs = 1; blocs <= std::min<std::size_t>(criteria, 9); ++blocs)
            for (std::size_t jurors : {1u, 2u}) {
                INFO(criteria << " criteria, " << blocs << " blocs, " << jurors << " jurors");
                const Referentiel ref = dealt(blocs, criteria);
                const Grader g(ref, counting_policy("D1", 10.0, false, jurors));
                Cohort c(203, criteria, jurors);  // not a multiple of 8 or 16
                for (std::size_t r = 0; r < c.rows(); ++r) {
                    const bool good = rng() % 3 == 0;  // every criterion met: whole blocs validated
                    for (std::size_t k = 0; k < criteria; ++k)
                        for (std::size_t j = 0; j < jurors; ++j)
                            if (good) c.set_value(r, k, j, 10.0f + static_cast<float>(rng() % 21) / 2.0f);
                            else if (rng() % 17) c.set_value(r, k, j, static_cast<float>(rng() % 41) / 2.0f);
                }
                const GradeResult bare = g.grade(c, {.threads = 1});
                detail::limit_simd(256);
                const GradeResult avx2 = g.grade(c, {.threads = 1});
                detail::limit_simd(512);
                CHECK(avx2 == bare);
                CHECK(g.grade(c, {.threads = 1, .details = true}).bloc_status == bare.bloc_status);
                CHECK(g.grade(c, {.threads = 3}) == bare);
                std::size_t met = 0;
                for (Status s : bare.bloc_status) met += s == Status::validated;
                CHECK(met > 0);
                std::vector<float> shifted(c.rows() * criteria * jurors + 16);
                for (std::size_t offset : {1u, 5u, 11u}) {
                    std::copy(c.values(), c.values() + c.rows() * criteria * jurors, shifted.begin() + offset);
                    const Cohort view = Cohort::view(shifted.data() + offset, nullptr, c.rows(), criteria, jurors);
                    CHECK(g.grade(view, {.threads = 1}).bloc_status == bare.bloc_status);
                }
            }
}
