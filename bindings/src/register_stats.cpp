// certigraph._core._stats: the stats area's functions on numpy arrays. The friendly
// API (pandas in and out, keyword names of the issue) is certigraph/stats.py.
#include "pybind11.hpp"

#include <certigraph/stats/agreement.hpp>
#include <certigraph/stats/cohort.hpp>
#include <certigraph/stats/severity.hpp>

#include <cmath>

namespace certigraph::python {

namespace {

using Array = py::array_t<double, py::array::c_style | py::array::forcecast>;
using Ids = py::array_t<std::uint32_t, py::array::c_style | py::array::forcecast>;

stats::Ratings ratings_of(const Array& a, const char* what) {
    if (a.ndim() != 2)
        throw stats::StatsError(std::string(what) + ": a " + std::to_string(a.ndim()) +
                                "-dimensional array; pass a 2-dimensional units x raters array (NaN = missing)");
    return {std::span<const double>(a.data(), static_cast<std::size_t>(a.size())), static_cast<std::size_t>(a.shape(0)),
            static_cast<std::size_t>(a.shape(1))};
}

stats::Table table_of(const Array& a, const char* what) {
    const auto r = ratings_of(a, what);
    return {std::vector<double>(r.values.begin(), r.values.end()), r.units, r.raters};
}

stats::Weights weights_of(const py::object& w) {
    if (w.is_none()) return {};
    if (py::isinstance<py::str>(w)) return stats::Weights::named(w.cast<std::string>());
    return stats::Weights::matrix(table_of(w.cast<Array>(), "weights"));
}

py::dict alpha_dict(const stats::Alpha& a) {
    return py::dict("alpha"_a = a.alpha, "observed_disagreement"_a = a.observed_disagreement,
                    "expected_disagreement"_a = a.expected_disagreement, "pairable_values"_a = a.pairable_values,
                    "pairable_units"_a = a.pairable_units);
}

py::dict fleiss_dict(const stats::FleissKappa& f) {
    return py::dict("kappa"_a = f.kappa, "observed"_a = f.observed, "expected"_a = f.expected, "z"_a = f.z,
                    "p_value"_a = f.p_value, "category_kappas"_a = f.category_kappas, "categories"_a = f.categories,
                    "subjects"_a = f.subjects, "raters"_a = f.raters);
}

py::dict cohen_dict(const stats::CohenKappa& k) {
    return py::dict("kappa"_a = k.kappa, "observed"_a = k.observed, "expected"_a = k.expected, "se"_a = k.se,
                    "z"_a = k.z, "p_value"_a = k.p_value, "n"_a = k.n);
}

std::vector<double> doubles(const py::object& o) {
    if (o.is_none()) return {};
    return o.cast<std::vector<double>>();
}

py::dict severity_dict(const std::vector<stats::JurorSeverity>& jurors) {
    const std::size_t n = jurors.size();
    py::array_t<std::uint32_t> id(static_cast<py::ssize_t>(n));
    py::array_t<double> sev(static_cast<py::ssize_t>(n)), se(static_cast<py::ssize_t>(n)), z(static_cast<py::ssize_t>(n)),
        p(static_cast<py::ssize_t>(n)), infit(static_cast<py::ssize_t>(n)), outfit(static_cast<py::ssize_t>(n));
    py::array_t<std::uint64_t> count(static_cast<py::ssize_t>(n));
    py::array_t<bool> flagged(static_cast<py::ssize_t>(n));
    py::list reason;
    for (std::size_t i = 0; i < n; ++i) {
        const auto& j = jurors[i];
        const auto k = static_cast<py::ssize_t>(i);
        id.mutable_at(k) = j.juror;
        sev.mutable_at(k) = j.severity;
        se.mutable_at(k) = j.se;
        z.mutable_at(k) = j.z;
        p.mutable_at(k) = j.p_value;
        infit.mutable_at(k) = j.infit;
        outfit.mutable_at(k) = j.outfit;
        count.mutable_at(k) = j.observations;
        flagged.mutable_at(k) = j.flagged;
        reason.append(j.reason);
    }
    return py::dict("juror"_a = id, "severity"_a = sev, "se"_a = se, "z"_a = z, "p_value"_a = p, "infit"_a = infit,
                    "outfit"_a = outfit, "observations"_a = count, "flagged"_a = flagged, "reason"_a = reason);
}

}  // namespace

void register_stats(py::module_& parent) {
    auto m = parent.def_submodule("_stats", "certigraph's statistics on arrays; use certigraph.stats instead.");
    const auto stats_error = py::register_exception<stats::StatsError>(parent, "StatsError", parent.attr("Error"));
    py::register_exception<stats::DisconnectedDesign>(parent, "DisconnectedDesignError", stats_error);

    m.def("alpha", [](const Array& data, const std::string& metric) {
        const auto r = ratings_of(data, "krippendorff_alpha");
        const auto mt = stats::metric_from_string(metric);
        stats::Alpha a;
        {
            py::gil_scoped_release release;
            a = stats::krippendorff_alpha(r, mt);
        }
        return alpha_dict(a);
    });
    m.def("fleiss_counts", [](const Array& counts) {
        return fleiss_dict(stats::fleiss_kappa_counts(table_of(counts, "fleiss_kappa")));
    });
    m.def("fleiss_raw", [](const Array& data, const py::object& categories) {
        const auto c = doubles(categories);
        return fleiss_dict(stats::fleiss_kappa(ratings_of(data, "fleiss_kappa_raw"), c));
    });
    m.def("conger", [](const Array& data, const py::object& categories) {
        const auto c = doubles(categories);
        return stats::conger_kappa(ratings_of(data, "conger_kappa"), c);
    });
    m.def("cohen_table", [](const Array& table, const py::object& weights) {
        return cohen_dict(stats::cohen_kappa_table(table_of(table, "cohen_kappa_table"), weights_of(weights)));
    });
    m.def("cohen", [](const Array& a, const Array& b, const py::object& weights, const py::object& categories) {
        if (a.ndim() != 1 || b.ndim() != 1)
            throw stats::StatsError("cohen_kappa: pass two 1-dimensional arrays of marks (NaN = missing)");
        const auto c = doubles(categories);
        return cohen_dict(stats::cohen_kappa(std::span<const double>(a.data(), static_cast<std::size_t>(a.size())),
                                             std::span<const double>(b.data(), static_cast<std::size_t>(b.size())),
                                             weights_of(weights), c));
    });
    m.def("irr_weights", [](const std::vector<double>& d) {
        const auto w = stats::weight_matrix(stats::Weights::irr_vector(d), d.size());
        py::array_t<double> out({static_cast<py::ssize_t>(w.rows), static_cast<py::ssize_t>(w.cols)});
        std::copy(w.values.begin(), w.values.end(), out.mutable_data());
        return out;
    });
    m.def("gwet", [](const Array& data, const py::object& categories, const py::object& weights) {
        const auto c = doubles(categories);
        const auto g = stats::gwet_ac(ratings_of(data, "gwet_ac"), c, weights_of(weights));
        return py::dict("coefficient"_a = g.coefficient, "observed"_a = g.observed, "expected"_a = g.expected,
                        "subjects"_a = g.subjects);
    });
    m.def("icc", [](const Array& data, double confidence) {
        const auto t = stats::icc(ratings_of(data, "icc"), confidence);
        py::list forms;
        for (const auto& f : t.forms)
            forms.append(py::dict("form"_a = f.name, "description"_a = f.description, "icc"_a = f.value, "F"_a = f.f,
                                  "df1"_a = f.df1, "df2"_a = f.df2, "p_value"_a = f.p_value, "lower"_a = f.lower,
                                  "upper"_a = f.upper));
        return py::dict("forms"_a = forms, "targets"_a = t.targets, "judges"_a = t.judges, "dropped"_a = t.dropped);
    });
    m.def("kendall", [](const Array& data, bool tie_correction) {
        const auto w = stats::kendall_w(ratings_of(data, "kendall_w"), tie_correction);
        return py::dict("W"_a = w.w, "chi_square"_a = w.chi_square, "df"_a = w.df, "p_value"_a = w.p_value,
                        "objects"_a = w.objects, "judges"_a = w.judges, "dropped"_a = w.dropped,
                        "tie_corrected"_a = w.tie_corrected);
    });
    m.def("percent", [](const Array& data, double tolerance) {
        const auto p = stats::percent_agreement(ratings_of(data, "percent_agreement"), tolerance);
        return py::dict("all_agree"_a = p.all_agree, "pairwise"_a = p.pairwise, "units"_a = p.units);
    });
    m.def("severity", [](const Ids& candidate, const Ids& juror, const Ids& criterion, const Array& score,
                         const std::string& model, double alpha, std::vector<std::string> juror_names,
                         std::vector<std::string> candidate_names) {
        const auto n = static_cast<std::size_t>(score.size());
        if (static_cast<std::size_t>(candidate.size()) != n || static_cast<std::size_t>(juror.size()) != n ||
            static_cast<std::size_t>(criterion.size()) != n)
            throw stats::StatsError("juror_severity: candidate, juror, criterion and score differ in length");
        std::vector<stats::Observation> obs(n);
        for (std::size_t i = 0; i < n; ++i)
            obs[i] = {candidate.data()[i], juror.data()[i], criterion.data()[i], score.data()[i]};
        stats::SeverityOptions options;
        options.alpha = alpha;
        options.juror_names = std::move(juror_names);
        options.candidate_names = std::move(candidate_names);
        if (model == "additive") {
            stats::AdditiveModel fit;
            {
                py::gil_scoped_release release;
                fit = stats::additive_severity(obs, options);
            }
            py::dict d = severity_dict(fit.jurors);
            d["mu"] = fit.mu;
            d["sigma"] = fit.sigma;
            d["residual_df"] = fit.residual_df;
            d["candidate_effects"] = py::array_t<double>(static_cast<py::ssize_t>(fit.candidate_effects.size()),
                                                         fit.candidate_effects.data());
            d["criterion_effects"] = py::array_t<double>(static_cast<py::ssize_t>(fit.criterion_effects.size()),
                                                         fit.criterion_effects.data());
            return d;
        }
        if (model == "rasch") {
            stats::RaschModel fit;
            {
                py::gil_scoped_release release;
                fit = stats::rasch_severity(obs, options);
            }
            py::dict d = severity_dict(fit.jurors);
            d["thresholds"] = fit.thresholds;
            d["converged"] = fit.converged;
            d["iterations"] = fit.iterations;
            d["extreme_candidates"] = fit.extreme_candidates;
            d["candidate_measures"] = py::array_t<double>(static_cast<py::ssize_t>(fit.candidate_measures.size()),
                                                          fit.candidate_measures.data());
            d["criterion_difficulties"] = py::array_t<double>(
                static_cast<py::ssize_t>(fit.criterion_difficulties.size()), fit.criterion_difficulties.data());
            return d;
        }
        throw stats::StatsError("juror_severity: model '" + model + "': use \"additive\" or \"rasch\"");
    });
    m.def("cohort_agreement", [](const Referentiel& ref, const Cohort& cohort, const std::string& level,
                                 const std::string& metric) {
        stats::CohortAgreementOptions o{stats::level_from_string(level), stats::metric_from_string(metric)};
        std::vector<stats::LevelAgreement> rows;
        {
            py::gil_scoped_release release;
            rows = stats::cohort_agreement(ref, cohort, o);
        }
        py::list out;
        for (const auto& r : rows) {
            py::dict d = alpha_dict(r.alpha);
            d["code"] = r.code;
            d["exact_agreement"] = r.exact_agreement;
            d["mean_abs_difference"] = r.mean_abs_difference;
            d["units"] = r.units;
            out.append(d);
        }
        return out;
    });
    m.def("cohort_severity", [](const Referentiel& ref, const Cohort& cohort, const std::string& level,
                                const std::string& model, double alpha) {
        const auto lv = stats::level_from_string(level);
        const auto md = stats::severity_model_from_string(model);
        stats::SeverityOptions options;
        options.alpha = alpha;
        std::vector<std::string> names;
        std::vector<stats::LevelSeverity> rows;
        {
            py::gil_scoped_release release;
            rows = stats::cohort_severity(ref, cohort, lv, md, options, names);
        }
        py::list out;
        for (const auto& r : rows) out.append(py::make_tuple(r.code, severity_dict(r.jurors), r.error));
        return py::make_tuple(out, names);
    });
    m.def("cohort_observations", [](const Cohort& cohort) {
        std::vector<std::string> names;
        std::vector<stats::Observation> obs;
        {
            py::gil_scoped_release release;
            obs = stats::cohort_observations(cohort, names);
        }
        const auto n = static_cast<py::ssize_t>(obs.size());
        py::array_t<std::uint32_t> candidate(n), juror(n), criterion(n);
        py::array_t<double> score(n);
        for (py::ssize_t i = 0; i < n; ++i) {
            const auto& o = obs[static_cast<std::size_t>(i)];
            candidate.mutable_data()[i] = o.candidate;
            juror.mutable_data()[i] = o.juror;
            criterion.mutable_data()[i] = o.criterion;
            score.mutable_data()[i] = o.score;
        }
        return py::make_tuple(candidate, juror, criterion, score, names);
    });
}

}  // namespace certigraph::python
