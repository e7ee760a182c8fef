// 1EdTech CASE 1.1 CFPackage: export (deterministic: UUID v5 from the codes, dates
// from the référentiel) and a strict-on-structure, lenient-on-content import.
#include <certigraph/error.hpp>
#include <certigraph/interop/case.hpp>

#include "interop/scales.hpp"
#include "io/json_reader.hpp"

#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

namespace certigraph::interop {

namespace {

using ordered_json = nlohmann::ordered_json;
using io::detail::json;
using io::detail::Reader;

// RFC 4122's URL namespace: uuid.uuid5(uuid.NAMESPACE_URL, name) in Python gives the same ids.
constexpr unsigned char url_namespace[16] = {0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
                                             0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};

// CFItemType titles certigraph writes, and the node kind of each.
struct ItemType {
    NodeKind kind;
    std::string_view title;
    std::string_view hierarchy;
    std::string_view description;
};
constexpr ItemType item_types[] = {
    {NodeKind::bloc, "Bloc de compétences", "1", "Bloc de compétences d'une certification RNCP"},
    {NodeKind::competency, "Compétence", "2", "Compétence d'un bloc"},
    {NodeKind::criterion, "Critère d'évaluation", "3", "Critère d'évaluation d'une compétence"},
    {NodeKind::activity, "Activité", "4", "Activité du référentiel d'activités"},
    {NodeKind::epreuve, "Épreuve", "5", "Épreuve (modalité d'évaluation)"},
};

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::optional<NodeKind> kind_of_type(std::string_view type) {
    const std::string t = lower_ascii(type);
    for (const auto& it : item_types)
        if (t == lower_ascii(it.title)) return it.kind;
    // The same without accents, and in English.
    static const std::pair<std::string_view, NodeKind> aliases[] = {
        {"bloc de competences", NodeKind::bloc},   {"bloc", NodeKind::bloc},
        {"competence", NodeKind::competency},      {"competency", NodeKind::competency},
        {"critere d'evaluation", NodeKind::criterion}, {"criterion", NodeKind::criterion},
        {"activite", NodeKind::activity},          {"activity", NodeKind::activity},
        {"epreuve", NodeKind::epreuve},            {"assessment", NodeKind::epreuve}};
    for (const auto& [name, kind] : aliases)
        if (t == name) return kind;
    return std::nullopt;
}

std::string timestamp(const Certification& c) {
    const auto& d = c.dates;
    const std::optional<Date> day = d.publication ? d.publication : d.start_of_paths;
    return (day ? day->to_string() : std::string("1970-01-01")) + "T00:00:00+00:00";
}

std::string official_url(std::string_view code) {
    auto digits = [](std::string_view s) {
        return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    if (code.substr(0, 4) == "RNCP" && digits(code.substr(4)))
        return "https://www.francecompetences.fr/recherche/rncp/" + std::string(code.substr(4)) + "/";
    if (code.substr(0, 2) == "RS" && digits(code.substr(2)))
        return "https://www.francecompetences.fr/recherche/rs/" + std::string(code.substr(2)) + "/";
    return {};
}

std::string code_from_url(std::string_view url) {
    for (auto [marker, prefix] : {std::pair<std::string_view, std::string_view>{"/rncp/", "RNCP"}, {"/rs/", "RS"}}) {
        const auto at = url.find(marker);
        if (at == std::string_view::npos) continue;
        std::size_t i = at + marker.size(), j = i;
        while (j < url.size() && url[j] >= '0' && url[j] <= '9') ++j;
        if (j > i) return std::string(prefix) + std::string(url.substr(i, j - i));
    }
    return {};
}

class Exporter {
  public:
    Exporter(const Referentiel& ref, const CaseExportOptions& options)
        : ref_(ref), options_(options), cert_(ref.certification().code), when_(timestamp(ref.certification())) {}

    std::string run() {
        ordered_json package;
        package["CFDocument"] = document();
        ordered_json items = ordered_json::array();
        for (const auto& b : ref_.blocs()) items.push_back(item(NodeKind::bloc, b.code, b.title, b.description));
        for (const auto& c : ref_.competencies())
            items.push_back(item(NodeKind::competency, c.code, c.title, c.description));
        for (const auto& c : ref_.criteria())
            items.push_back(item(NodeKind::criterion, c.code, c.title, c.description));
        for (const auto& a : ref_.activities())
            items.push_back(item(NodeKind::activity, a.code, a.title, a.description));
        for (const auto& e : ref_.epreuves()) items.push_back(item(NodeKind::epreuve, e.code, e.title, e.modality));
        package["CFItems"] = std::move(items);
        package["CFAssociations"] = associations();
        ordered_json types = ordered_json::array();
        for (const auto& t : item_types) {
            const std::string id = item_type_id(t);
            types.push_back({{"identifier", id},
                             {"uri", uri("CFItemTypes", id)},
                             {"title", t.title},
                             {"description", t.description},
                             {"hierarchyCode", t.hierarchy},
                             {"lastChangeDateTime", when_}});
        }
        package["CFDefinitions"] = {{"CFConcepts", ordered_json::array()},
                                    {"CFSubjects", ordered_json::array()},
                                    {"CFLicenses", ordered_json::array()},
                                    {"CFItemTypes", std::move(types)},
                                    {"CFAssociationGroupings", ordered_json::array()}};
        if (options_.policy) package["CFRubrics"] = rubrics(*options_.policy);
        try {
            return package.dump(2, ' ', false, nlohmann::json::error_handler_t::strict) + "\n";
        } catch (const nlohmann::json::type_error&) {  // a text of a trusted archive that is not UTF-8
            throw Error("référentiel " + cert_ + " holds text that is not UTF-8; CASE is JSON and needs UTF-8");
        }
    }

  private:
    std::string uri(std::string_view collection, const std::string& id) const {
        if (options_.base_uri.empty()) return "urn:uuid:" + id;
        std::string base = options_.base_uri;
        while (!base.empty() && base.back() == '/') base.pop_back();
        return base + "/" + std::string(collection) + "/" + id;
    }
    std::string document_id() const { return case_uuid("urn:certigraph:case:" + cert_ + ":document"); }
    std::string item_id(std::string_view code) const {
        return case_uuid("urn:certigraph:case:" + cert_ + ":item:" + std::string(code));
    }
    static std::string item_type_id(const ItemType& t) {
        return case_uuid("urn:certigraph:case:item-type:" + std::string(t.title));
    }
    const ItemType& type_of(NodeKind kind) const {
        for (const auto& t : item_types)
            if (t.kind == kind) return t;
        return item_types[0];
    }
    ordered_json link(std::string_view code) const {
        const std::string id = item_id(code);
        return {{"title", code}, {"identifier", id}, {"uri", uri("CFItems", id)}};
    }
    ordered_json document_link() const {
        const std::string id = document_id();
        return {{"title", ref_.certification().title}, {"identifier", id}, {"uri", uri("CFDocuments", id)}};
    }

    ordered_json document() const {
        const Certification& c = ref_.certification();
        const std::string id = document_id();
        std::string creator;
        for (const auto& x : c.certifiers) creator += (creator.empty() ? "" : "; ") + x.name;
        if (creator.empty()) creator = c.code;
        ordered_json d = {{"identifier", id},
                          {"uri", uri("CFDocuments", id)},
                          {"creator", creator},
                          {"title", c.title},
                          {"lastChangeDateTime", when_}};
        if (const std::string url = official_url(c.code); !url.empty()) d["officialSourceURL"] = url;
        d["language"] = "fr";
        d["adoptionStatus"] = "Adopted";
        if (c.dates.start_of_paths) d["statusStartDate"] = c.dates.start_of_paths->to_string();
        if (c.dates.end_of_registration) d["statusEndDate"] = c.dates.end_of_registration->to_string();
        d["notes"] = c.code + (c.level ? " (niveau " + std::to_string(c.level) + ")" : std::string());
        d["frameworkType"] = "Référentiel de compétences et d'évaluation (RNCP)";
        d["caseVersion"] = "1.1";
        // What CASE has no field for, read back by parse_case.
        ordered_json ext = {{"code", c.code}};
        if (c.level) ext["level"] = c.level;
        d["extensions"] = {{"certigraph", std::move(ext)}};
        return d;
    }

    ordered_json item(NodeKind kind, const std::string& code, const std::string& title,
                      const std::string& notes) const {
        const std::string id = item_id(code);
        const ItemType& t = type_of(kind);
        const std::string type_id = item_type_id(t);
        ordered_json o = {{"identifier", id},
                          {"uri", uri("CFItems", id)},
                          {"lastChangeDateTime", when_},
                          {"fullStatement", title},
                          {"humanCodingScheme", code},
                          {"CFItemType", t.title},
                          {"CFItemTypeURI", {{"title", t.title}, {"identifier", type_id}, {"uri", uri("CFItemTypes", type_id)}}},
                          {"language", "fr"}};
        if (!notes.empty()) o["notes"] = notes;
        return o;
    }

    void association(ordered_json& out, std::string_view type, std::string_view origin, ordered_json destination,
                     std::string_view destination_key, long long sequence) const {
        const std::string id = case_uuid("urn:certigraph:case:" + cert_ + ":association:" + std::string(type) + ":" +
                                         std::string(origin) + ":" + std::string(destination_key));
        out.push_back({{"identifier", id},
                       {"uri", uri("CFAssociations", id)},
                       {"lastChangeDateTime", when_},
                       {"associationType", type},
                       {"originNodeURI", link(origin)},
                       {"destinationNodeURI", std::move(destination)},
                       {"sequenceNumber", sequence}});
    }

    ordered_json associations() const {
        ordered_json out = ordered_json::array();
        const auto blocs = ref_.blocs();
        for (std::size_t b = 0; b < blocs.size(); ++b) {
            association(out, "isChildOf", blocs[b].code, document_link(), ":document", static_cast<long long>(b + 1));
            long long n = 0;
            for (Index c : ref_.competencies_of_bloc(static_cast<Index>(b))) {
                const auto& comp = ref_.competencies()[c];
                association(out, "isChildOf", comp.code, link(blocs[b].code), blocs[b].code, ++n);
                long long m = 0;
                for (Index k : ref_.criteria_of_competency(c)) {
                    const auto& crit = ref_.criteria()[k];
                    association(out, "isChildOf", crit.code, link(comp.code), comp.code, ++m);
                }
            }
        }
        // Activities under their parent activity, else their bloc, else the document.
        std::map<std::string, long long> counts;
        long long top = static_cast<long long>(blocs.size());
        for (const auto& a : ref_.activities()) {
            if (!a.parent.empty()) {
                association(out, "isChildOf", a.code, link(a.parent), a.parent, ++counts[a.parent]);
                if (!a.bloc.empty()) association(out, "isPartOf", a.code, link(a.bloc), a.bloc, 1);
            } else if (!a.bloc.empty()) association(out, "isChildOf", a.code, link(a.bloc), a.bloc, ++counts[a.bloc]);
            else association(out, "isChildOf", a.code, document_link(), ":document", ++top);
        }
        for (const auto& e : ref_.epreuves())
            association(out, "isChildOf", e.code, document_link(), ":document", ++top);
        for (const auto& a : ref_.activities()) {
            long long n = 0;
            for (const auto& c : a.competencies) association(out, "isRelatedTo", a.code, link(c), c, ++n);
        }
        for (const auto& e : ref_.epreuves()) {
            long long n = 0;
            for (const auto& c : e.evaluates) association(out, "isRelatedTo", e.code, link(c), c, ++n);
        }
        return out;
    }

    ordered_json rubrics(const Policy& policy) const {
        ordered_json out = ordered_json::array();
        for (std::size_t e = 0; e < ref_.epreuves().size(); ++e) {
            const Epreuve& ep = ref_.epreuves()[e];
            const std::string rid = case_uuid("urn:certigraph:case:" + cert_ + ":rubric:" + ep.code);
            ordered_json criteria = ordered_json::array();
            long long position = 0;
            for (Index k : ref_.criteria_of_epreuve(static_cast<Index>(e))) {
                const Criterion& crit = ref_.criteria()[k];
                const Index comp = ref_.competency_of_criterion(k);
                const Scale scale = detail::scale_for(policy, crit.code, ep.code);
                const double threshold = detail::threshold_for(policy, scale, crit.code, ref_.competencies()[comp].code,
                                                               ref_.blocs()[ref_.bloc_of_criterion(k)].code);
                const std::string cid = case_uuid("urn:certigraph:case:" + cert_ + ":rubric:" + ep.code + ":" + crit.code);
                ordered_json levels = ordered_json::array();
                long long lp = 0;
                for (const auto& level : detail::levels_of(scale, threshold)) {
                    const std::string lid = case_uuid("urn:certigraph:case:" + cert_ + ":rubric:" + ep.code + ":" +
                                                      crit.code + ":" + std::to_string(lp + 1));
                    levels.push_back({{"identifier", lid},
                                      {"uri", uri("CFRubricCriterionLevels", lid)},
                                      {"lastChangeDateTime", when_},
                                      {"quality", level.label},
                                      {"score", level.score},
                                      {"position", ++lp},
                                      {"description", level.score >= threshold ? "atteint" : "non atteint"},
                                      {"rubricCriterionId", cid}});
                }
                criteria.push_back({{"identifier", cid},
                                    {"uri", uri("CFRubricCriteria", cid)},
                                    {"lastChangeDateTime", when_},
                                    {"category", crit.code},
                                    {"description", crit.title},
                                    {"CFItemURI", link(crit.code)},
                                    {"weight", 1.0},
                                    {"position", ++position},
                                    {"rubricId", rid},
                                    {"CFRubricCriterionLevels", std::move(levels)}});
            }
            out.push_back({{"identifier", rid},
                           {"uri", uri("CFRubrics", rid)},
                           {"lastChangeDateTime", when_},
                           {"title", ep.code + " " + ep.title},
                           {"description", ep.modality},
                           {"CFRubricCriteria", std::move(criteria)}});
        }
        return out;
    }

    const Referentiel& ref_;
    const CaseExportOptions& options_;
    std::string cert_;
    std::string when_;
};

// --- Import -----------------------------------------------------------------

struct Item {
    std::string identifier, code, title, notes;
    std::optional<NodeKind> typed;
    std::string pointer;
    // From the associations:
    std::optional<std::size_t> parent;  ///< index of the parent item; unset: top level
    long long sequence = std::numeric_limits<long long>::max();
    std::vector<std::size_t> children;
    std::vector<std::size_t> related;  ///< isRelatedTo destinations (items)
    std::optional<std::size_t> part_of;  ///< the first isPartOf destination (an activity's bloc)
    NodeKind kind = NodeKind::bloc;
    bool placed = false;  ///< an isChildOf was read (the first one wins)
};

/// The identifier a LinkURI (or, leniently, a bare URI string) refers to.
std::string link_identifier(const Reader& r) {
    if (r.value().is_string()) {
        const std::string s = r.string();
        const auto slash = s.find_last_of("/:");
        return slash == std::string::npos ? s : s.substr(slash + 1);
    }
    if (!r.value().is_object()) r.fail("expected a LinkURI object (title, identifier, uri), found " +
                                       io::detail::type_name(r.value()));
    return r["identifier"].string();
}

std::optional<Date> read_status_date(const Reader& r) {
    const std::string s = r.string();
    if (auto d = Date::parse(s.substr(0, 10)); d && (s.size() == 10 || s[10] == 'T')) return d;
    r.fail("'" + s + "' is not a date; write YYYY-MM-DD");
}

}  // namespace

std::string case_uuid(std::string_view name) {
    std::string input(reinterpret_cast<const char*>(url_namespace), sizeof url_namespace);
    input.append(name);
    std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
    unsigned size = 0;
    if (EVP_Digest(input.data(), input.size(), md.data(), &size, EVP_sha1(), nullptr) != 1)
        throw Error("SHA-1 failed (OpenSSL EVP_Digest)");
    md[6] = static_cast<unsigned char>((md[6] & 0x0F) | 0x50);  // version 5
    md[8] = static_cast<unsigned char>((md[8] & 0x3F) | 0x80);  // variant 10xx
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
        out += digits[md[i] >> 4];
        out += digits[md[i] & 0xF];
    }
    return out;
}

std::string referentiel_to_case(const Referentiel& referentiel, const CaseExportOptions& options) {
    return Exporter(referentiel, options).run();
}

ReferentielBuilder parse_case(std::string_view text, std::string_view source, const CaseImportOptions& options) {
    const json doc = io::detail::parse_strict(text, source);
    const Reader root(doc, "", source);
    if (!doc.is_object()) root.fail("expected a CASE CFPackage (an object with CFDocument), found " +
                                    io::detail::type_name(doc));
    const Reader document = root["CFDocument"];
    if (!document.value().is_object())
        document.fail("expected an object, found " + io::detail::type_name(document.value()));
    const std::string document_id = document["identifier"].string();
    Certification cert;
    cert.title = document["title"].string();
    if (document.has("officialSourceURL")) cert.code = code_from_url(document["officialSourceURL"].string());
    if (document.has("extensions") && document["extensions"].value().is_object() &&
        document["extensions"].has("certigraph")) {
        const Reader ext = document["extensions"]["certigraph"];
        if (!ext.value().is_object()) ext.fail("expected an object, found " + io::detail::type_name(ext.value()));
        if (ext.has("code")) cert.code = ext["code"].string();
        if (ext.has("level")) cert.level = static_cast<int>(ext["level"].integer());
    }
    if (!options.certification_code.empty()) cert.code = options.certification_code;
    if (cert.code.empty()) cert.code = document_id;
    if (document.has("creator")) {
        const std::string creator = document["creator"].string();
        std::size_t from = 0;
        while (from <= creator.size() && creator != cert.code) {
            const auto to = creator.find("; ", from);
            const std::string name = creator.substr(from, to == std::string::npos ? std::string::npos : to - from);
            if (!name.empty()) cert.certifiers.push_back({name, {}});
            if (to == std::string::npos) break;
            from = to + 2;
        }
    }
    if (document.has("statusStartDate")) cert.dates.start_of_paths = read_status_date(document["statusStartDate"]);
    if (document.has("statusEndDate")) cert.dates.end_of_registration = read_status_date(document["statusEndDate"]);

    std::vector<Item> items;
    std::unordered_map<std::string, std::size_t> by_id;
    if (root.has("CFItems"))
        root["CFItems"].each([&](const Reader& r) {
            if (!r.value().is_object()) r.fail("expected a CFItem object, found " + io::detail::type_name(r.value()));
            Item item;
            item.identifier = r["identifier"].string();
            item.title = r["fullStatement"].string();
            if (r.has("humanCodingScheme")) item.code = r["humanCodingScheme"].string();
            if (item.code.empty()) item.code = item.identifier;
            r.optional_string("notes", item.notes);
            if (r.has("CFItemType")) item.typed = kind_of_type(r["CFItemType"].string());
            if (!by_id.emplace(item.identifier, items.size()).second)
                r["identifier"].fail("identifier '" + item.identifier +
                                     "' is given to two CFItems; every item needs its own");
            if (item.identifier == document_id)
                r["identifier"].fail("this CFItem has the CFDocument's identifier; give it its own");
            items.push_back(std::move(item));
        });

    if (root.has("CFAssociations"))
        root["CFAssociations"].each([&](const Reader& r) {
            if (!r.value().is_object())
                r.fail("expected a CFAssociation object, found " + io::detail::type_name(r.value()));
            const std::string type = r["associationType"].string();
            const std::string origin = link_identifier(r["originNodeURI"]);
            const std::string destination = link_identifier(r["destinationNodeURI"]);
            long long sequence = std::numeric_limits<long long>::max();
            if (r.has("sequenceNumber") && !r["sequenceNumber"].value().is_null()) {
                const Reader n = r["sequenceNumber"];
                if (n.value().is_string()) {  // some exports quote it
                    const std::string t = n.string();
                    if (t.empty() || t.size() > 9 || t.find_first_not_of("0123456789") != std::string::npos)
                        n.fail("sequenceNumber '" + t + "' is not a whole number");
                    sequence = std::stoll(t);
                } else {
                    sequence = n.integer();
                }
            }
            const auto o = by_id.find(origin);
            if (o == by_id.end()) return;  // about something outside this package
            Item& item = items[o->second];
            const auto d = by_id.find(destination);
            if (type == "isChildOf") {
                if (item.placed) return;  // the first parent wins
                item.placed = true;
                item.sequence = sequence;
                if (d == by_id.end()) return;  // the document, or outside: top level
                if (d->second == o->second)
                    r["destinationNodeURI"].fail("item '" + item.code + "' is made a child of itself");
                // A cycle: the destination already descends from the origin.
                for (std::optional<std::size_t> p = d->second; p; p = items[*p].parent)
                    if (*p == o->second)
                        r["destinationNodeURI"].fail("this isChildOf makes a cycle through '" + item.code +
                                                     "'; an item cannot descend from itself");
                item.parent = d->second;
            } else if (type == "isRelatedTo" && d != by_id.end()) {
                item.related.push_back(d->second);
            } else if (type == "isPartOf" && d != by_id.end() && !item.part_of) {
                item.part_of = d->second;
            }
        });

    // Children in order: sequenceNumber, then file order.
    std::vector<std::size_t> roots;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (items[i].parent) items[*items[i].parent].children.push_back(i);
        else roots.push_back(i);
    }
    auto by_sequence = [&](std::vector<std::size_t>& v) {
        std::stable_sort(v.begin(), v.end(),
                         [&](std::size_t a, std::size_t b) { return items[a].sequence < items[b].sequence; });
    };
    by_sequence(roots);
    for (auto& item : items) by_sequence(item.children);

    // Kinds: a certigraph CFItemType wins; otherwise the depth.
    std::vector<std::size_t> order;  // depth-first, tree order
    std::vector<std::size_t> stack(roots.rbegin(), roots.rend());
    std::vector<int> depth(items.size(), 1);
    while (!stack.empty()) {
        const std::size_t i = stack.back();
        stack.pop_back();
        order.push_back(i);
        for (auto it = items[i].children.rbegin(); it != items[i].children.rend(); ++it) {
            depth[*it] = depth[i] + 1;
            stack.push_back(*it);
        }
    }
    bool loose = false;  // top-level leaves: competencies of one bloc named after the document
    for (std::size_t i : order) {
        Item& item = items[i];
        if (item.typed) {
            item.kind = *item.typed;
        } else if (depth[i] == 1) {
            item.kind = item.children.empty() ? NodeKind::competency : NodeKind::bloc;
            loose = loose || item.children.empty();
        } else {
            item.kind = depth[i] == 2 ? NodeKind::competency : NodeKind::criterion;
        }
    }
    auto nearest = [&](std::size_t i, NodeKind kind) -> std::string {
        for (std::optional<std::size_t> p = items[i].parent; p; p = items[*p].parent)
            if (items[*p].kind == kind) return items[*p].code;
        return {};
    };
    const std::string loose_bloc = cert.code + "-BC";

    ReferentielBuilder builder;
    builder.certification(cert);
    if (loose) builder.add(Bloc{.code = loose_bloc, .title = cert.title});
    for (std::size_t i : order) {
        const Item& item = items[i];
        switch (item.kind) {
            case NodeKind::bloc: builder.add(Bloc{.code = item.code, .title = item.title, .description = item.notes}); break;
            case NodeKind::competency: {
                std::string bloc = nearest(i, NodeKind::bloc);
                if (bloc.empty() && !item.parent && !item.typed) bloc = loose_bloc;
                builder.add(Competency{.code = item.code, .title = item.title, .description = item.notes, .bloc = bloc});
                break;
            }
            case NodeKind::criterion:
                builder.add(Criterion{.code = item.code, .title = item.title, .description = item.notes,
                                      .competency = nearest(i, NodeKind::competency)});
                break;
            case NodeKind::activity: {
                Activity a{.code = item.code, .title = item.title, .description = item.notes,
                           .bloc = {}, .parent = {}, .competencies = {}};
                // Its bloc is its parent, or what it isPartOf under a parent activity.
                if (item.parent && items[*item.parent].kind == NodeKind::activity) a.parent = items[*item.parent].code;
                if (item.parent && items[*item.parent].kind == NodeKind::bloc) a.bloc = items[*item.parent].code;
                else if (item.part_of && items[*item.part_of].kind == NodeKind::bloc) a.bloc = items[*item.part_of].code;
                for (std::size_t r : item.related) a.competencies.push_back(items[r].code);
                builder.add(std::move(a));
                break;
            }
            case NodeKind::epreuve: {
                Epreuve e{.code = item.code, .title = item.title, .modality = item.notes, .evaluates = {}};
                for (std::size_t r : item.related) e.evaluates.push_back(items[r].code);
                builder.add(std::move(e));
                break;
            }
            case NodeKind::certification: break;
        }
    }
    return builder;
}

}  // namespace certigraph::interop
