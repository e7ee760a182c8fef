// Juror severity: additive least-squares model and many-facet Rasch rating-scale model.
//
// Additive model. score = a_c + b_k - s_j + e, with the candidates' effects absorbed
// first: the normal equations are [D B; B' E] with D diagonal (marks per candidate),
// so the criterion and juror parameters solve the small dense Schur complement
// (E - B' D^-1 B) theta = r, one reference level per facet dropped. The candidates'
// effects follow by back substitution. The fitted values do not depend on the
// reference levels, so the effects are centred afterwards (unweighted sum to zero);
// the covariance of the centred severities is M V M' with M the centring matrix.
#include <certigraph/stats/severity.hpp>

#include "stats/common.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace certigraph::stats {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

struct Facets {
    std::size_t candidates = 0, jurors = 0, criteria = 0;
    std::vector<std::size_t> per_candidate, per_juror, per_criterion;
};

Facets count_facets(std::span<const Observation> obs) {
    if (obs.empty()) throw StatsError("juror severity: no marks; pass at least one candidate marked by two jurors");
    if (obs.size() >= std::numeric_limits<std::uint32_t>::max())
        throw StatsError("juror severity: " + std::to_string(obs.size()) + " marks; at most 4,294,967,294 per fit");
    Facets f;
    for (std::size_t i = 0; i < obs.size(); ++i) {
        const auto& o = obs[i];
        if (!std::isfinite(o.score))
            throw StatsError("juror severity: mark " + std::to_string(i) + " (candidate " + std::to_string(o.candidate) +
                             ", juror " + std::to_string(o.juror) + ", criterion " + std::to_string(o.criterion) +
                             ") is " + number_text(o.score) + "; leave missing marks out of the frame");
        f.candidates = std::max<std::size_t>(f.candidates, o.candidate + 1);
        f.jurors = std::max<std::size_t>(f.jurors, o.juror + 1);
        f.criteria = std::max<std::size_t>(f.criteria, o.criterion + 1);
    }
    f.per_candidate.assign(f.candidates, 0);
    f.per_juror.assign(f.jurors, 0);
    f.per_criterion.assign(f.criteria, 0);
    for (const auto& o : obs) {
        ++f.per_candidate[o.candidate];
        ++f.per_juror[o.juror];
        ++f.per_criterion[o.criterion];
    }
    return f;
}

std::string name_of(const std::vector<std::string>& names, std::size_t id, const char* kind) {
    if (id < names.size() && !names[id].empty()) return names[id];
    return std::string(kind) + " " + std::to_string(id);
}

/// Refuses a design whose candidate-juror graph has several components.
void require_connected(std::span<const Observation> obs, const Facets& f, const SeverityOptions& options) {
    std::vector<std::size_t> parent(f.candidates + f.jurors);
    std::iota(parent.begin(), parent.end(), std::size_t{0});
    auto find = [&](std::size_t x) {
        while (parent[x] != x) x = parent[x] = parent[parent[x]];
        return x;
    };
    for (const auto& o : obs) {
        const auto a = find(o.candidate), b = find(f.candidates + o.juror);
        if (a != b) parent[std::max(a, b)] = std::min(a, b);
    }
    std::vector<std::size_t> roots;
    for (std::size_t j = 0; j < f.jurors; ++j)
        if (f.per_juror[j]) roots.push_back(find(f.candidates + j));
    std::sort(roots.begin(), roots.end());
    roots.erase(std::unique(roots.begin(), roots.end()), roots.end());
    if (roots.size() <= 1) return;
    std::vector<std::vector<std::uint32_t>> groups(roots.size());
    std::string message = "juror severity: the design is disconnected: " + std::to_string(roots.size()) +
                          " groups of jurors and candidates share no candidate, so their severities cannot "
                          "be compared:";
    for (std::size_t g = 0; g < roots.size(); ++g) {
        message += "\n  group " + std::to_string(g + 1) + ": jurors";
        for (std::size_t j = 0; j < f.jurors; ++j)
            if (f.per_juror[j] && find(f.candidates + j) == roots[g]) {
                groups[g].push_back(static_cast<std::uint32_t>(j));
                message += " " + name_of(options.juror_names, j, "juror");
            }
        std::size_t shown = 0, total = 0;
        std::string candidates;
        for (std::size_t c = 0; c < f.candidates; ++c)
            if (f.per_candidate[c] && find(c) == roots[g]) {
                if (shown < 5) {
                    candidates += (shown ? ", " : "") + name_of(options.candidate_names, c, "candidate");
                    ++shown;
                }
                ++total;
            }
        message += "; candidates " + candidates + (total > shown ? " and " + std::to_string(total - shown) + " more" : "");
    }
    message += "\nHave at least one juror of each group mark a candidate of another group (double marking), "
               "or analyse the groups separately.";
    throw DisconnectedDesign(message, std::move(groups));
}

double t_sf_two_sided(double z, double df) { return df > 0 ? 2 * student_t_sf(std::fabs(z), df) : nan; }

void flag_significance(JurorSeverity& j, double alpha, double df) {
    j.z = j.se > 0 ? j.severity / j.se : nan;
    j.p_value = std::isfinite(df) ? t_sf_two_sided(j.z, df) : 2 * normal_sf(std::fabs(j.z));
    if (j.p_value < alpha) {
        j.flagged = true;
        j.reason = std::string(j.severity > 0 ? "harsher" : "more lenient") + " than the others: severity " +
                   (j.severity > 0 ? "+" : "") + fixed_text(j.severity, 3) + " (se " + fixed_text(j.se, 3) +
                   ", " + p_text(j.p_value) + ")";
    }
}

}  // namespace

AdditiveModel additive_severity(std::span<const Observation> obs, const SeverityOptions& options) {
    const Facets f = count_facets(obs);
    require_connected(obs, f, options);

    // Parameters: criteria then jurors, the last level with marks of each dropped.
    auto parametrise = [](const std::vector<std::size_t>& counts, std::vector<long>& index, std::size_t& next) {
        index.assign(counts.size(), -1);
        std::size_t last = counts.size();
        for (std::size_t i = counts.size(); i-- > 0;)
            if (counts[i]) {
                last = i;
                break;
            }
        for (std::size_t i = 0; i < counts.size(); ++i)
            if (counts[i] && i != last) index[i] = static_cast<long>(next++);
    };
    std::vector<long> pk, pj;
    std::size_t p = 0;
    parametrise(f.per_criterion, pk, p);
    parametrise(f.per_juror, pj, p);

    // Marks grouped by candidate (counting sort, stable).
    std::vector<std::size_t> start(f.candidates + 1, 0);
    for (const auto& o : obs) ++start[o.candidate + 1];
    std::partial_sum(start.begin(), start.end(), start.begin());
    std::vector<std::uint32_t> order(obs.size());
    const bool grouped = std::is_sorted(obs.begin(), obs.end(), [](const Observation& x, const Observation& y) {
        return x.candidate < y.candidate;
    });
    if (grouped) {
        std::iota(order.begin(), order.end(), std::uint32_t{0});  // already grouped: read in place
    } else {
        std::vector<std::size_t> pos(start.begin(), start.end() - 1);
        for (std::size_t i = 0; i < obs.size(); ++i) order[pos[obs[i].candidate]++] = static_cast<std::uint32_t>(i);
    }

    Eigen::MatrixXd e = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(p), static_cast<Eigen::Index>(p));
    Eigen::VectorXd rhs = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(p));
    std::vector<double> b(p, 0.0);
    std::vector<std::size_t> touched;
    std::vector<char> is_touched(p, 0);
    for (std::size_t c = 0; c < f.candidates; ++c) {
        const std::size_t n = start[c + 1] - start[c];
        if (!n) continue;
        double y = 0;
        touched.clear();
        for (std::size_t i = start[c]; i < start[c + 1]; ++i) {
            const auto& o = obs[order[i]];
            y += o.score;
            const long ids[2] = {pk[o.criterion], pj[o.juror]};
            for (long a : ids) {
                if (a < 0) continue;
                const auto ua = static_cast<std::size_t>(a);
                b[ua] += 1;
                rhs[a] += o.score;
                if (!is_touched[ua]) {
                    is_touched[ua] = 1;
                    touched.push_back(ua);
                }
                for (long d : ids)
                    if (d >= 0) e(a, d) += 1;
            }
        }
        const double inv = 1.0 / static_cast<double>(n);
        for (auto a : touched) {
            rhs[static_cast<Eigen::Index>(a)] -= b[a] * y * inv;
            for (auto d : touched) e(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(d)) -= b[a] * b[d] * inv;
        }
        for (auto a : touched) {
            b[a] = 0;
            is_touched[a] = 0;
        }
    }

    Eigen::VectorXd theta = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(p));
    Eigen::MatrixXd inverse = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(p), static_cast<Eigen::Index>(p));
    if (p > 0) {
        Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(e);
        qr.setThreshold(1e-10);
        if (qr.rank() < static_cast<Eigen::Index>(p))
            throw StatsError("juror severity: criterion and juror effects are confounded (the normal equations have "
                             "rank " + std::to_string(qr.rank()) + " of " + std::to_string(p) +
                             "), e.g. each criterion marked by its own jurors only; have the jurors mark several "
                             "criteria, or fit one criterion at a time");
        theta = qr.solve(rhs);
        inverse = qr.inverse();
    }

    AdditiveModel m;
    m.observations = obs.size();
    auto crit_effect = [&](std::size_t k) { return pk[k] < 0 ? 0.0 : theta[pk[k]]; };
    auto juror_effect = [&](std::size_t j) { return pj[j] < 0 ? 0.0 : theta[pj[j]]; };  // = -s_j
    m.candidate_effects.assign(f.candidates, nan);
    std::size_t present_candidates = 0;
    for (std::size_t c = 0; c < f.candidates; ++c) {
        const std::size_t n = start[c + 1] - start[c];
        if (!n) continue;
        ++present_candidates;
        double s = 0;
        for (std::size_t i = start[c]; i < start[c + 1]; ++i) {
            const auto& o = obs[order[i]];
            s += o.score - crit_effect(o.criterion) - juror_effect(o.juror);
        }
        m.candidate_effects[c] = s / static_cast<double>(n);
    }
    double rss = 0;
    for (const auto& o : obs) {
        const double r = o.score - m.candidate_effects[o.candidate] - crit_effect(o.criterion) - juror_effect(o.juror);
        rss += r * r;
    }
    const std::size_t rank = present_candidates + p;
    if (obs.size() <= rank)
        throw StatsError("juror severity: " + std::to_string(obs.size()) + " marks for " + std::to_string(rank) +
                         " parameters leave no residual degree of freedom; have more candidates double-marked");
    m.residual_ss = rss;
    m.residual_df = obs.size() - rank;
    const double sigma2 = rss / static_cast<double>(m.residual_df);
    m.sigma = std::sqrt(sigma2);

    auto mean_of = [](const std::vector<double>& v) {
        double s = 0;
        std::size_t n = 0;
        for (double x : v)
            if (!std::isnan(x)) s += x, ++n;
        return n ? s / static_cast<double>(n) : 0.0;
    };
    const double a_mean = mean_of(m.candidate_effects);
    for (auto& a : m.candidate_effects)
        if (!std::isnan(a)) a -= a_mean;
    m.criterion_effects.assign(f.criteria, nan);
    for (std::size_t k = 0; k < f.criteria; ++k)
        if (f.per_criterion[k]) m.criterion_effects[k] = crit_effect(k);
    const double b_mean = mean_of(m.criterion_effects);
    for (auto& x : m.criterion_effects)
        if (!std::isnan(x)) x -= b_mean;
    std::vector<double> s(f.jurors, nan);
    std::vector<std::size_t> present;
    for (std::size_t j = 0; j < f.jurors; ++j)
        if (f.per_juror[j]) {
            s[j] = -juror_effect(j);
            present.push_back(j);
        }
    const double s_mean = mean_of(s);
    m.mu = a_mean + b_mean - s_mean;

    // Covariance of the juror parameters (reference level: zero row and column).
    const std::size_t jp = present.size();
    Eigen::MatrixXd cov = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(jp), static_cast<Eigen::Index>(jp));
    for (std::size_t x = 0; x < jp; ++x)
        for (std::size_t y = 0; y < jp; ++y) {
            const long a = pj[present[x]], d = pj[present[y]];
            if (a >= 0 && d >= 0) cov(static_cast<Eigen::Index>(x), static_cast<Eigen::Index>(y)) = sigma2 * inverse(a, d);
        }
    const Eigen::VectorXd row_means = cov.rowwise().mean();
    const double all_mean = cov.mean();
    for (std::size_t x = 0; x < jp; ++x) {
        JurorSeverity js;
        js.juror = static_cast<std::uint32_t>(present[x]);
        js.severity = s[present[x]] - s_mean;
        const double var = cov(static_cast<Eigen::Index>(x), static_cast<Eigen::Index>(x)) - 2 * row_means[static_cast<Eigen::Index>(x)] + all_mean;
        js.se = var > 0 ? std::sqrt(var) : 0.0;
        js.observations = f.per_juror[present[x]];
        js.infit = js.outfit = nan;
        flag_significance(js, options.alpha, static_cast<double>(m.residual_df));
        m.jurors.push_back(std::move(js));
    }
    return m;
}

// --- Rasch ---------------------------------------------------------------------------

RaschModel rasch_severity(std::span<const Observation> obs, const SeverityOptions& options) {
    const Facets f = count_facets(obs);
    require_connected(obs, f, options);
    double lo = obs[0].score, hi = obs[0].score;
    for (std::size_t i = 0; i < obs.size(); ++i) {
        const double x = obs[i].score;
        if (x != std::floor(x))
            throw StatsError("rasch: mark " + std::to_string(i) + " is " + number_text(x) +
                             "; the rating-scale model needs whole-number categories (use model=\"additive\" "
                             "for continuous marks)");
        lo = std::min(lo, x);
        hi = std::max(hi, x);
    }
    const std::size_t m = static_cast<std::size_t>(hi - lo);
    if (m < 1) throw StatsError("rasch: every mark is " + number_text(lo) + "; the model needs two categories");
    if (m > 100) throw StatsError("rasch: " + std::to_string(m + 1) + " categories; the rating-scale model takes at most 101");

    // Extreme candidates (all lowest or all highest) have infinite measures: left out.
    std::vector<double> cmin(f.candidates, hi), cmax(f.candidates, lo);
    for (const auto& o : obs) {
        cmin[o.candidate] = std::min(cmin[o.candidate], o.score);
        cmax[o.candidate] = std::max(cmax[o.candidate], o.score);
    }
    std::vector<char> extreme(f.candidates, 0);
    RaschModel r;
    for (std::size_t c = 0; c < f.candidates; ++c)
        if (f.per_candidate[c] && (cmax[c] == lo || cmin[c] == hi)) {
            extreme[c] = 1;
            ++r.extreme_candidates;
        }
    std::vector<Observation> kept;
    kept.reserve(obs.size());
    for (const auto& o : obs)
        if (!extreme[o.candidate]) kept.push_back({o.candidate, o.juror, o.criterion, o.score - lo});
    if (kept.empty()) throw StatsError("rasch: every candidate has only extreme marks; nothing to estimate");
    std::vector<std::size_t> cat_count(m + 1, 0);
    for (const auto& o : kept) ++cat_count[static_cast<std::size_t>(o.score)];
    for (std::size_t k = 0; k <= m; ++k)
        if (!cat_count[k])
            throw StatsError("rasch: category " + number_text(lo + static_cast<double>(k)) +
                             " is never used; its threshold cannot be estimated (merge it with a neighbour)");

    std::vector<double> B(f.candidates, 0.0), D(f.criteria, 0.0), S(f.jurors, 0.0), F(m + 1, 0.0);
    std::vector<double> resB, varB, resD, varD, resS, varS, gF, vF;
    std::vector<double> prob(m + 1), cum(m + 2);
    auto probabilities = [&](double theta) {
        double top = -std::numeric_limits<double>::infinity(), acc = 0;
        for (std::size_t x = 0; x <= m; ++x) {
            if (x) acc += F[x];
            prob[x] = static_cast<double>(x) * theta - acc;
            top = std::max(top, prob[x]);
        }
        double z = 0;
        for (auto& v : prob) z += (v = std::exp(v - top));
        for (auto& v : prob) v /= z;
    };
    auto step = [](double res, double var) {
        if (!(var > 0)) return 0.0;
        return std::clamp(res / var, -1.0, 1.0);
    };
    // One facet at a time (candidates, criteria, jurors, thresholds), each from fresh
    // expectations: updating every facet from the same expectations overshoots.
    auto centre = [](std::vector<double>& v, const std::vector<std::size_t>& counts) {
        double s = 0;
        std::size_t n = 0;
        for (std::size_t i = 0; i < v.size(); ++i)
            if (counts[i]) s += v[i], ++n;
        const double mean = n ? s / static_cast<double>(n) : 0.0;
        for (auto& x : v) x -= mean;
        return mean;
    };
    std::size_t it = 0;
    for (; it < options.max_iterations; ++it) {
        double largest = 0;
        for (int facet = 0; facet < 4; ++facet) {
            resB.assign(f.candidates, 0.0), varB.assign(f.candidates, 0.0);
            resD.assign(f.criteria, 0.0), varD.assign(f.criteria, 0.0);
            resS.assign(f.jurors, 0.0), varS.assign(f.jurors, 0.0);
            gF.assign(m + 1, 0.0), vF.assign(m + 1, 0.0);
            for (const auto& o : kept) {
                probabilities(B[o.candidate] - D[o.criterion] - S[o.juror]);
                double ex = 0, ex2 = 0;
                for (std::size_t x = 0; x <= m; ++x) {
                    ex += static_cast<double>(x) * prob[x];
                    ex2 += static_cast<double>(x * x) * prob[x];
                }
                const double var = ex2 - ex * ex, res = o.score - ex;
                switch (facet) {
                    case 0: resB[o.candidate] += res, varB[o.candidate] += var; break;
                    case 1: resD[o.criterion] += res, varD[o.criterion] += var; break;
                    case 2: resS[o.juror] += res, varS[o.juror] += var; break;
                    default:
                        cum[m + 1] = 0;
                        for (std::size_t x = m + 1; x-- > 0;) cum[x] = cum[x + 1] + prob[x];
                        for (std::size_t h = 1; h <= m; ++h) {
                            gF[h] += cum[h] - (o.score >= static_cast<double>(h) ? 1.0 : 0.0);
                            vF[h] += cum[h] * (1 - cum[h]);
                        }
                }
            }
            switch (facet) {
                case 0:
                    for (std::size_t c = 0; c < f.candidates; ++c) {
                        const double d = step(resB[c], varB[c]);
                        B[c] += d;
                        largest = std::max(largest, std::fabs(d));
                    }
                    break;
                case 1: {
                    for (std::size_t k = 0; k < f.criteria; ++k) {
                        const double d = step(resD[k], varD[k]);
                        D[k] -= d;
                        largest = std::max(largest, std::fabs(d));
                    }
                    const double shift = centre(D, f.per_criterion);
                    for (auto& x : B) x -= shift;
                    break;
                }
                case 2: {
                    for (std::size_t j = 0; j < f.jurors; ++j) {
                        const double d = step(resS[j], varS[j]);
                        S[j] -= d;
                        largest = std::max(largest, std::fabs(d));
                    }
                    const double shift = centre(S, f.per_juror);
                    for (auto& x : B) x -= shift;
                    break;
                }
                default: {
                    for (std::size_t h = 1; h <= m; ++h) {
                        const double d = step(gF[h], vF[h]);
                        F[h] += d;
                        largest = std::max(largest, std::fabs(d));
                    }
                    double fm = 0;
                    for (std::size_t h = 1; h <= m; ++h) fm += F[h];
                    fm /= static_cast<double>(m);
                    for (std::size_t h = 1; h <= m; ++h) F[h] -= fm;
                    for (auto& x : B) x -= fm;
                }
            }
        }
        if (largest < options.tolerance) {
            r.converged = true;
            ++it;
            break;
        }
    }
    r.iterations = it;

    // Fit statistics and standard errors at the estimates.
    std::vector<double> sq(f.jurors, 0.0), zsq(f.jurors, 0.0), var(f.jurors, 0.0);
    std::vector<std::size_t> n(f.jurors, 0);
    for (const auto& o : kept) {
        probabilities(B[o.candidate] - D[o.criterion] - S[o.juror]);
        double ex = 0, ex2 = 0;
        for (std::size_t x = 0; x <= m; ++x) {
            ex += static_cast<double>(x) * prob[x];
            ex2 += static_cast<double>(x * x) * prob[x];
        }
        const double w = ex2 - ex * ex, res = o.score - ex;
        sq[o.juror] += res * res;
        zsq[o.juror] += res * res / w;
        var[o.juror] += w;
        ++n[o.juror];
    }
    r.minimum_category = lo;
    r.candidate_measures.assign(f.candidates, nan);
    for (std::size_t c = 0; c < f.candidates; ++c)
        if (f.per_candidate[c] && !extreme[c]) r.candidate_measures[c] = B[c];
    r.criterion_difficulties.assign(f.criteria, nan);
    for (std::size_t k = 0; k < f.criteria; ++k)
        if (f.per_criterion[k]) r.criterion_difficulties[k] = D[k];
    r.thresholds.assign(F.begin() + 1, F.end());
    for (std::size_t j = 0; j < f.jurors; ++j) {
        if (!f.per_juror[j]) continue;
        JurorSeverity js;
        js.juror = static_cast<std::uint32_t>(j);
        js.severity = S[j];
        js.observations = n[j];
        js.se = var[j] > 0 ? 1 / std::sqrt(var[j]) : nan;
        js.infit = var[j] > 0 ? sq[j] / var[j] : nan;
        js.outfit = n[j] ? zsq[j] / static_cast<double>(n[j]) : nan;
        flag_significance(js, options.alpha, std::numeric_limits<double>::infinity());
        std::string fit;
        if (js.infit < options.infit_low || js.infit > options.infit_high)
            fit = "infit " + fixed_text(js.infit, 2);
        if (js.outfit < options.infit_low || js.outfit > options.infit_high)
            fit += (fit.empty() ? "" : ", ") + std::string("outfit ") + fixed_text(js.outfit, 2);
        if (!fit.empty()) {
            js.flagged = true;
            js.reason += (js.reason.empty() ? "" : "; ") + fit + " outside [" + number_text(options.infit_low) + ", " +
                         number_text(options.infit_high) + "] (" +
                         ((js.infit > options.infit_high || js.outfit > options.infit_high) ? "erratic marks"
                                                                                               : "marks too predictable") +
                         ")";
        }
        r.jurors.push_back(std::move(js));
    }
    return r;
}

}  // namespace certigraph::stats
