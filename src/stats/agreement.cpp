// Krippendorff's alpha, Fleiss'/Conger's/Cohen's kappas, Gwet's AC, percent agreement.
#include <certigraph/stats/agreement.hpp>

#include "stats/common.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace certigraph::stats {

namespace {
constexpr double nan = std::numeric_limits<double>::quiet_NaN();
}  // namespace

void Ratings::check(std::string_view what) const {
    if (values.size() != units * raters)
        throw StatsError(std::string(what) + ": " + std::to_string(values.size()) + " values for " +
                         std::to_string(units) + " units x " + std::to_string(raters) +
                         " raters; pass a units x raters array");
}

Metric metric_from_string(std::string_view name) {
    if (name == "nominal") return Metric::nominal;
    if (name == "ordinal") return Metric::ordinal;
    if (name == "interval") return Metric::interval;
    if (name == "ratio") return Metric::ratio;
    throw StatsError("metric '" + std::string(name) + "': use nominal, ordinal, interval or ratio");
}

std::string_view to_string(Metric metric) {
    switch (metric) {
        case Metric::nominal: return "nominal";
        case Metric::ordinal: return "ordinal";
        case Metric::interval: return "interval";
        case Metric::ratio: return "ratio";
    }
    return "?";
}

// --- Krippendorff ------------------------------------------------------------------

Coincidences coincidence_matrix(const Ratings& r) {
    r.check();
    Coincidences out;
    // Domain: values of pairable units only.
    std::vector<double> domain;
    std::vector<double> row;
    for (std::size_t u = 0; u < r.units; ++u) {
        row.clear();
        for (std::size_t j = 0; j < r.raters; ++j)
            if (!std::isnan(r.at(u, j))) row.push_back(r.at(u, j));
        if (row.size() >= 2) domain.insert(domain.end(), row.begin(), row.end());
    }
    std::sort(domain.begin(), domain.end());
    domain.erase(std::unique(domain.begin(), domain.end()), domain.end());
    const std::size_t q = domain.size();
    out.values = domain;
    out.matrix = {std::vector<double>(q * q, 0.0), q, q};
    std::vector<double> counts(q);
    std::vector<std::size_t> seen;
    for (std::size_t u = 0; u < r.units; ++u) {
        seen.clear();
        for (std::size_t j = 0; j < r.raters; ++j) {
            const double v = r.at(u, j);
            if (std::isnan(v)) continue;
            seen.push_back(static_cast<std::size_t>(std::lower_bound(domain.begin(), domain.end(), v) - domain.begin()));
        }
        const std::size_t m = seen.size();
        if (m < 2) continue;
        for (auto c : seen) counts[c] += 1;
        const double scale = 1.0 / static_cast<double>(m - 1);
        std::sort(seen.begin(), seen.end());
        seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
        for (auto c : seen)
            for (auto k : seen)
                out.matrix.at(c, k) += (c == k ? counts[c] * (counts[c] - 1) : counts[c] * counts[k]) * scale;
        for (auto c : seen) counts[c] = 0;
    }
    return out;
}

Alpha alpha_from_coincidences(const Coincidences& co, Metric metric) {
    const std::size_t q = co.values.size();
    std::vector<double> marg(q, 0.0);
    double n = 0;
    for (std::size_t c = 0; c < q; ++c) {
        for (std::size_t k = 0; k < q; ++k) marg[c] += co.matrix.at(c, k);
        n += marg[c];
    }
    // delta^2 by metric
    std::vector<double> cum(q + 1, 0.0);
    for (std::size_t c = 0; c < q; ++c) cum[c + 1] = cum[c] + marg[c];
    auto delta2 = [&](std::size_t c, std::size_t k) -> double {
        if (c == k) return 0.0;
        const double a = co.values[c], b = co.values[k];
        switch (metric) {
            case Metric::nominal: return 1.0;
            case Metric::ordinal: {
                const std::size_t lo = std::min(c, k), hi = std::max(c, k);
                const double s = cum[hi + 1] - cum[lo] - (marg[lo] + marg[hi]) / 2.0;
                return s * s;
            }
            case Metric::interval: return (a - b) * (a - b);
            case Metric::ratio: {
                const double s = a + b;
                return s == 0 ? 0.0 : ((a - b) / s) * ((a - b) / s);
            }
        }
        return 0.0;
    };
    double d_o = 0, d_e = 0;
    for (std::size_t c = 0; c < q; ++c)
        for (std::size_t k = 0; k < q; ++k) {
            if (c == k) continue;
            const double d = delta2(c, k);
            d_o += co.matrix.at(c, k) * d;
            d_e += marg[c] * marg[k] * d;
        }
    Alpha a;
    a.pairable_values = static_cast<std::size_t>(std::llround(n));
    a.observed_disagreement = n > 0 ? d_o / n : nan;
    a.expected_disagreement = n > 1 ? d_e / (n * (n - 1)) : nan;
    a.alpha = (n > 1 && d_e > 0) ? 1.0 - (n - 1) * d_o / d_e : nan;
    return a;
}

Alpha krippendorff_alpha(const Ratings& r, Metric metric) {
    Alpha a = alpha_from_coincidences(coincidence_matrix(r), metric);
    std::size_t units = 0;
    for (std::size_t u = 0; u < r.units; ++u) {
        std::size_t m = 0;
        for (std::size_t j = 0; j < r.raters; ++j) m += !std::isnan(r.at(u, j));
        units += m >= 2;
    }
    a.pairable_units = units;
    return a;
}

// --- categories ---------------------------------------------------------------------

namespace {

std::vector<double> category_set(const Ratings& r, std::span<const double> given, std::string_view what) {
    std::vector<double> cats;
    if (!given.empty()) {
        cats.assign(given.begin(), given.end());
        for (std::size_t i = 0; i < cats.size(); ++i) {
            if (std::isnan(cats[i])) throw StatsError(std::string(what) + ": category " + std::to_string(i) + " is NaN");
            for (std::size_t k = 0; k < i; ++k)
                if (cats[k] == cats[i])
                    throw StatsError(std::string(what) + ": category " + number_text(cats[i]) +
                                     " listed twice; list each category once");
        }
        for (std::size_t u = 0; u < r.units; ++u)
            for (std::size_t j = 0; j < r.raters; ++j) {
                const double v = r.at(u, j);
                if (!std::isnan(v) && std::find(cats.begin(), cats.end(), v) == cats.end())
                    throw StatsError(std::string(what) + ": unit " + std::to_string(u) + ", rater " +
                                     std::to_string(j) + " holds " + number_text(v) +
                                     ", which is not in the category set; add it to categories");
            }
        return cats;
    }
    for (double v : r.values)
        if (!std::isnan(v)) cats.push_back(v);
    std::sort(cats.begin(), cats.end());
    cats.erase(std::unique(cats.begin(), cats.end()), cats.end());
    return cats;
}

std::size_t category_index(const std::vector<double>& cats, double v) {
    return static_cast<std::size_t>(std::find(cats.begin(), cats.end(), v) - cats.begin());
}

}  // namespace

// --- Fleiss --------------------------------------------------------------------------

FleissKappa fleiss_kappa_counts(const Table& t) {
    const std::size_t N = t.rows, q = t.cols;
    if (N == 0 || q == 0) throw StatsError("fleiss_kappa: empty table; pass subjects x categories counts");
    double n = -1;
    for (std::size_t i = 0; i < N; ++i) {
        double s = 0;
        for (std::size_t j = 0; j < q; ++j) {
            const double c = t.at(i, j);
            if (!(c >= 0) || c != std::floor(c))
                throw StatsError("fleiss_kappa: counts[" + std::to_string(i) + "][" + std::to_string(j) + "] = " +
                                 number_text(c) + "; counts are whole numbers >= 0");
            s += c;
        }
        if (n < 0) n = s;
        else if (s != n)
            throw StatsError("fleiss_kappa: subject " + std::to_string(i) + " has " + number_text(s) +
                             " ratings, subject 0 has " + number_text(n) +
                             "; Fleiss' kappa needs the same number of raters per subject");
    }
    if (n < 2) throw StatsError("fleiss_kappa: " + number_text(n) + " rating per subject; at least 2 are needed");
    FleissKappa f;
    f.subjects = N;
    f.raters = static_cast<std::size_t>(n);
    std::vector<double> p(q, 0.0);
    double pbar = 0;
    for (std::size_t i = 0; i < N; ++i) {
        double s2 = 0;
        for (std::size_t j = 0; j < q; ++j) {
            s2 += t.at(i, j) * t.at(i, j);
            p[j] += t.at(i, j);
        }
        pbar += (s2 - n) / (n * (n - 1));
    }
    pbar /= static_cast<double>(N);
    double pe = 0, spq = 0, spqqp = 0;
    for (std::size_t j = 0; j < q; ++j) {
        p[j] /= static_cast<double>(N) * n;
        pe += p[j] * p[j];
        spq += p[j] * (1 - p[j]);
        spqqp += p[j] * (1 - p[j]) * ((1 - p[j]) - p[j]);
    }
    f.observed = pbar;
    f.expected = pe;
    f.kappa = (pbar - pe) / (1 - pe);
    const double se = std::sqrt(2.0 / (static_cast<double>(N) * n * (n - 1))) * std::sqrt(spq * spq - spqqp) / spq;
    f.z = f.kappa / se;
    f.p_value = 2 * normal_sf(std::fabs(f.z));
    f.category_kappas.resize(q);
    for (std::size_t j = 0; j < q; ++j) {
        double s = 0;
        for (std::size_t i = 0; i < N; ++i) s += t.at(i, j) * (n - t.at(i, j));
        const double d = static_cast<double>(N) * n * (n - 1) * p[j] * (1 - p[j]);
        f.category_kappas[j] = d > 0 ? 1 - s / d : nan;
    }
    return f;
}

namespace {
Table counts_of(const Ratings& r, const std::vector<double>& cats, std::string_view what) {
    Table t{std::vector<double>(r.units * cats.size(), 0.0), r.units, cats.size()};
    for (std::size_t u = 0; u < r.units; ++u)
        for (std::size_t j = 0; j < r.raters; ++j) {
            const double v = r.at(u, j);
            if (std::isnan(v))
                throw StatsError(std::string(what) + ": unit " + std::to_string(u) + ", rater " + std::to_string(j) +
                                 " is missing; this coefficient needs every mark (drop the unit, or use "
                                 "krippendorff_alpha or gwet_ac, which take missing marks)");
            t.at(u, category_index(cats, v)) += 1;
        }
    return t;
}
}  // namespace

FleissKappa fleiss_kappa(const Ratings& r, std::span<const double> categories) {
    r.check();
    const auto cats = category_set(r, categories, "fleiss_kappa");
    FleissKappa f = fleiss_kappa_counts(counts_of(r, cats, "fleiss_kappa"));
    f.categories = cats;
    return f;
}

double conger_kappa(const Ratings& r, std::span<const double> categories) {
    r.check();
    const auto cats = category_set(r, categories, "conger_kappa");
    const Table t = counts_of(r, cats, "conger_kappa");
    const FleissKappa f = fleiss_kappa_counts(t);
    const std::size_t q = cats.size(), m = r.raters;
    // p[rater][category]
    std::vector<double> p(m * q, 0.0);
    for (std::size_t u = 0; u < r.units; ++u)
        for (std::size_t j = 0; j < m; ++j) p[j * q + category_index(cats, r.at(u, j))] += 1.0 / r.units;
    double pe = 0;
    for (std::size_t a = 0; a < m; ++a)
        for (std::size_t b = a + 1; b < m; ++b)
            for (std::size_t c = 0; c < q; ++c) pe += p[a * q + c] * p[b * q + c];
    pe /= static_cast<double>(m * (m - 1)) / 2.0;
    return (f.observed - pe) / (1 - pe);
}

// --- weights and Cohen -----------------------------------------------------------------

Weights Weights::named(std::string_view name) {
    if (name == "none" || name == "unweighted" || name.empty()) return {};
    if (name == "linear" || name == "equal") return {WeightKind::linear, {}};
    if (name == "quadratic" || name == "squared") return {WeightKind::quadratic, {}};
    throw StatsError("weights '" + std::string(name) + "': use none, linear, quadratic or a q x q matrix");
}

Weights Weights::matrix(Table w) { return {WeightKind::custom, std::move(w)}; }

Weights Weights::irr_vector(std::span<const double> d) {
    const std::size_t q = d.size();
    if (q < 2) throw StatsError("weight vector: needs one disagreement per distance 0 .. q-1 (q >= 2)");
    const auto [lo, hi] = std::minmax_element(d.begin(), d.end());
    if (*hi == *lo) throw StatsError("weight vector: all disagreements are equal; give at least two values");
    Table w{std::vector<double>(q * q), q, q};
    for (std::size_t i = 0; i < q; ++i)
        for (std::size_t j = 0; j < q; ++j) {
            const std::size_t k = i > j ? i - j : j - i;
            w.at(i, j) = 1 - (d[k] - *lo) / (*hi - *lo);
        }
    return matrix(std::move(w));
}

Table weight_matrix(const Weights& weights, std::size_t q) {
    Table w{std::vector<double>(q * q, 0.0), q, q};
    const double span = q > 1 ? static_cast<double>(q - 1) : 1.0;
    for (std::size_t i = 0; i < q; ++i)
        for (std::size_t j = 0; j < q; ++j) {
            const double d = std::fabs(static_cast<double>(i) - static_cast<double>(j));
            switch (weights.kind) {
                case WeightKind::none: w.at(i, j) = i == j ? 1.0 : 0.0; break;
                case WeightKind::linear: w.at(i, j) = 1 - d / span; break;
                case WeightKind::quadratic: w.at(i, j) = 1 - d * d / (span * span); break;
                case WeightKind::custom: break;
            }
        }
    if (weights.kind == WeightKind::custom) {
        if (weights.custom.rows != q || weights.custom.cols != q)
            throw StatsError("weights: a " + std::to_string(weights.custom.rows) + " x " +
                             std::to_string(weights.custom.cols) + " matrix for " + std::to_string(q) +
                             " categories; pass a q x q matrix of agreement weights");
        w = weights.custom;
    }
    return w;
}

CohenKappa cohen_kappa_table(const Table& t, const Weights& weights) {
    if (t.rows != t.cols || t.rows == 0)
        throw StatsError("cohen_kappa_table: a " + std::to_string(t.rows) + " x " + std::to_string(t.cols) +
                         " table; pass a square q x q table of counts over the same categories");
    const std::size_t q = t.rows;
    const Table w = weight_matrix(weights, q);
    double n = 0;
    for (double v : t.values) {
        if (!(v >= 0)) throw StatsError("cohen_kappa_table: counts must be >= 0");
        n += v;
    }
    if (n <= 0) throw StatsError("cohen_kappa_table: the table is empty");
    std::vector<double> rowp(q, 0.0), colp(q, 0.0);
    for (std::size_t i = 0; i < q; ++i)
        for (std::size_t j = 0; j < q; ++j) {
            rowp[i] += t.at(i, j) / n;
            colp[j] += t.at(i, j) / n;
        }
    double po = 0, pe = 0;
    for (std::size_t i = 0; i < q; ++i)
        for (std::size_t j = 0; j < q; ++j) {
            po += w.at(i, j) * t.at(i, j) / n;
            pe += w.at(i, j) * rowp[i] * colp[j];
        }
    CohenKappa k;
    k.n = static_cast<std::size_t>(std::llround(n));
    k.observed = po;
    k.expected = pe;
    k.kappa = (po - pe) / (1 - pe);
    // Null variance (Fleiss, Cohen & Everitt 1969).
    std::vector<double> wr(q, 0.0), wc(q, 0.0);
    for (std::size_t i = 0; i < q; ++i)
        for (std::size_t j = 0; j < q; ++j) {
            wr[i] += colp[j] * w.at(i, j);
            wc[j] += rowp[i] * w.at(i, j);
        }
    double s = 0;
    for (std::size_t i = 0; i < q; ++i)
        for (std::size_t j = 0; j < q; ++j) {
            const double d = w.at(i, j) - (wr[i] + wc[j]);
            s += rowp[i] * colp[j] * d * d;
        }
    const double var = (s - pe * pe) / (n * (1 - pe) * (1 - pe));
    k.se = var > 0 ? std::sqrt(var) : nan;
    k.z = k.kappa / k.se;
    k.p_value = 2 * normal_sf(std::fabs(k.z));
    return k;
}

Table contingency_table(std::span<const double> a, std::span<const double> b, std::vector<double>& categories) {
    if (a.size() != b.size())
        throw StatsError("cohen_kappa: rater a has " + std::to_string(a.size()) + " marks and rater b " +
                         std::to_string(b.size()) + "; pass one mark of each per unit (NaN = missing)");
    std::vector<double> both(a.size() * 2);
    for (std::size_t i = 0; i < a.size(); ++i) {
        const bool pair = !std::isnan(a[i]) && !std::isnan(b[i]);
        both[2 * i] = pair ? a[i] : nan;
        both[2 * i + 1] = pair ? b[i] : nan;
    }
    const Ratings r{both, a.size(), 2};
    categories = category_set(r, categories, "cohen_kappa");
    const std::size_t q = categories.size();
    Table t{std::vector<double>(q * q, 0.0), q, q};
    for (std::size_t i = 0; i < a.size(); ++i)
        if (!std::isnan(both[2 * i]))
            t.at(category_index(categories, both[2 * i]), category_index(categories, both[2 * i + 1])) += 1;
    return t;
}

CohenKappa cohen_kappa(std::span<const double> a, std::span<const double> b, const Weights& weights,
                       std::span<const double> categories) {
    std::vector<double> cats(categories.begin(), categories.end());
    const Table t = contingency_table(a, b, cats);
    if (t.rows == 0) throw StatsError("cohen_kappa: no unit has both marks");
    return cohen_kappa_table(t, weights);
}

// --- Gwet ------------------------------------------------------------------------------

GwetAc gwet_ac(const Ratings& r, std::span<const double> categories, const Weights& weights) {
    r.check();
    const auto cats = category_set(r, categories, "gwet_ac");
    const std::size_t q = cats.size();
    if (q < 2) throw StatsError("gwet_ac: fewer than 2 categories; pass the category set");
    const Table w = weight_matrix(weights, q);
    const Table counts = [&] {
        Table t{std::vector<double>(r.units * q, 0.0), r.units, q};
        for (std::size_t u = 0; u < r.units; ++u)
            for (std::size_t j = 0; j < r.raters; ++j)
                if (!std::isnan(r.at(u, j))) t.at(u, category_index(cats, r.at(u, j))) += 1;
        return t;
    }();
    double pa = 0, tw = 0;
    std::size_t n2 = 0, n1 = 0;
    std::vector<double> pi(q, 0.0);
    for (double v : w.values) tw += v;
    for (std::size_t u = 0; u < r.units; ++u) {
        double ru = 0;
        for (std::size_t k = 0; k < q; ++k) ru += counts.at(u, k);
        if (ru >= 1) {
            ++n1;
            for (std::size_t k = 0; k < q; ++k) pi[k] += counts.at(u, k) / ru;
        }
        if (ru < 2) continue;
        ++n2;
        double s = 0;
        for (std::size_t k = 0; k < q; ++k) {
            double star = 0;
            for (std::size_t l = 0; l < q; ++l) star += w.at(k, l) * counts.at(u, l);
            s += counts.at(u, k) * (star - 1);
        }
        pa += s / (ru * (ru - 1));
    }
    if (n2 == 0) throw StatsError("gwet_ac: no unit has two marks");
    GwetAc g;
    g.subjects = n2;
    g.observed = pa / static_cast<double>(n2);
    double s = 0;
    for (std::size_t k = 0; k < q; ++k) {
        pi[k] /= static_cast<double>(n1);
        s += pi[k] * (1 - pi[k]);
    }
    g.expected = tw * s / static_cast<double>(q * (q - 1));
    g.coefficient = (g.observed - g.expected) / (1 - g.expected);
    return g;
}

// --- percent agreement ---------------------------------------------------------------

PercentAgreement percent_agreement(const Ratings& r, double tolerance) {
    r.check();
    PercentAgreement p;
    double pairs = 0, agreeing = 0;
    std::size_t all = 0;
    std::vector<double> row;
    for (std::size_t u = 0; u < r.units; ++u) {
        row.clear();
        for (std::size_t j = 0; j < r.raters; ++j)
            if (!std::isnan(r.at(u, j))) row.push_back(r.at(u, j));
        if (row.size() < 2) continue;
        ++p.units;
        bool same = true;
        for (std::size_t a = 0; a < row.size(); ++a)
            for (std::size_t b = a + 1; b < row.size(); ++b) {
                const bool eq = std::fabs(row[a] - row[b]) <= tolerance;
                pairs += 1;
                agreeing += eq;
                same = same && eq;
            }
        all += same;
    }
    p.all_agree = p.units ? static_cast<double>(all) / static_cast<double>(p.units) : nan;
    p.pairwise = pairs > 0 ? agreeing / pairs : nan;
    return p;
}

}  // namespace certigraph::stats
