// Award records and unsigned Open Badges 3.0 credentials (docs/ledger.md, "Award
// records and Open Badges"). Everything here is a pure function of its inputs: the
// same record gives byte-identical text (sorted JSON keys, name-based UUIDs).
#include <certigraph/ledger/award.hpp>

#include <certigraph/error.hpp>
#include <certigraph/ledger/ledger.hpp>

#include "core/csv.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <ostream>

namespace certigraph::ledger {

using json = nlohmann::json;

namespace {

/// certigraph's namespace for name-based UUIDs (a random version 4 UUID, fixed once;
/// changing it changes every credential id).
constexpr unsigned char uuid_namespace[16] = {0xf4, 0xac, 0x17, 0xb3, 0x75, 0x6a, 0x4d, 0xb5,
                                              0x91, 0xec, 0x11, 0xe5, 0x0f, 0xdc, 0x24, 0x81};

constexpr const char* format_name = "certigraph/award";
constexpr int format_version = 2;  // 2: decision, jury_session

constexpr const char* vc_context = "https://www.w3.org/ns/credentials/v2";
constexpr const char* ob_context = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";

std::string dump(const json& j) { return j.dump(2, ' ', false, json::error_handler_t::replace); }

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i) out += separator;
        out += parts[i];
    }
    return out;
}

/// The route in the French of a certificate.
std::string route_fr(Route route) {
    switch (route) {
        case Route::exam: return "examen";
        case Route::vae: return "validation des acquis de l'expérience (VAE)";
        case Route::correspondence: return "correspondance avec une autre certification";
        case Route::jury_decision: return "décision du jury";
    }
    return std::string(to_string(route));
}

std::string timestamp(Date date) { return date.to_string() + "T00:00:00Z"; }

/// "RNCP40514" -> its France compétences page; RS fiches likewise; empty otherwise.
std::string fiche_url(std::string_view fiche) {
    for (const auto& [prefix, path] : {std::pair<std::string_view, std::string_view>{"RNCP", "rncp"},
                                       {"RS", "rs"}}) {
        if (fiche.size() <= prefix.size() || fiche.substr(0, prefix.size()) != prefix) continue;
        const std::string_view digits = fiche.substr(prefix.size());
        if (std::all_of(digits.begin(), digits.end(),
                        [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }))
            return "https://www.francecompetences.fr/recherche/" + std::string(path) + "/" +
                   std::string(digits) + "/";
    }
    return {};
}

std::string achievement_id(const BadgeOptions& options, std::string_view code) {
    if (options.achievement_base_url.empty()) return "urn:certigraph:achievement:" + std::string(code);
    std::string base = options.achievement_base_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base + "/" + std::string(code);
}

void check_same_fiche(const Referentiel& referentiel, const AwardRecord& record) {
    if (referentiel.certification().code != record.fiche)
        throw Error("the award record of " + record.holder.candidate + " is for " + record.fiche +
                    ", not for the référentiel's " + referentiel.certification().code);
}

json issuer_profile(const AwardRecord& record, const BadgeOptions& options) {
    const Certifier* first = record.certifiers.empty() ? nullptr : &record.certifiers.front();
    std::string id = options.issuer_id;
    if (id.empty()) {
        if (!first || first->siret.empty())
            throw Error("no issuer id for the credentials of " + record.fiche +
                        ": set BadgeOptions::issuer_id (--issuer-id), the certifier has no SIRET");
        id = "urn:siret:" + first->siret;
    }
    json profile{{"id", id}, {"type", json::array({"Profile"})}};
    const std::string name = !options.issuer_name.empty() ? options.issuer_name
                             : first                      ? first->name
                                                          : std::string();
    if (!name.empty()) profile["name"] = name;
    return profile;
}

/// The holder as an AchievementSubject with a hashed identifier.
json subject(const AwardRecord& record, const BadgeOptions& options, json achievement,
             const std::string& result_description) {
    json identity{{"type", "IdentityObject"},
                  {"hashed", true},
                  {"identityHash", "sha256$" + sha256_hex(record.holder.candidate + options.subject_salt)},
                  {"identityType", "identifier"}};
    if (!options.subject_salt.empty()) identity["salt"] = options.subject_salt;
    return json{{"type", json::array({"AchievementSubject"})},
                {"identifier", json::array({std::move(identity)})},
                {"achievement", std::move(achievement)},
                {"result", json::array({json{{"type", json::array({"Result"})},
                                             {"resultDescription", result_description},
                                             {"status", "Completed"}}})}};
}

json alignment(std::string_view code, std::string_view name, const std::string& fiche,
               const std::string& fallback_url) {
    const std::string url = fiche_url(fiche);
    return json{{"type", json::array({"Alignment"})},
                {"targetCode", code},
                {"targetName", name},
                {"targetFramework", "Répertoire national des certifications professionnelles (" + fiche + ")"},
                {"targetUrl", url.empty() ? fallback_url : url}};
}

/// The credential around an achievement; `key` names what it is about in the id
/// ("bloc:<code>" or "certification:<fiche>").
std::string credential(const AwardRecord& record, const BadgeOptions& options, const std::string& key,
                       Date valid_from, json achievement, const std::string& name,
                       const std::string& description, EventId decision = 0) {
    const std::string achievement_uri = achievement.at("id").get<std::string>();
    const std::string rd_id =
        "urn:uuid:" + name_based_uuid(
                             json::array({"result-description", achievement_uri, "status"})
                                 .dump(-1, ' ', false, json::error_handler_t::replace));
    achievement["resultDescription"] =
        json::array({json{{"id", rd_id},
                          {"type", json::array({"ResultDescription"})},
                          {"name", "Décision"},
                          {"resultType", "Status"}}});
    json id_parts = json::array({"open-badge", record.fiche, record.holder.candidate, key, valid_from.to_string()});
    if (decision) id_parts.push_back("decision:" + std::to_string(decision));
    const std::string id_name = id_parts.dump(-1, ' ', false, json::error_handler_t::replace);
    json c{{"@context", json::array({vc_context, ob_context})},
           {"id", "urn:uuid:" + name_based_uuid(id_name)},
           {"type", json::array({"VerifiableCredential", "OpenBadgeCredential"})},
           {"name", name},
           {"description", description},
           {"issuer", issuer_profile(record, options)},
           {"validFrom", timestamp(valid_from)},
           {"credentialSubject", subject(record, options, std::move(achievement), rd_id)}};
    return dump(c);
}

}  // namespace

std::string name_based_uuid(std::string_view name) {
    std::string input(reinterpret_cast<const char*>(uuid_namespace), sizeof uuid_namespace);
    input.append(name);
    std::string hex = sha256_hex(input).substr(0, 32);
    static constexpr char digits[] = "0123456789abcdef";
    hex[12] = '8';  // version 8
    const int variant = static_cast<int>(std::string_view(digits).find(hex[16]));
    hex[16] = digits[(variant & 0x3) | 0x8];  // variant 10xx
    return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) +
           "-" + hex.substr(20, 12);
}

AwardRecord award_record(const Referentiel& referentiel, const Eligibility& eligibility,
                         std::span<const Event> events) {
    const Certification& cert = referentiel.certification();
    AwardRecord r;
    r.fiche = cert.code;
    r.title = cert.title;
    r.level = cert.level;
    r.certifiers = cert.certifiers;
    r.holder.candidate = eligibility.candidate;
    const auto& attributes = eligibility.state.attributes;
    auto attribute = [&](const char* name) -> std::optional<std::string> {
        const auto it = attributes.find(name);
        if (it == attributes.end()) return std::nullopt;
        return it->second;
    };
    r.holder.family_name = attribute("family_name");
    r.holder.given_names = attribute("given_names");
    r.holder.birth_date = attribute("birth_date");
    r.award_date = eligibility.as_of;
    r.certified = eligibility.eligible;
    const auto& decision = eligibility.state.certification;
    if (decision) {  // the jury's decision, not today's answer: the same record whenever asked
        r.award_date = decision->date;
        r.certified = decision->decision.awarded;
        r.decision = decision->event;
        r.jury_session = decision->session;
    }
    auto session_of = [&](EventId id) -> std::string {
        for (const auto& e : events)
            if (e.id == id) return e.session;
        return {};
    };
    for (const Bloc& bloc : referentiel.blocs()) {
        const auto it = eligibility.state.blocs.find(bloc.code);
        if (it == eligibility.state.blocs.end() || !it->second.acquired || !it->second.since) continue;
        if (decision && decision->date < *it->second.since) continue;  // acquired after the decision
        const BlocState& s = it->second;
        AwardedBloc b;
        b.code = bloc.code;
        b.title = bloc.title;
        b.acquired = *s.since;
        b.route = s.route.value_or(Route::exam);
        b.event = s.event;
        b.corrects = s.corrects;
        // A corrected event counts with the superseded event's session.
        b.session = session_of(s.corrects ? s.corrects : s.event);
        r.blocs.push_back(std::move(b));
    }
    return r;
}

void write_award_records_csv(std::ostream& out, std::span<const AwardRecord> records, const io::CsvOptions& csv) {
    auto field = [&](std::string_view s) { out << certigraph::detail::csv_field(s, csv.formula_guard); };
    out << "fiche,certification_title,level,certifier_sirets,certifier_names,candidate,family_name,"
           "given_names,birth_date,award_date,certified,bloc,bloc_title,acquired,route,event,corrects,"
           "session,ledger_head,checkpoint,decision,jury_session\n";
    for (const auto& r : records) {
        std::vector<std::string> sirets, names;
        for (const auto& c : r.certifiers) {
            sirets.push_back(c.siret);
            names.push_back(c.name);
        }
        auto head = [&] {
            field(r.fiche);
            out << ',';
            field(r.title);
            out << ',' << r.level << ',';
            field(join(sirets, ";"));
            out << ',';
            field(join(names, " ; "));
            out << ',';
            field(r.holder.candidate);
            out << ',';
            field(r.holder.family_name.value_or(""));
            out << ',';
            field(r.holder.given_names.value_or(""));
            out << ',';
            field(r.holder.birth_date.value_or(""));
            out << ',' << r.award_date.to_string() << ',' << (r.certified ? "true" : "false") << ',';
        };
        if (r.blocs.empty()) {
            head();
            out << ",,,,,,,";
            field(r.ledger_head);
            out << ',';
            field(r.checkpoint);
            out << ',';
            if (r.decision) out << r.decision;
            out << ',';
            field(r.jury_session);
            out << '\n';
        }
        for (const auto& b : r.blocs) {
            head();
            field(b.code);
            out << ',';
            field(b.title);
            out << ',' << b.acquired.to_string() << ',' << to_string(b.route) << ',' << b.event << ',';
            if (b.corrects) out << b.corrects;
            out << ',';
            field(b.session);
            out << ',';
            field(r.ledger_head);
            out << ',';
            field(r.checkpoint);
            out << ',';
            if (r.decision) out << r.decision;
            out << ',';
            field(r.jury_session);
            out << '\n';
        }
    }
}

std::string award_record_json(const AwardRecord& r) {
    json certifiers = json::array();
    for (const auto& c : r.certifiers) certifiers.push_back(json{{"name", c.name}, {"siret", c.siret}});
    json holder{{"candidate", r.holder.candidate}};
    if (r.holder.family_name) holder["family_name"] = *r.holder.family_name;
    if (r.holder.given_names) holder["given_names"] = *r.holder.given_names;
    if (r.holder.birth_date) holder["birth_date"] = *r.holder.birth_date;
    json blocs = json::array();
    for (const auto& b : r.blocs) {
        json j{{"code", b.code},
               {"title", b.title},
               {"acquired", b.acquired.to_string()},
               {"route", to_string(b.route)},
               {"event", b.event}};
        if (b.corrects) j["corrects"] = b.corrects;
        if (!b.session.empty()) j["session"] = b.session;
        blocs.push_back(std::move(j));
    }
    json j{{"format", format_name},
           {"format_version", format_version},
           {"certification",
            json{{"code", r.fiche},
                 {"title", r.title},
                 {"level", r.level},
                 {"certifiers", std::move(certifiers)}}},
           {"holder", std::move(holder)},
           {"award_date", r.award_date.to_string()},
           {"certified", r.certified},
           {"blocs", std::move(blocs)}};
    if (r.decision) {
        j["decision"] = r.decision;
        j["jury_session"] = r.jury_session;
    }
    if (!r.ledger_head.empty()) j["ledger_head"] = r.ledger_head;
    if (!r.checkpoint.empty()) j["checkpoint"] = r.checkpoint;
    return dump(j);
}

std::string bloc_credential_json(const Referentiel& referentiel, const AwardRecord& record,
                                 std::string_view bloc_code, const BadgeOptions& options) {
    check_same_fiche(referentiel, record);
    const auto awarded = std::find_if(record.blocs.begin(), record.blocs.end(),
                                      [&](const AwardedBloc& b) { return b.code == bloc_code; });
    if (awarded == record.blocs.end())
        throw Error("bloc " + std::string(bloc_code) + " is not acquired in the award record of " +
                    record.holder.candidate + "; no credential for it");
    const Index index = referentiel.index_of(NodeKind::bloc, bloc_code);
    const Bloc& bloc = referentiel.blocs()[index];

    std::string narrative = "Bloc de compétences acquis le " + awarded->acquired.to_string() + " par " +
                            route_fr(awarded->route);
    if (!awarded->session.empty())
        narrative += awarded->route == Route::exam ? " (session " + awarded->session + ")"
                                                   : " (" + awarded->session + ")";
    narrative += ", événement n° " + std::to_string(awarded->event);
    if (awarded->corrects)
        narrative += " (rectifiant l'événement n° " + std::to_string(awarded->corrects) + ")";
    narrative += " du registre de capitalisation de " + record.fiche + ".";
    std::vector<std::string> criteria;
    for (const Index c : referentiel.criteria_of_bloc(index))
        criteria.push_back(referentiel.criteria()[c].code);
    if (!criteria.empty())
        narrative += " Critères d'évaluation du référentiel : " + join(criteria, ", ") + ".";

    const std::string id = achievement_id(options, bloc.code);
    json achievement{{"id", id},
                     {"type", json::array({"Achievement"})},
                     {"achievementType", "Competency"},
                     {"name", bloc.title},
                     {"description", bloc.description.empty() ? bloc.title : bloc.description},
                     {"humanCode", bloc.code},
                     {"criteria", json{{"narrative", narrative}}},
                     {"alignment", json::array({alignment(bloc.code, bloc.title, record.fiche, id)})}};
    const std::string name = bloc.title + " (" + bloc.code + ")";
    const std::string description = "Bloc de compétences " + bloc.code + " de la certification " + record.fiche +
                                    " « " + record.title + " », acquis le " + awarded->acquired.to_string() +
                                    ".";
    return credential(record, options, "bloc:" + bloc.code, awarded->acquired, std::move(achievement), name,
                      description);
}

std::string certification_credential_json(const Referentiel& referentiel, const AwardRecord& record,
                                          const BadgeOptions& options) {
    check_same_fiche(referentiel, record);
    if (!record.certified)
        throw Error("the award record of " + record.holder.candidate +
                    " is not a certification (" +
                    (record.decision ? "withheld by decision " + std::to_string(record.decision) + " of "
                                     : std::string("not eligible on ")) +
                    record.award_date.to_string() + "); only its acquired blocs get credentials");
    const Certification& cert = referentiel.certification();
    std::string level;
    if (record.level > 0)
        level = ", niveau " + std::to_string(record.level) +
                " du cadre national des certifications professionnelles";
    std::vector<std::string> blocs;
    for (const auto& b : record.blocs) blocs.push_back(b.code + " le " + b.acquired.to_string());
    std::string narrative =
        "Certification délivrée le " + record.award_date.to_string() +
        " : blocs de compétences acquis (" + join(blocs, ", ") +
        ") et conditions d'obtention du référentiel " + record.fiche + " vérifiées à cette date.";
    if (record.decision)
        narrative += " Décision du jury" + (record.jury_session.empty() ? "" : " (" + record.jury_session + ")") +
                     ", événement n° " + std::to_string(record.decision) + " du registre de capitalisation.";
    const std::string id = achievement_id(options, cert.code);
    json achievement{{"id", id},
                     {"type", json::array({"Achievement"})},
                     {"achievementType", "Certification"},
                     {"name", cert.title},
                     {"description", "Certification professionnelle enregistrée au Répertoire national des "
                                     "certifications professionnelles sous le numéro " +
                                         cert.code + level + "."},
                     {"humanCode", cert.code},
                     {"criteria", json{{"narrative", narrative}}},
                     {"alignment", json::array({alignment(cert.code, cert.title, record.fiche, id)})}};
    const std::string name = cert.title + " (" + cert.code + ")";
    const std::string description = "Certification " + cert.code + " « " + cert.title + " »" + level +
                                    ", délivrée le " + record.award_date.to_string() + ".";
    return credential(record, options, "certification:" + cert.code, record.award_date, std::move(achievement),
                      name, description, record.decision);
}

}  // namespace certigraph::ledger
