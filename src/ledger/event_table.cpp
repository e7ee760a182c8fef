// EventTable: events as typed columns, from events in memory (the ledger file's
// reader is in event_table_read.cpp).
#include <certigraph/ledger/event_table.hpp>

#include "ledger/event_table_build.hpp"

#include <algorithm>
#include <numeric>

namespace certigraph::ledger {

namespace detail {

std::uint32_t TableBuilder::code(std::string_view text) {
    if (text.empty()) return 0;
    const auto it = codes_.find(text);
    if (it != codes_.end()) return it->second;
    const auto code = static_cast<std::uint32_t>(table.strings.size());
    table.strings.emplace_back(text);
    codes_.emplace(std::string(text), code);
    return code;
}

void TableBuilder::begin_candidate(std::string_view candidate) {
    if (!table.candidates.empty()) end_candidate();
    table.candidates.emplace_back(candidate);
    needs_objects_ = false;
}

void TableBuilder::end_candidate() {
    if (table.candidates.size() + 1 == table.first.size()) return;  // already ended
    const std::uint32_t begin = table.first.back();
    const auto end = static_cast<std::uint32_t>(table.size());
    // Two different values of one attribute on one day: the object path decides
    // which holds (by content order) and reports it.
    if (!needs_objects_) needs_objects_ = attribute_conflict(table, begin, end);
    if (needs_objects_) needs_objects.push_back(static_cast<std::uint32_t>(table.candidates.size() - 1));
    table.first.push_back(end);
}

void TableBuilder::row(EventKind kind, std::int32_t day) {
    table.kind.push_back(kind);
    table.day.push_back(day);
    table.bloc.push_back(0);
    table.outcome.push_back(-1);
    table.name.push_back(0);
    table.value.push_back(0);
    table.framework.push_back(0);
    table.third_party.push_back(0);
    table.start_day.push_back(0);
    table.end_day.push_back(0);
    if (needs_object(kind)) needs_objects_ = true;
}

bool TableBuilder::needs_object(EventKind kind) noexcept {
    // The kinds whose effect the columns do not hold. A switch without default: a new
    // kind does not compile silently (-Wswitch) before it is placed here.
    switch (kind) {
        case EventKind::vae_decision:
        case EventKind::jury_decision:
        case EventKind::correction:
            return true;
        case EventKind::bloc_result:
        case EventKind::bloc_credit:
        case EventKind::language_certificate:
        case EventKind::mobility_period:
        case EventKind::work_period:
        case EventKind::attribute:
        case EventKind::path_start:
        case EventKind::delivery_exception:
        case EventKind::certification_decision:  // does not change what eligibility reads
            return false;
    }
    return true;
}

bool TableBuilder::attribute_conflict(const EventTable& t, std::uint32_t begin, std::uint32_t end) {
    for (std::uint32_t i = begin; i < end; ++i) {
        if (t.kind[i] != EventKind::attribute) continue;
        for (std::uint32_t j = i + 1; j < end; ++j)
            if (t.kind[j] == EventKind::attribute && t.name[j] == t.name[i] && t.day[j] == t.day[i] &&
                t.value[j] != t.value[i])
                return true;
    }
    return false;
}

void TableBuilder::reserve(std::size_t rows) {
    auto& t = table;
    t.kind.reserve(rows), t.day.reserve(rows), t.bloc.reserve(rows), t.outcome.reserve(rows);
    t.name.reserve(rows), t.value.reserve(rows), t.framework.reserve(rows), t.third_party.reserve(rows);
    t.start_day.reserve(rows), t.end_day.reserve(rows);
}

void TableBuilder::add(const Event& e) {
    row(e.kind(), static_cast<std::int32_t>(e.date.days_since_epoch()));
    const std::size_t i = table.size() - 1;
    std::visit(
        [&](const auto& f) {
            using T = std::decay_t<decltype(f)>;
            if constexpr (std::is_same_v<T, BlocResult>) {
                table.bloc[i] = code(f.bloc);
                table.outcome[i] = f.validated ? 1 : 0;
            } else if constexpr (std::is_same_v<T, BlocCredit>) {
                table.bloc[i] = code(f.bloc);
                table.outcome[i] = 1;
            } else if constexpr (std::is_same_v<T, LanguageCertificate>) {
                table.name[i] = code(f.language);
                table.value[i] = code(f.level);
                table.framework[i] = code(f.framework);
                table.third_party[i] = f.third_party ? 1 : 0;
                table.start_day[i] = static_cast<std::int32_t>(f.issued.days_since_epoch());
            } else if constexpr (std::is_same_v<T, MobilityPeriod> || std::is_same_v<T, WorkPeriod>) {
                table.start_day[i] = static_cast<std::int32_t>(f.start.days_since_epoch());
                table.end_day[i] = static_cast<std::int32_t>(f.end.days_since_epoch());
            } else if constexpr (std::is_same_v<T, Attribute>) {
                table.name[i] = code(f.name);
                table.value[i] = code(f.value);
            }
            // Path starts and delivery exceptions: the kind and the day say enough;
            // VAE and jury decisions, corrections: in `objects`.
        },
        e.body);
}

EventTable TableBuilder::finish() {
    if (!table.candidates.empty()) end_candidate();
    return std::move(table);
}

}  // namespace detail

EventTable EventTable::from_events(std::span<const Event> events) {
    std::vector<std::uint32_t> order(events.size());
    std::iota(order.begin(), order.end(), 0u);
    const auto by_candidate = [&](std::uint32_t a, std::uint32_t b) {
        return events[a].candidate < events[b].candidate;
    };
    if (!std::is_sorted(order.begin(), order.end(), by_candidate))
        std::stable_sort(order.begin(), order.end(), by_candidate);
    detail::TableBuilder builder;
    builder.reserve(events.size());
    std::vector<std::uint32_t> first_of;  // per candidate: its first position in `order`
    for (std::size_t p = 0; p < order.size(); ++p) {
        const Event& e = events[order[p]];
        if (p == 0 || e.candidate != events[order[p - 1]].candidate) {
            builder.begin_candidate(e.candidate);
            first_of.push_back(static_cast<std::uint32_t>(p));
        }
        builder.add(e);
    }
    first_of.push_back(static_cast<std::uint32_t>(order.size()));
    EventTable table = builder.finish();
    for (const std::uint32_t k : builder.needs_objects) {
        auto& mine = table.objects[k];
        for (std::uint32_t p = first_of[k]; p < first_of[k + 1]; ++p) mine.push_back(events[order[p]]);
    }
    return table;
}

}  // namespace certigraph::ledger
