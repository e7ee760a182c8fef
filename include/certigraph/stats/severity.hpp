// Juror severity: the additive model (least squares) and the many-facet Rasch
// rating-scale model (joint maximum likelihood). Conventions: docs/stats.md.
#pragma once

#include <certigraph/stats/agreement.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace certigraph::stats {

/// One mark in long form: ids are dense 0-based indices into each facet.
struct Observation {
    std::uint32_t candidate = 0, juror = 0, criterion = 0;
    double score = 0;
};

/// A design whose candidate-juror graph falls apart: juror severities of different
/// groups cannot be compared. `groups` lists each group's juror ids, and what()
/// names them with the candidates of each group.
class DisconnectedDesign : public StatsError {
  public:
    DisconnectedDesign(const std::string& message, std::vector<std::vector<std::uint32_t>> juror_groups)
        : StatsError(message), groups(std::move(juror_groups)) {}
    std::vector<std::vector<std::uint32_t>> groups;
};

struct SeverityOptions {
    double alpha = 0.05;        ///< two-sided level of the test severity = 0 (flag when p < alpha)
    double infit_low = 0.5, infit_high = 1.5;  ///< Rasch: acceptable infit/outfit mean squares
    std::size_t max_iterations = 500;          ///< Rasch JMLE
    double tolerance = 1e-7;  ///< Rasch: stop when no estimate moves more than this (logits)
    /// Names for messages (optional; ids are used when empty).
    std::vector<std::string> juror_names, candidate_names;
};

/// One juror's row of the severity table.
struct JurorSeverity {
    std::uint32_t juror = 0;
    double severity = 0;  ///< > 0: marks lower than the others (harsher); centred on 0
    double se = 0;        ///< standard error
    double z = 0, p_value = 1;
    std::size_t observations = 0;
    double infit = 0, outfit = 0;  ///< mean squares (Rasch; NaN for the additive model)
    bool flagged = false;
    std::string reason;   ///< why it is flagged, empty otherwise
};

struct AdditiveModel {
    double mu = 0;                                ///< grand mean (unweighted effects)
    std::vector<double> candidate_effects;        ///< sum to zero over candidates with marks
    std::vector<double> criterion_effects;        ///< sum to zero over criteria with marks
    std::vector<JurorSeverity> jurors;            ///< severity s_j: score = mu + a_c + b_k - s_j + e
    double residual_ss = 0, sigma = 0;
    std::size_t observations = 0, residual_df = 0;
};

/// Least squares fit of score = mu + candidate + criterion - severity + error on an
/// incomplete design; each facet's effects sum to zero over its levels that have
/// marks (unweighted). Facets with ids but no marks get NaN.
/// @throws DisconnectedDesign, StatsError (no marks, confounded facets, no residual df)
AdditiveModel additive_severity(std::span<const Observation> observations, const SeverityOptions& options = {});

struct RaschModel {
    std::vector<double> candidate_measures;  ///< logits (NaN for extreme candidates, left out)
    std::vector<double> criterion_difficulties;  ///< centred on 0
    std::vector<double> thresholds;          ///< Rasch-Andrich thresholds F_1..F_m, sum 0
    std::vector<JurorSeverity> jurors;       ///< severity = juror measure, centred on 0
    double minimum_category = 0;             ///< score of category 0
    std::size_t iterations = 0, extreme_candidates = 0;
    bool converged = false;
};

/// Many-facet Rasch rating-scale model log(P_k / P_{k-1}) = B_c - D_k - S_j - F_k by
/// joint maximum likelihood (no bias correction). Scores must be integers; the
/// categories run from the lowest to the highest score seen. Candidates with only
/// extreme scores are left out (their measure is infinite).
RaschModel rasch_severity(std::span<const Observation> observations, const SeverityOptions& options = {});

}  // namespace certigraph::stats
