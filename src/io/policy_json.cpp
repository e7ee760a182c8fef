// certigraph's policy JSON (docs/grading.md): strict reader, canonical writer.
#include <certigraph/error.hpp>
#include <certigraph/grading/policy.hpp>
#include <certigraph/io/file.hpp>

#include "io/json_reader.hpp"

#include <cctype>
#include <iterator>

namespace certigraph::io {

namespace {

using detail::json;
using detail::Reader;
using ordered_json = nlohmann::ordered_json;

constexpr std::string_view format_name = "certigraph/policy";

/// A scale's labels must each name one level: not empty, not `absent` or `exempt`
/// (the words for no mark), and distinct as evaluations are matched (trimmed,
/// case-insensitive): otherwise a mark would be read as the wrong level.
void check_labels(const Reader& r, const std::vector<std::string>& labels) {
    auto key = [](const std::string& label) {
        const auto first = label.find_first_not_of(" \t");
        std::string k = first == std::string::npos ? "" : label.substr(first, label.find_last_not_of(" \t") - first + 1);
        for (char& c : k) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return k;
    };
    for (std::size_t i = 0; i < labels.size(); ++i) {
        const std::string k = key(labels[i]);
        const Reader at = r.at(i);
        if (k.empty()) at.fail("a label may not be empty; name the level");
        if (k == "absent" || k == "exempt")
            at.fail("'" + labels[i] + "' is the word for no mark in evaluation files; choose another label");
        for (std::size_t j = 0; j < i; ++j)
            if (key(labels[j]) == k)
                at.fail("label '" + labels[i] + "' repeats label " + std::to_string(j + 1) + " ('" + labels[j] +
                        "'); labels are matched ignoring case and spaces, so each must differ");
    }
}

Scale read_scale(const Reader& r) {
    if (!r.value().is_object()) r.fail("expected a scale object, found " + detail::type_name(r.value()));
    Scale s;
    s.kind = r["kind"].enumeration<ScaleKind>(scale_kind_from_string, {"binary", "ordinal", "numeric"});
    // Only the keys of its kind: a pass mark on a binary scale would be ignored.
    switch (s.kind) {
        case ScaleKind::numeric: r.expect_object({"kind", "min", "max", "pass_mark", "step"}); break;
        case ScaleKind::binary: r.expect_object({"kind", "labels"}); break;
        case ScaleKind::ordinal: r.expect_object({"kind", "labels", "proficiency"}); break;
    }
    switch (s.kind) {
        case ScaleKind::numeric:
            s.min = r["min"].number();
            s.max = r["max"].number();
            s.pass_mark = r["pass_mark"].number();
            if (r.has("step")) s.step = r["step"].number();
            if (!(s.min < s.max)) r["max"].fail("max must be greater than min");
            if (s.pass_mark < s.min || s.pass_mark > s.max)
                r["pass_mark"].fail("the pass mark must lie between min and max");
            if (s.step < 0) r["step"].fail("step must be positive (or 0 for any value)");
            break;
        case ScaleKind::binary:
            if (r.has("labels")) {
                s.labels = r["labels"].strings();
                if (s.labels.size() != 2)
                    r["labels"].fail("a binary scale has two labels: [not met, met]");
                check_labels(r["labels"], s.labels);
            }
            break;
        case ScaleKind::ordinal: {
            s.labels = r["labels"].strings();
            if (s.labels.size() < 2) r["labels"].fail("an ordinal scale needs at least two levels");
            check_labels(r["labels"], s.labels);
            const Reader p = r["proficiency"];
            if (p.value().is_string()) {
                const auto name = p.string();
                auto it = std::find(s.labels.begin(), s.labels.end(), name);
                if (it == s.labels.end()) p.fail("'" + name + "' is not one of the scale's labels");
                s.proficiency = static_cast<unsigned>(it - s.labels.begin() + 1);
            } else {
                const long long level = p.integer();
                if (level < 1 || level > static_cast<long long>(s.labels.size()))
                    p.fail("proficiency must be a level from 1 to " + std::to_string(s.labels.size()));
                s.proficiency = static_cast<unsigned>(level);
            }
            break;
        }
    }
    return s;
}

std::map<std::string, double> read_numbers(const Reader& r) {
    if (!r.value().is_object()) r.fail("expected an object of code: number, found " + detail::type_name(r.value()));
    std::map<std::string, double> out;
    for (const auto& [key, _] : r.value().items()) {
        out[key] = r[key].number();
        if (!(out[key] >= 0)) r[key].fail("must be >= 0");
    }
    return out;
}

Rule read_rule(const Reader& r, bool bloc_level) {
    Rule rule;
    rule.kind = r["rule"].enumeration<RuleKind>(rule_kind_from_string,
                                                {"all", "at_least", "points", "weighted_mean"});
    switch (rule.kind) {
        case RuleKind::all:
            r.expect_object({"rule", "over"});
            break;
        case RuleKind::at_least: {
            r.expect_object({"rule", "over", "k"});
            const long long k = r["k"].integer();
            if (k < 1) r["k"].fail("k must be at least 1");
            rule.k = static_cast<unsigned>(k);
            break;
        }
        case RuleKind::points:
            r.expect_object({"rule", "over", "points", "required", "minimum"});
            if (r.has("points")) rule.points = read_numbers(r["points"]);
            r.optional_strings("required", rule.required);
            rule.minimum = r["minimum"].number();
            break;
        case RuleKind::weighted_mean:
            r.expect_object({"rule", "over", "weights", "threshold", "floor"});
            if (r.has("weights")) rule.weights = read_numbers(r["weights"]);
            for (const auto& [code, w] : rule.weights)
                if (!(w >= 0)) r["weights"][code].fail("weights must be >= 0");
            rule.threshold = r["threshold"].number();
            if (r.has("floor")) rule.floor = r["floor"].number();
            break;
    }
    if (r.has("over")) {
        const auto over = r["over"].string();
        if (!bloc_level) r["over"].fail("`over` applies to bloc rules only");
        if (over != "criteria" && over != "competencies")
            r["over"].fail("unknown value '" + over + "'; use one of: competencies, criteria");
        rule.over_criteria = over == "criteria";
    }
    return rule;
}

template <class T, class F>
std::map<std::string, T> read_map(const Reader& r, F&& read) {
    if (!r.value().is_object()) r.fail("expected an object keyed by code, found " + detail::type_name(r.value()));
    std::map<std::string, T> out;
    for (const auto& [key, _] : r.value().items()) out.emplace(key, read(r[key]));
    return out;
}

ordered_json write_scale(const Scale& s) {
    ordered_json o{{"kind", to_string(s.kind)}};
    switch (s.kind) {
        case ScaleKind::numeric:
            o["min"] = s.min;
            o["max"] = s.max;
            o["pass_mark"] = s.pass_mark;
            if (s.step != 0) o["step"] = s.step;
            break;
        case ScaleKind::binary:
            if (!s.labels.empty()) o["labels"] = s.labels;
            break;
        case ScaleKind::ordinal:
            o["labels"] = s.labels;
            o["proficiency"] = s.proficiency;
            break;
    }
    return o;
}

ordered_json write_rule(const Rule& r) {
    ordered_json o{{"rule", to_string(r.kind)}};
    if (r.over_criteria) o["over"] = "criteria";
    switch (r.kind) {
        case RuleKind::all: break;
        case RuleKind::at_least: o["k"] = r.k; break;
        case RuleKind::points:
            o["points"] = r.points;
            o["required"] = r.required;
            o["minimum"] = r.minimum;
            break;
        case RuleKind::weighted_mean:
            o["weights"] = r.weights;
            o["threshold"] = r.threshold;
            if (r.floor) o["floor"] = *r.floor;
            break;
    }
    return o;
}

}  // namespace

Policy policy_from_json(std::string_view text, std::string_view source) {
    const json document = detail::parse_strict(text, source);
    const Reader root(document, "", source);
    detail::check_format(root, format_name, "policy", policy_json_version);
    root.expect_object({"format", "format_version", "referentiel", "scales", "default_scale",
                        "scale_of", "thresholds", "aggregation", "aggregation_of", "min_jurors",
                        "president", "competency_rule", "competency_rules", "bloc_rule",
                        "bloc_rules", "compensation"});
    Policy p;
    p.referentiel = root["referentiel"].string();
    p.scales = read_map<Scale>(root["scales"], read_scale);
    if (p.scales.empty()) root["scales"].fail("declare at least one scale");
    p.default_scale = root["default_scale"].string();
    if (!p.scales.count(p.default_scale))
        root["default_scale"].fail("'" + p.default_scale + "' is not one of the declared scales");
    if (root.has("scale_of"))
        p.scale_of = read_map<std::string>(root["scale_of"], [&](const Reader& r) {
            auto name = r.string();
            if (!p.scales.count(name)) r.fail("'" + name + "' is not one of the declared scales");
            return name;
        });
    if (root.has("thresholds")) p.thresholds = read_numbers(root["thresholds"]);
    const std::initializer_list<std::string_view> aggregations{"mean",     "median",    "min",
                                                               "majority", "president", "collegial"};
    if (root.has("aggregation"))
        p.aggregation = root["aggregation"].enumeration<Aggregation>(aggregation_from_string, aggregations);
    if (root.has("aggregation_of"))
        p.aggregation_of = read_map<Aggregation>(root["aggregation_of"], [&](const Reader& r) {
            return r.enumeration<Aggregation>(aggregation_from_string, aggregations);
        });
    if (root.has("min_jurors")) {
        const long long m = root["min_jurors"].integer();
        if (m < 1) root["min_jurors"].fail("min_jurors must be at least 1");
        p.min_jurors = static_cast<unsigned>(m);
    }
    root.optional_string("president", p.president);
    if (root.has("competency_rule")) p.competency_rule = read_rule(root["competency_rule"], false);
    if (root.has("competency_rules"))
        p.competency_rules =
            read_map<Rule>(root["competency_rules"], [](const Reader& r) { return read_rule(r, false); });
    if (root.has("bloc_rule")) p.bloc_rule = read_rule(root["bloc_rule"], true);
    if (root.has("bloc_rules"))
        p.bloc_rules = read_map<Rule>(root["bloc_rules"], [](const Reader& r) { return read_rule(r, true); });
    root.optional_strings("compensation", p.compensation);
    return p;
}

Policy load_policy(const std::string& path) {
    return policy_from_json(read_input(path), path);
}

std::string policy_to_json(const Policy& p) {
    ordered_json doc;
    doc["format"] = format_name;
    doc["format_version"] = policy_json_version;
    doc["referentiel"] = p.referentiel;
    doc["scales"] = ordered_json::object();
    for (const auto& [name, s] : p.scales) doc["scales"][name] = write_scale(s);
    doc["default_scale"] = p.default_scale;
    doc["scale_of"] = p.scale_of;
    doc["thresholds"] = p.thresholds;
    doc["aggregation"] = to_string(p.aggregation);
    doc["aggregation_of"] = ordered_json::object();
    for (const auto& [code, a] : p.aggregation_of) doc["aggregation_of"][code] = to_string(a);
    doc["min_jurors"] = p.min_jurors;
    doc["president"] = p.president;
    doc["competency_rule"] = write_rule(p.competency_rule);
    doc["competency_rules"] = ordered_json::object();
    for (const auto& [code, r] : p.competency_rules) doc["competency_rules"][code] = write_rule(r);
    doc["bloc_rule"] = write_rule(p.bloc_rule);
    doc["bloc_rules"] = ordered_json::object();
    for (const auto& [code, r] : p.bloc_rules) doc["bloc_rules"][code] = write_rule(r);
    doc["compensation"] = p.compensation;
    return doc.dump(2, ' ', false) + "\n";
}

}  // namespace certigraph::io
