// The capitalisation ledger: an append-only, hash-chained record of events per
// candidate, in one SQLite file (docs/ledger.md).
#pragma once

#include <certigraph/error.hpp>
#include <certigraph/ledger/event.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace certigraph::ledger {

/// A ledger that cannot be opened, read or written (SQLite errors, a schema newer
/// than this library, a correction naming an unknown event, ...).
class LedgerError : public Error {
  public:
    using Error::Error;
};

/// An event that fails validation: nothing of its batch was recorded. what() reads
/// `event <index>: <field>: <problem>`.
class InvalidEvent : public LedgerError {
  public:
    InvalidEvent(std::size_t index, std::string field, const std::string& problem);
    std::size_t index() const noexcept { return index_; }  ///< in the batch, 0-based
    const std::string& field() const noexcept { return field_; }

  private:
    std::size_t index_;
    std::string field_;
};

/// One problem found by Ledger::verify().
struct VerifyProblem {
    std::int64_t row = 0;  ///< the row (event id) concerned; 0 for a candidate's chain head
    std::string candidate;
    std::string problem;
};

/// The SHA-256 of a byte string, as 64 lower-case hex digits (OpenSSL libcrypto).
std::string sha256_hex(std::string_view bytes);

/// Opened on one SQLite file. Not thread-safe: use one Ledger per thread (SQLite WAL
/// lets several processes read while one writes). Move-only.
class Ledger {
  public:
    /// The schema version this library writes.
    static constexpr int schema_version = 2;

    /// Opens (creating if needed) the ledger file: WAL journal, synchronous=FULL,
    /// foreign keys on; applies pending migrations in one transaction.
    /// @throws LedgerError if the file cannot be opened or its schema is newer.
    static Ledger open(const std::filesystem::path& path);

    Ledger(Ledger&&) noexcept;
    Ledger& operator=(Ledger&&) noexcept;
    ~Ledger();

    /// Validates and records one event; returns its id.
    /// @throws InvalidEvent (nothing recorded), LedgerError
    EventId append(const Event& event);
    /// Validates and records a batch in one transaction: all or nothing. Returns the
    /// ids in batch order. The ids in the events are ignored (the store assigns them).
    /// @throws InvalidEvent naming the first bad event's index and field (nothing
    /// recorded), LedgerError
    std::vector<EventId> append(std::span<const Event> events);

    /// Every event of a candidate, in append order (ids filled in).
    std::vector<Event> events(std::string_view candidate) const;
    /// Every event, in append order.
    std::vector<Event> all_events() const;
    /// Every event grouped by candidate (candidates sorted, each in chain order): the
    /// order eligibility_of_all() and snapshot_as_of() take without sorting.
    std::vector<Event> all_events_by_candidate() const;
    /// The candidates that have events, sorted.
    std::vector<std::string> candidates() const;
    /// Number of events recorded.
    std::size_t size() const;
    /// The hash at the head of a candidate's chain (hex), empty if no events. Publish it
    /// elsewhere to make even a truncation of the chain's end detectable.
    std::string head(std::string_view candidate) const;
    /// The schema version of the opened file (after migrations).
    int version() const;

    /// Re-checks every chain: payloads against their hashes, each row's previous hash
    /// against the row before, sequence numbers without gaps, payload vs columns, and
    /// each chain's head. Empty when nothing was tampered with.
    std::vector<VerifyProblem> verify() const;

    /// One canonical JSON object per line, in id order, each with its "id", "seq" and
    /// "hash" (docs/ledger.md).
    void export_jsonl(std::ostream& out) const;
    /// Reads JSON lines and records them in one transaction: all or nothing. A line
    /// with an "id" is replicated as is (the id must come after the ledger's last one,
    /// and "seq"/"hash", when given, must match what this ledger computes); a line
    /// without an "id" is appended as a new event. Blank lines are skipped.
    /// @throws ParseError `source:line: ...` (nothing recorded)
    /// @returns the number of events recorded
    std::size_t import_jsonl(std::istream& in, std::string_view source = "<input>");

  private:
    struct Impl;
    explicit Ledger(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace certigraph::ledger
