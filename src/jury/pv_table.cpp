// The procès-verbal as data: CSV (one row per candidate and bloc) and JSON
// (`certigraph/jury-pv`), the same content as the HTML page (docs/jury.md,
// "Procès-verbal"). Names are the stable English ones of the session file.
#include <certigraph/jury/pv.hpp>

#include "core/csv.hpp"
#include "jury/pv_common.hpp"

#include <nlohmann/json.hpp>

#include <charconv>
#include <cmath>
#include <ostream>
#include <string>
#include <string_view>

namespace certigraph::jury {
namespace {

using json = nlohmann::json;
using pv_detail::role_name;
using pv_detail::verdict_name;

/// The shortest text that reads back to the same double ("0.25", "-1.5"); empty for NaN.
std::string shortest(double value) {
    if (!std::isfinite(value)) return "";
    char buffer[32];
    const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
    return std::string(buffer, end);
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += separator;
        out += item;
    }
    return out;
}

std::string_view certification_name(const CandidateRecord& c) {
    if (!c.certification) return "";
    return c.certification->awarded ? "awarded" : "not_awarded";
}

json votes_json(const std::optional<Votes>& votes) {
    if (!votes) return nullptr;
    json v = {{"validate", votes->validate}, {"refuse", votes->refuse}, {"abstain", votes->abstain}};
    v["casting_vote"] = votes->casting_vote ? json(*votes->casting_vote ? "validate" : "refuse") : json(nullptr);
    return v;
}

json cell_json(const BlocCell& b) {
    json j;
    j["code"] = b.bloc;
    j["title"] = b.title;
    j["computed"] = b.computed ? json(std::string(to_string(*b.computed))) : json(nullptr);
    j["margin"] = b.margin && std::isfinite(*b.margin) ? json(*b.margin) : json(nullptr);
    j["validated"] = b.validated ? json(*b.validated) : json(nullptr);
    j["against"] = b.against;
    if (b.decision) {
        j["decision"] = {{"verdict", std::string(verdict_name(b.decision->verdict))},
                         {"reason", b.decision->reason},
                         {"votes", votes_json(b.decision->votes)}};
    } else {
        j["decision"] = nullptr;
    }
    return j;
}

json candidate_json(const CandidateRecord& c) {
    json j;
    j["id"] = c.candidate.id;
    j["name"] = c.candidate.name;
    j["route"] = std::string(ledger::to_string(c.candidate.route));
    j["prescriptions"] = c.candidate.prescriptions;
    j["jury"] = {{"deciding", c.jury.deciding},
                 {"recused", c.jury.recused},
                 {"president", c.jury.president},
                 {"compliant", c.jury.compliant}};
    j["blocs"] = json::array();
    for (const auto& b : c.blocs) j["blocs"].push_back(cell_json(b));
    if (c.certification) {
        const auto& o = *c.certification;
        j["certification"] = {{"awarded", o.awarded}, {"eligible", o.eligible}, {"missing", o.missing},
                              {"reason", o.reason}};
    } else {
        j["certification"] = nullptr;
    }
    j["reasons"] = c.reasons;
    return j;
}

}  // namespace

void write_pv_csv(std::ostream& out, const Record& record, const io::CsvOptions& csv) {
    auto field = [&](std::string_view s) { out << certigraph::detail::csv_field(s, csv.formula_guard); };
    out << "session,session_date,fiche,candidate,candidate_name,route,bloc,bloc_title,computed,margin,"
           "decision,validated,against,reason,votes_validate,votes_refuse,votes_abstain,casting_vote,"
           "certification,eligible,missing,certification_reason,seal\n";
    const auto& s = record.session;
    for (const auto& c : record.candidates) {
        auto candidate_columns = [&] {
            field(s.id);
            out << ',' << s.date.to_string() << ',';
            field(s.referentiel.fiche);
            out << ',';
            field(c.candidate.id);
            out << ',';
            field(c.candidate.name);
            out << ',' << ledger::to_string(c.candidate.route) << ',';
        };
        auto certification_columns = [&] {
            out << certification_name(c) << ',';
            if (c.certification) out << (c.certification->eligible ? "true" : "false");
            out << ',';
            field(c.certification ? join(c.certification->missing, ";") : std::string());
            out << ',';
            field(c.certification ? c.certification->reason : std::string());
            out << ',';
            field(record.hash);
            out << '\n';
        };
        if (c.blocs.empty()) {  // still one row: the candidate and their certification decision
            candidate_columns();
            out << ",,,,,,,,,,,,";
            certification_columns();
        }
        for (const auto& b : c.blocs) {
            candidate_columns();
            field(b.bloc);
            out << ',';
            field(b.title);
            out << ',';
            if (b.computed) out << to_string(*b.computed);
            out << ',';
            if (b.margin) out << shortest(*b.margin);
            out << ',';
            if (b.decision) out << verdict_name(b.decision->verdict);
            out << ',';
            if (b.validated) out << (*b.validated ? "true" : "false");
            out << ',' << (b.against ? "true" : "false") << ',';
            field(b.decision ? b.decision->reason : std::string());
            out << ',';
            if (b.decision && b.decision->votes) {
                const auto& v = *b.decision->votes;
                out << v.validate << ',' << v.refuse << ',' << v.abstain << ',';
                if (v.casting_vote) out << (*v.casting_vote ? "validate" : "refuse");
            } else {
                out << ",,,";
            }
            out << ',';
            certification_columns();
        }
    }
}

std::string pv_json(const Record& record) {
    const auto& s = record.session;
    json j;
    j["format"] = "certigraph/jury-pv";
    j["format_version"] = 1;
    j["sealed"] = !record.hash.empty();
    j["hash"] = record.hash;

    json certifiers = json::array();
    for (const auto& c : record.certifiers) certifiers.push_back({{"name", c.name}, {"siret", c.siret}});
    j["certification"] = {{"fiche", s.referentiel.fiche},
                          {"content_hash", s.referentiel.content_hash},
                          {"title", record.certification_title},
                          {"level", record.level},
                          {"certifiers", certifiers}};

    json session = {{"id", s.id}, {"date", s.date.to_string()}, {"place", s.place}, {"epreuves", s.epreuves},
                    {"policy_hash", record.policy_hash}, {"evaluations_hash", record.evaluations_hash}};
    session["exam_session"] = s.grading ? json(s.grading->exam_session) : json(nullptr);
    session["corrects"] = s.corrects ? json{{"session", s.corrects->session}, {"reason", s.corrects->reason}}
                                     : json(nullptr);
    j["session"] = session;

    json members = json::array();
    for (const auto& m : s.members)
        members.push_back({{"id", m.id},
                           {"name", m.name},
                           {"role", std::string(role_name(m.role))},
                           {"gender", m.gender == Gender::female ? "female"
                                      : m.gender == Gender::male ? "male"
                                                                 : "unspecified"},
                           {"qualified", m.qualified},
                           {"present", m.present}});
    json findings = json::array();
    for (const auto& f : record.composition.findings)
        findings.push_back({{"code", f.code},
                            {"blocking", f.blocking},
                            {"candidate", f.candidate},
                            {"members", f.members},
                            {"rule", f.rule_fr.empty() ? f.rule : f.rule_fr},  // as the page reads
                            {"problem", f.problem_fr.empty() ? f.problem : f.problem_fr},
                            {"fix", f.fix_fr.empty() ? f.fix : f.fix_fr},
                            {"overridden", f.overridden}});
    json jury = {{"members", members},
                 {"compliant", record.composition.compliant},
                 {"findings", findings},
                 {"unused_override", record.composition.unused_override}};
    jury["override"] = s.override_findings ? json{{"findings", s.override_findings->findings},
                                                  {"reason", s.override_findings->reason},
                                                  {"by", s.override_findings->by}}
                                           : json(nullptr);
    j["jury"] = jury;

    j["candidates"] = json::array();
    for (const auto& c : record.candidates) j["candidates"].push_back(candidate_json(c));
    j["problems"] = json::array();
    for (const auto& p : record.problems)
        j["problems"].push_back(
            {{"code", p.code}, {"candidate", p.candidate}, {"bloc", p.bloc}, {"problem", p.problem}, {"fix", p.fix}});
    return j.dump(2, ' ', false, json::error_handler_t::replace) + '\n';
}

}  // namespace certigraph::jury
