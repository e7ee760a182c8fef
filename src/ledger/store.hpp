// Private: the ledger's SQLite connection, statements and transactions, shared by
// ledger.cpp (open, migrate, read), record.cpp (append, record, import) and
// verify.cpp (verify, checkpoints).
#pragma once

#include <certigraph/ledger/ledger.hpp>
#include <certigraph/ledger/merkle.hpp>

#include "ledger/event_json.hpp"

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace certigraph::ledger {

namespace detail {

/// The previous hash of a chain's first event (32 zero bytes).
inline constexpr merkle::Hash genesis{};
/// hash = SHA-256(previous hash || payload), stored as its 32 bytes (schema 5).
merkle::Hash chain_hash(const merkle::Hash& previous, std::string_view payload);
/// A stored 32-byte hash; nullopt if the column does not hold 32 bytes.
std::optional<merkle::Hash> hash_of(std::string_view bytes);
/// The typed columns of an event (docs/ledger.md, "Schema").
struct Columns {
    std::string_view bloc;  ///< empty: NULL
    int outcome = -1;       ///< -1: NULL, else 0/1 (a certification_decision: bloc NULL, outcome set)
    // Schema 4: what eligibility reads of the other kinds.
    bool has_name = false;  ///< attribute, language certificate: name and value are set
    std::string_view name, value;  ///< attribute name and value; certificate language and level
    std::string_view framework;    ///< certificate (NULL otherwise)
    int third_party = -1;          ///< certificate: 0/1; -1: NULL
    bool has_start = false, has_end = false;
    std::int32_t start_day = 0;    ///< period start; certificate issue day
    std::int32_t end_day = 0;      ///< period end
};
Columns columns_of(const Event& e);

/// The typed record of schema 5 (`events.typed`, the one column of the index
/// `events_typed` after `candidate, seq`): an event's kind, day and typed columns
/// packed so that a reader decodes one column per event (docs/ledger.md, "Schema").
/// Layout: kind code (1 byte, `kind_code`), flags (1 byte), day (int32 LE), then as
/// the flags say: outcome (1), third_party (1), start_day (int32), end_day (int32),
/// bloc, name, value, framework (each a uint32 LE length and the UTF-8 bytes).
void pack_typed(EventKind kind, std::int32_t day, const Columns& columns, std::string& out);
/// The inverse of pack_typed(); the views of `columns` point into `bytes`. false if
/// the bytes are not such a record (a malformed file: verify names it).
bool unpack_typed(std::string_view bytes, EventKind& kind, std::int32_t& day, Columns& columns);
/// The stored code of each kind (1–12; never renumbered: files hold them).
std::uint8_t kind_code(EventKind kind) noexcept;
/// The current UTC time as YYYY-MM-DDTHH:MM:SSZ.
std::string utc_now();
/// The append-only triggers of schema 3: (name, SQL as sqlite_master keeps it).
std::span<const std::pair<const char*, const char*>> schema_triggers();
/// The stable names of recording kinds.
std::string_view to_string(RecordingKind kind) noexcept;

}  // namespace detail

struct Ledger::Impl {
    sqlite3* db = nullptr;
    std::string path;

    ~Impl() {
        if (db) sqlite3_close_v2(db);
    }

    [[noreturn]] void fail(const std::string& what) const {
        throw LedgerError(path + ": " + what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
    }

    void exec(const char* sql) const {
        char* message = nullptr;
        if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
            std::string text = message ? message : sqlite3_errmsg(db);
            sqlite3_free(message);
            throw LedgerError(path + ": " + text);
        }
    }

    class Statement {
      public:
        Statement(const Impl& owner, const char* sql) : owner_(owner) {
            if (sqlite3_prepare_v2(owner.db, sql, -1, &stmt_, nullptr) != SQLITE_OK)
                owner.fail("cannot prepare a statement");
        }
        ~Statement() { sqlite3_finalize(stmt_); }
        Statement(const Statement&) = delete;
        Statement& operator=(const Statement&) = delete;

        Statement& bind(int i, std::string_view text) {
            check(sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT));
            return *this;
        }
        Statement& bind(int i, std::int64_t value) {
            check(sqlite3_bind_int64(stmt_, i, value));
            return *this;
        }
        /// The text must stay alive and unchanged until the next step or reset.
        Statement& bind_static(int i, std::string_view text) {
            check(sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()), SQLITE_STATIC));
            return *this;
        }
        Statement& bind_blob(int i, std::string_view bytes) {
            check(sqlite3_bind_blob(stmt_, i, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT));
            return *this;
        }
        /// The bytes must stay alive and unchanged until the next step or reset.
        Statement& bind_static_blob(int i, std::string_view bytes) {
            check(sqlite3_bind_blob(stmt_, i, bytes.data(), static_cast<int>(bytes.size()), SQLITE_STATIC));
            return *this;
        }
        Statement& bind_null(int i) {
            check(sqlite3_bind_null(stmt_, i));
            return *this;
        }
        /// true while there is a row.
        bool step() {
            const int rc = sqlite3_step(stmt_);
            if (rc == SQLITE_ROW) return true;
            if (rc == SQLITE_DONE) return false;
            owner_.fail("statement failed");
        }
        void reset() {
            sqlite3_reset(stmt_);
            sqlite3_clear_bindings(stmt_);
        }
        std::int64_t integer(int column) const { return sqlite3_column_int64(stmt_, column); }
        std::string text(int column) const { return std::string(view(column)); }
        /// Valid until the next step/reset.
        std::string_view view(int column) const {
            const auto* p = sqlite3_column_blob(stmt_, column);
            return p ? std::string_view(static_cast<const char*>(p),
                                        static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)))
                     : std::string_view();
        }
        bool is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
        /// The column's bytes into `out` (valid until the next step/reset); false for
        /// NULL. One call fewer than is_null() then view() when the value is there.
        bool view_unless_null(int column, std::string_view& out) const {
            if (const auto* p = sqlite3_column_blob(stmt_, column)) {
                out = std::string_view(static_cast<const char*>(p),
                                       static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
                return true;
            }
            out = {};  // NULL, or an empty text or blob
            return !is_null(column);
        }

      private:
        void check(int rc) const {
            if (rc != SQLITE_OK) owner_.fail("cannot bind a value");
        }
        const Impl& owner_;
        sqlite3_stmt* stmt_ = nullptr;
    };

    /// BEGIN IMMEDIATE ... COMMIT, rolled back unless committed. A transaction that
    /// writes `events` >= Ledger::bulk_events events runs under a rollback journal if
    /// no other connection is reading the file, and the WAL comes back after it: its
    /// pages are written once, instead of to the WAL and again by the checkpoint
    /// (docs/ledger.md, "Journal").
    class Transaction {
      public:
        explicit Transaction(const Impl& owner, std::size_t events = 0);
        ~Transaction();
        Transaction(const Transaction&) = delete;
        Transaction& operator=(const Transaction&) = delete;
        void commit();

      private:
        void end(const char* sql) noexcept;
        const Impl& owner_;
        bool done_ = false, bulk_ = false;
    };

    int read_version() const {
        Statement s(*this, "SELECT version FROM schema_version");
        return s.step() ? static_cast<int>(s.integer(0)) : -1;
    }

    using Fail = std::function<void(std::size_t index, const std::string& field, const std::string& problem)>;

    /// What one batch's recording is: its kind, label and source, and the content
    /// hash that makes it idempotent (empty: not idempotent, `append`).
    struct Batch {
        RecordingKind kind = RecordingKind::append;
        std::string label;
        std::string source;
        std::string content_hash;
    };

    /// Records a batch in the current transaction (record.cpp). `given` holds, per
    /// event, what a replicated line carries (id, seq, hash), else nullptr. `fail`
    /// must throw.
    Recorded record(std::span<const Event> events, std::span<const detail::ReadEvent* const> given,
                    const Batch& batch, const Fail& fail) const;

    /// The stored compact range (tree size and frontier).
    merkle::Frontier frontier() const;
    /// The ledger's id (hex), "" before schema 3.
    std::string ledger_id() const;

    /// The events of `sql`'s rows: its columns payload, id, kind (`?1` bound to
    /// `candidate` unless empty).
    std::vector<Event> select(const char* sql, std::string_view candidate) const;
};

}  // namespace certigraph::ledger
