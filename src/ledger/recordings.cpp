// Reading the recordings table and single events by id (docs/ledger.md, "Recordings").
#include <certigraph/ledger/ledger.hpp>

#include "ledger/store.hpp"

namespace certigraph::ledger {

std::string_view to_string(RecordingKind kind) noexcept { return detail::to_string(kind); }

namespace {

RecordingKind recording_kind(std::string_view name, const std::string& path) {
    for (const auto kind : {RecordingKind::graded_session, RecordingKind::evidence_import, RecordingKind::append,
                            RecordingKind::migration, RecordingKind::jury_session})
        if (detail::to_string(kind) == name) return kind;
    throw LedgerError(path + ": a recording of unknown kind '" + std::string(name) + "' (run `certigraph ledger verify`)");
}

}  // namespace

std::vector<RecordingRow> Ledger::recordings() const {
    Impl::Statement s(*impl_,
                      "SELECT id, kind, label, source, content_hash, recorded_at, first_event, events"
                      " FROM recordings ORDER BY id");
    std::vector<RecordingRow> out;
    while (s.step())
        out.push_back({s.integer(0), recording_kind(s.view(1), impl_->path), s.text(2), s.text(3), s.text(4),
                       s.text(5), static_cast<EventId>(s.integer(6)), static_cast<std::size_t>(s.integer(7))});
    return out;
}

std::optional<Event> Ledger::event(EventId id) const {
    Impl::Statement s(*impl_, "SELECT payload FROM events WHERE id = ?1");
    s.bind(1, static_cast<std::int64_t>(id));
    if (!s.step()) return std::nullopt;
    return event_from_json(s.view(0), impl_->path);
}

}  // namespace certigraph::ledger
