// certigraph's référentiel JSON: a strict reader (every problem names its JSON
// pointer) and a canonical writer. The format is documented in docs/formats.md
// and docs/schemas/referentiel.schema.json.
#include <certigraph/error.hpp>
#include <certigraph/io/json.hpp>

#include "io/json_reader.hpp"
#include "referentiel/content.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

namespace certigraph::io {

namespace {

using detail::json;
using detail::Reader;
using ordered_json = nlohmann::ordered_json;

constexpr std::string_view format_name = "certigraph/referentiel";

Requirement read_requirement(const Reader& r) {
    r.expect_object({"code", "kind", "title", "language", "framework", "level", "third_party",
                     "minimum_weeks", "minimum_months", "consecutive", "applies_when"});
    Requirement q;
    q.code = r["code"].string();
    q.kind = r["kind"].enumeration<RequirementKind>(requirement_kind_from_string,
                                                    {"language", "mobility", "experience"});
    q.title = r["title"].string();
    r.optional_string("language", q.language);
    r.optional_string("framework", q.framework);
    r.optional_string("level", q.level);
    if (r.has("third_party")) q.third_party = r["third_party"].boolean();
    if (r.has("minimum_weeks")) q.minimum_weeks = r["minimum_weeks"].number();
    if (r.has("minimum_months")) q.minimum_months = r["minimum_months"].number();
    if (r.has("consecutive")) q.consecutive = r["consecutive"].boolean();
    if (r.has("applies_when")) {
        const Reader c = r["applies_when"];
        c.expect_object({"attribute", "operator", "value"});
        q.applies_when = Condition{
            c["attribute"].string(),
            c["operator"].enumeration<ConditionOperator>(condition_operator_from_string,
                                                         {"equals", "not_equals"}),
            c["value"].string()};
    }
    return q;
}

const std::initializer_list<std::string_view> access_route_names{
    "student", "apprenticeship", "continuing_education", "professionalisation_contract",
    "individual_application", "vae"};

Certification read_certification(const Reader& r, long long version) {
    if (version >= 2)
        r.expect_object({"code", "title", "level", "certifiers", "dates", "access_routes",
                         "route_juries", "previous", "next", "requirements"});
    else
        r.expect_object({"code", "title", "level", "certifiers", "dates", "access_routes",
                         "previous", "next", "requirements"});
    Certification c;
    c.code = r["code"].string();
    c.title = r["title"].string();
    if (r.has("level")) c.level = static_cast<int>(r["level"].integer());
    if (r.has("certifiers"))
        r["certifiers"].each([&](const Reader& x) {
            x.expect_object({"name", "siret"});
            Certifier certifier{x["name"].string(), {}};
            x.optional_string("siret", certifier.siret);
            c.certifiers.push_back(std::move(certifier));
        });
    if (r.has("dates")) {
        const Reader d = r["dates"];
        d.expect_object({"publication", "start_of_paths", "end_of_registration", "last_delivery"});
        if (d.has("publication")) c.dates.publication = d["publication"].date();
        if (d.has("start_of_paths")) c.dates.start_of_paths = d["start_of_paths"].date();
        if (d.has("end_of_registration"))
            c.dates.end_of_registration = d["end_of_registration"].date();
        if (d.has("last_delivery")) c.dates.last_delivery = d["last_delivery"].date();
    }
    if (r.has("access_routes"))
        r["access_routes"].each([&](const Reader& x) {
            c.access_routes.push_back(
                x.enumeration<AccessRoute>(access_route_from_string, access_route_names));
        });
    if (r.has("route_juries"))
        r["route_juries"].each([&](const Reader& x) {
            x.expect_object({"route", "composition"});
            c.route_juries.push_back(
                {x["route"].enumeration<AccessRoute>(access_route_from_string, access_route_names),
                 x["composition"].string()});
        });
    r.optional_strings("previous", c.previous);
    r.optional_strings("next", c.next);
    if (r.has("requirements"))
        r["requirements"].each([&](const Reader& x) { c.requirements.push_back(read_requirement(x)); });
    return c;
}

void read_nodes(const Reader& root, ReferentielBuilder& b, long long version) {
    root["blocs"].each([&](const Reader& r) {
        if (version >= 2)
            r.expect_object({"code", "title", "description", "optional", "option_group", "assessment"});
        else
            r.expect_object({"code", "title", "description", "optional", "option_group"});
        Bloc bloc{r["code"].string(), r["title"].string(), {}, false, {}, {}};
        r.optional_string("description", bloc.description);
        r.optional_string("assessment", bloc.assessment);
        if (r.has("optional")) bloc.optional = r["optional"].boolean();
        r.optional_string("option_group", bloc.option_group);
        b.add(std::move(bloc));
    });
    if (root.has("activities"))
        root["activities"].each([&](const Reader& r) {
            r.expect_object({"code", "title", "description", "bloc", "parent", "competencies"});
            Activity a{r["code"].string(), r["title"].string(), {}, {}, {}, {}};
            r.optional_string("description", a.description);
            r.optional_string("bloc", a.bloc);
            r.optional_string("parent", a.parent);
            r.optional_strings("competencies", a.competencies);
            b.add(std::move(a));
        });
    root["competencies"].each([&](const Reader& r) {
        r.expect_object({"code", "title", "description", "bloc"});
        Competency c{r["code"].string(), r["title"].string(), {}, r["bloc"].string()};
        r.optional_string("description", c.description);
        b.add(std::move(c));
    });
    root["criteria"].each([&](const Reader& r) {
        r.expect_object({"code", "title", "description", "competency"});
        Criterion c{r["code"].string(), r["title"].string(), {}, r["competency"].string()};
        r.optional_string("description", c.description);
        b.add(std::move(c));
    });
    if (root.has("epreuves"))
        root["epreuves"].each([&](const Reader& r) {
            r.expect_object({"code", "title", "modality", "evaluates"});
            Epreuve e{r["code"].string(), r["title"].string(), {}, r["evaluates"].strings()};
            r.optional_string("modality", e.modality);
            b.add(std::move(e));
        });
    if (root.has("correspondences"))
        root["correspondences"].each([&](const Reader& r) {
            if (version >= 2)
                r.expect_object({"fiche", "blocs", "counterparts", "kind", "note"});
            else
                r.expect_object({"blocs", "counterparts", "kind", "note"});
            Correspondence k{r["blocs"].strings(), r["counterparts"].strings(),
                             r["kind"].enumeration<CorrespondenceKind>(
                                 correspondence_kind_from_string, {"total", "partial"}),
                             {}, {}};
            r.optional_string("note", k.note);
            r.optional_string("fiche", k.fiche);
            b.add(std::move(k));
        });
}

}  // namespace

ReferentielBuilder parse_referentiel_json(std::string_view text, std::string_view source) {
    const json document = detail::parse_strict(text, source);
    const Reader root(document, "", source);
    detail::check_format(root, format_name, "référentiel", referentiel_json_version);
    root.expect_object({"format", "format_version", "certification", "blocs", "activities",
                        "competencies", "criteria", "epreuves", "correspondences"});
    const long long version = root["format_version"].integer();

    ReferentielBuilder builder;
    builder.certification(read_certification(root["certification"], version));
    read_nodes(root, builder, version);
    return builder;
}

Referentiel referentiel_from_json(std::string_view text, std::string_view source) {
    return parse_referentiel_json(text, source).build();
}

namespace {

void put_if(ordered_json& o, const char* key, const std::string& value) {
    if (!value.empty()) o[key] = value;
}

/// Whole numbers are written without a fraction ("4", not "4.0"), as people write them.
ordered_json number(double value) {
    if (std::trunc(value) == value && std::fabs(value) < 1e15)
        return static_cast<std::int64_t>(value);
    return value;
}

ordered_json write_requirement(const Requirement& q) {
    ordered_json o;
    o["code"] = q.code;
    o["kind"] = to_string(q.kind);
    o["title"] = q.title;
    put_if(o, "language", q.language);
    put_if(o, "framework", q.framework);
    put_if(o, "level", q.level);
    if (q.kind == RequirementKind::language || q.third_party) o["third_party"] = q.third_party;
    if (q.minimum_weeks != 0.0) o["minimum_weeks"] = number(q.minimum_weeks);
    if (q.minimum_months != 0.0) o["minimum_months"] = number(q.minimum_months);
    if (q.kind == RequirementKind::experience || q.consecutive) o["consecutive"] = q.consecutive;
    if (q.applies_when)
        o["applies_when"] = ordered_json{{"attribute", q.applies_when->attribute},
                                         {"operator", to_string(q.applies_when->op)},
                                         {"value", q.applies_when->value}};
    return o;
}

ordered_json write_certification(const Certification& c) {
    ordered_json o;
    o["code"] = c.code;
    o["title"] = c.title;
    if (c.level != 0) o["level"] = c.level;
    if (!c.certifiers.empty()) {
        o["certifiers"] = ordered_json::array();
        for (const auto& x : c.certifiers) {
            ordered_json certifier{{"name", x.name}};
            put_if(certifier, "siret", x.siret);
            o["certifiers"].push_back(std::move(certifier));
        }
    }
    ordered_json dates = ordered_json::object();
    auto put_date = [&](const char* key, const std::optional<Date>& d) {
        if (d) dates[key] = d->to_string();
    };
    put_date("publication", c.dates.publication);
    put_date("start_of_paths", c.dates.start_of_paths);
    put_date("end_of_registration", c.dates.end_of_registration);
    put_date("last_delivery", c.dates.last_delivery);
    if (!dates.empty()) o["dates"] = std::move(dates);
    o["access_routes"] = ordered_json::array();
    for (auto r : c.access_routes) o["access_routes"].push_back(to_string(r));
    if (!c.route_juries.empty()) {
        o["route_juries"] = ordered_json::array();
        for (const auto& j : c.route_juries)
            o["route_juries"].push_back({{"route", to_string(j.route)}, {"composition", j.composition}});
    }
    o["previous"] = c.previous;
    o["next"] = c.next;
    o["requirements"] = ordered_json::array();
    for (const auto& q : c.requirements) o["requirements"].push_back(write_requirement(q));
    return o;
}

/// The lowest format version that can say everything in the content: a file that
/// uses nothing of version 2 stays version 1, byte for byte as before.
long long version_needed(const certigraph::detail::Content& c) {
    const bool v2 = !c.certification.route_juries.empty() ||
                    std::any_of(c.blocs.begin(), c.blocs.end(),
                                [](const Bloc& b) { return !b.assessment.empty(); }) ||
                    std::any_of(c.correspondences.begin(), c.correspondences.end(),
                                [](const Correspondence& k) { return !k.fiche.empty(); });
    return v2 ? 2 : 1;
}

std::string write_document(const certigraph::detail::Content& ref) {
    ordered_json doc;
    doc["format"] = format_name;
    doc["format_version"] = version_needed(ref);
    doc["certification"] = write_certification(ref.certification);

    doc["blocs"] = ordered_json::array();
    for (const auto& b : ref.blocs) {
        ordered_json o{{"code", b.code}, {"title", b.title}};
        put_if(o, "description", b.description);
        o["optional"] = b.optional;
        put_if(o, "option_group", b.option_group);
        put_if(o, "assessment", b.assessment);
        doc["blocs"].push_back(std::move(o));
    }
    doc["activities"] = ordered_json::array();
    for (const auto& a : ref.activities) {
        ordered_json o{{"code", a.code}, {"title", a.title}};
        put_if(o, "description", a.description);
        put_if(o, "bloc", a.bloc);
        put_if(o, "parent", a.parent);
        if (!a.competencies.empty()) o["competencies"] = a.competencies;
        doc["activities"].push_back(std::move(o));
    }
    doc["competencies"] = ordered_json::array();
    for (const auto& c : ref.competencies) {
        ordered_json o{{"code", c.code}, {"title", c.title}};
        put_if(o, "description", c.description);
        o["bloc"] = c.bloc;
        doc["competencies"].push_back(std::move(o));
    }
    doc["criteria"] = ordered_json::array();
    for (const auto& c : ref.criteria) {
        ordered_json o{{"code", c.code}, {"title", c.title}};
        put_if(o, "description", c.description);
        o["competency"] = c.competency;
        doc["criteria"].push_back(std::move(o));
    }
    doc["epreuves"] = ordered_json::array();
    for (const auto& e : ref.epreuves) {
        ordered_json o{{"code", e.code}, {"title", e.title}};
        put_if(o, "modality", e.modality);
        o["evaluates"] = e.evaluates;
        doc["epreuves"].push_back(std::move(o));
    }
    doc["correspondences"] = ordered_json::array();
    for (const auto& k : ref.correspondences) {
        ordered_json o;
        put_if(o, "fiche", k.fiche);
        o["blocs"] = k.blocs;
        o["counterparts"] = k.counterparts;
        o["kind"] = to_string(k.kind);
        put_if(o, "note", k.note);
        doc["correspondences"].push_back(std::move(o));
    }
    return doc.dump(2, ' ', false) + "\n";
}

}  // namespace

std::string referentiel_to_json(const Referentiel& ref) {
    return write_document(certigraph::detail::content_of(ref));
}

std::string referentiel_to_json(const ReferentielBuilder& builder) {
    return write_document(certigraph::detail::content_of(builder));
}

}  // namespace certigraph::io
