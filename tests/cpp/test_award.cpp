// Award records and Open Badges 3.0 credentials: the record's fields from ledger
// events through eligibility, the CSV and JSON, every credential against a structural
// OB 3.0 validator (itself proven on the real 1EdTech example), determinism, and the
// refusals (partial outcome, unknown bloc, no issuer).
#include "support.hpp"

#include <certigraph/ledger/award.hpp>
#include <certigraph/ledger/eligibility.hpp>
#include <certigraph/ledger/ledger.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <random>
#include <regex>
#include <sstream>

using namespace certigraph;
using namespace certigraph::ledger;
using json = nlohmann::json;

namespace {

Date d(const char* text) { return *Date::parse(text); }

/// Builds a candidate's events with ids 1, 2, 3, ... as the store would.
struct Events {
    std::vector<Event> list;
    std::string candidate;
    explicit Events(std::string c) : candidate(std::move(c)) {}
    EventId add(const char* date, Event::Body body, Route route = Route::exam, std::string session = "S2026-06") {
        Event e = test::ledger_event(candidate, date, std::move(body), route, std::move(session),
                                     static_cast<EventId>(list.size() + 1));
        INFO("event " << e.id);
        REQUIRE(check_event(e).empty());
        list.push_back(std::move(e));
        return list.back().id;
    }
};

/// A candidate of RNCP40514 who meets every condition: four blocs by four routes,
/// English B1 attested by a third party, four weeks abroad, six months of work, French.
Events certified_candidate() {
    Events ev("C-0001");
    ev.add("2025-09-01", PathStart{"initial_training"});
    ev.add("2026-06-12", BlocResult{"RNCP40514BC01", true});
    ev.add("2026-06-12", BlocResult{"RNCP40514BC02", false});
    ev.add("2026-06-20", JuryDecision{"RNCP40514BC02", true, "S2026-06", "erreur de report de note"},
           Route::jury_decision, "JURY-2026-06-20");
    ev.add("2026-05-02", VaeDecision{{"RNCP40514BC03"}, {}, ""}, Route::vae, "VAE-2026-05");
    ev.add("2026-01-15", BlocCredit{"RNCP40514BC04", "RNCP38732", {"RNCP38732BC04"}, "certificateur_rule", ""},
           Route::correspondence, "CORR-2026-01");
    ev.add("2026-02-10", LanguageCertificate{"en", "CEFR", "B2", "ETS (TOEIC)", true, d("2026-02-01")});
    ev.add("2026-04-28", MobilityPeriod{d("2026-04-01"), d("2026-04-28"), "Montréal"});
    ev.add("2026-03-31", WorkPeriod{d("2025-10-01"), d("2026-03-31"), "Entreprise"});
    ev.add("2025-09-01", Attribute{"nationality", "FR"});
    ev.add("2025-09-01", Attribute{"family_name", "Dupont"});
    ev.add("2025-09-01", Attribute{"given_names", "Marie, Anne"});
    return ev;
}

/// Two blocs assessed, one acquired: a partial outcome.
Events partial_candidate() {
    Events ev("C-0002");
    ev.add("2026-06-12", BlocResult{"RNCP40514BC01", true});
    ev.add("2026-06-12", BlocResult{"RNCP40514BC02", false});
    return ev;
}

const Date decision = d("2026-07-01");

// --- A structural validator of OpenBadgeCredentials (Open Badges 3.0, VC 2.0) ------
// Required fields from the OB 3.0 data model: credential @context, id, type (with
// VerifiableCredential and OpenBadgeCredential or AchievementCredential), name,
// credentialSubject, issuer{id, type}, validFrom; AchievementSubject type, achievement
// and id or identifier[]; Achievement id, type, criteria, description, name;
// IdentityObject type, hashed, identityHash, identityType; Alignment type,
// targetName, targetUrl; Result type; ResultDescription id, type, name, resultType.

bool has_type(const json& node, std::string_view wanted) {
    if (!node.contains("type")) return false;
    const json& t = node["type"];
    if (t.is_string()) return t.get<std::string>() == wanted;
    if (!t.is_array()) return false;
    return std::any_of(t.begin(), t.end(), [&](const json& x) { return x.is_string() && x.get<std::string>() == wanted; });
}

bool is_uri(const json& value) {
    static const std::regex scheme("^[A-Za-z][A-Za-z0-9+.-]*:[^\\s]+$");
    return value.is_string() && std::regex_match(value.get<std::string>(), scheme);
}

bool is_text(const json& node, const char* key) {
    return node.contains(key) && node[key].is_string() && !node[key].get<std::string>().empty();
}

std::vector<std::string> ob3_problems(const json& c) {
    std::vector<std::string> p;
    auto need = [&](bool ok, const std::string& what) {
        if (!ok) p.push_back(what);
    };
    need(c.is_object(), "credential is not an object");
    if (!c.is_object()) return p;
    const bool contexts = c.contains("@context") && c["@context"].is_array() && !c["@context"].empty();
    need(contexts, "@context: an array is required");
    if (contexts) {
        need(c["@context"][0] == "https://www.w3.org/ns/credentials/v2", "@context[0]: the VC 2.0 context");
        need(std::any_of(c["@context"].begin(), c["@context"].end(),
                         [](const json& x) {
                             return x.is_string() &&
                                    x.get<std::string>().rfind("https://purl.imsglobal.org/spec/ob/v3p0/context-3", 0) == 0;
                         }),
             "@context: the Open Badges 3.0 context");
    }
    need(c.contains("id") && is_uri(c["id"]), "id: a URI");
    need(has_type(c, "VerifiableCredential"), "type: VerifiableCredential");
    need(has_type(c, "OpenBadgeCredential") || has_type(c, "AchievementCredential"),
         "type: OpenBadgeCredential or AchievementCredential");
    need(is_text(c, "name"), "name");
    const bool issuer = c.contains("issuer") && c["issuer"].is_object();
    need(issuer, "issuer: a Profile object");
    if (issuer) {
        need(c["issuer"].contains("id") && is_uri(c["issuer"]["id"]), "issuer.id: a URI");
        need(has_type(c["issuer"], "Profile"), "issuer.type: Profile");
    }
    static const std::regex date_time(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$)");
    need(c.contains("validFrom") && c["validFrom"].is_string() &&
             std::regex_match(c["validFrom"].get<std::string>(), date_time),
         "validFrom: an XML Schema dateTime");
    const bool subject = c.contains("credentialSubject") && c["credentialSubject"].is_object();
    need(subject, "credentialSubject: an object");
    if (!subject) return p;
    const json& s = c["credentialSubject"];
    need(has_type(s, "AchievementSubject"), "credentialSubject.type: AchievementSubject");
    const bool identified = (s.contains("id") && is_uri(s["id"])) ||
                            (s.contains("identifier") && s["identifier"].is_array() && !s["identifier"].empty());
    need(identified, "credentialSubject: id or identifier[]");
    if (s.contains("identifier")) {
        for (const auto& i : s["identifier"]) {
            need(has_type(i, "IdentityObject"), "identifier[].type: IdentityObject");
            need(i.contains("hashed") && i["hashed"].is_boolean(), "identifier[].hashed: a boolean");
            need(is_text(i, "identityHash"), "identifier[].identityHash");
            need(is_text(i, "identityType"), "identifier[].identityType");
            if (i.value("hashed", false) && is_text(i, "identityHash")) {
                const auto h = i["identityHash"].get<std::string>();
                need(h.rfind("sha256$", 0) == 0 || h.rfind("md5$", 0) == 0, "identityHash: sha256$… or md5$…");
            }
        }
    }
    const bool has_achievement = s.contains("achievement") && s["achievement"].is_object();
    need(has_achievement, "credentialSubject.achievement: an object");
    if (has_achievement) {
        const json& a = s["achievement"];
        need(a.contains("id") && is_uri(a["id"]), "achievement.id: a URI");
        need(has_type(a, "Achievement"), "achievement.type: Achievement");
        need(a.contains("criteria") && a["criteria"].is_object() &&
                 (a["criteria"].contains("id") || a["criteria"].contains("narrative")),
             "achievement.criteria: id or narrative");
        need(is_text(a, "description"), "achievement.description");
        need(is_text(a, "name"), "achievement.name");
        static const std::vector<std::string> kinds{
            "Achievement", "ApprenticeshipCertificate", "Assessment", "Assignment", "AssociateDegree",
            "Award", "Badge", "BachelorDegree", "Certificate", "CertificateOfCompletion", "Certification",
            "CommunityService", "Competency", "Course", "CoCurricular", "Degree", "Diploma", "DoctoralDegree",
            "Fieldwork", "GeneralEducationDevelopment", "JourneymanCertificate", "LearningProgram", "License",
            "Membership", "ProfessionalDoctorate", "QualityAssuranceCredential", "MasterCertificate",
            "MasterDegree", "MicroCredential", "ResearchDoctorate", "SecondarySchoolDiploma"};
        if (a.contains("achievementType")) {
            const auto k = a["achievementType"].get<std::string>();
            need(std::find(kinds.begin(), kinds.end(), k) != kinds.end() || k.rfind("ext:", 0) == 0,
                 "achievementType: " + k + " is not in the enumeration");
        }
        for (const auto& al : a.value("alignment", json::array())) {
            need(has_type(al, "Alignment"), "alignment[].type: Alignment");
            need(is_text(al, "targetName"), "alignment[].targetName");
            need(al.contains("targetUrl") && is_uri(al["targetUrl"]), "alignment[].targetUrl: a URI");
        }
        for (const auto& rd : a.value("resultDescription", json::array())) {
            need(rd.contains("id") && is_uri(rd["id"]), "resultDescription[].id");
            need(has_type(rd, "ResultDescription"), "resultDescription[].type");
            need(is_text(rd, "name"), "resultDescription[].name");
            need(is_text(rd, "resultType"), "resultDescription[].resultType");
        }
    }
    static const std::vector<std::string> statuses{"Completed", "Enrolled", "Failed", "InProgress", "OnHold",
                                                   "Provisional", "Withdrew"};
    for (const auto& r : s.value("result", json::array())) {
        need(has_type(r, "Result"), "result[].type: Result");
        if (r.contains("status"))
            need(std::find(statuses.begin(), statuses.end(), r["status"].get<std::string>()) != statuses.end(),
                 "result[].status");
    }
    return p;
}

std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += s + "; ";
    return out;
}

}  // namespace

TEST_CASE("award: the OB 3.0 validator accepts the real 1EdTech example and notices what is missing", "[award]") {
    const json example = json::parse(test::read_file(test::data("badges/ob3_example_fullOpenBadge.json")));
    INFO(join(ob3_problems(example)));
    CHECK(ob3_problems(example).empty());

    for (const char* pointer : {"/@context", "/id", "/name", "/issuer/id", "/validFrom", "/credentialSubject/type",
                                "/credentialSubject/achievement/criteria", "/credentialSubject/achievement/name"}) {
        json broken = example;
        const json::json_pointer ptr(pointer);
        broken[ptr.parent_pointer()].erase(ptr.back());
        INFO(pointer);
        CHECK_FALSE(ob3_problems(broken).empty());
    }
    json no_identity = example;
    no_identity["credentialSubject"].erase("id");
    no_identity["credentialSubject"].erase("identifier");
    CHECK_FALSE(ob3_problems(no_identity).empty());
    json wrong_type = example;
    wrong_type["type"] = json::array({"VerifiableCredential"});
    CHECK_FALSE(ob3_problems(wrong_type).empty());
}

TEST_CASE("award: the record of a certified candidate", "[award]") {
    const Referentiel ref = test::rncp40514();
    const Events ev = certified_candidate();
    const Eligibility e = eligibility(ref, ev.list, decision);
    {
        std::ostringstream why;
        for (const auto& c : e.checks) why << to_string(c.finding) << ' ' << c.subject << "; ";
        INFO(why.str());
        REQUIRE(e.eligible);
    }
    const AwardRecord r = award_record(ref, e, ev.list);
    CHECK(r.fiche == "RNCP40514");
    CHECK(r.title == ref.certification().title);
    CHECK(r.level == 6);
    REQUIRE(r.certifiers.size() == 2);
    CHECK(r.certifiers[0].siret == "77572257201109");
    CHECK(r.holder.candidate == "C-0001");
    CHECK(r.holder.family_name == std::optional<std::string>("Dupont"));
    CHECK(r.holder.given_names == std::optional<std::string>("Marie, Anne"));
    CHECK_FALSE(r.holder.birth_date);  // not recorded: not invented
    CHECK(r.award_date == decision);
    CHECK(r.certified);
    REQUIRE(r.blocs.size() == 4);
    CHECK(r.blocs[0].code == "RNCP40514BC01");
    CHECK(r.blocs[0].title == ref.blocs()[0].title);
    CHECK(r.blocs[0].acquired == d("2026-06-12"));
    CHECK(r.blocs[0].route == Route::exam);
    CHECK(r.blocs[0].event == 2);
    CHECK(r.blocs[0].session == "S2026-06");
    CHECK(r.blocs[1].route == Route::jury_decision);  // the jury overrode the refusal
    CHECK(r.blocs[1].acquired == d("2026-06-20"));
    CHECK(r.blocs[1].event == 4);
    CHECK(r.blocs[1].session == "JURY-2026-06-20");
    CHECK(r.blocs[2].route == Route::vae);
    CHECK(r.blocs[2].acquired == d("2026-05-02"));
    CHECK(r.blocs[3].route == Route::correspondence);
    CHECK(r.blocs[3].event == 6);
    CHECK(r.ledger_head.empty());

    // Without the events the sessions stay empty; everything else is the same.
    AwardRecord bare = award_record(ref, e);
    CHECK(bare.blocs[0].session.empty());
    for (auto& b : bare.blocs) b.session = r.blocs[&b - bare.blocs.data()].session;
    CHECK(bare == r);
}

TEST_CASE("award: a partial outcome is an attestation of the acquired blocs", "[award]") {
    const Referentiel ref = test::rncp40514();
    const Events ev = partial_candidate();
    const Eligibility e = eligibility(ref, ev.list, decision);
    REQUIRE_FALSE(e.eligible);
    const AwardRecord r = award_record(ref, e, ev.list);
    CHECK_FALSE(r.certified);
    REQUIRE(r.blocs.size() == 1);  // BC02 refused: not in the record
    CHECK(r.blocs[0].code == "RNCP40514BC01");
    CHECK_FALSE(r.holder.family_name);

    CHECK_THROWS_AS(certification_credential_json(ref, r), Error);
    CHECK_THROWS_WITH(certification_credential_json(ref, r), Catch::Contains("not a certification"));
    CHECK_THROWS_AS(bloc_credential_json(ref, r, "RNCP40514BC02"), Error);
    const json badge = json::parse(bloc_credential_json(ref, r, "RNCP40514BC01"));
    CHECK(ob3_problems(badge).empty());

    // A record for another fiche is refused rather than mixed up.
    AwardRecord other = r;
    other.fiche = "RNCP00001";
    CHECK_THROWS_AS(bloc_credential_json(ref, other, "RNCP40514BC01"), Error);
}

TEST_CASE("award: CSV rows and JSON record", "[award]") {
    const Referentiel ref = test::rncp40514();
    const Events a = certified_candidate();
    const Events b = partial_candidate();
    std::vector<AwardRecord> records{award_record(ref, eligibility(ref, a.list, decision), a.list),
                                     award_record(ref, eligibility(ref, b.list, decision), b.list)};
    records[0].ledger_head = std::string(64, 'a');
    records[0].checkpoint = "certigraph.ledger/0123 36 ROOT= 2026-07-01T09:00:00Z";
    AwardRecord nothing = award_record(ref, eligibility(ref, std::vector<Event>{}, decision));
    nothing.holder.candidate = "C-0003";
    records.push_back(nothing);

    std::ostringstream out;
    write_award_records_csv(out, records);
    std::istringstream in(out.str());
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    REQUIRE(lines.size() == 1 + 4 + 1 + 1);
    CHECK(lines[0] ==
          "fiche,certification_title,level,certifier_sirets,certifier_names,candidate,family_name,given_names,"
          "birth_date,award_date,certified,bloc,bloc_title,acquired,route,event,corrects,session,ledger_head,"
          "checkpoint,decision,jury_session");
    CHECK(lines[1].rfind("RNCP40514,Informatique et systèmes numériques,6,77572257201109;11004401300040,"
                         "CESI ; MINISTERE DE L'ENSEIGNEMENT SUPERIEUR ET DE LA RECHERCHE,C-0001,Dupont,"
                         "\"Marie, Anne\",,2026-07-01,true,RNCP40514BC01,",
                         0) == 0);
    CHECK(lines[1].find(",2026-06-12,exam,2,,S2026-06," + std::string(64, 'a') +
                        ",certigraph.ledger/0123 36 ROOT= 2026-07-01T09:00:00Z,,") != std::string::npos);
    CHECK(lines[2].find(",2026-06-20,jury_decision,4,,JURY-2026-06-20,") != std::string::npos);
    CHECK(lines[5].find(",C-0002,,,,2026-07-01,false,RNCP40514BC01,") != std::string::npos);
    CHECK(lines[6].find(",C-0003,,,,2026-07-01,false,,,,,,,,,") != std::string::npos);
    // A title with a quote is quoted with the quote doubled.
    AwardRecord quoted = records[1];
    quoted.title = "Titre \"A\"";
    std::ostringstream q;
    write_award_records_csv(q, std::span<const AwardRecord>(&quoted, 1));
    CHECK(q.str().find(",\"Titre \"\"A\"\"\",") != std::string::npos);

    const json j = json::parse(award_record_json(records[0]));
    CHECK(j["format"] == "certigraph/award");
    CHECK(j["format_version"] == 2);
    CHECK(j["certification"]["code"] == "RNCP40514");
    CHECK(j["certification"]["certifiers"].size() == 2);
    CHECK(j["holder"] == json{{"candidate", "C-0001"}, {"family_name", "Dupont"}, {"given_names", "Marie, Anne"}});
    CHECK(j["award_date"] == "2026-07-01");
    CHECK(j["certified"] == true);
    CHECK(j["checkpoint"] == "certigraph.ledger/0123 36 ROOT= 2026-07-01T09:00:00Z");
    REQUIRE(j["blocs"].size() == 4);
    CHECK(j["blocs"][0] == json{{"code", "RNCP40514BC01"},
                                {"title", ref.blocs()[0].title},
                                {"acquired", "2026-06-12"},
                                {"route", "exam"},
                                {"event", 2},
                                {"session", "S2026-06"}});
    CHECK(j["ledger_head"] == std::string(64, 'a'));
    CHECK_FALSE(json::parse(award_record_json(records[1])).contains("ledger_head"));
    // Keys sorted: the text is the canonical dump of its own parse.
    CHECK(award_record_json(records[0]) == j.dump(2));
}

TEST_CASE("award: every credential has the OB 3.0 shape, no proof, and the facts", "[award]") {
    const Referentiel ref = test::rncp40514();
    const Events ev = certified_candidate();
    const AwardRecord r = award_record(ref, eligibility(ref, ev.list, decision), ev.list);
    BadgeOptions options;
    options.subject_salt = "sel-2026";

    std::vector<json> credentials;
    for (const auto& b : r.blocs) credentials.push_back(json::parse(bloc_credential_json(ref, r, b.code, options)));
    credentials.push_back(json::parse(certification_credential_json(ref, r, options)));
    static const std::regex uuid8("^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
    std::vector<std::string> ids;
    for (const auto& c : credentials) {
        INFO(c.dump(2));
        INFO(join(ob3_problems(c)));
        CHECK(ob3_problems(c).empty());
        CHECK_FALSE(c.contains("proof"));
        CHECK(c["@context"] == json::array({"https://www.w3.org/ns/credentials/v2",
                                            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"}));
        CHECK(c["type"] == json::array({"VerifiableCredential", "OpenBadgeCredential"}));
        CHECK(std::regex_match(c["id"].get<std::string>(), uuid8));
        CHECK(c["issuer"] == json{{"id", "urn:siret:77572257201109"}, {"type", {"Profile"}}, {"name", "CESI"}});
        const json& id = c["credentialSubject"]["identifier"][0];
        CHECK(id["hashed"] == true);
        CHECK(id["identityType"] == "identifier");
        CHECK(id["identityHash"] == "sha256$" + sha256_hex("C-0001sel-2026"));
        CHECK(id["salt"] == "sel-2026");
        const json& result = c["credentialSubject"]["result"][0];
        CHECK(result["status"] == "Completed");
        CHECK(result["resultDescription"] == c["credentialSubject"]["achievement"]["resultDescription"][0]["id"]);
        ids.push_back(c["id"]);
    }
    std::sort(ids.begin(), ids.end());
    CHECK(std::adjacent_find(ids.begin(), ids.end()) == ids.end());  // one id per credential

    const json& bc01 = credentials[0];
    CHECK(bc01["validFrom"] == "2026-06-12T00:00:00Z");
    const json& a = bc01["credentialSubject"]["achievement"];
    CHECK(a["id"] == "urn:certigraph:achievement:RNCP40514BC01");
    CHECK(a["achievementType"] == "Competency");
    CHECK(a["humanCode"] == "RNCP40514BC01");
    CHECK(a["name"] == ref.blocs()[0].title);
    CHECK(a["description"] == ref.blocs()[0].description);
    const std::string narrative = a["criteria"]["narrative"];
    CHECK(narrative.find("2026-06-12") != std::string::npos);
    CHECK(narrative.find("examen (session S2026-06)") != std::string::npos);
    CHECK(narrative.find("événement n° 2") != std::string::npos);
    CHECK(a["alignment"][0]["targetCode"] == "RNCP40514BC01");
    CHECK(a["alignment"][0]["targetUrl"] == "https://www.francecompetences.fr/recherche/rncp/40514/");
    CHECK(credentials[1]["credentialSubject"]["achievement"]["criteria"]["narrative"].get<std::string>().find(
              "décision du jury") != std::string::npos);

    const json& cert = credentials.back();
    CHECK(cert["validFrom"] == "2026-07-01T00:00:00Z");
    CHECK(cert["credentialSubject"]["achievement"]["achievementType"] == "Certification");
    CHECK(cert["credentialSubject"]["achievement"]["humanCode"] == "RNCP40514");
    CHECK(cert["credentialSubject"]["achievement"]["description"].get<std::string>().find("niveau 6") !=
          std::string::npos);

    // Options: the issuer, achievement ids and no salt.
    BadgeOptions own;
    own.issuer_id = "https://certificateur.example/issuer";
    own.issuer_name = "Certificateur";
    own.achievement_base_url = "https://certificateur.example/achievements/";
    const json c2 = json::parse(bloc_credential_json(ref, r, "RNCP40514BC01", own));
    CHECK(ob3_problems(c2).empty());
    CHECK(c2["issuer"]["id"] == "https://certificateur.example/issuer");
    CHECK(c2["issuer"]["name"] == "Certificateur");
    CHECK(c2["credentialSubject"]["achievement"]["id"] == "https://certificateur.example/achievements/RNCP40514BC01");
    CHECK(c2["credentialSubject"]["identifier"][0]["identityHash"] == "sha256$" + sha256_hex("C-0001"));
    CHECK_FALSE(c2["credentialSubject"]["identifier"][0].contains("salt"));
    CHECK(c2["id"] == bc01["id"]);  // the options do not change the credential id
}

TEST_CASE("award: same inputs, byte-identical outputs, whatever the event order", "[award]") {
    const Referentiel ref = test::rncp40514();
    const Events ev = certified_candidate();
    std::vector<Event> shuffled = ev.list;
    std::mt19937 rng(7);
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    const AwardRecord r1 = award_record(ref, eligibility(ref, ev.list, decision), ev.list);
    const AwardRecord r2 = award_record(ref, eligibility(ref, shuffled, decision), shuffled);
    CHECK(r1 == r2);
    CHECK(award_record_json(r1) == award_record_json(r2));
    for (const auto& b : r1.blocs)
        CHECK(bloc_credential_json(ref, r1, b.code) == bloc_credential_json(ref, r2, b.code));
    CHECK(certification_credential_json(ref, r1) == certification_credential_json(ref, r2));

    // The id depends on the fiche, candidate, bloc and date, nothing else.
    AwardRecord renamed = r1;
    renamed.holder.candidate = "C-0009";
    const auto id = [](const std::string& text) { return json::parse(text)["id"].get<std::string>(); };
    CHECK(id(bloc_credential_json(ref, renamed, "RNCP40514BC01")) != id(bloc_credential_json(ref, r1, "RNCP40514BC01")));
    AwardRecord later = r1;
    later.award_date = d("2026-09-01");  // a later decision: bloc credentials keep their ids
    CHECK(id(bloc_credential_json(ref, later, "RNCP40514BC01")) == id(bloc_credential_json(ref, r1, "RNCP40514BC01")));
    CHECK(id(certification_credential_json(ref, later)) != id(certification_credential_json(ref, r1)));
    BadgeOptions other_issuer;
    other_issuer.issuer_id = "https://x.example/i";
    CHECK(id(bloc_credential_json(ref, r1, "RNCP40514BC01", other_issuer)) ==
          id(bloc_credential_json(ref, r1, "RNCP40514BC01")));

    // Name-based UUIDs: version 8, RFC 4122 variant, stable.
    CHECK(name_based_uuid("x") == name_based_uuid("x"));
    CHECK(name_based_uuid("x") != name_based_uuid("y"));
    CHECK(name_based_uuid("x")[14] == '8');
}

TEST_CASE("award: a certifier without SIRET needs an issuer id", "[award]") {
    ReferentielBuilder b;
    b.certification({.code = "RNCP1", .title = "T", .level = 5, .certifiers = {{"Sans SIRET", ""}}});
    b.add(Bloc{.code = "RNCP1BC01", .title = "Bloc 1"});
    b.add(Competency{.code = "C1", .title = "Compétence", .bloc = "RNCP1BC01"});
    b.add(Criterion{.code = "E1", .title = "Critère", .competency = "C1"});
    const Referentiel ref = b.build();
    Events ev("X");
    ev.add("2026-06-12", BlocResult{"RNCP1BC01", true});
    for (auto& e : ev.list) e.referentiel.fiche = "RNCP1";
    const AwardRecord r = award_record(ref, eligibility(ref, ev.list, decision), ev.list);
    REQUIRE(r.certified);
    CHECK_THROWS_WITH(bloc_credential_json(ref, r, "RNCP1BC01"), Catch::Contains("issuer"));
    BadgeOptions o;
    o.issuer_id = "https://sans-siret.example/issuer";
    const json c = json::parse(certification_credential_json(ref, r, o));
    CHECK(ob3_problems(c).empty());
    CHECK(c["issuer"]["name"] == "Sans SIRET");
    // The bloc has no description: the achievement's description is its title.
    CHECK(json::parse(bloc_credential_json(ref, r, "RNCP1BC01", o))["credentialSubject"]["achievement"]["description"] ==
          "Bloc 1");
}

TEST_CASE("award: a corrected result keeps the superseded event's date and session", "[award]") {
    const Referentiel ref = test::rncp40514();
    Events ev("C-0004");
    const EventId wrong = ev.add("2026-06-12", BlocResult{"RNCP40514BC01", false});
    const EventId fix = ev.add("2026-06-25", Correction{wrong, "note mal reportée", Fact{BlocResult{"RNCP40514BC01", true}}},
                               Route::exam, "S2026-06-corr");
    const AwardRecord r = award_record(ref, eligibility(ref, ev.list, decision), ev.list);
    REQUIRE(r.blocs.size() == 1);
    CHECK(r.blocs[0].event == fix);
    CHECK(r.blocs[0].corrects == wrong);
    CHECK(r.blocs[0].acquired == d("2026-06-12"));
    CHECK(r.blocs[0].session == "S2026-06");
    std::ostringstream csv;
    write_award_records_csv(csv, std::span<const AwardRecord>(&r, 1));
    CHECK(csv.str().find(",2026-06-12,exam,2,1,S2026-06,") != std::string::npos);
    CHECK(json::parse(award_record_json(r))["blocs"][0]["corrects"] == 1);
    const std::string narrative = json::parse(bloc_credential_json(ref, r, "RNCP40514BC01"))["credentialSubject"]
                                                ["achievement"]["criteria"]["narrative"];
    CHECK(narrative.find("événement n° 2 (rectifiant l'événement n° 1)") != std::string::npos);
}
