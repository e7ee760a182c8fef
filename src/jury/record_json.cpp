// The sealed record of a jury session: canonical JSON, the seal, the sealed file and its
// reader (docs/jury.md, "Sealing").
#include <certigraph/error.hpp>
#include <certigraph/jury/deliberation.hpp>
#include <certigraph/ledger/ledger.hpp>

#include "core/enum_names.hpp"
#include "io/json_reader.hpp"
#include "jury/session_json.hpp"

namespace certigraph::jury {

namespace {

using json = nlohmann::json;
using io::detail::Reader;

constexpr std::string_view format_name = detail::record_format;

std::optional<Status> status_from(std::string_view s) noexcept {
    for (Status st : {Status::incomplete, Status::validated, Status::not_validated, Status::exempt})
        if (to_string(st) == s) return st;
    return std::nullopt;
}

json finding_json(const Finding& f) {
    return {{"code", f.code},       {"blocking", f.blocking}, {"candidate", f.candidate}, {"members", f.members},
            {"rule", f.rule},       {"problem", f.problem},   {"fix", f.fix},             {"overridden", f.overridden},
            {"fr", {{"rule", f.rule_fr}, {"problem", f.problem_fr}, {"fix", f.fix_fr}}}};
}

Finding read_finding(const Reader& r) {
    r.expect_object({"code", "blocking", "candidate", "members", "rule", "problem", "fix", "overridden", "fr"});
    Finding f{r["code"].string(),    r["blocking"].boolean(), r["candidate"].string(), r["members"].strings(),
              r["rule"].string(),    r["problem"].string(),   r["fix"].string(),       r["overridden"].boolean()};
    const Reader fr = r["fr"];
    fr.expect_object({"rule", "problem", "fix"});
    f.rule_fr = fr["rule"].string();
    f.problem_fr = fr["problem"].string();
    f.fix_fr = fr["fix"].string();
    return f;
}

json to_json(const Record& record) {
    nlohmann::ordered_json session;
    detail::write_session(session, record.session);
    json doc;
    doc["format"] = format_name;
    doc["format_version"] = record_format_version;
    doc["session"] = json::parse(session.dump());
    json certifiers = json::array();
    for (const auto& c : record.certifiers) certifiers.push_back({{"name", c.name}, {"siret", c.siret}});
    doc["certification"] = {{"code", record.session.referentiel.fiche},
                            {"title", record.certification_title},
                            {"level", record.level},
                            {"certifiers", certifiers}};
    doc["grading"] = {{"policy_hash", record.policy_hash}, {"evaluations_hash", record.evaluations_hash}};
    json findings = json::array();
    for (const auto& f : record.composition.findings) findings.push_back(finding_json(f));
    doc["composition"] = {{"compliant", record.composition.compliant},
                          {"findings", findings},
                          {"unused_override", record.composition.unused_override}};
    json candidates = json::array();
    for (const auto& cr : record.candidates) {
        json c;
        c["id"] = cr.candidate.id;
        c["jury"] = {{"deciding", cr.jury.deciding},
                     {"recused", cr.jury.recused},
                     {"president", cr.jury.president},
                     {"compliant", cr.jury.compliant}};
        json blocs = json::array();
        for (const auto& cell : cr.blocs) {
            json b{{"bloc", cell.bloc}, {"title", cell.title}, {"against", cell.against}};
            if (cell.computed) b["computed"] = to_string(*cell.computed);
            if (cell.margin) b["margin"] = *cell.margin;
            if (cell.validated) b["validated"] = *cell.validated;
            blocs.push_back(std::move(b));
        }
        c["blocs"] = std::move(blocs);
        if (cr.certification)
            c["certification"] = {{"awarded", cr.certification->awarded},
                                  {"eligible", cr.certification->eligible},
                                  {"missing", cr.certification->missing},
                                  {"reason", cr.certification->reason}};
        c["reasons"] = cr.reasons;
        candidates.push_back(std::move(c));
    }
    doc["candidates"] = std::move(candidates);
    return doc;
}

std::string hash_of(const json& doc_without_hash) {
    return "sha256:" + ledger::sha256_hex(doc_without_hash.dump(-1, ' ', false, json::error_handler_t::strict));
}

}  // namespace

std::string canonical_json(const Record& record) {
    return to_json(record).dump(-1, ' ', false, json::error_handler_t::strict);
}

void seal(Record& record) {
    if (!record.problems.empty()) {
        const Problem& p = record.problems.front();
        throw NotReady("the session cannot be sealed: " + std::to_string(record.problems.size()) +
                           " problem(s), the first: " + p.code + ": " + p.problem + "; " + p.fix,
                       record.problems);
    }
    record.hash = hash_of(to_json(record));
}

std::string record_to_json(const Record& record) {
    json doc = to_json(record);
    doc["hash"] = record.hash;
    return doc.dump(2, ' ', false, json::error_handler_t::strict) + "\n";
}

Record read_record(std::string_view text, std::string_view source) {
    return detail::read_record_document(io::detail::parse_strict(text, source), source);
}

Record detail::read_record_document(const nlohmann::json& doc, std::string_view source) {
    const Reader root(doc, "", source);
    io::detail::check_format(root, format_name, "sealed jury record", record_format_version);
    root.expect_object({"format", "format_version", "session", "certification", "grading", "composition",
                        "candidates", "hash"});
    Record r;
    const Reader session = root["session"];
    session.expect_object({"referentiel", "session", "date", "place", "epreuves", "grading", "composition",
                           "members", "candidates", "override", "decisions", "withheld", "corrects"});
    r.session = detail::read_session(session);
    const Reader cert = root["certification"];
    cert.expect_object({"code", "title", "level", "certifiers"});
    r.certification_title = cert["title"].string();
    r.level = static_cast<int>(cert["level"].integer());
    cert["certifiers"].each([&](const Reader& c) {
        c.expect_object({"name", "siret"});
        r.certifiers.push_back({c["name"].string(), c["siret"].string()});
    });
    const Reader grading = root["grading"];
    grading.expect_object({"policy_hash", "evaluations_hash"});
    r.policy_hash = grading["policy_hash"].string();
    r.evaluations_hash = grading["evaluations_hash"].string();
    const Reader comp = root["composition"];
    comp.expect_object({"compliant", "findings", "unused_override"});
    r.composition.compliant = comp["compliant"].boolean();
    comp["findings"].each([&](const Reader& f) { r.composition.findings.push_back(read_finding(f)); });
    r.composition.unused_override = comp["unused_override"].strings();
    root["candidates"].each([&](const Reader& c) {
        c.expect_object({"id", "jury", "blocs", "certification", "reasons"});
        CandidateRecord cr;
        const std::string id = c["id"].string();
        const Candidate* known = r.session.candidate(id);
        if (!known) c["id"].fail("'" + id + "' is not a candidate of the sealed session");
        cr.candidate = *known;
        const Reader j = c["jury"];
        j.expect_object({"deciding", "recused", "president", "compliant"});
        cr.jury = {id, j["deciding"].strings(), j["recused"].strings(), j["president"].string(), j["compliant"].boolean()};
        c["blocs"].each([&](const Reader& b) {
            b.expect_object({"bloc", "title", "against", "computed", "margin", "validated"});
            BlocCell cell;
            cell.bloc = b["bloc"].string();
            cell.title = b["title"].string();
            cell.against = b["against"].boolean();
            if (b.has("computed"))
                cell.computed = b["computed"].enumeration<Status>(status_from, {"incomplete", "validated", "not_validated", "exempt"});
            if (b.has("margin")) cell.margin = b["margin"].number();
            if (b.has("validated")) cell.validated = b["validated"].boolean();
            for (const auto& d : r.session.decisions)
                if (d.candidate == id && d.bloc == cell.bloc) cell.decision = d;
            cr.blocs.push_back(std::move(cell));
        });
        if (c.has("certification")) {
            const Reader o = c["certification"];
            o.expect_object({"awarded", "eligible", "missing", "reason"});
            cr.certification = CertificationOutcome{o["awarded"].boolean(), o["eligible"].boolean(),
                                                    o["missing"].strings(), o["reason"].string()};
        }
        cr.reasons = c["reasons"].strings();
        cr.jury.candidate = id;
        r.composition.juries.push_back(cr.jury);
        r.candidates.push_back(std::move(cr));
    });
    r.hash = root["hash"].string();
    json content = doc;
    content.erase("hash");
    // An empty hash is a draft (a record that was not sealed): nothing to check, and its
    // procès-verbal says it is a draft.
    if (const std::string h = hash_of(content); !r.hash.empty() && h != r.hash)
        throw SealBroken(std::string(source) + ": the record was changed after it was sealed: its content hashes to " + h +
                         ", the seal says " + r.hash +
                         "; use the sealed file as it was written (the ledger's jury_session recording names it), "
                         "and make changes through a correction session");
    return r;
}

}  // namespace certigraph::jury
