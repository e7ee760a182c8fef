// Issue 10's certification decision: the event's rules, its JSON through both readers,
// its typed columns, the decision in force in the state (corrections, withdrawal,
// permutations), the snapshot archive, a jury session recorded once, and the award
// record and credential that rest on the decision (the same when asked twice).
#include "support.hpp"

#include <certigraph/ledger/award.hpp>
#include <certigraph/ledger/eligibility.hpp>
#include <certigraph/ledger/event.hpp>
#include <certigraph/ledger/ledger.hpp>
#include <certigraph/ledger/state.hpp>

#include "ledger/event_json.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <random>
#include <sstream>

using namespace certigraph;
using namespace certigraph::ledger;
using certigraph::test::ledger_event;
using certigraph::test::TempDir;
using json = nlohmann::json;

namespace {

Date d(const char* text) { return *Date::parse(text); }

CertificationDecision awarded() { return {true, true, {}, ""}; }
CertificationDecision withheld_missing(std::vector<std::string> missing) {
    return {false, false, std::move(missing), ""};
}

std::string problems_of(const Event& e) {
    std::string out;
    for (const auto& p : check_event(e)) out += p.field + ": " + p.problem + "\n";
    return out;
}

/// A candidate of RNCP40514 who meets every condition (as test_award.cpp's), ids 1…
std::vector<Event> eligible_candidate(const std::string& c = "C-0001") {
    std::vector<Event> out{
        ledger_event(c, "2025-09-01", PathStart{"initial_training"}, Route::exam, ""),
        ledger_event(c, "2026-06-12", BlocResult{"RNCP40514BC01", true}, Route::exam, "S2026-06"),
        ledger_event(c, "2026-06-12", BlocResult{"RNCP40514BC02", true}, Route::exam, "S2026-06"),
        ledger_event(c, "2026-06-12", BlocResult{"RNCP40514BC03", true}, Route::exam, "S2026-06"),
        ledger_event(c, "2026-06-12", BlocResult{"RNCP40514BC04", true}, Route::exam, "S2026-06"),
        ledger_event(c, "2026-02-10", LanguageCertificate{"en", "CEFR", "B2", "ETS (TOEIC)", true, d("2026-02-01")},
                     Route::exam, ""),
        ledger_event(c, "2026-04-28", MobilityPeriod{d("2026-04-01"), d("2026-04-28"), "Montréal"}, Route::exam, ""),
        ledger_event(c, "2026-03-31", WorkPeriod{d("2025-10-01"), d("2026-03-31"), "Entreprise"}, Route::exam, ""),
        ledger_event(c, "2025-09-01", Attribute{"nationality", "FR"}, Route::exam, ""),
    };
    for (std::size_t i = 0; i < out.size(); ++i) out[i].id = i + 1;
    return out;
}

}  // namespace

TEST_CASE("certification decision: the rules of check_event", "[ledger][decision]") {
    CHECK(problems_of(ledger_event("A", "2026-07-01", awarded())).empty());
    CHECK(problems_of(ledger_event("A", "2026-07-01", withheld_missing({"RNCP40514BC04"}))).empty());
    CHECK(problems_of(ledger_event("A", "2026-07-01", awarded(), Route::vae)).empty());
    // Awarded while not eligible: refused, naming what is missing.
    CHECK(problems_of(ledger_event("A", "2026-07-01", CertificationDecision{true, false, {"RNCP40514BC04"}, ""})) ==
          "body/awarded: a certification is awarded only to an eligible candidate: missing RNCP40514BC04\n");
    // Withheld from an eligible candidate: a reason is needed.
    CHECK(problems_of(ledger_event("A", "2026-07-01", CertificationDecision{false, true, {}, ""})) ==
          "body/reason: withholding the certification from an eligible candidate needs a reason\n");
    CHECK(problems_of(ledger_event("A", "2026-07-01", CertificationDecision{false, true, {}, "fraude constatée"}))
              .empty());
    // Eligible with something missing; not eligible with nothing missing.
    CHECK(problems_of(ledger_event("A", "2026-07-01", CertificationDecision{true, true, {"X"}, ""})) ==
          "body/missing: an eligible candidate has nothing missing (X)\n");
    CHECK(problems_of(ledger_event("A", "2026-07-01", CertificationDecision{false, false, {}, ""})) ==
          "body/missing: a candidate who is not eligible has something missing: name the unmet checks\n");
    CHECK(problems_of(ledger_event("A", "2026-07-01", withheld_missing({""}))) ==
          "body/missing/0: must not be empty\n");
    // The jury session is mandatory; the route is exam or vae.
    CHECK(problems_of(ledger_event("A", "2026-07-01", awarded(), Route::exam, "")) == "session: must not be empty\n");
    CHECK(problems_of(ledger_event("A", "2026-07-01", awarded(), Route::jury_decision)).find(
              "a certification_decision event has route 'exam' or 'vae'") != std::string::npos);
    CHECK(problems_of(ledger_event("A", "2026-07-01", awarded(), Route::correspondence)) != "");
    // The same rules for a correction's replacement.
    CHECK(problems_of(ledger_event("A", "2026-07-02",
                                   Correction{1, "erreur", CertificationDecision{true, false, {"RNCP40514BC04"}, ""}},
                           Route::exam, "JURY-1", 2)) ==
          "body/replacement/body/awarded: a certification is awarded only to an eligible candidate: missing "
          "RNCP40514BC04\n");
    CHECK(to_string(EventKind::certification_decision) == "certification_decision");
    CHECK(event_kind_from_string("certification_decision") == EventKind::certification_decision);
    CHECK(ledger_event("A", "2026-07-01", awarded()).kind() == EventKind::certification_decision);
}

TEST_CASE("certification decision: canonical JSON read back by both readers", "[ledger][decision][json]") {
    Event e = ledger_event("A", "2026-07-01",
                           CertificationDecision{false, false, {"RNCP40514BC04", "WORK_EXPERIENCE"}, ""}, Route::vae,
                           "JURY-1", 7);
    const std::string text = canonical_json(e);
    CHECK(text ==
          R"({"body":{"awarded":false,"eligible":false,"missing":["RNCP40514BC04","WORK_EXPERIENCE"],"reason":""},)"
          R"("candidate":"A","date":"2026-07-01","evidence":[],"id":7,"kind":"certification_decision",)"
          R"("policy_hash":"sha256:policy-v1","referentiel":{"content_hash":"sha256:ref-v1","fiche":"RNCP40514"},)"
          R"("route":"vae","session":"JURY-1"})");
    CHECK(event_from_json(text) == e);
    const auto fast = ledger::detail::fast_from_json(text);
    REQUIRE(fast);
    CHECK(*fast == e);
    // Optional fields may be left out; the booleans may not; unknown keys are refused.
    const std::string short_form =
        R"({"body":{"awarded":true,"eligible":true},"candidate":"A","date":"2026-07-01","kind":"certification_decision",)"
        R"("referentiel":{"content_hash":"h","fiche":"F"},"route":"exam","session":"J"})";
    CHECK(std::get<CertificationDecision>(event_from_json(short_form).body) == awarded());
    CHECK(ledger::detail::fast_from_json(short_form).has_value());
    for (const std::string bad :
         {R"({"body":{"awarded":true},"candidate":"A","date":"2026-07-01","kind":"certification_decision","referentiel":{"content_hash":"h","fiche":"F"},"route":"exam"})",
          R"({"body":{"awarded":true,"eligible":true,"why":""},"candidate":"A","date":"2026-07-01","kind":"certification_decision","referentiel":{"content_hash":"h","fiche":"F"},"route":"exam"})",
          R"({"body":{"awarded":"yes","eligible":true},"candidate":"A","date":"2026-07-01","kind":"certification_decision","referentiel":{"content_hash":"h","fiche":"F"},"route":"exam"})"}) {
        INFO(bad);
        CHECK_THROWS_AS(event_from_json(bad), ParseError);
        CHECK_FALSE(ledger::detail::fast_from_json(bad).has_value());
    }
    // In a correction's replacement.
    Event c = ledger_event("A", "2026-07-02", Correction{7, "erreur", CertificationDecision{false, true, {}, "fraude"}},
                           Route::vae, "JURY-1", 8);
    CHECK(event_from_json(canonical_json(c)) == c);
    CHECK(*ledger::detail::fast_from_json(canonical_json(c)) == c);
}

TEST_CASE("certification decision: stored with its typed columns, verified, exported and imported",
          "[ledger][decision]") {
    TempDir dir;
    auto store = Ledger::create(dir / "l.db");
    std::vector<Event> events = eligible_candidate();
    events.push_back(ledger_event("C-0001", "2026-07-01", awarded(), Route::exam, "JURY-2026-07"));
    store.append(events);
    CHECK(store.verify().empty());
    {
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open((dir / "l.db").string().c_str(), &db) == SQLITE_OK);
        sqlite3_stmt* s = nullptr;
        REQUIRE(sqlite3_prepare_v2(db, "SELECT bloc IS NULL, outcome FROM events WHERE kind = 'certification_decision'",
                                   -1, &s, nullptr) == SQLITE_OK);
        REQUIRE(sqlite3_step(s) == SQLITE_ROW);
        CHECK(sqlite3_column_int(s, 0) == 1);
        CHECK(sqlite3_column_int(s, 1) == 1);
        sqlite3_finalize(s);
        sqlite3_close(db);
    }
    const auto read = store.event(10);
    REQUIRE(read);
    CHECK(std::get<CertificationDecision>(read->body) == awarded());
    CHECK_FALSE(store.event(11));
    std::ostringstream out;
    store.export_jsonl(out);
    auto copy = Ledger::create(dir / "copy.db");
    std::istringstream in(out.str());
    CHECK(copy.import_jsonl(in, "export") == 10);
    CHECK(copy.all_events() == store.all_events());
    CHECK(copy.verify().empty());
}

TEST_CASE("certification decision: the one in force in the state", "[ledger][decision]") {
    std::vector<Event> events = eligible_candidate();
    events.push_back(
        ledger_event("C-0001", "2026-07-01", withheld_missing({"RNCP40514BC04"}), Route::exam, "JURY-A", 10));
    events.push_back(ledger_event("C-0001", "2026-09-15", awarded(), Route::exam, "JURY-B", 11));
    CHECK_FALSE(state_as_of(events, d("2026-06-30")).certification);
    auto s = state_as_of(events, d("2026-08-01"));
    REQUIRE(s.certification);
    CHECK(s.certification->event == 10);
    CHECK_FALSE(s.certification->decision.awarded);
    CHECK(s.certification->session == "JURY-A");
    s = state_as_of(events, d("2027-01-01"));  // the latest by date
    REQUIRE(s.certification);
    CHECK(s.certification->event == 11);
    CHECK(s.certification->date == d("2026-09-15"));
    // Same date: the higher event id.
    events.push_back(ledger_event("C-0001", "2026-09-15", CertificationDecision{false, true, {}, "fraude"}, Route::exam,
                                  "JURY-C", 12));
    CHECK(state_as_of(events, d("2027-01-01")).certification->event == 12);
    // A correction replacing it: counts with the decision's date and session.
    events.push_back(ledger_event("C-0001", "2026-10-01", Correction{12, "erreur de saisie", awarded()}, Route::exam,
                                  "JURY-C", 13));
    s = state_as_of(events, d("2027-01-01"));
    REQUIRE(s.certification);
    CHECK(s.certification->event == 13);
    CHECK(s.certification->corrects == 12);
    CHECK(s.certification->date == d("2026-09-15"));
    CHECK(s.certification->session == "JURY-C");
    CHECK(s.certification->decision.awarded);
    // Before the correction's date, the decision as it was.
    CHECK(state_as_of(events, d("2026-09-30")).certification->event == 12);
    // Withdrawn: the earlier decision is in force again.
    events.push_back(ledger_event("C-0001", "2026-10-02", Correction{13, "décision annulée", std::nullopt}, Route::exam,
                                  "JURY-C", 14));
    CHECK(state_as_of(events, d("2027-01-01")).certification->event == 11);
    // Any order: the same state.
    const auto reference = state_as_of(events, d("2027-01-01"));
    std::mt19937 random(10);
    for (int round = 0; round < 50; ++round) {
        std::shuffle(events.begin(), events.end(), random);
        REQUIRE(state_as_of(events, d("2027-01-01")) == reference);
    }
}

TEST_CASE("certification decision: in a state snapshot archive", "[ledger][decision][snapshot][archive]") {
    std::vector<Event> events = eligible_candidate();
    events.push_back(
        ledger_event("C-0001", "2026-07-01", withheld_missing({"RNCP40514BC04", "X"}), Route::vae, "J", 10));
    const StateSnapshot snapshot = snapshot_as_of(events, d("2026-08-01"));
    REQUIRE(snapshot.states.at("C-0001").certification);
    for (auto kind : {io::ArchiveKind::text, io::ArchiveKind::xml, io::ArchiveKind::binary}) {
        std::ostringstream out(std::ios::binary);
        io::save_state_archive(snapshot, out, kind);
        std::istringstream in(out.str(), std::ios::binary);
        CHECK(io::load_state_archive(in, kind) == snapshot);
    }
}

TEST_CASE("a jury session is recorded once", "[ledger][decision]") {
    TempDir dir;
    auto store = Ledger::create(dir / "l.db");
    store.append(eligible_candidate());
    const std::vector<Event> sealed{ledger_event("C-0001", "2026-07-01", awarded(), Route::exam, "JURY-2026-07")};
    const RecordingInfo info{RecordingKind::jury_session, "JURY-2026-07", "jury.json"};
    const Recorded first = store.record(sealed, info);
    CHECK_FALSE(first.already);
    // The same content again: nothing added.
    const Recorded again = store.record(sealed, info);
    CHECK(again.already);
    CHECK(again.recording == first.recording);
    // Other content under the same session id: refused, naming the earlier recording.
    const std::vector<Event> changed{
        ledger_event("C-0001", "2026-07-01", CertificationDecision{false, true, {}, "fraude"}, Route::exam,
                     "JURY-2026-07")};
    CHECK_THROWS_WITH(store.record(changed, info),
                      Catch::Contains("jury session 'JURY-2026-07' was recorded already (recording " +
                                      std::to_string(first.recording) + " of " + first.recorded_at) &&
                          Catch::Contains("a correction session with a reason, or `certigraph ledger correct`"));
    CHECK(store.size() == 10);
    // Another session id is another session; a jury_session needs its id.
    CHECK_FALSE(store.record(changed, {RecordingKind::jury_session, "JURY-2026-07-bis", "j2.json"}).already);
    CHECK_THROWS_AS(store.record(changed, {RecordingKind::jury_session, "", "j3.json"}), LedgerError);
    const auto rows = store.recordings();
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].kind == RecordingKind::append);
    CHECK(rows[1].kind == RecordingKind::jury_session);
    CHECK(rows[1].label == "JURY-2026-07");
    CHECK(rows[1].source == "jury.json");
    CHECK(rows[1].first_event == 10);
    CHECK(rows[1].events == 1);
    CHECK(rows[1].content_hash.rfind("sha256:", 0) == 0);
    CHECK(rows[1].recorded_at == first.recorded_at);
    CHECK(to_string(rows[2].kind) == "jury_session");
}

TEST_CASE("award: the record and credential rest on the decision, the same when asked twice",
          "[award][decision]") {
    const Referentiel ref = test::rncp40514();
    std::vector<Event> events = eligible_candidate();
    events.push_back(ledger_event("C-0001", "2026-07-01", awarded(), Route::exam, "JURY-2026-07", 10));
    // A bloc acquired after the decision is not in the record the decision gives.
    const auto record_at = [&](const char* as_of) {
        return award_record(ref, eligibility(ref, events, d(as_of)), events);
    };
    const AwardRecord early = record_at("2026-07-01");
    CHECK(early.certified);
    CHECK(early.award_date == d("2026-07-01"));
    CHECK(early.decision == 10);
    CHECK(early.jury_session == "JURY-2026-07");
    CHECK(early.blocs.size() == 4);
    const AwardRecord late = record_at("2027-03-01");
    CHECK(late == early);
    CHECK(award_record_json(late) == award_record_json(early));
    CHECK(certification_credential_json(ref, late) == certification_credential_json(ref, early));
    const json j = json::parse(award_record_json(early));
    CHECK(j["format_version"] == 2);
    CHECK(j["decision"] == 10);
    CHECK(j["jury_session"] == "JURY-2026-07");
    const json credential = json::parse(certification_credential_json(ref, early));
    CHECK(credential["validFrom"] == "2026-07-01T00:00:00Z");
    CHECK(credential["credentialSubject"]["achievement"]["criteria"]["narrative"].get<std::string>().find(
              "événement n° 10") != std::string::npos);
    std::ostringstream csv;
    write_award_records_csv(csv, std::vector<AwardRecord>{early});
    CHECK(csv.str().find(",checkpoint,decision,jury_session\n") != std::string::npos);
    CHECK(csv.str().find(",10,JURY-2026-07\n") != std::string::npos);

    // Without the decision: the answer of the date asked (today's behaviour).
    std::vector<Event> undecided(events.begin(), events.end() - 1);
    const AwardRecord plain = award_record(ref, eligibility(ref, undecided, d("2027-03-01")), undecided);
    CHECK(plain.certified);
    CHECK(plain.award_date == d("2027-03-01"));
    CHECK(plain.decision == 0);
    CHECK(json::parse(award_record_json(plain)).count("decision") == 0);
    CHECK(certification_credential_json(ref, plain) != certification_credential_json(ref, early));

    // A correction of the decision changes the credential; withheld gives an attestation.
    events.push_back(ledger_event("C-0001", "2026-07-10",
                                  Correction{10, "erreur de saisie", CertificationDecision{false, true, {}, "fraude"}},
                                  Route::exam, "JURY-2026-07", 11));
    const AwardRecord corrected = record_at("2027-03-01");
    CHECK_FALSE(corrected.certified);
    CHECK(corrected.decision == 11);
    CHECK(corrected.award_date == d("2026-07-01"));
    CHECK(corrected.blocs.size() == 4);
    CHECK_THROWS_WITH(certification_credential_json(ref, corrected), Catch::Contains("withheld by decision 11"));
    events.push_back(ledger_event("C-0001", "2026-07-11", Correction{11, "finalement délivrée", awarded()}, Route::exam,
                                  "JURY-2026-07", 12));
    const AwardRecord again = record_at("2027-03-01");
    CHECK(again.certified);
    CHECK(again.decision == 12);
    const auto id = [](const std::string& text) { return json::parse(text)["id"].get<std::string>(); };
    CHECK(id(certification_credential_json(ref, again)) != id(certification_credential_json(ref, early)));
    CHECK(id(certification_credential_json(ref, record_at("2027-04-01"))) == id(certification_credential_json(ref, again)));
}

TEST_CASE("award: a decision keeps only the blocs acquired by its date", "[award][decision]") {
    const Referentiel ref = test::rncp40514();
    std::vector<Event> events = eligible_candidate("C-0003");
    events[4] = ledger_event("C-0003", "2026-06-12", BlocResult{"RNCP40514BC04", false}, Route::exam, "S2026-06", 5);
    events.push_back(
        ledger_event("C-0003", "2026-07-01", withheld_missing({"RNCP40514BC04"}), Route::exam, "JURY-2026-07", 10));
    events.push_back(
        ledger_event("C-0003", "2026-11-20", BlocResult{"RNCP40514BC04", true}, Route::exam, "S2026-11", 11));
    const AwardRecord r = award_record(ref, eligibility(ref, events, d("2026-12-01")), events);
    CHECK_FALSE(r.certified);
    CHECK(r.award_date == d("2026-07-01"));
    CHECK(r.blocs.size() == 3);  // BC04 came after the decision: a new decision is needed
}
