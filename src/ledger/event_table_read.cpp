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
    // The covering index events_typed gives this order and every column: the rows and
    // their payloads are not read.
    Impl::Statement s(*impl_,
                      "SELECT candidate, kind, day, bloc, outcome, name, value, framework, third_party,"
                      " start_day, end_day, seq FROM events INDEXED BY events_typed ORDER BY candidate, seq");
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
            throw LedgerError(impl_->path + ": event " + std::to_string(s.integer(11)) + " of '" + candidate +
                              "' has an unknown kind '" + std::string(s.view(1)) + "' (run verify)");
        builder.row(*kind, static_cast<std::int32_t>(s.integer(2)));
        EventTable& t = builder.table;
        const std::size_t i = t.size() - 1;
        // A jury decision's bloc and outcome: in `objects` (it overrides a session's result).
        // A NULL reads as "" (code 0) or 0, the columns' neutral values.
        if (*kind == EventKind::bloc_result || *kind == EventKind::bloc_credit) {
            t.bloc[i] = builder.code(s.view(3));
            t.outcome[i] = static_cast<std::int8_t>(s.integer(4));
        }
        switch (*kind) {
            case EventKind::attribute:
                t.name[i] = builder.code(s.view(5));
                t.value[i] = builder.code(s.view(6));
                break;
            case EventKind::language_certificate:
                t.name[i] = builder.code(s.view(5));
                t.value[i] = builder.code(s.view(6));
                t.framework[i] = builder.code(s.view(7));
                t.third_party[i] = static_cast<std::uint8_t>(s.integer(8));
                t.start_day[i] = static_cast<std::int32_t>(s.integer(9));
                break;
            case EventKind::mobility_period:
            case EventKind::work_period:
                t.start_day[i] = static_cast<std::int32_t>(s.integer(9));
                t.end_day[i] = static_cast<std::int32_t>(s.integer(10));
                break;
            default:  // the kinds with no typed column of their own
                break;
        }
    }
    EventTable table = builder.finish();
    for (const std::uint32_t k : builder.needs_objects) table.objects[k] = events(table.candidates[k]);
    return table;
}

}  // namespace certigraph::ledger
