// The grading kernel: one block of rows, node by node (see compiled.hpp).
#include "grading/compiled.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace certigraph::detail {

namespace {

constexpr std::size_t B = Workspace::block_rows;
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
/// bounds are at [child * B + i]; writes the node's at [i].
template <class Bound>
void apply_rule(const CompiledPolicy& p, const CompiledRule& rule, std::size_t n,
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
            const std::size_t at = kids[c] * B + i;
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

void Workspace::reserve(const CompiledPolicy& p) {
    crit_lo.resize(p.criteria * B);
    crit_hi.resize(p.criteria * B);
    crit_status.resize(p.criteria * B);
    crit_note.resize(p.criteria * B);
    comp_lo.resize(p.competencies * B);
    comp_hi.resize(p.competencies * B);
    comp_status.resize(p.competencies * B);
    bloc_lo.resize(p.blocs * B);
    bloc_hi.resize(p.blocs * B);
    bloc_status.resize(p.blocs * B);
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
        float* lo = w.crit_lo.data() + k * B;
        float* hi = w.crit_hi.data() + k * B;
        Status* status = w.crit_status.data() + k * B;
        Note* note = w.crit_note.data() + k * B;
        if (!cohort.marks() && p.aggregation[k] == Aggregation::mean)
            criterion_mean_fast(block_values + k * J, C * J, J, n, p.threshold[k], p.lowest[k],
                                p.highest[k], p.policy.min_jurors, lo, hi, status, note);
        else
            criterion_general(p, cohort, first, n, k, president_juror, lo, hi, status, note);
    }
    for (Index c = 0; c < p.competencies; ++c)
        apply_rule(p, p.competency_rule[c], n, w.crit_status.data(), w.crit_lo.data(),
                   w.crit_hi.data(), w.comp_status.data() + c * B, w.comp_lo.data() + c * B,
                   w.comp_hi.data() + c * B);
    for (Index b = 0; b < p.blocs; ++b) {
        Status* status = w.bloc_status.data() + b * B;
        double* lo = w.bloc_lo.data() + b * B;
        double* hi = w.bloc_hi.data() + b * B;
        if (p.bloc_over_criteria[b])
            apply_rule(p, p.bloc_rule[b], n, w.crit_status.data(), w.crit_lo.data(),
                       w.crit_hi.data(), status, lo, hi);
        else
            apply_rule(p, p.bloc_rule[b], n, w.comp_status.data(), w.comp_lo.data(),
                       w.comp_hi.data(), status, lo, hi);
    }
}

}  // namespace certigraph::detail
