// Inter-rater agreement coefficients: Krippendorff's alpha, Fleiss', Conger's and
// Cohen's kappas, Gwet's AC1/AC2, the Shrout-Fleiss ICCs, Kendall's W, percent agreement.
// Definitions, conventions and sources: docs/stats.md.
#pragma once

#include <certigraph/error.hpp>

#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace certigraph::stats {

/// A bad argument to a statistic (shape, metric, category, too little data). The
/// message names the argument and says what to pass instead.
class StatsError : public Error {
  public:
    using Error::Error;
};

/// A units x raters table of marks, row-major, NaN = missing. A view: the caller
/// keeps `values` alive.
struct Ratings {
    std::span<const double> values;
    std::size_t units = 0, raters = 0;
    double at(std::size_t unit, std::size_t rater) const { return values[unit * raters + rater]; }
    /// @throws StatsError when values.size() != units * raters
    void check(std::string_view what = "ratings") const;
};

/// A square or rectangular table of doubles, row-major.
struct Table {
    std::vector<double> values;
    std::size_t rows = 0, cols = 0;
    double at(std::size_t r, std::size_t c) const { return values[r * cols + c]; }
    double& at(std::size_t r, std::size_t c) { return values[r * cols + c]; }
};

// --- Krippendorff's alpha ----------------------------------------------------------

enum class Metric { nominal, ordinal, interval, ratio };
/// "nominal", "ordinal", "interval", "ratio". @throws StatsError for another name
Metric metric_from_string(std::string_view name);
std::string_view to_string(Metric metric);

struct Alpha {
    double alpha = 0;                   ///< 1 - Do/De (NaN when De = 0: a single value)
    double observed_disagreement = 0;   ///< Do
    double expected_disagreement = 0;   ///< De
    std::size_t pairable_values = 0;    ///< n: values in units holding >= 2 values
    std::size_t pairable_units = 0;     ///< units holding >= 2 values
};

/// Krippendorff's alpha from the coincidence matrix of the pairable values (units with
/// fewer than two values are left out); the value domain is the set of values seen.
Alpha krippendorff_alpha(const Ratings& ratings, Metric metric = Metric::interval);

/// The coincidence matrix o[c][k] over the sorted distinct pairable values.
struct Coincidences {
    std::vector<double> values;  ///< the value domain, ascending
    Table matrix;                ///< o[c][k], sums to the number of pairable values
};
Coincidences coincidence_matrix(const Ratings& ratings);

// --- Fleiss / Conger ---------------------------------------------------------------

struct FleissKappa {
    double kappa = 0;             ///< (Pbar - Pe) / (1 - Pe)
    double observed = 0;          ///< Pbar
    double expected = 0;          ///< Pe
    double z = 0;                 ///< kappa / se under kappa = 0 (Fleiss, Nee & Landis 1979)
    double p_value = 0;           ///< two-sided, normal approximation
    std::vector<double> category_kappas;  ///< kappa_j per category (NaN if p_j is 0 or 1)
    std::vector<double> categories;       ///< the category of each column
    std::size_t subjects = 0, raters = 0;  ///< raters per subject
};

/// Fleiss' kappa from a subjects x categories table of counts (same number of raters
/// for every subject). @throws StatsError on unequal row sums or negative counts
FleissKappa fleiss_kappa_counts(const Table& counts);

/// Fleiss' kappa from raw marks (subjects x raters). Every subject must have the same
/// number of marks: subjects with a missing mark are refused. `categories` lists
/// the category set (an unused category still counts); empty: the values seen.
FleissKappa fleiss_kappa(const Ratings& ratings, std::span<const double> categories = {});

/// Conger's (1980) exact kappa (irr::kappam.fleiss(exact = TRUE)): same observed
/// agreement, chance agreement from each rater's own marginals. Complete data only.
double conger_kappa(const Ratings& ratings, std::span<const double> categories = {});

// --- Cohen's kappa and agreement weights --------------------------------------------

/// Agreement weights w[i][j] in [0, 1], w[i][i] = 1, over an ordered category set.
enum class WeightKind { none, linear, quadratic, custom };
struct Weights {
    WeightKind kind = WeightKind::none;
    Table custom;  ///< q x q, for WeightKind::custom
    /// "none"/"unweighted", "linear"/"equal", "quadratic"/"squared". @throws StatsError
    static Weights named(std::string_view name);
    static Weights matrix(Table w);
    /// R irr's numeric `weight` vector: disagreement d[k] for categories k steps
    /// apart; agreement weight 1 - (d[k] - min d) / (max d - min d).
    static Weights irr_vector(std::span<const double> disagreement);
};
/// The q x q agreement weights (linear 1-|i-j|/(q-1), quadratic 1-(i-j)^2/(q-1)^2 on the
/// category indices). @throws StatsError when a custom matrix is not q x q
Table weight_matrix(const Weights& weights, std::size_t q);

struct CohenKappa {
    double kappa = 0;     ///< (po - pe) / (1 - pe)
    double observed = 0;  ///< po (weighted)
    double expected = 0;  ///< pe (weighted)
    double se = 0;        ///< asymptotic standard error under kappa = 0 (Fleiss, Cohen & Everitt 1969)
    double z = 0, p_value = 0;
    std::size_t n = 0;    ///< pairs counted
};

/// Cohen's kappa from a q x q contingency table (rows rater 1, columns rater 2, the
/// same ordered categories). @throws StatsError when the table is not square
CohenKappa cohen_kappa_table(const Table& table, const Weights& weights = {});

/// Cohen's kappa of two raters' marks; pairs with a missing mark are left out.
/// `categories` is the ordered category set (an unused category still counts and
/// takes its place in the weights); empty: the values seen, ascending.
CohenKappa cohen_kappa(std::span<const double> a, std::span<const double> b, const Weights& weights = {},
                       std::span<const double> categories = {});

/// The q x q contingency table of two raters over `categories` (empty: the values seen).
Table contingency_table(std::span<const double> a, std::span<const double> b,
                        std::vector<double>& categories);

// --- Gwet --------------------------------------------------------------------------

struct GwetAc {
    double coefficient = 0;  ///< AC1 when unweighted, AC2 otherwise
    double observed = 0, expected = 0;
    std::size_t subjects = 0;  ///< subjects with >= 2 marks (observed agreement)
};
/// Gwet's AC1 (no weights) or AC2 (weights) for any number of raters with missing
/// marks (Gwet 2014, irrCAC gwet.ac1.raw).
GwetAc gwet_ac(const Ratings& ratings, std::span<const double> categories = {}, const Weights& weights = {});

// --- ICC ---------------------------------------------------------------------------

/// One Shrout-Fleiss form with its F test against rho = 0 and 95 % interval.
struct IccForm {
    std::string name;        ///< "ICC(1,1)" ... "ICC(3,k)"
    std::string description;
    double value = 0;
    double f = 0, df1 = 0, df2 = 0, p_value = 0;
    double lower = 0, upper = 0;  ///< 95 % confidence interval
};
struct IccTable {
    std::array<IccForm, 6> forms;  ///< ICC(1,1), ICC(2,1), ICC(3,1), ICC(1,k), ICC(2,k), ICC(3,k)
    std::size_t targets = 0, judges = 0;
    std::size_t dropped = 0;       ///< targets left out because a mark was missing
    double ms_rows = 0, ms_cols = 0, ms_error = 0, ms_within = 0;
    /// The form by name ("ICC(2,1)", also "ICC1", "ICC2k", ...). @throws StatsError
    const IccForm& form(std::string_view name) const;
};
/// All six forms on targets x judges; targets with a missing mark are left out
/// (as psych::ICC does by default). @throws StatsError with fewer than 2 x 2 complete
IccTable icc(const Ratings& ratings, double confidence = 0.95);

// --- Kendall's W -------------------------------------------------------------------

struct KendallW {
    double w = 0;
    double chi_square = 0, df = 0, p_value = 0;  ///< m (n - 1) W on n - 1 df
    std::size_t objects = 0, judges = 0;
    std::size_t dropped = 0;   ///< objects left out because a mark was missing
    bool tie_corrected = false;
};
/// Kendall's W of objects x judges: each judge's marks are ranked (mid-ranks for ties).
KendallW kendall_w(const Ratings& ratings, bool tie_correction = true);

// --- Percent agreement -------------------------------------------------------------

struct PercentAgreement {
    double all_agree = 0;  ///< share of units (with >= 2 marks) whose marks are all equal
    double pairwise = 0;   ///< share of agreeing pairs among all pairs of marks within units
    std::size_t units = 0;
};
/// Exact agreement (|a - b| <= tolerance counts as equal).
PercentAgreement percent_agreement(const Ratings& ratings, double tolerance = 0);

}  // namespace certigraph::stats
