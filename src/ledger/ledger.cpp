// The ledger's storage: SQLite (WAL, synchronous=FULL), numbered migrations, and a
// SHA-256 hash chain per candidate (docs/ledger.md).
#include <certigraph/ledger/ledger.hpp>

#include "ledger/event_json.hpp"

#include <openssl/evp.h>
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <functional>
#include <istream>
#include <map>
#include <optional>
#include <ostream>
#include <unordered_map>

namespace certigraph::ledger {

InvalidEvent::InvalidEvent(std::size_t index, std::string field, const std::string& problem)
    : LedgerError("event " + std::to_string(index) + ": " + field + ": " + problem),
      index_(index),
      field_(std::move(field)) {}

std::string sha256_hex(std::string_view bytes) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
    unsigned int size = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), md.data(), &size, EVP_sha256(), nullptr) != 1)
        throw LedgerError("SHA-256 failed (OpenSSL EVP_Digest)");
    static constexpr char digits[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(2 * size);
    for (unsigned i = 0; i < size; ++i) {
        hex += digits[md[i] >> 4];
        hex += digits[md[i] & 0xF];
    }
    return hex;
}

namespace {

using detail::json;

/// The previous hash of a chain's first event.
const std::string genesis(64, '0');

/// hex -> bytes; empty on malformed input.
std::string unhex(std::string_view hex) {
    auto value = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return -1;
    };
    if (hex.size() % 2) return {};
    std::string out;
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        const int hi = value(hex[i]), lo = value(hex[i + 1]);
        if (hi < 0 || lo < 0) return {};
        out += static_cast<char>(hi * 16 + lo);
    }
    return out;
}

/// hash = SHA-256(previous hash, 32 raw bytes || canonical payload)
std::string chain_hash(const std::string& previous_hex, const std::string& payload) {
    return sha256_hex(unhex(previous_hex) + payload);
}

// --- Migrations: migration[i] takes the schema from version i to i + 1. ---------
// Never edit a released migration; add a new one and raise Ledger::schema_version.
constexpr std::array<const char*, 2> migrations{
    // 0 -> 1: the events, one row each, chained per candidate.
    R"sql(
    CREATE TABLE events (
        id        INTEGER PRIMARY KEY AUTOINCREMENT,
        candidate TEXT    NOT NULL,
        seq       INTEGER NOT NULL CHECK (seq >= 1),
        kind      TEXT    NOT NULL,
        date      TEXT    NOT NULL,
        payload   TEXT    NOT NULL,
        prev_hash TEXT    NOT NULL,
        hash      TEXT    NOT NULL,
        UNIQUE (candidate, seq)
    );
    CREATE INDEX events_by_date ON events (candidate, date);
    )sql",
    // 1 -> 2: chain heads (detect a truncated chain end) and append-only triggers.
    R"sql(
    CREATE TABLE chain_heads (
        candidate TEXT    PRIMARY KEY,
        seq       INTEGER NOT NULL,
        hash      TEXT    NOT NULL
    );
    INSERT INTO chain_heads (candidate, seq, hash)
        SELECT e.candidate, e.seq, e.hash FROM events e
        WHERE e.seq = (SELECT max(seq) FROM events WHERE candidate = e.candidate);
    CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
        BEGIN SELECT RAISE(ABORT, 'ledger events are append-only: no UPDATE'); END;
    CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
        BEGIN SELECT RAISE(ABORT, 'ledger events are append-only: no DELETE'); END;
    )sql",
};
static_assert(migrations.size() == Ledger::schema_version);

}  // namespace

// --- SQLite wrappers -------------------------------------------------------------

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
            check(sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()),
                                    SQLITE_TRANSIENT));
            return *this;
        }
        Statement& bind(int i, std::int64_t value) {
            check(sqlite3_bind_int64(stmt_, i, value));
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
        std::string text(int column) const {
            const auto* p = sqlite3_column_text(stmt_, column);
            return p ? std::string(reinterpret_cast<const char*>(p),
                                   static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)))
                     : std::string();
        }
        bool is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

      private:
        void check(int rc) const {
            if (rc != SQLITE_OK) owner_.fail("cannot bind a value");
        }
        const Impl& owner_;
        sqlite3_stmt* stmt_ = nullptr;
    };

    /// BEGIN IMMEDIATE ... COMMIT, rolled back unless committed.
    class Transaction {
      public:
        explicit Transaction(const Impl& owner) : owner_(owner) { owner.exec("BEGIN IMMEDIATE"); }
        ~Transaction() {
            if (!done_) sqlite3_exec(owner_.db, "ROLLBACK", nullptr, nullptr, nullptr);
        }
        Transaction(const Transaction&) = delete;
        Transaction& operator=(const Transaction&) = delete;
        void commit() {
            owner_.exec("COMMIT");
            done_ = true;
        }

      private:
        const Impl& owner_;
        bool done_ = false;
    };

    int read_version() const {
        Statement s(*this, "SELECT version FROM schema_version");
        return s.step() ? static_cast<int>(s.integer(0)) : -1;
    }

    using Fail = std::function<void(std::size_t index, const std::string& field,
                                    const std::string& problem)>;

    /// Records a batch in the current transaction. `given` holds, per event, what a
    /// replicated line carries (id, seq, hash), else nullopt. `fail` must throw.
    std::vector<EventId> record(std::span<const Event> events,
                                std::span<const detail::ReadEvent* const> given,
                                const Fail& fail) const {
        // Everything that can be checked without the store, first.
        for (std::size_t i = 0; i < events.size(); ++i) {
            // The store assigns ids: check as a new event (a copy only when an id is set).
            std::vector<EventProblem> problems;
            if (events[i].id == 0) {
                problems = check_event(events[i]);
            } else {
                Event copy = events[i];
                copy.id = 0;
                problems = check_event(copy);
            }
            if (!problems.empty()) fail(i, problems.front().field, problems.front().problem);
        }
        std::int64_t last_id = 0;
        {
            Statement s(*this,
                        "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0),"
                        " coalesce((SELECT max(id) FROM events), 0))");
            if (s.step()) last_id = s.integer(0);
        }
        struct Head {
            std::int64_t seq;
            std::string hash;
        };
        std::unordered_map<std::string, Head> heads;
        heads.reserve(std::min<std::size_t>(events.size(), 1u << 20));
        // (id, event) of this batch's events, ids increasing: for corrections of them.
        std::vector<std::pair<EventId, const Event*>> batch_candidates;
        batch_candidates.reserve(events.size());
        Statement head_of(*this, "SELECT seq, hash FROM chain_heads WHERE candidate = ?1");
        Statement target_of(*this, "SELECT payload FROM events WHERE id = ?1");
        Statement insert(*this,
                         "INSERT INTO events (id, candidate, seq, kind, date, payload, prev_hash, hash)"
                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
        std::vector<EventId> ids;
        ids.reserve(events.size());
        for (std::size_t i = 0; i < events.size(); ++i) {
            Event e = events[i];
            const detail::ReadEvent* line = given.empty() ? nullptr : given[i];
            if (line && line->id) {
                if (static_cast<std::int64_t>(*line->id) <= last_id)
                    fail(i, "id",
                         "id " + std::to_string(*line->id) + " does not come after this ledger's last id " +
                             std::to_string(last_id));
                e.id = *line->id;
            } else {
                e.id = static_cast<EventId>(last_id + 1);
            }
            last_id = static_cast<std::int64_t>(e.id);
            if (const auto* c = std::get_if<Correction>(&e.body)) {
                // The event it supersedes: in this batch, or stored.
                std::optional<Event> stored;
                const Event* target = nullptr;
                const auto it = std::lower_bound(batch_candidates.begin(), batch_candidates.end(),
                                                 std::pair<EventId, const Event*>{c->supersedes, nullptr});
                if (it != batch_candidates.end() && it->first == c->supersedes) {
                    target = it->second;
                } else {
                    target_of.reset();
                    target_of.bind(1, static_cast<std::int64_t>(c->supersedes));
                    if (target_of.step()) {
                        try {
                            stored = event_from_json(target_of.text(0), "ledger");
                        } catch (const ParseError&) {
                            fail(i, "body/supersedes",
                                 "event " + std::to_string(c->supersedes) + " is unreadable (run verify)");
                        }
                        target = &*stored;
                    }
                }
                const std::string n = std::to_string(c->supersedes);
                if (!target) fail(i, "body/supersedes", "no event " + n + " in this ledger");
                if (target->candidate != e.candidate)
                    fail(i, "body/supersedes",
                         "event " + n + " is of candidate '" + target->candidate + "', not '" + e.candidate + "'");
                if (e.date < target->date)
                    fail(i, "date",
                         "a correction dated " + e.date.to_string() + " cannot supersede event " + n + " dated " +
                             target->date.to_string() + "; date it on or after " + target->date.to_string());
                if (c->replacement && target->kind() != EventKind::correction &&
                    kind_of(*c->replacement) != target->kind())
                    fail(i, "body/replacement/kind",
                         "event " + n + " is a " + std::string(to_string(target->kind())) +
                             "; its replacement must be one too, not a " +
                             std::string(to_string(kind_of(*c->replacement))) +
                             " (record the new fact as its own event)");
                if (const auto* l = c->replacement ? std::get_if<LanguageCertificate>(&*c->replacement) : nullptr;
                    l && target->date < l->issued)
                    fail(i, "body/replacement/body/issued",
                         "issued " + l->issued.to_string() + ", after the date of the event it replaces (" +
                             target->date.to_string() + ")");
            }
            auto it = heads.find(e.candidate);
            if (it == heads.end()) {
                head_of.reset();
                head_of.bind(1, e.candidate);
                Head h{0, genesis};
                if (head_of.step()) h = {head_of.integer(0), head_of.text(1)};
                it = heads.emplace(e.candidate, h).first;
            }
            const std::int64_t seq = it->second.seq + 1;
            const std::string payload = canonical_json(e, static_cast<std::uint64_t>(seq));
            const std::string hash = chain_hash(it->second.hash, payload);
            if (line && line->seq && static_cast<std::int64_t>(*line->seq) != seq)
                fail(i, "seq",
                     "seq " + std::to_string(*line->seq) + " does not continue this ledger's chain of '" +
                         e.candidate + "' (next is " + std::to_string(seq) + ")");
            if (line && line->hash && *line->hash != hash)
                fail(i, "hash",
                     "the hash does not match the event and this ledger's chain (edited line, or a "
                     "chain that does not continue this ledger's)");
            insert.reset();
            insert.bind(1, static_cast<std::int64_t>(e.id))
                .bind(2, e.candidate)
                .bind(3, seq)
                .bind(4, to_string(e.kind()))
                .bind(5, e.date.to_string())
                .bind(6, payload)
                .bind(7, it->second.hash)
                .bind(8, hash);
            insert.step();
            it->second = {seq, hash};
            batch_candidates.emplace_back(e.id, &events[i]);
            ids.push_back(e.id);
        }
        Statement upsert(*this,
                         "INSERT INTO chain_heads (candidate, seq, hash) VALUES (?1, ?2, ?3)"
                         " ON CONFLICT (candidate) DO UPDATE SET seq = excluded.seq, hash = excluded.hash");
        std::vector<const std::pair<const std::string, Head>*> sorted_heads;  // a fixed write order
        sorted_heads.reserve(heads.size());
        for (const auto& entry : heads) sorted_heads.push_back(&entry);
        std::sort(sorted_heads.begin(), sorted_heads.end(),
                  [](const auto* a, const auto* b) { return a->first < b->first; });
        for (const auto* entry : sorted_heads) {
            const auto& [candidate, head] = *entry;
            upsert.reset();
            upsert.bind(1, candidate).bind(2, head.seq).bind(3, head.hash);
            upsert.step();
        }
        return ids;
    }

    std::vector<Event> select(const char* sql, std::string_view candidate) const {
        Statement s(*this, sql);
        if (!candidate.empty()) s.bind(1, candidate);
        std::vector<Event> out;
        while (s.step()) {
            const std::string payload = s.text(0);
            if (auto fast = detail::fast_from_json(payload)) {
                out.push_back(std::move(*fast));
                continue;
            }
            try {
                const json j = io::detail::parse_strict(payload, "ledger");
                out.push_back(detail::from_json(io::detail::Reader(j, "", "ledger")).event);
            } catch (const ParseError& error) {
                throw LedgerError(path + ": event " + std::to_string(s.integer(1)) +
                                  " has an unreadable payload (run verify): " + error.what());
            }
        }
        return out;
    }
};

Ledger::Ledger(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Ledger::Ledger(Ledger&&) noexcept = default;
Ledger& Ledger::operator=(Ledger&&) noexcept = default;
Ledger::~Ledger() = default;

Ledger Ledger::open(const std::filesystem::path& path) {
    auto impl = std::make_unique<Impl>();
    impl->path = path.string();
    if (sqlite3_open_v2(impl->path.c_str(), &impl->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                        nullptr) != SQLITE_OK)
        impl->fail("cannot open the ledger");
    sqlite3_busy_timeout(impl->db, 10'000);
    sqlite3_extended_result_codes(impl->db, 1);
    {
        Impl::Statement wal(*impl, "PRAGMA journal_mode = WAL");
        if (!wal.step() || wal.text(0) != "wal")
            throw LedgerError(impl->path + ": cannot switch the journal to WAL");
    }
    impl->exec("PRAGMA synchronous = FULL");
    impl->exec("PRAGMA cache_size = -65536");  // 64 MiB of page cache: large batches touch many pages
    impl->exec("PRAGMA foreign_keys = ON");
    Impl::Transaction t(*impl);
    impl->exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
    int version = impl->read_version();
    if (version < 0) {
        impl->exec("INSERT INTO schema_version (version) VALUES (0)");
        version = 0;
    }
    if (version > schema_version)
        throw LedgerError(impl->path + ": the ledger's schema version is " + std::to_string(version) +
                          ", newer than this certigraph supports (" + std::to_string(schema_version) +
                          "); open it with a newer certigraph");
    for (int v = version; v < schema_version; ++v) impl->exec(migrations[static_cast<std::size_t>(v)]);
    if (version != schema_version) {
        Impl::Statement s(*impl, "UPDATE schema_version SET version = ?1");
        s.bind(1, std::int64_t{schema_version});
        s.step();
    }
    t.commit();
    return Ledger(std::move(impl));
}

int Ledger::version() const { return impl_->read_version(); }

EventId Ledger::append(const Event& event) {
    return append(std::span<const Event>(&event, 1)).front();
}

std::vector<EventId> Ledger::append(std::span<const Event> events) {
    Impl::Transaction t(*impl_);
    auto ids = impl_->record(events, {}, [](std::size_t index, const std::string& field,
                                            const std::string& problem) {
        throw InvalidEvent(index, field, problem);
    });
    t.commit();
    return ids;
}

std::vector<Event> Ledger::events(std::string_view candidate) const {
    if (candidate.empty()) return {};
    return impl_->select("SELECT payload, id FROM events WHERE candidate = ?1 ORDER BY seq", candidate);
}

std::vector<Event> Ledger::all_events() const {
    return impl_->select("SELECT payload, id FROM events ORDER BY id", {});
}

std::vector<Event> Ledger::all_events_by_candidate() const {
    // The UNIQUE (candidate, seq) index gives this order without sorting; BINARY
    // collation orders candidates as std::string does.
    return impl_->select("SELECT payload, id FROM events ORDER BY candidate, seq", {});
}

std::vector<std::string> Ledger::candidates() const {
    Impl::Statement s(*impl_, "SELECT DISTINCT candidate FROM events ORDER BY candidate");
    std::vector<std::string> out;
    while (s.step()) out.push_back(s.text(0));
    return out;
}

std::size_t Ledger::size() const {
    Impl::Statement s(*impl_, "SELECT count(*) FROM events");
    s.step();
    return static_cast<std::size_t>(s.integer(0));
}

std::string Ledger::head(std::string_view candidate) const {
    Impl::Statement s(*impl_, "SELECT hash FROM chain_heads WHERE candidate = ?1");
    s.bind(1, candidate);
    return s.step() ? s.text(0) : std::string();
}

std::vector<VerifyProblem> Ledger::verify() const {
    std::vector<VerifyProblem> problems;
    struct Last {
        std::int64_t seq = 0;
        std::string hash = genesis;
        std::int64_t row = 0;
    };
    std::map<std::string, Last> chains;
    Impl::Statement s(*impl_,
                      "SELECT id, candidate, seq, kind, date, payload, prev_hash, hash FROM events ORDER BY id");
    while (s.step()) {
        const std::int64_t row = s.integer(0);
        const std::string candidate = s.text(1);
        const std::int64_t seq = s.integer(2);
        const std::string kind = s.text(3), date = s.text(4), payload = s.text(5);
        const std::string prev = s.text(6), hash = s.text(7);
        auto say = [&](const std::string& what) { problems.push_back({row, candidate, what}); };
        Last& last = chains[candidate];
        if (seq != last.seq + 1)
            say("sequence number " + std::to_string(seq) + " follows " + std::to_string(last.seq) +
                " (a row was deleted, inserted or reordered)");
        if (prev != last.hash)
            say("the previous hash does not match the hash of the chain's row before" +
                (last.row ? " (row " + std::to_string(last.row) + ")" : std::string(" (chain start)")) +
                ": the chain is broken (a row was deleted, inserted, reordered or its hash changed)");
        if (chain_hash(prev, payload) != hash)
            say("the hash does not match the payload (payload edited or hash forged)");
        try {
            const json j = io::detail::parse_strict(payload, "payload");
            const auto read = detail::from_json(io::detail::Reader(j, "", "payload"));
            const Event& e = read.event;
            if (!read.id || static_cast<std::int64_t>(*read.id) != row)
                say("the payload's id is not the row's id (rows swapped?)");
            if (!read.seq || static_cast<std::int64_t>(*read.seq) != seq)
                say("the payload's seq is not the row's seq");
            if (e.candidate != candidate) say("the payload's candidate is not the row's");
            if (std::string(to_string(e.kind())) != kind) say("the payload's kind is not the row's");
            if (e.date.to_string() != date) say("the payload's date is not the row's");
            if (canonical_json(e, static_cast<std::uint64_t>(seq)) != payload)
                say("the payload is not in canonical form");
        } catch (const Error& error) {
            say(std::string("the payload is not a readable event: ") + error.what());
        }
        last = {seq, hash, row};
    }
    Impl::Statement h(*impl_, "SELECT candidate, seq, hash FROM chain_heads ORDER BY candidate");
    std::map<std::string, bool> headed;
    while (h.step()) {
        const std::string candidate = h.text(0);
        headed[candidate] = true;
        const auto it = chains.find(candidate);
        const std::int64_t seq = it == chains.end() ? 0 : it->second.seq;
        const std::string hash = it == chains.end() ? genesis : it->second.hash;
        if (h.integer(1) != seq || h.text(2) != hash)
            problems.push_back({it == chains.end() ? 0 : it->second.row, candidate,
                                "the chain head records " + std::to_string(h.integer(1)) +
                                    " events, the chain ends at " + std::to_string(seq) +
                                    " (rows deleted at the end, or head changed)"});
    }
    for (const auto& [candidate, last] : chains)
        if (!headed.count(candidate))
            problems.push_back({last.row, candidate, "the candidate has no chain head"});
    return problems;
}

void Ledger::export_jsonl(std::ostream& out) const {
    Impl::Statement s(*impl_, "SELECT payload, hash FROM events ORDER BY id");
    while (s.step()) {
        json j = json::parse(s.text(0));
        j["hash"] = s.text(1);
        out << detail::dump(j) << '\n';
    }
    if (!out) throw IoError("cannot write the JSON lines export");
}

std::size_t Ledger::import_jsonl(std::istream& in, std::string_view source) {
    const std::string src(source);
    std::vector<detail::ReadEvent> lines;
    std::vector<std::size_t> line_numbers;
    std::string text;
    std::size_t number = 0;
    while (std::getline(in, text)) {
        ++number;
        if (!text.empty() && text.back() == '\r') text.pop_back();
        if (text.find_first_not_of(" \t") == std::string::npos) continue;
        try {
            const json j = io::detail::parse_strict(text, src);
            lines.push_back(detail::from_json(io::detail::Reader(j, "", src)));
            line_numbers.push_back(number);
        } catch (const ParseError& e) {
            throw ParseError(src, number, e.column(), e.pointer(), e.problem());
        }
    }
    if (in.bad()) throw IoError(src + ": cannot read");
    std::vector<Event> events;
    std::vector<const detail::ReadEvent*> given;
    events.reserve(lines.size());
    for (const auto& l : lines) {
        events.push_back(l.event);
        given.push_back(&l);
    }
    Impl::Transaction t(*impl_);
    impl_->record(events, given, [&](std::size_t index, const std::string& field,
                                     const std::string& problem) {
        throw ParseError(src, line_numbers[index], 0, "/" + field, problem);
    });
    t.commit();
    return events.size();
}

}  // namespace certigraph::ledger
