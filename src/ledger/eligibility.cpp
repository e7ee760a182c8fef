// Eligibility as of a date: blocs, option groups, typed requirements, the delivery
// window. Each check records a Finding with its numbers; the sentences are written
// only when asked for (explain / missing), so that a million answers cost little.
#include <certigraph/ledger/eligibility.hpp>

#include <certigraph/error.hpp>

#include "core/csv.hpp"
#include "core/enum_names.hpp"
#include "ledger/group.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>
#include <ostream>

namespace certigraph::ledger {

using certigraph::detail::name_of;

namespace {

constexpr std::array check_kind_names{"bloc", "option_group", "requirement", "delivery_window",
                                      "ledger"};
constexpr std::array finding_names{
    "bloc_acquired",        "bloc_refused",           "bloc_not_assessed",
    "optional_bloc",        "option_met",             "option_missing",
    "requirement_met",      "requirement_not_applicable", "condition_unknown",
    "language_missing",     "language_level_low",     "language_not_third_party",
    "mobility_short",       "experience_short",       "window_met",
    "window_exception",     "before_registration",    "after_deadline",
    "path_after_registration", "ledger_problem"};
static_assert(finding_names.size() == static_cast<std::size_t>(Finding::ledger_problem) + 1);

/// Quantities are compared with this slack: sums of fractional months are not exact.
constexpr double slack = 1e-9;

constexpr std::array cefr_levels{"A1", "A2", "B1", "B2", "C1", "C2"};

/// CEFR rank, A1 = 1 … C2 = 6; 0 if not a CEFR level.
int cefr_rank(std::string_view level) {
    std::string upper;
    for (char c : level) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    for (std::size_t i = 0; i < cefr_levels.size(); ++i)
        if (upper == cefr_levels[i]) return static_cast<int>(i) + 1;
    return 0;
}

bool same_text(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

bool is_cefr(std::string_view framework) {
    return same_text(framework, "CEFR") || same_text(framework, "CECRL");
}

/// A number for a sentence: at most two decimals, never rounded up (5.997 -> "5.99",
/// so that a shortfall never reads as the target).
std::string amount(double x) {
    const double floored = std::floor(x * 100.0 + slack) / 100.0;
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.2f", floored);
    std::string s = buffer;
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    return s;
}

std::string event_ref(EventId id) { return id ? " (event #" + std::to_string(id) + ")" : ""; }

Check bloc_check(const std::string& code, const CapitalisationState& state, bool required) {
    Check c;
    c.kind = CheckKind::bloc;
    c.subject = code;
    c.required = required;
    const auto it = state.blocs.find(code);
    if (it != state.blocs.end() && it->second.acquired) {
        const BlocState& b = it->second;
        c.met = true;
        c.finding = Finding::bloc_acquired;
        c.date = b.since;
        c.event = b.event;
        c.detail = std::string(to_string(*b.route));
        c.have = static_cast<double>(b.refusals);
    } else if (it != state.blocs.end() && it->second.refusals > 0) {
        c.finding = Finding::bloc_refused;
        c.have = static_cast<double>(it->second.refusals);
        c.date = it->second.last_refused;
    } else {
        c.finding = Finding::bloc_not_assessed;
    }
    if (!required) {
        c.met = c.finding == Finding::bloc_acquired;
        if (!c.met) c.finding = Finding::optional_bloc;
    }
    return c;
}

Check language_check(const Requirement& r, const CapitalisationState& state) {
    Check c;
    // A CEFR level is ranked; anything else (another framework, or a level the CEFR
    // does not have, which the référentiel check reports) needs the exact level.
    const bool cefr = is_cefr(r.framework) && cefr_rank(r.level) > 0;
    // Outside the CEFR only the exact level is understood: rank 1 if equal, else 0.
    const int target = cefr ? cefr_rank(r.level) : 1;
    c.need = cefr ? target : 0;
    // The best certificate of the language and framework, overall and by a third
    // party; on equal ranks the earliest (languages are sorted by issue date).
    const HeldCertificate* best = nullptr;
    const HeldCertificate* best_third = nullptr;
    int rank_best = -1, rank_third = -1;
    for (const auto& held : state.languages) {
        const auto& cert = held.certificate;
        if (!r.language.empty() && !same_text(cert.language, r.language)) continue;
        if (!same_text(cert.framework, r.framework) && !(is_cefr(r.framework) && is_cefr(cert.framework)))
            continue;
        const int rank = cefr ? cefr_rank(cert.level) : (same_text(cert.level, r.level) ? 1 : 0);
        if (rank > rank_best) best = &held, rank_best = rank;
        if (cert.third_party && rank > rank_third) best_third = &held, rank_third = rank;
    }
    if (!best) {
        c.finding = Finding::language_missing;
        return c;
    }
    // The certificate the answer names: the one that meets the requirement, else the best held.
    const HeldCertificate* use = best;
    int rank_use = rank_best;
    if (r.third_party ? rank_third >= target : rank_best >= target) {
        if (r.third_party) use = best_third, rank_use = rank_third;
        c.met = true;
        c.finding = Finding::requirement_met;
    } else {
        c.finding = rank_best >= target ? Finding::language_not_third_party : Finding::language_level_low;
    }
    c.have = cefr ? rank_use : 0;
    c.event = use->event;
    c.date = use->certificate.issued;
    c.detail = use->certificate.level + " from " + use->certificate.issuer;
    return c;
}

Check requirement_check(const Requirement& r, const CapitalisationState& state) {
    Check c;
    if (r.applies_when) {
        const Condition& when = *r.applies_when;
        const auto it = state.attributes.find(when.attribute);
        if (it == state.attributes.end()) {
            c.finding = Finding::condition_unknown;
            c.detail = when.attribute;
        } else {
            const bool equal = same_text(it->second, when.value);  // "fr" is "FR"
            const bool applies = when.op == ConditionOperator::equals ? equal : !equal;
            if (!applies) {
                c.required = false;
                c.met = true;
                c.finding = Finding::requirement_not_applicable;
                c.detail = when.attribute + " = " + it->second;
            }
        }
        if (c.finding == Finding::condition_unknown || c.finding == Finding::requirement_not_applicable) {
            c.kind = CheckKind::requirement;
            c.subject = r.code;
            return c;
        }
    }
    switch (r.kind) {
        case RequirementKind::language:
            c = language_check(r, state);
            break;
        case RequirementKind::mobility:
            c.have = state.mobility_weeks;
            c.need = r.minimum_weeks;
            c.met = c.have + slack >= c.need;
            c.finding = c.met ? Finding::requirement_met : Finding::mobility_short;
            break;
        case RequirementKind::experience:
            c.have = r.consecutive ? state.work_longest_months : state.work_months;
            c.need = r.minimum_months;
            c.met = c.have + slack >= c.need;
            c.finding = c.met ? Finding::requirement_met : Finding::experience_short;
            break;
    }
    c.kind = CheckKind::requirement;
    c.subject = r.code;
    if (r.applies_when) {
        const auto& value = state.attributes.at(r.applies_when->attribute);
        if (c.detail.empty()) c.detail = r.applies_when->attribute + " = " + value;
    }
    return c;
}

Check window_check(const CertificationDates& dates, const CapitalisationState& state) {
    Check c;
    c.kind = CheckKind::delivery_window;
    c.subject = "delivery_window";
    const Date decision = state.as_of;
    if (dates.publication && decision < *dates.publication) {
        c.finding = Finding::before_registration;
        c.date = dates.publication;
        return c;  // no exception covers an award before registration
    }
    const std::optional<Date> deadline = dates.last_delivery ? dates.last_delivery : dates.end_of_registration;
    // The path must have started while the fiche was registered; no exception lifts
    // that (L6113-9 is precisely for paths started while registered). Without a
    // recorded path start, the earliest event bounds it.
    const bool inferred = !state.path_started;
    const std::optional<Date> started = inferred ? state.first_event : state.path_started;
    if (dates.end_of_registration && started && *dates.end_of_registration < *started) {
        c.finding = Finding::path_after_registration;
        c.date = started;
        c.event = state.path_event;
        if (inferred) c.detail = "inferred";
        return c;
    }
    if (deadline && *deadline < decision) {
        // After the last possible delivery: only a recorded exception allows it.
        c.date = deadline;
        if (state.exceptions.empty()) {
            c.finding = Finding::after_deadline;
            return c;
        }
        const HeldException& x = state.exceptions.front();
        c.met = true;
        c.finding = Finding::window_exception;
        c.event = x.event;
        c.detail = x.exception.basis;
        return c;
    }
    c.met = true;
    c.finding = Finding::window_met;
    c.date = deadline;
    c.event = state.path_event;
    return c;
}

const Requirement* requirement_named(const Referentiel& ref, std::string_view code) {
    for (const auto& r : ref.certification().requirements)
        if (r.code == code) return &r;
    return nullptr;
}

std::string bloc_list(const Referentiel& ref, std::string_view group) {
    std::string out;
    for (const auto& b : ref.blocs())
        if (b.option_group == group) out += (out.empty() ? "" : ", ") + b.code;
    return out;
}

std::string level_name(double rank) {
    const int r = static_cast<int>(rank);
    return r >= 1 && r <= 6 ? cefr_levels[static_cast<std::size_t>(r - 1)] : "none";
}

std::string language_wanted(const Requirement& r) {
    std::string s = "a certificate of " + r.framework + " " + r.level +
                    (is_cefr(r.framework) ? " or higher" : "") +
                    (r.language.empty() ? std::string() : " in '" + r.language + "'");
    if (r.third_party) s += ", attested by a third party";
    return s;
}

}  // namespace

namespace detail {
int cefr_rank_of(std::string_view level) { return cefr_rank(level); }
bool same_text_ignoring_case(std::string_view a, std::string_view b) { return same_text(a, b); }
bool is_cefr_framework(std::string_view framework) { return is_cefr(framework); }
}  // namespace detail

std::string_view to_string(CheckKind kind) noexcept { return name_of(check_kind_names, kind); }
std::string_view to_string(Finding finding) noexcept { return name_of(finding_names, finding); }

Eligibility eligibility(const Referentiel& referentiel, const CapitalisationState& state,
                        std::string_view candidate) {
    return eligibility(referentiel, CapitalisationState(state), candidate);
}

Eligibility eligibility(const Referentiel& referentiel, CapitalisationState&& moved,
                        std::string_view candidate) {
    Eligibility out;
    out.candidate = std::string(candidate);
    out.as_of = moved.as_of;
    out.state = std::move(moved);
    const CapitalisationState& state = out.state;
    auto& checks = out.checks;
    const auto blocs = referentiel.blocs();
    checks.reserve(blocs.size() + referentiel.certification().requirements.size() + 2);
    std::map<std::string, Check> groups;
    for (const auto& b : blocs) {
        if (!b.option_group.empty()) {
            Check& g = groups[b.option_group];
            g.kind = CheckKind::option_group;
            g.subject = b.option_group;
            if (g.met) continue;
            const Check member = bloc_check(b.code, state, true);
            if (member.met) {
                g.met = true;
                g.finding = Finding::option_met;
                g.date = member.date;
                g.event = member.event;
                g.detail = b.code;
            } else {
                g.finding = Finding::option_missing;
            }
            continue;
        }
        checks.push_back(bloc_check(b.code, state, !b.optional));
    }
    for (auto& [_, g] : groups) checks.push_back(std::move(g));
    for (const auto& r : referentiel.certification().requirements)
        checks.push_back(requirement_check(r, state));
    checks.push_back(window_check(referentiel.certification().dates, state));
    for (const auto& problem : state.problems) {
        Check c;
        c.kind = CheckKind::ledger;
        c.subject = "ledger";
        c.finding = Finding::ledger_problem;
        c.detail = problem;
        checks.push_back(std::move(c));
    }
    out.eligible = std::all_of(checks.begin(), checks.end(),
                               [](const Check& c) { return c.met || !c.required; });
    return out;
}

Eligibility eligibility(const Referentiel& referentiel, std::span<const Event> events, Date as_of) {
    const std::string candidate = events.empty() ? std::string() : events.front().candidate;
    for (const auto& e : events)
        if (e.candidate != candidate)
            throw Error("eligibility: the events are of several candidates ('" + candidate + "', '" + e.candidate +
                        "'); use eligibility_of_all, or pass one candidate's events");
    return eligibility(referentiel, state_as_of(events, as_of), candidate);
}

std::vector<Eligibility> eligibility_of_all(const Referentiel& referentiel,
                                            std::span<const Event> events, Date as_of,
                                            unsigned threads) {
    const detail::Groups groups = detail::group_by_candidate(events);
    std::vector<Eligibility> out(groups.ranges.size());
    detail::parallel_over_groups(events, groups, threads, [&](std::size_t k, std::vector<const Event*> mine) {
        const std::string& candidate = mine.front()->candidate;
        out[k] = eligibility(referentiel, detail::state_of(std::move(mine), as_of), candidate);
    });
    return out;
}

std::string explain(const Check& c, const Referentiel& ref) {
    const std::string date = c.date ? c.date->to_string() : std::string("?");
    const Requirement* r = c.kind == CheckKind::requirement ? requirement_named(ref, c.subject) : nullptr;
    switch (c.finding) {
        case Finding::bloc_acquired:
            return "acquired on " + date + " by " + c.detail + event_ref(c.event) +
                   (c.required ? "" : " (optional bloc)");
        case Finding::bloc_refused:
            return "not acquired: refused " + amount(c.have) + (c.have == 1 ? " time" : " times") +
                   ", last on " + date;
        case Finding::bloc_not_assessed:
            return "not acquired: no outcome recorded";
        case Finding::optional_bloc:
            return "optional bloc, not required; not acquired";
        case Finding::option_met:
            return "option group met by " + c.detail + ", acquired on " + date + event_ref(c.event);
        case Finding::option_missing:
            return "no bloc of the option group acquired (" + bloc_list(ref, c.subject) + ")";
        case Finding::requirement_met:
            if (r && r->kind == RequirementKind::mobility)
                return amount(c.have) + " weeks of mobility, at least " + amount(c.need) + " required";
            if (r && r->kind == RequirementKind::experience)
                return amount(c.have) + (r->consecutive ? " consecutive" : "") +
                       " months of work experience, at least " + amount(c.need) + " required";
            return "certificate " + c.detail + " issued " + date + event_ref(c.event);
        case Finding::requirement_not_applicable:
            return "does not apply: " + c.detail;
        case Finding::condition_unknown:
            return "cannot tell whether it applies: attribute '" + c.detail + "' is not recorded";
        case Finding::language_missing:
            return "no certificate in that language and framework";
        case Finding::language_level_low:
            return "best certificate " + c.detail + " issued " + date + event_ref(c.event) +
                   ", below " + (r ? r->level : level_name(c.need));
        case Finding::language_not_third_party:
            return "certificate " + c.detail + event_ref(c.event) +
                   " reaches the level but is not attested by a third party";
        case Finding::mobility_short:
            return "only " + amount(c.have) + " weeks of mobility, " + amount(c.need) + " required";
        case Finding::experience_short:
            return "only " + amount(c.have) + (r && r->consecutive ? " consecutive" : "") +
                   " months of work experience, " + amount(c.need) + " required";
        case Finding::window_met:
            return c.date ? "decision on or before the last possible delivery, " + date
                          : "no delivery deadline in the référentiel";
        case Finding::window_exception:
            return "decision after the last possible delivery, " + date + ", allowed by the recorded exception " +
                   c.detail + event_ref(c.event);
        case Finding::before_registration:
            return "decision before the fiche's publication on " + date;
        case Finding::after_deadline:
            return "decision after the last possible delivery, " + date;
        case Finding::path_after_registration:
            return (c.detail == "inferred" ? "no path start recorded, and the earliest event, on " + date + ", is"
                                           : "the path started on " + date + event_ref(c.event) + ",") +
                   " after the end of registration " +
                   (ref.certification().dates.end_of_registration
                        ? ref.certification().dates.end_of_registration->to_string()
                        : std::string("?"));
        case Finding::ledger_problem:
            return c.detail;
    }
    return {};
}

std::string missing(const Check& c, const Referentiel& ref) {
    if (c.met || !c.required) return {};
    const Requirement* r = c.kind == CheckKind::requirement ? requirement_named(ref, c.subject) : nullptr;
    switch (c.finding) {
        case Finding::bloc_refused:
        case Finding::bloc_not_assessed:
            return "bloc " + c.subject + " to validate";
        case Finding::option_missing:
            return "one bloc of option group " + c.subject + " to validate (" + bloc_list(ref, c.subject) + ")";
        case Finding::condition_unknown:
            return "the attribute '" + c.detail + "' to record, to decide whether " + c.subject + " applies";
        case Finding::language_missing:
        case Finding::language_level_low:
        case Finding::language_not_third_party:
            return r ? language_wanted(*r) + " (" + c.subject + ")" : c.subject;
        case Finding::mobility_short:
            return amount(std::ceil((c.need - c.have) * 100.0 - slack) / 100.0) +
                   " more weeks of international mobility (" + c.subject + ")";
        case Finding::experience_short:
            return amount(std::ceil((c.need - c.have) * 100.0 - slack) / 100.0) + " more" +
                   (r && r->consecutive ? " consecutive" : "") + " months of work experience (" +
                   c.subject + ")";
        case Finding::before_registration:
            return "a decision on or after the fiche's publication";
        case Finding::after_deadline:
            return "a recorded delivery exception (L6113-9: the path started while the fiche was registered), "
                   "or a decision on or before the last possible delivery";
        case Finding::path_after_registration:
            return c.detail == "inferred"
                       ? "a path_start event: when the path started (it must be on or before the end of registration)"
                       : "none possible under this fiche: the path started after its end of registration";
        case Finding::ledger_problem:
            return "a correction of the ledger problem";
        default:
            return c.subject;
    }
}

void write_eligibility_csv(std::ostream& out, std::span<const Eligibility> answers,
                           const Referentiel& ref, const io::CsvOptions& csv) {
    auto field = [&](std::string_view s) { out << certigraph::detail::csv_field(s, csv.formula_guard); };
    out << "candidate,as_of,eligible,kind,subject,required,met,finding,reason,missing\n";
    for (const auto& a : answers) {
        const std::string as_of = a.as_of.to_string();
        for (const auto& c : a.checks) {
            field(a.candidate);
            out << ',' << as_of << ',' << (a.eligible ? "true" : "false") << ',' << to_string(c.kind) << ',';
            field(c.subject);
            out << ',' << (c.required ? "true" : "false") << ',' << (c.met ? "true" : "false") << ','
                << to_string(c.finding) << ',';
            field(explain(c, ref));
            out << ',';
            field(missing(c, ref));
            out << '\n';
        }
    }
}

void write_eligibility_json(std::ostream& out, std::span<const Eligibility> answers,
                            const Referentiel& ref) {
    using json = nlohmann::ordered_json;  // keys in a reading order
    json all = json::array();
    for (const auto& a : answers) {
        json checks = json::array();
        json wanted = json::array();
        for (const auto& c : a.checks) {
            json j{{"kind", to_string(c.kind)},     {"subject", c.subject},
                   {"required", c.required},        {"met", c.met},
                   {"finding", to_string(c.finding)}, {"reason", explain(c, ref)}};
            const std::string m = missing(c, ref);
            if (!m.empty()) {
                j["missing"] = m;
                wanted.push_back(m);
            }
            if (c.have != 0.0 || c.need != 0.0) {
                j["have"] = c.have;
                j["need"] = c.need;
            }
            if (c.date) j["date"] = c.date->to_string();
            if (c.event) j["event"] = c.event;
            if (!c.detail.empty()) j["detail"] = c.detail;
            checks.push_back(std::move(j));
        }
        all.push_back(json{{"candidate", a.candidate},
                           {"as_of", a.as_of.to_string()},
                           {"eligible", a.eligible},
                           {"missing", std::move(wanted)},
                           {"checks", std::move(checks)}});
    }
    out << all.dump(2, ' ', false, json::error_handler_t::replace) << '\n';
}

}  // namespace certigraph::ledger
