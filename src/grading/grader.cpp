#include <certigraph/error.hpp>
#include <certigraph/grading/grader.hpp>

#include "core/parallel.hpp"
#include "grading/compiled.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <sstream>
#include <thread>
#include <utility>

namespace certigraph {

namespace {

constexpr std::size_t B = detail::Workspace::block_rows;
constexpr std::size_t max_slots = 64;
// Below this many rows a second thread costs more than it saves.
constexpr std::size_t rows_per_thread_minimum = 16 * 1024;

void require_fits(const detail::CompiledPolicy& p, const Cohort& cohort) {
    if (cohort.criteria() != p.criteria)
        throw GradingError("the cohort has " + std::to_string(cohort.criteria()) + " criteria, " +
                           p.referentiel.certification().code + " has " + std::to_string(p.criteria) +
                           "; build the cohort from this référentiel");
    const bool presided = std::find(p.aggregation.begin(), p.aggregation.end(), Aggregation::president) !=
                          p.aggregation.end();
    if (presided && !p.policy.president.empty()) {
        const auto& names = cohort.juror_names();
        if (std::find(names.begin(), names.end(), p.policy.president) == names.end())
            throw GradingError("the policy's president '" + p.policy.president +
                               "' is not among the cohort's jurors" +
                               (names.empty() ? std::string(" (the cohort has no juror names)") : std::string()) +
                               "; name a juror of the cohort, or leave `president` empty to give slot 0 "
                               "the casting vote");
    }
    if (cohort.jurors() > max_slots)
        throw GradingError("the cohort has " + std::to_string(cohort.jurors()) +
                           " juror slots; at most " + std::to_string(max_slots) + " are supported");
}

/// Copies a graded block into the result rows [first, first + n).
void store(const detail::CompiledPolicy& p, const detail::Workspace& w, std::size_t first,
           std::size_t n, bool details, GradeResult& r) {
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t row = first + i;
        for (Index b = 0; b < p.blocs; ++b) r.bloc_status[row * p.blocs + b] = w.bloc_status[b * w.stride + i];
        if (!details) continue;
        for (Index k = 0; k < p.criteria; ++k) {
            const float lo = w.crit_lo[k * w.stride + i], hi = w.crit_hi[k * w.stride + i];
            const bool known = w.crit_note[k * w.stride + i] == detail::Note::none ||
                               w.crit_note[k * w.stride + i] == detail::Note::absent;
            r.criterion_value[row * p.criteria + k] = known && lo == hi ? lo : std::nanf("");
            r.criterion_status[row * p.criteria + k] = w.crit_status[k * w.stride + i];
        }
        for (Index c = 0; c < p.competencies; ++c)
            r.competency_status[row * p.competencies + c] = w.comp_status[c * w.stride + i];
    }
}

// Rows between two progress reports.
constexpr std::size_t progress_rows = 64 * 1024;

void grade_rows(const detail::CompiledPolicy& p, const Cohort& cohort, std::size_t begin,
                std::size_t end, bool details, std::uint32_t president,
                const std::function<void(std::size_t, std::size_t)>* progress, GradeResult& r) {
    const bool fast = detail::fits_fast_path(p, cohort);
    detail::Workspace w;
    if (!fast) w.reserve(p);
    for (std::size_t chunk = begin; chunk < end; chunk += progress_rows) {
        const std::size_t chunk_end = std::min(end, chunk + progress_rows);
        if (fast) {
            if (details || !detail::grade_rows_masks(p, cohort, chunk, chunk_end, r.bloc_status.data()))
                detail::grade_rows_fast(p, cohort, chunk, chunk_end, r);
        } else {
            for (std::size_t first = chunk; first < chunk_end; first += B) {
                const std::size_t n = std::min(B, chunk_end - first);
                detail::grade_block(p, cohort, first, n, president, w);
                store(p, w, first, n, details, r);
            }
        }
        // Thread 0 reports, scaling its own progress to the whole cohort.
        if (progress && *progress && begin == 0)
            (*progress)(std::min(r.rows, (chunk_end - begin) * r.rows / std::max<std::size_t>(1, end - begin)),
                        r.rows);
    }
}

std::string note_text(detail::Note note) {
    switch (note) {
        case detail::Note::missing: return "missing: no juror has given a value";
        case detail::Note::too_few_jurors: return "too few jurors have given a value";
        case detail::Note::absent: return "absent: counts as not met";
        case detail::Note::exempt: return "exempt: counts as met";
        case detail::Note::disagree: return "jurors disagree on a collegial mark";
        case detail::Note::none: break;
    }
    return {};
}

std::optional<double> finite(double v) {
    return std::isfinite(v) ? std::optional<double>(v) : std::nullopt;
}

/// A float32 value as the double with the same shortest decimal form (12.85, not
/// 12.850000381469727), so explanations print what the jurors wrote.
double decimal(float v) {
    char text[32];
    const auto end = std::to_chars(text, text + sizeof text, v).ptr;
    double out = v;
    std::from_chars(text, end, out);
    return out;
}

}  // namespace

bool operator==(const GradeResult& a, const GradeResult& b) {
    // memcmp of two empty vectors (bloc statuses only: no values) would pass null pointers.
    const bool values_equal =
        a.criterion_value.size() == b.criterion_value.size() &&
        (a.criterion_value.empty() || std::memcmp(a.criterion_value.data(), b.criterion_value.data(),
                                                  a.criterion_value.size() * sizeof(float)) == 0);
    return a.rows == b.rows && a.blocs == b.blocs && a.competencies == b.competencies &&
           a.criteria == b.criteria && a.bloc_status == b.bloc_status && values_equal &&
           a.criterion_status == b.criterion_status && a.competency_status == b.competency_status;
}

Grader::Grader(Referentiel referentiel, Policy policy)
    : compiled_(std::make_shared<const detail::CompiledPolicy>(
          detail::compile(std::move(referentiel), std::move(policy)))) {}
Grader::~Grader() = default;
Grader::Grader(const Grader&) = default;
Grader& Grader::operator=(const Grader&) = default;
Grader::Grader(Grader&&) noexcept = default;
Grader& Grader::operator=(Grader&&) noexcept = default;

const Referentiel& Grader::referentiel() const noexcept { return compiled_->referentiel; }
const Policy& Grader::policy() const noexcept { return compiled_->policy; }
const Scale& Grader::scale_of_criterion(Index criterion) const { return compiled_->scale.at(criterion); }

GradeResult Grader::grade(const Cohort& cohort, const GradeOptions& options) const {
    const detail::CompiledPolicy& p = *compiled_;
    require_fits(p, cohort);
    GradeResult r;
    r.rows = cohort.rows();
    r.blocs = p.blocs;
    r.competencies = p.competencies;
    r.criteria = p.criteria;
    r.bloc_status.resize(r.rows * r.blocs);
    if (options.details) {
        r.criterion_value.resize(r.rows * r.criteria);
        r.criterion_status.resize(r.rows * r.criteria);
        r.competency_status.resize(r.rows * r.competencies);
    }
    const std::uint32_t president = detail::president_of(p, cohort);

    // Explicit thread counts are honoured (up to one per block); by default a
    // thread is added per rows_per_thread_minimum rows, up to the machine's cores.
    const std::size_t blocks = (r.rows + B - 1) / B;
    const std::size_t wanted =
        options.threads ? options.threads
                        : std::min<std::size_t>(std::max(1u, std::thread::hardware_concurrency()),
                                                r.rows / rows_per_thread_minimum);
    const auto threads = static_cast<unsigned>(std::max<std::size_t>(1, std::min(wanted, blocks)));
    if (threads <= 1) {
        grade_rows(p, cohort, 0, r.rows, options.details, president, &options.progress, r);
        return r;
    }
    // Contiguous ranges on block boundaries: threads write disjoint rows. The calling
    // thread grades the first range, kept workers the others (src/core/parallel.hpp).
    const auto range = [&](unsigned t) {
        return std::pair{std::min(r.rows, blocks * t / threads * B), std::min(r.rows, blocks * (t + 1) / threads * B)};
    };
    detail::run_parts(threads, [&](std::size_t t) {
        const auto [first, last] = range(static_cast<unsigned>(t));
        grade_rows(p, cohort, first, last, options.details, president, &options.progress, r);
    });
    return r;
}

void Grader::add_details(const Cohort& cohort, GradeResult& result, unsigned threads) const {
    const detail::CompiledPolicy& p = *compiled_;
    if (result.rows != cohort.rows() || result.blocs != p.blocs || result.criteria != p.criteria ||
        result.competencies != p.competencies || result.bloc_status.size() != result.rows * result.blocs)
        throw GradingError("add_details: the result (" + std::to_string(result.rows) +
                           " rows) was not graded from this cohort and policy");
    if (result.criterion_status.size() == result.rows * result.criteria &&
        result.competency_status.size() == result.rows * result.competencies &&
        result.criterion_value.size() == result.rows * result.criteria && !result.criterion_status.empty())
        return;
    GradeResult full = grade(cohort, {.threads = threads, .details = true});
    if (full.bloc_status != result.bloc_status)
        throw GradingError("add_details: the cohort's values changed since it was graded; grade it again");
    result.criterion_value = std::move(full.criterion_value);
    result.criterion_status = std::move(full.criterion_status);
    result.competency_status = std::move(full.competency_status);
}

void Grader::regrade(const Cohort& cohort, std::size_t row, GradeResult& result) const {
    const detail::CompiledPolicy& p = *compiled_;
    require_fits(p, cohort);
    if (row >= cohort.rows() || result.rows != cohort.rows() || result.blocs != p.blocs)
        throw GradingError("regrade: row " + std::to_string(row) + " does not fit this result");
    detail::Workspace w;
    w.reserve(p, 1);  // one row: a few hundred bytes, not a block's worth
    detail::grade_block(p, cohort, row, 1, detail::president_of(p, cohort), w);
    store(p, w, row, 1, !result.criterion_status.empty(), result);
}

std::vector<Explanation> Grader::explain(const Cohort& cohort, std::size_t row) const {
    const detail::CompiledPolicy& p = *compiled_;
    require_fits(p, cohort);
    if (row >= cohort.rows())
        throw NotFound("row " + std::to_string(row) + " is outside the cohort (" +
                       std::to_string(cohort.rows()) + " rows)");
    detail::Workspace w;
    w.reserve(p, 1);
    detail::grade_block(p, cohort, row, 1, detail::president_of(p, cohort), w);
    const Referentiel& ref = p.referentiel;

    auto criterion = [&](Index k) {
        Explanation e;
        e.kind = NodeKind::criterion;
        e.code = ref.criteria()[k].code;
        e.status = w.crit_status[k];
        e.rule = std::string(to_string(p.aggregation[k]));
        std::ostringstream rule;
        rule << to_string(p.aggregation[k]) << " >= " << p.threshold[k];
        e.rule = rule.str();
        e.threshold = decimal(p.threshold[k]);
        const detail::Note note = w.crit_note[k];
        if (note == detail::Note::none || note == detail::Note::absent) {
            e.value = decimal(w.crit_lo[k]);
            e.margin = *e.value - *e.threshold;
        }
        e.note = note_text(note);
        for (std::size_t j = 0; j < cohort.jurors(); ++j) {
            const float v = cohort.value(row, k, j);
            e.jurors.push_back(std::isnan(v) ? std::nullopt : std::optional<double>(decimal(v)));
        }
        return e;
    };
    auto rule_node = [&](NodeKind kind, const std::string& code, const detail::CompiledRule& rule,
                         Status status, double lo, double hi, std::vector<Explanation> kids) {
        Explanation e;
        e.kind = kind;
        e.code = code;
        e.status = status;
        e.rule = rule.text;
        const bool valued = rule.kind == RuleKind::weighted_mean;  // counting rules have no value
        if (valued && lo == hi) e.value = finite(lo);
        std::size_t met = 0, open = 0;
        for (const auto& k : kids) {
            met += k.status == Status::validated || k.status == Status::exempt;
            open += k.status == Status::incomplete;
        }
        switch (rule.kind) {
            case RuleKind::all:
                e.threshold = static_cast<double>(kids.size());
                e.margin = static_cast<double>(met) - static_cast<double>(kids.size());
                break;
            case RuleKind::at_least:
                e.threshold = rule.k;
                e.margin = static_cast<double>(met) - rule.k;
                break;
            case RuleKind::points: {
                double points = 0;
                for (std::size_t i = 0; i < kids.size(); ++i)
                    if (kids[i].status == Status::validated || kids[i].status == Status::exempt)
                        points += p.weight[rule.first + i];
                e.value = points;
                e.threshold = rule.minimum;
                e.margin = points - rule.minimum;
                break;
            }
            case RuleKind::weighted_mean:
                e.threshold = rule.threshold;
                if (e.value) e.margin = *e.value - rule.threshold;
                break;
        }
        if (open) e.note = std::to_string(open) + (open == 1 ? " child is" : " children are") + " not yet known";
        if (rule.kind == RuleKind::weighted_mean && std::isfinite(rule.floor)) {
            std::string below;
            for (const auto& k : kids)
                if (k.status != Status::exempt && k.value && *k.value < rule.floor)
                    below += (below.empty() ? "" : ", ") + k.code;
            if (!below.empty()) e.note = "below the floor: " + below;
        }
        e.children = std::move(kids);
        return e;
    };

    std::vector<Explanation> blocs;
    for (Index b = 0; b < p.blocs; ++b) {
        std::vector<Explanation> kids;
        if (p.bloc_over_criteria[b]) {
            for (Index k : ref.criteria_of_bloc(b)) kids.push_back(criterion(k));
        } else {
            for (Index c : ref.competencies_of_bloc(b)) {
                std::vector<Explanation> crits;
                for (Index k : ref.criteria_of_competency(c)) crits.push_back(criterion(k));
                kids.push_back(rule_node(NodeKind::competency, ref.competencies()[c].code,
                                         p.competency_rule[c], w.comp_status[c], w.comp_lo[c],
                                         w.comp_hi[c], std::move(crits)));
            }
        }
        blocs.push_back(rule_node(NodeKind::bloc, ref.blocs()[b].code, p.bloc_rule[b],
                                  w.bloc_status[b], w.bloc_lo[b], w.bloc_hi[b],
                                  std::move(kids)));
    }
    return blocs;
}

Grader Grader::with_threshold(const std::string& code, double threshold) const {
    Policy changed = compiled_->policy;
    changed.thresholds[code] = threshold;
    return Grader(compiled_->referentiel, std::move(changed));
}

std::vector<SensitivityRow> sensitivity(const Grader& grader, const Cohort& cohort,
                                        const std::string& code, double from, double to, double step) {
    if (!(step > 0) || !(from <= to))
        throw GradingError("sensitivity: give from <= to and a positive step");
    const GradeResult base = grader.grade(cohort, {.threads = 0, .details = false});
    std::vector<SensitivityRow> rows;
    // Thresholds are from + i*step (not accumulated), so each one is exact to the input.
    const auto steps = static_cast<std::size_t>(std::floor((to - from) / step + 1e-9));
    for (std::size_t i = 0; i <= steps; ++i) {
        const double t = from + static_cast<double>(i) * step;
        const GradeResult r = grader.with_threshold(code, t).grade(cohort, {.threads = 0, .details = false});
        SensitivityRow row;
        row.threshold = t;
        for (std::size_t j = 0; j < r.bloc_status.size(); ++j) {
            switch (r.bloc_status[j]) {
                case Status::validated: ++row.validated; break;
                case Status::not_validated: ++row.not_validated; break;
                case Status::incomplete: ++row.incomplete; break;
                case Status::exempt: ++row.exempt; break;
            }
            row.changed += r.bloc_status[j] != base.bloc_status[j];
        }
        rows.push_back(row);
    }
    return rows;
}

}  // namespace certigraph
