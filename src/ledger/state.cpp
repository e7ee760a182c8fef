// The capitalisation state as of a date: a pure function of the events.
//
// Order-independence: the events are first sorted by a total order on their
// content — (date, then every other field but the id, member by member, then id) —
// and then processed in that order. Content first rather than (date, id): two ledgers that
// received the same events in different insertion orders assign different ids, and
// the choice among same-day events (which one acquired the bloc, which attribute
// value is the latest) must not depend on that; the id only breaks ties between
// events identical in content. Every rule below is "the first/last in that order",
// so any permutation of the input gives the same state.
#include <certigraph/ledger/state.hpp>

#include "ledger/group.hpp"

#include <algorithm>
#include <chrono>
#include <set>
#include <tuple>

namespace certigraph::ledger {

namespace {

namespace chr = std::chrono;

chr::sys_days to_sys(Date d) { return chr::sys_days{chr::days{d.days_since_epoch()}}; }
Date from_sys(chr::sys_days s) {
    const chr::year_month_day ymd{s};
    return Date(static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
}

/// start + m calendar months, the day clamped to the target month's last day.
chr::sys_days add_months(Date start, long m) {
    const chr::year_month ym = chr::year_month{chr::year{start.year()}, chr::month{start.month()}} +
                               chr::months{m};
    const chr::year_month_day_last last{ym.year(), chr::month_day_last{ym.month()}};
    const unsigned day = std::min(start.day(), static_cast<unsigned>(last.day()));
    return chr::sys_days{chr::year_month_day{ym.year(), ym.month(), chr::day{day}}};
}

/// Union of closed day intervals [a, b] (days since epoch), merged.
std::vector<std::pair<long, long>> merge(std::vector<std::pair<long, long>> intervals) {
    std::sort(intervals.begin(), intervals.end());
    std::vector<std::pair<long, long>> out;
    for (const auto& iv : intervals) {
        if (!out.empty() && iv.first <= out.back().second + 1)
            out.back().second = std::max(out.back().second, iv.second);
        else
            out.push_back(iv);
    }
    return out;
}

/// A fact that counts, with the header it counts under.
struct Item {
    const Event::Body* body;  ///< the event's own body, or
    const Fact* fact;         ///< a correction's replacement
    Date date;
    const std::string* session;
    Route route;
    EventId id;        ///< the event that states it (a correction for a replacement)
    EventId corrects;  ///< for a replacement: the event superseded
    std::size_t order; ///< position of the stating event in the sorted input
};

}  // namespace

double calendar_months(Date start, Date end) {
    if (end < start) return 0.0;
    const auto e = to_sys(end);
    long m = (static_cast<long>(end.year()) - start.year()) * 12 +
             (static_cast<long>(end.month()) - static_cast<long>(start.month())) + 1;
    while (m > 0 && add_months(start, m) - chr::days{1} > e) --m;
    const auto whole_end = add_months(start, m);  // first day not covered by m whole months
    const long rest = (e - whole_end).count() + 1;  // days from whole_end to end, included
    if (rest <= 0) return static_cast<double>(m);
    const long step = (add_months(start, m + 1) - whole_end).count();
    return static_cast<double>(m) + static_cast<double>(rest) / static_cast<double>(step);
}

CapitalisationState state_as_of(std::span<const Event> events, Date as_of) {
    std::vector<const Event*> pointers;
    pointers.reserve(events.size());
    for (const auto& e : events) pointers.push_back(&e);
    return detail::state_of(std::move(pointers), as_of);
}

namespace detail {

CapitalisationState state_of(std::vector<const Event*> sorted, Date as_of) {
    CapitalisationState state;
    state.as_of = as_of;

    // 1. A total order on content (see the top of this file).
    std::sort(sorted.begin(), sorted.end(), [](const Event* a, const Event* b) {
        const auto key = [](const Event& e) {
            return std::tie(e.date, e.candidate, e.session, e.route, e.referentiel, e.policy_hash,
                            e.evidence, e.body, e.id);
        };
        return key(*a) < key(*b);
    });
    // Positions by id, needed only to follow corrections.
    std::map<EventId, std::size_t> position;
    if (std::any_of(sorted.begin(), sorted.end(),
                    [](const Event* e) { return std::holds_alternative<Correction>(e->body); }))
        for (std::size_t i = 0; i < sorted.size(); ++i)
            if (sorted[i]->id != 0) position.emplace(sorted[i]->id, i);
    std::set<std::string> problems;

    // 2. Corrections in effect (dated on or before as_of). A correction names an event;
    // following the names down through corrections in effect gives the root, the
    // original fact. Every event of a chain stops counting. Per root, the correction
    // recorded last wins (the highest id: corrections name ids, so recording order is
    // their meaning; content order only breaks ties between unstored events).
    const auto in_effect = [&](const Event* e) { return !(as_of < e->date); };
    std::set<EventId> superseded;
    for (const Event* e : sorted)
        if (const auto* c = std::get_if<Correction>(&e->body); c && in_effect(e)) superseded.insert(c->supersedes);
    std::map<EventId, std::size_t> winner;  // root event id -> winning correction position
    std::vector<EventId> roots;
    for (std::size_t i = 0; i < sorted.size(); ++i) {
        const Event* e = sorted[i];
        const auto* c = std::get_if<Correction>(&e->body);
        if (!c || !in_effect(e) || superseded.count(e->id)) continue;  // only the tops of chains
        EventId root = c->supersedes;
        for (std::size_t steps = 0; steps <= sorted.size(); ++steps) {
            auto it = position.find(root);
            if (it == position.end() || !in_effect(sorted[it->second])) break;
            const auto* inner = std::get_if<Correction>(&sorted[it->second]->body);
            if (!inner) break;
            root = inner->supersedes;
        }
        if (!position.count(root))
            problems.insert("correction " + std::to_string(e->id) + " supersedes event " +
                            std::to_string(root) + ", which is not in the input");
        roots.push_back(root);
        const auto [it, first] = winner.emplace(root, i);
        if (!first && std::tie(sorted[it->second]->id, it->second) < std::tie(e->id, i)) it->second = i;
    }
    superseded.insert(roots.begin(), roots.end());

    // 3. The facts that count.
    std::vector<Item> items;
    for (std::size_t i = 0; i < sorted.size(); ++i) {
        const Event* e = sorted[i];
        if (as_of < e->date || (e->id != 0 && superseded.count(e->id))) continue;
        if (std::holds_alternative<Correction>(e->body)) continue;
        items.push_back({&e->body, nullptr, e->date, &e->session, e->route, e->id, 0, i});
    }
    for (const auto& [root, i] : winner) {
        const Event* c = sorted[i];
        const auto& correction = std::get<Correction>(c->body);
        if (!correction.replacement) continue;
        const auto it = position.find(root);
        const Event* header = it != position.end() ? sorted[it->second] : c;
        if (as_of < header->date) continue;
        items.push_back({nullptr, &*correction.replacement, header->date, &header->session, header->route,
                         c->id, root, i});
    }
    std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
        return std::tie(a.date, a.order) < std::tie(b.date, b.order);
    });

    // 4. Jury decisions replace the computed outcome of (session, bloc).
    // A decision naming a (session, bloc) with no computed result is reported: it
    // replaces nothing (a mistyped session would otherwise go unnoticed).
    const auto jury_decision = [](const Item& item) {
        return item.body ? std::get_if<JuryDecision>(item.body) : std::get_if<JuryDecision>(item.fact);
    };
    std::set<std::pair<std::string, std::string>> overridden;
    for (const auto& item : items)
        if (const auto* j = jury_decision(item); j && !j->overrides_session.empty())
            overridden.emplace(j->overrides_session, j->bloc);
    if (!overridden.empty()) {  // rare: only then collect the computed results
        std::set<std::pair<std::string, std::string>> computed;
        for (const auto& item : items)
            if (const auto* r = item.body ? std::get_if<BlocResult>(item.body) : std::get_if<BlocResult>(item.fact))
                computed.emplace(*item.session, r->bloc);
        for (const auto& item : items)
            if (const auto* j = jury_decision(item);
                j && !j->overrides_session.empty() && !computed.count({j->overrides_session, j->bloc}))
                problems.insert("jury decision " + std::to_string(item.id) + " overrides the result of bloc " +
                                j->bloc + " in session " + j->overrides_session + ", but no such result is on record");
    }
    // Two different values of one attribute recorded the same day: which holds is
    // not for the engine to guess.
    std::map<std::string, std::pair<Date, std::string>> attribute_seen;

    // 5. Outcomes, in order: the first validation acquires; refusals never remove.
    std::vector<std::pair<long, long>> mobility, work;
    const long last_day = as_of.days_since_epoch();
    auto outcome = [&](const Item& item, const std::string& bloc, bool validated) {
        BlocState& b = state.blocs[bloc];
        if (validated) {
            if (!b.acquired) {
                b.acquired = true;
                b.since = item.date;
                b.route = item.route;
                b.event = item.id;
                b.corrects = item.corrects;
            }
        } else {
            ++b.refusals;
            if (!b.last_refused || *b.last_refused < item.date) b.last_refused = item.date;
        }
    };
    auto period = [&](std::vector<std::pair<long, long>>& into, Date start, Date end) {
        const long s = start.days_since_epoch();
        const long e = std::min<long>(end.days_since_epoch(), last_day);
        if (s <= e) into.emplace_back(s, e);
    };
    if (!items.empty()) state.first_event = items.front().date;
    for (const auto& item : items) {
        const auto apply = [&](const auto& f) {
                using T = std::decay_t<decltype(f)>;
                if constexpr (std::is_same_v<T, BlocResult>) {
                    if (!overridden.count({*item.session, f.bloc})) outcome(item, f.bloc, f.validated);
                } else if constexpr (std::is_same_v<T, VaeDecision>) {
                    for (const auto& b : f.acquired) outcome(item, b, true);
                    for (const auto& b : f.refused) outcome(item, b, false);
                } else if constexpr (std::is_same_v<T, BlocCredit>) {
                    outcome(item, f.bloc, true);
                } else if constexpr (std::is_same_v<T, JuryDecision>) {
                    outcome(item, f.bloc, f.validated);
                } else if constexpr (std::is_same_v<T, LanguageCertificate>) {
                    state.languages.push_back({f, item.id});
                } else if constexpr (std::is_same_v<T, MobilityPeriod>) {
                    period(mobility, f.start, f.end);
                } else if constexpr (std::is_same_v<T, WorkPeriod>) {
                    period(work, f.start, f.end);
                } else if constexpr (std::is_same_v<T, Attribute>) {
                    state.attributes[f.name] = f.value;  // the last in order wins
                    const auto [seen, first] = attribute_seen.try_emplace(f.name, item.date, f.value);
                    if (!first && seen->second.first == item.date && seen->second.second != f.value)
                        problems.insert("attribute " + f.name + " has two values recorded on " +
                                        item.date.to_string() + " ('" + seen->second.second + "', '" + f.value +
                                        "'); correct one of them");
                    seen->second = {item.date, f.value};
                } else if constexpr (std::is_same_v<T, PathStart>) {
                    if (!state.path_started) {  // the first in order: the earliest
                        state.path_started = item.date;
                        state.path_access_route = f.access_route;
                        state.path_event = item.id;
                    }
                } else if constexpr (std::is_same_v<T, DeliveryException>) {
                    state.exceptions.push_back({f, item.date, item.id});
                } else if constexpr (std::is_same_v<T, CertificationDecision>) {
                    // The latest by date, then deciding event id; items come in (date,
                    // content) order, so the content order breaks a tie of unstored events.
                    if (!state.certification ||
                        std::tie(state.certification->date, state.certification->event) <= std::tie(item.date, item.id))
                        state.certification = DecisionInForce{f, item.date, *item.session, item.route, item.id,
                                                              item.corrects};
                }  // a Correction is never an item
            };
        if (item.body)
            std::visit(apply, *item.body);
        else
            std::visit(apply, *item.fact);
    }
    std::stable_sort(state.languages.begin(), state.languages.end(),
                     [](const HeldCertificate& a, const HeldCertificate& b) {
                         return a.certificate.issued < b.certificate.issued;
                     });
    for (const auto& [s, e] : merge(std::move(mobility))) state.mobility_days += e - s + 1;
    state.mobility_weeks = static_cast<double>(state.mobility_days) / 7.0;
    for (const auto& [s, e] : merge(std::move(work))) {
        state.work_days += e - s + 1;
        const double months = calendar_months(from_sys(chr::sys_days{chr::days{s}}),
                                              from_sys(chr::sys_days{chr::days{e}}));
        state.work_months += months;
        state.work_longest_months = std::max(state.work_longest_months, months);
    }
    state.problems.assign(problems.begin(), problems.end());
    return state;
}

}  // namespace detail

StateSnapshot snapshot_as_of(std::span<const Event> events, Date as_of, unsigned threads) {
    StateSnapshot out;
    out.as_of = as_of;
    out.events = events.size();
    for (const auto& e : events) out.last_event = std::max(out.last_event, e.id);
    const detail::Groups groups = detail::group_by_candidate(events);
    std::vector<CapitalisationState> states(groups.ranges.size());
    detail::parallel_over_groups(events, groups, threads, [&](std::size_t k, std::vector<const Event*> mine) {
        states[k] = detail::state_of(std::move(mine), as_of);
    });
    for (std::size_t k = 0; k < states.size(); ++k)
        out.states.emplace_hint(out.states.end(), events[groups.order[groups.ranges[k].first]].candidate,
                                std::move(states[k]));
    return out;
}

}  // namespace certigraph::ledger
