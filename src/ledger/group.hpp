// Private: the events of many candidates, grouped by candidate and processed in
// parallel (eligibility_of_all, snapshot_as_of).
#pragma once

#include <certigraph/ledger/event.hpp>
#include <certigraph/ledger/state.hpp>

#include "core/parallel.hpp"

#include <algorithm>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace certigraph::ledger::detail {

/// Positions of the events grouped by candidate: order[ranges[k].first .. ranges[k].second)
/// are the k-th candidate's (candidates sorted).
struct Groups {
    std::vector<std::uint32_t> order;
    std::vector<std::pair<std::size_t, std::size_t>> ranges;
};

inline Groups group_by_candidate(std::span<const Event> events) {
    Groups g;
    g.order.resize(events.size());
    for (std::size_t i = 0; i < g.order.size(); ++i) g.order[i] = static_cast<std::uint32_t>(i);
    const auto by_candidate = [&](std::uint32_t a, std::uint32_t b) {
        return events[a].candidate < events[b].candidate;
    };
    // Already grouped in candidate order (as Ledger::all_events_by_candidate() gives them):
    // nothing to sort.
    if (!std::is_sorted(g.order.begin(), g.order.end(), by_candidate))
        std::stable_sort(g.order.begin(), g.order.end(), by_candidate);
    for (std::size_t i = 0; i < g.order.size();) {
        std::size_t j = i + 1;
        while (j < g.order.size() && events[g.order[j]].candidate == events[g.order[i]].candidate) ++j;
        g.ranges.emplace_back(i, j);
        i = j;
    }
    return g;
}

/// The state of one candidate from pointers to their events (state.cpp);
/// state_as_of() is this on the events' addresses.
CapitalisationState state_of(std::vector<const Event*> events, Date as_of);

/// Runs fn(k, pointers to the k-th candidate's events) for every group k, from several threads when asked
/// (threads = 0: all cores for 4096 candidates or more). Deterministic: each k is
/// computed by exactly one call, whatever the thread count.
template <class Fn>
void parallel_over_groups(std::span<const Event> events, const Groups& g, unsigned threads, Fn fn) {
    const std::size_t n = g.ranges.size();
    auto work = [&](std::size_t first, std::size_t last) {
        for (std::size_t k = first; k < last; ++k) {
            std::vector<const Event*> mine;
            mine.reserve(g.ranges[k].second - g.ranges[k].first);
            for (std::size_t i = g.ranges[k].first; i < g.ranges[k].second; ++i)
                mine.push_back(&events[g.order[i]]);
            fn(k, std::move(mine));
        }
    };
    certigraph::detail::run_ranges(threads, n, work);
}

}  // namespace certigraph::ledger::detail
