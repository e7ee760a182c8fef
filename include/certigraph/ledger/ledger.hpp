// The capitalisation ledger: an append-only, hash-chained record of events per
// candidate, in one SQLite file (docs/ledger.md).
#pragma once

#include <certigraph/error.hpp>
#include <certigraph/ledger/event.hpp>
#include <certigraph/ledger/event_table.hpp>
#include <certigraph/ledger/merkle.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <memory>
#include <optional>
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

/// A file that is not a certigraph ledger (empty, another application's SQLite,
/// truncated, not SQLite at all): refused without being modified.
class NotALedger : public LedgerError {
  public:
    using LedgerError::LedgerError;
};

/// One problem found by Ledger::verify().
struct VerifyProblem {
    std::int64_t row = 0;  ///< the row (event id) concerned; 0 for the file or a chain head
    std::string candidate;  ///< empty for a problem of the whole file
    std::string problem;
};

/// What a recording is (docs/ledger.md, "Recordings").
enum class RecordingKind : std::uint8_t {
    graded_session,   ///< `ledger record`: the bloc results of one graded exam session
    evidence_import,  ///< `ledger import`: events from JSON lines
    append,           ///< Ledger::append: not idempotent
    migration,        ///< the events a schema-2 file held when it was migrated
    jury_session,     ///< a sealed jury session (issue 10): its label is the session id, recorded once
};

/// One row of the recordings table.
struct RecordingRow {
    std::int64_t id = 0;
    RecordingKind kind = RecordingKind::append;
    std::string label{};         ///< the exam or jury session ('' otherwise)
    std::string source{};
    std::string content_hash{};  ///< "sha256:…", or "append:<first id>"
    std::string recorded_at{};   ///< UTC
    EventId first_event = 0;     ///< its events are first_event … first_event + events - 1
    std::size_t events = 0;
};

/// Stable name of a recording kind ("graded_session", "jury_session", ...).
std::string_view to_string(RecordingKind kind) noexcept;

/// Recording a batch through Ledger::record().
struct RecordingInfo {
    RecordingKind kind = RecordingKind::evidence_import;
    std::string label{};   ///< e.g. the exam session id
    std::string source{};  ///< e.g. the file name
};

/// What Ledger::record() did.
struct Recorded {
    std::int64_t recording = 0;   ///< the recording's id (the earlier one when already recorded)
    bool already = false;         ///< the same content was recorded before: nothing added
    std::string recorded_at{};    ///< UTC time of the recording (the earlier one when already)
    std::vector<EventId> ids{};   ///< the new events' ids, empty when already
};

/// A signed checkpoint's content (checkpoint.hpp reads and writes the signed text).
struct Checkpoint {
    std::string origin{};       ///< "certigraph.ledger/<ledger id>"
    std::uint64_t size = 0;     ///< number of events covered
    merkle::Hash root{};        ///< Merkle root of those events
    std::string time{};         ///< UTC, YYYY-MM-DDTHH:MM:SSZ
    friend bool operator==(const Checkpoint&, const Checkpoint&) = default;
};

/// The SHA-256 of a byte string, as 64 lower-case hex digits (OpenSSL libcrypto).
std::string sha256_hex(std::string_view bytes);

/// Opened on one SQLite file. Not thread-safe: use one Ledger per thread (SQLite WAL
/// lets several processes read while one writes). Move-only.
class Ledger {
  public:
    /// The schema version this library writes.
    static constexpr int schema_version = 5;
    /// A recording of at least this many events is written under a rollback journal
    /// when no other connection is reading the file (its pages written once, not to the
    /// WAL and again at the checkpoint); the WAL comes back after it (docs/ledger.md).
    static constexpr std::size_t bulk_events = 65'536;

    /// Opens an existing ledger: WAL journal, synchronous=FULL, foreign keys on;
    /// applies pending migrations in one transaction. A file that is not a certigraph
    /// ledger (missing, empty, another SQLite database, truncated) is refused before
    /// anything is written to it.
    /// @throws NotALedger, LedgerError (a schema newer than this library, SQLite errors)
    static Ledger open(const std::filesystem::path& path);
    /// Creates a ledger (the path must not exist, or be an empty file), or opens the
    /// ledger that is already there. The only way to make a new ledger.
    static Ledger create(const std::filesystem::path& path);

    Ledger(Ledger&&) noexcept;
    Ledger& operator=(Ledger&&) noexcept;
    ~Ledger();

    /// Records a batch as one recording, once: the content hash of the events (without
    /// ids) and the kind identify it, and recording the same content again adds
    /// nothing (`already`), also when two processes race. A bloc_result whose
    /// (candidate, session, bloc) is already on record, or twice in the batch, is
    /// refused (InvalidEvent), as are two identical events in one batch. A
    /// `jury_session` batch (label: the jury session id, mandatory) whose label was
    /// recorded before with other content is refused (LedgerError): a sealed session is
    /// recorded once, later changes are corrections.
    Recorded record(std::span<const Event> events, const RecordingInfo& info);

    /// Validates and records one event; returns its id.
    /// @throws InvalidEvent (nothing recorded), LedgerError
    EventId append(const Event& event);
    /// Validates and records a batch in one transaction: all or nothing. Returns the
    /// ids in batch order. The ids in the events are ignored (the store assigns them).
    /// @throws InvalidEvent naming the first bad event's index and field (nothing
    /// recorded), LedgerError
    std::vector<EventId> append(std::span<const Event> events);

    /// Every recording, in id order.
    std::vector<RecordingRow> recordings() const;
    /// The event of that id, std::nullopt if there is none.
    std::optional<Event> event(EventId id) const;

    /// Every event of a candidate, in append order (ids filled in).
    std::vector<Event> events(std::string_view candidate) const;
    /// Every event, in append order.
    std::vector<Event> all_events() const;
    /// Every event grouped by candidate (candidates sorted, each in chain order): the
    /// order eligibility_of_all() and snapshot_as_of() take without sorting.
    std::vector<Event> all_events_by_candidate() const;
    /// Every event as typed columns, from one SELECT over the typed columns (no
    /// payload is decoded, except those of candidates the columns cannot describe).
    EventTable event_table() const;
    /// The candidates that have events, sorted.
    std::vector<std::string> candidates() const;
    /// Number of events recorded.
    std::size_t size() const;
    /// The hash at the head of a candidate's chain (hex), empty if no events. Publish it
    /// elsewhere to make even a truncation of the chain's end detectable.
    std::string head(std::string_view candidate) const;
    /// The schema version of the opened file (after migrations).
    int version() const;
    /// Rewrites the file compactly with 64 KiB pages (SQLite's VACUUM): gives back the
    /// free pages a migration leaves, and moves an older file to the page size new
    /// ledgers get. Rows, ids, hashes, the Merkle tree and the ledger's id are the
    /// same after it. Needs the file to itself. @throws LedgerError if another
    /// connection is reading it (SQLite will not leave WAL then; nothing is changed)
    void vacuum();

    /// Re-checks everything the file can prove on its own: SQLite's quick_check, the
    /// index eligibility reads against the rows, the append-only triggers, ids without
    /// gaps, counts, every chain (payloads
    /// against their hashes, previous hashes, sequence numbers, typed columns vs
    /// payload, chain heads) and the Merkle tree (leaves and stored frontier). With a
    /// checkpoint (whose signature the caller checked, read_checkpoint), also that the
    /// ledger's first `size` events have exactly the checkpoint's root. Empty when
    /// nothing was found.
    std::vector<VerifyProblem> verify(const Checkpoint* checkpoint = nullptr) const;

    /// The ledger's id (32 hex digits, random, set when the file was made or migrated).
    std::string id() const;
    /// "certigraph.ledger/<id>": the origin line of its checkpoints.
    std::string origin() const;
    /// The current checkpoint content: size, Merkle root (from the stored frontier), now.
    Checkpoint checkpoint() const;
    /// Inclusion proof of event `id` in the tree of the first `size` events (RFC 9162).
    std::vector<merkle::Hash> inclusion_proof(EventId id, std::uint64_t size) const;
    /// Consistency proof between the trees of the first `old_size` and `new_size` events.
    std::vector<merkle::Hash> consistency_proof(std::uint64_t old_size, std::uint64_t new_size) const;
    /// The Merkle root of the first `size` events, from the stored leaf hashes.
    merkle::Hash root(std::uint64_t size) const;
    /// The stored leaf hash of event `id`.
    merkle::Hash leaf(EventId id) const;

    /// One canonical JSON object per line, in id order, each with its "id", "seq" and
    /// "hash" (docs/ledger.md).
    void export_jsonl(std::ostream& out) const;
    /// Reads JSON lines and records them in one transaction (an evidence_import
    /// recording, idempotent as record()): all or nothing. A line
    /// with an "id" is replicated as is (the id must be the ledger's next one,
    /// and "seq"/"hash", when given, must match what this ledger computes); a line
    /// without an "id" is appended as a new event. Blank lines are skipped.
    /// @throws ParseError `source:line: ...` (nothing recorded)
    /// @returns the number of events recorded
    std::size_t import_jsonl(std::istream& in, std::string_view source = "<input>");
    /// import_jsonl, telling whether the same content was recorded before.
    Recorded import_jsonl_recording(std::istream& in, std::string_view source = "<input>");

    struct Impl;  ///< the SQLite connection; defined in src/ledger (not part of the API)

  private:
    explicit Ledger(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace certigraph::ledger
