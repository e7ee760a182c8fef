// SQLite alone, without certigraph: inserting 1M synthetic ledger rows in one
// transaction (WAL, synchronous=FULL) under the layouts schema 5 chose between, so
// that the floor of Ledger::append is known (docs/performance.md, "Schema 5").
//
//   sqlite_layouts [--rows N] [--db PATH] [--layout K]
//
// Each row: the schema's typed columns, a 345-byte payload (a canonical bloc result's
// length), the chain hash (64 hex digits or 32 bytes), the 32-byte leaf. After the
// layouts, schema 5's under other journals and page sizes: the checkpoint timed apart
// from the commit, a rollback journal (its pages written once), 32 and 64 KiB pages.
// --layout K runs the K-th line alone (0-based).
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

namespace {

struct Layout {
    const char* name;
    const char* table_options;  ///< "" or "AUTOINCREMENT"
    std::vector<const char*> indexes;
    bool hex_hashes;            ///< prev_hash and hash as hex text (schema 4) or hash as 32 bytes
    int page_size;
    const char* journal = "WAL";     ///< journal_mode
    bool defer_checkpoint = false;   ///< wal_autocheckpoint = 0: time the commit, then the checkpoint apart
    int cache_kib = 65536;
};

double cpu_seconds() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

void exec(sqlite3* db, const std::string& sql) {
    char* message = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        std::fprintf(stderr, "%s: %s\n", sql.c_str(), message ? message : "");
        std::exit(1);
    }
}

void run(const Layout& layout, std::size_t rows, const std::string& path) {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
    sqlite3* db = nullptr;
    sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    exec(db, "PRAGMA page_size = " + std::to_string(layout.page_size));
    exec(db, std::string("PRAGMA journal_mode = ") + layout.journal);
    exec(db, "PRAGMA synchronous = FULL");
    exec(db, "PRAGMA cache_size = -" + std::to_string(layout.cache_kib));
    if (layout.defer_checkpoint) exec(db, "PRAGMA wal_autocheckpoint = 0");
    exec(db, std::string("CREATE TABLE events (id INTEGER PRIMARY KEY ") + layout.table_options +
                 ", candidate TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL, date TEXT NOT NULL,"
                 " day INTEGER NOT NULL, route TEXT NOT NULL, session TEXT NOT NULL, bloc TEXT, outcome INTEGER,"
                 " name TEXT, value TEXT, framework TEXT, third_party INTEGER, start_day INTEGER, end_day INTEGER,"
                 " recording INTEGER NOT NULL, typed BLOB, payload TEXT NOT NULL, prev_hash, hash NOT NULL,"
                 " leaf BLOB NOT NULL)");
    for (const char* index : layout.indexes) exec(db, index);
    sqlite3_stmt* insert = nullptr;
    sqlite3_prepare_v3(db,
                       "INSERT INTO events (id, candidate, seq, kind, date, day, route, session, bloc, outcome,"
                       " recording, typed, payload, prev_hash, hash, leaf)"
                       " VALUES (?1, ?2, ?3, 'bloc_result', '2026-06-26', 20630, 'exam', '2026-06', ?4, 1, 1, ?5, ?6,"
                       " ?7, ?8, ?9)",
                       -1, SQLITE_PREPARE_PERSISTENT, &insert, nullptr);
    const std::string payload(345, 'x'), hex(64, 'a'), typed(25, 't');
    const unsigned char bytes[32] = {7};
    char candidate[32], bloc[32];
    const auto start = std::chrono::steady_clock::now();
    const double cpu = cpu_seconds();
    exec(db, "BEGIN IMMEDIATE");
    for (std::size_t i = 1; i <= rows; ++i) {
        std::snprintf(candidate, sizeof candidate, "C%07zu", i / 4);
        std::snprintf(bloc, sizeof bloc, "RNCP40514BC0%zu", i % 4 + 1);
        sqlite3_bind_int64(insert, 1, static_cast<sqlite3_int64>(i));
        sqlite3_bind_text(insert, 2, candidate, -1, SQLITE_STATIC);
        sqlite3_bind_int64(insert, 3, static_cast<sqlite3_int64>(i % 4 + 1));
        sqlite3_bind_text(insert, 4, bloc, -1, SQLITE_STATIC);
        sqlite3_bind_blob(insert, 5, typed.data(), static_cast<int>(typed.size()), SQLITE_STATIC);
        sqlite3_bind_text(insert, 6, payload.data(), static_cast<int>(payload.size()), SQLITE_STATIC);
        if (layout.hex_hashes) {
            sqlite3_bind_text(insert, 7, hex.data(), 64, SQLITE_STATIC);
            sqlite3_bind_text(insert, 8, hex.data(), 64, SQLITE_STATIC);
        } else {
            sqlite3_bind_blob(insert, 8, bytes, 32, SQLITE_STATIC);
        }
        sqlite3_bind_blob(insert, 9, bytes, 32, SQLITE_STATIC);
        if (sqlite3_step(insert) != SQLITE_DONE) {
            std::fprintf(stderr, "insert: %s\n", sqlite3_errmsg(db));
            std::exit(1);
        }
        sqlite3_reset(insert);
        sqlite3_clear_bindings(insert);
    }
    exec(db, "COMMIT");
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double used = cpu_seconds() - cpu;
    double checkpoint = 0;
    if (layout.defer_checkpoint) {
        const auto t = std::chrono::steady_clock::now();
        exec(db, "PRAGMA wal_checkpoint(PASSIVE)");
        checkpoint = std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
    }
    sqlite3_finalize(insert);
    sqlite3_close(db);
    std::error_code error;
    const auto wal = std::filesystem::file_size(path + "-wal", error);
    std::printf("%-58s %6.2f s wall %6.2f s CPU  %5.0f MB", layout.name, wall, used,
                static_cast<double>(std::filesystem::file_size(path) + (error ? 0 : wal)) / 1e6);
    if (layout.defer_checkpoint) std::printf("  (then the checkpoint: %.2f s wall)", checkpoint);
    std::printf("\n");
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t rows = 1'000'000;
    std::string path = "/tmp/cg-sqlite-layouts.db";
    int only = -1;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i], v = argv[i + 1];
        if (a == "--rows") rows = std::stoull(v);
        else if (a == "--db") path = v;
        else if (a == "--layout") only = std::stoi(v);
        else { std::fprintf(stderr, "unknown option %s\n", a.c_str()); return 2; }
    }
    const char* unique = "CREATE UNIQUE INDEX events_chain ON events (candidate, seq)";
    const char* results = "CREATE INDEX events_results ON events (candidate, bloc, session) WHERE kind = 'bloc_result'";
    const char* typed4 = "CREATE INDEX events_typed ON events (candidate, seq, kind, day, bloc, outcome, name, value,"
                         " framework, third_party, start_day, end_day)";
    const char* typed5 = "CREATE INDEX events_typed ON events (candidate, seq, typed)";
    const std::vector<Layout> layouts{
        {"schema 4: AUTOINCREMENT, 3 indexes, hex hashes, 4 KiB", "AUTOINCREMENT", {unique, results, typed4}, true, 4096},
        {"  hashes as 32 bytes, no prev_hash", "AUTOINCREMENT", {unique, results, typed4}, false, 4096},
        {"  and one index (candidate, seq, typed)", "AUTOINCREMENT", {typed5}, false, 4096},
        {"  and 16 KiB pages", "AUTOINCREMENT", {typed5}, false, 16384},
        {"schema 5: and no AUTOINCREMENT", "", {typed5}, false, 16384},
        {"  (no index at all, for scale)", "", {}, false, 16384},
        {"schema 5, the checkpoint after the commit", "", {typed5}, false, 16384, "WAL", true},
        {"schema 5, rollback journal (TRUNCATE)", "", {typed5}, false, 16384, "TRUNCATE"},
        {"schema 5, rollback journal, 1 GiB cache", "", {typed5}, false, 16384, "TRUNCATE", false, 1 << 20},
        {"schema 5, WAL, 1 GiB cache", "", {typed5}, false, 16384, "WAL", false, 1 << 20},
        {"schema 5, 32 KiB pages", "", {typed5}, false, 32768},
        {"schema 5, 64 KiB pages", "", {typed5}, false, 65536},
        {"schema 5, rollback journal, 32 KiB pages", "", {typed5}, false, 32768, "TRUNCATE"},
        {"schema 5, rollback journal, 64 KiB pages", "", {typed5}, false, 65536, "TRUNCATE"},
        {"schema 5, the checkpoint after the commit, 32 KiB pages", "", {typed5}, false, 32768, "WAL", true},
        {"schema 5, the checkpoint after the commit, 64 KiB pages", "", {typed5}, false, 65536, "WAL", true},
        {"schema 5, rollback journal (DELETE), 64 KiB pages", "", {typed5}, false, 65536, "DELETE"},
    };
    std::printf("%zu rows, one transaction, WAL, synchronous=FULL, SQLite %s\n", rows, sqlite3_libversion());
    for (std::size_t i = 0; i < layouts.size(); ++i)
        if (only < 0 || static_cast<std::size_t>(only) == i) run(layouts[i], rows, path);
}
