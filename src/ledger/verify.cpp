// Ledger::verify(): everything the file can prove on its own, and, with a signed
// checkpoint, that it still holds exactly what the checkpoint covered (docs/ledger.md,
// "Verify"; docs/security.md, "Ledger tamper evidence").
#include <certigraph/ledger/ledger.hpp>

#include "ledger/sha256.hpp"
#include "ledger/store.hpp"

#include <algorithm>
#include <array>
#include <condition_variable>
#include <future>
#include <mutex>
#include <unordered_map>
#include <map>
#include <optional>

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

/// SQLite's `PRAGMA integrity_check` of the file ("ok" when sound), on a second,
/// read-only connection: verify() runs it on its own thread while it walks the
/// events, the two reading the file at once (WAL lets readers share it).
std::string integrity_check(const std::string& path) {
    sqlite3* db = nullptr;
    std::string result;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr) == SQLITE_OK &&
        sqlite3_exec(db, "PRAGMA cache_size = -65536", nullptr, nullptr, nullptr) == SQLITE_OK) {
        sqlite3_stmt* s = nullptr;
        if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, nullptr) == SQLITE_OK) {
            int rc = SQLITE_ROW;
            while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
                const auto* text = sqlite3_column_text(s, 0);
                result += (result.empty() ? "" : "; ") + std::string(text ? reinterpret_cast<const char*>(text) : "");
            }
            if (rc != SQLITE_DONE) result += (result.empty() ? "" : "; ") + std::string(sqlite3_errmsg(db));
        } else {
            result = sqlite3_errmsg(db);
        }
        sqlite3_finalize(s);
    } else {
        result = std::string("cannot open the file a second time: ") + (db ? sqlite3_errmsg(db) : "out of memory");
    }
    sqlite3_close_v2(db);
    return result;
}

/// Reads a canonical bloc_result payload by its fixed layout (the keys in the
/// canonical writer's order, plain strings) into `e`, reusing its strings. false
/// at the first byte that does not fit: the caller then reads the payload with the
/// event readers. What this accepts is checked by writing `e` back with the
/// canonical writer and comparing the bytes, so it gives exactly the readers' event.
class CanonicalBlocResult {
  public:
    explicit CanonicalBlocResult(std::string_view text) : text_(text) {}

    bool read(Event& e, std::uint64_t& id) {
        auto* r = std::get_if<BlocResult>(&e.body);
        if (!r) r = &e.body.emplace<BlocResult>();
        if (!literal(R"({"body":{"bloc":)") || !string(r->bloc)) return false;
        if (literal(R"(,"validated":true},"candidate":)")) r->validated = true;
        else if (literal(R"(,"validated":false},"candidate":)")) r->validated = false;
        else return false;
        std::string_view date;
        if (!string(e.candidate) || !literal(R"(,"date":")") || !take(10, date) || !literal(R"(","evidence":[)"))
            return false;
        const auto d = Date::parse(date);
        if (!d) return false;
        e.date = *d;
        std::size_t n = 0;
        while (!literal("]")) {
            if (n && !literal(",")) return false;
            if (e.evidence.size() <= n) e.evidence.emplace_back();
            if (!string(e.evidence[n++])) return false;
        }
        e.evidence.resize(n);
        if (!literal(R"(,"id":)") || !number(id) || !literal(R"(,"kind":"bloc_result","policy_hash":)") ||
            !string(e.policy_hash) || !literal(R"(,"referentiel":{"content_hash":)") ||
            !string(e.referentiel.content_hash) || !literal(R"(,"fiche":)") || !string(e.referentiel.fiche) ||
            !literal(R"(},"route":")"))
            return false;
        const std::size_t quote = text_.find('"', at_);
        if (quote == std::string_view::npos) return false;
        const auto route = route_from_string(text_.substr(at_, quote - at_));
        if (!route) return false;
        e.route = *route;
        at_ = quote;
        std::uint64_t seq = 0;
        if (!literal(R"(","seq":)") || !number(seq) || !literal(R"(,"session":)") || !string(e.session) ||
            !literal("}"))
            return false;
        e.id = id;
        return at_ == text_.size();
    }

  private:
    bool literal(std::string_view expected) {
        if (text_.substr(at_, expected.size()) != expected) return false;
        at_ += expected.size();
        return true;
    }
    bool take(std::size_t n, std::string_view& out) {
        if (text_.size() - at_ < n) return false;
        out = text_.substr(at_, n);
        at_ += n;
        return true;
    }
    /// A positive integer ≤ 10⁹ (the readers' limit), no leading zero.
    bool number(std::uint64_t& out) {
        std::size_t digits = 0;
        out = 0;
        while (at_ < text_.size() && text_[at_] >= '0' && text_[at_] <= '9' && digits < 10) {
            out = out * 10 + static_cast<std::uint64_t>(text_[at_++] - '0');
            ++digits;
        }
        return digits > 0 && text_[at_ - digits] != '0' && out <= 1'000'000'000;
    }
    /// A JSON string of printable ASCII, escaping only '"' and '\\' (the writer's plain strings).
    bool string(std::string& out) {
        if (!literal("\"")) return false;
        out.clear();
        while (at_ < text_.size()) {
            const char c = text_[at_++];
            const auto u = static_cast<unsigned char>(c);
            if (u < 0x20 || u >= 0x7F) return false;
            if (c == '"') return true;
            if (c == '\\') {
                if (at_ == text_.size() || (text_[at_] != '"' && text_[at_] != '\\')) return false;
                out += text_[at_++];
            } else {
                out += c;
            }
        }
        return false;
    }
    std::string_view text_;
    std::size_t at_ = 0;
};

}  // namespace

std::vector<VerifyProblem> Ledger::verify(const Checkpoint* checkpoint) const {
    std::vector<VerifyProblem> problems;
    auto file_problem = [&](const std::string& what) { problems.push_back({0, "", what}); };

    // The file itself: SQLite's check runs beside the rest (its problem comes first).
    std::future<std::string> integrity = std::async(std::launch::async, integrity_check, impl_->path);
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
    std::map<std::int64_t, std::int64_t> recording_counts;
    merkle::Frontier tree;
    std::optional<merkle::Hash> root_at_checkpoint;
    if (checkpoint && checkpoint->size == 0) root_at_checkpoint = merkle::empty_root();
    std::int64_t expected_id = 1;
    Event reused;  // the previous canonical bloc result, its strings' capacity reused
    std::string typed;
    Impl::Statement s(*impl_,
                      "SELECT id, candidate, seq, kind, date, day, route, session, bloc, outcome, name, value,"
                      " framework, third_party, start_day, end_day, recording, typed, payload, hash, leaf"
                      " FROM events ORDER BY id");
    // The rows are read here and checked on a second thread, a chunk at a time: the
    // SQLite reads and the checks overlap, and the checks still run in id order.
    struct Cell {
        std::string text;
        std::int64_t integer = 0;
        bool null = false;
    };
    constexpr int width = 21;
    constexpr std::array<bool, width> integer_column{true,  false, true,  false, false, true,  false,
                                                     false, false, true,  false, false, false, true,
                                                     true,  true,  true,  false, false, false, false};
    using Row = std::array<Cell, width>;
    constexpr std::size_t chunk_rows = 2048, chunks_ahead = 4;
    std::vector<std::vector<Row>> chunks(chunks_ahead, std::vector<Row>(chunk_rows));
    std::array<std::size_t, chunks_ahead> chunk_size{};
    std::mutex mutex;
    std::condition_variable changed;
    std::size_t filled = 0, checked = 0;  // chunks read, chunks checked
    bool read_all = false, check_failed = false;
    const auto check = [&](const Row& r) {
        const std::int64_t row = r[0].integer;
        const std::string_view candidate = r[1].text;
        const std::int64_t seq = r[2].integer;
        const std::string_view payload = r[18].text;
        auto say = [&](const std::string& what) { problems.push_back({row, std::string(candidate), what}); };
        if (row != expected_id)
            say("event id " + std::to_string(row) + " follows " + std::to_string(expected_id - 1) +
                " (events " + std::to_string(expected_id) + ".." + std::to_string(row - 1) + " are missing: deleted)");
        expected_id = row + 1;
        auto chain = chains.find(candidate);
        if (chain == chains.end()) chain = chains.emplace(std::string(candidate), Last{}).first;
        Last& last = chain->second;
        if (seq != last.seq + 1)
            say("sequence number " + std::to_string(seq) + " follows " + std::to_string(last.seq) +
                " (a row was deleted, inserted or reordered)");
        const auto hash = detail::hash_of(r[19].text);
        if (!hash)
            say("the stored hash is not 32 bytes");
        else if (detail::chain_hash(last.hash, payload) != *hash)
            say("the hash does not match the payload and the hash of the chain's row before" +
                (last.row ? " (row " + std::to_string(last.row) + ")" : std::string(" (chain start)")) +
                ": the payload was edited, the hash forged, or a row of the chain deleted, inserted or reordered");
        const merkle::Hash leaf = merkle::leaf_hash(payload);
        if (r[20].text != detail::bytes_of(leaf)) say("the stored Merkle leaf hash does not match the payload");
        tree.push(leaf);
        if (checkpoint && tree.size() == checkpoint->size) root_at_checkpoint = tree.root();
        ++recording_counts[r[16].integer];
        std::optional<Event> read;
        std::optional<std::uint64_t> read_id, read_seq;
        std::uint64_t canonical_id = 0;
        bool canonical = false;  // checked by the canonical writer already
        if (r[3].text == "bloc_result" && CanonicalBlocResult(payload).read(reused, canonical_id) &&
            canonical_json(reused, static_cast<std::uint64_t>(seq)) == payload) {
            read = std::move(reused);
            read_id = canonical_id;
            read_seq = static_cast<std::uint64_t>(seq);
            canonical = true;
        } else if (auto fast = detail::fast_from_json(payload)) {
            read = std::move(*fast);
            read_id = read->id;  // the fast reader keeps "id"; "seq" is checked through canonical form
            read_seq = static_cast<std::uint64_t>(seq);
        } else {
            try {
                const detail::json j = io::detail::parse_strict(std::string(payload), "payload");
                auto r = detail::from_json(io::detail::Reader(j, "", "payload"));
                read = std::move(r.event);
                read_id = r.id;
                read_seq = r.seq;
            } catch (const Error& error) {
                say(std::string("the payload is not a readable event: ") + error.what());
            }
        }
        if (read) {
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
            detail::pack_typed(e.kind(), e.date.days_since_epoch(), c, typed);
            if (r[17].text != typed) say("the typed record is not the payload's (the index events_typed reads it)");
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
            if (!canonical && canonical_json(e, static_cast<std::uint64_t>(seq)) != payload)
                say("the payload is not in canonical form");
            if (canonical) reused = std::move(*read);  // its strings are reused by the next row
        }
        last.seq = seq;
        last.hash = hash.value_or(merkle::Hash{});
        last.row = row;
    };
    const auto check_all = [&] {
        try {
            for (std::size_t k = 0;; ++k) {
                {
                    std::unique_lock lock(mutex);
                    changed.wait(lock, [&] { return filled > k || read_all; });
                    if (filled <= k) return;
                }
                const auto& rows = chunks[k % chunks_ahead];
                for (std::size_t i = 0; i < chunk_size[k % chunks_ahead]; ++i) check(rows[i]);
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
            auto& rows = chunks[k % chunks_ahead];
            std::size_t n = 0;
            while (n < chunk_rows && s.step()) {
                Row& r = rows[n++];
                for (int c = 0; c < width; ++c) {
                    r[c].null = s.is_null(c);
                    if (r[c].null) continue;
                    if (integer_column[c])
                        r[c].integer = s.integer(c);
                    else
                        r[c].text.assign(s.view(c));
                }
            }
            std::lock_guard lock(mutex);
            chunk_size[k % chunks_ahead] = n;
            filled = k + 1;
            if (n < chunk_rows) read_all = true;
            changed.notify_all();
            if (n < chunk_rows) break;
        }
        checker.get();  // the checker's exception, if any
    }

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

    if (const std::string result = integrity.get(); result != "ok")
        problems.insert(problems.begin(), {0, "", "SQLite integrity_check: " + result});

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
