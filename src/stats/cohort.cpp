// Agreement and severity straight from a cohort's juror slots.
//
// One pass over the cohort in memory order accumulates, per criterion, additive
// partial sums; an épreuve or a bloc adds up the partials of its criteria. For the
// interval metric the partials are the closed form of the coincidence matrix (count,
// sum, sum of squares of the pairable values, and the within-unit squared
// differences); for the other metrics a coincidence matrix over the cohort's value domain.
#include <certigraph/stats/cohort.hpp>

#include "stats/common.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace certigraph::stats {

Level level_from_string(std::string_view name) {
    if (name == "criterion" || name == "criteria") return Level::criterion;
    if (name == "epreuve" || name == "épreuve" || name == "epreuves") return Level::epreuve;
    if (name == "bloc" || name == "blocs") return Level::bloc;
    throw StatsError("level '" + std::string(name) + "': use criterion, epreuve or bloc");
}

std::string_view to_string(Level level) {
    switch (level) {
        case Level::criterion: return "criterion";
        case Level::epreuve: return "epreuve";
        case Level::bloc: return "bloc";
    }
    return "?";
}

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
/// Distinct marks the non-interval metrics accept on a cohort (q x q matrix per criterion).
constexpr std::size_t max_domain = 1000;

struct Partial {
    double n = 0, s1 = 0, s2 = 0, within = 0;  // interval closed form (values shifted)
    std::vector<double> o;                     // other metrics: q x q coincidences
    std::size_t units = 0, pairable_units = 0, all_equal = 0;
    double pairs = 0, abs_difference = 0;

    void add(const Partial& p) {
        n += p.n, s1 += p.s1, s2 += p.s2, within += p.within;
        if (o.size() < p.o.size()) o.resize(p.o.size(), 0.0);
        for (std::size_t i = 0; i < p.o.size(); ++i) o[i] += p.o[i];
        units += p.units, pairable_units += p.pairable_units, all_equal += p.all_equal;
        pairs += p.pairs, abs_difference += p.abs_difference;
    }
};

/// The index of x in the sorted `domain`, which holds it (branchless binary search:
/// marks are unpredictable, so a branching search mispredicts at every step).
template <class T>
std::size_t index_in(const std::vector<T>& domain, T x) {
    const T* base = domain.data();
    std::size_t n = domain.size();
    while (n > 1) {
        const std::size_t half = n / 2;
        base = base[half] <= x ? base + half : base;
        n -= half;
    }
    return static_cast<std::size_t>(base - domain.data());
}

LevelAgreement finish(std::string code, const Partial& p, Metric metric, const std::vector<double>& domain) {
    LevelAgreement a;
    a.code = std::move(code);
    a.units = p.units;
    if (metric == Metric::interval) {
        a.alpha.pairable_values = static_cast<std::size_t>(p.n);
        a.alpha.observed_disagreement = p.n > 0 ? p.within / p.n : nan;
        const double de = 2 * p.n * p.s2 - 2 * p.s1 * p.s1;
        a.alpha.expected_disagreement = p.n > 1 ? de / (p.n * (p.n - 1)) : nan;
        a.alpha.alpha = (p.n > 1 && de > 0) ? 1 - (p.n - 1) * p.within / de : nan;
    } else {
        Coincidences co;
        co.values = domain;
        co.matrix = {p.o, domain.size(), domain.size()};
        if (co.matrix.values.size() != domain.size() * domain.size())
            co.matrix.values.assign(domain.size() * domain.size(), 0.0);
        a.alpha = alpha_from_coincidences(co, metric);
    }
    a.alpha.pairable_units = p.pairable_units;
    a.exact_agreement = p.pairable_units ? static_cast<double>(p.all_equal) / static_cast<double>(p.pairable_units) : nan;
    a.mean_abs_difference = p.pairs > 0 ? p.abs_difference / p.pairs : nan;
    return a;
}

}  // namespace

std::vector<LevelAgreement> cohort_agreement(const Referentiel& referentiel, const Cohort& cohort,
                                             const CohortAgreementOptions& options) {
    const std::size_t C = cohort.criteria(), J = cohort.jurors(), R = cohort.rows();
    if (C != referentiel.criteria().size())
        throw StatsError("cohort_agreement: the cohort has " + std::to_string(C) + " criteria, the référentiel " +
                         referentiel.certification().code + " has " + std::to_string(referentiel.criteria().size()) +
                         "; build the cohort from this référentiel");
    const float* values = cohort.values();
    const std::uint8_t* marks = cohort.marks();
    const bool general = options.metric != Metric::interval;

    // Value domain (other metrics) and the shift that keeps the interval sums exact.
    std::vector<double> domain;
    double shift = 0;
    bool shift_set = false;
    if (general) {
        // A sorted set grown in place: marks take few distinct values, so a binary
        // search per value is cheaper than collecting and sorting them all.
        std::vector<float> seen;
        for (std::size_t i = 0; i < R * C * J; ++i) {
            const float x = values[i];
            if (std::isnan(x) || (marks && marks[i] != 0)) continue;
            if (!seen.empty() && seen[index_in(seen, x)] == x) continue;
            seen.insert(std::lower_bound(seen.begin(), seen.end(), x), x);
            if (seen.size() > max_domain)
                throw StatsError("cohort_agreement: the " + std::string(to_string(options.metric)) +
                                 " metric on more than " + std::to_string(max_domain) +
                                 " distinct marks needs a coincidence matrix too large to hold; use the "
                                 "interval metric, or round the marks to the scale's steps");
        }
        domain.assign(seen.begin(), seen.end());
    }
    const std::size_t q = domain.size();
    std::vector<Partial> partial(C);
    if (general)
        for (auto& p : partial) p.o.assign(q * q, 0.0);
    std::vector<double> v(J);
    std::vector<std::size_t> idx(J);
    if (J == 2 && !marks && !general) {
        // The common case (two juror slots, interval): straight-line code per unit.
        for (std::size_t r = 0; r < R; ++r) {
            const float* row = values + r * C * 2;
            for (std::size_t c = 0; c < C; ++c) {
                const float x = row[2 * c], y = row[2 * c + 1];
                const bool hx = !std::isnan(x), hy = !std::isnan(y);
                Partial& p = partial[c];
                p.units += hx || hy;
                if (!(hx && hy)) continue;
                if (!shift_set) shift = x, shift_set = true;
                const double a = x - shift, b = y - shift, d = static_cast<double>(x) - static_cast<double>(y);
                ++p.pairable_units;
                p.n += 2;
                p.s1 += a;
                p.s1 += b;
                p.s2 += a * a;
                p.s2 += b * b;
                p.within += 2 * d * d;
                p.abs_difference += std::fabs(d);
                p.pairs += 1;
                p.all_equal += d == 0;
            }
        }
    } else {
        for (std::size_t r = 0; r < R; ++r)
            for (std::size_t c = 0; c < C; ++c) {
                const std::size_t base = (r * C + c) * J;
                std::size_t m = 0;
                for (std::size_t s = 0; s < J; ++s) {
                    const float x = values[base + s];
                    if (std::isnan(x) || (marks && marks[base + s] != 0)) continue;
                    v[m++] = x;
                }
                if (m == 0) continue;
                Partial& p = partial[c];
                ++p.units;
                if (m < 2) continue;
                ++p.pairable_units;
                if (!shift_set) shift = v[0], shift_set = true;
                bool same = true;
                double within = 0;
                for (std::size_t a = 0; a < m; ++a) {
                    const double x = v[a] - shift;
                    p.s1 += x;
                    p.s2 += x * x;
                    for (std::size_t b = a + 1; b < m; ++b) {
                        const double d = v[a] - v[b];
                        within += d * d;
                        p.abs_difference += std::fabs(d);
                        same = same && d == 0;
                    }
                }
                p.n += static_cast<double>(m);
                p.within += 2 * within / static_cast<double>(m - 1);
                p.pairs += static_cast<double>(m * (m - 1) / 2);
                p.all_equal += same;
                if (general) {
                    for (std::size_t a = 0; a < m; ++a)
                        idx[a] = index_in(domain, v[a]);
                    const double w = 1.0 / static_cast<double>(m - 1);
                    for (std::size_t a = 0; a < m; ++a)
                        for (std::size_t b = 0; b < m; ++b)
                            if (a != b) p.o[idx[a] * q + idx[b]] += w;
                }
            }
    }

    std::vector<LevelAgreement> out;
    auto pooled = [&](std::string code, std::span<const Index> criteria) {
        Partial sum;
        for (auto c : criteria) sum.add(partial[c]);
        out.push_back(finish(std::move(code), sum, options.metric, domain));
    };
    switch (options.level) {
        case Level::criterion:
            for (std::size_t c = 0; c < C; ++c) out.push_back(finish(referentiel.criteria()[c].code, partial[c], options.metric, domain));
            break;
        case Level::epreuve:
            for (std::size_t e = 0; e < referentiel.epreuves().size(); ++e)
                pooled(referentiel.epreuves()[e].code, referentiel.criteria_of_epreuve(static_cast<Index>(e)));
            break;
        case Level::bloc:
            for (std::size_t b = 0; b < referentiel.blocs().size(); ++b)
                pooled(referentiel.blocs()[b].code, referentiel.criteria_of_bloc(static_cast<Index>(b)));
            break;
    }
    return out;
}

std::vector<Observation> cohort_observations(const Cohort& cohort, std::vector<std::string>& juror_names) {
    const std::size_t C = cohort.criteria(), J = cohort.jurors(), R = cohort.rows();
    const bool named = !cohort.juror_names().empty();
    juror_names = cohort.juror_names();
    // Slots without a named juror become "slot k" jurors.
    std::vector<std::uint32_t> slot_ids(J, Cohort::no_juror);
    auto slot_id = [&](std::size_t s) {
        if (slot_ids[s] == Cohort::no_juror) {
            slot_ids[s] = static_cast<std::uint32_t>(juror_names.size());
            juror_names.push_back("slot " + std::to_string(s + 1));
        }
        return slot_ids[s];
    };
    const float* values = cohort.values();
    const std::uint8_t* marks = cohort.marks();
    std::vector<Observation> out;
    for (std::size_t r = 0; r < R; ++r)
        for (std::size_t c = 0; c < C; ++c)
            for (std::size_t s = 0; s < J; ++s) {
                const std::size_t i = (r * C + c) * J + s;
                if (std::isnan(values[i]) || (marks && marks[i] != 0)) continue;
                std::uint32_t j = named ? cohort.juror(r, c, s) : Cohort::no_juror;
                if (j == Cohort::no_juror) j = slot_id(s);
                out.push_back({static_cast<std::uint32_t>(r), j, static_cast<std::uint32_t>(c), values[i]});
            }
    return out;
}

SeverityModel severity_model_from_string(std::string_view name) {
    if (name == "additive") return SeverityModel::additive;
    if (name == "rasch") return SeverityModel::rasch;
    throw StatsError("severity model '" + std::string(name) + "': use additive or rasch");
}

std::vector<LevelSeverity> cohort_severity(const Referentiel& referentiel, const Cohort& cohort, Level level,
                                           SeverityModel model, const SeverityOptions& options,
                                           std::vector<std::string>& juror_names) {
    if (cohort.criteria() != referentiel.criteria().size())
        throw StatsError("cohort_severity: the cohort has " + std::to_string(cohort.criteria()) +
                         " criteria, the référentiel " + referentiel.certification().code + " has " +
                         std::to_string(referentiel.criteria().size()) + "; build the cohort from this référentiel");
    const auto all = cohort_observations(cohort, juror_names);
    SeverityOptions o = options;
    if (o.juror_names.empty()) o.juror_names = juror_names;
    std::vector<std::pair<std::string, std::vector<Index>>> groups;
    switch (level) {
        case Level::criterion:
            for (std::size_t c = 0; c < referentiel.criteria().size(); ++c)
                groups.push_back({referentiel.criteria()[c].code, {static_cast<Index>(c)}});
            break;
        case Level::epreuve:
            for (std::size_t e = 0; e < referentiel.epreuves().size(); ++e) {
                const auto c = referentiel.criteria_of_epreuve(static_cast<Index>(e));
                groups.push_back({referentiel.epreuves()[e].code, {c.begin(), c.end()}});
            }
            break;
        case Level::bloc:
            for (std::size_t b = 0; b < referentiel.blocs().size(); ++b) {
                const auto c = referentiel.criteria_of_bloc(static_cast<Index>(b));
                groups.push_back({referentiel.blocs()[b].code, {c.begin(), c.end()}});
            }
            break;
    }
    std::vector<LevelSeverity> out;
    std::vector<char> member(referentiel.criteria().size());
    std::vector<Observation> obs;
    for (auto& [code, criteria] : groups) {
        std::fill(member.begin(), member.end(), 0);
        for (auto c : criteria) member[c] = 1;
        obs.clear();
        for (const auto& x : all)
            if (member[x.criterion]) obs.push_back(x);
        LevelSeverity row;
        row.code = code;
        try {
            row.jurors = model == SeverityModel::rasch ? rasch_severity(obs, o).jurors : additive_severity(obs, o).jurors;
        } catch (const StatsError& e) {
            row.error = e.what();
        }
        out.push_back(std::move(row));
    }
    return out;
}

}  // namespace certigraph::stats
