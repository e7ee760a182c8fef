// Jury-quality statistics at scale, on one core:
//  1. Krippendorff's alpha (interval) of each of the 30 criteria of a cohort of N
//     candidates x 2 juror slots (issue 11 target: N = 1,000,000 in <= 1 s), by
//     cohort_agreement (closed-form partial sums), and for reference the general
//     coincidence-matrix path on the first criterion;
//  2. the additive severity model on M candidates x 30 criteria x 2 jurors drawn from
//     40 (target: M = 100,000 in <= 2 s).
//
//   bench_stats [--rows N] [--severity-rows M] [--repeat R] [--smoke]
#include <certigraph/certigraph.hpp>

#include "cohort_generator.hpp"

#include <chrono>
#include <ctime>
#include <cmath>
#include <cstring>
#include <iomanip>
#include <iostream>
#include <random>
#include <string>
#include <vector>

using namespace certigraph;
using clock_type = std::chrono::steady_clock;

namespace {

double seconds_since(clock_type::time_point start) {
    return std::chrono::duration<double>(clock_type::now() - start).count();
}

/// CPU time of this process: on a shared, busy machine the wall clock also counts
/// the time other engineers' jobs held the core.
double cpu_seconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

}  // namespace

int main(int argc, char** argv) {
    std::size_t rows = 1'000'000, severity_rows = 100'000, repeat = 3;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--rows" && i + 1 < argc) rows = std::stoul(argv[++i]);
        else if (a == "--severity-rows" && i + 1 < argc) severity_rows = std::stoul(argv[++i]);
        else if (a == "--repeat" && i + 1 < argc) repeat = std::stoul(argv[++i]);
        else if (a == "--smoke") rows = 20'000, severity_rows = 2'000, repeat = 1;
        else {
            std::cerr << "usage: bench_stats [--rows N] [--severity-rows M] [--repeat R] [--smoke]\n";
            return 2;
        }
    }
    const Referentiel ref = io::load_referentiel(CERTIGRAPH_EXAMPLES "/referentiels/rncp40514.json");
    const std::size_t C = ref.criteria().size(), J = 2;

    // 1. Alpha per criterion.
    const auto values = bench::generate_cohort(rows, C, J, 11);
    const Cohort cohort = Cohort::view(values.data(), nullptr, rows, C, J);
    double best = 1e300, best_cpu = 1e300;
    std::vector<stats::LevelAgreement> result;
    for (std::size_t r = 0; r < repeat; ++r) {
        const auto start = clock_type::now();
        const double cpu = cpu_seconds();
        result = stats::cohort_agreement(ref, cohort, {stats::Level::criterion, stats::Metric::interval});
        best = std::min(best, seconds_since(start));
        best_cpu = std::min(best_cpu, cpu_seconds() - cpu);
    }
    std::cout << std::fixed << std::setprecision(3);
    std::cout << "alpha (interval) of " << C << " criteria x " << rows << " candidates x " << J
              << " jurors: " << best << " s wall, " << best_cpu << " s CPU (best of " << repeat << "), " << values.size() * 4 / 1e6 << " MB; "
              << "A1E1 alpha = " << std::setprecision(10) << result[0].alpha.alpha << std::setprecision(3) << '\n';
    {
        // The general coincidence-matrix path on criterion 0, for comparison.
        std::vector<double> v(rows * J);
        for (std::size_t i = 0; i < rows; ++i)
            for (std::size_t j = 0; j < J; ++j) v[i * J + j] = values[(i * C + 0) * J + j];
        const double cpu = cpu_seconds();
        const auto a = stats::krippendorff_alpha({v, rows, J}, stats::Metric::interval);
        const double t = cpu_seconds() - cpu;
        std::cout << "  general coincidence path, criterion A1E1 alone: " << t << " s CPU, alpha = " << std::setprecision(10)
                  << a.alpha << std::setprecision(3) << " (|difference| " << std::scientific
                  << std::fabs(a.alpha - result[0].alpha.alpha) << std::fixed << ")\n";
    }
    for (auto level : {stats::Level::bloc}) {
        const double cpu = cpu_seconds();
        const auto blocs = stats::cohort_agreement(ref, cohort, {level, stats::Metric::ordinal});
        std::cout << "  ordinal alpha of the " << blocs.size() << " blocs (coincidence matrices): "
                  << cpu_seconds() - cpu << " s CPU\n";
    }

    // 2. Additive severity: each candidate meets 2 of 40 jurors.
    std::mt19937_64 rng(5);
    std::normal_distribution<double> n01(0, 1);
    std::uniform_int_distribution<std::uint32_t> pick(0, 39), other(1, 39);
    std::vector<double> severity(40), difficulty(C);
    for (auto& s : severity) s = 0.8 * n01(rng);
    for (auto& d : difficulty) d = 1.5 * n01(rng);
    std::vector<stats::Observation> obs;
    obs.reserve(severity_rows * C * J);
    for (std::uint32_t c = 0; c < severity_rows; ++c) {
        const double level = 11.5 + 3 * n01(rng);
        const std::uint32_t j1 = pick(rng), j2 = (j1 + other(rng)) % 40;
        for (std::uint32_t k = 0; k < C; ++k)
            for (auto j : {j1, j2})
                obs.push_back({c, j, k, std::round(2 * (level - difficulty[k] - severity[j] + 1.2 * n01(rng))) / 2});
    }
    best = 1e300, best_cpu = 1e300;
    stats::AdditiveModel fit;
    for (std::size_t r = 0; r < repeat; ++r) {
        const auto start = clock_type::now();
        const double cpu = cpu_seconds();
        fit = stats::additive_severity(obs);
        best = std::min(best, seconds_since(start));
        best_cpu = std::min(best_cpu, cpu_seconds() - cpu);
    }
    double mean = 0, worst = 0;
    for (double s : severity) mean += s / 40;
    for (const auto& j : fit.jurors) worst = std::max(worst, std::fabs(j.severity - (severity[j.juror] - mean)));
    std::cout << "additive severity, " << severity_rows << " candidates x " << C << " criteria x 2 of 40 jurors ("
              << obs.size() << " marks): " << best << " s wall, " << best_cpu << " s CPU (best of " << repeat
              << "); largest |estimate - simulated| = " << worst << '\n';
    return 0;
}
