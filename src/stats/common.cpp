// Distribution functions for the stats area (Boost.Math, header-only).
#include "stats/common.hpp"

#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/fisher_f.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>

namespace certigraph::stats {

std::string number_text(double v) {
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, v);
    return std::string(buffer, result.ptr);
}

std::string fixed_text(double v, int digits) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", digits, v);
    return buffer;
}

std::string p_text(double p) {
    if (p < 0.0001) return "p < 0.0001";
    return "p = " + fixed_text(p, 4);
}

namespace {
constexpr double nan = std::numeric_limits<double>::quiet_NaN();
}

double normal_sf(double z) {
    if (std::isnan(z)) return nan;
    if (std::isinf(z)) return z > 0 ? 0.0 : 1.0;
    return boost::math::cdf(boost::math::complement(boost::math::normal_distribution<double>(), z));
}

double student_t_sf(double t, double df) {
    if (std::isnan(t) || !(df > 0)) return nan;
    if (std::isinf(t)) return t > 0 ? 0.0 : 1.0;
    return boost::math::cdf(boost::math::complement(boost::math::students_t_distribution<double>(df), t));
}

double f_sf(double f, double df1, double df2) {
    if (std::isnan(f) || !(df1 > 0) || !(df2 > 0)) return nan;
    if (f <= 0) return 1.0;
    if (std::isinf(f)) return 0.0;
    return boost::math::cdf(boost::math::complement(boost::math::fisher_f_distribution<double>(df1, df2), f));
}

double f_quantile(double p, double df1, double df2) {
    if (!(df1 > 0) || !(df2 > 0) || std::isnan(p)) return nan;
    return boost::math::quantile(boost::math::fisher_f_distribution<double>(df1, df2), p);
}

double chi_square_sf(double x, double df) {
    if (std::isnan(x) || !(df > 0)) return nan;
    if (x <= 0) return 1.0;
    if (std::isinf(x)) return 0.0;
    return boost::math::cdf(boost::math::complement(boost::math::chi_squared_distribution<double>(df), x));
}

}  // namespace certigraph::stats
