// certigraph's référentiel JSON: a strict reader (every problem names its JSON
// pointer) and a canonical writer. The format is documented in docs/formats.md
// and docs/schemas/referentiel.schema.json.
#include <certigraph/error.hpp>
#include <certigraph/io/json.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <set>
#include <string>

namespace certigraph::io {

namespace {

using json = nlohmann::json;
using ordered_json = nlohmann::ordered_json;

constexpr std::string_view format_name = "certigraph/referentiel";

std::string type_name(const json& value) {
    switch (value.type()) {
        case json::value_t::null: return "null";
        case json::value_t::object: return "an object";
        case json::value_t::array: return "an array";
        case json::value_t::string: return "a string";
        case json::value_t::boolean: return "a boolean";
        case json::value_t::number_integer:
        case json::value_t::number_unsigned: return "an integer";
        case json::value_t::number_float: return "a number";
        default: return "an unsupported value";
    }
}

/// A key as a JSON pointer token (RFC 6901).
std::string escape(const std::string& key) {
    std::string out;
    for (char c : key) {
        if (c == '~') out += "~0";
        else if (c == '/') out += "~1";
        else out += c;
    }
    return out;
}

/// Watches a parse for keys repeated in one object (nlohmann keeps the last one
/// silently) and remembers the JSON pointer of the first repetition.
class DuplicateKeyFinder {
  public:
    bool operator()(int /*depth*/, json::parse_event_t event, json& parsed) {
        using E = json::parse_event_t;
        switch (event) {
            case E::object_start:
                start_element();
                frames_.push_back({true, {}, {}, 0});
                break;
            case E::array_start:
                start_element();
                frames_.push_back({false, {}, {}, 0});
                break;
            case E::object_end:
            case E::array_end: frames_.pop_back(); break;
            case E::key: {
                Frame& frame = frames_.back();
                frame.key = parsed.get<std::string>();
                if (!frame.keys.insert(frame.key).second && !duplicate_) {
                    std::string pointer;
                    for (std::size_t i = 0; i + 1 < frames_.size(); ++i)
                        pointer += "/" + (frames_[i].object ? escape(frames_[i].key)
                                                            : std::to_string(frames_[i].started - 1));
                    duplicate_ = std::pair{pointer + "/" + escape(frame.key), frame.key};
                }
                break;
            }
            case E::value:  // a scalar (containers announce themselves with *_start)
                start_element();
                break;
        }
        return true;
    }
    /// (pointer, key) of the first repeated key, if any.
    const std::optional<std::pair<std::string, std::string>>& duplicate() const { return duplicate_; }

  private:
    struct Frame {
        bool object;
        std::set<std::string> keys;
        std::string key;      // objects: the key being read
        std::size_t started;  // arrays: elements begun so far
    };
    void start_element() {
        if (!frames_.empty() && !frames_.back().object) ++frames_.back().started;
    }
    std::vector<Frame> frames_;
    std::optional<std::pair<std::string, std::string>> duplicate_;
};

/// Reads one JSON value, knowing where it sits; every error names that place.
class Reader {
  public:
    Reader(const json& value, std::string pointer, std::string_view source)
        : value_(value), pointer_(std::move(pointer)), source_(source) {}

    [[noreturn]] void fail(const std::string& problem) const {
        throw ParseError(std::string(source_), 0, 0, pointer_.empty() ? "/" : pointer_, problem);
    }

    const json& value() const { return value_; }

    /// This value must be an object whose keys are all in `allowed`.
    void expect_object(std::initializer_list<std::string_view> allowed) const {
        if (!value_.is_object()) fail("expected an object, found " + type_name(value_));
        for (const auto& [key, _] : value_.items()) {
            if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
            std::string list;
            for (auto k : allowed) list += (list.empty() ? "" : ", ") + std::string(k);
            Reader(value_[key], pointer_ + "/" + escape(key), source_)
                .fail("unknown key '" + key + "'; the keys allowed here are: " + list);
        }
    }

    bool has(std::string_view key) const { return value_.contains(key); }

    Reader operator[](std::string_view key) const {
        const std::string k(key);
        if (!value_.contains(k)) fail("missing required key '" + k + "'");
        return Reader(value_.at(k), pointer_ + "/" + escape(k), source_);
    }

    std::string string() const {
        if (!value_.is_string()) fail("expected a string, found " + type_name(value_));
        return value_.get<std::string>();
    }
    bool boolean() const {
        if (!value_.is_boolean()) fail("expected true or false, found " + type_name(value_));
        return value_.get<bool>();
    }
    long long integer() const {
        if (!value_.is_number_integer())
            fail("expected an integer, found " + type_name(value_));
        constexpr long long limit = 1'000'000'000;
        if ((value_.is_number_unsigned() && value_.get<unsigned long long>() > limit) ||
            (!value_.is_number_unsigned() &&
             (value_.get<long long>() > limit || value_.get<long long>() < -limit)))
            fail("integer out of range (at most " + std::to_string(limit) + " in magnitude)");
        return value_.get<long long>();
    }
    double number() const {
        if (!value_.is_number()) fail("expected a number, found " + type_name(value_));
        return value_.get<double>();
    }
    Date date() const {
        auto d = Date::parse(string());
        if (!d) fail("'" + value_.get<std::string>() + "' is not a date; write YYYY-MM-DD");
        return *d;
    }
    template <class F>
    void each(F&& f) const {
        if (!value_.is_array()) fail("expected an array, found " + type_name(value_));
        for (std::size_t i = 0; i < value_.size(); ++i)
            f(Reader(value_[i], pointer_ + "/" + std::to_string(i), source_));
    }
    std::vector<std::string> strings() const {
        std::vector<std::string> out;
        each([&](const Reader& r) { out.push_back(r.string()); });
        return out;
    }
    template <class Enum>
    Enum enumeration(std::optional<Enum> (*from_string)(std::string_view) noexcept,
                     std::initializer_list<std::string_view> names) const {
        const std::string text = string();
        if (auto v = from_string(text)) return *v;
        std::string list;
        for (auto n : names) list += (list.empty() ? "" : ", ") + std::string(n);
        fail("unknown value '" + text + "'; use one of: " + list);
    }

    // Optional fields: assign only when present.
    void optional_string(std::string_view key, std::string& out) const {
        if (has(key)) out = (*this)[key].string();
    }
    void optional_strings(std::string_view key, std::vector<std::string>& out) const {
        if (has(key)) out = (*this)[key].strings();
    }

  private:
    const json& value_;
    std::string pointer_;
    std::string_view source_;
};

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

Certification read_certification(const Reader& r) {
    r.expect_object({"code", "title", "level", "certifiers", "dates", "access_routes", "previous",
                     "next", "requirements"});
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
            c.access_routes.push_back(x.enumeration<AccessRoute>(
                access_route_from_string,
                {"student", "apprenticeship", "continuing_education",
                 "professionalisation_contract", "individual_application", "vae"}));
        });
    r.optional_strings("previous", c.previous);
    r.optional_strings("next", c.next);
    if (r.has("requirements"))
        r["requirements"].each([&](const Reader& x) { c.requirements.push_back(read_requirement(x)); });
    return c;
}

void read_nodes(const Reader& root, ReferentielBuilder& b) {
    root["blocs"].each([&](const Reader& r) {
        r.expect_object({"code", "title", "description", "optional", "option_group"});
        Bloc bloc{r["code"].string(), r["title"].string(), {}, false, {}};
        r.optional_string("description", bloc.description);
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
            r.expect_object({"blocs", "counterparts", "kind", "note"});
            Correspondence k{r["blocs"].strings(), r["counterparts"].strings(),
                             r["kind"].enumeration<CorrespondenceKind>(
                                 correspondence_kind_from_string, {"total", "partial"}),
                             {}};
            r.optional_string("note", k.note);
            b.add(std::move(k));
        });
}

/// 1-based line and column of a byte offset.
std::pair<std::size_t, std::size_t> line_column(std::string_view text, std::size_t offset) {
    offset = std::min(offset, text.size());
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < offset; ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
            ++column;  // count characters, not UTF-8 continuation bytes
        }
    }
    return {line, column};
}

}  // namespace

ReferentielBuilder parse_referentiel_json(std::string_view text, std::string_view source) {
    json document;
    DuplicateKeyFinder duplicates;
    try {
        document = json::parse(text, std::ref(duplicates));
    } catch (const json::parse_error& e) {
        // e.byte is the 1-based offset of the last byte read.
        auto [line, column] = line_column(text, e.byte == 0 ? 0 : e.byte - 1);
        std::string what = e.what();
        if (auto p = what.find(": "); p != std::string::npos) {
            // Drop nlohmann's "[json.exception.parse_error.101] parse error at line 1, column 2"
            // prefix: the place is given in our own terms.
            what = what.substr(p + 2);
        }
        throw ParseError(std::string(source), line, column, "",
                         "malformed JSON: " + what + "; fix the syntax at this place");
    } catch (const json::exception& e) {
        // e.g. a number too large for a double (found by fuzzing): no position is known.
        std::string what = e.what();
        if (auto p = what.find("] "); p != std::string::npos) what = what.substr(p + 2);
        throw ParseError(std::string(source), 0, 0, "", "malformed JSON: " + what);
    }

    if (const auto& d = duplicates.duplicate())
        throw ParseError(std::string(source), 0, 0, d->first,
                         "duplicate key '" + d->second + "'; a key may appear once in an object");
    const Reader root(document, "", source);
    if (!document.is_object()) root.fail("expected a référentiel object, found " + type_name(document));
    // Identify the document before judging its keys.
    if (root["format"].string() != format_name)
        root["format"].fail("this is not a certigraph référentiel; `format` must be \"" +
                            std::string(format_name) + "\"");
    root.expect_object({"format", "format_version", "certification", "blocs", "activities",
                        "competencies", "criteria", "epreuves", "correspondences"});
    const long long version = root["format_version"].integer();
    if (version < 1)
        root["format_version"].fail("format_version must be a positive integer");
    if (version > referentiel_json_version)
        root["format_version"].fail("format_version " + std::to_string(version) +
                                    " is newer than this certigraph reads (up to " +
                                    std::to_string(referentiel_json_version) +
                                    "); upgrade certigraph");

    ReferentielBuilder builder;
    builder.certification(read_certification(root["certification"]));
    read_nodes(root, builder);
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
    o["previous"] = c.previous;
    o["next"] = c.next;
    o["requirements"] = ordered_json::array();
    for (const auto& q : c.requirements) o["requirements"].push_back(write_requirement(q));
    return o;
}

}  // namespace

std::string referentiel_to_json(const Referentiel& ref) {
    ordered_json doc;
    doc["format"] = format_name;
    doc["format_version"] = referentiel_json_version;
    doc["certification"] = write_certification(ref.certification());

    doc["blocs"] = ordered_json::array();
    for (const auto& b : ref.blocs()) {
        ordered_json o{{"code", b.code}, {"title", b.title}};
        put_if(o, "description", b.description);
        o["optional"] = b.optional;
        put_if(o, "option_group", b.option_group);
        doc["blocs"].push_back(std::move(o));
    }
    doc["activities"] = ordered_json::array();
    for (const auto& a : ref.activities()) {
        ordered_json o{{"code", a.code}, {"title", a.title}};
        put_if(o, "description", a.description);
        put_if(o, "bloc", a.bloc);
        put_if(o, "parent", a.parent);
        if (!a.competencies.empty()) o["competencies"] = a.competencies;
        doc["activities"].push_back(std::move(o));
    }
    doc["competencies"] = ordered_json::array();
    for (const auto& c : ref.competencies()) {
        ordered_json o{{"code", c.code}, {"title", c.title}};
        put_if(o, "description", c.description);
        o["bloc"] = c.bloc;
        doc["competencies"].push_back(std::move(o));
    }
    doc["criteria"] = ordered_json::array();
    for (const auto& c : ref.criteria()) {
        ordered_json o{{"code", c.code}, {"title", c.title}};
        put_if(o, "description", c.description);
        o["competency"] = c.competency;
        doc["criteria"].push_back(std::move(o));
    }
    doc["epreuves"] = ordered_json::array();
    for (const auto& e : ref.epreuves()) {
        ordered_json o{{"code", e.code}, {"title", e.title}};
        put_if(o, "modality", e.modality);
        o["evaluates"] = e.evaluates;
        doc["epreuves"].push_back(std::move(o));
    }
    doc["correspondences"] = ordered_json::array();
    for (const auto& k : ref.correspondences()) {
        ordered_json o{{"blocs", k.blocs}, {"counterparts", k.counterparts},
                       {"kind", to_string(k.kind)}};
        put_if(o, "note", k.note);
        doc["correspondences"].push_back(std::move(o));
    }
    return doc.dump(2, ' ', false) + "\n";
}

}  // namespace certigraph::io
