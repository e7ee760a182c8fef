// Private: a jury session <-> JSON, shared by the session file and the sealed record.
#pragma once

#include <certigraph/jury/session.hpp>

#include "io/json_reader.hpp"

#include <nlohmann/json.hpp>

namespace certigraph::jury::detail {

using ordered_json = nlohmann::ordered_json;

/// The session's members in schema order (no format header).
void write_session(ordered_json& out, const Session& session);
/// Reads the members of a session object (after the format header) and checks the
/// cross-references (ids unique, links and decisions naming known candidates).
Session read_session(const io::detail::Reader& root);

}  // namespace certigraph::jury::detail
