// The procès-verbal: the HTML page is self-contained (CSP, no script, no URL), escapes
// every text, shows every candidate and the French content of a PV, marks a draft;
// the CSV guards formulas and has one row per candidate and bloc; the JSON is
// `certigraph/jury-pv` with sorted keys and the same content.
#include "pv_sample.hpp"

#include <certigraph/jury/pv.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <regex>
#include <sstream>

using namespace certigraph;
using namespace certigraph::jury;
using json = nlohmann::json;

namespace {

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
    return n;
}

std::vector<std::string> csv_lines(const Record& record, io::CsvOptions options = {}) {
    std::ostringstream out;
    write_pv_csv(out, record, options);
    std::vector<std::string> lines;
    std::istringstream in(out.str());
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

}  // namespace

TEST_CASE("pv html: a self-contained page with no script and no URL", "[jury][pv]") {
    const auto html = pv_html(test::pv_sample_record(true));
    CHECK(html.starts_with("<!DOCTYPE html>\n<html lang=\"fr\">"));
    CHECK(html.find("<meta charset=\"utf-8\">") != std::string::npos);
    CHECK(html.find("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                    "style-src 'unsafe-inline'\">") != std::string::npos);
    // The CSP comes before anything that could fetch.
    CHECK(html.find("Content-Security-Policy") < html.find("<style>"));
    for (const char* forbidden : {"<script", "<img", "<link", "<iframe", "<object", "<embed", "@import", "url(",
                                  "@font-face", "<base", "<form"})
        CHECK(html.find(forbidden) == std::string::npos);
    // No attribute names a URL (nor src/href at all).
    const std::regex attribute(R"re(\s([A-Za-z-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))re");
    std::size_t attributes = 0;
    for (std::sregex_iterator it(html.begin(), html.end(), attribute), end; it != end; ++it) {
        ++attributes;
        const std::string name = (*it)[1], value = (*it)[2];
        INFO(name << "=" << value);
        CHECK(name != "src");
        CHECK(name != "href");
        CHECK(value.find("http:") == std::string::npos);
        CHECK(value.find("https:") == std::string::npos);
        CHECK(value.find("//") == std::string::npos);
    }
    CHECK(attributes > 10);
    CHECK(count(html, "</style>") == 1);
    CHECK(html.ends_with("</body>\n</html>\n"));
}

TEST_CASE("pv html: every text is escaped", "[jury][pv]") {
    auto record = test::pv_sample_record(true);
    const auto html = pv_html(record);
    CHECK(html.find("alert(") != std::string::npos);  // the name is there...
    CHECK(html.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; O&#39;Brien &amp; &quot;Fils&quot;") !=
          std::string::npos);  // ...as text
    CHECK(html.find("Fraude &lt;constatée&gt; &amp; &quot;avérée&quot;") != std::string::npos);
    CHECK(html.find(test::pv_hostile_name) == std::string::npos);

    // Hostile text where the stylesheet's running header prints it: it cannot close
    // the CSS string, the rule or the <style> element.
    record.session.id = "</style><script>alert(1)</script>\"; } body { display: none } @page { content: \"";
    record.session.referentiel.fiche = "RNCP\\\"'\n";
    const auto hostile = pv_html(record);
    CHECK(count(hostile, "</style>") == 1);
    CHECK(hostile.find("<script") == std::string::npos);
    const auto style = hostile.substr(hostile.find("<style>"), hostile.find("</style>") - hostile.find("<style>"));
    CHECK(style.find("} body {") == std::string::npos);  // braces and quotes escaped: one string
    CHECK(style.find("\\3c \\2f style\\3e \\3c script\\3e alert\\28 1\\29 ") != std::string::npos);
    CHECK(style.find("\\22 \\3b  \\7d  body \\7b  display: none \\7d ") != std::string::npos);
    CHECK(hostile.find("&lt;/style&gt;&lt;script&gt;") != std::string::npos);  // in the body, as text
}

TEST_CASE("pv html: every candidate, in French, one per page on request", "[jury][pv]") {
    const auto record = test::pv_sample_record(true);
    const auto html = pv_html(record);
    for (const auto& c : record.candidates) {
        INFO(c.candidate.id);
        CHECK(count(html, c.candidate.id) >= 2);  // in the summary and in their section
    }
    CHECK(count(html, "<section class=\"candidate\"") == 4);
    for (const char* text :
         {"Procès-verbal de délibération du jury", "30 juin 2026", "Code RNCP", "RNCP40514", "niveau 6",
          "CESI (SIRET 77572257201109)", "Nanterre, campus CESI", "EP1, EP2, EP3, EP4, EP5", "S2026-06",
          "sha256:9a8b7c6d5e4f", "sha256:00112233", "présidente", "professionnel", "formatrice", "universitaire",
          "JURY-GENDER-BALANCE", "D6412-6: balanced genders", "dérogation</strong> — motif : Membre masculin "
          "empêché le jour même (Claire Dupont)",
          "Membres récusés</dt><dd>Sophie Martin", "Résultat calculé", "Marge", "Décision du jury",
          "Contre le résultat calculé", "Motif", "+1,25", "−0,5", "non validé", "sans objet (VAE)",
          "pour 1, contre 1, abstentions 0; voix prépondérante du président : pour", "consensus",
          "Certification délivrée", "Certification non délivrée", "Reste à obtenir : RNCP40514BC04.",
          "Motif de la non-délivrance : Fraude", "VAE (validation des acquis de l&#39;expérience)",
          "Compléter le bloc 4", "blocs requis : 4 sur 4 acquis", "Récusé(e) pour ce candidat",
          "Scellé : <span class=\"hash\">sha256 4f3d1b2a", "Fait à Nanterre, campus CESI, le 30 juin 2026."}) {
        INFO(text);
        CHECK(html.find(text) != std::string::npos);
    }
    // A signature box per present member in each candidate's section (M4 is absent).
    CHECK(count(html, "<div class=\"signature\">") == 3 * 4);
    CHECK(html.find("Jean Moreau</td>") != std::string::npos);  // in the composition table
    CHECK(html.find("PROJET") == std::string::npos);
    CHECK(html.find(".candidate { break-before: page; }") != std::string::npos);
    CHECK(pv_html(record, PvOptions{false}).find("break-before: page") == std::string::npos);
    // The seal runs in the printed footer too.
    CHECK(html.find("@bottom-left { content: \"Scellé : sha256 4f3d1b2a") != std::string::npos);
}

TEST_CASE("pv html: an unsealed record is a draft", "[jury][pv]") {
    auto record = test::pv_sample_record(false);
    record.problems = {{"DECISION-MISSING", "C-0004", "RNCP40514BC02", "no decision on this bloc", "decide it"}};
    const auto html = pv_html(record);
    CHECK(count(html, "PROJET — non scellé") >= 3);  // watermark, banner, footer
    CHECK(html.find("class=\"watermark\"") != std::string::npos);
    CHECK(html.find("Scellé :") == std::string::npos);
    CHECK(html.find("Points à régler avant le scellement") != std::string::npos);
    CHECK(html.find("DECISION-MISSING") != std::string::npos);
}

TEST_CASE("pv html: French dates and undecided cells", "[jury][pv]") {
    auto record = test::pv_sample_record(false);
    record.session.date = Date(2027, 2, 1);
    record.candidates[0].blocs[0].decision.reset();
    record.candidates[0].blocs[0].validated.reset();
    record.candidates[0].certification.reset();
    const auto html = pv_html(record);
    CHECK(html.find("1er février 2027") != std::string::npos);
    CHECK(html.find("non décidé") != std::string::npos);
    CHECK(html.find("non encore statuée") != std::string::npos);
}

TEST_CASE("pv csv: one row per candidate and bloc, formulas guarded", "[jury][pv]") {
    auto record = test::pv_sample_record(true);
    const auto lines = csv_lines(record);
    REQUIRE(lines.size() == 1 + 16);
    CHECK(lines[0] ==
          "session,session_date,fiche,candidate,candidate_name,route,bloc,bloc_title,computed,margin,decision,"
          "validated,against,reason,votes_validate,votes_refuse,votes_abstain,casting_vote,certification,eligible,"
          "missing,certification_reason,seal");
    CHECK(lines[1] ==
          "JURY-2026-06,2026-06-30,RNCP40514,C-0001,Léa Fontaine,exam,RNCP40514BC01,Analyser et mesurer l'apport "
          "d'une solution d'IA au sein d'une organisation,validated,1.25,confirm,true,false,,,,,,awarded,true,,,"
          "4f3d1b2a9c8e7f6051a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7a8b");
    // The decision against the computed result: reason guarded, votes, casting vote.
    CHECK(lines[7] ==
          "JURY-2026-06,2026-06-30,RNCP40514,C-0002,\"<script>alert(\"\"x\"\")</script> O'Brien & \"\"Fils\"\"\","
          "exam,RNCP40514BC03,Déployer et mettre en œuvre une solution IA,not_validated,-0.5,validate,true,true,"
          "'=cmd|' /C calc'!A0 erreur de report,1,1,0,validate,not_awarded,true,,"
          "\"Fraude <constatée> & \"\"avérée\"\" à l'épreuve EP3\","
          "4f3d1b2a9c8e7f6051a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7a8b");
    // VAE: no computed result, no margin.
    CHECK(lines[9].find(",vae,RNCP40514BC01,") != std::string::npos);
    CHECK(lines[9].find("organisation,,,validate,true,false,") != std::string::npos);
    CHECK(lines[16].find(",not_awarded,false,RNCP40514BC01;RNCP40514BC03;RNCP40514BC04,,") != std::string::npos);
    // Without the guard the formula is written as it is.
    CHECK(csv_lines(record, io::CsvOptions{false})[7].find(",=cmd|") != std::string::npos);
    // A candidate with no bloc still has a row, with the same number of columns.
    record.candidates[0].blocs.clear();
    const auto fewer = csv_lines(record);
    REQUIRE(fewer.size() == 1 + 13);
    CHECK(std::count(fewer[1].begin(), fewer[1].end(), ',') == std::count(lines[0].begin(), lines[0].end(), ','));
    CHECK(fewer[1].starts_with("JURY-2026-06,2026-06-30,RNCP40514,C-0001,Léa Fontaine,exam,,,,,,,,,,,,,awarded,"));
}

TEST_CASE("pv json: certigraph/jury-pv, sorted keys, the same content", "[jury][pv]") {
    const auto record = test::pv_sample_record(false);
    const auto text = pv_json(record);
    const auto j = json::parse(text);
    CHECK(j["format"] == "certigraph/jury-pv");
    CHECK(j["format_version"] == 1);
    CHECK(j["sealed"] == false);
    CHECK(j["hash"] == "");
    CHECK(j["certification"]["fiche"] == "RNCP40514");
    CHECK(j["certification"]["level"] == 6);
    CHECK(j["certification"]["certifiers"][0]["siret"] == "77572257201109");
    CHECK(j["session"]["date"] == "2026-06-30");
    CHECK(j["session"]["exam_session"] == "S2026-06");
    CHECK(j["jury"]["members"][0]["role"] == "president");
    CHECK(j["jury"]["members"][0]["gender"] == "female");
    CHECK(j["jury"]["findings"][0]["overridden"] == true);
    CHECK(j["jury"]["override"]["reason"] == "Membre masculin empêché le jour même");
    REQUIRE(j["candidates"].size() == 4);
    const auto& c2 = j["candidates"][1];
    CHECK(c2["name"] == test::pv_hostile_name);
    CHECK(c2["jury"]["recused"] == json::array({"M3"}));
    const auto& against = c2["blocs"][2];
    CHECK(against["computed"] == "not_validated");
    CHECK(against["margin"] == -0.5);
    CHECK(against["against"] == true);
    CHECK(against["decision"]["verdict"] == "validate");
    CHECK(against["decision"]["reason"] == test::pv_formula_reason);
    CHECK(against["decision"]["votes"] == json({{"validate", 1}, {"refuse", 1}, {"abstain", 0},
                                                {"casting_vote", "validate"}}));
    CHECK(c2["certification"]["reason"] == "Fraude <constatée> & \"avérée\" à l'épreuve EP3");
    CHECK(j["candidates"][2]["blocs"][0]["computed"].is_null());
    CHECK(j["candidates"][2]["route"] == "vae");
    // Keys sorted, 2-space indent: the text is nlohmann's sorted dump.
    CHECK(text == j.dump(2) + "\n");
    CHECK(text.find("\n  \"candidates\": [") != std::string::npos);
    CHECK(text.find("\"candidates\"") < text.find("\"certification\""));
    CHECK(text.find("\"format\"") < text.find("\"format_version\""));
    CHECK(json::parse(pv_json(test::pv_sample_record(true)))["sealed"] == true);
}
