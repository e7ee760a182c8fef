// The jury session: its file, the composition rules (each compliant and not, recusal,
// override), the decisions (against the computed result, votes, ties) and the seal.
#include <catch2/catch.hpp>

#include <certigraph/certigraph.hpp>

#include "support.hpp"

#include <algorithm>
#include <sstream>

using namespace certigraph;
using namespace certigraph::jury;
namespace test = certigraph::test;

namespace {

Member member(std::string id, Role role, Gender gender, bool qualified = true) {
    Member m;
    m.id = id;
    m.name = "Member " + id;
    m.role = role;
    m.professional = role == Role::professional;
    m.gender = gender;
    m.qualified = qualified;
    return m;
}

/// A compliant session: a president (a professional), two professionals, a trainer;
/// two women, two men; exam candidates C1, C2 (and a VAE candidate V1 when asked).
Session base_session(bool with_vae = false) {
    Session s;
    s.referentiel = {"RNCP40514", "sha256:x"};
    s.id = "JURY-T";
    s.date = *Date::parse("2026-06-30");
    s.place = "Lyon";
    s.grading = GradingInputs{"r.json", "p.json", "e.csv", "2026-06"};
    Member president = member("P", Role::president, Gender::female);
    president.professional = true;
    s.members = {president, member("A", Role::professional, Gender::male),
                 member("B", Role::professional, Gender::male, false), member("T", Role::trainer, Gender::female)};
    s.candidates = {{"C1", "", ledger::Route::exam, ""}, {"C2", "", ledger::Route::exam, ""}};
    if (with_vae) s.candidates.push_back({"V1", "", ledger::Route::vae, ""});
    return s;
}

std::vector<const Finding*> with_code(const CompositionReport& r, std::string_view code) {
    std::vector<const Finding*> out;
    for (const auto& f : r.findings)
        if (f.code == code) out.push_back(&f);
    return out;
}

const CandidateJury& jury_of(const CompositionReport& r, std::string_view candidate) {
    return *std::find_if(r.juries.begin(), r.juries.end(), [&](const CandidateJury& j) { return j.candidate == candidate; });
}

}  // namespace

TEST_CASE("a compliant jury has no blocking finding", "[jury][composition]") {
    const auto report = check_composition(base_session(true));
    CHECK(report.compliant);
    CHECK(report.findings.empty());
    REQUIRE(report.juries.size() == 3);
    CHECK(jury_of(report, "C1").deciding == std::vector<std::string>{"P", "A", "B", "T"});
    CHECK(jury_of(report, "C1").president == "P");
}

TEST_CASE("at least two members decide (D6412-6 for VAE, the default for exams)", "[jury][composition]") {
    Session s = base_session(true);
    for (auto& m : s.members) m.present = m.id == "P";
    const auto report = check_composition(s);
    CHECK_FALSE(report.compliant);
    const auto found = with_code(report, "JURY-MIN-MEMBERS");
    REQUIRE(found.size() == 2);  // once for the exam rules, once for VAE
    CHECK(found[0]->candidate.empty());
    CHECK(found[0]->blocking);
    CHECK_FALSE(found[0]->fix.empty());
    // Two present members are enough.
    s.members[1].present = true;
    CHECK(with_code(check_composition(s), "JURY-MIN-MEMBERS").empty());
}

TEST_CASE("at least one member qualified for the certification", "[jury][composition]") {
    Session s = base_session();
    for (auto& m : s.members) m.qualified = false;
    auto report = check_composition(s);
    CHECK_FALSE(report.compliant);
    CHECK(with_code(report, "JURY-MIN-QUALIFIED").size() == 1);
    s.members[3].qualified = true;
    report = check_composition(s);
    CHECK(report.compliant);
}

TEST_CASE("school rule: at least half professionals, exactly half is enough", "[jury][composition]") {
    Session s = base_session();
    // P (professional president), A, B professionals, T trainer: 3 of 4.
    CHECK(check_composition(s).compliant);
    s.members[2].professional = false;  // 2 of 4: exactly half
    s.members[2].role = Role::academic;
    CHECK(check_composition(s).compliant);
    s.members[1].role = Role::academic;  // 1 of 4
    s.members[1].professional = false;
    const auto report = check_composition(s);
    CHECK_FALSE(report.compliant);
    const auto found = with_code(report, "JURY-PROFESSIONAL-SHARE");
    REQUIRE(found.size() == 1);
    CHECK(found[0]->members == std::vector<std::string>{"A", "B", "T"});  // the non-professionals
    // VAE has no professional-share rule by default.
    for (auto& c : s.candidates) c.route = ledger::Route::vae;
    CHECK(with_code(check_composition(s), "JURY-PROFESSIONAL-SHARE").empty());
}

TEST_CASE("VAE: a balanced jury; exams: no gender rule by default", "[jury][composition]") {
    Session s = base_session();
    for (auto& c : s.candidates) c.route = ledger::Route::vae;
    CHECK(check_composition(s).compliant);  // 2 women, 2 men
    s.members[1].gender = Gender::female;   // 3 women, 1 man
    auto report = check_composition(s);
    CHECK_FALSE(report.compliant);
    REQUIRE(with_code(report, "JURY-GENDER-BALANCE").size() == 1);
    CHECK(with_code(report, "JURY-GENDER-BALANCE")[0]->members.size() == 3);
    s.members[3].present = false;  // 2 women, 1 man: differ by one
    CHECK(check_composition(s).compliant);
    s.members[3].present = true;
    for (auto& c : s.candidates) c.route = ledger::Route::exam;
    CHECK(check_composition(s).compliant);
    // A session may set its own rule for exams.
    CompositionPolicy strict = default_policy(ledger::Route::exam);
    strict.max_gender_gap = 0;
    s.composition = {{ledger::Route::exam, strict}};
    CHECK_FALSE(check_composition(s).compliant);
}

TEST_CASE("a president sits: absent, missing or two", "[jury][composition]") {
    Session s = base_session();
    s.members[0].present = false;
    auto report = check_composition(s);
    REQUIRE(with_code(report, "JURY-PRESIDENT").size() == 1);
    CHECK(with_code(report, "JURY-PRESIDENT")[0]->members == std::vector<std::string>{"P"});
    CHECK_FALSE(report.compliant);
    s.members[0].present = true;
    s.members[1].role = Role::president;
    CHECK_FALSE(check_composition(s).compliant);
    s.members[1].role = Role::professional;
    CompositionPolicy lax = default_policy(ledger::Route::exam);
    lax.president_required = false;
    s.composition = {{ledger::Route::exam, lax}};
    s.members[0].present = false;
    CHECK(with_code(check_composition(s), "JURY-PRESIDENT").empty());
}

TEST_CASE("a member linked to a candidate is recused for that candidate only", "[jury][composition][recusal]") {
    Session s = base_session();
    s.members[3].links = {{"C1", LinkKind::trainer_of}};
    auto report = check_composition(s);
    CHECK(report.compliant);  // P, A, B still decide on C1
    CHECK(jury_of(report, "C1").recused == std::vector<std::string>{"T"});
    CHECK(jury_of(report, "C1").deciding == std::vector<std::string>{"P", "A", "B"});
    CHECK(jury_of(report, "C2").recused.empty());
    const auto recused = with_code(report, "JURY-RECUSED");
    REQUIRE(recused.size() == 1);
    CHECK_FALSE(recused[0]->blocking);
    CHECK(recused[0]->candidate == "C1");

    // School rules do not recuse a colleague; VAE rules recuse every link.
    s.members[3].links = {{"C1", LinkKind::colleague_of}};
    CHECK(jury_of(check_composition(s), "C1").recused.empty());
    for (auto& c : s.candidates) c.route = ledger::Route::vae;
    CHECK(jury_of(check_composition(s), "C1").recused == std::vector<std::string>{"T"});
    s.members[3].links = {{"C1", LinkKind::accompanist_of}};
    CHECK(jury_of(check_composition(s), "C1").recused == std::vector<std::string>{"T"});
}

TEST_CASE("a recusal can leave one candidate's jury non-compliant", "[jury][composition][recusal]") {
    Session s = base_session(true);
    // V1 (VAE): the president is their former employer, A a colleague: P and A recused,
    // B and T remain (one woman, one man, T qualified) but no president.
    s.members[0].links = {{"V1", LinkKind::employer_of}};
    s.members[1].links = {{"V1", LinkKind::colleague_of}};
    const auto report = check_composition(s);
    CHECK_FALSE(report.compliant);
    CHECK(jury_of(report, "C1").compliant);
    CHECK(jury_of(report, "C2").compliant);
    CHECK_FALSE(jury_of(report, "V1").compliant);
    const auto president = with_code(report, "JURY-PRESIDENT");
    REQUIRE(president.size() == 1);
    CHECK(president[0]->candidate == "V1");
    CHECK(with_code(report, "JURY-RECUSED").size() == 2);
}

TEST_CASE("an override with a reason covers the findings it names, and only those", "[jury][composition][override]") {
    Session s = base_session();
    for (auto& c : s.candidates) c.route = ledger::Route::vae;
    s.members[1].gender = Gender::female;  // 3 women, 1 man
    s.override_findings = Override{{"JURY-GENDER-BALANCE", "JURY-MIN-QUALIFIED"}, "no male juror available", "P"};
    auto report = check_composition(s);
    CHECK(report.compliant);
    REQUIRE(with_code(report, "JURY-GENDER-BALANCE").size() == 1);
    CHECK(with_code(report, "JURY-GENDER-BALANCE")[0]->overridden);
    CHECK(report.unused_override == std::vector<std::string>{"JURY-MIN-QUALIFIED"});
    s.members[0].present = false;  // a finding the override does not name
    report = check_composition(s);
    CHECK_FALSE(report.compliant);
}

TEST_CASE("the session file is strict and reads back what it wrote", "[jury][session]") {
    const std::string text = test::read_file(test::example("juries/rncp40514-session.json"));
    Session s = read_session(text, "session.json");
    CHECK(s.id == "JURY-2026-06");
    CHECK(s.members.size() == 4);
    CHECK(s.candidates.size() == 8);
    s.decisions.push_back({"C002", "RNCP40514BC02", Verdict::validate, "reason", Votes{2, 2, 0, true}});
    s.withheld.push_back({"C001", "fraud under investigation"});
    s.override_findings = Override{{"JURY-GENDER-BALANCE"}, "why", "M1"};
    CHECK(read_session(session_to_json(s)) == s);

    auto refused = [&](const std::string& from, const std::string& to, const std::string& says) {
        std::string bad = text;
        const auto at = bad.find(from);
        REQUIRE(at != std::string::npos);
        bad.replace(at, from.size(), to);
        CHECK_THROWS_WITH(read_session(bad, "s.json"), Catch::Contains(says));
    };
    refused("\"place\"", "\"venue\"", "unknown key 'venue'");
    refused("\"id\": \"M2\"", "\"id\": \"M1\"", "member 'M1' is listed twice");
    refused("{\"candidate\": \"C003\", \"kind\": \"trainer_of\"}", "{\"candidate\": \"C999\", \"kind\": \"trainer_of\"}",
            "'C999' is not a candidate of this session");
    refused("\"kind\": \"trainer_of\"}", "\"kind\": \"friend_of\"}", "unknown value 'friend_of'");
    refused("\"role\": \"trainer\"", "\"role\": \"juror\"", "unknown value 'juror'");
    refused("\"decisions\": []", "\"decisions\": [{\"candidate\": \"X\", \"bloc\": \"B\", \"verdict\": \"confirm\"}]",
            "'X' is not a candidate");
    refused("\"decisions\": []",
            "\"decisions\": [{\"candidate\": \"C001\", \"bloc\": \"B\", \"verdict\": \"confirm\"},"
            "{\"candidate\": \"C001\", \"bloc\": \"B\", \"verdict\": \"refuse\"}]",
            "a second decision on C001 / B");
    refused("\"date\": \"2026-06-30\"", "\"date\": \"2026-06-31\"", "is not a date");
    refused("\"format_version\": 1", "\"format_version\": 9", "newer than this certigraph reads");
    std::string no_grading = text;
    const auto g = no_grading.find("\"grading\"");
    no_grading.erase(g, no_grading.find("},", g) + 2 - g);
    CHECK_THROWS_WITH(read_session(no_grading), Catch::Contains("exam candidates are graded"));
}

namespace {

/// The example session with its graded sample cohort.
struct Sample {
    Session session = read_session(test::read_file(test::example("juries/rncp40514-session.json")));
    GradedSession graded = load_graded_session(session, test::example("juries"));

    Record grid() const { return jury::grid(session, graded); }
    const BlocCell& cell(const Record& r, std::string_view candidate, std::string_view bloc) const {
        const auto& cr = *std::find_if(r.candidates.begin(), r.candidates.end(),
                                       [&](const CandidateRecord& c) { return c.candidate.id == candidate; });
        return *std::find_if(cr.blocs.begin(), cr.blocs.end(), [&](const BlocCell& c) { return c.bloc == bloc; });
    }
    std::vector<std::string> codes(const Record& r) const {
        std::vector<std::string> out;
        for (const auto& p : r.problems) out.push_back(p.code);
        return out;
    }
    void confirm_rest() {
        const Record r = grid();
        for (const auto& cr : r.candidates)
            for (const auto& c : cr.blocs)
                if (!c.decision && (c.computed == Status::validated || c.computed == Status::not_validated))
                    session.decisions.push_back({cr.candidate.id, c.bloc, Verdict::confirm});
    }
};

bool has(const std::vector<std::string>& v, std::string_view s) { return std::find(v.begin(), v.end(), s) != v.end(); }

}  // namespace

TEST_CASE("the grid: computed status and margin per candidate and bloc", "[jury][deliberation]") {
    Sample s;
    const Record r = s.grid();
    REQUIRE(r.candidates.size() == 8);
    CHECK(r.candidates[0].blocs.size() == 4);
    const BlocCell& c = s.cell(r, "C002", "RNCP40514BC02");
    CHECK(c.computed == Status::not_validated);
    REQUIRE(c.margin);
    CHECK(*c.margin < 0);
    CHECK(s.cell(r, "C006", "RNCP40514BC04").computed == Status::incomplete);
    // Every decided computed result needs a decision; incomplete ones do not.
    std::size_t missing = 0;
    for (const auto& p : r.problems) missing += p.code == "DECISION-MISSING";
    CHECK(missing == 31);
    CHECK(r.evaluations_hash.rfind("sha256:", 0) == 0);
    // An épreuve the référentiel does not have is refused.
    Session other = s.session;
    other.epreuves.push_back("EP9");
    CHECK_THROWS_WITH(jury::grid(other, s.graded), Catch::Contains("épreuve 'EP9'"));
}

TEST_CASE("a decision against the computed result needs a reason", "[jury][deliberation]") {
    Sample s;
    s.session.decisions = {{"C002", "RNCP40514BC02", Verdict::validate, ""}};
    Record r = s.grid();
    CHECK(has(s.codes(r), "DECISION-REASON"));
    CHECK(s.cell(r, "C002", "RNCP40514BC02").against);
    s.session.decisions[0].reason = "  ";
    CHECK(has(s.codes(s.grid()), "DECISION-REASON"));
    s.session.decisions[0].reason = "work placement evidence";
    r = s.grid();
    CHECK_FALSE(has(s.codes(r), "DECISION-REASON"));
    CHECK(s.cell(r, "C002", "RNCP40514BC02").validated == true);
    // Refusing a validated bloc is against it too; confirming is not.
    s.session.decisions = {{"C001", "RNCP40514BC01", Verdict::refuse, ""}, {"C001", "RNCP40514BC02", Verdict::confirm, ""},
                           {"C001", "RNCP40514BC03", Verdict::validate, ""}};
    r = s.grid();
    CHECK(s.cell(r, "C001", "RNCP40514BC01").against);
    CHECK_FALSE(s.cell(r, "C001", "RNCP40514BC02").against);
    CHECK_FALSE(s.cell(r, "C001", "RNCP40514BC03").against);  // validate = the computed result
    std::size_t reasons = 0;
    for (const auto& p : r.problems) reasons += p.code == "DECISION-REASON";
    CHECK(reasons == 1);
    // An incomplete result cannot be confirmed; deciding on it is against it.
    s.session.decisions = {{"C006", "RNCP40514BC04", Verdict::confirm, ""}};
    CHECK(has(s.codes(s.grid()), "DECISION-CONFIRM-INCOMPLETE"));
    s.session.decisions = {{"C006", "RNCP40514BC04", Verdict::refuse, ""}};
    CHECK(has(s.codes(s.grid()), "DECISION-REASON"));
}

TEST_CASE("votes: one per deciding member, majority, the president's casting vote on a tie", "[jury][deliberation][votes]") {
    Sample s;
    auto decide = [&](Votes v, Verdict verdict = Verdict::validate, std::string candidate = "C002") {
        s.session.decisions = {{candidate, "RNCP40514BC02", verdict, "reason", v}};
        return s.codes(s.grid());
    };
    CHECK_FALSE(has(decide({3, 1, 0}), "DECISION-VOTES"));
    CHECK(has(decide({3, 0, 0}), "DECISION-VOTES"));            // 3 votes for 4 members
    CHECK(has(decide({1, 3, 0}), "DECISION-VOTES"));            // the votes refuse, the decision validates
    CHECK(has(decide({2, 2, 0}), "DECISION-TIE"));              // a tie without casting vote
    CHECK_FALSE(has(decide({2, 2, 0, true}), "DECISION-TIE"));  // the president validates
    CHECK_FALSE(has(decide({2, 2, 0, true}), "DECISION-VOTES"));
    CHECK(has(decide({2, 2, 0, false}), "DECISION-VOTES"));     // casting vote refuses, decision validates
    CHECK(has(decide({3, 1, 0, true}), "DECISION-VOTES"));      // casting vote without a tie
    CHECK_FALSE(has(decide({1, 1, 2, false}, Verdict::refuse), "DECISION-VOTES"));
    // C003's jury is three members (M3 recused).
    CHECK_FALSE(has(decide({2, 1, 0}, Verdict::validate, "C003"), "DECISION-VOTES"));
    CHECK(has(decide({2, 2, 0}, Verdict::validate, "C003"), "DECISION-VOTES"));
}

TEST_CASE("a non-compliant jury cannot seal unless an override names its findings", "[jury][deliberation][override]") {
    Sample s;
    s.confirm_rest();
    REQUIRE(s.grid().problems.empty());
    s.session.members[1].present = false;
    s.session.members[3].present = false;  // M1 and M3 remain
    s.session.members[0].qualified = false;
    s.session.members[2].qualified = false;  // nobody qualified
    Record r = s.grid();
    CHECK(has(s.codes(r), "COMPOSITION"));
    CHECK_THROWS_WITH(seal(r), Catch::Contains("cannot be sealed"));
    s.session.override_findings = Override{{"JURY-MIN-QUALIFIED"}, "the qualified member fell ill", "M1"};
    // M3, recused for C003 and C005, leaves one member to decide on them: still refused.
    r = s.grid();
    std::vector<std::string> refused;
    for (const auto& p : r.problems)
        if (p.code == "COMPOSITION") refused.push_back(p.candidate);
    CHECK(refused == std::vector<std::string>{"C003", "C005"});
    s.session.override_findings->findings.push_back("JURY-MIN-MEMBERS");
    CHECK_FALSE(has(s.codes(s.grid()), "COMPOSITION"));
}

TEST_CASE("prepare: certification decisions from the ledger's events as of the session date", "[jury][deliberation]") {
    Sample s;
    s.confirm_rest();
    // Nothing else on record: the blocs alone do not make C001 eligible (no path start,
    // no language certificate, ...).
    Record r = prepare(s.session, s.graded, {});
    REQUIRE(r.problems.empty());
    REQUIRE(r.candidates[0].certification);
    CHECK_FALSE(r.candidates[0].certification->eligible);
    CHECK_FALSE(r.candidates[0].certification->awarded);
    CHECK_FALSE(r.candidates[0].certification->missing.empty());
    CHECK_FALSE(r.candidates[0].reasons.empty());
    // Withholding from a non-eligible candidate is refused.
    s.session.withheld = {{"C001", "fraud"}};
    CHECK(has(s.codes(prepare(s.session, s.graded, {})), "WITHHOLD-NOT-ELIGIBLE"));
}

TEST_CASE("sealing: a content hash; an edit after sealing is detected", "[jury][seal]") {
    Sample s;
    s.confirm_rest();
    Record r = prepare(s.session, s.graded, {});
    seal(r);
    CHECK(r.hash.rfind("sha256:", 0) == 0);
    Record again = prepare(s.session, s.graded, {});
    seal(again);
    CHECK(again.hash == r.hash);  // deterministic
    const std::string file = record_to_json(r);
    const Record back = read_record(file, "sealed.json");
    CHECK(back.hash == r.hash);
    CHECK(canonical_json(back) == canonical_json(r));
    std::string edited = file;
    const auto at = edited.find("\"validated\": false");
    REQUIRE(at != std::string::npos);
    edited.replace(at, 18, "\"validated\": true ");
    CHECK_THROWS_AS(read_record(edited, "sealed.json"), SealBroken);
    CHECK_THROWS_WITH(read_record(edited, "sealed.json"), Catch::Contains("changed after it was sealed"));
}

namespace {

/// A ledger with the sample's requirement evidence, in a fresh directory.
struct SampleLedger {
    test::TempDir dir{"certigraph-jury"};
    ledger::Ledger store = ledger::Ledger::create(dir / "ledger.db");
    SampleLedger() {
        std::istringstream evidence(test::read_file(test::example("cohorts/rncp40514-sample-evidence.jsonl")));
        store.import_jsonl(evidence, "evidence");
    }
};

/// The example session with every result confirmed and C002's bloc 2 validated
/// against the computed result on a tie broken by the president.
Sample decided_sample() {
    Sample s;
    s.confirm_rest();
    for (auto& d : s.session.decisions)
        if (d.candidate == "C002" && d.bloc == "RNCP40514BC02")
            d = {"C002", "RNCP40514BC02", Verdict::validate, "project assessed in the company", Votes{2, 2, 0, true}};
    return s;
}

template <class Body>
std::vector<ledger::Event> of_kind(const std::vector<ledger::Event>& events, std::string_view candidate) {
    std::vector<ledger::Event> out;
    for (const auto& e : events)
        if (e.candidate == candidate && std::holds_alternative<Body>(e.body)) out.push_back(e);
    return out;
}

}  // namespace

TEST_CASE("sealing records the decisions in one recording, once", "[jury][seal][ledger]") {
    const Sample s = decided_sample();
    SampleLedger l;
    const std::size_t before = l.store.size();
    const Sealed sealed = seal_session(s.session, s.graded, l.store, "session.json");
    CHECK(sealed.record.hash.rfind("sha256:", 0) == 0);
    CHECK(l.store.size() == before + sealed.events.size());
    CHECK(l.store.verify().empty());
    // 31 computed results, one jury decision against one of them, 8 certification decisions.
    CHECK(sealed.events.size() == 31 + 1 + 8);
    const auto c002 = l.store.events("C002");
    const auto jury = of_kind<ledger::JuryDecision>(c002, "C002");
    REQUIRE(jury.size() == 1);
    const auto& decision = std::get<ledger::JuryDecision>(jury[0].body);
    CHECK(decision.bloc == "RNCP40514BC02");
    CHECK(decision.validated);
    CHECK(decision.overrides_session == "2026-06");
    CHECK(decision.reason == "project assessed in the company");
    CHECK(jury[0].session == "JURY-2026-06");
    const auto certification = of_kind<ledger::CertificationDecision>(c002, "C002");
    REQUIRE(certification.size() == 1);
    CHECK(std::get<ledger::CertificationDecision>(certification[0].body).awarded);  // thanks to the jury
    const auto rows = l.store.recordings();
    CHECK(rows.back().kind == ledger::RecordingKind::jury_session);
    CHECK(rows.back().label == "JURY-2026-06");
    CHECK(rows.back().events == sealed.events.size());

    // Sealing again is refused, and adds nothing.
    CHECK_THROWS_AS(seal_session(s.session, s.graded, l.store, "session.json"), AlreadyRecorded);
    CHECK(l.store.size() == before + sealed.events.size());
    // Another content under the same session id is refused too.
    Sample changed = decided_sample();
    changed.session.withheld = {{"C001", "fraud under investigation"}};
    CHECK_THROWS(seal_session(changed.session, changed.graded, l.store, "session.json"));
    CHECK(l.store.size() == before + sealed.events.size());
}

TEST_CASE("a session with problems records nothing", "[jury][seal][ledger]") {
    Sample s;  // no decision taken
    SampleLedger l;
    const std::size_t before = l.store.size();
    try {
        seal_session(s.session, s.graded, l.store, "session.json");
        FAIL("sealed with problems");
    } catch (const NotReady& e) {
        CHECK(std::string(e.what()).find("cannot be sealed") != std::string::npos);
        CHECK(e.problems().size() == 31);  // every DECISION-MISSING, as the grid lists them
    }
    CHECK(l.store.size() == before);
    CHECK(l.store.recordings().size() == 1);  // the evidence import only
}

TEST_CASE("results already on record are not repeated; a conflicting one stops sealing", "[jury][seal][ledger]") {
    const Sample s = decided_sample();
    SampleLedger l;
    ledger::Event held;
    held.candidate = "C001";
    held.date = *Date::parse("2026-06-29");
    held.session = "2026-06";
    held.route = ledger::Route::exam;
    held.referentiel = s.session.referentiel;
    held.policy_hash = "sha256:p";
    held.body = ledger::BlocResult{"RNCP40514BC01", true};
    l.store.append(held);
    const Sealed sealed = seal_session(s.session, s.graded, l.store, "session.json");
    CHECK(sealed.events.size() == 30 + 1 + 8);

    SampleLedger other;
    held.body = ledger::BlocResult{"RNCP40514BC01", false};  // the ledger says refused
    other.store.append(held);
    const auto on_record = other.store.events("C001");
    const Record r = prepare(s.session, s.graded, on_record);
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].code == "LEDGER-CONFLICT");
}

TEST_CASE("the award rests on the jury's decision: the same credential when asked later", "[jury][seal][award]") {
    const Sample s = decided_sample();
    SampleLedger l;
    seal_session(s.session, s.graded, l.store, "session.json");
    const Referentiel& ref = s.graded.referentiel;
    const auto events = l.store.events("C002");
    const auto at = [&](const char* date) {
        return ledger::award_record(ref, ledger::eligibility(ref, events, *Date::parse(date)), events);
    };
    const ledger::AwardRecord first = at("2026-07-01"), later = at("2027-03-01");
    CHECK(first.certified);
    CHECK(first.award_date == *Date::parse("2026-06-30"));
    CHECK(first.jury_session == "JURY-2026-06");
    CHECK(ledger::certification_credential_json(ref, first) == ledger::certification_credential_json(ref, later));
}

TEST_CASE("a correction session supersedes the corrected session's decisions", "[jury][seal][correction]") {
    const Sample s = decided_sample();
    SampleLedger l;
    seal_session(s.session, s.graded, l.store, "session.json");
    // The jury meets again: C002's bloc 2 stands as computed (refused), so no certification.
    Sample fix = decided_sample();
    fix.session.id = "JURY-2026-06-C1";
    fix.session.date = *Date::parse("2026-07-10");
    fix.session.corrects = Corrects{"JURY-2026-06", "the company's assessment was not admissible"};
    fix.session.candidates = {{"C002", "", ledger::Route::exam, ""}};
    std::erase_if(fix.session.decisions, [](const BlocDecision& d) { return d.candidate != "C002"; });
    for (auto& d : fix.session.decisions)
        if (d.bloc == "RNCP40514BC02") d = {"C002", "RNCP40514BC02", Verdict::confirm};
    const Sealed sealed = seal_session(fix.session, fix.graded, l.store, "correction.json");
    // The certification decision is replaced, the jury decision withdrawn: two corrections.
    REQUIRE(sealed.events.size() == 2);
    for (const auto& e : sealed.events) {
        const auto* c = std::get_if<ledger::Correction>(&e.body);
        REQUIRE(c);
        CHECK(c->reason == "the company's assessment was not admissible");
    }
    const auto state = ledger::state_as_of(l.store.events("C002"), *Date::parse("2026-07-31"));
    CHECK_FALSE(state.blocs.at("RNCP40514BC02").acquired);
    REQUIRE(state.certification);
    CHECK_FALSE(state.certification->decision.awarded);
    CHECK(l.store.verify().empty());
}
