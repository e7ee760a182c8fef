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

}  // namespace certigraph::jury::detail
