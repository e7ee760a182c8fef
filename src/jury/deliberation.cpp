// Deliberation (docs/jury.md): the grid from the graded session, the decisions checked
// against it and the composition, the certification decisions, the ledger events.
#include <certigraph/error.hpp>
#include <certigraph/io/evaluations.hpp>
#include <certigraph/io/file.hpp>
#include <certigraph/io/json.hpp>
#include <certigraph/jury/deliberation.hpp>
#include <certigraph/ledger/ledger.hpp>

#include "jury/events.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace certigraph::jury {

namespace {

/// The smallest (value - threshold) among the criteria under an explanation node.
std::optional<double> smallest_criterion_margin(const Explanation& node) {
    if (node.kind == NodeKind::criterion) return node.margin;
    std::optional<double> best;
    for (const auto& child : node.children)
        if (auto m = smallest_criterion_margin(child); m && (!best || *m < *best)) best = m;
    return best;
}

std::string bloc_text(const std::string& candidate, const std::string& bloc) { return candidate + " / " + bloc; }

/// Checks one decision against its cell and the candidate's jury; fills the cell.
void apply_decision(const BlocDecision& d, const Candidate& c, const CandidateJury& jury, BlocCell& cell,
                    std::vector<Problem>& problems) {
    auto problem = [&](std::string code, std::string what, std::string fix) {
        problems.push_back({std::move(code), c.id, d.bloc, std::move(what), std::move(fix)});
    };
    cell.decision = d;
    const bool vae = c.route == ledger::Route::vae;
    if (d.verdict == Verdict::confirm) {
        if (vae) {
            problem("DECISION-VAE-CONFIRM", "a VAE candidate has no computed result to confirm",
                    "decide \"validate\" or \"refuse\" for " + bloc_text(c.id, d.bloc));
            return;
        }
        if (cell.computed == Status::incomplete) {
            problem("DECISION-CONFIRM-INCOMPLETE", "the computed result of " + bloc_text(c.id, d.bloc) +
                                                       " is incomplete: there is nothing to confirm",
                    "validate or refuse with a reason, or leave the bloc for a later session");
            return;
        }
        if (cell.computed == Status::validated) cell.validated = true;
        if (cell.computed == Status::not_validated) cell.validated = false;
    } else {
        cell.validated = d.verdict == Verdict::validate;
        if (!vae) {
            const Status same = *cell.validated ? Status::validated : Status::not_validated;
            cell.against = cell.computed != same;
        }
    }
    if (cell.against && d.reason.find_first_not_of(" \t\r\n") == std::string::npos)
        problem("DECISION-REASON",
                "the jury " + std::string(*cell.validated ? "validates" : "refuses") + " " + bloc_text(c.id, d.bloc) +
                    " against the computed result (" + std::string(to_string(*cell.computed)) + ") without a reason",
                "record the jury's reason with the decision: a decision against the computed result needs one");
    if (!d.votes) return;
    const Votes& v = *d.votes;
    const int cast = v.validate + v.refuse + v.abstain;
    const int members = static_cast<int>(jury.deciding.size());
    if (cast != members) {
        problem("DECISION-VOTES",
                std::to_string(cast) + " votes and abstentions on " + bloc_text(c.id, d.bloc) + " for " +
                    std::to_string(members) + " deciding members",
                "count one vote or abstention per deciding member (" + std::to_string(members) + ")");
        return;
    }
    std::optional<bool> carried;
    if (v.validate != v.refuse) {
        carried = v.validate > v.refuse;
        if (v.casting_vote)
            problem("DECISION-VOTES", "a casting vote on " + bloc_text(c.id, d.bloc) + " without a tie",
                    "the president's casting vote only decides a tie; remove it");
    } else if (!v.casting_vote) {
        problem("DECISION-TIE", std::to_string(v.validate) + " votes to " + std::to_string(v.refuse) + " on " +
                                    bloc_text(c.id, d.bloc) + ": a tie",
                "record the president's casting vote (\"casting_vote\": \"validate\" or \"refuse\")");
    } else if (jury.president.empty()) {
        problem("DECISION-TIE", "a tie on " + bloc_text(c.id, d.bloc) + " but no president decides on " + c.id,
                "a president without a link to the candidate must sit to break the tie");
    } else {
        carried = *v.casting_vote;
    }
    if (carried && cell.validated && *carried != *cell.validated)
        problem("DECISION-VOTES",
                "the votes on " + bloc_text(c.id, d.bloc) + " carry \"" + (*carried ? "validate" : "refuse") +
                    "\" but the decision " + (*cell.validated ? "validates" : "refuses") + " the bloc",
                "record the outcome the votes carried");
}

std::string referentiel_hash(const Referentiel& referentiel) {
    return "sha256:" + ledger::sha256_hex(io::referentiel_to_json(referentiel));
}

}  // namespace

Record grid(const Session& session, const Referentiel& referentiel, const Grader* grader, const Cohort* cohort,
            const GradeResult* result) {
    const Certification& cert = referentiel.certification();
    if (session.referentiel.fiche != cert.code)
        throw Error("the session is for " + session.referentiel.fiche + " but the référentiel is " + cert.code +
                    "; give the référentiel of the session");
    if (const std::string h = referentiel_hash(referentiel); h != session.referentiel.content_hash)
        throw Error("the référentiel's content hash is " + h + " but the session names " +
                    session.referentiel.content_hash +
                    ": the référentiel changed since the session was prepared; use the version the session names, "
                    "or update \"content_hash\" after checking the changes");
    for (const auto& code : session.epreuves) {
        const auto e = referentiel.epreuves();
        if (std::none_of(e.begin(), e.end(), [&](const Epreuve& x) { return x.code == code; }))
            throw Error("the session covers épreuve '" + code + "', which " + cert.code +
                        " does not have; list épreuve codes of the référentiel in \"epreuves\"");
    }
    const bool exam = std::any_of(session.candidates.begin(), session.candidates.end(),
                                  [](const Candidate& c) { return c.route == ledger::Route::exam; });
    if (exam && !(grader && cohort && result))
        throw Error("exam candidates need their graded session: give the grader, cohort and result");

    Record r;
    r.session = session;
    r.certification_title = cert.title;
    r.level = cert.level;
    r.certifiers = cert.certifiers;
    if (grader) r.policy_hash = "sha256:" + ledger::sha256_hex(io::policy_to_json(grader->policy()));
    r.composition = check_composition(session);

    const auto blocs = referentiel.blocs();
    for (std::size_t i = 0; i < session.candidates.size(); ++i) {
        const Candidate& c = session.candidates[i];
        CandidateRecord cr;
        cr.candidate = c;
        cr.jury = r.composition.juries[i];
        std::vector<Explanation> why;
        std::size_t row = 0;
        if (c.route == ledger::Route::exam) {
            row = cohort->find_row(c.id, session.grading->exam_session);
            if (row < cohort->rows()) why = grader->explain(*cohort, row);
        }
        for (std::size_t b = 0; b < blocs.size(); ++b) {
            BlocCell cell;
            cell.bloc = blocs[b].code;
            cell.title = blocs[b].title;
            if (c.route == ledger::Route::exam) {
                cell.computed = row < cohort->rows() ? result->bloc(row, b) : Status::incomplete;
                for (const auto& e : why)
                    if (e.code == cell.bloc) cell.margin = smallest_criterion_margin(e);
                // Means of float marks carry float noise (2.8499999…): 4 decimals are kept.
                if (cell.margin) cell.margin = std::round(*cell.margin * 1e4) / 1e4;
            }
            cr.blocs.push_back(std::move(cell));
        }
        if (!cr.jury.compliant)
            r.problems.push_back({"COMPOSITION", c.id, "",
                                  "the jury deciding on " + c.id + " does not comply with the composition rules",
                                  "fix the findings of `certigraph jury check`, or record an override naming them "
                                  "with its reason"});
        for (const auto& d : session.decisions) {
            if (d.candidate != c.id) continue;
            const auto cell = std::find_if(cr.blocs.begin(), cr.blocs.end(), [&](const BlocCell& x) { return x.bloc == d.bloc; });
            if (cell == cr.blocs.end()) {
                r.problems.push_back({"DECISION-UNKNOWN-BLOC", c.id, d.bloc,
                                      "'" + d.bloc + "' is not a bloc of " + cert.code, "use a bloc code of the référentiel"});
                continue;
            }
            apply_decision(d, c, cr.jury, *cell, r.problems);
        }
        const bool vae = c.route == ledger::Route::vae;
        if (vae && std::none_of(cr.blocs.begin(), cr.blocs.end(), [](const BlocCell& x) { return x.decision.has_value(); }))
            r.problems.push_back({"DECISION-MISSING", c.id, "",
                                  "no decision on the VAE candidate " + c.id,
                                  "validate or refuse each bloc the dossier covers"});
        for (const auto& cell : cr.blocs)
            if (!vae && !cell.decision &&
                (cell.computed == Status::validated || cell.computed == Status::not_validated))
                r.problems.push_back({"DECISION-MISSING", c.id, cell.bloc,
                                      "no decision on " + bloc_text(c.id, cell.bloc) +
                                          (cell.computed ? " (computed: " + std::string(to_string(*cell.computed)) + ")" : ""),
                                      "confirm the computed result (`certigraph jury decide --confirm-rest`), or "
                                      "validate or refuse it with a reason"});
        r.candidates.push_back(std::move(cr));
    }
    return r;
}

Record prepare(const Session& session, const Referentiel& referentiel, const Grader* grader, const Cohort* cohort,
               const GradeResult* result, std::span<const ledger::Event> on_record) {
    Record r = grid(session, referentiel, grader, cohort, result);
    // Events already on record from this very session (a sealed session prepared again,
    // e.g. for its procès-verbal) do not count twice.
    std::vector<ledger::Event> before;
    for (const auto& e : on_record)
        if (e.session != session.id) before.push_back(e);
    std::vector<ledger::Event> added = detail::bloc_events(r, before, &r.problems);
    if (session.corrects) {
        // What a correction session decides again replaces the corrected session's events.
        const auto gone = detail::superseded(r, added, before);
        std::erase_if(before, [&](const ledger::Event& e) {
            return std::find(gone.begin(), gone.end(), e.id) != gone.end();
        });
    }
    for (auto& cr : r.candidates) {
        const std::string& id = cr.candidate.id;
        std::vector<ledger::Event> events;
        for (const auto& e : before)
            if (e.candidate == id) events.push_back(e);
        for (const auto& e : added)
            if (e.candidate == id) events.push_back(e);
        const ledger::Eligibility answer = ledger::eligibility(referentiel, events, session.date);
        CertificationOutcome outcome;
        outcome.eligible = answer.eligible;
        for (const auto& check : answer.checks) {
            if (!check.required) continue;
            if (!check.met) outcome.missing.push_back(check.subject);
            cr.reasons.push_back(check.subject + ": " + ledger::explain(check, referentiel));
        }
        const auto w = std::find_if(session.withheld.begin(), session.withheld.end(),
                                    [&](const Withholding& x) { return x.candidate == id; });
        if (w != session.withheld.end()) {
            if (!answer.eligible)
                r.problems.push_back({"WITHHOLD-NOT-ELIGIBLE", id, "",
                                      id + " is not eligible as of " + session.date.to_string() +
                                          ": there is no certification to withhold",
                                      "remove the withholding; the decision already says what is missing"});
            outcome.reason = w->reason;
        }
        outcome.awarded = answer.eligible && w == session.withheld.end();
        cr.certification = std::move(outcome);
    }
    return r;
}

GradingInputs grading_paths(const Session& session, const std::filesystem::path& base) {
    if (!session.grading)
        throw Error("the session names no référentiel (no \"grading\"): give the référentiel file");
    GradingInputs paths = *session.grading;
    for (std::string* p : {&paths.referentiel, &paths.policy, &paths.evaluations})
        if (!std::filesystem::path(*p).is_absolute()) *p = (base / *p).string();
    return paths;
}

GradedSession load_graded_session(const Session& session, const std::filesystem::path& base,
                                  const std::filesystem::path& referentiel) {
    if (!referentiel.empty() && !session.grading) return GradedSession{io::load_referentiel(referentiel)};
    const GradingInputs paths = grading_paths(session, base);
    GradedSession g{io::load_referentiel(referentiel.empty() ? std::filesystem::path(paths.referentiel) : referentiel)};
    const std::filesystem::path policy_path = paths.policy;
    g.grader.emplace(g.referentiel, io::policy_from_json(io::read_input(policy_path), policy_path.string()));
    std::vector<Scale> scales;
    for (Index k = 0; k < g.referentiel.criteria().size(); ++k) scales.push_back(g.grader->scale_of_criterion(k));
    const std::filesystem::path evaluations_path = paths.evaluations;
    const std::string text = io::read_input(evaluations_path);
    g.evaluations_hash = "sha256:" + ledger::sha256_hex(text);
    g.cohort.emplace(io::read_evaluations(g.referentiel, scales, text, evaluations_path.string()));
    GradeOptions options;
    options.threads = 1;
    g.result.emplace(g.grader->grade(*g.cohort, options));
    bool any = false;
    for (std::size_t row = 0; row < g.cohort->rows() && !any; ++row)
        any = g.cohort->session(row) == session.grading->exam_session;
    if (!any)
        throw Error(evaluations_path.string() + " has no row of exam session '" + session.grading->exam_session +
                    "'; set \"exam_session\" to the session column of the evaluations");
    return g;
}

Record grid(const Session& session, const GradedSession& g) {
    Record r = grid(session, g.referentiel, g.grader ? &*g.grader : nullptr, g.cohort ? &*g.cohort : nullptr,
                    g.result ? &*g.result : nullptr);
    r.evaluations_hash = g.evaluations_hash;
    return r;
}

Record prepare(const Session& session, const GradedSession& g, std::span<const ledger::Event> events) {
    Record r = prepare(session, g.referentiel, g.grader ? &*g.grader : nullptr, g.cohort ? &*g.cohort : nullptr,
                       g.result ? &*g.result : nullptr, events);
    r.evaluations_hash = g.evaluations_hash;
    return r;
}

}  // namespace certigraph::jury
