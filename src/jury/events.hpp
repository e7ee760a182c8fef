// Private: the ledger events a jury record adds.
#pragma once

#include <certigraph/jury/deliberation.hpp>

#include <span>
#include <string>
#include <vector>

namespace certigraph::jury::detail {

/// The bloc-level events of a record (bloc results of the confirmed or overridden
/// computed results not yet on record, jury decisions, VAE decisions), for every
/// decided cell, in candidate order. A computed result on record with the other
/// outcome is a conflict: described in `conflicts` (when given), and left out.
std::vector<ledger::Event> bloc_events(const Record& record, std::span<const ledger::Event> on_record,
                                       std::vector<Problem>* conflicts = nullptr);

/// For a correction session: the ids of the events of the corrected session that its
/// decisions replace or withdraw (empty for another session). `fresh` are the session's
/// events before the corrections are made (bloc_events, certification decisions).
std::vector<ledger::EventId> superseded(const Record& record, std::span<const ledger::Event> fresh,
                                        std::span<const ledger::Event> on_record);

}  // namespace certigraph::jury::detail
