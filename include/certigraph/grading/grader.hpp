// Grading: a policy compiled against a référentiel, applied to a whole cohort in
// one streaming pass, with explanations, what-if and incremental re-grading.
#pragma once

#include <certigraph/grading/cohort.hpp>
#include <certigraph/grading/policy.hpp>
#include <certigraph/referentiel/referentiel.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace certigraph {

/// The outcome of a rule at any level. For blocs: validated / not validated; for
/// competencies: acquired / not acquired; for criteria: met / not met.
enum class Status : std::uint8_t {
    incomplete = 0,     ///< the known values neither guarantee nor rule out the rule
    validated = 1,      ///< guaranteed by the known values
    not_validated = 2,  ///< ruled out by the known values
    exempt = 3,         ///< every child exempt
};

std::string_view to_string(Status status) noexcept;

/// Options of a grading run.
struct GradeOptions {
    unsigned threads = 0;  ///< 0: as many as the machine has, for large cohorts
    /// Also fill criterion values and criterion/competency statuses (several times the
    /// time of bloc statuses alone); they can also be added later with Grader::add_details.
    bool details = false;
    /// Called now and then from one thread with (rows done, rows in all); may be empty.
    std::function<void(std::size_t, std::size_t)> progress{};
};

/// Results of grading a cohort: bloc statuses always, details on request (the detail
/// arrays are empty without). Arrays are row-major [row][node] in the référentiel's
/// dense order.
struct GradeResult {
    std::size_t rows = 0, blocs = 0, competencies = 0, criteria = 0;
    std::vector<Status> bloc_status;          ///< rows x blocs
    std::vector<float> criterion_value;       ///< rows x criteria (aggregated; NaN unknown)
    std::vector<Status> criterion_status;     ///< rows x criteria
    std::vector<Status> competency_status;    ///< rows x competencies

    Status bloc(std::size_t row, std::size_t bloc) const { return bloc_status[row * blocs + bloc]; }
    /// Bit-for-bit equality (NaN values compare equal to the same NaN).
    friend bool operator==(const GradeResult& a, const GradeResult& b);
};

/// Why a node has its status: the tree bloc <- competency <- criterion.
struct Explanation {
    NodeKind kind = NodeKind::bloc;
    std::string code{};
    Status status = Status::incomplete;
    std::string rule{};          ///< "all", "at_least 2", "weighted_mean >= 10 (floor 6)", "mean >= 10"
    std::optional<double> value{};      ///< aggregated value (criteria; weighted means)
    std::optional<double> threshold{};
    std::optional<double> margin{};     ///< value - threshold, or met - needed for counting rules
    std::vector<std::optional<double>> jurors{};  ///< criteria: each slot's value (nullopt: missing)
    std::string note{};          ///< "missing", "absent", "exempt", "jurors disagree", ...
    std::vector<Explanation> children{};
};

/// One row of a what-if: the cohort's bloc statuses when a threshold is set to `threshold`.
struct SensitivityRow {
    double threshold = 0.0;
    std::size_t validated = 0, not_validated = 0, incomplete = 0, exempt = 0;
    std::size_t changed = 0;  ///< (row, bloc) pairs whose status differs from the base policy
};

namespace detail {
struct CompiledPolicy;
}

/// A policy compiled against a référentiel: every code resolved, every rule
/// checked, once. Immutable and safe to use from several threads at once.
class Grader {
  public:
    /// @throws GradingError naming the policy field that does not fit the référentiel
    ///         (unknown code, unknown scale, compensation not allowed, ...).
    Grader(Referentiel referentiel, Policy policy);
    ~Grader();
    Grader(const Grader&);
    Grader& operator=(const Grader&);
    Grader(Grader&&) noexcept;
    Grader& operator=(Grader&&) noexcept;

    const Referentiel& referentiel() const noexcept;
    const Policy& policy() const noexcept;
    /// The scale each criterion is read on, in dense order.
    const Scale& scale_of_criterion(Index criterion) const;

    /// Grades every row. Deterministic: the same bits for any thread count.
    /// @throws GradingError if the cohort's criteria do not match the référentiel.
    GradeResult grade(const Cohort& cohort, const GradeOptions& options = {}) const;

    /// Fills the detail arrays of a result graded without them from the same cohort
    /// (details on first use): the same bits as grading with details. Does nothing if
    /// the result has them. @throws GradingError if `result` is not this cohort's, or
    /// if its bloc statuses are no longer the cohort's (the values changed since).
    void add_details(const Cohort& cohort, GradeResult& result, unsigned threads = 0) const;

    /// Re-grades one row into an existing result (after a value of that row changed).
    void regrade(const Cohort& cohort, std::size_t row, GradeResult& result) const;

    /// The tree of why for one row.
    std::vector<Explanation> explain(const Cohort& cohort, std::size_t row) const;

    /// A copy of this grader with the policy's `thresholds[code]` set: `code` names a
    /// criterion, competency, bloc or épreuve, and the criteria under it get
    /// `threshold` unless a more specific entry of the policy sets their own
    /// (criterion > competency > épreuve > bloc).
    Grader with_threshold(const std::string& code, double threshold) const;

  private:
    std::shared_ptr<const detail::CompiledPolicy> compiled_;
};

/// What-if: bloc statuses of the cohort for each threshold from `from` to `to`
/// (inclusive) by `step`, set with Grader::with_threshold(code, ...).
std::vector<SensitivityRow> sensitivity(const Grader& grader, const Cohort& cohort,
                                        const std::string& code, double from, double to,
                                        double step);

}  // namespace certigraph
