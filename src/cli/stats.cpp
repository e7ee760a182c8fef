// `certigraph stats`: agreement of the juror slots per criterion / épreuve / bloc and
// the juror severity table with flagged jurors.
#include "cli/common.hpp"

#include <certigraph/grading/grader.hpp>
#include <certigraph/io/evaluations.hpp>
#include <certigraph/stats/cohort.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <optional>

namespace certigraph::cli {

namespace {

std::string fixed(double v, int digits, bool sign = false) {
    if (std::isnan(v)) return "-";
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, sign ? "%+.*f" : "%.*f", digits, v);
    return buffer;
}

std::string p_value(double p) {
    if (std::isnan(p)) return "-";
    if (p < 0.0001) return "<0.0001";
    return fixed(p, 4);
}

/// Full precision for machine formats; empty for NaN.
std::string exact(double v) {
    if (std::isnan(v)) return "";
    std::ostringstream os;
    os << std::setprecision(17) << v;
    return os.str();
}

nlohmann::ordered_json json_number(double v) { return std::isnan(v) ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(v); }

struct Severity {
    std::string model;
    std::vector<stats::JurorSeverity> jurors;
    std::vector<std::string> names;
    std::size_t marks = 0;
    double mu = std::nan("");
    std::string error;  // the design could not be fitted
};

}  // namespace

int run_stats(const GradeArguments& a, const std::string& by, const std::string& format, const std::string& metric,
              const std::string& model, double alpha) {
    const Grader grader(io::load_referentiel(a.referentiel), io::load_policy(a.policy));
    const Cohort cohort = io::load_evaluations(grader, a.evaluations);
    const Referentiel& ref = grader.referentiel();
    const stats::CohortAgreementOptions options{stats::level_from_string(by), stats::metric_from_string(metric)};
    const auto agreement = stats::cohort_agreement(ref, cohort, options);

    Severity sev;
    sev.model = model;
    const auto obs = stats::cohort_observations(cohort, sev.names);
    sev.marks = obs.size();
    stats::SeverityOptions so;
    so.alpha = alpha;
    so.juror_names = sev.names;
    for (std::size_t r = 0; r < cohort.rows(); ++r) so.candidate_names.push_back(cohort.candidate(r));
    try {
        if (model == "rasch") {
            sev.jurors = stats::rasch_severity(obs, so).jurors;
        } else {
            const auto fit = stats::additive_severity(obs, so);
            sev.jurors = fit.jurors;
            sev.mu = fit.mu;
        }
    } catch (const stats::StatsError& e) {
        sev.error = e.what();
    }
    const std::string level(stats::to_string(options.level));

    if (format == "json") {
        nlohmann::ordered_json doc{{"format", "certigraph/stats"},
                                   {"format_version", 1},
                                   {"referentiel", ref.certification().code},
                                   {"candidates", cohort.rows()},
                                   {"juror_slots", cohort.jurors()},
                                   {"level", level},
                                   {"metric", metric}};
        doc["agreement"] = nlohmann::ordered_json::array();
        for (const auto& r : agreement)
            doc["agreement"].push_back({{"code", r.code},
                                        {"alpha", json_number(r.alpha.alpha)},
                                        {"observed_disagreement", json_number(r.alpha.observed_disagreement)},
                                        {"expected_disagreement", json_number(r.alpha.expected_disagreement)},
                                        {"pairable_values", r.alpha.pairable_values},
                                        {"pairable_units", r.alpha.pairable_units},
                                        {"units", r.units},
                                        {"exact_agreement", json_number(r.exact_agreement)},
                                        {"mean_abs_difference", json_number(r.mean_abs_difference)}});
        nlohmann::ordered_json s{{"model", model}, {"marks", sev.marks}, {"alpha", alpha}};
        if (!sev.error.empty()) s["error"] = sev.error;
        if (!std::isnan(sev.mu)) s["mu"] = sev.mu;
        s["jurors"] = nlohmann::ordered_json::array();
        for (const auto& j : sev.jurors) {
            nlohmann::ordered_json row{{"juror", sev.names[j.juror]}, {"severity", json_number(j.severity)},
                                       {"se", json_number(j.se)},     {"z", json_number(j.z)},
                                       {"p_value", json_number(j.p_value)}, {"observations", j.observations}};
            if (model == "rasch") {
                row["infit"] = json_number(j.infit);
                row["outfit"] = json_number(j.outfit);
            }
            row["flagged"] = j.flagged;
            row["reason"] = j.reason;
            s["jurors"].push_back(std::move(row));
        }
        doc["severity"] = std::move(s);
        std::cout << doc.dump(2, ' ', false) << '\n';
    } else if (format == "csv") {
        std::cout << "table,code,alpha,pairable_values,units,exact_agreement,mean_abs_difference,"
                     "severity,se,p_value,observations,infit,outfit,flagged,reason\n";
        for (const auto& r : agreement)
            std::cout << level << ',' << csv_field(r.code) << ',' << exact(r.alpha.alpha) << ','
                      << r.alpha.pairable_values << ',' << r.units << ',' << exact(r.exact_agreement) << ','
                      << exact(r.mean_abs_difference) << ",,,,,,,,\n";
        for (const auto& j : sev.jurors)
            std::cout << "juror," << csv_field(sev.names[j.juror]) << ",,,,,," << exact(j.severity) << ','
                      << exact(j.se) << ',' << exact(j.p_value) << ',' << j.observations << ',' << exact(j.infit)
                      << ',' << exact(j.outfit) << ',' << (j.flagged ? "true" : "false") << ','
                      << csv_field(j.reason) << '\n';
    } else {
        std::cout << "agreement per " << level << " (Krippendorff's alpha, " << metric << "; "
                  << counted(cohort.rows(), "candidate", "candidates") << ", "
                  << counted(cohort.jurors(), "juror slot", "juror slots") << ")\n";
        std::cout << std::left << std::setw(16) << "code" << std::right << std::setw(8) << "alpha" << std::setw(10)
                  << "pairable" << std::setw(8) << "exact" << std::setw(11) << "mean |d|" << '\n';
        for (const auto& r : agreement)
            std::cout << std::left << std::setw(16) << r.code << std::right << std::setw(8) << fixed(r.alpha.alpha, 3)
                      << std::setw(10) << r.alpha.pairable_units << std::setw(8) << fixed(r.exact_agreement, 2)
                      << std::setw(11) << fixed(r.mean_abs_difference, 2) << '\n';
        std::cout << "\njuror severity (" << model
                  << (model == "rasch" ? " rating-scale model, logits" : " model: score = mean + candidate + criterion - severity")
                  << "; > 0 = harsher; " << counted(sev.marks, "mark", "marks") << ")\n";
        if (!sev.error.empty()) {
            std::cout << sev.error << '\n';
        } else {
            std::cout << std::left << std::setw(12) << "juror" << std::right << std::setw(10) << "severity"
                      << std::setw(8) << "se" << std::setw(10) << "p" << std::setw(7) << "marks";
            if (model == "rasch") std::cout << std::setw(7) << "infit" << std::setw(8) << "outfit";
            std::cout << "  flag\n";
            std::size_t flagged = 0;
            for (const auto& j : sev.jurors) {
                std::cout << std::left << std::setw(12) << sev.names[j.juror] << std::right << std::setw(10)
                          << fixed(j.severity, 3, true) << std::setw(8) << fixed(j.se, 3) << std::setw(10)
                          << p_value(j.p_value) << std::setw(7) << j.observations;
                if (model == "rasch") std::cout << std::setw(7) << fixed(j.infit, 2) << std::setw(8) << fixed(j.outfit, 2);
                std::cout << "  " << (j.flagged ? "FLAGGED: " + j.reason : "") << '\n';
                flagged += j.flagged;
            }
            std::cout << counted(flagged, "juror", "jurors") << " flagged of " << sev.jurors.size() << '\n';
        }
    }
    if (!sev.error.empty()) {
        std::cerr << "certigraph: " << sev.error << '\n';
        return found;
    }
    return ok;
}

}  // namespace certigraph::cli
