// The ledger's storage: recognising a ledger before touching it, SQLite (WAL,
// synchronous=FULL), numbered migrations, and reads (docs/ledger.md).
#include <certigraph/ledger/ledger.hpp>

#include "ledger/sha256.hpp"
#include "ledger/store.hpp"

#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <ctime>
#include <fstream>
#include <optional>
#include <system_error>

namespace certigraph::ledger {

InvalidEvent::InvalidEvent(std::size_t index, std::string field, const std::string& problem)
    : LedgerError("event " + std::to_string(index) + ": " + field + ": " + problem),
      index_(index),
      field_(std::move(field)) {}

std::string sha256_hex(std::string_view bytes) { return merkle::to_hex(detail::sha256({bytes})); }

namespace detail {

merkle::Hash chain_hash(const merkle::Hash& previous, std::string_view payload) {
    return sha256({bytes_of(previous), payload});
}

std::optional<merkle::Hash> hash_of(std::string_view bytes) {
    if (bytes.size() != merkle::Hash{}.size()) return std::nullopt;
    merkle::Hash h{};
    std::copy(bytes.begin(), bytes.end(), h.begin());
    return h;
}

Columns columns_of(const Event& e) {
    Columns c;
    if (const auto* r = std::get_if<BlocResult>(&e.body)) {
        c.bloc = r->bloc;
        c.outcome = r->validated;
    } else if (const auto* j = std::get_if<JuryDecision>(&e.body)) {
        c.bloc = j->bloc;
        c.outcome = j->validated;
    } else if (const auto* b = std::get_if<BlocCredit>(&e.body)) {
        c.bloc = b->bloc;
        c.outcome = 1;
    } else if (const auto* d = std::get_if<CertificationDecision>(&e.body)) {
        c.outcome = d->awarded;  // bloc NULL
    } else if (const auto* a = std::get_if<Attribute>(&e.body)) {
        c.has_name = true;
        c.name = a->name;
        c.value = a->value;
    } else if (const auto* l = std::get_if<LanguageCertificate>(&e.body)) {
        c.has_name = true;
        c.name = l->language;
        c.value = l->level;
        c.framework = l->framework;
        c.third_party = l->third_party ? 1 : 0;
        c.has_start = true;
        c.start_day = l->issued.days_since_epoch();
    } else if (const auto* m = std::get_if<MobilityPeriod>(&e.body)) {
        c.has_start = c.has_end = true;
        c.start_day = m->start.days_since_epoch();
        c.end_day = m->end.days_since_epoch();
    } else if (const auto* w = std::get_if<WorkPeriod>(&e.body)) {
        c.has_start = c.has_end = true;
        c.start_day = w->start.days_since_epoch();
        c.end_day = w->end.days_since_epoch();
    }
    return c;
}

std::string utc_now() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buffer;
}


std::string_view to_string(RecordingKind kind) noexcept {
    switch (kind) {
        case RecordingKind::graded_session: return "graded_session";
        case RecordingKind::evidence_import: return "evidence_import";
        case RecordingKind::append: return "append";
        case RecordingKind::migration: return "migration";
        case RecordingKind::jury_session: return "jury_session";
    }
    return "append";
}


}  // namespace detail

namespace {

/// `PRAGMA application_id` of schema-3 ledgers: "CGLG".
constexpr std::int64_t application_id = 0x43474C47;

// --- Migrations: migration[i] takes the schema from version i to i + 1. ---------
// Never edit a released migration; add a new one and raise Ledger::schema_version.
// Migration 3 is SQL around two C++ steps (migrate_to_3 below).
constexpr std::array<const char*, 2> sql_migrations{
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

// 2 -> 3, before the C++ step that records the migrated events' recording.
constexpr const char* migration_3_tables = R"sql(
    CREATE TABLE ledger (
        one       INTEGER PRIMARY KEY CHECK (one = 1),
        id        TEXT    NOT NULL,
        created   TEXT    NOT NULL,
        tree_size INTEGER NOT NULL,
        frontier  BLOB    NOT NULL
    );
    CREATE TABLE recordings (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        kind         TEXT    NOT NULL CHECK (kind IN ('graded_session', 'evidence_import', 'append',
                                                      'migration', 'jury_session')),
        label        TEXT    NOT NULL,
        source       TEXT    NOT NULL,
        content_hash TEXT    NOT NULL UNIQUE,
        recorded_at  TEXT    NOT NULL,
        first_event  INTEGER NOT NULL,
        events       INTEGER NOT NULL CHECK (events >= 1)
    );
    CREATE TABLE events_v3 (
        id        INTEGER PRIMARY KEY AUTOINCREMENT,
        candidate TEXT    NOT NULL,
        seq       INTEGER NOT NULL CHECK (seq >= 1),
        kind      TEXT    NOT NULL,
        date      TEXT    NOT NULL,
        day       INTEGER NOT NULL,
        route     TEXT    NOT NULL,
        session   TEXT    NOT NULL,
        bloc      TEXT,
        outcome   INTEGER CHECK (outcome IN (0, 1)),
        recording INTEGER NOT NULL REFERENCES recordings (id),
        payload   TEXT    NOT NULL,
        prev_hash TEXT    NOT NULL,
        hash      TEXT    NOT NULL,
        leaf      BLOB    NOT NULL,
        UNIQUE (candidate, seq)
    );
)sql";

// 2 -> 3, after: the events copied with their typed columns (read from the payload
// with SQLite's JSON functions) and leaf hashes, the old table replaced, triggers.
constexpr const char* migration_3_events = R"sql(
    INSERT INTO events_v3 (id, candidate, seq, kind, date, day, route, session, bloc, outcome,
                           recording, payload, prev_hash, hash, leaf)
        SELECT id, candidate, seq, kind, date,
               CAST(julianday(date) - 2440587.5 AS INTEGER),
               coalesce(json_extract(payload, '$.route'), ''),
               coalesce(json_extract(payload, '$.session'), ''),
               CASE WHEN kind IN ('bloc_result', 'jury_decision', 'bloc_credit')
                    THEN json_extract(payload, '$.body.bloc') END,
               CASE WHEN kind IN ('bloc_result', 'jury_decision') THEN json_extract(payload, '$.body.validated')
                    WHEN kind = 'bloc_credit' THEN 1 END,
               (SELECT id FROM recordings WHERE kind = 'migration'),
               payload, prev_hash, hash, certigraph_leaf(payload)
        FROM events ORDER BY id;
    DROP TABLE events;
    ALTER TABLE events_v3 RENAME TO events;
    CREATE INDEX events_results ON events (candidate, bloc, session) WHERE kind = 'bloc_result';
)sql";

// 3 -> 4: the typed columns eligibility reads for the other kinds (EventTable),
// filled from the payloads (the update trigger is lifted for that one UPDATE), and an
// index covering them in (candidate, seq) order: Ledger::event_table() reads the
// index alone, not the rows with their payloads (≈ 60 of ≈ 700 bytes per event).
constexpr const char* migration_4 = R"sql(
    ALTER TABLE events ADD COLUMN name TEXT;
    ALTER TABLE events ADD COLUMN value TEXT;
    ALTER TABLE events ADD COLUMN framework TEXT;
    ALTER TABLE events ADD COLUMN third_party INTEGER CHECK (third_party IN (0, 1));
    ALTER TABLE events ADD COLUMN start_day INTEGER;
    ALTER TABLE events ADD COLUMN end_day INTEGER;
    DROP TRIGGER events_append_only_update;
    UPDATE events SET
        name = CASE kind WHEN 'attribute' THEN json_extract(payload, '$.body.name')
                         WHEN 'language_certificate' THEN json_extract(payload, '$.body.language') END,
        value = CASE kind WHEN 'attribute' THEN json_extract(payload, '$.body.value')
                          WHEN 'language_certificate' THEN json_extract(payload, '$.body.level') END,
        framework = CASE kind WHEN 'language_certificate' THEN json_extract(payload, '$.body.framework') END,
        third_party = CASE kind WHEN 'language_certificate' THEN json_extract(payload, '$.body.third_party') END,
        start_day = CASE WHEN kind IN ('mobility_period', 'work_period')
                         THEN CAST(julianday(json_extract(payload, '$.body.start')) - 2440587.5 AS INTEGER)
                         WHEN kind = 'language_certificate'
                         THEN CAST(julianday(json_extract(payload, '$.body.issued')) - 2440587.5 AS INTEGER) END,
        end_day = CASE WHEN kind IN ('mobility_period', 'work_period')
                       THEN CAST(julianday(json_extract(payload, '$.body.end')) - 2440587.5 AS INTEGER) END
        WHERE kind IN ('attribute', 'language_certificate', 'mobility_period', 'work_period');
    CREATE INDEX events_typed ON events (candidate, seq, kind, day, bloc, outcome, name, value, framework,
                                         third_party, start_day, end_day);
)sql";

// 4 -> 5 (issue 12, recording and reading at speed): hashes as their 32 bytes, no
// `prev_hash` (the chain's previous row has it), one index instead of three
// (`events_typed` over the packed typed record), chain heads without a rowid, no
// per-row foreign-key lookup (verify() checks the recordings), no AUTOINCREMENT (the
// store gives every id itself; a sqlite_sequence write per row cost ≈ 0.5 s a million). The typed record and
// the bytes of the hashes come from C++ functions (migrate_to_5). The events' rows,
// payloads, leaves and ids are copied unchanged.
constexpr const char* migration_5 = R"sql(
    CREATE TABLE events_v5 (
        id          INTEGER PRIMARY KEY,
        candidate   TEXT    NOT NULL,
        seq         INTEGER NOT NULL CHECK (seq >= 1),
        kind        TEXT    NOT NULL,
        date        TEXT    NOT NULL,
        day         INTEGER NOT NULL,
        route       TEXT    NOT NULL,
        session     TEXT    NOT NULL,
        bloc        TEXT,
        outcome     INTEGER CHECK (outcome IN (0, 1)),
        name        TEXT,
        value       TEXT,
        framework   TEXT,
        third_party INTEGER CHECK (third_party IN (0, 1)),
        start_day   INTEGER,
        end_day     INTEGER,
        recording   INTEGER NOT NULL,
        typed       BLOB    NOT NULL,
        payload     TEXT    NOT NULL,
        hash        BLOB    NOT NULL CHECK (length(hash) = 32),
        leaf        BLOB    NOT NULL CHECK (length(leaf) = 32)
    );
    INSERT INTO events_v5 (id, candidate, seq, kind, date, day, route, session, bloc, outcome, name, value,
                           framework, third_party, start_day, end_day, recording, typed, payload, hash, leaf)
        SELECT id, candidate, seq, kind, date, day, route, session, bloc, outcome, name, value,
               framework, third_party, start_day, end_day, recording,
               certigraph_typed(kind, day, bloc, outcome, name, value, framework, third_party, start_day, end_day),
               payload, certigraph_unhex(hash), leaf
        FROM events ORDER BY id;
    DROP TABLE events;
    ALTER TABLE events_v5 RENAME TO events;
    CREATE INDEX events_typed ON events (candidate, seq, typed);
    CREATE TABLE chain_heads_v5 (
        candidate TEXT    PRIMARY KEY,
        seq       INTEGER NOT NULL,
        hash      BLOB    NOT NULL CHECK (length(hash) = 32)
    ) WITHOUT ROWID;
    INSERT INTO chain_heads_v5 (candidate, seq, hash)
        SELECT candidate, seq, certigraph_unhex(hash) FROM chain_heads;
    DROP TABLE chain_heads;
    ALTER TABLE chain_heads_v5 RENAME TO chain_heads;
)sql";

/// The append-only triggers of schema 3, exactly as verify() expects to find them.
constexpr std::array<std::pair<const char*, const char*>, 6> triggers_3{{
    {"events_append_only_update",
     "CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events "
     "BEGIN SELECT RAISE(ABORT, 'ledger events are append-only: no UPDATE'); END"},
    {"events_append_only_delete",
     "CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events "
     "BEGIN SELECT RAISE(ABORT, 'ledger events are append-only: no DELETE'); END"},
    {"recordings_append_only_update",
     "CREATE TRIGGER recordings_append_only_update BEFORE UPDATE ON recordings "
     "BEGIN SELECT RAISE(ABORT, 'ledger recordings are append-only: no UPDATE'); END"},
    {"recordings_append_only_delete",
     "CREATE TRIGGER recordings_append_only_delete BEFORE DELETE ON recordings "
     "BEGIN SELECT RAISE(ABORT, 'ledger recordings are append-only: no DELETE'); END"},
    {"ledger_id_fixed",
     "CREATE TRIGGER ledger_id_fixed BEFORE UPDATE OF one, id, created ON ledger "
     "BEGIN SELECT RAISE(ABORT, 'the ledger id is fixed'); END"},
    {"ledger_no_delete",
     "CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger "
     "BEGIN SELECT RAISE(ABORT, 'the ledger row is not deleted'); END"},
}};

}  // namespace

std::span<const std::pair<const char*, const char*>> detail::schema_triggers() { return triggers_3; }

namespace {

void leaf_function(sqlite3_context* context, int, sqlite3_value** values) {
    const auto* text = sqlite3_value_text(values[0]);
    const auto size = static_cast<std::size_t>(sqlite3_value_bytes(values[0]));
    const merkle::Hash h = merkle::leaf_hash(std::string_view(reinterpret_cast<const char*>(text), size));
    sqlite3_result_blob(context, h.data(), static_cast<int>(h.size()), SQLITE_TRANSIENT);
}

std::string random_id() {
    std::array<unsigned char, 16> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
        throw LedgerError("cannot draw a random ledger id (OpenSSL RAND_bytes)");
    merkle::Hash padded{};
    std::copy(bytes.begin(), bytes.end(), padded.begin());
    return merkle::to_hex(padded).substr(0, 32);
}

void migrate_to_3(Ledger::Impl& impl) {
    impl.exec(migration_3_tables);
    {
        // The events a schema-2 file holds become one `migration` recording, whose
        // content hash is the SHA-256 of their chain hashes in id order.
        Ledger::Impl::Statement count(impl, "SELECT count(*), coalesce(min(id), 0) FROM events");
        count.step();
        const std::int64_t n = count.integer(0), first = count.integer(1);
        if (n > 0) {
            std::string all;
            Ledger::Impl::Statement payloads(impl, "SELECT hash FROM events ORDER BY id");
            while (payloads.step()) all.append(payloads.view(0)).push_back('\n');
            Ledger::Impl::Statement insert(
                impl,
                "INSERT INTO recordings (kind, label, source, content_hash, recorded_at, first_event, events)"
                " VALUES ('migration', '', 'schema version 2', ?1, ?2, ?3, ?4)");
            insert.bind(1, "sha256:" + sha256_hex(all)).bind(2, detail::utc_now()).bind(3, first).bind(4, n);
            insert.step();
        }
    }
    if (sqlite3_create_function(impl.db, "certigraph_leaf", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                                leaf_function, nullptr, nullptr) != SQLITE_OK)
        impl.fail("cannot register the leaf hash function");
    impl.exec(migration_3_events);
    for (const auto& [name, sql] : detail::schema_triggers()) impl.exec(sql);
    merkle::Frontier frontier;
    {
        Ledger::Impl::Statement leaves(impl, "SELECT leaf FROM events ORDER BY id");
        while (leaves.step()) {
            merkle::Hash h{};
            const auto bytes = leaves.view(0);
            std::copy(bytes.begin(), bytes.end(), h.begin());
            frontier.push(h);
        }
    }
    Ledger::Impl::Statement ledger(
        impl, "INSERT INTO ledger (one, id, created, tree_size, frontier) VALUES (1, ?1, ?2, ?3, ?4)");
    ledger.bind(1, random_id())
        .bind(2, detail::utc_now())
        .bind(3, static_cast<std::int64_t>(frontier.size()))
        .bind_blob(4, frontier.serialize());
    ledger.step();
    impl.exec(("PRAGMA application_id = " + std::to_string(application_id)).c_str());
}

void typed_function(sqlite3_context* context, int, sqlite3_value** v) {
    const auto text = [&](int i) {
        const auto* p = sqlite3_value_text(v[i]);
        return p ? std::string_view(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_value_bytes(v[i])))
                 : std::string_view();
    };
    const auto kind = event_kind_from_string(text(0));
    if (!kind) {
        sqlite3_result_error(context, "an event of unknown kind (run verify with the previous certigraph)", -1);
        return;
    }
    detail::Columns c;
    c.bloc = text(2);
    c.outcome = sqlite3_value_type(v[3]) == SQLITE_NULL ? -1 : sqlite3_value_int(v[3]);
    c.has_name = sqlite3_value_type(v[4]) != SQLITE_NULL;
    c.name = text(4);
    c.value = text(5);
    c.framework = text(6);
    c.third_party = sqlite3_value_type(v[7]) == SQLITE_NULL ? -1 : sqlite3_value_int(v[7]);
    c.has_start = sqlite3_value_type(v[8]) != SQLITE_NULL;
    c.start_day = sqlite3_value_int(v[8]);
    c.has_end = sqlite3_value_type(v[9]) != SQLITE_NULL;
    c.end_day = sqlite3_value_int(v[9]);
    std::string out;
    detail::pack_typed(*kind, sqlite3_value_int(v[1]), c, out);
    sqlite3_result_blob(context, out.data(), static_cast<int>(out.size()), SQLITE_TRANSIENT);
}

void unhex_function(sqlite3_context* context, int, sqlite3_value** v) {
    const auto* p = sqlite3_value_text(v[0]);
    const auto h = merkle::from_hex(p ? std::string_view(reinterpret_cast<const char*>(p),
                                                         static_cast<std::size_t>(sqlite3_value_bytes(v[0])))
                                      : std::string_view());
    if (!h) {
        sqlite3_result_error(context, "a stored hash is not 64 hex digits (run verify with the previous certigraph)",
                             -1);
        return;
    }
    sqlite3_result_blob(context, h->data(), static_cast<int>(h->size()), SQLITE_TRANSIENT);
}

void migrate_to_5(Ledger::Impl& impl) {
    if (sqlite3_create_function(impl.db, "certigraph_typed", 10, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                                typed_function, nullptr, nullptr) != SQLITE_OK ||
        sqlite3_create_function(impl.db, "certigraph_unhex", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                                unhex_function, nullptr, nullptr) != SQLITE_OK)
        impl.fail("cannot register the migration's functions");
    impl.exec(migration_5);
    // DROP TABLE took the events' triggers with it: the same ones again.
    impl.exec(detail::schema_triggers()[0].second);
    impl.exec(detail::schema_triggers()[1].second);
}

/// Why the file at `path` is not a ledger, or "" if it looks like one (read-only
/// checks: nothing is written). `exists` tells whether there is a file at all.
std::string not_a_ledger(const std::string& path, std::uintmax_t size) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return "cannot be read";
    std::array<unsigned char, 100> header{};
    in.read(reinterpret_cast<char*>(header.data()), header.size());
    if (size == 0) return "is an empty file (0 bytes)";
    if (in.gcount() < 100 || std::string_view(reinterpret_cast<const char*>(header.data()), 16) !=
                                 std::string_view("SQLite format 3\0", 16))
        return "is not an SQLite database";
    std::uint32_t page_size = (header[16] << 8) | header[17];
    if (page_size == 1) page_size = 65536;
    const std::uint32_t pages = (std::uint32_t{header[28]} << 24) | (header[29] << 16) | (header[30] << 8) | header[31];
    const std::uint32_t change = (std::uint32_t{header[24]} << 24) | (header[25] << 16) | (header[26] << 8) | header[27];
    const std::uint32_t valid_for = (std::uint32_t{header[92]} << 24) | (header[93] << 16) | (header[94] << 8) | header[95];
    std::error_code error;
    const auto wal = std::filesystem::file_size(path + "-wal", error);
    const bool has_wal = !error && wal > 0;
    // A hot rollback journal (a large recording cut short): SQLite puts the file back
    // as it was from the journal at the first read, whatever its size now.
    const auto journal = std::filesystem::file_size(path + "-journal", error);
    const bool has_journal = !error && journal > 0;
    if (!has_wal && !has_journal && change == valid_for && static_cast<std::uintmax_t>(pages) * page_size > size)
        return "is truncated (" + std::to_string(size) + " bytes, its header says " + std::to_string(pages) +
               " pages of " + std::to_string(page_size) + ")";
    const std::uint32_t app = (std::uint32_t{header[68]} << 24) | (header[69] << 16) | (header[70] << 8) | header[71];
    if (app != 0 && app != application_id)
        return "is another application's SQLite database (application_id " + std::to_string(app) + ")";
    return {};
}

}  // namespace

// --- Opening -----------------------------------------------------------------------

namespace {

constexpr int busy_timeout_ms = 10'000;

Ledger::Impl* connect(Ledger::Impl& impl, int flags) {
    // No SQLite mutex per call: a Ledger is used by one thread at a time (ledger.hpp),
    // and the per-call locking cost 16 % of reading the typed columns.
    flags |= SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(impl.path.c_str(), &impl.db, flags, nullptr) != SQLITE_OK)
        impl.fail("cannot open the ledger");
    sqlite3_busy_timeout(impl.db, busy_timeout_ms);
    sqlite3_extended_result_codes(impl.db, 1);
    return &impl;
}

/// Sets the journal mode, waiting at most `timeout_ms` for the locks it needs: the
/// mode SQLite reports, or "" if it could not switch (busy: another connection).
std::string journal_mode(sqlite3* db, const char* mode, int timeout_ms) {
    sqlite3_busy_timeout(db, timeout_ms);
    std::string now;
    const std::string sql = std::string("PRAGMA journal_mode = ") + mode;
    const int rc = sqlite3_exec(
        db, sql.c_str(),
        [](void* out, int, char** values, char**) {
            *static_cast<std::string*>(out) = values[0] ? values[0] : "";
            return 0;
        },
        &now, nullptr);
    sqlite3_busy_timeout(db, busy_timeout_ms);
    return rc == SQLITE_OK ? now : std::string();
}

/// Read-only: the tables a ledger of each version has.
void check_tables(Ledger::Impl& impl) {
    const std::string refuse = impl.path + ": not a certigraph ledger: ";
    const std::string fix = "; check the path, or create one with `certigraph ledger init " + impl.path + "`";
    std::vector<std::string> tables;
    try {
        Ledger::Impl::Statement s(impl, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
        while (s.step()) tables.push_back(s.text(0));
    } catch (const LedgerError& e) {
        throw NotALedger(refuse + "SQLite cannot read it (" + sqlite3_errmsg(impl.db) + ")" + fix);
    }
    auto has = [&](const char* name) { return std::find(tables.begin(), tables.end(), name) != tables.end(); };
    if (!has("schema_version") || !has("events"))
        throw NotALedger(refuse + (tables.empty() ? std::string("an SQLite database without tables")
                                                  : "an SQLite database without the ledger's tables (it has " +
                                                        tables.front() + (tables.size() > 1 ? ", ..." : "") + ")") +
                         fix);
    int version = -1;
    try {
        version = impl.read_version();
    } catch (const LedgerError&) {
    }
    if (version < 1) throw NotALedger(refuse + "its schema_version table holds no version" + fix);
    if (version > Ledger::schema_version)
        throw LedgerError(impl.path + ": the ledger's schema version is " + std::to_string(version) +
                          ", newer than this certigraph supports (" + std::to_string(Ledger::schema_version) +
                          "); open it with a newer certigraph");
    if ((version >= 2 && !has("chain_heads")) || (version >= 3 && (!has("ledger") || !has("recordings"))))
        throw NotALedger(refuse + "schema version " + std::to_string(version) + " without its tables" + fix);
}

Ledger::Impl& configure_and_migrate(Ledger::Impl& impl) {
    if (const std::string mode = journal_mode(impl.db, "WAL", busy_timeout_ms); mode != "wal")
        throw LedgerError(impl.path + ": cannot switch the journal to WAL" +
                          (mode.empty() ? " (" + std::string(sqlite3_errmsg(impl.db)) +
                                              "): another process is writing a large recording; try again when it "
                                              "is done"
                                        : std::string()));
    impl.exec("PRAGMA synchronous = FULL");
    impl.exec("PRAGMA cache_size = -65536");  // 64 MiB of page cache: large batches touch many pages
    impl.exec("PRAGMA foreign_keys = ON");
    Ledger::Impl::Transaction t(impl);
    impl.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
    int version = impl.read_version();
    if (version < 0) {
        impl.exec("INSERT INTO schema_version (version) VALUES (0)");
        version = 0;
    }
    if (version > Ledger::schema_version)
        throw LedgerError(impl.path + ": the ledger's schema version is " + std::to_string(version) +
                          ", newer than this certigraph supports (" + std::to_string(Ledger::schema_version) +
                          "); open it with a newer certigraph");
    for (int v = version; v < Ledger::schema_version; ++v) {
        if (v < 2) {
            impl.exec(sql_migrations[static_cast<std::size_t>(v)]);
        } else if (v == 2) {
            migrate_to_3(impl);
        } else if (v == 3) {
            impl.exec(migration_4);
            impl.exec(detail::schema_triggers()[0].second);  // events_append_only_update, as it was
        } else {
            migrate_to_5(impl);
        }
    }
    if (version != Ledger::schema_version) {
        Ledger::Impl::Statement s(impl, "UPDATE schema_version SET version = ?1");
        s.bind(1, std::int64_t{Ledger::schema_version});
        s.step();
    }
    t.commit();
    return impl;
}

}  // namespace

Ledger::Ledger(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Ledger::Ledger(Ledger&&) noexcept = default;
Ledger& Ledger::operator=(Ledger&&) noexcept = default;
Ledger::~Ledger() = default;

Ledger Ledger::open(const std::filesystem::path& path) {
    auto impl = std::make_unique<Impl>();
    impl->path = path.string();
    const std::string fix = "; check the path, or create one with `certigraph ledger init " + impl->path + "`";
    std::error_code error;
    const auto status = std::filesystem::status(path, error);
    if (!std::filesystem::exists(status))
        throw NotALedger(impl->path + ": no ledger there" + fix);
    if (!std::filesystem::is_regular_file(status))
        throw NotALedger(impl->path + ": not a certigraph ledger: not a regular file" + fix);
    const auto size = std::filesystem::file_size(path, error);
    if (const std::string why = not_a_ledger(impl->path, error ? 0 : size); !why.empty())
        throw NotALedger(impl->path + ": not a certigraph ledger: the file " + why + fix);
    connect(*impl, SQLITE_OPEN_READWRITE);  // never SQLITE_OPEN_CREATE here
    check_tables(*impl);
    configure_and_migrate(*impl);
    return Ledger(std::move(impl));
}

Ledger Ledger::create(const std::filesystem::path& path) {
    std::error_code error;
    const auto status = std::filesystem::status(path, error);
    if (std::filesystem::exists(status)) {
        const bool empty = std::filesystem::is_regular_file(status) && std::filesystem::file_size(path, error) == 0;
        if (!empty) {  // an existing ledger is opened; anything else refused, untouched
            try {
                return open(path);
            } catch (const NotALedger& e) {
                const std::string what = e.what();
                throw NotALedger(what.substr(0, what.find("; check the path")) +
                                 "; it is left as it is: give a path that does not exist (or an empty file)");
            }
        }
    }
    auto impl = std::make_unique<Impl>();
    impl->path = path.string();
    connect(*impl, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    // 64 KiB pages, SQLite's largest (before the first write fixes the size): a
    // sixteenth of the B-tree pages of the default 4 KiB; the 1M-event recording
    // 2.6 s instead of 2.9 with 16 KiB, eligibility of 9M events read 1.3 s instead
    // of 1.8 (performance.md, "Recording and verify at the target").
    impl->exec("PRAGMA page_size = 65536");
    configure_and_migrate(*impl);
    return Ledger(std::move(impl));
}

int Ledger::version() const { return impl_->read_version(); }

void Ledger::vacuum() {
    // SQLite changes the page size only outside WAL, and only by a VACUUM; leaving WAL
    // needs the file to itself (refused at once when another connection has it open).
    if (journal_mode(impl_->db, "DELETE", 0) != "delete")
        throw LedgerError(impl_->path +
                          ": cannot vacuum the ledger while another process is reading it; close it there and try again");
    struct BackToWal {
        sqlite3* db;
        ~BackToWal() { journal_mode(db, "WAL", busy_timeout_ms); }
    } back{impl_->db};
    impl_->exec("PRAGMA page_size = 65536");
    impl_->exec("VACUUM");
}

merkle::Frontier Ledger::Impl::frontier() const {
    Statement s(*this, "SELECT frontier FROM ledger");
    if (!s.step()) throw LedgerError(path + ": the ledger row is missing (run verify)");
    auto f = merkle::Frontier::parse(s.view(0));
    if (!f) throw LedgerError(path + ": the stored Merkle frontier is malformed (run verify)");
    return *f;
}

Ledger::Impl::Transaction::Transaction(const Impl& owner, std::size_t events) : owner_(owner) {
    // A large batch: a rollback journal writes its new pages once (SQLite's own advice
    // for transactions past ~100 MB). Only when this is the one connection: with any
    // other open, SQLite refuses the switch at once (no wait) and the WAL stays.
    if (events >= Ledger::bulk_events) bulk_ = journal_mode(owner.db, "DELETE", 0) == "delete";
    try {
        owner.exec("BEGIN IMMEDIATE");
    } catch (...) {
        if (bulk_) journal_mode(owner.db, "WAL", busy_timeout_ms);
        throw;
    }
}

Ledger::Impl::Transaction::~Transaction() { end(done_ ? nullptr : "ROLLBACK"); }

void Ledger::Impl::Transaction::commit() {
    owner_.exec("COMMIT");
    done_ = true;
    end(nullptr);
}

void Ledger::Impl::Transaction::end(const char* sql) noexcept {
    if (sql) sqlite3_exec(owner_.db, sql, nullptr, nullptr, nullptr);
    // Back to WAL; if another connection opened the file meanwhile, the next open
    // switches it (a rollback journal is as safe, only without concurrent readers).
    if (bulk_) journal_mode(owner_.db, "WAL", busy_timeout_ms);
    bulk_ = false;
}

std::string Ledger::Impl::ledger_id() const {
    Statement s(*this, "SELECT id FROM ledger");
    return s.step() ? s.text(0) : std::string();
}

std::vector<Event> Ledger::Impl::select(const char* sql, std::string_view candidate) const {
    Statement s(*this, sql);
    if (!candidate.empty()) s.bind(1, candidate);
    std::vector<Event> out;
    std::uint64_t seq = 0;
    while (s.step()) {
        const std::string_view payload = s.view(0);
        // A canonical payload by its layout, as the kind its row names; else by the readers.
        const auto kind = event_kind_from_string(s.view(2));
        if (kind && detail::read_canonical(payload, *kind, out.emplace_back(), seq)) continue;
        out.pop_back();
        if (auto fast = detail::fast_from_json(payload)) {
            out.push_back(std::move(*fast));
            continue;
        }
        try {
            const detail::json j = io::detail::parse_strict(std::string(payload), "ledger");
            out.push_back(detail::from_json(io::detail::Reader(j, "", "ledger")).event);
        } catch (const ParseError& error) {
            throw LedgerError(path + ": event " + std::to_string(s.integer(1)) +
                              " has an unreadable payload (run verify): " + error.what());
        }
    }
    return out;
}

std::vector<Event> Ledger::events(std::string_view candidate) const {
    if (candidate.empty()) return {};
    return impl_->select("SELECT payload, id, kind FROM events WHERE candidate = ?1 ORDER BY seq", candidate);
}

std::vector<Event> Ledger::all_events() const {
    return impl_->select("SELECT payload, id, kind FROM events ORDER BY id", {});
}

std::vector<Event> Ledger::all_events_by_candidate() const {
    // The index events_typed (candidate, seq, typed) gives this order without
    // sorting; BINARY collation orders candidates as std::string does.
    return impl_->select("SELECT payload, id, kind FROM events ORDER BY candidate, seq", {});
}

std::vector<std::string> Ledger::candidates() const {
    Impl::Statement s(*impl_, "SELECT candidate FROM chain_heads ORDER BY candidate");
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
    if (!s.step()) return {};
    const auto hash = detail::hash_of(s.view(0));
    if (!hash) throw LedgerError(impl_->path + ": a malformed chain head hash of '" + std::string(candidate) + "' (run verify)");
    return merkle::to_hex(*hash);
}

std::string Ledger::id() const { return impl_->ledger_id(); }

std::string Ledger::origin() const { return "certigraph.ledger/" + id(); }

Checkpoint Ledger::checkpoint() const {
    const merkle::Frontier f = impl_->frontier();
    return {origin(), f.size(), f.root(), detail::utc_now()};
}

namespace {

std::vector<merkle::Hash> leaves_up_to(const Ledger::Impl& impl, std::uint64_t size) {
    std::vector<merkle::Hash> out;
    out.reserve(static_cast<std::size_t>(size));
    Ledger::Impl::Statement s(impl, "SELECT leaf FROM events ORDER BY id LIMIT ?1");
    s.bind(1, static_cast<std::int64_t>(size));
    while (s.step()) {
        merkle::Hash h{};
        const auto bytes = s.view(0);
        if (bytes.size() != h.size()) throw LedgerError(impl.path + ": a malformed leaf hash (run verify)");
        std::copy(bytes.begin(), bytes.end(), h.begin());
        out.push_back(h);
    }
    if (out.size() != size)
        throw LedgerError(impl.path + ": the ledger holds " + std::to_string(out.size()) + " events, not " +
                          std::to_string(size));
    return out;
}

}  // namespace

merkle::Hash Ledger::root(std::uint64_t size) const { return merkle::root(leaves_up_to(*impl_, size)); }

merkle::Hash Ledger::leaf(EventId id) const {
    Impl::Statement s(*impl_, "SELECT leaf FROM events WHERE id = ?1");
    s.bind(1, static_cast<std::int64_t>(id));
    if (!s.step()) throw LedgerError(impl_->path + ": no event " + std::to_string(id));
    merkle::Hash h{};
    const auto bytes = s.view(0);
    if (bytes.size() != h.size()) throw LedgerError(impl_->path + ": a malformed leaf hash (run verify)");
    std::copy(bytes.begin(), bytes.end(), h.begin());
    return h;
}

std::vector<merkle::Hash> Ledger::inclusion_proof(EventId id, std::uint64_t size) const {
    if (id == 0 || id > size)
        throw LedgerError("event " + std::to_string(id) + " is not in the tree of the first " + std::to_string(size) +
                          " events");
    return merkle::inclusion_proof(leaves_up_to(*impl_, size), id - 1);
}

std::vector<merkle::Hash> Ledger::consistency_proof(std::uint64_t old_size, std::uint64_t new_size) const {
    if (old_size > new_size)
        throw LedgerError("a consistency proof goes from a smaller tree to a larger one (" + std::to_string(old_size) +
                          " > " + std::to_string(new_size) + ")");
    return merkle::consistency_proof(leaves_up_to(*impl_, new_size), old_size);
}

}  // namespace certigraph::ledger
