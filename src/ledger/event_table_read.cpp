// Ledger::event_table(): the packed typed records of schema 5 read into an EventTable
// with one SELECT over the index; payloads are decoded only for the candidates the columns cannot
// describe (event_table.hpp).
#include <certigraph/ledger/ledger.hpp>

#include "ledger/event_table_build.hpp"
#include "ledger/store.hpp"

namespace certigraph::ledger {

EventTable Ledger::event_table() const {
    detail::TableBuilder builder;
    {
        // Ids run 1..n without a gap: the last one is the count, found without the
        // whole-index pass count(*) would make before the read itself.
        Impl::Statement count(*impl_, "SELECT coalesce(max(id), 0) FROM events");
        count.step();
        builder.reserve(static_cast<std::size_t>(count.integer(0)));
    }
    // The index events_typed (candidate, seq, typed) gives this order and the packed
    // typed record (schema 5): the rows and their payloads are not read, and SQLite
    // decodes two columns per event.
    Impl::Statement s(*impl_,
                      "SELECT candidate, typed, seq FROM events INDEXED BY events_typed ORDER BY candidate, seq");
    std::string candidate;
    bool started = false;
    detail::Columns c;
    EventKind kind{};
    std::int32_t day = 0;
    while (s.step()) {
        const std::string_view who = s.view(0);
        if (!started || who != candidate) {
            candidate.assign(who);
            builder.begin_candidate(candidate);
            started = true;
        }
        if (!detail::unpack_typed(s.view(1), kind, day, c))
            throw LedgerError(impl_->path + ": event " + std::to_string(s.integer(2)) + " of '" + candidate +
                              "' has a malformed typed record (run verify)");
        builder.row(kind, day);
        EventTable& t = builder.table;
        const std::size_t i = t.size() - 1;
        // A jury decision's bloc and outcome: in `objects` (it overrides a session's result).
        if (kind == EventKind::bloc_result || kind == EventKind::bloc_credit) {
            t.bloc[i] = builder.code(c.bloc);
            t.outcome[i] = static_cast<std::int8_t>(c.outcome < 0 ? 0 : c.outcome);
        }
        switch (kind) {
            case EventKind::attribute:
                t.name[i] = builder.code(c.name);
                t.value[i] = builder.code(c.value);
                break;
            case EventKind::language_certificate:
                t.name[i] = builder.code(c.name);
                t.value[i] = builder.code(c.value);
                t.framework[i] = builder.code(c.framework);
                t.third_party[i] = static_cast<std::uint8_t>(c.third_party < 0 ? 0 : c.third_party);
                t.start_day[i] = c.start_day;
                break;
            case EventKind::mobility_period:
            case EventKind::work_period:
                t.start_day[i] = c.start_day;
                t.end_day[i] = c.end_day;
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
