// Recording events: validation, ids, per-candidate chains, typed columns, Merkle
// leaves and frontier, recordings and their idempotence; JSON lines in and out
// (docs/ledger.md).
#include <certigraph/ledger/ledger.hpp>

#include "ledger/event_json.hpp"
#include "ledger/sha256.hpp"
#include "ledger/store.hpp"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <istream>
#include <map>
#include <mutex>
#include <optional>
#include <ostream>
#include <thread>
#include <unordered_map>
#include <unordered_set>

namespace certigraph::ledger {

using detail::json;

Recorded Ledger::Impl::record(std::span<const Event> events, std::span<const detail::ReadEvent* const> given,
                              const Batch& batch, const Fail& fail) const {
    // Everything that can be checked without the store, first.
    for (std::size_t i = 0; i < events.size(); ++i) {
        std::vector<EventProblem> problems;
        if (events[i].id == 0) {
            problems = check_event(events[i]);
        } else {  // the store assigns ids: check as a new event
            Event copy = events[i];
            copy.id = 0;
            problems = check_event(copy);
        }
        if (!problems.empty()) fail(i, problems.front().field, problems.front().problem);
    }
    Recorded out;
    if (events.empty()) return out;
    if (!batch.content_hash.empty()) {
        Statement earlier(*this, "SELECT id, recorded_at FROM recordings WHERE content_hash = ?1");
        earlier.bind(1, batch.content_hash);
        if (earlier.step()) {  // the same content, recorded before: nothing to add
            out.recording = earlier.integer(0);
            out.already = true;
            out.recorded_at = earlier.text(1);
            return out;
        }
    }
    if (batch.kind == RecordingKind::jury_session) {  // a sealed session is recorded once (issue 10)
        Statement earlier(*this, "SELECT id, recorded_at FROM recordings WHERE kind = 'jury_session' AND label = ?1");
        earlier.bind(1, batch.label);
        if (earlier.step())
            throw LedgerError(path + ": jury session '" + batch.label + "' was recorded already (recording " +
                              std::to_string(earlier.integer(0)) + " of " + earlier.text(1) +
                              ") with other decisions; a sealed session is recorded once: a later change goes "
                              "through a correction session with a reason, or `certigraph ledger correct`");
    }
    std::int64_t last_id = 0;
    {
        Statement s(*this,
                    "SELECT coalesce(max(id), 0) FROM events");
        if (s.step()) last_id = s.integer(0);
    }
    const bool idempotent = batch.kind != RecordingKind::append;
    if (idempotent) {
        // One bloc result per (candidate, session, bloc): a second one is a conflict
        // (in this batch) or a second recording of a session (in the store).
        std::map<std::tuple<std::string_view, std::string_view, std::string_view>, std::size_t> seen;
        Statement stored(*this,
                         "SELECT id, recording FROM events WHERE kind = 'bloc_result' AND candidate = ?1"
                         " AND bloc = ?2 AND session = ?3");
        for (std::size_t i = 0; i < events.size(); ++i) {
            const auto* r = std::get_if<BlocResult>(&events[i].body);
            if (!r) continue;
            const auto [it, inserted] = seen.emplace(std::tuple<std::string_view, std::string_view, std::string_view>(
                                                         events[i].candidate, events[i].session, r->bloc),
                                                     i);
            if (!inserted)
                fail(i, "body/bloc",
                     "a second result for candidate '" + events[i].candidate + "', bloc " + r->bloc +
                         " in session '" + events[i].session + "' (the first is event " + std::to_string(it->second) +
                         " of this input); one result per candidate, bloc and session");
            stored.reset();
            stored.bind(1, events[i].candidate).bind(2, r->bloc).bind(3, events[i].session);
            if (stored.step())
                fail(i, "session",
                     "candidate '" + events[i].candidate + "' already has a result for bloc " + r->bloc +
                         " in session '" + events[i].session + "' (event " + std::to_string(stored.integer(0)) +
                         ", recording " + std::to_string(stored.integer(1)) +
                         "); a session is recorded once: change a result with a correction");
        }
    }
    {
        Statement insert(*this,
                         "INSERT INTO recordings (kind, label, source, content_hash, recorded_at, first_event, events)"
                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
        out.recorded_at = detail::utc_now();
        const std::string hash =
            idempotent ? batch.content_hash : "append:" + std::to_string(last_id + 1);
        insert.bind(1, detail::to_string(batch.kind))
            .bind(2, batch.label)
            .bind(3, batch.source)
            .bind(4, hash)
            .bind(5, out.recorded_at)
            .bind(6, last_id + 1)
            .bind(7, static_cast<std::int64_t>(events.size()));
        insert.step();
        out.recording = sqlite3_last_insert_rowid(db);
    }
    merkle::Frontier frontier = this->frontier();
    if (frontier.size() != static_cast<std::uint64_t>(last_id))
        throw LedgerError(path + ": the Merkle tree holds " + std::to_string(frontier.size()) +
                          " events but the last id is " + std::to_string(last_id) +
                          "; the file was altered (run `certigraph ledger verify`)");
    struct Head {
        std::int64_t seq;
        merkle::Hash hash;
    };
    std::unordered_map<std::string, Head> heads;
    heads.reserve(std::min<std::size_t>(events.size(), 1u << 20));
    // (id, event) of this batch's events, ids increasing: for corrections of them.
    std::vector<std::pair<EventId, const Event*>> batch_events;
    batch_events.reserve(events.size());
    std::vector<std::int64_t> seqs(events.size());
    std::vector<Head*> chain_of(events.size());  // the event's chain (nodes of `heads` do not move)
    Statement head_of(*this, "SELECT seq, hash FROM chain_heads WHERE candidate = ?1");
    Statement target_of(*this, "SELECT payload FROM events WHERE id = ?1");
    out.ids.reserve(events.size());

    // Pass 1, here (it reads the store): ids, corrections, each event's place in its chain.
    for (std::size_t i = 0; i < events.size(); ++i) {
        const Event& source = events[i];
        const detail::ReadEvent* line = given.empty() ? nullptr : given[i];
        if (line && line->id && static_cast<std::int64_t>(*line->id) != last_id + 1)
            fail(i, "id",
                 "id " + std::to_string(*line->id) + " is not this ledger's next id " + std::to_string(last_id + 1) +
                     " (a replica continues the ledger without gaps)");
        const auto id = static_cast<EventId>(++last_id);
        if (const auto* c = std::get_if<Correction>(&source.body)) {
            // The event it supersedes: in this batch, or stored.
            std::optional<Event> stored;
            const Event* target = nullptr;
            const auto it = std::lower_bound(batch_events.begin(), batch_events.end(),
                                             std::pair<EventId, const Event*>{c->supersedes, nullptr});
            if (it != batch_events.end() && it->first == c->supersedes) {
                target = it->second;
            } else {
                target_of.reset();
                target_of.bind(1, static_cast<std::int64_t>(c->supersedes));
                if (target_of.step()) {
                    try {
                        stored = event_from_json(target_of.view(0), "ledger");
                    } catch (const ParseError&) {
                        fail(i, "body/supersedes",
                             "event " + std::to_string(c->supersedes) + " is unreadable (run verify)");
                    }
                    target = &*stored;
                }
            }
            const std::string n = std::to_string(c->supersedes);
            if (!target) fail(i, "body/supersedes", "no event " + n + " in this ledger");
            if (target->candidate != source.candidate)
                fail(i, "body/supersedes",
                     "event " + n + " is of candidate '" + target->candidate + "', not '" + source.candidate + "'");
            if (source.date < target->date)
                fail(i, "date",
                     "a correction dated " + source.date.to_string() + " cannot supersede event " + n + " dated " +
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
        auto it = heads.find(source.candidate);
        if (it == heads.end()) {
            head_of.reset();
            head_of.bind(1, source.candidate);
            Head h{0, detail::genesis};
            if (head_of.step()) {
                h.seq = head_of.integer(0);
                const auto stored = detail::hash_of(head_of.view(1));
                if (!stored) throw LedgerError(path + ": a malformed chain head hash (run verify)");
                h.hash = *stored;
            }
            it = heads.emplace(source.candidate, h).first;
        }
        const std::int64_t seq = ++it->second.seq;
        if (line && line->seq && static_cast<std::int64_t>(*line->seq) != seq)
            fail(i, "seq",
                 "seq " + std::to_string(*line->seq) + " does not continue this ledger's chain of '" +
                     source.candidate + "' (next is " + std::to_string(seq) + ")");
        seqs[i] = seq;
        chain_of[i] = &it->second;
        batch_events.emplace_back(id, &events[i]);
        out.ids.push_back(id);
    }

    // Pass 2, on a second thread for large batches: each event's canonical JSON, chain
    // hash, leaf (into the tree), typed record and columns. Pass 3, here: the rows, in
    // id order, as pass 2 hands them over. The two overlap; the result is the same as
    // one pass. Pass 2 fills a ring of `slots` events that pass 3 empties: the strings
    // keep their capacity from one lap to the next (no allocation per event after the
    // first lap, and no fresh memory per event).
    struct Prepared {
        std::string payload, typed, date;
        merkle::Hash digest{}, leaf{};
        detail::Columns columns;  // views into the event (`events` outlives the rows)
        std::int64_t day = 0;
    };
    constexpr std::size_t step = 256, window = 1u << 16;  // published every `step`; at most `window` ahead
    const bool threaded = events.size() >= 4096 && std::thread::hardware_concurrency() > 1;
    const std::size_t slots = threaded ? std::min(events.size(), window) : events.size();
    std::vector<Prepared> prepared(slots);
    struct Handover {
        std::mutex mutex;
        std::condition_variable changed;
        std::size_t ready = 0, written = 0;  // pass 2 done up to `ready`, pass 3 up to `written`
        bool stop = false;
        std::size_t failed_at = SIZE_MAX;  // pass 2 failed at this event
        std::string field, problem;
        std::exception_ptr error;
    } handover;
    const auto prepare = [&] {  // on the worker when `threaded`, else here before pass 3
        Event e;  // each event in turn, its strings' capacity reused
        std::size_t written = 0;
        for (std::size_t i = 0; i < events.size(); ++i) {
            if (threaded && i >= written + slots) {
                std::unique_lock lock(handover.mutex);
                handover.changed.wait(lock, [&] { return handover.stop || i < handover.written + slots; });
                if (handover.stop) return;
                written = handover.written;
            }
            const auto give_up = [&](std::string field, std::string problem, std::exception_ptr error) {
                std::lock_guard lock(handover.mutex);
                handover.failed_at = i;
                handover.field = std::move(field);
                handover.problem = std::move(problem);
                handover.error = std::move(error);
                handover.ready = i;
                handover.changed.notify_all();
            };
            try {
                e = events[i];
                e.id = out.ids[i];
                Prepared& p = prepared[i % slots];
                detail::canonical_json(e, static_cast<std::uint64_t>(seqs[i]), p.payload);
                p.digest = detail::chain_hash(chain_of[i]->hash, p.payload);
                chain_of[i]->hash = p.digest;
                const detail::ReadEvent* line = given.empty() ? nullptr : given[i];
                if (line && line->hash && merkle::from_hex(*line->hash) != p.digest)
                    return give_up("hash",
                                   "the hash does not match the event and this ledger's chain (edited line, or a "
                                   "chain that does not continue this ledger's)",
                                   nullptr);
                p.leaf = merkle::leaf_hash(p.payload);
                frontier.push(p.leaf);
                p.columns = detail::columns_of(events[i]);
                p.day = e.date.days_since_epoch();
                detail::pack_typed(e.kind(), static_cast<std::int32_t>(p.day), p.columns, p.typed);
                p.date = e.date.to_string();
            } catch (...) {
                return give_up("", "", std::current_exception());
            }
            if (threaded && ((i + 1) % step == 0 || i + 1 == events.size())) {
                std::lock_guard lock(handover.mutex);
                if (handover.stop) return;  // pass 3 gave up
                handover.ready = i + 1;
                handover.changed.notify_all();
            }
        }
        if (!threaded) handover.ready = events.size();
    };
    std::jthread worker;
    struct Stop {  // on any exit: pass 2 told to stop, then joined (jthread's destructor)
        Handover& h;
        ~Stop() {
            std::lock_guard lock(h.mutex);
            h.stop = true;
            h.changed.notify_all();
        }
    };
    if (threaded)
        worker = std::jthread(prepare);
    else
        prepare();
    Stop stop_on_exit{handover};  // declared after the thread: runs before its join

    Statement insert(*this,
                     "INSERT INTO events (id, candidate, seq, kind, date, day, route, session, bloc, outcome,"
                     " name, value, framework, third_party, start_day, end_day, recording, typed, payload,"
                     " hash, leaf)"
                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,"
                     " ?16, ?17, ?18, ?19, ?20, ?21)");
    std::size_t ready = 0;
    for (std::size_t i = 0; i < events.size(); ++i) {
        if (i >= ready) {
            std::unique_lock lock(handover.mutex);
            handover.changed.wait(lock, [&] { return handover.ready > i || handover.failed_at != SIZE_MAX; });
            ready = handover.ready;
            if (i >= ready) {  // pass 2 stopped at event i
                if (handover.error) std::rethrow_exception(handover.error);
                const std::string field = handover.field, problem = handover.problem;
                lock.unlock();
                fail(i, field, problem);
                throw LedgerError("event " + std::to_string(i) + ": " + problem);  // fail() throws
            }
        }
        const Event& e = events[i];
        const Prepared& p = prepared[i % slots];
        const detail::Columns& columns = p.columns;
        // Every bound value lives until step(): bound without a copy (reset after it).
        insert.bind(1, static_cast<std::int64_t>(out.ids[i]))
            .bind_static(2, e.candidate)
            .bind(3, seqs[i])
            .bind_static(4, to_string(e.kind()))
            .bind_static(5, p.date)
            .bind(6, p.day)
            .bind_static(7, to_string(e.route))
            .bind_static(8, e.session);
        if (!columns.bloc.empty()) insert.bind_static(9, columns.bloc);
        if (columns.outcome >= 0) insert.bind(10, std::int64_t{columns.outcome});
        if (columns.has_name) insert.bind_static(11, columns.name).bind_static(12, columns.value);
        if (columns.third_party >= 0)
            insert.bind_static(13, columns.framework).bind(14, std::int64_t{columns.third_party});
        if (columns.has_start) insert.bind(15, std::int64_t{columns.start_day});
        if (columns.has_end) insert.bind(16, std::int64_t{columns.end_day});
        insert.bind(17, out.recording)
            .bind_static_blob(18, p.typed)
            .bind_static(19, p.payload)
            .bind_static_blob(20, detail::bytes_of(p.digest))
            .bind_static_blob(21, detail::bytes_of(p.leaf));
        insert.step();
        insert.reset();  // SQLite lets go of the bound texts: the slot may be refilled
        if (threaded && ((i + 1) % step == 0)) {
            std::lock_guard lock(handover.mutex);
            handover.written = i + 1;
            handover.changed.notify_all();
        }
    }
    if (worker.joinable()) worker.join();
    Statement upsert(*this,
                     "INSERT INTO chain_heads (candidate, seq, hash) VALUES (?1, ?2, ?3)"
                     " ON CONFLICT (candidate) DO UPDATE SET seq = excluded.seq, hash = excluded.hash");
    std::vector<const std::pair<const std::string, Head>*> sorted_heads;  // a fixed write order
    sorted_heads.reserve(heads.size());
    for (const auto& entry : heads) sorted_heads.push_back(&entry);
    std::sort(sorted_heads.begin(), sorted_heads.end(), [](const auto* a, const auto* b) { return a->first < b->first; });
    for (const auto* entry : sorted_heads) {
        const auto& [candidate, head] = *entry;
        upsert.reset();
        upsert.bind(1, candidate).bind(2, head.seq).bind_blob(3, detail::bytes_of(head.hash));
        upsert.step();
    }
    Statement tree(*this, "UPDATE ledger SET tree_size = ?1, frontier = ?2");
    tree.bind(1, static_cast<std::int64_t>(frontier.size())).bind_blob(2, frontier.serialize());
    tree.step();
    return out;
}

namespace {

/// The content hash of a recording: SHA-256 over its kind, label and each event's
/// canonical JSON without id (one per line), "sha256:" + hex. Also refuses two
/// identical events in one input (`fail` must throw).
std::string content_hash(std::span<const Event> events, const RecordingInfo& info,
                         const Ledger::Impl::Fail& fail) {
    std::string all;
    all.append(detail::to_string(info.kind)).push_back('\n');
    all.append(info.label).push_back('\n');
    // Each event's text is found again in `all` by its place (no second copy of it).
    struct Place {
        std::size_t at, size, index;
    };
    const auto text_of = [&all](const Place& p) { return std::string_view(all).substr(p.at, p.size); };
    const auto hash = [&](const Place& p) { return std::hash<std::string_view>{}(text_of(p)); };
    const auto same = [&](const Place& a, const Place& b) { return text_of(a) == text_of(b); };
    std::unordered_set<Place, decltype(hash), decltype(same)> seen(events.size(), hash, same);
    Event e;  // each event in turn, its strings' capacity reused
    for (std::size_t i = 0; i < events.size(); ++i) {
        e = events[i];
        e.id = 0;
        const Place place{all.size(), 0, i};
        all.append(canonical_json(e));
        const auto [it, inserted] = seen.insert({place.at, all.size() - place.at, i});
        all.push_back('\n');
        if (!inserted)
            fail(i, "", "the same event as event " + std::to_string(it->index) + " of this input (recorded once)");
    }
    return "sha256:" + sha256_hex(all);
}

}  // namespace

Recorded Ledger::record(std::span<const Event> events, const RecordingInfo& info) {
    const Impl::Fail fail = [](std::size_t index, const std::string& field, const std::string& problem) {
        throw InvalidEvent(index, field, problem);
    };
    if (info.kind == RecordingKind::append || info.kind == RecordingKind::migration)
        throw LedgerError("record(): a recording of kind " + std::string(detail::to_string(info.kind)) +
                          " is made by the store itself; use graded_session or evidence_import");
    if (info.kind == RecordingKind::jury_session && info.label.empty())
        throw LedgerError("record(): a jury_session recording needs the jury session id as its label");
    Impl::Batch batch{info.kind, info.label, info.source, content_hash(events, info, fail)};
    Impl::Transaction t(*impl_, events.size());
    Recorded out = impl_->record(events, {}, batch, fail);
    t.commit();
    return out;
}

EventId Ledger::append(const Event& event) { return append(std::span<const Event>(&event, 1)).front(); }

std::vector<EventId> Ledger::append(std::span<const Event> events) {
    Impl::Transaction t(*impl_, events.size());
    Impl::Batch batch{RecordingKind::append, "", "Ledger::append", ""};
    auto out = impl_->record(events, {}, batch, [](std::size_t index, const std::string& field,
                                                    const std::string& problem) {
        throw InvalidEvent(index, field, problem);
    });
    t.commit();
    return std::move(out.ids);
}

void Ledger::export_jsonl(std::ostream& out) const {
    Impl::Statement s(*impl_, "SELECT payload, hash, id FROM events ORDER BY id");
    while (s.step()) {
        json j = json::parse(s.view(0));
        const auto hash = detail::hash_of(s.view(1));
        if (!hash)
            throw LedgerError(impl_->path + ": event " + std::to_string(s.integer(2)) +
                              " has a malformed hash (run verify)");
        j["hash"] = merkle::to_hex(*hash);
        out << detail::dump(j) << '\n';
    }
    if (!out) throw IoError("cannot write the JSON lines export");
}

Recorded Ledger::import_jsonl_recording(std::istream& in, std::string_view source) {
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
    const Impl::Fail fail = [&](std::size_t index, const std::string& field, const std::string& problem) {
        // "event N of this input" names the line instead.
        std::string p = problem;
        const std::string marker = "event ";
        for (std::size_t at = p.find(marker); at != std::string::npos; at = p.find(marker, at + 1)) {
            const std::size_t digits = at + marker.size();
            std::size_t end = digits;
            while (end < p.size() && std::isdigit(static_cast<unsigned char>(p[end]))) ++end;
            if (end == digits || p.compare(end, 14, " of this input") != 0) continue;
            const std::size_t k = std::stoul(p.substr(digits, end - digits));
            p.replace(at, end + 14 - at, "line " + std::to_string(line_numbers[k]));
        }
        throw ParseError(src, line_numbers[index], 0, field.empty() ? "" : "/" + field, p);
    };
    RecordingInfo info{RecordingKind::evidence_import, "", src};
    Impl::Batch batch{info.kind, "", src, content_hash(events, info, fail)};
    Impl::Transaction t(*impl_, events.size());
    Recorded out = impl_->record(events, given, batch, fail);
    t.commit();
    return out;
}

std::size_t Ledger::import_jsonl(std::istream& in, std::string_view source) {
    return import_jsonl_recording(in, source).ids.size();
}

}  // namespace certigraph::ledger
