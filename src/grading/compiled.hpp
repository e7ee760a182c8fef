// Private: a policy compiled against a référentiel into flat arrays, and the
// block kernel that grades rows with it.
//
// Design note. A cohort is [row][criterion][slot] floats. The kernel takes rows in
// blocks of `block_rows` (a block's values fit in L2) and evaluates the whole block
// one node at a time — every criterion, then every competency, then every bloc —
// with the row index innermost, so each step is a short, branch-light loop over
// contiguous per-node arrays that the compiler vectorises. Each row's results
// depend only on that row, in a fixed order of operations: any split of the rows
// into blocks or threads gives the same bits.
//
// Three-valued logic. Every node carries a Status and an interval [lo, hi] of its
// possible value: a known value has lo == hi; an unknown criterion spans its scale.
// A rule is validated when the interval/counts guarantee it, not_validated when they
// rule it out, incomplete otherwise.
#pragma once

#include <certigraph/grading/grader.hpp>

#include <array>
#include <cstdint>
#include <limits>
#include <vector>

namespace certigraph::detail {

/// Why a criterion has no ordinary value.
enum class Note : std::uint8_t { none, missing, too_few_jurors, absent, exempt, disagree };

struct CompiledRule {
    RuleKind kind = RuleKind::all;
    unsigned k = 0;
    double minimum = 0.0;
    double threshold = 0.0;
    double floor = -std::numeric_limits<double>::infinity();
    std::uint32_t first = 0, count = 0;  ///< range in CompiledPolicy::children
    std::string text;                    ///< the rule as explanations print it
};

struct CompiledPolicy {
    Referentiel referentiel;
    Policy policy;
    std::size_t criteria = 0, competencies = 0, blocs = 0;

    // Per criterion.
    std::vector<Scale> scale{};
    std::vector<float> threshold{}, lowest{}, highest{};
    std::vector<Aggregation> aggregation{};

    // Rules: competencies over criteria; blocs over competencies or criteria.
    std::vector<CompiledRule> competency_rule{}, bloc_rule{};
    std::vector<bool> bloc_over_criteria{};
    std::vector<std::uint32_t> children{};  ///< child dense indices, rule by rule
    std::vector<double> weight{};           ///< weight (weighted_mean) or points (points)
    std::vector<std::uint8_t> required{};   ///< points: child must be met

    /// When every competency rule is `all` and every bloc rule is `all` (over
    /// competencies or criteria), a bloc is validated iff all its criteria are: the
    /// fast path then skips the competency level unless details are asked for.
    bool all_of_all = false;
    std::vector<std::uint32_t> bloc_criteria{};  ///< per bloc, its criteria, bloc after bloc
    std::vector<std::uint32_t> bloc_criteria_first{};  ///< blocs + 1 offsets into bloc_criteria
    bool bloc_criteria_contiguous = false;  ///< each bloc's criteria are consecutive indices

    /// Division-free criteria (kernel_masks.cpp). passing_sum[k][d - 1] is the smallest
    /// float sum s with s / d >= threshold[k] in float arithmetic, so `sum >= passing_sum`
    /// is the same test as `sum / d >= threshold` for every sum, by construction (float
    /// division by d > 0 is monotone); NaN when the threshold is NaN.
    static constexpr unsigned mask_max_jurors = 3;
    std::vector<std::array<float, mask_max_jurors>> passing_sum{};
    /// A counting rule over at most 64 children, as a bit set of them.
    struct MaskRule {
        std::uint64_t members = 0;
        std::uint32_t k = 0;  ///< children to meet (at_least); unused for `all`
        bool all = true;
    };
    /// The rules as bit sets when every rule counts (all, at_least) over distinct
    /// children and there are at most 64 criteria and 64 competencies; with
    /// all_of_all, bloc_masks are over criteria (the union of their competencies').
    bool masks_fit = false;
    std::vector<MaskRule> competency_masks{}, bloc_masks{};
};

/// The smallest float s with s / d >= threshold in float arithmetic (NaN if threshold is).
float smallest_passing_sum(float threshold, unsigned d);

/// Compiles and checks; @throws GradingError naming the policy field.
CompiledPolicy compile(Referentiel referentiel, Policy policy);

/// Per-thread scratch space for a block of rows.
struct Workspace {
    static constexpr std::size_t block_rows = 256;
    std::size_t stride = 0;  ///< rows a node's arrays hold (block_rows, or 1 for one row)
    std::vector<float> crit_lo, crit_hi;
    std::vector<Status> crit_status;
    std::vector<Note> crit_note;
    std::vector<double> comp_lo, comp_hi;
    std::vector<Status> comp_status;
    std::vector<double> bloc_lo, bloc_hi;
    std::vector<Status> bloc_status;
    /// Sizes every array for `rows` rows per node (grade_block takes at most that many).
    void reserve(const CompiledPolicy& p, std::size_t rows = block_rows);
};

/// Grades rows [first, first + n) (n <= w.stride) into the workspace; row i of the
/// block is at [node * w.stride + i] in each array.
void grade_block(const CompiledPolicy& p, const Cohort& cohort, std::size_t first, std::size_t n,
                 std::uint32_t president_juror, Workspace& w);

/// True when the cohort and policy allow the row-major fast path: no absent/exempt
/// marks, every criterion aggregated by its mean, only counting rules (all, at_least).
bool fits_fast_path(const CompiledPolicy& p, const Cohort& cohort);

/// Grades rows [begin, end) on the fast path, writing straight into `result`
/// (details when its detail arrays are sized). Gives the same bits as grade_block.
void grade_rows_fast(const CompiledPolicy& p, const Cohort& cohort, std::size_t begin,
                     std::size_t end, GradeResult& result);

/// Bloc statuses only, rows [begin, end), with bit masks (kernel_masks.cpp): true when
/// the policy and cohort fit (fits_fast_path, masks_fit, 1 to 3 juror slots), else false
/// and nothing is written. Gives the same bits as grade_block.
bool grade_rows_masks(const CompiledPolicy& p, const Cohort& cohort, std::size_t begin, std::size_t end,
                      Status* bloc_status);

/// Tests: the widest vectors grade_rows_masks may use: 512 (AVX-512, the default, where
/// the processor has it), 256 (AVX2) or 0 (its portable pass).
void limit_simd(unsigned bits);

/// The juror id (Cohort::juror) of the policy's president, or Cohort::no_juror.
std::uint32_t president_of(const CompiledPolicy& p, const Cohort& cohort);

}  // namespace certigraph::detail
