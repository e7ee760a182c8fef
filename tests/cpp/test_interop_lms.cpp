// CASE, Moodle and Canvas exchange formats and the fiche + curated merge.
#include "support.hpp"

#include <certigraph/interop/case.hpp>
#include <certigraph/interop/exchange.hpp>
#include <certigraph/interop/lms.hpp>
#include <certigraph/interop/merge.hpp>

#include "interop/table.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <regex>
#include <set>
#include <sstream>

using namespace certigraph;
using nlohmann::json;

namespace {

/// Every node's code, title and parent, per kind, in declaration order.
struct Tree {
    std::vector<std::string> lines;
    explicit Tree(const Referentiel& r, bool activities_and_epreuves = true) {
        lines.push_back("certification " + r.certification().code + " | " + r.certification().title);
        for (const auto& b : r.blocs()) lines.push_back("bloc " + b.code + " | " + b.title);
        for (const auto& c : r.competencies()) lines.push_back("competency " + c.code + " < " + c.bloc + " | " + c.title);
        for (const auto& c : r.criteria()) lines.push_back("criterion " + c.code + " < " + c.competency + " | " + c.title);
        if (!activities_and_epreuves) return;
        for (const auto& a : r.activities()) {
            std::string calls;
            for (const auto& c : a.competencies) calls += " " + c;
            lines.push_back("activity " + a.code + " < " + a.bloc + "/" + a.parent + " |" + calls + " | " + a.title);
        }
        for (const auto& e : r.epreuves()) {
            std::string evaluates;
            for (const auto& c : e.evaluates) evaluates += " " + c;
            lines.push_back("epreuve " + e.code + " |" + evaluates + " | " + e.title);
        }
    }
};

/// The first line where two trees differ ("" when they are the same), for readable failures.
std::string first_difference(const Tree& got, const Tree& want) {
    for (std::size_t i = 0; i < std::max(got.lines.size(), want.lines.size()); ++i) {
        const std::string g = i < got.lines.size() ? got.lines[i] : "(none)";
        const std::string w = i < want.lines.size() ? want.lines[i] : "(none)";
        if (g != w) return "got  " + g + "\nwant " + w;
    }
    return {};
}

std::string parse_error(const std::function<void()>& f) {
    try {
        f();
    } catch (const ParseError& e) {
        return e.what();
    }
    FAIL("no ParseError");
    return {};
}

Policy example_policy() { return io::load_policy(test::example("policies/rncp40514-default.json").string()); }

}  // namespace

// --- CASE ---------------------------------------------------------------------

TEST_CASE("CASE identifiers are UUID v5 of the names (as Python's uuid.uuid5 gives them)", "[interop][case]") {
    // python3 -c "import uuid; print(uuid.uuid5(uuid.NAMESPACE_URL, 'urn:certigraph:case:RNCP40514:item:A1C1'))"
    CHECK(interop::case_uuid("urn:certigraph:case:RNCP40514:item:A1C1") == "a09eab8d-fcb9-592c-b993-b96eb64134e4");
    CHECK(interop::case_uuid("urn:certigraph:case:RNCP40514:document") == "511cf59d-ef99-51c6-855c-d06288b0e907");
}

TEST_CASE("CASE export: deterministic, 1.1 identifiers, codes, isChildOf with sequenceNumber", "[interop][case]") {
    const Referentiel ref = test::rncp40514();
    const std::string text = interop::referentiel_to_case(ref);
    CHECK(interop::referentiel_to_case(test::rncp40514()) == text);  // same référentiel, same bytes
    const json package = json::parse(text);
    CHECK(package["CFDocument"]["caseVersion"] == "1.1");
    CHECK(package["CFDocument"]["officialSourceURL"] == "https://www.francecompetences.fr/recherche/rncp/40514/");
    const std::regex uuid11("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    std::map<std::string, std::string> code_of;  // identifier -> humanCodingScheme
    for (const auto& item : package["CFItems"]) {
        CHECK(std::regex_match(item["identifier"].get<std::string>(), uuid11));
        code_of[item["identifier"]] = item["humanCodingScheme"];
    }
    CHECK(package["CFItems"].size() == 4 + 30 + 30 + 30 + 5);
    CHECK(package["CFItems"][0]["humanCodingScheme"] == "RNCP40514BC01");
    CHECK(package["CFItems"][0]["CFItemType"] == "Bloc de compétences");
    // A2C3 is the third child of bloc 2.
    bool found = false;
    for (const auto& a : package["CFAssociations"]) {
        CHECK(std::regex_match(a["identifier"].get<std::string>(), uuid11));
        if (a["associationType"] == "isChildOf" && code_of[a["originNodeURI"]["identifier"]] == "A2C3") {
            CHECK(code_of[a["destinationNodeURI"]["identifier"]] == "RNCP40514BC02");
            CHECK(a["sequenceNumber"] == 3);
            found = true;
        }
    }
    CHECK(found);
    CHECK_FALSE(package.contains("CFRubrics"));
    // A base URI changes the URIs, not the identifiers.
    const json based = json::parse(interop::referentiel_to_case(ref, {nullptr, "https://example.org/case/"}));
    CHECK(based["CFItems"][0]["identifier"] == package["CFItems"][0]["identifier"]);
    CHECK(based["CFItems"][0]["uri"] == "https://example.org/case/CFItems/" + package["CFItems"][0]["identifier"].get<std::string>());
}

TEST_CASE("CASE export with a policy: one rubric per épreuve, the scale as levels", "[interop][case]") {
    const Referentiel ref = test::rncp40514();
    Policy policy = example_policy();
    const json package = json::parse(interop::referentiel_to_case(ref, {&policy, {}}));
    REQUIRE(package["CFRubrics"].size() == 5);
    const auto& rubric = package["CFRubrics"][0];
    CHECK(rubric["title"] == "EP1 Étude de cas");
    REQUIRE(rubric["CFRubricCriteria"].size() == 9);  // A1E1..A1E9 through A1C1..A1C9
    const auto& criterion = rubric["CFRubricCriteria"][0];
    CHECK(criterion["category"] == "A1E1");
    CHECK(criterion["rubricId"] == rubric["identifier"]);
    const auto& levels = criterion["CFRubricCriterionLevels"];
    REQUIRE(levels.size() == 3);  // 0-20, pass mark 10
    CHECK(levels[0]["score"] == 20.0);
    CHECK(levels[1]["score"] == 10.0);
    CHECK(levels[2]["score"] == 0.0);
    CHECK(levels[1]["rubricCriterionId"] == criterion["identifier"]);
    // An ordinal scale gives its labels, highest first.
    policy.scales["levels"] = Scale::ordinal({"insuffisant", "fragile", "satisfaisant", "très bon"}, 3);
    policy.scale_of["A1E1"] = "levels";
    const json ordinal = json::parse(interop::referentiel_to_case(ref, {&policy, {}}));
    const auto& l = ordinal["CFRubrics"][0]["CFRubricCriteria"][0]["CFRubricCriterionLevels"];
    REQUIRE(l.size() == 4);
    CHECK(l[0]["quality"] == "très bon");
    CHECK(l[0]["score"] == 4.0);
    CHECK(l[3]["quality"] == "insuffisant");
}

TEST_CASE("certigraph -> CASE -> certigraph keeps every code, title and parent", "[interop][case]") {
    for (const Referentiel& ref : {test::rncp40514(), test::tiny()}) {
        const Referentiel back = interop::parse_case(interop::referentiel_to_case(ref), "export.json").build();
        CHECK(first_difference(Tree(back), Tree(ref)).empty());
        CHECK(back.certification().dates.start_of_paths == ref.certification().dates.start_of_paths);
        CHECK(back.certification().dates.end_of_registration == ref.certification().dates.end_of_registration);
        CHECK(back.certification().certifiers.size() == ref.certification().certifiers.size());
        for (std::size_t i = 0; i < ref.competencies().size(); ++i)
            CHECK(back.competencies()[i].description == ref.competencies()[i].description);
        for (std::size_t i = 0; i < ref.epreuves().size(); ++i)
            CHECK(back.epreuves()[i].modality == ref.epreuves()[i].modality);
    }
}

TEST_CASE("The OpenSALT CASE samples import", "[interop][case]") {
    SECTION("CCSS excerpt: clusters, standards, components") {
        const Referentiel r =
            interop::read_exchange(test::data("interop_lms/case/opensalt_sample_ccss_math_6RP.json"),
                                   interop::ExchangeFormat::case_json)
                .build();
        CHECK(r.certification().code == "20c5134f-423d-4097-a971-3dd5152bf507");
        CHECK(r.certification().title == "What Standards Could Be");
        REQUIRE(r.blocs().size() == 2);
        CHECK(r.blocs()[0].code == "CCSS.Math.Content.6.RP.A");  // sequenceNumber 1
        CHECK(r.competencies().size() == 6);
        CHECK(r.criteria().size() == 8);
        CHECK(r.criteria()[r.index_of(NodeKind::criterion, "CCSS.Math.Content.6.RP.A.3a")].competency ==
              "CCSS.Math.Content.6.RP.A.3");
    }
    SECTION("SmartLevel: items without humanCodingScheme are coded by identifier") {
        const Referentiel r = interop::read_exchange(test::data("interop_lms/case/opensalt_SmartLevelFramework.json"),
                                                     interop::ExchangeFormat::case_json, {"DEMO1"})
                                  .build();
        CHECK(r.certification().code == "DEMO1");
        REQUIRE(r.blocs().size() == 2);
        CHECK(r.blocs()[0].code == "00000000-0000-0000-0000-000000000001");
        CHECK(r.blocs()[0].title == "Item 1");
        CHECK(r.competencies().size() == 12);
    }
    SECTION("SequenceNumber: a flat list, ordered by sequenceNumber, in one bloc") {
        const Referentiel r =
            interop::read_exchange(test::data("interop_lms/case/opensalt_SequenceNumberFramework.json"),
                                   interop::ExchangeFormat::case_json)
                .build();
        REQUIRE(r.blocs().size() == 1);
        CHECK(r.blocs()[0].title == "Sequence Number Test");
        REQUIRE(r.competencies().size() == 2);
        CHECK(r.competencies()[0].code == "SNT.2");
        CHECK(r.competencies()[1].code == "SNT.1");
    }
}

TEST_CASE("CASE import refuses broken structure with the place", "[interop][case]") {
    auto read = [](const std::string& name) {
        return parse_error([&] {
            (void)interop::read_exchange(test::data("interop_lms/broken/" + name), interop::ExchangeFormat::case_json);
        });
    };
    CHECK_THAT(read("case_item_without_statement.json"),
               Catch::Contains("at /CFItems/0: missing required key 'fullStatement'"));
    CHECK_THAT(read("case_truncated.json"), Catch::Matches(".*case_truncated.json:[0-9]+:[0-9]+: .*"));
    CHECK_THAT(parse_error([] { (void)interop::parse_case("[]", "x.json"); }), Catch::Contains("CFPackage"));
    CHECK_THAT(parse_error([] { (void)interop::parse_case(R"({"CFItems": []})", "x.json"); }),
               Catch::Contains("missing required key 'CFDocument'"));
    const std::string cycle = R"({"CFDocument": {"identifier": "d", "title": "T"},
      "CFItems": [{"identifier": "a", "fullStatement": "A"}, {"identifier": "b", "fullStatement": "B"}],
      "CFAssociations": [
        {"identifier": "1", "associationType": "isChildOf", "originNodeURI": {"identifier": "a"}, "destinationNodeURI": {"identifier": "b"}},
        {"identifier": "2", "associationType": "isChildOf", "originNodeURI": {"identifier": "b"}, "destinationNodeURI": {"identifier": "a"}}]})";
    CHECK_THAT(parse_error([&] { (void)interop::parse_case(cycle, "x.json"); }),
               Catch::Contains("at /CFAssociations/1/destinationNodeURI: this isChildOf makes a cycle"));
    const std::string twice = R"({"CFDocument": {"identifier": "d", "title": "T"},
      "CFItems": [{"identifier": "a", "fullStatement": "A"}, {"identifier": "a", "fullStatement": "B"}]})";
    CHECK_THAT(parse_error([&] { (void)interop::parse_case(twice, "x.json"); }),
               Catch::Contains("at /CFItems/1/identifier"));
    CHECK_THAT(parse_error([] {
                   (void)interop::parse_case(R"({"CFDocument": {"identifier": "d", "title": "T", "statusEndDate": "31/08/2029"}})", "x.json");
               }),
               Catch::Contains("at /CFDocument/statusEndDate: '31/08/2029' is not a date"));
}

// --- Moodle -------------------------------------------------------------------

TEST_CASE("Moodle export: Moodle's 14 columns, one framework row, parents before children", "[interop][moodle]") {
    const Referentiel ref = test::rncp40514();
    const std::string text = interop::referentiel_to_moodle_csv(ref);
    CHECK(text.substr(0, text.find("\r\n")) ==
          "Parent id number,Id number,Shortname,Description,Description format,Scale values,Scale configuration,"
          "Rule type (optional),Rule outcome (optional),Rule config (optional),Cross referenced competency id "
          "numbers,Exported id (optional),Is framework,Taxonomy");
    const Referentiel back = interop::parse_moodle_csv(text, "m.csv").build();
    CHECK(first_difference(Tree(back, false), Tree(ref, false)).empty());  // same tree, full titles kept
    CHECK(back.competencies()[0].description == ref.competencies()[0].description);
    // Shortnames are cut to Moodle's 100 characters.
    CHECK(text.find("\"Un besoin technique, au moins, est identifié et formalisé par écrit au client. La formalisation du …\"") !=
          std::string::npos);
}

TEST_CASE("Moodle export maps the policy's rules to Moodle's rule classes", "[interop][moodle]") {
    const Referentiel ref = test::rncp40514();
    Policy policy = example_policy();
    policy.bloc_rules["RNCP40514BC02"] = Rule{.kind = RuleKind::at_least, .k = 5};
    policy.bloc_rules["RNCP40514BC03"] = Rule{.kind = RuleKind::weighted_mean, .threshold = 10};
    policy.competency_rules["A4C1"] = Rule{.kind = RuleKind::points, .points = {{"A4E1", 2}}, .required = {"A4E1"}, .minimum = 2};
    const Referentiel back = interop::parse_moodle_csv(interop::referentiel_to_moodle_csv(ref, &policy), "m").build();
    CHECK(first_difference(Tree(back, false), Tree(ref, false)).empty());
    const std::string text = interop::referentiel_to_moodle_csv(ref, &policy);
    auto row_of = [&](const std::string& code) {
        const auto at = text.find("\r\n," + code + ",");
        REQUIRE(at != std::string::npos);
        return text.substr(at + 2, text.find("\r\n", at + 2) - at - 2);
    };
    CHECK_THAT(row_of("RNCP40514BC01"), Catch::Contains(",core_competency\\competency_rule_all,2,null,"));
    CHECK_THAT(row_of("RNCP40514BC02"),
               Catch::Contains(",core_competency\\competency_rule_points,2,\"{\"\"base\"\":{\"\"points\"\":5},"
                               "\"\"competencies\"\":[{\"\"id\"\":"));
    CHECK_THAT(row_of("RNCP40514BC03"), Catch::Contains(",,0,null,"));  // weighted mean: no Moodle rule
    const auto a4c1 = text.find("\r\nRNCP40514BC04,A4C1,");
    REQUIRE(a4c1 != std::string::npos);
    CHECK_THAT(text.substr(a4c1, 600), Catch::Contains("\"\"points\"\":2,\"\"required\"\":1"));
    // The scale: 0..20, proficient from 10.
    CHECK_THAT(text, Catch::Contains("\"0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20\""));
    CHECK_THAT(text, Catch::Contains("{\"\"id\"\":11,\"\"scaledefault\"\":1,\"\"proficient\"\":1}"));
}

TEST_CASE("Moodle import: framework, blocs, competencies, deeper levels as criteria", "[interop][moodle]") {
    const Referentiel r = interop::read_exchange(test::data("interop_lms/moodle/framework.csv"),
                                                 interop::ExchangeFormat::moodle_csv)
                              .build();
    CHECK(Tree(r).lines == std::vector<std::string>{
                               "certification DIGI-2026 | Digital skills",
                               "bloc D1 | Information literacy",
                               "bloc D2 | Communication",
                               "competency D1.1 < D1 | Searching",
                               "competency D2.1 < D2 | Netiquette",
                               "criterion D1.1.a < D1.1 | Uses operators",
                               "criterion D1.1.b < D1.1 | Refines queries",
                               "criterion D1.1.b.x < D1.1 | Deeper level",
                           });
    CHECK(r.blocs()[0].description == "Find & evaluate information");
    CHECK(r.criteria()[0].description == "Uses boolean operators");
    CHECK(r.competencies()[1].description == "Plain text, format 2");
}

TEST_CASE("Moodle import refuses broken files with file:line:column", "[interop][moodle]") {
    auto read = [](const std::string& name) {
        return parse_error([&] {
            (void)interop::read_exchange(test::data("interop_lms/broken/" + name), interop::ExchangeFormat::moodle_csv);
        });
    };
    CHECK_THAT(read("moodle_unterminated.csv"), Catch::Matches(".*moodle_unterminated.csv:3:5: this quoted cell is never closed.*"));
    CHECK_THAT(read("moodle_unknown_parent.csv"),
               Catch::Matches(".*moodle_unknown_parent.csv:4:1: parent id number 'B9' names no competency.*"));
    CHECK_THAT(read("moodle_two_frameworks.csv"), Catch::Matches(".*:3:[0-9]+: a second framework row \\(the first is on line 2\\).*"));
    CHECK_THAT(read("moodle_missing_columns.csv"), Catch::Contains("the header has 4 columns"));
    CHECK_THAT(read("moodle_cycle.csv"), Catch::Matches(".*moodle_cycle.csv:3:1: competency 'C1' descends from itself.*"));
}

// --- Canvas -------------------------------------------------------------------

TEST_CASE("Canvas export: groups before outcomes, decreasing integer ratings, same tree back", "[interop][canvas]") {
    const Referentiel ref = test::rncp40514();
    const Policy policy = example_policy();
    const std::string text = interop::referentiel_to_canvas_csv(ref, &policy);
    CHECK(text.substr(0, text.find("\r\n")) ==
          "vendor_guid,object_type,title,description,display_name,calculation_method,calculation_int,"
          "workflow_state,parent_guids,mastery_points,ratings,,,,,");
    const auto first_outcome = text.find(",outcome,");
    CHECK(text.rfind(",group,") < first_outcome);
    CHECK_THAT(text, Catch::Contains("RNCP40514/A1E1,outcome,"));
    CHECK_THAT(text, Catch::Contains(",RNCP40514/A1C1,10,20,maximum (20/20),10,seuil de réussite (10/20),0,minimum (0/20)\r\n"));
    const Referentiel back = interop::parse_canvas_csv(text, "c.csv").build();
    CHECK(first_difference(Tree(back, false), Tree(ref, false)).empty());
    // Without a policy: no ratings.
    const Referentiel plain = interop::parse_canvas_csv(interop::referentiel_to_canvas_csv(ref), "c.csv").build();
    CHECK(first_difference(Tree(plain, false), Tree(ref, false)).empty());
    // A non-integer scale cannot be written as Canvas ratings.
    Policy halves = policy;
    halves.scales["note_20"].pass_mark = 10.5;
    CHECK_THROWS_WITH(interop::referentiel_to_canvas_csv(ref, &halves), Catch::Contains("whole points"));
}

TEST_CASE("Canvas import: the root group, blocs, competencies, criteria; deleted rows left out", "[interop][canvas]") {
    const Referentiel r = interop::read_exchange(test::data("interop_lms/canvas/outcomes.csv"),
                                                 interop::ExchangeFormat::canvas_csv)
                              .build();
    CHECK(Tree(r).lines == std::vector<std::string>{
                               "certification root | Digital skills",
                               "bloc g1 | Information literacy",
                               "bloc g2 | Communication",
                               "competency g11 < g1 | Searching",
                               "competency D2.1 < g2 | Netiquette",
                               "criterion D1.1.a < g11 | Uses operators",
                               "criterion D1.1.b < g11 | Refines queries",
                           });
    CHECK(r.criteria()[0].description == "Uses boolean operators");
}

TEST_CASE("Canvas import refuses broken files with file:line:column", "[interop][canvas]") {
    auto read = [](const std::string& name) {
        return parse_error([&] {
            (void)interop::read_exchange(test::data("interop_lms/broken/" + name), interop::ExchangeFormat::canvas_csv);
        });
    };
    CHECK_THAT(read("canvas_ratings_increase.csv"), Catch::Matches(".*canvas_ratings_increase.csv:4:23: rating points 3 do not decrease.*"));
    CHECK_THAT(read("canvas_parent_later.csv"), Catch::Matches(".*canvas_parent_later.csv:3:[0-9]+: parent 'later' is not a group of an earlier row.*"));
}

TEST_CASE("CSV readers refuse text that is not UTF-8, at the byte", "[interop][csv]") {
    const std::string latin1 = "vendor_guid,object_type,title\nroot,group,R\xE9sum\xE9\n";
    CHECK_THAT(parse_error([&] { (void)interop::parse_canvas_csv(latin1, "latin1.csv"); }),
               Catch::Contains("latin1.csv:2:13: this byte is not UTF-8 text; save the file as UTF-8"));
    const std::string overlong = std::string(interop::moodle_columns[0]) + "\n\xC0\xAF";
    CHECK_THAT(parse_error([&] { (void)interop::parse_moodle_csv(overlong, "m.csv"); }), Catch::Contains("m.csv:2:1:"));
    const std::string surrogate = "vendor_guid\n\xED\xA0\x80";
    CHECK_THAT(parse_error([&] { (void)interop::parse_canvas_csv(surrogate, "s.csv"); }), Catch::Contains("s.csv:2:1:"));
}

// --- Spreadsheet safety ---------------------------------------------------------

TEST_CASE("CSV exports neutralise formula-like cells and read them back unchanged", "[interop][csv]") {
    const std::string json_text = io::referentiel_to_json(test::tiny());
    auto j = json::parse(json_text);
    j["blocs"][0]["title"] = "=HYPERLINK(\"http://evil\",\"x\")";
    j["competencies"][0]["title"] = "+1, -2 and @3";
    // The rule of every certigraph CSV (core/csv.hpp's csv_field): a plain number stays a
    // number; a leading ' is doubled, so that reading removes exactly the guard.
    j["competencies"][1]["title"] = "-3.5";
    j["criteria"][0]["title"] = "'quoted";
    const Referentiel ref = io::referentiel_from_json(j.dump());
    for (const std::string& text : {interop::referentiel_to_moodle_csv(ref), interop::referentiel_to_canvas_csv(ref)}) {
        CHECK(text.find(",=") == std::string::npos);
        CHECK(text.find(",\"=") == std::string::npos);
        CHECK(text.find(",+") == std::string::npos);
        CHECK(text.find(",\"+") == std::string::npos);
        CHECK_THAT(text, Catch::Contains("\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\""));
        CHECK_THAT(text, Catch::Contains(",-3.5,"));
        CHECK_THAT(text, Catch::Contains(",''quoted,"));
    }
    CHECK(first_difference(Tree(interop::parse_moodle_csv(interop::referentiel_to_moodle_csv(ref), "m").build(), false),
                           Tree(ref, false))
              .empty());
    CHECK(first_difference(Tree(interop::parse_canvas_csv(interop::referentiel_to_canvas_csv(ref), "c").build(), false),
                           Tree(ref, false))
              .empty());
}

TEST_CASE("LMS exports escape & < > \" ' in their HTML descriptions and read them back", "[interop][csv][html]") {
    auto j = json::parse(io::referentiel_to_json(test::tiny()));
    j["blocs"][0]["title"] = "Analyse d'un <système> & \"données\"";
    j["blocs"][0]["description"] = "Ligne 1\nL'autre ligne";
    const Referentiel ref = io::referentiel_from_json(j.dump());
    const std::string html =
        "<p>Analyse d&#39;un &lt;système&gt; &amp; &quot;données&quot;</p><p>Ligne 1<br>L&#39;autre ligne</p>";
    const std::string moodle = interop::referentiel_to_moodle_csv(ref), canvas = interop::referentiel_to_canvas_csv(ref);
    CHECK_THAT(moodle, Catch::Contains(html));
    CHECK_THAT(canvas, Catch::Contains(html));
    for (const Referentiel& back : {interop::parse_moodle_csv(moodle, "m").build(), interop::parse_canvas_csv(canvas, "c").build()}) {
        CHECK(back.blocs()[0].title == ref.blocs()[0].title);
        CHECK(back.blocs()[0].description == ref.blocs()[0].description);
    }
    // The importers decode entities as the référentiel text reader does (named Latin-1 and
    // punctuation entities, numeric ones, a no-break space as a space).
    CHECK(interop::detail::html_to_text("l&#39;&eacute;t&eacute; &ndash;&#160;&nbsp;fin &unknown;") ==
          "l'été – fin &unknown;");
}

// --- Merge --------------------------------------------------------------------

namespace {

Referentiel edited(const std::function<void(json&)>& edit) {
    json j = json::parse(io::referentiel_to_json(test::rncp40514()));
    edit(j);
    return io::referentiel_from_json(j.dump());
}

std::vector<std::string> codes(const interop::MergeResult& r) {
    std::vector<std::string> out;
    for (const auto& d : r.diagnostics) out.push_back(std::string(interop::to_string(d.code)) + " " + d.node);
    return out;
}

}  // namespace

TEST_CASE("Merge takes blocs, dates and links from the fiche, the rest from the curated file", "[interop][merge]") {
    const Referentiel curated = test::rncp40514();
    SECTION("identical: no diagnostic, the same référentiel") {
        const auto r = interop::merge(curated, curated);
        CHECK(r.diagnostics.empty());
        REQUIRE(r.referentiel);
        CHECK(*r.referentiel == curated);
    }
    SECTION("a fiche with other dates, a retitled bloc and no competencies") {
        // What an RNCP fiche alone is: blocs without competencies, which does not build.
        json j = json::parse(io::referentiel_to_json(curated));
        j["certification"]["dates"]["last_delivery"] = "2035-08-31";
        j["certification"]["next"] = json::array({"RNCP49999"});
        j["blocs"][1]["title"] = "Piloter la conception";
        for (const char* kind : {"activities", "epreuves", "criteria", "competencies"}) j[kind] = json::array();
        const ReferentielBuilder fiche = io::parse_referentiel_json(j.dump(), "fiche.json");
        CHECK_THROWS_AS(fiche.build(), InvalidReferentiel);
        const auto r = interop::merge(fiche, curated);
        CHECK(codes(r) == std::vector<std::string>{"dates_differ RNCP40514", "links_differ RNCP40514",
                                                   "bloc_title_differs RNCP40514BC02"});
        REQUIRE(r.referentiel);
        CHECK(r.referentiel->certification().dates.last_delivery == Date::parse("2035-08-31"));
        CHECK(r.referentiel->certification().next == std::vector<std::string>{"RNCP49999"});
        CHECK(r.referentiel->blocs()[1].title == "Piloter la conception");
        CHECK(r.referentiel->competencies().size() == 30);
        CHECK(r.referentiel->epreuves().size() == 5);
        CHECK(r.referentiel->certification().requirements == curated.certification().requirements);
        std::ostringstream os;
        os << r.diagnostics[2];
        CHECK(os.str() == "warning bloc_title_differs bloc RNCP40514BC02: fiche 'Piloter la conception', curated "
                          "'" + curated.blocs()[1].title + "'; the fiche's is kept");
    }
    SECTION("blocs in one file only and another fiche are errors; nothing is built") {
        const Referentiel fiche = edited([](json& j) {
            j["certification"]["code"] = "RNCP40515";
            j["blocs"][3]["code"] = "RNCP40514BC05";
            j["activities"] = json::array();
            j["epreuves"] = json::array();
            j["criteria"] = json::array();
            j["competencies"] = json::array();
            for (int b = 1; b <= 4; ++b) {
                const std::string bloc = b == 4 ? "RNCP40514BC05" : "RNCP40514BC0" + std::to_string(b);
                j["competencies"].push_back({{"code", "X" + std::to_string(b)}, {"title", "x"}, {"bloc", bloc}});
            }
        });
        const auto r = interop::merge(fiche, curated);
        CHECK_FALSE(r.referentiel);
        CHECK(codes(r) == std::vector<std::string>{"certification_code_differs RNCP40515",
                                                   "fiche_content_ignored RNCP40515",
                                                   "bloc_only_in_fiche RNCP40514BC05",
                                                   "bloc_only_in_curated RNCP40514BC04"});
        CHECK(r.diagnostics[0].severity == Severity::error);
    }
}

TEST_CASE("Exports are byte for byte the golden files", "[interop][golden]") {
    const Referentiel ref = test::tiny();
    const Policy policy = example_policy();
    CHECK(interop::referentiel_to_case(ref, {&policy, {}}) == test::read_file(test::data("interop_lms/golden/tiny.case.json")));
    CHECK(interop::referentiel_to_moodle_csv(ref, &policy) ==
          test::read_file(test::data("interop_lms/golden/tiny.moodle.csv")));
    CHECK(interop::referentiel_to_canvas_csv(ref, &policy) ==
          test::read_file(test::data("interop_lms/golden/tiny.canvas.csv")));
}

TEST_CASE("CASE export uses only the keys of the CASE 1.1 JSON schema binding, with the required ones", "[interop][case]") {
    // Allowed and required properties per class, from the 1EdTech CASE 1.1 getCFPackage
    // schema (every class has additionalProperties: false).
    using Keys = std::set<std::string>;
    struct Class {
        Keys allowed, required;
    };
    const Class package_class{{"CFDocument", "CFItems", "CFAssociations", "CFDefinitions", "CFRubrics", "extensions"},
                              {"CFDocument"}};
    const Class document{{"identifier", "uri", "frameworkType", "caseVersion", "creator", "title", "lastChangeDateTime",
                          "officialSourceURL", "publisher", "description", "subject", "subjectURI", "language", "version",
                          "adoptionStatus", "statusStartDate", "statusEndDate", "licenseURI", "notes", "extensions"},
                         {"identifier", "uri", "creator", "title", "lastChangeDateTime"}};
    const Class item{{"identifier", "fullStatement", "alternativeLabel", "CFItemType", "uri", "humanCodingScheme",
                      "listEnumeration", "abbreviatedStatement", "conceptKeywords", "conceptKeywordsURI", "notes",
                      "subject", "subjectURI", "language", "educationLevel", "CFItemTypeURI", "licenseURI",
                      "statusStartDate", "statusEndDate", "lastChangeDateTime", "extensions"},
                     {"identifier", "fullStatement", "uri", "lastChangeDateTime"}};
    const Class association{{"identifier", "associationType", "sequenceNumber", "uri", "originNodeURI",
                             "destinationNodeURI", "CFAssociationGroupingURI", "lastChangeDateTime", "notes", "extensions"},
                            {"identifier", "associationType", "uri", "originNodeURI", "destinationNodeURI",
                             "lastChangeDateTime"}};
    const Class link{{"title", "identifier", "uri"}, {"title", "identifier", "uri"}};
    const Class item_type{{"identifier", "uri", "title", "description", "hierarchyCode", "typeCode", "lastChangeDateTime",
                           "extensions"},
                          {"identifier", "uri", "title", "description", "hierarchyCode", "lastChangeDateTime"}};
    const Class rubric{{"identifier", "uri", "title", "description", "lastChangeDateTime", "CFRubricCriteria", "extensions"},
                       {"identifier", "uri", "lastChangeDateTime"}};
    const Class criterion{{"identifier", "uri", "category", "description", "CFItemURI", "weight", "position", "rubricId",
                           "lastChangeDateTime", "CFRubricCriterionLevels", "extensions"},
                          {"identifier", "uri", "lastChangeDateTime"}};
    const Class level{{"identifier", "uri", "description", "quality", "score", "feedback", "position", "rubricCriterionId",
                       "lastChangeDateTime", "extensions"},
                      {"identifier", "uri", "lastChangeDateTime"}};
    auto conforms = [](const json& o, const Class& c, const std::string& where) {
        INFO(where);
        REQUIRE(o.is_object());
        for (const auto& [key, _] : o.items()) CHECK(c.allowed.count(key) == 1);
        for (const auto& key : c.required) CHECK(o.contains(key));
    };
    const Policy policy = example_policy();
    const json p = json::parse(interop::referentiel_to_case(test::rncp40514(), {&policy, {}}));
    conforms(p, package_class, "package");
    conforms(p["CFDocument"], document, "CFDocument");
    CHECK(p["CFDocument"]["caseVersion"] == "1.1");
    for (const auto& x : p["CFItems"]) {
        conforms(x, item, "CFItem");
        conforms(x["CFItemTypeURI"], link, "CFItemTypeURI");
    }
    const std::set<std::string> types = {"isChildOf", "isPeerOf", "isPartOf", "exactMatchOf", "precedes", "isRelatedTo",
                                         "replacedBy", "exemplar", "hasSkillLevel", "isTranslationOf"};
    for (const auto& x : p["CFAssociations"]) {
        conforms(x, association, "CFAssociation");
        conforms(x["originNodeURI"], link, "originNodeURI");
        conforms(x["destinationNodeURI"], link, "destinationNodeURI");
        CHECK(types.count(x["associationType"].get<std::string>()) == 1);
    }
    for (const auto& x : p["CFDefinitions"]["CFItemTypes"]) conforms(x, item_type, "CFItemType");
    for (const auto& r : p["CFRubrics"]) {
        conforms(r, rubric, "CFRubric");
        for (const auto& c : r["CFRubricCriteria"]) {
            conforms(c, criterion, "CFRubricCriterion");
            conforms(c["CFItemURI"], link, "CFItemURI");
            for (const auto& l : c["CFRubricCriterionLevels"]) conforms(l, level, "CFRubricCriterionLevel");
        }
    }
}
