// The capitalisation ledger: append and read back, all-or-nothing batches, schema
// migrations, the hash chain and verify(), JSON lines, a kill -9 during a write,
// and the capitalisation state as of a date (scenarios and a shuffle property).
#include "support.hpp"

#include <certigraph/ledger/event.hpp>
#include <certigraph/ledger/ledger.hpp>
#include <certigraph/ledger/state.hpp>

#include "io/json_reader.hpp"
#include "ledger/event_json.hpp"

#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

using namespace certigraph;
using namespace certigraph::ledger;
namespace fs = std::filesystem;
using certigraph::test::TempDir;

namespace {

Date d(const char* text) { return *Date::parse(text); }

Event make(std::string candidate, const char* date, Event::Body body, Route route,
           std::string session = "S1", EventId id = 0) {
    Event e;
    e.id = id;
    e.candidate = std::move(candidate);
    e.date = d(date);
    e.session = std::move(session);
    e.route = route;
    e.referentiel = {"RNCP40514", "sha256:ref-v1"};
    e.policy_hash = "sha256:policy-v1";
    e.evidence = {"pv-" + e.session};
    e.body = std::move(body);
    return e;
}

Event exam(std::string candidate, const char* date, std::string bloc, bool validated,
           std::string session = "S1", EventId id = 0) {
    return make(std::move(candidate), date, BlocResult{std::move(bloc), validated}, Route::exam,
                std::move(session), id);
}

/// Raw SQLite access, to tamper with a ledger file as an attacker would.
struct Raw {
    sqlite3* db = nullptr;
    explicit Raw(const fs::path& path) { REQUIRE(sqlite3_open(path.string().c_str(), &db) == SQLITE_OK); }
    ~Raw() { sqlite3_close(db); }
    int exec(const std::string& sql) { return sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr); }
    void must(const std::string& sql) {
        INFO(sql << ": " << sqlite3_errmsg(db));
        REQUIRE(exec(sql) == SQLITE_OK);
    }
    void unprotect() {
        must("DROP TRIGGER events_append_only_update");
        must("DROP TRIGGER events_append_only_delete");
    }
};

/// Three events of A, two of B, interleaved.
std::vector<Event> sample() {
    return {exam("A", "2024-06-12", "BC01", false, "S1"), exam("B", "2024-06-12", "BC01", true, "S1"),
            exam("A", "2024-06-12", "BC02", true, "S1"), exam("A", "2024-11-20", "BC01", true, "S2"),
            exam("B", "2024-11-20", "BC02", true, "S2")};
}

bool mentions(const std::vector<VerifyProblem>& problems, std::int64_t row, const std::string& text) {
    for (const auto& p : problems)
        if (p.row == row && p.problem.find(text) != std::string::npos) return true;
    return false;
}

/// The problems of the per-candidate chains only: without those of the whole file
/// (missing triggers, counts, the Merkle tree; test_ledger_store.cpp checks those)
/// and the leaf hashes.
std::vector<VerifyProblem> chain_problems(const std::vector<VerifyProblem>& all) {
    std::vector<VerifyProblem> out;
    for (const auto& p : all)
        if (!p.candidate.empty() && p.problem.find("Merkle") == std::string::npos) out.push_back(p);
    return out;
}

std::string describe(const std::vector<VerifyProblem>& problems) {
    std::string out;
    for (const auto& p : problems) out += std::to_string(p.row) + " " + p.candidate + ": " + p.problem + "\n";
    return out;
}

}  // namespace

TEST_CASE("events are appended with monotone ids and read back", "[ledger]") {
    TempDir dir;
    const auto path = dir / "ledger.sqlite";
    std::vector<EventId> ids;
    {
        auto ledger = Ledger::create(path);
        CHECK(ledger.version() == Ledger::schema_version);
        CHECK(ledger.size() == 0);
        ids = ledger.append(sample());
        CHECK(ids == std::vector<EventId>{1, 2, 3, 4, 5});
        CHECK(ledger.append(exam("B", "2025-01-10", "BC03", true, "S3")) == 6);
    }
    auto ledger = Ledger::open(path);  // persisted
    CHECK(ledger.size() == 6);
    CHECK(ledger.candidates() == std::vector<std::string>{"A", "B"});
    const auto a = ledger.events("A");
    REQUIRE(a.size() == 3);
    auto expected = sample();
    expected[0].id = 1;
    expected[2].id = 3;
    expected[3].id = 4;
    CHECK(a[0] == expected[0]);
    CHECK(a[1] == expected[2]);
    CHECK(a[2] == expected[3]);
    CHECK(ledger.all_events().size() == 6);
    CHECK(ledger.events("nobody").empty());
    CHECK(ledger.head("A").size() == 64);
    CHECK(ledger.head("nobody").empty());
    CHECK(ledger.verify().empty());

    // Every kind survives the trip through the store.
    std::vector<Event> kinds{
        make("C", "2024-03-01", VaeDecision{{"BC01", "BC02"}, {"BC03"}, "BC03: dossier"}, Route::vae, "J1"),
        make("C", "2024-03-02", BlocCredit{"BC04", "RNCP35340", {"RNCP35340BC02"}, "rncp_export", "att-7"},
             Route::correspondence, ""),
        make("C", "2024-03-03", JuryDecision{"BC03", true, "S1", "dossier complété en séance"},
             Route::jury_decision, "J2"),
        make("C", "2024-03-04",
             LanguageCertificate{"en", "CEFR", "B2", "ETS (TOEIC)", true, d("2024-02-01")}, Route::exam, ""),
        make("C", "2024-03-05", MobilityPeriod{d("2023-01-01"), d("2023-01-14"), "DE"}, Route::exam, ""),
        make("C", "2024-03-06", WorkPeriod{d("2023-02-01"), d("2023-07-31"), "ACME"}, Route::exam, ""),
        make("C", "2024-03-07", Attribute{"nationality", "FR"}, Route::exam, ""),
    };
    const auto kind_ids = ledger.append(kinds);
    kinds.push_back(make("C", "2024-03-08",
                         Correction{kind_ids[0], "acquis mal saisis",
                                    VaeDecision{{"BC01"}, {"BC02", "BC03"}, ""}},
                         Route::vae, "J1"));
    ledger.append(kinds.back());
    const auto back = ledger.events("C");
    REQUIRE(back.size() == kinds.size());
    for (std::size_t i = 0; i < kinds.size(); ++i) {
        kinds[i].id = back[i].id;
        CHECK(back[i] == kinds[i]);
    }
    CHECK(ledger.verify().empty());
}

TEST_CASE("a bulk append is all or nothing and names the bad event and field", "[ledger]") {
    TempDir dir;
    auto ledger = Ledger::create(dir / "ledger.sqlite");
    ledger.append(exam("A", "2024-01-10", "BC01", true));

    auto batch = sample();
    SECTION("a missing bloc code") {
        std::get<BlocResult>(batch[2].body).bloc.clear();
        try {
            ledger.append(batch);
            FAIL("no exception");
        } catch (const InvalidEvent& e) {
            CHECK(e.index() == 2);
            CHECK(e.field() == "body/bloc");
            CHECK(std::string(e.what()) == "event 2: body/bloc: must not be empty");
        }
    }
    SECTION("a jury decision without a reason") {
        batch[3] = make("A", "2024-11-21", JuryDecision{"BC01", true, "S2", ""}, Route::jury_decision, "J1");
        CHECK_THROWS_MATCHES(ledger.append(batch), InvalidEvent,
                             Catch::Matchers::Message("event 3: body/reason: must not be empty"));
    }
    SECTION("a route that does not fit the kind") {
        batch[1].route = Route::vae;
        CHECK_THROWS_WITH(ledger.append(batch), Catch::Contains("event 1: route:"));
    }
    SECTION("a correction naming an unknown event (checked against the store)") {
        batch[3] = make("A", "2024-11-21", Correction{99, "typo", std::nullopt}, Route::exam);
        CHECK_THROWS_WITH(ledger.append(batch), "event 3: body/supersedes: no event 99 in this ledger");
    }
    SECTION("a correction naming another candidate's event") {
        batch[3] = make("B", "2024-11-21", Correction{1, "typo", std::nullopt}, Route::exam);
        CHECK_THROWS_WITH(ledger.append(batch), Catch::Contains("is of candidate 'A', not 'B'"));
    }
    SECTION("a correction dated before the event it supersedes") {
        batch[3] = make("A", "2024-01-09", Correction{1, "typo", std::nullopt}, Route::exam);
        CHECK_THROWS_WITH(ledger.append(batch),
                          "event 3: date: a correction dated 2024-01-09 cannot supersede event 1 dated "
                          "2024-01-10; date it on or after 2024-01-10");
    }
    SECTION("a correction whose replacement is of another kind") {
        batch[3] = make("A", "2024-11-21", Correction{1, "typo", Attribute{"nationality", "FR"}}, Route::exam);
        CHECK_THROWS_WITH(ledger.append(batch), Catch::Contains("event 3: body/replacement/kind: event 1 is a "
                                                                "bloc_result; its replacement must be one too"));
    }
    SECTION("a replaced certificate issued after the event it replaces (batch target)") {
        batch[0] = make("A", "2024-03-01", LanguageCertificate{"en", "CEFR", "B1", "ETS", true, d("2024-03-01")},
                        Route::exam);
        batch[3] = make("A", "2024-11-21",
                        Correction{2, "level", LanguageCertificate{"en", "CEFR", "C2", "ETS", true, d("2024-12-01")}},
                        Route::exam);
        CHECK_THROWS_WITH(ledger.append(batch), Catch::Contains("event 3: body/replacement/body/issued: issued "
                                                                "2024-12-01, after the date of the event"));
    }
    SECTION("a period that ends before it starts") {
        batch[4] = make("B", "2024-11-21", WorkPeriod{d("2024-02-01"), d("2024-01-01"), ""}, Route::exam);
        CHECK_THROWS_WITH(ledger.append(batch), Catch::Contains("event 4: body/end:"));
    }
    CHECK(ledger.size() == 1);  // nothing of the batch
    CHECK(ledger.verify().empty());
    // The next good batch takes the next ids: nothing was half-recorded.
    CHECK(ledger.append(sample()).front() == 2);
    CHECK(ledger.verify().empty());
}

TEST_CASE("the schema is versioned: a newer one is refused; triggers make events append-only", "[ledger]") {
    TempDir dir;
    const auto path = dir / "ledger.sqlite";
    std::string head_a;
    {
        auto ledger = Ledger::create(path);
        ledger.append(sample());
        head_a = ledger.head("A");
    }
    {
        Raw raw(path);
        int mode_ok = 0;
        sqlite3_exec(raw.db, "PRAGMA journal_mode",
                     [](void* ok, int, char** values, char**) {
                         *static_cast<int*>(ok) = std::string(values[0]) == "wal";
                         return 0;
                     },
                     &mode_ok, nullptr);
        CHECK(mode_ok == 1);
        CHECK(raw.exec("UPDATE events SET date = '2000-01-01'") != SQLITE_OK);  // append-only
        CHECK(raw.exec("DELETE FROM events") != SQLITE_OK);
    }
    SECTION("a newer schema is refused, the file untouched") {
        {
            Raw raw(path);
            raw.must("UPDATE schema_version SET version = " + std::to_string(Ledger::schema_version + 1));
        }
        CHECK_THROWS_AS(Ledger::open(path), LedgerError);
        CHECK_THROWS_WITH(Ledger::open(path), Catch::Contains("schema version is " +
                                                              std::to_string(Ledger::schema_version + 1) +
                                                              ", newer than this certigraph supports (" +
                                                              std::to_string(Ledger::schema_version) + ")"));
        Raw raw(path);
        CHECK(raw.exec("SELECT 1") == SQLITE_OK);
    }
    SECTION("a file that is not a ledger") {
        const auto other = dir / "not-a-db.sqlite";
        std::ofstream(other) << "this is not a SQLite database, not at all, not even a little bit\n";
        CHECK_THROWS_AS(Ledger::open(other), NotALedger);
    }
}

TEST_CASE("verify() finds an edited payload, a deleted or reordered row, a forged hash", "[ledger]") {
    TempDir dir;
    const auto path = dir / "ledger.sqlite";
    {
        auto ledger = Ledger::create(path);
        ledger.append(sample());  // A: rows 1, 3, 4; B: rows 2, 5
        REQUIRE(ledger.verify().empty());
    }
    Raw raw(path);
    raw.unprotect();
    SECTION("an edited payload") {
        raw.must("UPDATE events SET payload = replace(payload, '\"validated\":false', '\"validated\":true')"
                 " WHERE id = 1");
        const auto problems = chain_problems(Ledger::open(path).verify());
        INFO(describe(problems));
        CHECK(mentions(problems, 1, "the hash does not match the payload"));
        CHECK(mentions(problems, 1, "the typed bloc/outcome columns are not the payload's"));
        CHECK(mentions(problems, 1, "the typed record is not the payload's"));
        CHECK(problems.size() == 3);
    }
    SECTION("an edited payload whose hash was recomputed breaks the next link") {
        raw.must("UPDATE events SET payload = replace(payload, '\"validated\":false', '\"validated\":true')"
                 " WHERE id = 1");
        // The attacker recomputes row 1's hash (from genesis, 32 zero bytes), but row
        // 3's hash was computed from the old one.
        sqlite3_stmt* s = nullptr;
        sqlite3_prepare_v2(raw.db, "SELECT payload FROM events WHERE id = 1", -1, &s, nullptr);
        REQUIRE(sqlite3_step(s) == SQLITE_ROW);
        std::string payload(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)));
        sqlite3_finalize(s);
        raw.must("UPDATE events SET hash = X'" + sha256_hex(std::string(32, '\0') + payload) + "' WHERE id = 1");
        const auto problems = chain_problems(Ledger::open(path).verify());
        INFO(describe(problems));
        CHECK(mentions(problems, 3, "the hash of the chain's row before (row 1)"));
        CHECK_FALSE(mentions(problems, 1, "hash does not match"));
    }
    SECTION("a payload with the same content, not in canonical form") {
        // verify() reads canonical bloc results by their layout: anything else goes
        // through the event readers, which name what is wrong.
        raw.must("UPDATE events SET payload = replace(payload, '\"bloc\":', '\"bloc\": ') WHERE id = 1");
        const auto problems = chain_problems(Ledger::open(path).verify());
        INFO(describe(problems));
        CHECK(mentions(problems, 1, "the payload is not in canonical form"));
        CHECK(mentions(problems, 1, "the hash does not match the payload"));
        CHECK(problems.size() == 2);
    }
    SECTION("a payload that is not an event") {
        raw.must("UPDATE events SET payload = replace(payload, '\"kind\":\"bloc_result\"', '\"kind\":\"bloc\"')"
                 " WHERE id = 1");
        const auto problems = chain_problems(Ledger::open(path).verify());
        INFO(describe(problems));
        CHECK(mentions(problems, 1, "the payload is not a readable event"));
    }
    SECTION("a deleted row") {
        raw.must("DELETE FROM events WHERE id = 3");
        const auto problems = chain_problems(Ledger::open(path).verify());
        INFO(describe(problems));
        CHECK(mentions(problems, 4, "the hash of the chain's row before (row 1)"));
        CHECK(mentions(problems, 4, "sequence number 3 follows 1"));
    }
    SECTION("the chain's last row deleted") {
        raw.must("DELETE FROM events WHERE id = 5");
        const auto problems = chain_problems(Ledger::open(path).verify());
        INFO(describe(problems));
        REQUIRE(problems.size() == 1);
        CHECK(problems[0].candidate == "B");
        CHECK(problems[0].problem.find("chain head records 2 events, the chain ends at 1") != std::string::npos);
    }
    SECTION("two rows swapped") {
        raw.must("UPDATE events SET id = 100 WHERE id = 3");
        raw.must("UPDATE events SET id = 3 WHERE id = 4");
        raw.must("UPDATE events SET id = 4 WHERE id = 100");
        const auto problems = chain_problems(Ledger::open(path).verify());
        INFO(describe(problems));
        CHECK(mentions(problems, 3, "the hash does not match the payload and the hash of the chain's row before"));
        CHECK(mentions(problems, 3, "the payload's id is not the row's id"));
    }
    SECTION("a forged hash") {
        raw.must("UPDATE events SET hash = X'" + sha256_hex("forged") + "' WHERE id = 2");
        const auto problems = chain_problems(Ledger::open(path).verify());
        INFO(describe(problems));
        CHECK(mentions(problems, 2, "the hash does not match the payload"));
        CHECK(mentions(problems, 5, "the hash of the chain's row before (row 2)"));
        CHECK(problems.size() == 2);
    }
}

TEST_CASE("JSON lines: export, import round trip, line-numbered errors, all or nothing", "[ledger]") {
    TempDir dir;
    auto source = Ledger::create(dir / "source.sqlite");
    source.append(sample());
    const auto id = source.append(make("A", "2024-12-01", Attribute{"nationality", "FR"}, Route::exam, ""));
    source.append(make("A", "2024-12-02", Correction{id, "nationalité mal saisie", Attribute{"nationality", "BE"}},
                       Route::exam, ""));
    std::ostringstream exported;
    source.export_jsonl(exported);
    const std::string text = exported.str();
    CHECK(std::count(text.begin(), text.end(), '\n') == 7);
    CHECK(text.rfind("{\"body\":{\"bloc\":\"BC01\",\"validated\":false},\"candidate\":\"A\",", 0) == 0);

    auto copy = Ledger::create(dir / "copy.sqlite");
    std::istringstream in(text);
    CHECK(copy.import_jsonl(in, "export.jsonl") == 7);
    CHECK(copy.all_events() == source.all_events());
    CHECK(copy.head("A") == source.head("A"));
    CHECK(copy.verify().empty());
    std::ostringstream again;
    copy.export_jsonl(again);
    CHECK(again.str() == text);

    SECTION("replaying the same lines records nothing: the same content is already there") {
        std::istringstream twice(text);
        const auto r = copy.import_jsonl_recording(twice, "export.jsonl");
        CHECK(r.already);
        CHECK(r.ids.empty());
        CHECK(copy.size() == 7);
    }
    SECTION("a replicated line must continue the ledger without a gap") {
        auto other = Ledger::create(dir / "other.sqlite");
        std::string line = text.substr(0, text.find('\n') + 1);
        line.replace(line.find("\"id\":1,"), 7, "\"id\":2,");
        std::istringstream gap(line);
        CHECK_THROWS_WITH(other.import_jsonl(gap, "gap.jsonl"),
                          "gap.jsonl:1: at /id: id 2 is not this ledger's next id 1 (a replica continues the "
                          "ledger without gaps)");
    }
    SECTION("an edited line is refused by its hash") {
        std::string edited = text;
        edited.replace(edited.find("\"validated\":false"), 17, "\"validated\":true");
        auto other = Ledger::create(dir / "other.sqlite");
        std::istringstream lines(edited);
        CHECK_THROWS_WITH(other.import_jsonl(lines, "edited.jsonl"),
                          Catch::StartsWith("edited.jsonl:1: at /hash: the hash does not match"));
        CHECK(other.size() == 0);
    }
    SECTION("errors name the line; nothing is recorded") {
        auto other = Ledger::create(dir / "other.sqlite");
        std::istringstream fixture(test::read_file(test::data("ledger/new_events.jsonl")));
        CHECK(other.import_jsonl(fixture, "new_events.jsonl") == 5);
        const std::string good =
            R"({"body":{"bloc":"BC09","validated":true},"candidate":"A","date":"2025-01-01","kind":"bloc_result","policy_hash":"p","referentiel":{"content_hash":"h","fiche":"RNCP40514"},"route":"exam","session":"S9"})";
        auto import = [&](const std::string& lines) {
            std::istringstream s(lines);
            return other.import_jsonl(s, "in.jsonl");
        };
        CHECK_THROWS_WITH(import(good + "\n" + good + "\n{\"candidate\":\n"),
                          Catch::StartsWith("in.jsonl:3:"));
        std::string unknown = good;
        unknown.replace(unknown.find("\"validated\""), 11, "\"valid\"");
        CHECK_THROWS_WITH(import(good + "\n\n" + unknown + "\n"),
                          Catch::StartsWith("in.jsonl:3: at /body: missing required key 'validated'") ||
                              Catch::StartsWith("in.jsonl:3: at /body/valid: unknown key"));
        std::string invalid = good;
        invalid.replace(invalid.find("\"session\":\"S9\""), 14, "\"session\":\"\"");
        CHECK_THROWS_WITH(import(good + "\n" + invalid + "\n"),
                          "in.jsonl:2: at /session: must not be empty");
        CHECK(other.size() == 5);
        // The same event twice in one input is refused, naming both lines.
        CHECK_THROWS_WITH(import(good + "\n\n" + good + "\n"),
                          "in.jsonl:3: the same event as line 1 (recorded once)");
        CHECK(import(good + "\n") == 1);
        CHECK(import(good + "\n") == 0);  // already recorded: nothing added
        std::string other_bloc = good;
        other_bloc.replace(other_bloc.find("BC09"), 4, "BC08");
        CHECK(import(other_bloc + "\n") == 1);
        CHECK(other.size() == 7);
        CHECK(other.verify().empty());
    }
}

TEST_CASE("a kill -9 during a bulk append leaves all of the batch or none of it", "[ledger]") {
    TempDir dir;
    const auto path = dir / "crash.sqlite";
    {
        auto ledger = Ledger::create(path);
        ledger.append(sample());
    }
    // A batch of 20,000 events goes through the WAL; one of Ledger::bulk_events or more
    // under a rollback journal, its pages written straight into the file (a kill then
    // leaves a hot journal, which the next open rolls back).
    struct Case {
        std::size_t batch_size;
        fs::path grows;  ///< the file the batch's pages spill into
        std::uintmax_t from;  ///< its size before the batch
    };
    const std::uintmax_t before_bulk = fs::file_size(path);
    const Case cases[] = {{20'000, path.string() + "-wal", 0}, {Ledger::bulk_events + 4'464, path, before_bulk}};
    // When to kill: after a delay in ms (>= 0), once the file has grown by more than a
    // size in bytes (< 0: -size; the transaction's pages are spilling into it), or never.
    struct Kill {
        long long when;
        bool never = false;
    };
    for (const Case& c : cases) {
        int none = 0, all = 0, spill_kills = 0;
        for (Kill kill : {Kill{0}, Kill{20}, Kill{-(1LL << 20)}, Kill{-(4LL << 20)}, Kill{0, true}}) {
            std::size_t before = 0;
            {
                before = Ledger::open(path).size();
            }
            std::error_code ec;
            const std::uintmax_t from = c.from ? fs::file_size(c.grows, ec) : 0;
            const std::string candidate = "K" + std::to_string(c.batch_size) + "-" + std::to_string(none + all);
            int ready[2];
            REQUIRE(::pipe(ready) == 0);
            const pid_t child = ::fork();
            REQUIRE(child >= 0);
            if (child == 0) {  // the child: no Catch2 here, only _exit
                ::close(ready[0]);
                int code = 0;
                try {
                    auto ledger = Ledger::open(path);
                    std::vector<Event> batch;
                    batch.reserve(c.batch_size);
                    for (std::size_t i = 0; i < c.batch_size; ++i)
                        batch.push_back(exam(candidate, "2024-06-12", "BC" + std::to_string(i), i % 3 != 0,
                                             "S" + std::to_string(i)));
                    const char go = 'g';
                    if (::write(ready[1], &go, 1) != 1) ::_exit(4);
                    ledger.append(batch);
                } catch (...) {
                    code = 3;
                }
                ::_exit(code);
            }
            ::close(ready[1]);
            char go = 0;
            REQUIRE(::read(ready[0], &go, 1) == 1);
            ::close(ready[0]);
            int status = 0;
            pid_t done = 0;
            if (kill.when >= 0) {
                ::usleep(static_cast<useconds_t>(kill.when) * 1000);
            } else {
                const auto size = from + static_cast<std::uintmax_t>(-kill.when);
                for (int i = 0; i < 60'000 && done == 0; ++i) {
                    if (fs::file_size(c.grows, ec) > size && !ec) {
                        ++spill_kills;
                        break;
                    }
                    ::usleep(500);
                    done = ::waitpid(child, &status, WNOHANG);
                }
            }
            if (!kill.never && done == 0) ::kill(child, SIGKILL);
            if (done == 0) REQUIRE(::waitpid(child, &status, 0) == child);
            if (WIFEXITED(status)) CHECK(WEXITSTATUS(status) == 0);  // finished before the kill
            if (kill.never) CHECK(WIFEXITED(status));

            auto ledger = Ledger::open(path);
            const std::size_t after = ledger.size();
            const std::size_t of_batch = ledger.events(candidate).size();
            INFO("batch of " << c.batch_size << ", kill at " << kill.when << ": " << of_batch
                             << " events of the batch");
            CHECK((of_batch == 0 || of_batch == c.batch_size));
            CHECK(after == before + of_batch);
            CHECK(ledger.verify().empty());
            if (kill.never) CHECK(of_batch == c.batch_size);
            (of_batch == 0 ? none : all) += 1;
        }
        WARN("kill -9, batches of " << c.batch_size << ": " << none << " killed before their commit (none recorded, "
                                    << spill_kills << " killed while pages spilled into " << c.grows.filename()
                                    << "), " << all << " committed (all recorded)");
        CHECK(none >= 1);  // at least one kill landed mid-write
    }
    // The ledger is still writable after the crashes.
    auto ledger = Ledger::open(path);
    ledger.append(exam("A", "2025-01-01", "BC03", true, "S3"));
    CHECK(ledger.verify().empty());
}

// --- The capitalisation state ----------------------------------------------------

TEST_CASE("state: a re-sit after a failure adds; a later refusal removes nothing", "[ledger]") {
    const std::vector<Event> events{exam("A", "2024-06-12", "BC01", false, "S1", 1),
                                    exam("A", "2024-11-20", "BC01", true, "S2", 2),
                                    exam("A", "2025-06-10", "BC01", false, "S3", 3)};
    auto before = state_as_of(events, d("2024-07-01"));
    CHECK_FALSE(before.blocs.at("BC01").acquired);
    CHECK(before.blocs.at("BC01").refusals == 1);
    auto after = state_as_of(events, d("2024-11-20"));  // the day itself counts
    const BlocState& b = after.blocs.at("BC01");
    CHECK(b.acquired);
    CHECK(b.since == d("2024-11-20"));
    CHECK(b.route == Route::exam);
    CHECK(b.event == 2);
    auto later = state_as_of(events, d("2026-01-01"));
    CHECK(later.blocs.at("BC01").acquired);
    CHECK(later.blocs.at("BC01").since == d("2024-11-20"));
    CHECK(later.blocs.at("BC01").refusals == 2);
    CHECK(later.blocs.at("BC01").last_refused == d("2025-06-10"));
    CHECK(state_as_of(events, d("2024-01-01")).blocs.empty());
}

TEST_CASE("state: a partial VAE then an exam completes the blocs", "[ledger]") {
    const std::vector<Event> events{
        make("A", "2024-03-01", VaeDecision{{"BC01", "BC02"}, {"BC03"}, "BC03 à évaluer"}, Route::vae, "J1", 1),
        exam("A", "2024-09-15", "BC03", true, "S1", 2)};
    auto spring = state_as_of(events, d("2024-04-01"));
    CHECK(spring.blocs.at("BC01").acquired);
    CHECK(spring.blocs.at("BC01").route == Route::vae);
    CHECK(spring.blocs.at("BC02").since == d("2024-03-01"));
    CHECK_FALSE(spring.blocs.at("BC03").acquired);
    auto autumn = state_as_of(events, d("2024-10-01"));
    for (const char* bloc : {"BC01", "BC02", "BC03"}) CHECK(autumn.blocs.at(bloc).acquired);
    CHECK(autumn.blocs.at("BC03").route == Route::exam);
    CHECK(autumn.blocs.at("BC03").event == 2);
    CHECK(autumn.blocs.at("BC03").refusals == 1);
}

TEST_CASE("state: a bloc credited by correspondence", "[ledger]") {
    const std::vector<Event> events{
        make("A", "2024-02-01", BlocCredit{"BC04", "RNCP35340", {"RNCP35340BC02"}, "rncp_export", "att-7"},
             Route::correspondence, "", 7),
        exam("A", "2024-06-01", "BC04", true, "S1", 8)};
    const auto s = state_as_of(events, d("2024-12-31"));
    CHECK(s.blocs.at("BC04").acquired);
    CHECK(s.blocs.at("BC04").route == Route::correspondence);
    CHECK(s.blocs.at("BC04").since == d("2024-02-01"));  // the earliest validation
    CHECK(s.blocs.at("BC04").event == 7);
}

TEST_CASE("state: a jury decision replaces the session's computed outcome", "[ledger]") {
    const std::vector<Event> events{
        exam("A", "2024-06-12", "BC01", false, "S1", 1),  // computed: refused
        make("A", "2024-06-14", JuryDecision{"BC01", true, "S1", "stage validé, note du tuteur"},
             Route::jury_decision, "J1", 2),
        exam("A", "2024-06-12", "BC02", true, "S1", 3),  // computed: validated
        make("A", "2024-06-14", JuryDecision{"BC02", false, "S1", "plagiat du mémoire"}, Route::jury_decision,
             "J1", 4)};
    auto before = state_as_of(events, d("2024-06-13"));  // the jury has not sat yet
    CHECK_FALSE(before.blocs.at("BC01").acquired);
    CHECK(before.blocs.at("BC02").acquired);
    auto after = state_as_of(events, d("2024-06-14"));
    CHECK(after.blocs.at("BC01").acquired);
    CHECK(after.blocs.at("BC01").route == Route::jury_decision);
    CHECK(after.blocs.at("BC01").event == 2);
    CHECK(after.blocs.at("BC01").refusals == 0);  // the computed refusal was replaced
    CHECK_FALSE(after.blocs.at("BC02").acquired);
    CHECK(after.blocs.at("BC02").refusals == 1);
    // The reason is mandatory.
    auto no_reason = events[1];
    std::get<JuryDecision>(no_reason.body).reason.clear();
    REQUIRE(check_event(no_reason).size() == 1);
    CHECK(check_event(no_reason)[0] == EventProblem{"body/reason", "must not be empty"});
}

TEST_CASE("state: a correction supersedes the event it names", "[ledger]") {
    std::vector<Event> events{
        exam("A", "2024-06-12", "BC01", true, "S1", 1),  // should have been BC02
        make("A", "2024-07-01", Correction{1, "code de bloc mal saisi", BlocResult{"BC02", true}}, Route::exam,
             "S1", 2)};
    auto before = state_as_of(events, d("2024-06-30"));  // as recorded then
    CHECK(before.blocs.at("BC01").acquired);
    auto after = state_as_of(events, d("2024-07-01"));
    CHECK_FALSE(after.blocs.count("BC01"));
    const BlocState& b = after.blocs.at("BC02");
    CHECK(b.acquired);
    CHECK(b.since == d("2024-06-12"));  // the session's date: the record is fixed, not the fact
    CHECK(b.route == Route::exam);
    CHECK(b.event == 2);
    CHECK(b.corrects == 1);

    SECTION("a correction of the correction") {
        events.push_back(make("A", "2024-08-01", Correction{2, "c'était BC03", BlocResult{"BC03", true}},
                              Route::exam, "S1", 3));
        auto s = state_as_of(events, d("2024-09-01"));
        CHECK_FALSE(s.blocs.count("BC01"));
        CHECK_FALSE(s.blocs.count("BC02"));
        CHECK(s.blocs.at("BC03").acquired);
        CHECK(s.blocs.at("BC03").corrects == 1);
        CHECK(s.blocs.at("BC03").event == 3);
    }
    SECTION("a withdrawal") {
        events.push_back(make("A", "2024-08-01", Correction{2, "saisi par erreur", std::nullopt}, Route::exam,
                              "S1", 3));
        CHECK(state_as_of(events, d("2024-09-01")).blocs.empty());
    }
    SECTION("a correction whose event is missing from the input is reported") {
        events.erase(events.begin());
        auto s = state_as_of(events, d("2024-09-01"));
        CHECK(s.blocs.at("BC02").acquired);
        CHECK(s.blocs.at("BC02").since == d("2024-07-01"));
        REQUIRE(s.problems.size() == 1);
        CHECK(s.problems[0] == "correction 2 supersedes event 1, which is not in the input");
    }
}

TEST_CASE("state: mobility periods are summed in days and weeks", "[ledger]") {
    std::vector<Event> events{
        make("A", "2024-03-01", MobilityPeriod{d("2024-01-01"), d("2024-01-14"), "DE"}, Route::exam, "", 1),
        make("A", "2024-06-01", MobilityPeriod{d("2024-05-01"), d("2024-05-14"), "ES"}, Route::exam, "", 2)};
    auto s = state_as_of(events, d("2024-12-31"));
    CHECK(s.mobility_days == 28);
    CHECK(s.mobility_weeks == 4.0);  // 2 + 2 weeks
    CHECK(state_as_of(events, d("2024-04-01")).mobility_weeks == 2.0);  // the second not yet recorded
    // The same period recorded twice counts once; a period is cut at as_of.
    events.push_back(
        make("A", "2024-06-02", MobilityPeriod{d("2024-05-08"), d("2024-05-21"), "ES"}, Route::exam, "", 3));
    CHECK(state_as_of(events, d("2024-12-31")).mobility_days == 35);
    events.push_back(
        make("A", "2024-06-03", MobilityPeriod{d("2024-06-01"), d("2024-12-31"), "IT"}, Route::exam, "", 4));
    CHECK(state_as_of(events, d("2024-06-07")).mobility_days == 42);
}

TEST_CASE("state: work periods in calendar months, 5.9 is not 6", "[ledger]") {
    CHECK(calendar_months(d("2024-01-01"), d("2024-06-30")) == 6.0);
    CHECK(calendar_months(d("2024-01-15"), d("2024-07-14")) == 6.0);
    CHECK(calendar_months(d("2024-01-01"), d("2024-06-27")) == Approx(5.9));
    CHECK(calendar_months(d("2024-01-01"), d("2024-01-01")) == Approx(1.0 / 31));
    CHECK(calendar_months(d("2024-02-01"), d("2024-02-29")) == 1.0);
    CHECK(calendar_months(d("2024-01-31"), d("2024-02-29")) == Approx(1.0 + 1.0 / 31));  // Jan 31 + 1 = Feb 29
    CHECK(calendar_months(d("2024-03-01"), d("2024-02-01")) == 0.0);

    const std::vector<Event> short_of_six{
        make("A", "2024-07-01", WorkPeriod{d("2024-01-01"), d("2024-06-27"), "ACME"}, Route::exam, "", 1)};
    const auto s1 = state_as_of(short_of_six, d("2024-12-31"));
    CHECK(s1.work_months == Approx(5.9));
    CHECK(s1.work_months < 6.0);
    const std::vector<Event> six{
        make("A", "2023-04-01", WorkPeriod{d("2023-01-01"), d("2023-03-31"), "ACME"}, Route::exam, "", 1),
        make("A", "2023-10-01", WorkPeriod{d("2023-07-01"), d("2023-09-30"), "Globex"}, Route::exam, "", 2),
        // Concurrent with the first: not counted twice.
        make("A", "2023-10-02", WorkPeriod{d("2023-02-01"), d("2023-02-28"), "Initech"}, Route::exam, "", 3)};
    const auto s2 = state_as_of(six, d("2024-01-01"));
    CHECK(s2.work_months == 6.0);
    CHECK(s2.work_days == 90 + 92);
    CHECK(state_as_of(six, d("2023-08-31")).work_months == 3.0);  // the second is not recorded yet
}

TEST_CASE("state: language certificates and attributes", "[ledger]") {
    const std::vector<Event> events{
        make("A", "2024-03-10", LanguageCertificate{"en", "CEFR", "B2", "ETS (TOEIC)", true, d("2024-03-02")},
             Route::exam, "", 1),
        make("A", "2024-01-05", Attribute{"nationality", "BE"}, Route::exam, "", 2),
        make("A", "2024-05-05", Attribute{"nationality", "FR"}, Route::exam, "", 3)};
    const auto s = state_as_of(events, d("2024-12-31"));
    REQUIRE(s.languages.size() == 1);
    CHECK(s.languages[0].certificate.level == "B2");
    CHECK(s.languages[0].certificate.third_party);
    CHECK(s.languages[0].event == 1);
    CHECK(s.attributes.at("nationality") == "FR");
    CHECK(state_as_of(events, d("2024-02-01")).attributes.at("nationality") == "BE");
}

TEST_CASE("state: the same for every permutation of the events (shuffle property)", "[ledger]") {
    std::vector<Event> events{
        exam("A", "2024-06-12", "BC01", false, "S1", 1),
        exam("A", "2024-06-12", "BC02", true, "S1", 2),
        make("A", "2024-06-14", JuryDecision{"BC01", true, "S1", "raison"}, Route::jury_decision, "J1", 3),
        exam("A", "2024-06-12", "BC03", true, "S1", 4),
        make("A", "2024-06-20", Correction{4, "mauvais bloc", BlocResult{"BC04", true}}, Route::exam, "S1", 5),
        make("A", "2024-06-21", Correction{5, "encore", BlocResult{"BC05", true}}, Route::exam, "S1", 6),
        make("A", "2024-06-21", Correction{4, "concurrente", BlocResult{"BC06", true}}, Route::exam, "S1", 7),
        make("A", "2024-03-01", VaeDecision{{"BC07"}, {"BC02"}, ""}, Route::vae, "J0", 8),
        make("A", "2024-03-01", BlocCredit{"BC07", "RNCP1", {"RNCP1BC1"}, "arrete", ""}, Route::correspondence,
             "", 9),
        exam("A", "2024-11-20", "BC01", false, "S2", 10),
        exam("A", "2024-11-20", "BC08", true, "S2", 11),
        exam("A", "2024-11-20", "BC08", true, "S2bis", 12),
        make("A", "2024-02-01", MobilityPeriod{d("2024-01-01"), d("2024-01-14"), "DE"}, Route::exam, "", 13),
        make("A", "2024-02-01", MobilityPeriod{d("2024-01-10"), d("2024-01-24"), "AT"}, Route::exam, "", 14),
        make("A", "2024-07-01", WorkPeriod{d("2024-01-01"), d("2024-06-27"), "ACME"}, Route::exam, "", 15),
        make("A", "2024-07-01", WorkPeriod{d("2024-03-01"), d("2024-09-27"), "Globex"}, Route::exam, "", 16),
        make("A", "2024-05-05", Attribute{"nationality", "FR"}, Route::exam, "", 17),
        make("A", "2024-05-05", Attribute{"nationality", "BE"}, Route::exam, "", 18),  // same day: a problem
        make("A", "2024-03-10", LanguageCertificate{"en", "CEFR", "B2", "ETS", true, d("2024-03-02")},
             Route::exam, "", 19),
        make("A", "2024-03-10", LanguageCertificate{"en", "CEFR", "C1", "Cambridge", true, d("2024-03-02")},
             Route::exam, "", 20),
        make("A", "2024-12-01", Correction{99, "orpheline", Attribute{"nationality", "IT"}}, Route::exam, "", 21),
        // Certification decisions (issue 10): two the same day, one corrected then withdrawn.
        make("A", "2024-06-20", CertificationDecision{false, false, {"BC05"}, ""}, Route::exam, "J2", 22),
        make("A", "2024-06-20", CertificationDecision{false, true, {}, "fraude"}, Route::exam, "J3", 23),
        make("A", "2024-08-01", CertificationDecision{true, true, {}, ""}, Route::vae, "J4", 24),
        make("A", "2024-08-02", Correction{24, "erreur", CertificationDecision{false, true, {}, "erreur"}},
             Route::vae, "J4", 25),
        make("A", "2024-12-01", Correction{25, "annulée", std::nullopt}, Route::vae, "J4", 26),
    };
    const std::vector<Date> dates{d("2024-03-01"), d("2024-06-13"), d("2024-06-20"), d("2024-06-21"),
                                  d("2024-08-01"), d("2025-01-01")};
    std::vector<CapitalisationState> reference;
    for (Date at : dates) reference.push_back(state_as_of(events, at));
    // The rich case says what we expect, so the property is not vacuous.
    const auto& last = reference.back();
    CHECK(last.blocs.at("BC01").acquired);
    // #6 (of #5, of #4) and #7 (of #4) both correct #4 on the same day: the one
    // recorded last, #7, wins.
    CHECK(last.blocs.at("BC06").acquired);
    CHECK_FALSE(last.blocs.count("BC05"));
    CHECK_FALSE(last.blocs.count("BC03"));
    CHECK_FALSE(last.blocs.count("BC04"));
    // Same day: the content order decides, member by member after the date; the credit's
    // empty session sorts before the VAE jury's "J0", so the credit acquired BC07.
    CHECK(last.blocs.at("BC07").route == Route::correspondence);
    CHECK(last.mobility_days == 24);
    // The decision in force: #24 corrected by #25, withdrawn by #26: back to the latest
    // of the same day, #23; as of 2024-08-01, #24 itself.
    REQUIRE(last.certification);
    CHECK(last.certification->event == 23);
    REQUIRE(reference[4].certification);
    CHECK(reference[4].certification->event == 24);
    // The orphan correction (#21) and the two nationalities of 2024-05-05 (#17, #18).
    REQUIRE(last.problems.size() == 2);
    CHECK(last.problems[0] == "attribute nationality has two values recorded on 2024-05-05 ('BE', 'FR'); "
                              "correct one of them");

    std::mt19937 random(20240612);
    for (int round = 0; round < 300; ++round) {
        std::shuffle(events.begin(), events.end(), random);
        for (std::size_t i = 0; i < dates.size(); ++i) {
            INFO("round " << round << ", as of " << dates[i].to_string());
            REQUIRE(state_as_of(events, dates[i]) == reference[i]);
        }
    }
}

TEST_CASE("state: identical inputs inserted in different orders give the same state", "[ledger]") {
    TempDir dir;
    std::vector<Event> events{exam("A", "2024-06-12", "BC01", false, "S1"),
                              exam("A", "2024-06-12", "BC01", true, "S1bis"),
                              exam("A", "2024-06-12", "BC02", true, "S1"),
                              make("A", "2024-03-01", VaeDecision{{"BC02"}, {}, ""}, Route::vae, "J0"),
                              make("A", "2024-05-05", Attribute{"nationality", "FR"}, Route::exam, ""),
                              make("A", "2024-05-05", Attribute{"nationality", "BE"}, Route::exam, "")};
    auto one = Ledger::create(dir / "one.sqlite");
    one.append(events);
    std::reverse(events.begin(), events.end());
    auto two = Ledger::create(dir / "two.sqlite");
    two.append(events);
    auto s1 = state_as_of(one.events("A"), d("2025-01-01"));
    auto s2 = state_as_of(two.events("A"), d("2025-01-01"));
    REQUIRE(s1.blocs.size() == s2.blocs.size());
    for (const auto& [bloc, b] : s1.blocs) {
        const BlocState& other = s2.blocs.at(bloc);
        CHECK(b.acquired == other.acquired);
        CHECK(b.since == other.since);
        CHECK(b.route == other.route);
        CHECK(b.refusals == other.refusals);
        // The acquiring event is the same one, whatever id each ledger gave it.
        const auto find = [](const Ledger& l, EventId id) {
            for (auto e : l.events("A"))
                if (e.id == id) {
                    e.id = 0;
                    return e;
                }
            return Event{};
        };
        CHECK(find(one, b.event) == find(two, other.event));
    }
    CHECK(s1.attributes == s2.attributes);
}

TEST_CASE("state snapshot: every candidate's state, the same for any thread count", "[ledger][snapshot]") {
    std::vector<Event> events = sample();
    events.push_back(make("C", "2024-05-01", PathStart{"vae"}, Route::vae, "", 0));
    events.push_back(make("C", "2024-09-01", DeliveryException{"L6113-9", "raison"}, Route::exam, "J9", 0));
    for (std::size_t i = 0; i < events.size(); ++i) events[i].id = i + 1;
    const StateSnapshot one = snapshot_as_of(events, d("2025-01-01"), 1);
    CHECK(one == snapshot_as_of(events, d("2025-01-01"), 2));
    CHECK(one == snapshot_as_of(events, d("2025-01-01"), 3));
    CHECK(one.events == events.size());
    CHECK(one.last_event == events.size());
    REQUIRE(one.states.size() == 3);
    for (const auto& [candidate, state] : one.states) {
        std::vector<Event> mine;
        for (const auto& e : events)
            if (e.candidate == candidate) mine.push_back(e);
        CHECK(state == state_as_of(mine, d("2025-01-01")));
    }
    CHECK(one.states.at("C").path_started == d("2024-05-01"));
    CHECK(one.states.at("C").exceptions.size() == 1);
}

TEST_CASE("state snapshot archives: round trip, golden files, damage refused", "[ledger][snapshot][archive]") {
    // The golden files were written from this fixture (tests/data/archives/README.md).
    TempDir dir;
    auto store = Ledger::create(dir / "ledger.sqlite");
    std::ifstream events_file(test::data("ledger/snapshot_events.jsonl"));
    REQUIRE(store.import_jsonl(events_file) == 47);
    const StateSnapshot expected = snapshot_as_of(store.all_events(), d("2026-07-01"));
    REQUIRE(expected.states.size() == 9);
    REQUIRE(expected.states.at("C008").exceptions.size() == 1);

    for (const auto& [name, kind] : {std::pair{"ledger_state_v1.txt", io::ArchiveKind::text},
                                     std::pair{"ledger_state_v1.xml", io::ArchiveKind::xml}}) {
        INFO(name);
        std::ifstream in(test::data(std::string("archives/") + name), std::ios::binary);
        CHECK(io::load_state_archive(in, kind, name) == expected);
    }
    for (auto kind : {io::ArchiveKind::text, io::ArchiveKind::xml, io::ArchiveKind::binary}) {
        std::ostringstream out(std::ios::binary);
        io::save_state_archive(expected, out, kind);
        const std::string bytes = out.str();
        std::istringstream in(bytes, std::ios::binary);
        CHECK(io::load_state_archive(in, kind) == expected);
        // Truncated or flipped anywhere: refused, never a wrong state.
        for (std::size_t cut = 0; cut < bytes.size(); cut += 97) {
            std::istringstream part(bytes.substr(0, cut), std::ios::binary);
            CHECK_THROWS_AS(io::load_state_archive(part, kind), SerializationError);
        }
        for (std::size_t at = 60; at < bytes.size(); at += 89) {
            std::string damaged = bytes;
            damaged[at] = static_cast<char>(damaged[at] ^ 0x20);
            std::istringstream part(damaged, std::ios::binary);
            CHECK_THROWS_AS(io::load_state_archive(part, kind), SerializationError);
        }
    }
    // A référentiel archive is not a state archive.
    std::ifstream referentiel(test::data("archives/tiny_v1.txt"), std::ios::binary);
    CHECK_THROWS_WITH(io::load_state_archive(referentiel, io::ArchiveKind::text, "tiny_v1.txt"),
                      Catch::Contains("tiny_v1.txt"));
}

TEST_CASE("the fast event reader agrees with the strict one, or leaves the input to it", "[ledger][json]") {
    // Every event of the fixtures: both readers, the same event.
    std::size_t lines = 0;
    for (const char* file : {"ledger/new_events.jsonl", "ledger/snapshot_events.jsonl", "ledger/decisions.jsonl"}) {
        std::istringstream in(test::read_file(test::data(file)));
        for (std::string line; std::getline(in, line);) {
            if (line.empty()) continue;
            ++lines;
            const auto fast = ledger::detail::fast_from_json(line);
            REQUIRE(fast);
            const auto j = io::detail::parse_strict(line, file);
            CHECK(*fast == ledger::detail::from_json(io::detail::Reader(j, "", file)).event);
        }
    }
    CHECK(lines == 5 + 47 + 5);
    // What the strict reader refuses, the fast one leaves to it, and the message names
    // the place.
    const std::string good =
        R"({"candidate":"A","date":"2024-06-12","route":"exam","referentiel":{"fiche":"F","content_hash":"h"},)"
        R"("kind":"bloc_result","body":{"bloc":"B","validated":true}})";
    REQUIRE(ledger::detail::fast_from_json(good));
    const std::vector<std::pair<std::string, std::string>> bad{
        {R"("validated":true})", R"("validated":true,"validated":false})"},  // repeated key
        {R"("validated":true})", R"("validated":true,"extra":1})"},          // unknown key
        {R"("validated":true})", R"("validated":"yes"})"},                  // wrong type
        {R"("date":"2024-06-12")", R"("date":"2024-06-31")"},               // not a date
        {R"({"candidate")", R"({"id":0,"candidate")"},                      // id not positive
        {R"({"candidate")", R"({"id":1.0,"candidate")"},                    // id not an integer
        {R"("route":"exam")", R"("route":"Exam")"},                         // unknown route
        {R"("kind":"bloc_result")", R"("kind":"correction")"},              // body of another kind
    };
    for (const auto& [from, to] : bad) {
        std::string text = good;
        text.replace(text.find(from), from.size(), to);
        INFO(text);
        CHECK_FALSE(ledger::detail::fast_from_json(text));
        CHECK_THROWS_AS(event_from_json(text, "bad.json"), ParseError);
    }
    CHECK_THROWS_WITH(event_from_json(good.substr(0, 40), "cut.json"), Catch::Contains("cut.json:1:"));
}
