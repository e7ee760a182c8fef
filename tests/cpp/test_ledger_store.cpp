// The ledger's schema 3: migration of a real schema-2 file, only ledgers are
// ledgers (refused untouched), recordings and idempotence (also two processes at
// once), typed columns, the Merkle tree of the store, signed checkpoints and
// verify() against them.
#include "support.hpp"

#include <certigraph/ledger/checkpoint.hpp>
#include <certigraph/ledger/event_table.hpp>
#include <certigraph/ledger/ledger.hpp>

#include <catch2/catch.hpp>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

using namespace certigraph;
using namespace certigraph::ledger;
namespace fs = std::filesystem;
using certigraph::test::TempDir;

namespace {

Event exam(std::string candidate, const char* date, std::string bloc, bool validated, std::string session = "S1") {
    Event e;
    e.candidate = std::move(candidate);
    e.date = *Date::parse(date);
    e.session = std::move(session);
    e.route = Route::exam;
    e.referentiel = {"RNCP40514", "sha256:ref-v1"};
    e.policy_hash = "sha256:policy-v1";
    e.evidence = {"pv-" + e.session};
    e.body = BlocResult{std::move(bloc), validated};
    return e;
}

std::vector<Event> session(const std::string& id, int candidates) {
    std::vector<Event> out;
    for (int c = 0; c < candidates; ++c)
        for (int b = 1; b <= 4; ++b)
            out.push_back(exam("C" + std::to_string(c), "2026-06-12", "BC0" + std::to_string(b), (c + b) % 3 != 0, id));
    return out;
}

struct Raw {
    sqlite3* db = nullptr;
    explicit Raw(const fs::path& path) { REQUIRE(sqlite3_open(path.string().c_str(), &db) == SQLITE_OK); }
    ~Raw() { sqlite3_close(db); }
    int exec(const std::string& sql) { return sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr); }
    void must(const std::string& sql) {
        INFO(sql << ": " << sqlite3_errmsg(db));
        REQUIRE(exec(sql) == SQLITE_OK);
    }
    std::string text(const std::string& sql) {
        sqlite3_stmt* s = nullptr;
        REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) == SQLITE_OK);
        std::string out;
        if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
            out = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
        sqlite3_finalize(s);
        return out;
    }
};

std::string bytes_of(const fs::path& path) { return test::read_file(path); }

/// An Ed25519 key pair as PEM files, as `openssl genpkey -algorithm ed25519` and
/// `openssl pkey -pubout` write them.
void make_keys(const fs::path& private_pem, const fs::path& public_pem) {
    EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
    REQUIRE(key);
    std::FILE* f = std::fopen(private_pem.c_str(), "wb");
    REQUIRE(PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr) == 1);
    std::fclose(f);
    f = std::fopen(public_pem.c_str(), "wb");
    REQUIRE(PEM_write_PUBKEY(f, key) == 1);
    std::fclose(f);
    EVP_PKEY_free(key);
}

bool mentions(const std::vector<VerifyProblem>& problems, const std::string& text) {
    for (const auto& p : problems)
        if (p.problem.find(text) != std::string::npos) return true;
    return false;
}

std::string describe(const std::vector<VerifyProblem>& problems) {
    std::string out;
    for (const auto& p : problems) out += std::to_string(p.row) + " " + p.candidate + ": " + p.problem + "\n";
    return out;
}

}  // namespace

TEST_CASE("a schema-2 ledger made by the previous release migrates to schema 3, 4, then 5", "[ledger][migration]") {
    TempDir dir;
    const auto path = dir / "old.db";
    fs::copy_file(test::data("ledger/schema2.db"), path);
    std::string heads_before;
    {
        Raw raw(path);
        CHECK(raw.text("SELECT version FROM schema_version") == "2");
        heads_before = raw.text("SELECT group_concat(candidate || ':' || seq || ':' || hash, ',') FROM "
                                "(SELECT * FROM chain_heads ORDER BY candidate)");
    }
    SECTION("from version 2") {}
    SECTION("from version 1 (no chain heads, no triggers)") {
        Raw raw(path);
        raw.must("DROP TRIGGER events_append_only_update");
        raw.must("DROP TRIGGER events_append_only_delete");
        raw.must("DROP TABLE chain_heads");
        raw.must("UPDATE schema_version SET version = 1");
    }
    auto ledger = Ledger::open(path);
    CHECK(ledger.version() == 5);
    CHECK(ledger.size() == 36);
    CHECK(ledger.candidates().size() == 9);
    INFO(describe(ledger.verify()));
    CHECK(ledger.verify().empty());
    CHECK(ledger.id().size() == 32);
    {
        Raw raw(path);
        // The heads' hashes, now their 32 bytes (schema 5).
        CHECK(raw.text("SELECT group_concat(candidate || ':' || seq || ':' || lower(hex(hash)), ',') FROM "
                       "(SELECT * FROM chain_heads ORDER BY candidate)") == heads_before);
        // One `migration` recording holds the 36 events; the typed columns are filled.
        CHECK(raw.text("SELECT kind || ' ' || events || ' ' || first_event FROM recordings") == "migration 36 1");
        // 5 refusals in the session, 1 in new_events.jsonl; its 2 events without a bloc.
        CHECK(raw.text("SELECT count(*) FROM events WHERE kind = 'bloc_result' AND outcome = 0") == "6");
        CHECK(raw.text("SELECT group_concat(kind) FROM (SELECT kind FROM events WHERE bloc IS NULL ORDER BY id)") ==
              "language_certificate,attribute");
        CHECK(raw.text("SELECT day || ' ' || route || ' ' || session FROM events WHERE id = 1") == "20616 exam S2026-06");
        CHECK(raw.text("PRAGMA application_id") == std::to_string(0x43474C47));
        // Schema 4's columns: the certificate and the attribute of new_events.jsonl.
        CHECK(raw.text("SELECT group_concat(kind || ':' || name || ':' || value || ':' || coalesce(framework, '-') || ':' ||"
                       " coalesce(third_party, '-') || ':' || coalesce(start_day, '-'), ',') FROM"
                       " (SELECT * FROM events WHERE name IS NOT NULL ORDER BY id)") ==
              "language_certificate:en:B2:CEFR:1:19784,attribute:nationality:FR:-:-:-");
        CHECK(raw.exec("DELETE FROM events") != SQLITE_OK);
        CHECK(raw.exec("UPDATE recordings SET events = 1") != SQLITE_OK);
    }
    // The tree covers the migrated events: the root is that of their payloads.
    CHECK(ledger.checkpoint().size == 36);
    CHECK(ledger.checkpoint().root == ledger.root(36));
    // And the migrated ledger takes new recordings.
    const auto r = ledger.record(session("S2027-01", 2), {RecordingKind::graded_session, "S2027-01", "test"});
    CHECK(r.ids.front() == 37);
    CHECK(ledger.verify().empty());
}

/// Every event row's schema-3 content, its hash given as `hash` (hex text up to
/// schema 4, the 32 bytes since schema 5).
std::string every_row(const std::string& hash) {
    return "SELECT group_concat(id || ':' || candidate || ':' || seq || ':' || kind || ':' || day || ':'"
           " || coalesce(bloc, '-') || ':' || coalesce(outcome, '-') || ':' || " + hash + " || ':' ||"
           " hex(leaf) || ':' || payload, ',') FROM (SELECT * FROM events ORDER BY id)";
}

TEST_CASE("a schema-3 ledger migrates to schema 4 (typed columns for eligibility), then 5", "[ledger][migration]") {
    TempDir dir;
    const auto path = dir / "v3.db";
    fs::copy_file(test::data("ledger/schema3.db"), path);
    std::string before;
    const std::string everything = every_row("lower(hex(hash))");
    std::string recordings, id, frontier;
    {
        Raw raw(path);
        CHECK(raw.text("SELECT version FROM schema_version") == "3");
        before = raw.text(every_row("hash"));
        recordings = raw.text("SELECT group_concat(kind || content_hash, ',') FROM recordings");
        id = raw.text("SELECT id || hex(frontier) FROM ledger");
    }
    auto ledger = Ledger::open(path);
    CHECK(ledger.version() == 5);
    CHECK(ledger.size() == 46);
    INFO(describe(ledger.verify()));
    CHECK(ledger.verify().empty());
    {
        Raw raw(path);
        // Nothing of schema 3 changed: rows, hashes, leaves, recordings, the ledger's id and tree.
        CHECK(raw.text(everything) == before);
        CHECK(raw.text("SELECT group_concat(kind || content_hash, ',') FROM recordings") == recordings);
        CHECK(raw.text("SELECT id || hex(frontier) FROM ledger") == id);
        // The new columns, for C-0100's events (tests/data/ledger/schema3_events.jsonl).
        CHECK(raw.text("SELECT group_concat(kind || ':' || coalesce(name, '-') || ':' || coalesce(value, '-') || ':' ||"
                       " coalesce(framework, '-') || ':' || coalesce(third_party, '-') || ':' ||"
                       " coalesce(start_day, '-') || ':' || coalesce(end_day, '-'), ',') FROM"
                       " (SELECT * FROM events WHERE candidate = 'C-0100' ORDER BY id)") ==
              "path_start:-:-:-:-:-:-,attribute:nationality:IT:-:-:-:-,"
              "language_certificate:en:C1:CEFR:0:20103:-,mobility_period:-:-:-:-:20148:20238,"
              "work_period:-:-:-:-:19968:20331,vae_decision:-:-:-:-:-:-,bloc_credit:-:-:-:-:-:-,"
              "jury_decision:-:-:-:-:-:-,delivery_exception:-:-:-:-:-:-,correction:-:-:-:-:-:-");
        // The index Ledger::event_table() reads.
        CHECK(raw.text("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'events_typed'") == "1");
        // Still append-only.
        CHECK(raw.exec("UPDATE events SET name = 'x'") != SQLITE_OK);
        CHECK(raw.exec("DELETE FROM events") != SQLITE_OK);
    }
    // verify() compares the new columns with the payloads.
    {
        Raw raw(path);
        raw.must("DROP TRIGGER events_append_only_update");
        raw.must("UPDATE events SET value = 'FR' WHERE candidate = 'C-0100' AND kind = 'attribute'");
    }
    const auto problems = ledger.verify();
    CHECK(std::any_of(problems.begin(), problems.end(), [](const VerifyProblem& p) {
        return p.problem.find("typed name/value") != std::string::npos;
    }));
}

TEST_CASE("a schema-4 ledger made by the previous release migrates to schema 5", "[ledger][migration]") {
    TempDir dir;
    const auto path = dir / "v4.db";
    fs::copy_file(test::data("ledger/schema4.db"), path);
    std::string before, heads, recordings, id, typed;
    const char* typed_columns =
        "SELECT group_concat(kind || ':' || day || ':' || coalesce(bloc, '-') || ':' || coalesce(outcome, '-') || ':'"
        " || coalesce(name, '-') || ':' || coalesce(value, '-') || ':' || coalesce(framework, '-') || ':' ||"
        " coalesce(third_party, '-') || ':' || coalesce(start_day, '-') || ':' || coalesce(end_day, '-') || ':' ||"
        " route || ':' || session || ':' || date || ':' || recording, ',') FROM (SELECT * FROM events ORDER BY id)";
    {
        Raw raw(path);
        CHECK(raw.text("SELECT version FROM schema_version") == "4");
        before = raw.text(every_row("hash"));
        typed = raw.text(typed_columns);
        heads = raw.text("SELECT group_concat(candidate || ':' || seq || ':' || hash, ',') FROM "
                         "(SELECT * FROM chain_heads ORDER BY candidate)");
        recordings = raw.text("SELECT group_concat(id || kind || content_hash || first_event || events, ',') FROM recordings");
        id = raw.text("SELECT id || tree_size || hex(frontier) FROM ledger");
        CHECK(raw.text("SELECT count(*) FROM events WHERE kind = 'certification_decision'") == "3");
    }
    auto ledger = Ledger::open(path);
    CHECK(ledger.version() == 5);
    CHECK(ledger.size() == 49);
    INFO(describe(ledger.verify()));
    CHECK(ledger.verify().empty());
    {
        Raw raw(path);
        // Every row, payload, hash (now 32 bytes), leaf, typed column; the heads, the
        // recordings, the ledger's id and Merkle tree: unchanged.
        CHECK(raw.text(every_row("lower(hex(hash))")) == before);
        CHECK(raw.text(typed_columns) == typed);
        CHECK(raw.text("SELECT group_concat(candidate || ':' || seq || ':' || lower(hex(hash)), ',') FROM "
                       "(SELECT * FROM chain_heads ORDER BY candidate)") == heads);
        CHECK(raw.text("SELECT group_concat(id || kind || content_hash || first_event || events, ',') FROM recordings") ==
              recordings);
        CHECK(raw.text("SELECT id || tree_size || hex(frontier) FROM ledger") == id);
        // The lean layout: no prev_hash, one index on events, heads without rowid.
        CHECK(raw.text("SELECT count(*) FROM pragma_table_info('events') WHERE name = 'prev_hash'") == "0");
        CHECK(raw.text("SELECT group_concat(name) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events'") ==
              "events_typed");
        CHECK(raw.text("SELECT sql LIKE '%WITHOUT ROWID' FROM sqlite_master WHERE name = 'chain_heads'") == "1");
        CHECK(raw.text("SELECT count(*) FROM events WHERE length(hash) = 32 AND length(typed) >= 6") == "49");
        // Still append-only, with the same triggers verify() checks.
        CHECK(raw.exec("UPDATE events SET seq = 9") != SQLITE_OK);
        CHECK(raw.exec("DELETE FROM events") != SQLITE_OK);
    }
    // The packed records read back into the same table as the payloads.
    const EventTable from_file = ledger.event_table();
    const EventTable from_payloads = EventTable::from_events(ledger.all_events_by_candidate());
    CHECK(from_file.candidates == from_payloads.candidates);
    CHECK(from_file.kind == from_payloads.kind);
    CHECK(from_file.day == from_payloads.day);
    CHECK(from_file.bloc == from_payloads.bloc);
    CHECK(from_file.outcome == from_payloads.outcome);
    CHECK(from_file.name == from_payloads.name);
    CHECK(from_file.value == from_payloads.value);
    CHECK(from_file.strings == from_payloads.strings);
    CHECK(from_file.start_day == from_payloads.start_day);
    CHECK(from_file.objects == from_payloads.objects);
    // The migrated ledger takes new recordings, its chains continued.
    const auto r = ledger.record(session("S2027-01", 2), {RecordingKind::graded_session, "S2027-01", "test"});
    CHECK(r.ids.front() == 50);
    CHECK(ledger.verify().empty());
    // An edited typed record is named (eligibility from the file reads it).
    {
        Raw raw(path);
        raw.must("DROP TRIGGER events_append_only_update");
        raw.must("UPDATE events SET typed = X'0100' || substr(typed, 3) WHERE id = 1");
    }
    const auto problems = ledger.verify();
    INFO(describe(problems));
    REQUIRE(problems.size() >= 1);
    CHECK(std::any_of(problems.begin(), problems.end(), [](const VerifyProblem& p) {
        return p.row == 1 && p.problem.find("the typed record is not the payload's") != std::string::npos;
    }));
}

TEST_CASE("only ledgers are ledgers: anything else is refused, untouched", "[ledger][open]") {
    TempDir dir;
    SECTION("a missing file is not created") {
        CHECK_THROWS_WITH(Ledger::open(dir / "typo.db"), Catch::Contains("no ledger there"));
        CHECK_FALSE(fs::exists(dir / "typo.db"));
    }
    SECTION("an empty file") {
        std::ofstream(dir / "empty.db").close();
        CHECK_THROWS_AS(Ledger::open(dir / "empty.db"), NotALedger);
        CHECK_THROWS_WITH(Ledger::open(dir / "empty.db"), Catch::Contains("is an empty file (0 bytes)"));
        CHECK(fs::file_size(dir / "empty.db") == 0);
        CHECK_FALSE(fs::exists(dir / "empty.db-wal"));
        // `ledger init` (create) makes a ledger of an empty file.
        CHECK(Ledger::create(dir / "empty.db").version() == Ledger::schema_version);
    }
    SECTION("another application's SQLite database") {
        const auto path = dir / "notes.db";
        {
            Raw raw(path);
            raw.must("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes VALUES (1, 'x')");
        }
        const std::string before = bytes_of(path);
        CHECK_THROWS_WITH(Ledger::open(path), Catch::Contains("without the ledger's tables (it has notes)"));
        CHECK_THROWS_AS(Ledger::create(path), NotALedger);
        CHECK(bytes_of(path) == before);  // no table added, no WAL switch
        Raw raw(path);
        CHECK(raw.text("PRAGMA journal_mode") == "delete");
        CHECK(raw.text("SELECT count(*) FROM sqlite_master") == "1");
    }
    SECTION("another application's database with an application id") {
        const auto path = dir / "app.db";
        {
            Raw raw(path);
            raw.must("PRAGMA application_id = 1234; CREATE TABLE events (x); CREATE TABLE schema_version (version)");
        }
        CHECK_THROWS_WITH(Ledger::open(path), Catch::Contains("another application's SQLite database"));
    }
    SECTION("a truncated ledger") {
        const auto path = dir / "ledger.db";
        {
            auto ledger = Ledger::create(path);
            ledger.append(session("S1", 200));
        }
        REQUIRE_FALSE(fs::exists(path.string() + "-wal"));  // checkpointed at close
        const auto size = fs::file_size(path);
        fs::resize_file(path, size / 2);
        const std::string before = bytes_of(path);
        CHECK_THROWS_WITH(Ledger::open(path), Catch::Contains("is truncated"));
        CHECK(bytes_of(path) == before);
        fs::resize_file(path, 0);
        CHECK_THROWS_WITH(Ledger::open(path), Catch::Contains("empty file"));
    }
    SECTION("a text file, a directory") {
        std::ofstream(dir / "text.db") << "SQLite format 2, honestly\n";
        CHECK_THROWS_WITH(Ledger::open(dir / "text.db"), Catch::Contains("is not an SQLite database"));
        CHECK_THROWS_WITH(Ledger::open(dir.path), Catch::Contains("not a regular file"));
    }
}

TEST_CASE("ledger: recordings: the same content is recorded once, conflicts are refused", "[ledger][recording]") {
    TempDir dir;
    auto ledger = Ledger::create(dir / "ledger.db");
    const RecordingInfo info{RecordingKind::graded_session, "S1", "grades.csv"};
    const auto first = ledger.record(session("S1", 3), info);
    CHECK_FALSE(first.already);
    CHECK(first.ids.size() == 12);
    const auto again = ledger.record(session("S1", 3), info);
    CHECK(again.already);
    CHECK(again.recording == first.recording);
    CHECK(again.ids.empty());
    CHECK(ledger.size() == 12);
    SECTION("the same session with other content: its results are already on record") {
        auto other = session("S1", 4);  // one more candidate: other content, same results for C0..C2
        CHECK_THROWS_WITH(ledger.record(other, info),
                          Catch::Contains("event 0: session: candidate 'C0' already has a result for bloc BC01 in "
                                          "session 'S1' (event 1, recording 1)"));
        CHECK(ledger.size() == 12);
    }
    SECTION("two results for one candidate, bloc and session in one input") {
        auto batch = session("S2", 1);
        batch.push_back(exam("C0", "2026-06-12", "BC02", false, "S2"));
        CHECK_THROWS_WITH(ledger.record(batch, {RecordingKind::graded_session, "S2", "g.csv"}),
                          Catch::StartsWith("event 4: body/bloc: a second result for candidate 'C0', bloc BC02 in "
                                            "session 'S2' (the first is event 1 of this input)"));
    }
    SECTION("the same event twice in one input") {
        Event attribute = exam("C9", "2026-01-01", "x", true, "");
        attribute.body = Attribute{"nationality", "FR"};
        attribute.policy_hash.clear();
        const std::vector<Event> batch{attribute, attribute};
        CHECK_THROWS_WITH(ledger.record(batch, {RecordingKind::evidence_import, "", "e.jsonl"}),
                          Catch::StartsWith("event 1: : the same event as event 0 of this input"));
    }
    SECTION("Ledger::append is not idempotent (each call is its own recording)") {
        Event attribute = exam("C9", "2026-01-01", "x", true, "");
        attribute.body = Attribute{"nationality", "FR"};
        ledger.append(attribute);
        ledger.append(attribute);
        CHECK(ledger.size() == 14);
        CHECK(ledger.verify().empty());
    }
}

TEST_CASE("ledger: recordings: two processes recording the same session at once record it once", "[ledger][recording]") {
    TempDir dir;
    const auto path = dir / "race.db";
    Ledger::create(path);
    const auto batch = session("S1", 500);
    for (int round = 0; round < 3; ++round) {
        const std::string id = "R" + std::to_string(round);
        auto mine = session(id, 500);
        pid_t children[2];
        for (pid_t& child : children) {
            child = ::fork();
            REQUIRE(child >= 0);
            if (child == 0) {  // no Catch2 in the child
                int code = 0;
                try {
                    auto ledger = Ledger::open(path);
                    const auto r = ledger.record(mine, {RecordingKind::graded_session, id, "grades.csv"});
                    code = r.already ? 10 : 0;
                } catch (...) {
                    code = 3;
                }
                ::_exit(code);
            }
        }
        int codes[2];
        for (int i = 0; i < 2; ++i) {
            int status = 0;
            REQUIRE(::waitpid(children[i], &status, 0) == children[i]);
            REQUIRE(WIFEXITED(status));
            codes[i] = WEXITSTATUS(status);
        }
        INFO("round " << round << ": exit codes " << codes[0] << ", " << codes[1]);
        CHECK(((codes[0] == 0 && codes[1] == 10) || (codes[0] == 10 && codes[1] == 0)));
    }
    auto ledger = Ledger::open(path);
    CHECK(ledger.size() == 3 * 2000);
    CHECK(ledger.verify().empty());
}

TEST_CASE("ledger: the store's Merkle tree: roots, inclusion and consistency proofs", "[ledger][merkle]") {
    TempDir dir;
    auto ledger = Ledger::create(dir / "ledger.db");
    CHECK(ledger.checkpoint().size == 0);
    CHECK(ledger.checkpoint().root == merkle::empty_root());
    ledger.append(session("S1", 3));
    const Checkpoint old = ledger.checkpoint();
    ledger.append(session("S2", 2));
    const Checkpoint now = ledger.checkpoint();
    CHECK(now.size == 20);
    CHECK(old.root == ledger.root(12));
    CHECK(now.root == ledger.root(20));
    // The leaves are the RFC 9162 hashes of the payloads.
    std::vector<merkle::Hash> leaves;
    std::map<std::string, std::uint64_t> seq;
    for (const auto& e : ledger.all_events()) {
        const std::string payload = canonical_json(e, ++seq[e.candidate]);
        CHECK(ledger.leaf(e.id) == merkle::leaf_hash(payload));
        leaves.push_back(merkle::leaf_hash(payload));
    }
    CHECK(merkle::root(leaves) == now.root);
    for (EventId id = 1; id <= 20; ++id)
        CHECK(merkle::verify_inclusion(id - 1, 20, ledger.leaf(id), ledger.inclusion_proof(id, 20), now.root));
    CHECK(merkle::verify_consistency(12, 20, old.root, now.root, ledger.consistency_proof(12, 20)));
    CHECK_FALSE(merkle::verify_consistency(12, 20, now.root, now.root, ledger.consistency_proof(12, 20)));
}

TEST_CASE("ledger: checkpoints: signed with Ed25519, verified, and verify() against them", "[ledger][checkpoint]") {
    TempDir dir;
    make_keys(dir / "key.pem", dir / "pub.pem");
    make_keys(dir / "other.pem", dir / "other.pub.pem");
    const auto path = dir / "ledger.db";
    auto ledger = Ledger::create(path);
    ledger.append(session("S1", 3));
    Checkpoint c = ledger.checkpoint();
    c.time = "2026-07-01T09:00:00Z";
    const std::string note = sign_checkpoint(c, dir / "key.pem", "rncp.example/ledger");
    CHECK(note == sign_checkpoint(c, dir / "key.pem", "rncp.example/ledger"));  // deterministic
    CHECK(note.rfind(ledger.origin() + "\n12\n" + merkle::to_base64(c.root) + "\ntime 2026-07-01T09:00:00Z\n\n"
                                                                             "\xE2\x80\x94 rncp.example/ledger ",
                     0) == 0);
    CHECK(read_checkpoint(note, dir / "pub.pem") == c);
    SECTION("a checkpoint that was altered, or signed by another key, is refused") {
        std::string edited = note;
        edited.replace(edited.find("\n12\n"), 4, "\n11\n");
        CHECK_THROWS_WITH(read_checkpoint(edited, dir / "pub.pem", "cp"),
                          Catch::Contains("the signature does not verify"));
        CHECK_THROWS_WITH(read_checkpoint(note, dir / "other.pub.pem", "cp"),
                          Catch::Contains("no signature by the key"));
        CHECK_THROWS_AS(read_checkpoint("not a checkpoint", dir / "pub.pem", "cp"), ParseError);
        CHECK_THROWS_WITH(read_checkpoint(note, dir / "key.pem", "cp"), Catch::Contains("not a PEM public key"));
    }
    SECTION("the ledger grows: the checkpoint still verifies") {
        ledger.append(session("S2", 1));
        CHECK(ledger.verify(&c).empty());
    }
    SECTION("a checkpoint of another ledger, or covering more than the ledger") {
        Checkpoint other = c;
        other.origin = "certigraph.ledger/00000000000000000000000000000000";
        CHECK(mentions(ledger.verify(&other), "the checkpoint is of ledger"));
        Checkpoint more = c;
        more.size = 13;
        CHECK(mentions(ledger.verify(&more), "the checkpoint covers 13 events, the ledger holds 12"));
    }
    SECTION("events rewritten consistently (chains, heads, tree) still fail against the checkpoint") {
        // The attacker rewrites the last event of C2 and everything that depends on
        // it, as the library itself would have written it: the file alone then
        // looks intact; only the checkpoint tells.
        {
            Raw raw(path);
            raw.must("DROP TRIGGER events_append_only_update");
            raw.must("DROP TRIGGER events_append_only_delete");
            raw.must("DROP TRIGGER recordings_append_only_update");
            raw.must("DELETE FROM events WHERE id = 12");
            raw.must("UPDATE recordings SET events = 11");
        }
        // Not a consistent rewrite yet: the file alone shows it.
        const auto problems = Ledger::open(path).verify(&c);
        INFO(describe(problems));
        CHECK(mentions(problems, "trigger events_append_only_update is missing"));
        CHECK(mentions(problems, "the checkpoint covers 12 events, the ledger holds 11"));
    }
}

TEST_CASE("a large batch (prepared on a second thread) is recorded as small ones would be", "[ledger][record]") {
    TempDir dir;
    // 12,000 events, interleaved candidates (chains cross the pass-2 publishing steps),
    // some of them with a history already in the ledger.
    std::vector<Event> before = session("S0", 50);
    std::vector<Event> batch;
    for (int round = 0; round < 3; ++round)
        for (const Event& e : session("S" + std::to_string(round + 1), 1000)) batch.push_back(e);
    auto one = Ledger::create(dir / "one.db");
    auto many = Ledger::create(dir / "many.db");
    one.append(before);
    many.append(before);
    one.append(batch);  // one batch: the threaded path
    for (std::size_t at = 0; at < batch.size(); at += 1000)
        many.append(std::span<const Event>(batch).subspan(at, std::min<std::size_t>(1000, batch.size() - at)));
    REQUIRE(one.verify().empty());
    REQUIRE(many.verify().empty());
    std::ostringstream a, b;
    one.export_jsonl(a);
    many.export_jsonl(b);
    CHECK(a.str() == b.str());  // ids, seqs, payloads and chain hashes
    CHECK(one.checkpoint().root == many.checkpoint().root);
    CHECK(one.head("C999") == many.head("C999"));
    CHECK(one.head("C7") == many.head("C7"));

    SECTION("a bad line found by pass 2 names its line, and nothing is recorded") {
        std::string text = a.str();
        // Line 9,001's hash edited (the first hex digit of its "hash" changed).
        std::size_t at = 0;
        for (int line = 1; line < 9001; ++line) at = text.find('\n', at) + 1;
        const std::size_t hash = text.find("\"hash\":\"", at) + 8;
        REQUIRE(hash < text.find('\n', at));
        text[hash] = text[hash] == '0' ? '1' : '0';
        auto replica = Ledger::create(dir / "replica.db");
        std::istringstream in(text);
        CHECK_THROWS_WITH(replica.import_jsonl(in, "edited.jsonl"),
                          Catch::StartsWith("edited.jsonl:9001: at /hash: the hash does not match"));
        CHECK(replica.size() == 0);
        CHECK(replica.verify().empty());
    }
    SECTION("verify() reads in chunks on one thread and checks on another: problems deep in it, in row order") {
        {
            Raw raw(dir / "one.db");
            raw.must("DROP TRIGGER events_append_only_update");
            raw.must("UPDATE events SET payload = replace(payload, 'pv-', 'PV-') WHERE id IN (4099, 9001)");
        }
        const auto problems = Ledger::open(dir / "one.db").verify();
        INFO(describe(problems));
        std::vector<std::int64_t> rows;
        for (const auto& p : problems)
            if (p.problem.find("the hash does not match the payload") != std::string::npos) rows.push_back(p.row);
        CHECK(rows.size() >= 2);
        CHECK(std::is_sorted(rows.begin(), rows.end()));
        CHECK(std::find(rows.begin(), rows.end(), 4099) != rows.end());
        CHECK(std::find(rows.begin(), rows.end(), 9001) != rows.end());
    }
}

TEST_CASE("a bulk recording is written under a rollback journal when the ledger is not open elsewhere",
          "[ledger][record][journal]") {
    TempDir dir;
    // Ledger::bulk_events events or more: the batch's pages are written once, straight
    // into the file; the WAL comes back after it.
    std::vector<Event> batch;
    for (int round = 0; batch.size() < Ledger::bulk_events; ++round)
        for (const Event& e : session("S" + std::to_string(round), 1000)) batch.push_back(e);
    const auto wal_bytes = [](const fs::path& db) {
        std::error_code error;
        const auto size = fs::file_size(db.string() + "-wal", error);
        return error ? std::uintmax_t{0} : size;
    };
    std::string alone;
    {
        auto ledger = Ledger::create(dir / "alone.db");
        ledger.append(batch);
        CHECK(wal_bytes(dir / "alone.db") < (1u << 20));  // the batch (≈ 40 MB) did not go through the WAL
        CHECK_FALSE(fs::exists(dir / "alone.db-journal"));
        Raw raw(dir / "alone.db");
        CHECK(raw.text("PRAGMA journal_mode") == "wal");
        CHECK(ledger.verify().empty());
        std::ostringstream out;
        ledger.export_jsonl(out);
        alone = out.str();
    }
    SECTION("with another connection open, the batch goes through the WAL, and the rows are the same") {
        auto ledger = Ledger::create(dir / "shared.db");
        Raw reader(dir / "shared.db");
        CHECK(reader.text("SELECT count(*) FROM events") == "0");
        ledger.append(batch);
        CHECK(wal_bytes(dir / "shared.db") > (10u << 20));
        CHECK(reader.text("SELECT count(*) FROM events") == std::to_string(batch.size()));
        std::ostringstream out;
        ledger.export_jsonl(out);
        CHECK(out.str() == alone);
        CHECK(ledger.verify().empty());
    }
    SECTION("a refused batch leaves nothing, and the WAL back") {
        auto ledger = Ledger::open(dir / "alone.db");
        std::vector<Event> again = batch;  // the same (candidate, session, bloc) again: refused at the end
        again.back().candidate = "";      // invalid: check_event refuses it before the transaction
        CHECK_THROWS_AS(ledger.append(again), InvalidEvent);
        std::vector<Event> second = batch;  // valid events; a correction of an unknown event at the end
        Event correction = second.back();
        correction.body = Correction{999'999'999, "test", std::nullopt};
        second.back() = correction;
        CHECK_THROWS_AS(ledger.append(second), InvalidEvent);
        CHECK(ledger.size() == batch.size());
        Raw raw(dir / "alone.db");
        CHECK(raw.text("PRAGMA journal_mode") == "wal");
        CHECK(ledger.verify().empty());
    }
}

TEST_CASE("verify() proves that the index eligibility reads holds the rows", "[ledger][verify]") {
    TempDir dir;
    const auto path = dir / "index.db";
    {
        auto ledger = Ledger::create(path);
        ledger.append(session("S1", 40));
        REQUIRE(ledger.verify().empty());
    }
    SECTION("an entry of the index edited in the file: the row is named") {
        // Event 57 (candidate C14, seq 1) in the index: its entry's values follow each
        // other in the file as candidate, seq (the integer 1 takes no byte), typed
        // record, row id. The entry's outcome byte (after the typed record's kind,
        // flags and 4-byte day) is flipped; its row is left alone.
        std::string typed;
        {
            Raw raw(path);
            REQUIRE(raw.text("SELECT candidate || ' ' || seq FROM events WHERE id = 57") == "C14 1");
            typed = raw.text("SELECT hex(typed) FROM events WHERE id = 57");
        }
        std::string entry = "C14";
        for (std::size_t i = 0; i < typed.size(); i += 2)
            entry += static_cast<char>(std::stoi(typed.substr(i, 2), nullptr, 16));
        entry += '\x39';  // row id 57
        std::string file = bytes_of(path);
        const std::size_t at = file.find(entry);
        REQUIRE(at != std::string::npos);
        REQUIRE(file.find(entry, at + 1) == std::string::npos);
        const std::size_t outcome = at + 3 + 6;
        REQUIRE((file[outcome] == '\x00' || file[outcome] == '\x01'));
        file[outcome] = file[outcome] == '\x01' ? '\x00' : '\x01';
        std::ofstream(path, std::ios::binary | std::ios::trunc) << file;
        const auto problems = Ledger::open(path).verify();
        INFO(describe(problems));
        REQUIRE(problems.size() == 1);
        CHECK(problems[0].row == 57);
        CHECK(problems[0].candidate == "C14");
        CHECK(problems[0].problem.find("the index events_typed does not hold the row's candidate, seq and typed record") == 0);
    }
    SECTION("the index replaced by another of the same name") {
        {
            Raw raw(path);
            raw.must("DROP INDEX events_typed");
            raw.must("CREATE INDEX events_typed ON events (candidate, seq)");
        }
        const auto problems = Ledger::open(path).verify();
        INFO(describe(problems));
        CHECK(mentions(problems, "the index events_typed is not the ledger's (replaced: the file was altered)"));
    }
    SECTION("the index dropped") {
        {
            Raw raw(path);
            raw.must("DROP INDEX events_typed");
        }
        const auto problems = Ledger::open(path).verify();
        INFO(describe(problems));
        CHECK(mentions(problems, "the index events_typed is missing (dropped: the file was altered)"));
    }
}

TEST_CASE("ledger vacuum: a migrated file gets 64 KiB pages and gives its free pages back, all else the same",
          "[ledger][vacuum]") {
    TempDir dir;
    const auto path = dir / "v4.db";
    fs::copy_file(test::data("ledger/schema4.db"), path);
    std::string exported, id;
    Checkpoint before;
    {
        auto ledger = Ledger::open(path);  // migrated to 5: the old table's pages are free now
        {
            Raw raw(path);
            CHECK(raw.text("PRAGMA freelist_count") != "0");
        }
        ledger.append(session("S9", 30));
        std::ostringstream out;
        ledger.export_jsonl(out);
        exported = out.str();
        id = ledger.id();
        before = ledger.checkpoint();
        Raw raw(path);
        CHECK(raw.text("PRAGMA page_size") == "4096");
        SECTION("refused while another connection reads the file, and nothing changes") {
            CHECK(raw.text("SELECT count(*) FROM events") == std::to_string(before.size));
            CHECK_THROWS_WITH(ledger.vacuum(), Catch::Contains("cannot vacuum the ledger while another process is reading it"));
            CHECK(raw.text("PRAGMA page_size") == "4096");
            CHECK(raw.text("PRAGMA journal_mode") == "wal");
            return;
        }
    }
    {
        auto ledger = Ledger::open(path);
        ledger.vacuum();
        CHECK(ledger.verify().empty());
        std::ostringstream out;
        ledger.export_jsonl(out);
        CHECK(out.str() == exported);  // ids, seqs, payloads, hashes
        CHECK(ledger.id() == id);
        CHECK(ledger.checkpoint().root == before.root);
        CHECK(ledger.checkpoint().size == before.size);
        ledger.append(exam("V", "2026-07-01", "BC01", true, "S10"));  // still a ledger that records
        CHECK(ledger.verify().empty());
    }
    Raw raw(path);
    CHECK(raw.text("PRAGMA page_size") == "65536");
    CHECK(raw.text("PRAGMA freelist_count") == "0");
    CHECK(raw.text("PRAGMA journal_mode") == "wal");
    CHECK(raw.text("PRAGMA application_id") == std::to_string(0x43474C47));
}
