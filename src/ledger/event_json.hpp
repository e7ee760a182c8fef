// Private: ledger events <-> JSON (the canonical payload and JSON lines).
#pragma once

#include <certigraph/ledger/event.hpp>

#include "io/json_reader.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace certigraph::ledger::detail {

using json = nlohmann::json;

/// The event as a JSON object: header, "kind", "body", "id"; "seq" when seq > 0.
json to_json(const Event& event, std::uint64_t seq);

/// An event read from JSON with what the store adds to it.
struct ReadEvent {
    Event event;
    std::optional<std::uint64_t> id;
    std::optional<std::uint64_t> seq;
    std::optional<std::string> hash;
};

/// Reads an event written by to_json (plus an optional "hash"); strict: unknown keys
/// and wrong types are refused with their JSON pointer. @throws ParseError
ReadEvent from_json(const io::detail::Reader& reader);

/// The same event as from_json(...).event for well-formed text, decoded with simdjson
/// (event_fast.cpp); std::nullopt for anything else — an error to report, or a form
/// it does not handle —, and the caller then runs the strict reader.
std::optional<Event> fast_from_json(std::string_view json_text);

/// Canonical text: sorted keys, no spaces, UTF-8. @throws LedgerError on invalid UTF-8
std::string dump(const json& value);

/// canonical_json() into `out`, its capacity reused (the recording's loop).
void canonical_json(const Event& event, std::uint64_t seq, std::string& out);

/// The canonical text written directly, without a JSON tree (canonical_event.cpp),
/// into `out`; false when a string is not plain printable ASCII (then only
/// canonical_json_general writes it).
bool write_canonical(const Event& event, std::uint64_t seq, std::string& out);

/// Reads a canonical text of an event of `kind` by its fixed layout, into `event`
/// (its strings' capacity reused) and `seq` (0 when absent). false at the first byte
/// that does not fit; the caller then reads the text with the event readers. It
/// accepts only write_canonical's own text: what it reads is written back byte for
/// byte (tests/fuzz/fuzz_canonical_event.cpp and test_ledger_store.cpp check it).
bool read_canonical(std::string_view text, EventKind kind, Event& event, std::uint64_t& seq);

/// A line of JSON lines (`ledger export`'s, or canonical texts) read by the canonical
/// layout into `event` (its strings' capacity reused), the kind taken from its "kind"
/// member; a "hash" member after "evidence" is allowed (export writes it). false for
/// anything else (`event` then holds a part of it): the caller then runs
/// fast_from_json and the strict reader. What it reads, those read the same
/// (test_ledger_canonical.cpp, fuzz_canonical_event.cpp).
bool read_canonical_line(std::string_view line, Event& event);

/// canonical_json() without its direct writer: dump(to_json(...)).
/// The tests compare the two.
std::string canonical_json_general(const Event& event, std::uint64_t seq);

}  // namespace certigraph::ledger::detail
