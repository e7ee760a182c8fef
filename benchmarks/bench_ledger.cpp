// The ledger's two targets (docs/performance.md, "Ledger and eligibility"):
//   1. recording 1,000,000 bloc events (one SQLite transaction, hash-chained);
//   2. eligibility of 1,000,000 candidates as of a date, from their events;
// and, after recording, the same bloc events read back from the file and decided.
//
//   bench_ledger [--candidates N] [--record-events M] [--threads T] [--db PATH]
//                [--write-jsonl PATH] [--ledger-candidates L] [--ledger-db PATH] [--object-path 0|1]
//                [--reuse-ledger 0|1] [--only record|verify]
//
// Recording: M bloc_result events (4 blocs per candidate, ~1 in 5 refused) appended
// with Ledger::append(span) into a fresh file; the time includes validation,
// canonical JSON, SHA-256 chaining, the inserts and the commit (synchronous=FULL).
// Eligibility: N candidates with 9 events each (4 bloc results, a path start, a
// nationality, an English certificate, a mobility and a work period: 9N events in
// memory), eligibility_of_all(...) timed from the events to the answers.
// --write-jsonl writes those 9N events as JSON lines (for pandas_eligibility.py)
// and times EventTable::from_json_lines on them.
// The columnar path: EventTable::from_events, then eligibility_table() on 1 and 2
// threads, checked equal to eligibility_of_all() (--object-path 0 skips that one).
// --ledger-candidates L: records L candidates' 9 events each into --ledger-db (one
// append; --reuse-ledger 1: the file is already there, opening it migrates it), then
// times Ledger::event_table() + eligibility_table() from the file.
// --only record: the recording alone (then stop); --only verify: verify() of the
// ledger at --db, recorded by an earlier run, alone.
#include <certigraph/certigraph.hpp>

#include <chrono>
#include <ctime>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>

using namespace certigraph;
using namespace certigraph::ledger;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

/// This process's CPU time (user + system), in seconds: on a shared, busy machine the
/// wall time measures the other processes too.
double cpu_seconds(clockid_t clock = CLOCK_PROCESS_CPUTIME_ID) {
    timespec t{};
    clock_gettime(clock, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

/// The calling thread's CPU time: the critical path of a call that hands work to a
/// second thread (what the wall time is on a machine whose second core is free).
double thread_cpu_seconds() { return cpu_seconds(CLOCK_THREAD_CPUTIME_ID); }

/// verify(), timed: wall, the process's CPU and the calling thread's.
void timed_verify(const Ledger& store) {
    const auto start = Clock::now();
    const double cpu = cpu_seconds(), thread = thread_cpu_seconds();
    const auto problems = store.verify();
    std::printf("verify: %.2f s wall, %.2f s CPU, calling thread %.2f s CPU, %zu problems\n", seconds_since(start),
                cpu_seconds() - cpu, thread_cpu_seconds() - thread, problems.size());
}

Event header(const std::string& candidate, Date date) {
    Event e;
    e.candidate = candidate;
    e.date = date;
    e.referentiel = {"RNCP40514", "sha256:06b5532a1ee4c0156d831402ddbe5af17c656774b4b32db95909096dbe60aef8"};
    return e;
}

std::string candidate_id(std::size_t i) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "C%07zu", i);
    return buffer;
}

/// 9 events of one candidate; deterministic in (i, rng state).
void candidate_events(std::size_t i, std::mt19937_64& rng, std::vector<Event>& out) {
    const std::string id = candidate_id(i);
    const Date session = *Date::parse("2026-06-26");
    for (int b = 1; b <= 4; ++b) {
        Event e = header(id, session);
        e.session = "2026-06";
        e.policy_hash = "sha256:policy";
        e.evidence = {"pv-2026-06"};
        e.body = BlocResult{"RNCP40514BC0" + std::to_string(b), rng() % 5 != 0};
        out.push_back(std::move(e));
    }
    Event start = header(id, *Date::parse("2025-09-01"));
    start.body = PathStart{"initial_training"};
    out.push_back(std::move(start));
    Event nationality = header(id, *Date::parse("2025-09-01"));
    nationality.body = Attribute{"nationality", rng() % 10 == 0 ? "IT" : "FR"};
    out.push_back(std::move(nationality));
    static const char* levels[] = {"A2", "B1", "B2", "C1"};
    Event english = header(id, *Date::parse("2026-02-14"));
    english.body = LanguageCertificate{"en", "CEFR", levels[rng() % 4], "ETS Global (TOEIC)", rng() % 4 != 0,
                                       *Date::parse("2026-02-14")};
    out.push_back(std::move(english));
    Event mobility = header(id, *Date::parse("2025-06-02"));
    mobility.body = MobilityPeriod{*Date::parse("2025-05-01"),
                                   Date(2025, 5, static_cast<unsigned>(25 + rng() % 7)), "abroad"};
    out.push_back(std::move(mobility));
    Event work = header(id, *Date::parse("2026-03-02"));
    work.body = WorkPeriod{*Date::parse("2025-08-25"), Date(2026, 2, static_cast<unsigned>(15 + rng() % 14)),
                           "employer"};
    out.push_back(std::move(work));
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t candidates = 1'000'000, record_events = 1'000'000;
    unsigned threads = 0;
    std::string db = "/tmp/cg-bench-ledger.sqlite", jsonl, ledger_db = "/tmp/cg-bench-ledger-9.sqlite";
    std::size_t ledger_candidates = 0;
    bool object_path = true, reuse_ledger = false;
    std::string only;  // "", "record" or "verify"
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i], v = argv[i + 1];
        if (a == "--candidates") candidates = std::stoull(v);
        else if (a == "--record-events") record_events = std::stoull(v);
        else if (a == "--threads") threads = static_cast<unsigned>(std::stoul(v));
        else if (a == "--db") db = v;
        else if (a == "--write-jsonl") jsonl = v;
        else if (a == "--ledger-candidates") ledger_candidates = std::stoull(v);
        else if (a == "--ledger-db") ledger_db = v;
        else if (a == "--object-path") object_path = v != "0";
        else if (a == "--reuse-ledger") reuse_ledger = v != "0";
        else if (a == "--only" && (v == "record" || v == "verify")) only = v;
        else { std::cerr << "unknown option " << a << '\n'; return 2; }
    }
    const Referentiel ref = io::load_referentiel(CERTIGRAPH_EXAMPLES "/referentiels/rncp40514.json");

    if (only == "verify") {
        timed_verify(Ledger::open(db));
        return 0;
    }
    if (record_events > 0) {
        std::vector<Event> blocs;
        blocs.reserve(record_events);
        std::mt19937_64 rng(40514);
        std::vector<Event> nine;
        for (std::size_t c = 0; blocs.size() < record_events; ++c) {
            nine.clear();
            candidate_events(c, rng, nine);
            for (int b = 0; b < 4 && blocs.size() < record_events; ++b) blocs.push_back(nine[b]);
        }
        for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db + suffix);
        Ledger store = Ledger::create(db);
        const auto start = Clock::now();
        const double cpu_start = cpu_seconds(), thread_start = thread_cpu_seconds();
        store.append(blocs);
        const double s = seconds_since(start);
        const double cpu = cpu_seconds() - cpu_start, thread_cpu = thread_cpu_seconds() - thread_start;
        const auto bytes = std::filesystem::file_size(db) +
                           (std::filesystem::exists(db + "-wal") ? std::filesystem::file_size(db + "-wal") : 0);
        std::printf("record: %zu bloc events in one transaction: %.2f s wall, %.2f s CPU (%.0f events/s of CPU), "
                    "calling thread %.2f s CPU, file %.0f MB\n",
                    blocs.size(), s, cpu, static_cast<double>(blocs.size()) / cpu, thread_cpu,
                    static_cast<double>(bytes) / 1e6);
        if (only == "record") return 0;
        timed_verify(store);
        const auto checkpoint_start = Clock::now();
        const Checkpoint now = store.checkpoint();
        std::printf("checkpoint root from the stored frontier: %.6f s; root(size) from the leaves: ",
                    seconds_since(checkpoint_start));
        const auto root_start = Clock::now();
        const bool same = store.root(now.size) == now.root;
        std::printf("%.2f s (%s)\n", seconds_since(root_start), same ? "equal" : "DIFFERENT");
        // Eligibility from the file: read every event back (JSON payloads), then decide.
        const auto read_start = Clock::now();
        const std::vector<Event> stored = store.all_events_by_candidate();
        const double read_s = seconds_since(read_start);
        const auto decide_start = Clock::now();
        const auto answers = eligibility_of_all(ref, stored, *Date::parse("2026-07-01"), threads);
        std::printf("from the file: read %zu events %.2f s (%.0f events/s), eligibility of %zu candidates %.3f s\n",
                    stored.size(), read_s, static_cast<double>(stored.size()) / read_s, answers.size(),
                    seconds_since(decide_start));
        // The same from a binary state snapshot: no events to read back.
        const StateSnapshot snapshot = snapshot_as_of(stored, *Date::parse("2026-07-01"), threads);
        std::ostringstream archive(std::ios::binary);
        io::save_state_archive(snapshot, archive, io::ArchiveKind::binary);
        const std::string archived = archive.str();
        const auto load_start = Clock::now();
        std::istringstream in(archived, std::ios::binary);
        const StateSnapshot loaded = io::load_state_archive(in, io::ArchiveKind::binary);
        const double load_s = seconds_since(load_start);
        const auto from_states = Clock::now();
        std::size_t eligible = 0;
        for (const auto& [candidate, state] : loaded.states) eligible += eligibility(ref, state, candidate).eligible;
        std::printf("from a binary snapshot (%.0f MB): load %.3f s, eligibility %.3f s (%zu eligible)\n",
                    static_cast<double>(archived.size()) / 1e6, load_s, seconds_since(from_states), eligible);
    }

    if (candidates > 0) {
        std::vector<Event> events;
        events.reserve(candidates * 9);
        std::mt19937_64 rng(2026);
        for (std::size_t c = 0; c < candidates; ++c) candidate_events(c, rng, events);
        for (std::size_t i = 0; i < events.size(); ++i) events[i].id = i + 1;
        if (!jsonl.empty()) {
            std::ofstream out(jsonl, std::ios::binary);
            for (const auto& e : events) out << canonical_json(e) << '\n';
        }
        const Date as_of = *Date::parse("2026-07-01");
        std::vector<std::uint8_t> expected;
        if (object_path) {
            double best = 1e9;
            std::size_t eligible = 0;
            for (int round = 0; round < 3; ++round) {
                const auto start = Clock::now();
                const auto answers = eligibility_of_all(ref, events, as_of, threads);
                best = std::min(best, seconds_since(start));
                eligible = 0;
                expected.clear();
                for (const auto& a : answers) eligible += a.eligible, expected.push_back(a.eligible);
            }
            std::printf("eligibility (objects): %zu candidates (%zu events), threads %u: best of 3 %.3f s "
                        "(%.0f candidates/s), %zu eligible\n",
                        candidates, events.size(), threads, best, static_cast<double>(candidates) / best, eligible);
        }
        const auto table_start = Clock::now();
        const EventTable table = EventTable::from_events(events);
        std::printf("columns: EventTable::from_events of %zu events %.3f s (%zu candidates from their objects)\n",
                    table.size(), seconds_since(table_start), table.objects.size());
        for (unsigned t : {1u, 2u}) {
            double best = 1e9, best_cpu = 1e9;
            std::size_t eligible = 0;
            bool same = true;
            for (int round = 0; round < 3; ++round) {
                const auto start = Clock::now();
                const double cpu = cpu_seconds();
                const EligibilityTable answers = eligibility_table(ref, table, as_of, t);
                best = std::min(best, seconds_since(start));
                best_cpu = std::min(best_cpu, cpu_seconds() - cpu);
                eligible = 0;
                for (auto e : answers.eligible) eligible += e;
                if (object_path) same = answers.eligible == expected;
            }
            std::printf("eligibility (columns): %zu candidates, threads %u: best of 3 %.3f s wall, %.3f s CPU "
                        "(%.0f candidates/s), %zu eligible%s\n",
                        candidates, t, best, best_cpu, static_cast<double>(candidates) / best, eligible,
                        object_path ? (same ? ", equal to the objects'" : ", DIFFERENT from the objects'") : "");
        }
        if (!jsonl.empty()) {
            const auto start = Clock::now();
            const double cpu = cpu_seconds();
            const EventTable read = EventTable::from_json_lines(jsonl);
            const double read_s = seconds_since(start), read_cpu = cpu_seconds() - cpu;
            const auto decide_start = Clock::now();
            const EligibilityTable answers = eligibility_table(ref, read, as_of, 1);
            std::size_t eligible = 0;
            for (auto e : answers.eligible) eligible += e;
            std::printf("from JSON lines: EventTable::from_json_lines %.2f s wall (%.2f s CPU), eligibility_table "
                        "(1 thread) %.3f s, %zu eligible\n",
                        read_s, read_cpu, seconds_since(decide_start), eligible);
        }
    }

    if (ledger_candidates > 0) {
        if (!reuse_ledger)
            for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(ledger_db + suffix);
        if (!reuse_ledger) {
            std::vector<Event> events;
            events.reserve(ledger_candidates * 9);
            std::mt19937_64 rng(2026);
            for (std::size_t c = 0; c < ledger_candidates; ++c) candidate_events(c, rng, events);
            Ledger store = Ledger::create(ledger_db);
            const auto start = Clock::now();
            store.append(events);
            std::printf("ledger of %zu candidates: recorded %zu events in %.1f s\n", ledger_candidates, events.size(),
                        seconds_since(start));
        }
        const auto open_start = Clock::now();
        const Ledger store = Ledger::open(ledger_db);
        std::printf("opened (and migrated if older) in %.1f s\n", seconds_since(open_start));
        const Date as_of = *Date::parse("2026-07-01");
        for (int round = 0; round < 2; ++round) {
            const auto start = Clock::now();
            const double cpu = cpu_seconds();
            const EventTable table = store.event_table();
            const double read_s = seconds_since(start), read_cpu = cpu_seconds() - cpu;
            const auto decide_start = Clock::now();
            const double decide_cpu_start = cpu_seconds();
            const EligibilityTable answers = eligibility_table(ref, table, as_of, 1);
            const double decide_s = seconds_since(decide_start), decide_cpu = cpu_seconds() - decide_cpu_start;
            std::size_t eligible = 0;
            for (auto e : answers.eligible) eligible += e;
            std::printf("from the ledger file: event_table() %.2f s wall (%.2f s CPU) + eligibility_table (1 thread) "
                        "%.3f s (%.3f s CPU) = %.2f s wall, %.2f s CPU, %zu of %zu eligible\n",
                        read_s, read_cpu, decide_s, decide_cpu, read_s + decide_s, read_cpu + decide_cpu, eligible,
                        answers.candidates.size());
        }
    }
    return 0;
}
