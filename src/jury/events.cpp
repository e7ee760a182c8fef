// The ledger events of a jury record (docs/jury.md, "What the ledger receives").
#include <certigraph/error.hpp>
#include <certigraph/jury/deliberation.hpp>

#include "jury/events.hpp"

#include <algorithm>
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

}  // namespace detail

}  // namespace certigraph::jury
