// `certigraph ledger decide|correct|recordings` and the per-event lines and JSON of
// `ledger show`: one jury decision or correction without writing JSON by hand
// (docs/ledger.md, "Jury decisions from the command line").
#include "cli/common.hpp"

#include <certigraph/ledger/eligibility.hpp>
#include <certigraph/ledger/ledger.hpp>
#include <certigraph/ledger/state.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <iostream>

namespace certigraph::cli {

using ledger::Event;
using ledger::Ledger;
using json = nlohmann::json;

namespace {

template <class... F>
struct Overloaded : F... {
    using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

Date parse_date_option(const std::string& text, const char* option) {
    const auto d = Date::parse(text);
    if (!d) throw Error(std::string(option) + " '" + text + "' is not a date; write YYYY-MM-DD");
    return *d;
}

Date today_utc() {
    const std::chrono::year_month_day ymd{std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())};
    return Date(static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

std::string joined(const std::vector<std::string>& parts, std::string_view separator = ", ") {
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : std::string(separator)) + p;
    return out;
}

/// The eligibility of a candidate as of `date` from every event of theirs, as
/// `certigraph eligibility` computes it: (eligible, subjects of the unmet required
/// checks, what is missing in sentences).
struct EligibilityAsOf {
    bool eligible = false;
    std::vector<std::string> subjects;
    std::vector<std::string> sentences;
};
EligibilityAsOf eligibility_as_of(const Referentiel& ref, const std::vector<Event>& events, Date date) {
    const ledger::Eligibility answer = ledger::eligibility(ref, events, date);
    EligibilityAsOf out{answer.eligible, {}, {}};
    for (const auto& c : answer.checks) {
        if (!c.required || c.met) continue;
        out.subjects.push_back(c.subject);
        if (auto m = ledger::missing(c, ref); !m.empty()) out.sentences.push_back(std::move(m));
    }
    return out;
}

ledger::ReferentielVersion version_of(const Referentiel& ref) {
    return {ref.certification().code, "sha256:" + ledger::sha256_hex(io::referentiel_to_json(ref))};
}

/// Records one event as its own idempotent recording and says what was recorded.
ledger::EventId record_one(Ledger& store, const std::string& db, const Event& e, const char* command) {
    ledger::Recorded r;
    try {
        r = store.record(std::span<const Event>(&e, 1),
                         {ledger::RecordingKind::evidence_import, "", std::string("certigraph ledger ") + command});
    } catch (const ledger::InvalidEvent& error) {  // one event: "event 0: " says nothing
        const std::string prefix = "event " + std::to_string(error.index()) + ": ";
        throw Error(std::string(error.what()).substr(prefix.size()) + " (nothing recorded)");
    }
    if (r.already) {
        std::cout << "already recorded in " << db << " (recording " << r.recording << " of " << r.recorded_at
                  << "): nothing added\n";
        return 0;
    }
    return r.ids.front();
}

std::string outcome_word(bool validated) { return validated ? "validated" : "refused"; }

}  // namespace

/// What an event says in a few words: the bloc and outcome, or its kind's key value.
std::string event_summary(const ledger::Fact& fact) {
    return std::visit(
        Overloaded{
            [](const ledger::BlocResult& r) { return r.bloc + " " + outcome_word(r.validated); },
            [](const ledger::JuryDecision& j) {
                return j.bloc + " " + outcome_word(j.validated) +
                       (j.overrides_session.empty() ? "" : " (overrides session " + j.overrides_session + ")");
            },
            [](const ledger::VaeDecision& v) {
                std::string s = v.acquired.empty() ? "" : "acquired " + joined(v.acquired);
                if (!v.refused.empty()) s += (s.empty() ? "" : "; ") + std::string("refused ") + joined(v.refused);
                return s;
            },
            [](const ledger::BlocCredit& c) { return c.bloc + " credited from " + c.from_certification; },
            [](const ledger::LanguageCertificate& l) {
                return l.language + " " + l.framework + " " + l.level + " (" + l.issuer + ")";
            },
            [](const ledger::MobilityPeriod& p) { return p.start.to_string() + ".." + p.end.to_string(); },
            [](const ledger::WorkPeriod& p) { return p.start.to_string() + ".." + p.end.to_string(); },
            [](const ledger::Attribute& a) { return a.name + " = " + a.value; },
            [](const ledger::PathStart& p) { return p.access_route; },
            [](const ledger::DeliveryException& x) { return x.basis; },
            [](const ledger::CertificationDecision& d) {
                return std::string(d.awarded ? "awarded" : "withheld") + (d.eligible ? " (eligible)" : " (not eligible)");
            },
        },
        fact);
}

std::string event_summary(const Event& e) {
    if (const auto* c = std::get_if<ledger::Correction>(&e.body))
        return "supersedes #" + std::to_string(c->supersedes) +
               (c->replacement ? ": " + event_summary(*c->replacement) : std::string(": withdrawn"));
    return std::visit(
        [](const auto& body) -> std::string {
            if constexpr (std::is_same_v<std::decay_t<decltype(body)>, ledger::Correction>)
                return {};  // handled above
            else
                return event_summary(ledger::Fact(body));
        },
        e.body);
}

json state_json(const ledger::CapitalisationState& s) {
    const auto date = [](const std::optional<Date>& d) { return d ? json(d->to_string()) : json(nullptr); };
    const auto id = [](ledger::EventId e) { return e ? json(e) : json(nullptr); };
    json blocs = json::object();
    for (const auto& [code, b] : s.blocs)
        blocs[code] = json{{"acquired", b.acquired},
                           {"since", date(b.since)},
                           {"route", b.route ? json(std::string(to_string(*b.route))) : json(nullptr)},
                           {"event", id(b.event)},
                           {"corrects", id(b.corrects)},
                           {"refusals", b.refusals},
                           {"last_refused", date(b.last_refused)}};
    json languages = json::array();
    for (const auto& h : s.languages)
        languages.push_back(json{{"language", h.certificate.language},
                                 {"framework", h.certificate.framework},
                                 {"level", h.certificate.level},
                                 {"issuer", h.certificate.issuer},
                                 {"third_party", h.certificate.third_party},
                                 {"issued", h.certificate.issued.to_string()},
                                 {"event", h.event}});
    json exceptions = json::array();
    for (const auto& h : s.exceptions)
        exceptions.push_back(json{{"basis", h.exception.basis},
                                  {"reason", h.exception.reason},
                                  {"date", h.date.to_string()},
                                  {"event", h.event}});
    json certification = nullptr;
    if (const auto& d = s.certification)
        certification = json{{"awarded", d->decision.awarded},
                             {"eligible", d->decision.eligible},
                             {"missing", d->decision.missing},
                             {"reason", d->decision.reason},
                             {"date", d->date.to_string()},
                             {"session", d->session},
                             {"route", std::string(to_string(d->route))},
                             {"event", d->event},
                             {"corrects", id(d->corrects)}};
    return json{{"as_of", s.as_of.to_string()},
                {"blocs", std::move(blocs)},
                {"languages", std::move(languages)},
                {"mobility_days", s.mobility_days},
                {"mobility_weeks", s.mobility_weeks},
                {"work_days", s.work_days},
                {"work_months", s.work_months},
                {"work_longest_months", s.work_longest_months},
                {"path_started", date(s.path_started)},
                {"path_access_route", s.path_access_route},
                {"path_event", id(s.path_event)},
                {"exceptions", std::move(exceptions)},
                {"first_event", date(s.first_event)},
                {"attributes", s.attributes},
                {"problems", s.problems},
                {"certification", std::move(certification)}};
}

std::string show_json(const std::string& candidate, const std::vector<Event>& events,
                      const ledger::CapitalisationState& state) {
    json list = json::array();
    for (const auto& e : events) list.push_back(json::parse(ledger::canonical_json(e)));
    const json out{{"candidate", candidate},
                   {"as_of", state.as_of.to_string()},
                   {"events", std::move(list)},
                   {"state", state_json(state)}};
    return out.dump(2, ' ', false, json::error_handler_t::replace);
}

int run_ledger_decide(const DecideArguments& a) {
    const Date date = parse_date_option(a.date, "--date");
    Ledger store = open_existing_ledger(a.db);
    const Referentiel ref = io::load_referentiel(a.referentiel);
    const std::vector<Event> events = store.events(a.candidate);
    Event e;
    e.candidate = a.candidate;
    e.date = date;
    e.session = a.session;
    e.referentiel = version_of(ref);
    e.evidence = a.evidence;
    if (!a.bloc.empty()) {  // one jury decision on a bloc
        if (a.validated == a.refused) throw Error("--bloc: say --validated or --refused");
        if (a.reason.empty()) throw Error("--bloc: a jury decision on a bloc needs --reason");
        if (!a.certification.empty()) throw Error("--bloc and --certification are two decisions: record one at a time");
        if (!ref.find(a.bloc) || ref.find(a.bloc)->kind != NodeKind::bloc)
            throw Error("bloc " + a.bloc + " is not a bloc of " + ref.certification().code + " (" + a.referentiel +
                        "); check --bloc");
        if (!a.overrides_session.empty()) {
            bool found = false;
            for (const auto& other : events)
                if (const auto* r = std::get_if<ledger::BlocResult>(&other.body))
                    found = found || (other.session == a.overrides_session && r->bloc == a.bloc);
            if (!found)
                throw Error("candidate '" + printable(a.candidate) + "' has no result of bloc " + a.bloc +
                            " in session '" + printable(a.overrides_session) +
                            "' to override; check --overrides-session (or leave it out for a decision with no "
                            "computed result behind it)");
        }
        for (const auto& other : events)
            if (const auto* j = std::get_if<ledger::JuryDecision>(&other.body);
                j && other.session == a.session && j->bloc == a.bloc &&
                !(j->validated == a.validated && j->reason == a.reason && other.date == date))
                throw Error("jury session '" + printable(a.session) + "' already decided bloc " + a.bloc + " for '" +
                            printable(a.candidate) + "' (event #" + std::to_string(other.id) +
                            "); change it with `certigraph ledger correct " + a.db + " --event " +
                            std::to_string(other.id) + " --reason …`");
        e.route = ledger::Route::jury_decision;
        e.body = ledger::JuryDecision{a.bloc, a.validated, a.overrides_session, a.reason};
    } else if (!a.certification.empty()) {  // the decision on the whole certification
        if (a.validated || a.refused) throw Error("--validated/--refused go with --bloc; a certification is awarded or withheld");
        if (events.empty())
            throw NotFound("no event for candidate '" + printable(a.candidate) + "' in " + a.db +
                           "; nothing to decide on");
        const bool awarded = a.certification == "awarded";
        const EligibilityAsOf el = eligibility_as_of(ref, events, date);
        if (awarded && !el.eligible)
            throw Error("'" + printable(a.candidate) + "' is not eligible for " + ref.certification().code +
                        " as of " + date.to_string() + " (missing: " + joined(el.sentences, "; ") +
                        "): a certification is awarded only to an eligible candidate; record "
                        "--certification withheld, or record what is missing first");
        if (!awarded && el.eligible && a.reason.empty())
            throw Error("'" + printable(a.candidate) + "' is eligible as of " + date.to_string() +
                        ": withholding the certification needs --reason");
        const ledger::CertificationDecision decision{awarded, el.eligible,
                                                     el.eligible ? std::vector<std::string>{} : el.subjects, a.reason};
        for (const auto& other : events)
            if (const auto* earlier = std::get_if<ledger::CertificationDecision>(&other.body);
                earlier && other.session == a.session && !(*earlier == decision && other.date == date))
                throw Error("jury session '" + printable(a.session) + "' already decided the certification of '" +
                            printable(a.candidate) + "' (event #" + std::to_string(other.id) +
                            "); change it with `certigraph ledger correct " + a.db + " --event " +
                            std::to_string(other.id) + " --reason … --awarded|--withheld`");
        // The route before the jury: VAE when the candidate's path is a VAE.
        ledger::Route route = ledger::Route::exam;
        if (!a.route.empty()) {
            const auto r = ledger::route_from_string(a.route);
            if (!r || (*r != ledger::Route::exam && *r != ledger::Route::vae))
                throw Error("--route '" + a.route + "': a certification decision's route is exam or vae");
            route = *r;
        } else {
            const auto state = ledger::state_as_of(events, date);
            bool vae = state.path_access_route == "vae";
            for (const auto& other : events) vae = vae || std::holds_alternative<ledger::VaeDecision>(other.body);
            if (vae) route = ledger::Route::vae;
        }
        e.route = route;
        e.body = decision;
    } else {
        throw Error("ledger decide: say what is decided: --bloc B (--validated|--refused) or --certification "
                    "awarded|withheld");
    }
    const ledger::EventId id = record_one(store, a.db, e, "decide");
    if (id == 0) return ok;
    std::cout << "recorded " << to_string(e.kind()) << " #" << id << " for " << printable(a.candidate) << " on "
              << date.to_string() << " (jury session " << printable(a.session) << "): "
              << printable(event_summary(e)) << '\n';
    return ok;
}

int run_ledger_correct(const CorrectArguments& a) {
    Ledger store = open_existing_ledger(a.db);
    const auto target = store.event(a.event);
    const std::string show_hint = a.candidate.empty()
                                      ? "`certigraph ledger export " + a.db + "`"
                                      : "`certigraph ledger show " + a.db + " --candidate " + a.candidate + "`";
    if (!target)
        throw NotFound("no event #" + std::to_string(a.event) + " in " + a.db + " (" +
                       counted(store.size(), "event", "events") + "); find its id with " + show_hint);
    if (!a.candidate.empty() && target->candidate != a.candidate)
        throw Error("event #" + std::to_string(a.event) + " is of candidate '" + printable(target->candidate) +
                    "', not '" + printable(a.candidate) + "'; check --event with " + show_hint);
    const int choices = a.validated + a.refused + a.withdraw + a.awarded + a.withheld;
    if (choices != 1)
        throw Error("ledger correct: say what the event becomes: one of --validated, --refused, --awarded, "
                    "--withheld (the fact corrected) or --withdraw (no replacement)");
    // The fact in force for that event: the latest replacement down its chain of
    // corrections, else the original event's own; `root` is that original event.
    Event root = *target;
    std::optional<ledger::Fact> fact;
    while (const auto* c = std::get_if<ledger::Correction>(&root.body)) {
        if (c->replacement && !fact) fact = *c->replacement;
        auto earlier = store.event(c->supersedes);  // always an earlier id: the chain ends
        if (!earlier) throw Error("event #" + std::to_string(c->supersedes) + ", which #" +
                                  std::to_string(a.event) + " corrects, is not in " + a.db + " (run verify)");
        root = std::move(*earlier);
    }
    if (!fact)
        fact = std::visit(
            [](const auto& b) -> ledger::Fact {
                if constexpr (std::is_same_v<std::decay_t<decltype(b)>, ledger::Correction>)
                    return ledger::BlocResult{};  // unreachable: the loop above ends on a fact
                else
                    return b;
            },
            root.body);
    ledger::Correction correction{a.event, a.reason, std::nullopt};
    if (!a.withdraw) {
        const std::string kind(to_string(ledger::kind_of(*fact)));
        if (a.validated || a.refused) {
            if (auto* r = std::get_if<ledger::BlocResult>(&*fact))
                r->validated = a.validated;
            else if (auto* j = std::get_if<ledger::JuryDecision>(&*fact))
                j->validated = a.validated;
            else
                throw Error("event #" + std::to_string(a.event) + " is a " + kind +
                            ": --validated/--refused correct a bloc_result or a jury_decision (--withdraw it, or "
                            "import a correction with its replacement as JSON lines)");
        } else {
            auto* d = std::get_if<ledger::CertificationDecision>(&*fact);
            if (!d)
                throw Error("event #" + std::to_string(a.event) + " is a " + kind +
                            ": --awarded/--withheld correct a certification_decision");
            d->awarded = a.awarded;
            d->reason = a.reason;
            if (!a.referentiel.empty()) {  // the eligibility as of the decision's date, from today's ledger
                const Referentiel ref = io::load_referentiel(a.referentiel);
                const EligibilityAsOf el = eligibility_as_of(ref, store.events(target->candidate), root.date);
                d->eligible = el.eligible;
                d->missing = el.eligible ? std::vector<std::string>{} : el.subjects;
                if (d->awarded && !el.eligible)
                    throw Error("'" + printable(target->candidate) + "' is not eligible as of " +
                                root.date.to_string() + " (missing: " + joined(el.sentences, "; ") +
                                "): a certification is awarded only to an eligible candidate");
            } else if (d->awarded && !d->eligible) {
                throw Error("decision #" + std::to_string(a.event) + " found '" + printable(target->candidate) +
                            "' not eligible (missing: " + joined(d->missing) +
                            "): a certification is awarded only to an eligible candidate; if the ledger now says "
                            "otherwise, give --referentiel to compute the eligibility again");
            }
        }
        correction.replacement = std::move(*fact);
    }
    Event e;
    e.candidate = target->candidate;
    e.date = a.date.empty() ? today_utc() : parse_date_option(a.date, "--date");
    e.session = target->session;
    e.route = target->route;
    e.referentiel = target->referentiel;
    e.policy_hash = target->policy_hash;
    e.body = std::move(correction);
    const ledger::EventId id = record_one(store, a.db, e, "correct");
    if (id == 0) return ok;
    std::cout << "recorded correction #" << id << " of " << printable(e.candidate) << " on " << e.date.to_string()
              << ": " << printable(event_summary(e)) << '\n';
    return ok;
}

int run_ledger_recordings(const std::string& db) {
    const Ledger store = open_existing_ledger(db);
    const auto rows = store.recordings();
    for (const auto& r : rows) {
        std::cout << "  #" << r.id << ' ' << r.recorded_at << ' ' << to_string(r.kind);
        if (!r.label.empty()) std::cout << ' ' << printable(r.label);
        std::cout << ": " << counted(r.events, "event", "events");
        if (r.events) std::cout << " (#" << r.first_event << "–#" << r.first_event + r.events - 1 << ")";
        std::cout << " from " << printable(r.source) << ", " << r.content_hash << '\n';
    }
    std::cout << db << ": " << counted(rows.size(), "recording", "recordings") << ", "
              << counted(store.size(), "event", "events") << '\n';
    return ok;
}

}  // namespace certigraph::cli
