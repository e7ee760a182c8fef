// Ledger::verify(): everything the file can prove on its own, and, with a signed
// checkpoint, that it still holds exactly what the checkpoint covered (docs/ledger.md,
// "Verify"; docs/security.md, "Ledger tamper evidence").
#include <certigraph/ledger/ledger.hpp>

#include "ledger/event_json.hpp"
#include "ledger/sha256.hpp"
#include "ledger/store.hpp"

#include <algorithm>
#include <array>
#include <condition_variable>
#include <cstring>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <unordered_map>

namespace certigraph::ledger {

namespace {

/// The schema-3 triggers verify() requires, name and SQL as migration 3 wrote them.
const std::map<std::string, std::string>& expected_triggers() {
    static const std::map<std::string, std::string> triggers = [] {
        std::map<std::string, std::string> out;
        for (const auto& [name, sql] : detail::schema_triggers()) out.emplace(name, sql);
        return out;
    }();
    return triggers;
}

/// A keyed fingerprint of an index entry (candidate, seq, typed record): a
/// polynomial over 56-bit words, evaluated modulo 2^61 - 1 at a point drawn when
/// verify() starts. Two different entries agree at fewer than one point in 2^56 (the
/// polynomial of their difference has at most as many roots as it has words), and
/// nobody knew the point when the file was written; equal entries always agree.
class EntryFingerprint {
  public:
    explicit EntryFingerprint(std::uint64_t point) : point_(2 + point % (prime - 2)) {}  // 0 and 1 are no keys
    std::uint64_t operator()(std::string_view candidate, std::int64_t seq, std::string_view typed) const {
        std::uint64_t h = 0;
        bytes(h, candidate);
        const auto s = static_cast<std::uint64_t>(seq);
        add(h, s & low56);
        add(h, s >> 56);
        bytes(h, typed);
        return h;
    }

  private:
    static constexpr std::uint64_t prime = (std::uint64_t{1} << 61) - 1, low56 = (std::uint64_t{1} << 56) - 1;
    __extension__ using Wide = unsigned __int128;
    static std::uint64_t fold(std::uint64_t v) { return (v & prime) + (v >> 61); }
    void add(std::uint64_t& h, std::uint64_t word) const {  // h = h * point + word (mod 2^61 - 1)
        const Wide p = static_cast<Wide>(h) * point_;
        h = fold(fold(static_cast<std::uint64_t>(p & prime) + static_cast<std::uint64_t>(p >> 61)) + word);
    }
    void bytes(std::uint64_t& h, std::string_view text) const {  // its length, then 7 bytes a word
        add(h, text.size());
        for (std::size_t at = 0; at < text.size(); at += 7) {
            std::uint64_t word = 0;
            const std::size_t n = std::min<std::size_t>(7, text.size() - at);
            std::memcpy(&word, text.data() + at, n);  // little-endian: the first byte lowest
            add(h, word);
        }
    }
    std::uint64_t point_;
};

/// The index as migration 5 created it (verify() compares the definition too).
constexpr std::string_view events_typed_sql = "CREATE INDEX events_typed ON events (candidate, seq, typed)";

/// An entry of the index `events_typed`: its row and fingerprint.
struct IndexEntry {
    std::int64_t row;
    std::uint64_t fingerprint;
};

/// What a second, read-only connection finds, on its own thread while verify() walks
/// the events: SQLite's checks of the file and the index `events_typed`.
struct SecondLook {
    std::string sqlite = "ok";              ///< "ok" when sound
    std::vector<IndexEntry> index;          ///< in index order, rows up to `last_row`
    std::vector<VerifyProblem> problems;    ///< the index's own (definition, order)
};

/// `quick_check` walks every page of every B-tree; what it leaves out, that each
/// index holds exactly its table's rows, verify() proves itself for `events_typed`
/// (the entries' fingerprints against the rows') and `integrity_check(recordings)`
/// does for the recordings' index. The connection reads a snapshot at least as new
/// as verify()'s: rows after `last_row`, appended since, are left out (appended rows
/// are the only change a ledger takes).
SecondLook second_look(const std::string& path, const EntryFingerprint& fingerprint, std::int64_t last_row) {
    SecondLook out;
    std::string result;
    sqlite3* db = nullptr;
    struct Close {
        sqlite3*& db;
        ~Close() { sqlite3_close_v2(db); }
    } close{db};
    const auto add = [&](std::string line) { result += (result.empty() ? "" : "; ") + line; };
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK ||
        sqlite3_exec(db, "PRAGMA cache_size = -65536", nullptr, nullptr, nullptr) != SQLITE_OK) {
        out.sqlite = std::string("cannot open the file a second time: ") + (db ? sqlite3_errmsg(db) : "out of memory");
        return out;
    }
    sqlite3_busy_timeout(db, 10'000);
    const auto run = [&](const char* sql, const auto& row) {
        sqlite3_stmt* s = nullptr;
        if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) != SQLITE_OK) {
            add(sqlite3_errmsg(db));
            return;
        }
        int rc = SQLITE_ROW;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) row(s);
        if (rc != SQLITE_DONE) add(sqlite3_errmsg(db));
        sqlite3_finalize(s);
    };
    const auto view = [](sqlite3_stmt* s, int column) {
        const auto* p = sqlite3_column_blob(s, column);
        return p ? std::string_view(static_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(s, column)))
                 : std::string_view();
    };
    for (const char* pragma : {"PRAGMA quick_check", "PRAGMA integrity_check(recordings)"})
        run(pragma, [&](sqlite3_stmt* s) {
            if (const std::string_view line = view(s, 0); line != "ok") add(std::string(line));
        });
    if (!result.empty()) out.sqlite = result;
    bool defined = false;
    run("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'events_typed'", [&](sqlite3_stmt* s) {
        defined = true;
        if (view(s, 0) != events_typed_sql)
            out.problems.push_back({0, "", "the index events_typed is not the ledger's (replaced: the file was altered)"});
    });
    if (!defined) out.problems.push_back({0, "", "the index events_typed is missing (dropped: the file was altered)"});
    if (!out.problems.empty()) return out;
    std::string previous;
    std::int64_t previous_seq = 0;
    bool first = true;
    result.clear();
    run("SELECT candidate, seq, typed, rowid FROM events INDEXED BY events_typed ORDER BY candidate, seq",
        [&](sqlite3_stmt* s) {
            const std::int64_t row = sqlite3_column_int64(s, 3);
            if (row > last_row) return;
            const std::string_view candidate = view(s, 0);
            const std::int64_t seq = sqlite3_column_int64(s, 1);
            if (!first && (candidate < previous || (candidate == previous && seq <= previous_seq)))
                out.problems.push_back({row, std::string(candidate),
                                        "the index events_typed is out of order here: the file was altered"});
            out.index.push_back({row, fingerprint(candidate, seq, view(s, 2))});
            previous.assign(candidate);
            previous_seq = seq;
            first = false;
        });
    if (!result.empty()) out.problems.push_back({0, "", "cannot read the index events_typed: " + result});
    return out;
}

/// What each row of `events` proves on its own, checked as verify() reads it: its
/// payload read back (and in canonical form), its id, seq, typed columns and packed
/// typed record those of the payload.
class RowChecks {
  public:
    /// The rows, in id order, and one more column: 1 when the six typed columns of the
    /// other kinds are all NULL (every bloc result), read then as one test, not six.
    static constexpr const char* select =
        "SELECT id, candidate, seq, kind, date, day, route, session, bloc, outcome, name, value,"
        " framework, third_party, start_day, end_day, recording, typed, payload, hash, leaf,"
        " name IS NULL AND value IS NULL AND framework IS NULL AND third_party IS NULL"
        " AND start_day IS NULL AND end_day IS NULL"
        " FROM events ORDER BY id";
    struct Cell {
        std::string_view text;  ///< valid until the next step
        std::int64_t integer = 0;
        bool null = false;
    };
    static constexpr int width = 21;
    using Cells = std::array<Cell, width>;

    /// The current row of `select`'s statement (views valid until its next step).
    const Cells& read(const Ledger::Impl::Statement& s) {
        const bool others_null = s.integer(width) != 0;  // name … end_day
        for (int c = 0; c < width; ++c) {
            Cell& cell = cells_[static_cast<std::size_t>(c)];
            if (others_null && c >= 10 && c <= 15) {
                cell = Cell{{}, 0, true};
            } else if (integer_column[static_cast<std::size_t>(c)]) {
                cell.null = nullable[static_cast<std::size_t>(c)] && s.is_null(c);
                cell.integer = cell.null ? 0 : s.integer(c);
            } else {
                cell.null = !s.view_unless_null(c, cell.text);
            }
        }
        return cells_;
    }

    /// The row's own checks, in check order; `say` is given each problem.
    template <class Say>
    void check(const Cells& r, const Say& say) {
        const std::int64_t row = r[0].integer, seq = r[2].integer;
        const std::string_view candidate = r[1].text, payload = r[18].text;
        const Event* read = nullptr;  // reused_ (by the canonical layout) or other_
        std::optional<std::uint64_t> read_id, read_seq;
        bool is_canonical = false;  // read by the canonical layout, which takes only canonical text
        std::uint64_t canonical_seq = 0;
        const auto kind = event_kind_from_string(r[3].text);  // the row's: the payload's own is checked below
        if (kind && detail::read_canonical(payload, *kind, reused_, canonical_seq)) {
            // Only the canonical text reads so (fuzz_canonical_event): not written again.
            read = &reused_;
            read_id = reused_.id;
            read_seq = canonical_seq;
            is_canonical = true;
        } else if (auto fast = detail::fast_from_json(payload)) {
            other_ = std::move(*fast);
            read = &other_;
            read_id = other_.id;  // the fast reader keeps "id"; "seq" is checked through canonical form
            read_seq = static_cast<std::uint64_t>(seq);
        } else {
            try {
                const detail::json j = io::detail::parse_strict(std::string(payload), "payload");
                auto parsed = detail::from_json(io::detail::Reader(j, "", "payload"));
                other_ = std::move(parsed.event);
                read = &other_;
                read_id = parsed.id;
                read_seq = parsed.seq;
            } catch (const Error& error) {
                say(std::string("the payload is not a readable event: ") + error.what());
            }
        }
        if (!read) return;
        const Event& e = *read;
        if (!read_id || static_cast<std::int64_t>(*read_id) != row)
            say("the payload's id is not the row's id (rows swapped?)");
        if (!read_seq || static_cast<std::int64_t>(*read_seq) != seq) say("the payload's seq is not the row's seq");
        if (e.candidate != candidate) say("the payload's candidate is not the row's");
        if (to_string(e.kind()) != r[3].text) say("the payload's kind is not the row's");
        if (e.date.to_string() != r[4].text || e.date.days_since_epoch() != r[5].integer)
            say("the payload's date is not the row's");
        if (to_string(e.route) != r[6].text || e.session != r[7].text)
            say("the payload's route or session is not the row's");
        const detail::Columns c = detail::columns_of(e);
        detail::pack_typed(e.kind(), e.date.days_since_epoch(), c, typed_);
        if (r[17].text != typed_) say("the typed record is not the payload's (the index events_typed reads it)");
        if ((c.bloc.empty() ? !r[8].null : (r[8].null || r[8].text != c.bloc)) ||
            (c.outcome < 0 ? !r[9].null : (r[9].null || r[9].integer != c.outcome)))
            say("the typed bloc/outcome columns are not the payload's");
        const auto text_is = [&](int column, bool set, std::string_view text) {
            return set ? !r[column].null && r[column].text == text : r[column].null;
        };
        const auto integer_is = [&](int column, bool set, std::int64_t value) {
            return set ? !r[column].null && r[column].integer == value : r[column].null;
        };
        if (!text_is(10, c.has_name, c.name) || !text_is(11, c.has_name, c.value) ||
            !text_is(12, c.third_party >= 0, c.framework) || !integer_is(13, c.third_party >= 0, c.third_party) ||
            !integer_is(14, c.has_start, c.start_day) || !integer_is(15, c.has_end, c.end_day))
            say("the typed name/value/framework/third_party/start_day/end_day columns are not the payload's");
        if (!is_canonical && canonical_json(e, static_cast<std::uint64_t>(seq)) != payload)
            say("the payload is not in canonical form");
    }

  private:
    static constexpr std::array<bool, width> integer_column{true,  false, true,  false, false, true,  false,
                                                            false, false, true,  false, false, false, true,
                                                            true,  true,  true,  false, false, false, false};
    // The integer columns that may be NULL (outcome, third_party, start_day, end_day).
    static constexpr std::array<bool, width> nullable{false, false, false, false, false, false, false,
                                                      false, false, true,  false, false, false, true,
                                                      true,  true,  false, false, false, false, false};
    Cells cells_{};
    Event reused_;  // read into by the canonical layout, row after row (its strings' capacity reused)
    Event other_;   // a payload the event readers read
    std::string typed_;
};

}  // namespace

std::vector<VerifyProblem> Ledger::verify(const Checkpoint* checkpoint) const {
    std::vector<VerifyProblem> problems;
    auto file_problem = [&](const std::string& what) { problems.push_back({0, "", what}); };

    // One snapshot: everything below reads the file as it is now (a recording may
    // commit meanwhile; it is not seen).
    impl_->exec("BEGIN");
    struct End {
        const Impl& impl;
        ~End() { sqlite3_exec(impl.db, "COMMIT", nullptr, nullptr, nullptr); }
    } end{*impl_};
    std::int64_t last_row = 0;
    {
        Impl::Statement n(*impl_, "SELECT coalesce(max(id), 0) FROM events");
        if (n.step()) last_row = n.integer(0);
    }
    // The file itself and the index, on a second connection beside the rest (SQLite's
    // problem comes first).
    std::random_device entropy;
    const EntryFingerprint fingerprint(std::uint64_t{entropy()} << 32 | entropy());
    std::future<SecondLook> second =
        std::async(std::launch::async, second_look, impl_->path, std::cref(fingerprint), last_row);
    {
        std::map<std::string, std::string> found;
        Impl::Statement s(*impl_, "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'");
        while (s.step()) found[s.text(0)] = s.text(1);
        for (const auto& [name, sql] : expected_triggers()) {
            const auto it = found.find(name);
            if (it == found.end())
                file_problem("the append-only trigger " + name + " is missing (dropped: the file was altered)");
            else if (it->second != sql)
                file_problem("the trigger " + name + " is not the ledger's (replaced: the file was altered)");
        }
        for (const auto& [name, sql] : found)
            if (!expected_triggers().count(name)) file_problem("an unexpected trigger " + name);
    }
    std::optional<merkle::Frontier> stored;
    try {
        stored = impl_->frontier();
    } catch (const LedgerError& e) {
        file_problem(e.what());
    }

    // Every event, in id order: ids, chains, typed columns, leaves, the tree.
    struct Last {
        std::int64_t seq = 0;
        merkle::Hash hash = detail::genesis;
        std::int64_t row = 0;
        bool headed = false;  ///< chain_heads has a row for it
    };
    struct ByView {  // candidates looked up by their view in the row, no string made
        using is_transparent = void;
        std::size_t operator()(std::string_view v) const noexcept { return std::hash<std::string_view>{}(v); }
    };
    std::unordered_map<std::string, Last, ByView, std::equal_to<>> chains;
    {  // sized once for the chains the heads name (a hint: a missing head is found below)
        Impl::Statement n(*impl_, "SELECT count(*) FROM chain_heads");
        if (n.step()) chains.reserve(static_cast<std::size_t>(std::max<std::int64_t>(0, n.integer(0))));
    }
    std::map<std::int64_t, std::int64_t> recording_counts;
    merkle::Frontier tree;
    std::optional<merkle::Hash> root_at_checkpoint;
    if (checkpoint && checkpoint->size == 0) root_at_checkpoint = merkle::empty_root();
    Impl::Statement s(*impl_, RowChecks::select);
    // Two threads split the work. Here, as each row is read: what the row proves on
    // its own (its payload read back, in canonical form, and its typed columns). On a
    // second thread, a chunk of rows at a time and in id order: what runs along the
    // ledger (ids, each chain's seq and hashes, the leaves and the tree, recordings).
    // Each row's problems keep their order: the chain's first, then the row's own.
    RowChecks row_checks;
    // What the second thread needs of a row, and the row's own problems.
    struct ChainRow {
        std::int64_t id = 0, seq = 0, recording = 0;
        std::string candidate, payload, hash, leaf, typed;
    };
    struct Chunk {
        std::vector<ChainRow> rows;
        std::size_t size = 0;
        std::vector<std::pair<std::size_t, std::string>> own;  // (row in the chunk, problem), in row order
    };
    std::vector<std::pair<std::int64_t, std::uint64_t>> row_entries;  // (id, fingerprint), in id order
    std::int64_t expected_id = 1;
    std::pair<const std::string, Last>* chain = nullptr;  // the previous row's (nodes do not move)
    std::size_t own_at = 0;  // the chunk's next own problem
    const auto check_chain = [&](const ChainRow& r, const Chunk& chunk, std::size_t index) {
        const std::int64_t row = r.id;
        const std::string_view candidate = r.candidate;
        auto say = [&](const std::string& what) { problems.push_back({row, std::string(candidate), what}); };
        if (row != expected_id)
            say("event id " + std::to_string(row) + " follows " + std::to_string(expected_id - 1) +
                " (events " + std::to_string(expected_id) + ".." + std::to_string(row - 1) + " are missing: deleted)");
        expected_id = row + 1;
        if (!chain || chain->first != candidate)  // rows of one candidate often follow each other
            chain = &*chains.try_emplace(std::string(candidate)).first;  // one lookup, found or added
        Last& last = chain->second;
        if (r.seq != last.seq + 1)
            say("sequence number " + std::to_string(r.seq) + " follows " + std::to_string(last.seq) +
                " (a row was deleted, inserted or reordered)");
        const auto hash = detail::hash_of(r.hash);
        if (!hash)
            say("the stored hash is not 32 bytes");
        else if (detail::chain_hash(last.hash, r.payload) != *hash)
            say("the hash does not match the payload and the hash of the chain's row before" +
                (last.row ? " (row " + std::to_string(last.row) + ")" : std::string(" (chain start)")) +
                ": the payload was edited, the hash forged, or a row of the chain deleted, inserted or reordered");
        const merkle::Hash leaf = merkle::leaf_hash(r.payload);
        if (r.leaf != detail::bytes_of(leaf)) say("the stored Merkle leaf hash does not match the payload");
        tree.push(leaf);
        if (checkpoint && tree.size() == checkpoint->size) root_at_checkpoint = tree.root();
        ++recording_counts[r.recording];
        row_entries.emplace_back(row, fingerprint(r.candidate, r.seq, r.typed));
        for (; own_at < chunk.own.size() && chunk.own[own_at].first == index; ++own_at) say(chunk.own[own_at].second);
        last.seq = r.seq;
        last.hash = hash.value_or(merkle::Hash{});
        last.row = row;
    };
    constexpr std::size_t chunk_rows = 2048, chunks_ahead = 4;
    std::vector<Chunk> chunks(chunks_ahead);
    for (Chunk& c : chunks) c.rows.resize(chunk_rows);
    std::mutex mutex;
    std::condition_variable changed;
    std::size_t filled = 0, checked = 0;  // chunks read, chunks checked
    bool read_all = false, check_failed = false;
    const auto check_all = [&] {
        try {
            for (std::size_t k = 0;; ++k) {
                {
                    std::unique_lock lock(mutex);
                    changed.wait(lock, [&] { return filled > k || read_all; });
                    if (filled <= k) return;
                }
                const Chunk& chunk = chunks[k % chunks_ahead];
                own_at = 0;
                for (std::size_t i = 0; i < chunk.size; ++i) check_chain(chunk.rows[i], chunk, i);
                std::lock_guard lock(mutex);
                checked = k + 1;
                changed.notify_all();
            }
        } catch (...) {
            std::lock_guard lock(mutex);
            check_failed = true;
            changed.notify_all();
            throw;
        }
    };
    const auto check_index = [&](const std::vector<IndexEntry>& index_entries) {
        const auto candidate_of = [&](std::int64_t row) {
            Impl::Statement c(*impl_, "SELECT candidate FROM events WHERE id = ?1");
            c.bind(1, row);
            return c.step() ? c.text(0) : std::string();
        };
        constexpr std::size_t most = 100;  // then one line for the rest, as SQLite's own check does
        std::size_t said = 0, unsaid = 0;
        const auto say = [&](std::int64_t row, const std::string& what) {
            if (said++ < most)
                problems.push_back({row, candidate_of(row), what});
            else
                ++unsaid;
        };
        const bool dense = row_entries.empty() || row_entries.back().first == static_cast<std::int64_t>(row_entries.size());
        std::vector<std::uint8_t> seen(row_entries.size());
        for (const IndexEntry& entry : index_entries) {
            std::size_t at = row_entries.size();
            if (dense) {
                if (entry.row >= 1 && entry.row <= static_cast<std::int64_t>(row_entries.size()))
                    at = static_cast<std::size_t>(entry.row - 1);
            } else {
                const auto it = std::lower_bound(row_entries.begin(), row_entries.end(), entry.row,
                                                 [](const auto& e, std::int64_t r) { return e.first < r; });
                if (it != row_entries.end() && it->first == entry.row) at = static_cast<std::size_t>(it - row_entries.begin());
            }
            if (at == row_entries.size())
                say(entry.row, "the index events_typed lists row " + std::to_string(entry.row) +
                                   ", which the table does not hold: the file was altered");
            else if (seen[at]++)
                say(entry.row, "the index events_typed lists the row twice: the file was altered");
            else if (row_entries[at].second != entry.fingerprint)
                say(entry.row, "the index events_typed does not hold the row's candidate, seq and typed record "
                               "(eligibility reads the index): the file was altered; `REINDEX events_typed` "
                               "rebuilds it from the rows");
        }
        for (std::size_t i = 0; i < row_entries.size(); ++i)
                if (!seen[i]) say(row_entries[i].first, "the row is missing from the index events_typed: the file was altered");
        if (unsaid) file_problem(std::to_string(unsaid) + " more problems of the index events_typed");
    };
    {
        std::future<void> checker = std::async(std::launch::async, check_all);
        struct Done {  // on any exit the checker is told there is nothing more to read
            std::mutex& mutex;
            std::condition_variable& changed;
            bool& read_all;
            ~Done() {
                std::lock_guard lock(mutex);
                read_all = true;
                changed.notify_all();
            }
        } done{mutex, changed, read_all};
        for (std::size_t k = 0;; ++k) {
            {
                std::unique_lock lock(mutex);
                changed.wait(lock, [&] { return k < checked + chunks_ahead || check_failed; });
                if (check_failed) break;
            }
            Chunk& chunk = chunks[k % chunks_ahead];
            chunk.own.clear();
            std::size_t n = 0;
            while (n < chunk_rows && s.step()) {
                const RowChecks::Cells& cells = row_checks.read(s);
                row_checks.check(cells, [&](std::string what) { chunk.own.emplace_back(n, std::move(what)); });
                ChainRow& r = chunk.rows[n++];
                r.id = cells[0].integer;
                r.seq = cells[2].integer;
                r.recording = cells[16].integer;
                r.candidate.assign(cells[1].text);
                r.payload.assign(cells[18].text);
                r.hash.assign(cells[19].text);
                r.leaf.assign(cells[20].text);
                r.typed.assign(cells[17].text);
            }
            std::lock_guard lock(mutex);
            chunk.size = n;
            filled = k + 1;
            if (n < chunk_rows) read_all = true;
            changed.notify_all();
            if (n < chunk_rows) break;
        }
        checker.get();  // the checker's exception, if any
    }
    SecondLook look = second.get();
    // The index that eligibility reads (event_table(), every read by candidate), entry
    // by entry against the rows.
    if (look.problems.empty()) check_index(look.index);
    problems.insert(problems.end(), look.problems.begin(), look.problems.end());

    // Chain heads.
    {
        Impl::Statement h(*impl_, "SELECT candidate, seq, hash FROM chain_heads ORDER BY candidate");
        std::size_t headed = 0;
        while (h.step()) {
            const std::string_view candidate = h.view(0);
            const auto it = chains.find(candidate);
            const std::int64_t seq = it == chains.end() ? 0 : it->second.seq;
            const merkle::Hash hash = it == chains.end() ? detail::genesis : it->second.hash;
            if (it != chains.end()) {
                ++headed;
                it->second.headed = true;
            }
            if (h.integer(1) != seq || detail::hash_of(h.view(2)) != hash)
                problems.push_back({it == chains.end() ? 0 : it->second.row, std::string(candidate),
                                    "the chain head records " + std::to_string(h.integer(1)) +
                                        " events, the chain ends at " + std::to_string(seq) +
                                        " (rows deleted at the end, or head changed)"});
        }
        if (headed != chains.size()) {
            std::vector<std::pair<std::string_view, std::int64_t>> unheaded;
            for (const auto& [candidate, last] : chains)
                if (!last.headed) unheaded.emplace_back(candidate, last.row);
            std::sort(unheaded.begin(), unheaded.end());
            for (const auto& [candidate, row] : unheaded)
                problems.push_back({row, std::string(candidate), "the candidate has no chain head"});
        }
    }

    // Counts: recordings vs events, the stored tree vs the events.
    {
        Impl::Statement r(*impl_, "SELECT id, first_event, events FROM recordings ORDER BY id");
        std::int64_t next_first = 1;
        while (r.step()) {
            const std::int64_t id = r.integer(0), first = r.integer(1), n = r.integer(2);
            const auto it = recording_counts.find(id);
            const std::int64_t have = it == recording_counts.end() ? 0 : it->second;
            if (have != n)
                file_problem("recording " + std::to_string(id) + " recorded " + std::to_string(n) +
                             " events, the ledger holds " + std::to_string(have) + " of it (events deleted or added)");
            if (first != next_first)
                file_problem("recording " + std::to_string(id) + " starts at event " + std::to_string(first) +
                             ", expected " + std::to_string(next_first));
            next_first = first + n;
            if (it != recording_counts.end()) recording_counts.erase(it);
        }
        for (const auto& [id, n] : recording_counts)
            file_problem(std::to_string(n) + " events belong to recording " + std::to_string(id) +
                         ", which is not on record");
    }
    if (stored && (stored->size() != tree.size() || stored->root() != tree.root()))
        file_problem("the stored Merkle tree (" + std::to_string(stored->size()) +
                     " events) is not the tree of the events (" + std::to_string(tree.size()) +
                     "): events were deleted, added or changed");

    if (const std::string& result = look.sqlite; result != "ok")
        problems.insert(problems.begin(), {0, "", "SQLite quick_check: " + result});

    // The checkpoint.
    if (checkpoint) {
        if (checkpoint->origin != origin())
            file_problem("the checkpoint is of ledger " + checkpoint->origin + ", this file is " + origin());
        if (checkpoint->size > tree.size())
            file_problem("the checkpoint covers " + std::to_string(checkpoint->size) + " events, the ledger holds " +
                         std::to_string(tree.size()) + ": events were deleted");
        else if (!root_at_checkpoint || *root_at_checkpoint != checkpoint->root)
            file_problem("the first " + std::to_string(checkpoint->size) +
                         " events do not have the checkpoint's Merkle root: events covered by the checkpoint were "
                         "changed, deleted or reordered");
    }
    return problems;
}

}  // namespace certigraph::ledger
