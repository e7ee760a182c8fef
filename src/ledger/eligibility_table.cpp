// Eligibility over an EventTable: the rules of state.cpp and eligibility.cpp
// restated over typed columns, for the candidates whose events the columns hold
// fully (event_table.hpp). Every rule below gives what the object path gives; the
// property test in test_event_table.cpp compares the two on random ledgers.
//
// Why the order of same-day events does not matter here: the object path breaks
// ties by content order, which decides *which* event acquired a bloc, which
// certificate or exception an answer names, and which attribute value holds. The
// columns keep only what does not depend on that (findings, counts, weeks, months,
// ranks), and a candidate with two values of one attribute on one day is decided by
// the object path.
#include <certigraph/ledger/event_table.hpp>

#include <certigraph/ledger/state.hpp>

#include "core/parallel.hpp"

#include <algorithm>
#include <chrono>
#include <limits>
#include <map>

namespace certigraph::ledger {

namespace detail {
int cefr_rank_of(std::string_view level);
bool same_text_ignoring_case(std::string_view a, std::string_view b);
bool is_cefr_framework(std::string_view framework);
}  // namespace detail

namespace {

/// Quantities are compared with this slack, as in eligibility.cpp.
constexpr double slack = 1e-9;
constexpr std::uint32_t absent = std::numeric_limits<std::uint32_t>::max();

Date date_of_day(long day) {
    const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{day}}};
    return Date(static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

/// One requirement, resolved against the table's strings.
struct RequirementPlan {
    const Requirement* requirement = nullptr;
    std::uint32_t condition_name = absent;  ///< the condition's attribute code; absent: none recorded
    std::vector<std::uint8_t> condition_applies;  ///< per value code
    // Language: per code, whether it is the language / a framework that counts, and
    // the rank of a level.
    bool cefr = false;
    int target = 1;
    std::vector<std::uint8_t> language_ok, framework_ok;
    std::vector<std::int8_t> rank;
};

struct Slot {
    CheckKind kind = CheckKind::bloc;
    int bloc = -1;            ///< bloc: index into the référentiel's blocs
    bool required = true;     ///< bloc
    std::vector<int> members; ///< option group: bloc indexes in référentiel order
    int requirement = -1;     ///< requirement: index into Plan::requirements
};

struct Plan {
    std::vector<Slot> slots;
    std::vector<RequirementPlan> requirements;
    std::vector<int> bloc_index;  ///< per code: the référentiel bloc, or -1
    std::size_t blocs = 0;
    const CertificationDates* dates = nullptr;
};

Plan make_plan(const Referentiel& ref, const EventTable& table, EligibilityTable& out) {
    Plan plan;
    const auto blocs = ref.blocs();
    plan.blocs = blocs.size();
    plan.dates = &ref.certification().dates;
    std::map<std::string_view, int> code_of_bloc;
    for (std::size_t i = 0; i < blocs.size(); ++i) code_of_bloc.emplace(blocs[i].code, static_cast<int>(i));
    const std::size_t n = table.strings.size();
    plan.bloc_index.assign(n, -1);
    for (std::size_t c = 1; c < n; ++c)
        if (const auto it = code_of_bloc.find(table.strings[c]); it != code_of_bloc.end())
            plan.bloc_index[c] = it->second;
    // The checks, in Eligibility::checks' order.
    std::map<std::string, std::vector<int>> groups;
    for (std::size_t i = 0; i < blocs.size(); ++i) {
        if (!blocs[i].option_group.empty()) {
            groups[blocs[i].option_group].push_back(static_cast<int>(i));
            continue;
        }
        Slot s;
        s.bloc = static_cast<int>(i);
        s.required = !blocs[i].optional;
        plan.slots.push_back(s);
        out.check_kinds.push_back(CheckKind::bloc);
        out.check_subjects.push_back(blocs[i].code);
    }
    for (auto& [name, members] : groups) {
        Slot s;
        s.kind = CheckKind::option_group;
        s.members = std::move(members);
        plan.slots.push_back(std::move(s));
        out.check_kinds.push_back(CheckKind::option_group);
        out.check_subjects.push_back(name);
    }
    for (const auto& r : ref.certification().requirements) {
        RequirementPlan q;
        q.requirement = &r;
        if (r.applies_when) {
            q.condition_applies.assign(n, 0);
            for (std::size_t c = 0; c < n; ++c) {
                if (table.strings[c] == r.applies_when->attribute && c > 0) q.condition_name = static_cast<std::uint32_t>(c);
                const bool equal = detail::same_text_ignoring_case(table.strings[c], r.applies_when->value);
                q.condition_applies[c] = (r.applies_when->op == ConditionOperator::equals) == equal;
            }
        }
        if (r.kind == RequirementKind::language) {
            q.cefr = detail::is_cefr_framework(r.framework) && detail::cefr_rank_of(r.level) > 0;
            q.target = q.cefr ? detail::cefr_rank_of(r.level) : 1;
            q.language_ok.assign(n, 0), q.framework_ok.assign(n, 0), q.rank.assign(n, 0);
            for (std::size_t c = 0; c < n; ++c) {
                const std::string& s = table.strings[c];
                q.language_ok[c] = r.language.empty() || detail::same_text_ignoring_case(s, r.language);
                q.framework_ok[c] = detail::same_text_ignoring_case(s, r.framework) ||
                                    (detail::is_cefr_framework(r.framework) && detail::is_cefr_framework(s));
                q.rank[c] = static_cast<std::int8_t>(q.cefr ? detail::cefr_rank_of(s)
                                                            : (detail::same_text_ignoring_case(s, r.level) ? 1 : 0));
            }
        }
        Slot s;
        s.kind = CheckKind::requirement;
        s.requirement = static_cast<int>(plan.requirements.size());
        plan.requirements.push_back(std::move(q));
        plan.slots.push_back(s);
        out.check_kinds.push_back(CheckKind::requirement);
        out.check_subjects.push_back(r.code);
    }
    Slot window;
    window.kind = CheckKind::delivery_window;
    plan.slots.push_back(window);
    out.check_kinds.push_back(CheckKind::delivery_window);
    out.check_subjects.emplace_back("delivery_window");
    return plan;
}

/// What one candidate's rows say as of the date; reused from candidate to candidate.
struct Scratch {
    std::vector<std::uint8_t> acquired;
    std::vector<std::uint32_t> refusals;
    std::vector<std::pair<long, long>> mobility, work;
    // Per requirement: the latest value of its condition's attribute (day, code), and
    // the best certificate ranks (overall, by a third party; -1: none).
    std::vector<std::int32_t> condition_day;
    std::vector<std::uint32_t> condition_value;
    std::vector<int> best, best_third;

    explicit Scratch(const Plan& plan)
        : acquired(plan.blocs), refusals(plan.blocs), condition_day(plan.requirements.size()),
          condition_value(plan.requirements.size()), best(plan.requirements.size()),
          best_third(plan.requirements.size()) {}
};

/// Sorts and merges closed day intervals in place.
void merge_in_place(std::vector<std::pair<long, long>>& v) {
    std::sort(v.begin(), v.end());
    std::size_t k = 0;
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (k > 0 && v[i].first <= v[k - 1].second + 1)
            v[k - 1].second = std::max(v[k - 1].second, v[i].second);
        else
            v[k++] = v[i];
    }
    v.resize(k);
}

/// One candidate from the columns: writes its findings and have; returns eligible.
bool decide(const Plan& plan, const EventTable& t, std::uint32_t begin, std::uint32_t end, std::int32_t as_of,
            Scratch& s, Finding* finding, double* have) {
    std::fill(s.acquired.begin(), s.acquired.end(), 0);
    std::fill(s.refusals.begin(), s.refusals.end(), 0);
    s.mobility.clear(), s.work.clear();
    std::fill(s.condition_day.begin(), s.condition_day.end(), std::numeric_limits<std::int32_t>::min());
    std::fill(s.condition_value.begin(), s.condition_value.end(), absent);
    std::fill(s.best.begin(), s.best.end(), -1);
    std::fill(s.best_third.begin(), s.best_third.end(), -1);
    std::int32_t first_event = std::numeric_limits<std::int32_t>::max();
    std::int32_t path_start = std::numeric_limits<std::int32_t>::max();
    bool exception = false;
    for (std::uint32_t i = begin; i < end; ++i) {
        const std::int32_t day = t.day[i];
        if (day > as_of) continue;
        first_event = std::min(first_event, day);
        // A switch without default: a new kind must be placed here (-Wswitch). A kind
        // that does not change the state only counts for the first event.
        switch (t.kind[i]) {
            case EventKind::bloc_result:
            case EventKind::bloc_credit:
                if (const int b = plan.bloc_index[t.bloc[i]]; b >= 0) {
                    if (t.outcome[i] == 1)
                        s.acquired[static_cast<std::size_t>(b)] = 1;
                    else
                        ++s.refusals[static_cast<std::size_t>(b)];
                }
                break;
            case EventKind::language_certificate:
                for (std::size_t q = 0; q < plan.requirements.size(); ++q) {
                    const RequirementPlan& r = plan.requirements[q];
                    if (r.rank.empty() || !r.language_ok[t.name[i]] || !r.framework_ok[t.framework[i]]) continue;
                    const int rank = r.rank[t.value[i]];
                    s.best[q] = std::max(s.best[q], rank);
                    if (t.third_party[i]) s.best_third[q] = std::max(s.best_third[q], rank);
                }
                break;
            case EventKind::mobility_period:
            case EventKind::work_period: {
                const long a = t.start_day[i], b = std::min<long>(t.end_day[i], as_of);
                if (a <= b) (t.kind[i] == EventKind::mobility_period ? s.mobility : s.work).emplace_back(a, b);
                break;
            }
            case EventKind::attribute:
                for (std::size_t q = 0; q < plan.requirements.size(); ++q)
                    if (plan.requirements[q].condition_name == t.name[i] && day >= s.condition_day[q])
                        s.condition_day[q] = day, s.condition_value[q] = t.value[i];
                break;
            case EventKind::path_start:
                path_start = std::min(path_start, day);
                break;
            case EventKind::delivery_exception:
                exception = true;
                break;
            case EventKind::certification_decision:
                break;  // the jury's decision; eligibility is computed, not read from it
            case EventKind::vae_decision:
            case EventKind::jury_decision:
            case EventKind::correction:
                break;  // never here: such candidates are decided from their objects
        }
    }
    long mobility_days = 0;
    merge_in_place(s.mobility);
    for (const auto& [a, b] : s.mobility) mobility_days += b - a + 1;
    double work_months = 0.0, work_longest = 0.0;
    merge_in_place(s.work);
    for (const auto& [a, b] : s.work) {
        const double months = calendar_months(date_of_day(a), date_of_day(b));
        work_months += months;
        work_longest = std::max(work_longest, months);
    }

    bool eligible = true;
    for (std::size_t k = 0; k < plan.slots.size(); ++k) {
        const Slot& slot = plan.slots[k];
        Finding f = Finding::bloc_not_assessed;
        double h = 0.0;
        switch (slot.kind) {
            case CheckKind::bloc: {
                const auto b = static_cast<std::size_t>(slot.bloc);
                h = s.refusals[b];
                f = s.acquired[b] ? Finding::bloc_acquired
                    : !slot.required ? Finding::optional_bloc
                    : s.refusals[b] ? Finding::bloc_refused
                                    : Finding::bloc_not_assessed;
                break;
            }
            case CheckKind::option_group:
                f = std::any_of(slot.members.begin(), slot.members.end(),
                                [&](int b) { return s.acquired[static_cast<std::size_t>(b)] != 0; })
                        ? Finding::option_met
                        : Finding::option_missing;
                break;
            case CheckKind::requirement: {
                const auto q = static_cast<std::size_t>(slot.requirement);
                const RequirementPlan& p = plan.requirements[q];
                const Requirement& r = *p.requirement;
                if (r.applies_when && s.condition_value[q] == absent) {
                    f = Finding::condition_unknown;
                    break;
                }
                if (r.applies_when && !p.condition_applies[s.condition_value[q]]) {
                    f = Finding::requirement_not_applicable;
                    break;
                }
                switch (r.kind) {
                    case RequirementKind::language: {
                        const int best = s.best[q], third = s.best_third[q];
                        if (best < 0) {
                            f = Finding::language_missing;
                        } else if (r.third_party ? third >= p.target : best >= p.target) {
                            f = Finding::requirement_met;
                            h = p.cefr ? (r.third_party ? third : best) : 0;
                        } else {
                            f = best >= p.target ? Finding::language_not_third_party : Finding::language_level_low;
                            h = p.cefr ? best : 0;
                        }
                        break;
                    }
                    case RequirementKind::mobility:
                        h = static_cast<double>(mobility_days) / 7.0;
                        f = h + slack >= r.minimum_weeks ? Finding::requirement_met : Finding::mobility_short;
                        break;
                    case RequirementKind::experience:
                        h = r.consecutive ? work_longest : work_months;
                        f = h + slack >= r.minimum_months ? Finding::requirement_met : Finding::experience_short;
                        break;
                }
                break;
            }
            case CheckKind::delivery_window: {
                const CertificationDates& d = *plan.dates;
                const auto before = [](const std::optional<Date>& date, std::int32_t day) {
                    return date && date->days_since_epoch() < day;
                };
                const std::optional<Date> deadline = d.last_delivery ? d.last_delivery : d.end_of_registration;
                const std::int32_t started = path_start != std::numeric_limits<std::int32_t>::max() ? path_start
                                                                                                     : first_event;
                const bool has_start = started != std::numeric_limits<std::int32_t>::max();
                if (d.publication && as_of < d.publication->days_since_epoch())
                    f = Finding::before_registration;
                else if (has_start && before(d.end_of_registration, started))
                    f = Finding::path_after_registration;
                else if (before(deadline, as_of))
                    f = exception ? Finding::window_exception : Finding::after_deadline;
                else
                    f = Finding::window_met;
                break;
            }
            case CheckKind::ledger:
                break;
        }
        finding[k] = f;
        have[k] = h;
        eligible = eligible && EligibilityTable::satisfied(f);
    }
    return eligible;
}

}  // namespace

bool EligibilityTable::met(Finding f) noexcept {
    switch (f) {
        case Finding::bloc_acquired:
        case Finding::option_met:
        case Finding::requirement_met:
        case Finding::requirement_not_applicable:
        case Finding::window_met:
        case Finding::window_exception:
            return true;
        default:
            return false;
    }
}

bool EligibilityTable::satisfied(Finding f) noexcept { return met(f) || f == Finding::optional_bloc; }

EligibilityTable eligibility_table(const Referentiel& referentiel, const EventTable& events, Date as_of,
                                   unsigned threads) {
    EligibilityTable out;
    out.as_of = as_of;
    const Plan plan = make_plan(referentiel, events, out);
    const std::size_t n = events.candidates.size(), width = plan.slots.size();
    out.candidates = events.candidates;
    out.eligible.assign(n, 0);
    out.problems.assign(n, 0);
    out.findings.resize(n * width);
    out.have.resize(n * width);
    std::vector<const std::vector<Event>*> objects(n, nullptr);
    for (const auto& [k, list] : events.objects) objects[k] = &list;
    const std::int32_t day = as_of.days_since_epoch();

    auto work = [&](std::size_t first, std::size_t last) {
        Scratch scratch(plan);
        for (std::size_t k = first; k < last; ++k) {
            Finding* finding = out.findings.data() + k * width;
            double* have = out.have.data() + k * width;
            if (!objects[k]) {
                out.eligible[k] = decide(plan, events, events.first[k], events.first[k + 1], day, scratch, finding, have);
                continue;
            }
            const Eligibility answer = eligibility(referentiel, state_as_of(*objects[k], as_of), events.candidates[k]);
            for (std::size_t c = 0; c < width; ++c) finding[c] = answer.checks[c].finding, have[c] = answer.checks[c].have;
            out.problems[k] = static_cast<std::uint32_t>(answer.checks.size() - width);
            out.eligible[k] = answer.eligible;
        }
    };
    certigraph::detail::run_ranges(threads, n, work);
    return out;
}

}  // namespace certigraph::ledger
