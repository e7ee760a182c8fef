// Realistic synthetic cohorts for the benchmarks (not for tests of correctness).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

namespace bench {

/// rows x criteria x jurors float32 values on the 0-20 scale by half points: each
/// candidate has a level ~ N(11.5, 3), each criterion a difficulty ~ N(0, 1.5),
/// each juror a severity ~ N(0, 1), plus noise ~ N(0, 1.5); ~2 % of values missing.
inline std::vector<float> generate_cohort(std::size_t rows, std::size_t criteria,
                                          std::size_t jurors, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> level(11.5, 3.0), difficulty(0.0, 1.5), severity(0.0, 1.0),
        noise(0.0, 1.5);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    std::vector<double> criterion_difficulty(criteria), juror_severity(jurors);
    for (auto& d : criterion_difficulty) d = difficulty(rng);
    for (auto& s : juror_severity) s = severity(rng);
    std::vector<float> values(rows * criteria * jurors);
    std::size_t i = 0;
    for (std::size_t r = 0; r < rows; ++r) {
        const double l = level(rng);
        for (std::size_t k = 0; k < criteria; ++k)
            for (std::size_t j = 0; j < jurors; ++j, ++i) {
                if (uniform(rng) < 0.02) {
                    values[i] = std::numeric_limits<float>::quiet_NaN();
                    continue;
                }
                const double v = l - criterion_difficulty[k] - juror_severity[j] + noise(rng);
                values[i] = static_cast<float>(std::round(std::clamp(v, 0.0, 20.0) * 2.0) / 2.0);
            }
    }
    return values;
}

}  // namespace bench
