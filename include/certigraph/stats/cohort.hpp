// Jury-quality statistics on a graded cohort: agreement of the juror slots per
// criterion, épreuve or bloc, and the jurors' severity, in one call each.
#pragma once

#include <certigraph/grading/cohort.hpp>
#include <certigraph/referentiel/referentiel.hpp>
#include <certigraph/stats/agreement.hpp>
#include <certigraph/stats/severity.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace certigraph::stats {

/// The level agreement is reported at. At épreuve and bloc level a unit is one
/// (candidate row, criterion) pair of the criteria it holds.
enum class Level { criterion, epreuve, bloc };
/// "criterion", "epreuve" (or "épreuve"), "bloc". @throws StatsError
Level level_from_string(std::string_view name);
std::string_view to_string(Level level);

struct CohortAgreementOptions {
    Level level = Level::criterion;
    Metric metric = Metric::interval;
};

/// Agreement of one criterion, épreuve or bloc.
struct LevelAgreement {
    std::string code;        ///< criterion, épreuve or bloc code
    Alpha alpha;             ///< Krippendorff's alpha over the juror slots
    double exact_agreement;  ///< share of units (>= 2 marks) whose marks are all equal (NaN: none)
    double mean_abs_difference;  ///< mean |a - b| over the pairs of marks within units (NaN: none)
    std::size_t units = 0;   ///< units with at least one mark
};

/// Agreement at the chosen level for every criterion / épreuve / bloc of the
/// référentiel, in its dense order. Absent and exempt slots count as missing.
/// @throws StatsError when the cohort does not have the référentiel's criteria
std::vector<LevelAgreement> cohort_agreement(const Referentiel& referentiel, const Cohort& cohort,
                                             const CohortAgreementOptions& options = {});

/// The cohort's marks in long form (absent, exempt and missing slots left out). A
/// juror is the named juror of the slot when the cohort knows it (read from a file),
/// else the slot itself ("slot 1", "slot 2", ...). `juror_names` receives the names.
std::vector<Observation> cohort_observations(const Cohort& cohort, std::vector<std::string>& juror_names);

/// Juror severity within one criterion, épreuve or bloc.
struct LevelSeverity {
    std::string code;
    std::vector<JurorSeverity> jurors;  ///< empty when the fit failed
    std::string error;                  ///< why the fit failed (disconnected, too few marks), else empty
};

enum class SeverityModel { additive, rasch };
/// "additive", "rasch". @throws StatsError
SeverityModel severity_model_from_string(std::string_view name);

/// Juror severity fitted separately on the marks of each criterion, épreuve or bloc
/// (jurors as cohort_observations names them, in `juror_names`). A level whose fit
/// fails carries the reason instead of stopping the others.
std::vector<LevelSeverity> cohort_severity(const Referentiel& referentiel, const Cohort& cohort, Level level,
                                           SeverityModel model, const SeverityOptions& options,
                                           std::vector<std::string>& juror_names);

}  // namespace certigraph::stats
