// The grading kernel: one block of rows, node by node (see compiled.hpp).
#include "grading/compiled.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace certigraph::detail {

namespace {

constexpr std::size_t max_slots = 64;
constexpr float nan = std::numeric_limits<float>::quiet_NaN();

/// The most frequent value; on a tie, the president's value if it is tied, else the lowest.
float mode(std::array<float, max_slots>& v, std::size_t n, float president_value) {
    std::sort(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n));
    std::size_t best = 0, best_count = 0;
    bool tie = false;
    for (std::size_t i = 0; i < n;) {
        std::size_t j = i;
        while (j < n && v[j] == v[i]) ++j;
        if (j - i > best_count) {
            best = i;
            best_count = j - i;
            tie = false;
        } else if (j - i == best_count) {
            tie = true;
        }
        i = j;
    }
    if (tie && !std::isnan(president_value)) {
        // Is the president's value among the tied most frequent ones?
        const auto c = static_cast<std::size_t>(
            std::count(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n), president_value));
        if (c == best_count) return president_value;
    }
    return v[best];
}

/// Mean-of-the-values criteria without absent/exempt marks: the common case, kept
/// simple enough for the compiler to vectorise.
void criterion_mean_fast(const float* values, std::size_t stride, std::size_t jurors,
                         std::size_t n, float threshold, float lowest, float highest,
                         unsigned min_jurors, float* lo, float* hi, Status* status, Note* note) {
    for (std::size_t i = 0; i < n; ++i) {
        const float* v = values + i * stride;
        float sum = 0.0f;
        unsigned count = 0;
        for (std::size_t j = 0; j < jurors; ++j) {
            const bool present = !std::isnan(v[j]);
            sum += present ? v[j] : 0.0f;
            count += present;
        }
        const bool known = count >= min_jurors;
        const float mean = sum / static_cast<float>(count ? count : 1);
        lo[i] = known ? mean : lowest;
        hi[i] = known ? mean : highest;
        status[i] = !known ? Status::incomplete
                           : (mean >= threshold ? Status::validated : Status::not_validated);
        note[i] = known ? Note::none : (count == 0 ? Note::missing : Note::too_few_jurors);
    }
}

void criterion_general(const CompiledPolicy& p, const Cohort& cohort, std::size_t first,
                       std::size_t n, Index k, std::uint32_t president_juror, float* lo,
                       float* hi, Status* status, Note* note) {
    const std::size_t J = cohort.jurors(), C = cohort.criteria();
    const float threshold = p.threshold[k], lowest = p.lowest[k], highest = p.highest[k];
    const Aggregation agg = p.aggregation[k];
    const float* values = cohort.values();
    const std::uint8_t* marks = cohort.marks();
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t base = ((first + i) * C + k) * J;
        std::array<float, max_slots> v;
        std::size_t count = 0, absent = 0, exempt = 0;
        float president_value = nan;
        for (std::size_t j = 0; j < J; ++j) {
            const auto mark = marks ? static_cast<Mark>(marks[base + j]) : Mark::value;
            if (mark == Mark::absent) { ++absent; continue; }
            if (mark == Mark::exempt) { ++exempt; continue; }
            const float x = values[base + j];
            if (std::isnan(x)) continue;
            v[count++] = x;
            const bool is_president = president_juror == Cohort::no_juror
                                          ? j == 0
                                          : cohort.juror(first + i, k, j) == president_juror;
            if (is_president) president_value = x;
        }
        Note why = Note::none;
        float value = nan;
        if (absent > 0) {
            why = Note::absent;  // counts as not met, and as the scale's lowest value
        } else if (count == 0 && exempt > 0) {
            why = Note::exempt;
        } else if (count < p.policy.min_jurors) {
            why = count == 0 ? Note::missing : Note::too_few_jurors;
        } else {
            switch (agg) {
                case Aggregation::mean: {
                    float sum = 0.0f;
                    for (std::size_t j = 0; j < count; ++j) sum += v[j];
                    value = sum / static_cast<float>(count);
                    break;
                }
                case Aggregation::median: {
                    std::sort(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(count));
                    value = count % 2 ? v[count / 2] : (v[count / 2 - 1] + v[count / 2]) / 2.0f;
                    break;
                }
                case Aggregation::min:
                    value = *std::min_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(count));
                    break;
                case Aggregation::majority: value = mode(v, count, nan); break;
                case Aggregation::president: value = mode(v, count, president_value); break;
                case Aggregation::collegial: {
                    const bool agree = std::all_of(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(count),
                                                   [&](float x) { return x == v[0]; });
                    if (agree) value = v[0]; else why = Note::disagree;
                    break;
                }
            }
        }
        note[i] = why;
        switch (why) {
            case Note::none:
                lo[i] = hi[i] = value;
                status[i] = value >= threshold ? Status::validated : Status::not_validated;
                break;
            case Note::absent:
                lo[i] = hi[i] = lowest;
                status[i] = Status::not_validated;
                break;
            case Note::exempt:
                lo[i] = hi[i] = nan;
                status[i] = Status::exempt;
                break;
            default:
                lo[i] = lowest;
                hi[i] = highest;
                status[i] = Status::incomplete;
                break;
        }
    }
}

/// One rule over the children of every row of the block. Children's statuses and
/// bounds are at [child * stride + i]; writes the node's at [i].
template <class Bound>
void apply_rule(const CompiledPolicy& p, const CompiledRule& rule, std::size_t n, std::size_t stride,
                const Status* child_status, const Bound* child_lo, const Bound* child_hi,
                Status* status, double* lo, double* hi) {
    const std::uint32_t* kids = p.children.data() + rule.first;
    const double* weight = p.weight.data() + rule.first;
    const std::uint8_t* required = p.required.data() + rule.first;
    for (std::size_t i = 0; i < n; ++i) {
        unsigned met = 0, failed = 0, unknown = 0, exempt = 0;
        double points = 0.0, points_possible = 0.0, wsum = 0.0, lo_sum = 0.0, hi_sum = 0.0;
        bool required_failed = false, required_open = false, below_floor = false, may_be_below = false;
        for (std::uint32_t c = 0; c < rule.count; ++c) {
            const std::size_t at = kids[c] * stride + i;
            const Status s = child_status[at];
            const double w = weight[c];
            switch (s) {
                case Status::validated: ++met; points += w; points_possible += w; break;
                case Status::not_validated: ++failed; break;
                case Status::incomplete: ++unknown; points_possible += w; break;
                case Status::exempt: ++exempt; points += w; points_possible += w; break;
            }
            if (required[c]) {
                required_failed |= s == Status::not_validated;
                required_open |= s == Status::incomplete;
            }
            if (s != Status::exempt) {
                const double l = static_cast<double>(child_lo[at]), h = static_cast<double>(child_hi[at]);
                const double cw = rule.kind == RuleKind::weighted_mean ? w : 1.0;
                wsum += cw;
                lo_sum += cw * l;
                hi_sum += cw * h;
                below_floor |= h < rule.floor;
                may_be_below |= l < rule.floor;
            }
        }
        const bool all_exempt = exempt == rule.count;
        lo[i] = wsum > 0 ? lo_sum / wsum : std::numeric_limits<double>::quiet_NaN();
        hi[i] = wsum > 0 ? hi_sum / wsum : std::numeric_limits<double>::quiet_NaN();
        Status out = Status::incomplete;
        if (all_exempt) {
            out = Status::exempt;
        } else {
            switch (rule.kind) {
                case RuleKind::all:
                    out = failed ? Status::not_validated : unknown ? Status::incomplete : Status::validated;
                    break;
                case RuleKind::at_least:
                    out = met + exempt >= rule.k ? Status::validated
                          : met + exempt + unknown < rule.k ? Status::not_validated
                                                            : Status::incomplete;
                    break;
                case RuleKind::points:
                    out = required_failed || points_possible < rule.minimum ? Status::not_validated
                          : !required_open && points >= rule.minimum ? Status::validated
                                                                     : Status::incomplete;
                    break;
                case RuleKind::weighted_mean:
                    out = below_floor || hi[i] < rule.threshold ? Status::not_validated
                          : !may_be_below && lo[i] >= rule.threshold ? Status::validated
                                                                     : Status::incomplete;
                    break;
            }
        }
        status[i] = out;
    }
}

}  // namespace

void Workspace::reserve(const CompiledPolicy& p, std::size_t rows) {
    stride = rows;
    crit_lo.resize(p.criteria * rows);
    crit_hi.resize(p.criteria * rows);
    crit_status.resize(p.criteria * rows);
    crit_note.resize(p.criteria * rows);
    comp_lo.resize(p.competencies * rows);
    comp_hi.resize(p.competencies * rows);
    comp_status.resize(p.competencies * rows);
    bloc_lo.resize(p.blocs * rows);
    bloc_hi.resize(p.blocs * rows);
    bloc_status.resize(p.blocs * rows);
}

std::uint32_t president_of(const CompiledPolicy& p, const Cohort& cohort) {
    if (p.policy.president.empty()) return Cohort::no_juror;
    const auto& names = cohort.juror_names();
    auto it = std::find(names.begin(), names.end(), p.policy.president);
    return it == names.end() ? Cohort::no_juror - 1  // named, but not in this cohort: no one
                             : static_cast<std::uint32_t>(it - names.begin());
}

void grade_block(const CompiledPolicy& p, const Cohort& cohort, std::size_t first, std::size_t n,
                 std::uint32_t president_juror, Workspace& w) {
    const std::size_t C = cohort.criteria(), J = cohort.jurors();
    const float* block_values = cohort.values() + first * C * J;
    for (Index k = 0; k < p.criteria; ++k) {
        float* lo = w.crit_lo.data() + k * w.stride;
        float* hi = w.crit_hi.data() + k * w.stride;
        Status* status = w.crit_status.data() + k * w.stride;
        Note* note = w.crit_note.data() + k * w.stride;
        if (!cohort.marks() && p.aggregation[k] == Aggregation::mean)
            criterion_mean_fast(block_values + k * J, C * J, J, n, p.threshold[k], p.lowest[k],
                                p.highest[k], p.policy.min_jurors, lo, hi, status, note);
        else
            criterion_general(p, cohort, first, n, k, president_juror, lo, hi, status, note);
    }
    for (Index c = 0; c < p.competencies; ++c)
        apply_rule(p, p.competency_rule[c], n, w.stride, w.crit_status.data(), w.crit_lo.data(),
                   w.crit_hi.data(), w.comp_status.data() + c * w.stride, w.comp_lo.data() + c * w.stride,
                   w.comp_hi.data() + c * w.stride);
    for (Index b = 0; b < p.blocs; ++b) {
        Status* status = w.bloc_status.data() + b * w.stride;
        double* lo = w.bloc_lo.data() + b * w.stride;
        double* hi = w.bloc_hi.data() + b * w.stride;
        if (p.bloc_over_criteria[b])
            apply_rule(p, p.bloc_rule[b], n, w.stride, w.crit_status.data(), w.crit_lo.data(),
                       w.crit_hi.data(), status, lo, hi);
        else
            apply_rule(p, p.bloc_rule[b], n, w.stride, w.comp_status.data(), w.comp_lo.data(),
                       w.comp_hi.data(), status, lo, hi);
    }
}

namespace {

// Fast path (see fits_fast_path). Statuses are carried as ranks so that the `all`
// rule is a maximum: 0 validated, 1 incomplete, 2 not validated. Rows are taken
// `step` at a time: criteria in one flat loop over (row, criterion) pairs, then
// the ranks are transposed to node-major so every rule is a loop over rows.
constexpr std::size_t step = 64;

/// rank 0 -> validated (1), 1 -> incomplete (0), 2 -> not validated (2); arithmetic,
/// because statuses vary row to row and a branch here mispredicts.
inline Status status_of_rank(std::uint8_t rank) {
    return static_cast<Status>((rank == 0) | ((rank == 2) << 1));
}

/// Criteria of `pairs` consecutive (row, criterion) pairs: values[p * J + j] and
/// threshold[p] (the thresholds tiled row after row). Writes the mean (NaN when
/// unknown; only when Values: bloc-only grading skips that store stream) and the
/// rank. J is fixed at compile time for the common juries and
/// the loop is branch-free, so the compiler vectorises it.
template <std::size_t J, bool Values>
[[gnu::always_inline]] inline void criteria_flat(const float* values, std::size_t pairs, std::size_t jurors, const float* threshold,
                   unsigned min_jurors, float* mean_out, std::uint8_t* rank_out) {
    const std::size_t slots = J ? J : jurors;
    for (std::size_t p = 0; p < pairs; ++p) {
        float sum = 0.0f, count = 0.0f;
        const float* v = values + p * slots;
        auto add = [&](float x) {
            const bool present = x == x;  // not NaN
            sum += present ? x : 0.0f;
            count += present ? 1.0f : 0.0f;
        };
        for (std::size_t j = 0; j < slots; ++j) add(v[j]);  // fully unrolled when J > 0
        const float mean = sum / std::max(count, 1.0f);
        const std::int32_t known = count >= static_cast<float>(min_jurors);
        const std::int32_t met = mean >= threshold[p];
        if constexpr (Values) mean_out[p] = known ? mean : std::numeric_limits<float>::quiet_NaN();
        rank_out[p] = static_cast<std::uint8_t>(1 + known * (1 - 2 * met));  // arithmetic, not ?:, so it vectorises
    }
}

/// The criterion pass, compiled twice: for AVX2 (8 floats a step) and for the
/// baseline (SSE2); the loader picks the one the processor runs. Both compute the
/// same IEEE operations in the same order, so results do not depend on the choice.
#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__)
#define CERTIGRAPH_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define CERTIGRAPH_CLONES
#endif

template <std::size_t J, bool Values>
CERTIGRAPH_CLONES void criteria_pass(const float* values, std::size_t pairs, std::size_t jurors,
                                     const float* threshold, unsigned min_jurors, float* mean_out,
                                     std::uint8_t* rank_out) {
    criteria_flat<J, Values>(values, pairs, jurors, threshold, min_jurors, mean_out, rank_out);
}

/// One counting rule for `n` rows: children's ranks at child_rank[kid * step + i].
void counting_rule(const CompiledRule& rule, const std::uint32_t* kids, const std::uint8_t* child_rank,
                   std::size_t n, std::uint8_t* out) {
    if (rule.kind == RuleKind::all) {
        std::fill(out, out + n, std::uint8_t{0});
        for (std::uint32_t c = 0; c < rule.count; ++c) {
            const std::uint8_t* r = child_rank + kids[c] * step;
            for (std::size_t i = 0; i < n; ++i) out[i] = std::max(out[i], r[i]);
        }
        return;
    }
    std::uint16_t met[step] = {}, open[step] = {};
    for (std::uint32_t c = 0; c < rule.count; ++c) {
        const std::uint8_t* r = child_rank + kids[c] * step;
        for (std::size_t i = 0; i < n; ++i) {
            met[i] = static_cast<std::uint16_t>(met[i] + (r[i] == 0));
            open[i] = static_cast<std::uint16_t>(open[i] + (r[i] == 1));
        }
    }
    for (std::size_t i = 0; i < n; ++i)
        out[i] = met[i] >= rule.k ? 0 : static_cast<unsigned>(met[i]) + open[i] < rule.k ? 2 : 1;
}

template <std::size_t J>
void fast_rows(const CompiledPolicy& p, const Cohort& cohort, std::size_t begin, std::size_t end,
               GradeResult& r) {
    const std::size_t C = p.criteria, K = p.competencies, Bl = p.blocs, jurors = cohort.jurors();
    const bool details = !r.criterion_status.empty();
    std::vector<float> threshold(step * C), value(step * C);
    std::vector<std::uint8_t> rank(step * C);
    for (std::size_t i = 0; i < step; ++i)
        std::copy(p.threshold.begin(), p.threshold.end(), threshold.begin() + static_cast<std::ptrdiff_t>(i * C));
    std::vector<std::uint8_t> crit(C * step), comp(K * step), bloc(Bl * step);
    const std::uint32_t* kids = p.children.data();
    for (std::size_t first = begin; first < end; first += step) {
        const std::size_t n = std::min(step, end - first);
        if (details)
            criteria_pass<J, true>(cohort.values() + first * C * jurors, n * C, jurors, threshold.data(),
                                   p.policy.min_jurors, value.data(), rank.data());
        else
            criteria_pass<J, false>(cohort.values() + first * C * jurors, n * C, jurors, threshold.data(),
                                    p.policy.min_jurors, value.data(), rank.data());
        if (p.all_of_all && !details) {
            // all of all: a bloc's rank is the largest rank of its criteria, over a
            // contiguous slice of the row when the bloc's criteria are contiguous.
            for (std::size_t i = 0; i < n; ++i) {
                const std::uint8_t* row_rank = rank.data() + i * C;
                for (std::size_t b = 0; b < Bl; ++b) {
                    std::uint8_t worst = 0;
                    if (p.bloc_criteria_contiguous) {
                        const std::uint32_t from = p.bloc_criteria[p.bloc_criteria_first[b]];
                        const std::uint32_t count = p.bloc_criteria_first[b + 1] - p.bloc_criteria_first[b];
                        for (std::uint32_t q = 0; q < count; ++q) worst = std::max(worst, row_rank[from + q]);
                    } else {
                        for (std::uint32_t q = p.bloc_criteria_first[b]; q < p.bloc_criteria_first[b + 1]; ++q)
                            worst = std::max(worst, row_rank[p.bloc_criteria[q]]);
                    }
                    r.bloc_status[(first + i) * Bl + b] = status_of_rank(worst);
                }
            }
            continue;
        }
        for (std::size_t i = 0; i < n; ++i)  // row-major -> node-major
            for (std::size_t k = 0; k < C; ++k) crit[k * step + i] = rank[i * C + k];
        for (std::size_t c = 0; c < K; ++c) {
            const CompiledRule& rule = p.competency_rule[c];
            counting_rule(rule, kids + rule.first, crit.data(), n, comp.data() + c * step);
        }
        for (std::size_t b = 0; b < Bl; ++b) {
            const CompiledRule& rule = p.bloc_rule[b];
            counting_rule(rule, kids + rule.first, p.bloc_over_criteria[b] ? crit.data() : comp.data(), n,
                          bloc.data() + b * step);
        }
        for (std::size_t b = 0; b < Bl; ++b)
            for (std::size_t i = 0; i < n; ++i)
                r.bloc_status[(first + i) * Bl + b] = status_of_rank(bloc[b * step + i]);
        if (!details) continue;
        std::copy(value.begin(), value.begin() + static_cast<std::ptrdiff_t>(n * C),
                  r.criterion_value.begin() + static_cast<std::ptrdiff_t>(first * C));
        for (std::size_t q = 0; q < n * C; ++q)
            r.criterion_status[first * C + q] = status_of_rank(rank[q]);
        for (std::size_t c = 0; c < K; ++c)
            for (std::size_t i = 0; i < n; ++i)
                r.competency_status[(first + i) * K + c] = status_of_rank(comp[c * step + i]);
    }
}

}  // namespace

bool fits_fast_path(const CompiledPolicy& p, const Cohort& cohort) {
    if (cohort.marks()) return false;
    for (Aggregation a : p.aggregation)
        if (a != Aggregation::mean) return false;
    auto counting = [](const CompiledRule& r) { return r.kind == RuleKind::all || r.kind == RuleKind::at_least; };
    return std::all_of(p.competency_rule.begin(), p.competency_rule.end(), counting) &&
           std::all_of(p.bloc_rule.begin(), p.bloc_rule.end(), counting);
}

void grade_rows_fast(const CompiledPolicy& p, const Cohort& cohort, std::size_t begin,
                     std::size_t end, GradeResult& r) {
    switch (cohort.jurors()) {
        case 1: fast_rows<1>(p, cohort, begin, end, r); break;
        case 2: fast_rows<2>(p, cohort, begin, end, r); break;
        case 3: fast_rows<3>(p, cohort, begin, end, r); break;
        default: fast_rows<0>(p, cohort, begin, end, r); break;
    }
}

}  // namespace certigraph::detail
