// Shrout-Fleiss ICCs (with F tests and intervals as psych::ICC) and Kendall's W.
#include <certigraph/stats/agreement.hpp>

#include "stats/common.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <numeric>

namespace certigraph::stats {

namespace {

/// Rows of `r` with every mark present.
std::vector<std::size_t> complete_rows(const Ratings& r) {
    std::vector<std::size_t> rows;
    for (std::size_t u = 0; u < r.units; ++u) {
        bool complete = true;
        for (std::size_t j = 0; j < r.raters; ++j) complete = complete && !std::isnan(r.at(u, j));
        if (complete) rows.push_back(u);
    }
    return rows;
}

std::string compact(std::string_view name) {
    std::string out;
    for (char c : name)
        if (c != ' ' && c != '(' && c != ')' && c != ',') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace

const IccForm& IccTable::form(std::string_view name) const {
    const std::string key = compact(name);
    for (const auto& f : forms)
        if (compact(f.name) == key) return f;
    throw StatsError("ICC form '" + std::string(name) +
                     "': use ICC(1,1), ICC(2,1), ICC(3,1), ICC(1,k), ICC(2,k) or ICC(3,k)");
}

IccTable icc(const Ratings& r, double confidence) {
    r.check();
    const auto rows = complete_rows(r);
    const std::size_t n = rows.size(), k = r.raters;
    if (n < 2 || k < 2)
        throw StatsError("icc: " + std::to_string(n) + " complete targets x " + std::to_string(k) +
                         " judges; at least 2 x 2 are needed (targets with a missing mark are left out)");
    const double dn = static_cast<double>(n), dk = static_cast<double>(k);
    double grand = 0;
    std::vector<double> row_mean(n, 0.0), col_mean(k, 0.0);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < k; ++j) {
            const double v = r.at(rows[i], j);
            grand += v;
            row_mean[i] += v / dk;
            col_mean[j] += v / dn;
        }
    grand /= dn * dk;
    double ss_rows = 0, ss_cols = 0, ss_total = 0;
    for (std::size_t i = 0; i < n; ++i) ss_rows += dk * (row_mean[i] - grand) * (row_mean[i] - grand);
    for (std::size_t j = 0; j < k; ++j) ss_cols += dn * (col_mean[j] - grand) * (col_mean[j] - grand);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < k; ++j) {
            const double d = r.at(rows[i], j) - grand;
            ss_total += d * d;
        }
    const double ss_error = ss_total - ss_rows - ss_cols;
    const double msr = ss_rows / (dn - 1), msc = ss_cols / (dk - 1);
    const double mse = ss_error / ((dn - 1) * (dk - 1));
    const double msw = (ss_cols + ss_error) / (dn * (dk - 1));

    IccTable t;
    t.targets = n;
    t.judges = k;
    t.dropped = r.units - n;
    t.ms_rows = msr;
    t.ms_cols = msc;
    t.ms_error = mse;
    t.ms_within = msw;
    const double a = 1 - confidence;
    const double q = 1 - a / 2;

    // One-way.
    const double f1 = msr / msw, df11 = dn - 1, df12 = dn * (dk - 1);
    const double icc1 = (msr - msw) / (msr + (dk - 1) * msw);
    const double fl1 = f1 / f_quantile(q, df11, df12), fu1 = f1 * f_quantile(q, df12, df11);
    // Two-way.
    const double f3 = msr / mse, df31 = dn - 1, df32 = (dn - 1) * (dk - 1);
    const double icc3 = (msr - mse) / (msr + (dk - 1) * mse);
    const double fl3 = f3 / f_quantile(q, df31, df32), fu3 = f3 * f_quantile(q, df32, df31);
    const double icc2 = (msr - mse) / (msr + (dk - 1) * mse + dk * (msc - mse) / dn);
    // ICC(2,1) interval: Satterthwaite degrees of freedom (Shrout & Fleiss 1979; psych).
    const double fj = msc / mse;
    const double vn = (dk - 1) * (dn - 1) *
                      std::pow(dk * icc2 * fj + dn * (1 + (dk - 1) * icc2) - dk * icc2, 2);
    const double vd = (dn - 1) * dk * dk * icc2 * icc2 * fj * fj + std::pow(dn * (1 + (dk - 1) * icc2) - dk * icc2, 2);
    const double v = vn / vd;
    const double f2u = f_quantile(q, dn - 1, v), f2l = f_quantile(q, v, dn - 1);
    const double l2 = dn * (msr - f2u * mse) / (f2u * (dk * msc + (dk * dn - dk - dn) * mse) + dn * msr);
    const double u2 = dn * (f2l * msr - mse) / (dk * msc + (dk * dn - dk - dn) * mse + dn * f2l * msr);

    auto make = [&](const char* name, const char* description, double value, double f, double d1, double d2,
                    double lo, double hi) {
        return IccForm{name, description, value, f, d1, d2, f_sf(f, d1, d2), lo, hi};
    };
    t.forms[0] = make("ICC(1,1)", "one-way random, single judge", icc1, f1, df11, df12,
                      (fl1 - 1) / (fl1 + dk - 1), (fu1 - 1) / (fu1 + dk - 1));
    t.forms[1] = make("ICC(2,1)", "two-way random, absolute agreement, single judge", icc2, f3, df31, df32, l2, u2);
    t.forms[2] = make("ICC(3,1)", "two-way mixed, consistency, single judge", icc3, f3, df31, df32,
                      (fl3 - 1) / (fl3 + dk - 1), (fu3 - 1) / (fu3 + dk - 1));
    t.forms[3] = make("ICC(1,k)", "one-way random, mean of k judges", (msr - msw) / msr, f1, df11, df12,
                      1 - 1 / fl1, 1 - 1 / fu1);
    t.forms[4] = make("ICC(2,k)", "two-way random, absolute agreement, mean of k judges",
                      (msr - mse) / (msr + (msc - mse) / dn), f3, df31, df32, l2 * dk / (1 + l2 * (dk - 1)),
                      u2 * dk / (1 + u2 * (dk - 1)));
    t.forms[5] = make("ICC(3,k)", "two-way mixed, consistency, mean of k judges", (msr - mse) / msr, f3, df31, df32,
                      1 - 1 / fl3, 1 - 1 / fu3);
    return t;
}

KendallW kendall_w(const Ratings& r, bool tie_correction) {
    r.check();
    const auto rows = complete_rows(r);
    const std::size_t n = rows.size(), m = r.raters;
    if (n < 2 || m < 2)
        throw StatsError("kendall_w: " + std::to_string(n) + " complete objects x " + std::to_string(m) +
                         " judges; at least 2 x 2 are needed (objects with a missing mark are left out)");
    std::vector<double> rank_sum(n, 0.0);
    std::vector<std::size_t> order(n);
    double ties = 0;
    for (std::size_t j = 0; j < m; ++j) {
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t a, std::size_t b) { return r.at(rows[a], j) < r.at(rows[b], j); });
        for (std::size_t s = 0; s < n;) {
            std::size_t e = s;
            while (e + 1 < n && r.at(rows[order[e + 1]], j) == r.at(rows[order[s]], j)) ++e;
            const double mid = (static_cast<double>(s) + static_cast<double>(e)) / 2.0 + 1.0;
            for (std::size_t i = s; i <= e; ++i) rank_sum[order[i]] += mid;
            const double t = static_cast<double>(e - s + 1);
            ties += t * t * t - t;
            s = e + 1;
        }
    }
    const double dn = static_cast<double>(n), dm = static_cast<double>(m);
    const double mean = dm * (dn + 1) / 2;
    double s = 0;
    for (double x : rank_sum) s += (x - mean) * (x - mean);
    double denominator = dm * dm * (dn * dn * dn - dn);
    if (tie_correction) denominator -= dm * ties;
    KendallW w;
    w.objects = n;
    w.judges = m;
    w.dropped = r.units - n;
    w.tie_corrected = tie_correction;
    w.w = 12 * s / denominator;
    w.df = dn - 1;
    w.chi_square = dm * (dn - 1) * w.w;
    w.p_value = chi_square_sf(w.chi_square, w.df);
    return w;
}

}  // namespace certigraph::stats
