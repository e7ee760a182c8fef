// Private: a jury session <-> JSON, shared by the session file and the sealed record;
// both files read from a document already parsed (`jury pv` parses its input once and
// reads it as what its "format" says).
#pragma once

#include <certigraph/jury/deliberation.hpp>
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

/// The format name of a sealed record ("certigraph/jury-record").
inline constexpr std::string_view record_format = "certigraph/jury-record";

/// read_session() of a parsed session file. @throws ParseError
Session read_session_document(const nlohmann::json& doc, std::string_view source);
/// read_record() of a parsed sealed record. @throws ParseError, SealBroken
Record read_record_document(const nlohmann::json& doc, std::string_view source);

}  // namespace certigraph::jury::detail
