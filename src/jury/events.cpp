// The ledger events of a jury record (docs/jury.md, "What the ledger receives").
#include <certigraph/error.hpp>
#include <certigraph/jury/deliberation.hpp>

#include "jury/events.hpp"

#include <algorithm>
#include <iterator>
#include <type_traits>
#include <unordered_map>
#include <variant>

namespace certigraph::jury {

namespace {

ledger::Event header(const Record& record, const std::string& candidate, ledger::Route route, std::string session) {
    ledger::Event e;
    e.candidate = candidate;
    e.date = record.session.date;
    e.session = std::move(session);
    e.route = route;
    e.referentiel = record.session.referentiel;
    return e;
}

/// The bloc_result on record for (candidate, exam session, bloc), if any.
const ledger::Event* result_on_record(std::span<const ledger::Event> on_record, const std::string& candidate,
                                      const std::string& session, const std::string& bloc) {
    for (const auto& e : on_record)
        if (const auto* b = std::get_if<ledger::BlocResult>(&e.body))
            if (e.candidate == candidate && e.session == session && b->bloc == bloc) return &e;
    return nullptr;
}

}  // namespace

namespace detail {

std::vector<ledger::Event> bloc_events(const Record& record, std::span<const ledger::Event> on_record,
                                       std::vector<Problem>* conflicts) {
    std::vector<ledger::Event> out;
    const Session& s = record.session;
    for (const auto& cr : record.candidates) {
        const Candidate& c = cr.candidate;
        if (c.route == ledger::Route::vae) {
            ledger::VaeDecision vae;
            for (const auto& cell : cr.blocs)
                if (cell.validated) (*cell.validated ? vae.acquired : vae.refused).push_back(cell.bloc);
            if (vae.acquired.empty() && vae.refused.empty()) continue;
            vae.prescriptions = c.prescriptions;
            ledger::Event e = header(record, c.id, ledger::Route::vae, s.id);
            e.body = std::move(vae);
            out.push_back(std::move(e));
            continue;
        }
        const std::string& exam = s.grading->exam_session;
        for (const auto& cell : cr.blocs) {
            if (!cell.validated || !cell.computed) continue;
            const bool decided_computed = *cell.computed == Status::validated || *cell.computed == Status::not_validated;
            if (decided_computed) {
                const bool computed = *cell.computed == Status::validated;
                const ledger::Event* held = result_on_record(on_record, c.id, exam, cell.bloc);
                if (held && std::get<ledger::BlocResult>(held->body).validated != computed) {
                    if (conflicts)
                        conflicts->push_back(
                            {"LEDGER-CONFLICT", c.id, cell.bloc,
                             "the ledger holds " + std::string(computed ? "a refusal" : "a validation") + " of " +
                                 cell.bloc + " for " + c.id + " in exam session " + exam + " (event #" +
                                 std::to_string(held->id) + "), but the graded session computes the opposite",
                             "check that the evaluations are those recorded; correct the ledger with "
                             "`certigraph ledger correct` if they are"});
                    continue;
                }
                if (!held) {
                    ledger::Event e = header(record, c.id, ledger::Route::exam, exam);
                    e.policy_hash = record.policy_hash;
                    e.evidence = {s.grading->evaluations};
                    e.body = ledger::BlocResult{cell.bloc, computed};
                    out.push_back(std::move(e));
                }
            }
            if (cell.against) {
                ledger::Event e = header(record, c.id, ledger::Route::jury_decision, s.id);
                e.body = ledger::JuryDecision{cell.bloc, *cell.validated, decided_computed ? exam : std::string(),
                                              cell.decision->reason};
                out.push_back(std::move(e));
            }
        }
    }
    return out;
}

/// The corrected session's event that `fresh` takes the place of: the same candidate
/// and kind (and bloc, for a jury decision).
const ledger::Event* replaced_by(const Session& s, const ledger::Event& fresh, std::span<const ledger::Event> on_record) {
    const ledger::Event* found = nullptr;
    for (const auto& held : on_record) {
        if (held.candidate != fresh.candidate || held.session != s.corrects->session || held.kind() != fresh.kind())
            continue;
        const auto* a = std::get_if<ledger::JuryDecision>(&held.body);
        const auto* b = std::get_if<ledger::JuryDecision>(&fresh.body);
        if (a && b && a->bloc != b->bloc) continue;
        found = &held;  // the latest of them
    }
    return found;
}

/// The corrected session's jury decisions on blocs this session decides without going
/// against the computed result: withdrawn.
std::vector<const ledger::Event*> withdrawn(const Record& record, std::span<const ledger::Event> on_record) {
    std::vector<const ledger::Event*> out;
    for (const auto& cr : record.candidates)
        for (const auto& cell : cr.blocs) {
            if (!cell.decision || cell.against) continue;
            for (const auto& held : on_record) {
                const auto* j = std::get_if<ledger::JuryDecision>(&held.body);
                if (j && held.candidate == cr.candidate.id && held.session == record.session.corrects->session &&
                    j->bloc == cell.bloc)
                    out.push_back(&held);
            }
        }
    return out;
}

std::vector<ledger::EventId> superseded(const Record& record, std::span<const ledger::Event> fresh,
                                        std::span<const ledger::Event> on_record) {
    std::vector<ledger::EventId> out;
    if (!record.session.corrects) return out;
    for (const auto& e : fresh)
        if (!std::holds_alternative<ledger::BlocResult>(e.body))
            if (const ledger::Event* held = replaced_by(record.session, e, on_record)) out.push_back(held->id);
    for (const ledger::Event* held : withdrawn(record, on_record)) out.push_back(held->id);
    return out;
}

}  // namespace detail

std::vector<ledger::Event> ledger_events(const Record& record, std::span<const ledger::Event> on_record) {
    if (!record.problems.empty())
        throw Error("the session has " + std::to_string(record.problems.size()) +
                    " problem(s) and gives no ledger events; the first: " + record.problems.front().problem);
    const Session& s = record.session;
    std::vector<ledger::Event> out = detail::bloc_events(record, on_record);
    for (const auto& cr : record.candidates) {
        if (!cr.certification)
            throw Error("the record was not prepared: no certification decision for " + cr.candidate.id);
        ledger::Event e = header(record, cr.candidate.id, cr.candidate.route, s.id);
        e.body = ledger::CertificationDecision{cr.certification->awarded, cr.certification->eligible,
                                               cr.certification->missing, cr.certification->reason};
        out.push_back(std::move(e));
    }
    if (s.corrects) {
        // A correction session: what it decides again supersedes the corrected session's
        // event; a decision that no longer goes against the computed result withdraws it.
        for (auto& e : out) {
            if (std::holds_alternative<ledger::BlocResult>(e.body)) continue;
            const ledger::Event* held = detail::replaced_by(s, e, on_record);
            if (!held) continue;
            ledger::Fact replacement = std::visit(
                [](auto&& body) -> ledger::Fact {
                    if constexpr (std::is_same_v<std::decay_t<decltype(body)>, ledger::Correction>)
                        throw Error("a correction session does not record corrections of corrections");
                    else
                        return body;
                },
                std::move(e.body));
            e.body = ledger::Correction{held->id, s.corrects->reason, std::move(replacement)};
        }
        for (const ledger::Event* held : detail::withdrawn(record, on_record)) {
            ledger::Event e = header(record, held->candidate, held->route, s.id);
            e.body = ledger::Correction{held->id, s.corrects->reason, std::nullopt};
            out.push_back(std::move(e));
        }
    }
    // Candidate by candidate, in session order (each candidate's chain gets its events together).
    std::unordered_map<std::string_view, std::size_t> rank;
    for (std::size_t i = 0; i < s.candidates.size(); ++i) rank.emplace(s.candidates[i].id, i);
    std::stable_sort(out.begin(), out.end(), [&](const ledger::Event& a, const ledger::Event& b) {
        return rank.at(a.candidate) < rank.at(b.candidate);
    });
    return out;
}

std::vector<ledger::Event> events_on_record(const Session& session, const ledger::Ledger& store) {
    std::vector<ledger::Event> out;
    for (const auto& c : session.candidates) {
        auto events = store.events(c.id);
        out.insert(out.end(), std::make_move_iterator(events.begin()), std::make_move_iterator(events.end()));
    }
    return out;
}

Sealed seal_session(const Session& session, const GradedSession& graded, ledger::Ledger& store,
                    std::string_view source) {
    for (const auto& row : store.recordings())
        if (row.kind == ledger::RecordingKind::jury_session && row.label == session.id)
            throw AlreadyRecorded("jury session " + session.id + " was sealed and recorded on " + row.recorded_at +
                                  " (recording " + std::to_string(row.id) +
                                  "): nothing added. A later change goes through a correction session with its "
                                  "reason (\"corrects\" in a new session file), or `certigraph ledger correct`");
    const std::vector<ledger::Event> on_record = events_on_record(session, store);
    Sealed out{prepare(session, graded, on_record)};
    seal(out.record);
    out.events = ledger_events(out.record, on_record);
    out.recorded = store.record(out.events, {ledger::RecordingKind::jury_session, session.id, std::string(source)});
    if (out.recorded.already)
        throw AlreadyRecorded("jury session " + session.id + " was sealed and recorded on " + out.recorded.recorded_at +
                              " (recording " + std::to_string(out.recorded.recording) +
                              "): nothing added. A later change goes through a correction session with its reason "
                              "(\"corrects\" in a new session file), or `certigraph ledger correct`");
    return out;
}

}  // namespace certigraph::jury
