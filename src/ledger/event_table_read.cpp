// Ledger::event_table(): the typed columns of schema 4 read into an EventTable with
// one SELECT; payloads are decoded only for the candidates the columns cannot
// describe (event_table.hpp).
#include <certigraph/ledger/ledger.hpp>

#include "ledger/event_table_build.hpp"
#include "ledger/store.hpp"

namespace certigraph::ledger {

EventTable Ledger::event_table() const {
    detail::TableBuilder builder;
    {
        Impl::Statement count(*impl_, "SELECT count(*) FROM events");
        count.step();
        builder.reserve(static_cast<std::size_t>(count.integer(0)));
    }
    // The UNIQUE (candidate, seq) index gives this order without sorting.
    Impl::Statement s(*impl_,
                      "SELECT candidate, kind, day, bloc, outcome, name, value, framework, third_party,"
                      " start_day, end_day, id FROM events ORDER BY candidate, seq");
    std::string candidate;
    bool started = false;
    while (s.step()) {
        const std::string_view who = s.view(0);
        if (!started || who != candidate) {
            candidate.assign(who);
            builder.begin_candidate(candidate);
            started = true;
        }
        const auto kind = event_kind_from_string(s.view(1));
        if (!kind)
            throw LedgerError(impl_->path + ": event " + std::to_string(s.integer(11)) + " has an unknown kind '" +
                              std::string(s.view(1)) + "' (run verify)");
        builder.row(*kind, static_cast<std::int32_t>(s.integer(2)));
        EventTable& t = builder.table;
        const std::size_t i = t.size() - 1;
        // A jury decision's bloc and outcome: in `objects` (it overrides a session's result).
        const bool outcome = *kind == EventKind::bloc_result || *kind == EventKind::bloc_credit;
        if (outcome && !s.is_null(3)) t.bloc[i] = builder.code(s.view(3));
        if (outcome && !s.is_null(4)) t.outcome[i] = static_cast<std::int8_t>(s.integer(4));
        if (!s.is_null(5)) t.name[i] = builder.code(s.view(5));
        if (!s.is_null(6)) t.value[i] = builder.code(s.view(6));
        if (!s.is_null(7)) t.framework[i] = builder.code(s.view(7));
        if (!s.is_null(8)) t.third_party[i] = static_cast<std::uint8_t>(s.integer(8));
        if (!s.is_null(9)) t.start_day[i] = static_cast<std::int32_t>(s.integer(9));
        if (!s.is_null(10)) t.end_day[i] = static_cast<std::int32_t>(s.integer(10));
    }
    EventTable table = builder.finish();
    for (const std::uint32_t k : builder.needs_objects) table.objects[k] = events(table.candidates[k]);
    return table;
}

}  // namespace certigraph::ledger
