// Moodle's competency framework CSV (admin/tool/lpimportcsv): the 14 columns in
// Moodle's order, one framework row, parents before children.
#include <certigraph/error.hpp>
#include <certigraph/interop/lms.hpp>

#include "core/csv.hpp"
#include "interop/scales.hpp"
#include "interop/table.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <map>
#include <optional>
#include <unordered_map>

namespace certigraph::interop {

namespace {

using certigraph::detail::csv_field;
using ordered_json = nlohmann::ordered_json;

constexpr std::size_t shortname_limit = 100;  // Moodle cuts shortnames and id numbers to 100 characters
constexpr std::string_view rule_all = "core_competency\\competency_rule_all";
constexpr std::string_view rule_points = "core_competency\\competency_rule_points";
constexpr int outcome_complete = 2;  // core_competency\competency::OUTCOME_COMPLETE

/// Moodle's scale items (lowest first) and its configuration for a policy scale:
/// the default item is the first proficient one.
std::pair<std::string, std::string> moodle_scale(const Scale& scale) {
    std::vector<std::string> items;
    std::size_t first_proficient = 1;  // 0-based index
    switch (scale.kind) {
        case ScaleKind::binary:
            items = scale.labels.size() == 2 ? scale.labels : std::vector<std::string>{"non acquis", "acquis"};
            first_proficient = 1;
            break;
        case ScaleKind::ordinal:
            items = scale.labels;
            first_proficient = scale.proficiency ? scale.proficiency - 1 : 0;
            break;
        case ScaleKind::numeric: {
            const bool whole = std::floor(scale.min) == scale.min && std::floor(scale.max) == scale.max &&
                               (scale.step == 0 || scale.step == 1) && scale.max - scale.min <= 100;
            if (!whole) {
                items = {"non acquis", "acquis"};
                first_proficient = 1;
                break;
            }
            for (double v = scale.min; v <= scale.max; v += 1) {
                items.push_back(detail::number_text(v));
                if (v < scale.pass_mark) first_proficient = items.size();
            }
            break;
        }
    }
    std::string values;
    for (const auto& item : items) {
        std::string escaped = item;  // Moodle splits scale items on commas
        for (std::size_t at; (at = escaped.find(',')) != std::string::npos;) escaped.replace(at, 1, ";");
        values += (values.empty() ? "" : ",") + escaped;
    }
    ordered_json config = ordered_json::array();
    config.push_back({{"scaleid", "0"}});
    for (std::size_t i = first_proficient; i < items.size(); ++i)
        config.push_back({{"id", i + 1}, {"scaledefault", i == first_proficient ? 1 : 0}, {"proficient", 1}});
    return {values, config.dump()};
}

struct MoodleRule {
    std::string type, outcome = "0", config = "null";
};

/// Moodle's rule for a rule of the policy over `children` (codes), or none.
MoodleRule moodle_rule(const Rule& rule, const std::vector<std::string>& children,
                       const std::map<std::string, long long>& exported) {
    MoodleRule out;
    if (rule.over_criteria || children.empty()) return out;
    auto whole = [](double v) { return std::floor(v) == v && v >= 0 && v < 1e9; };
    auto points = [&](const std::vector<long long>& each, const std::vector<bool>& required, long long base) {
        long long total = 0;
        for (auto p : each) total += p;
        if (base < 1 || base > total) return;
        ordered_json competencies = ordered_json::array();
        for (std::size_t i = 0; i < children.size(); ++i)
            competencies.push_back(
                {{"id", exported.at(children[i])}, {"points", each[i]}, {"required", required[i] ? 1 : 0}});
        out.type = rule_points;
        out.outcome = std::to_string(outcome_complete);
        out.config = ordered_json{{"base", {{"points", base}}}, {"competencies", std::move(competencies)}}.dump();
    };
    switch (rule.kind) {
        case RuleKind::all:
            out.type = rule_all;
            out.outcome = std::to_string(outcome_complete);
            break;
        case RuleKind::at_least:
            points(std::vector<long long>(children.size(), 1), std::vector<bool>(children.size(), false),
                   static_cast<long long>(rule.k));
            break;
        case RuleKind::points: {
            std::vector<long long> each;
            std::vector<bool> required;
            for (const auto& c : children) {
                const auto it = rule.points.find(c);
                const double p = it == rule.points.end() ? 1.0 : it->second;
                if (!whole(p)) return out;
                each.push_back(static_cast<long long>(p));
                required.push_back(std::find(rule.required.begin(), rule.required.end(), c) != rule.required.end());
            }
            if (!whole(rule.minimum)) return out;
            points(each, required, static_cast<long long>(rule.minimum));
            break;
        }
        case RuleKind::weighted_mean: break;  // Moodle has no such rule
    }
    return out;
}

const Rule& rule_of(const std::map<std::string, Rule>& overrides, const Rule& fallback, const std::string& code) {
    const auto it = overrides.find(code);
    return it == overrides.end() ? fallback : it->second;
}

}  // namespace

std::string referentiel_to_moodle_csv(const Referentiel& ref, const Policy* policy) {
    const Certification& cert = ref.certification();
    std::string out;
    {
        std::vector<std::string> header;
        for (auto c : moodle_columns) header.push_back(csv_field(c));
        out += detail::csv_line(header);
    }
    Scale scale = Scale::binary();
    if (policy)
        if (auto it = policy->scales.find(policy->default_scale); it != policy->scales.end()) scale = it->second;
    const auto [scale_values, scale_config] = moodle_scale(scale);
    out += detail::csv_line({"", csv_field(cert.code), csv_field(detail::truncate_chars(detail::one_line(cert.title), shortname_limit)),
                             csv_field(detail::title_and_description_html(cert.title, {})), "1",
                             csv_field(scale_values), csv_field(scale_config), "", "", "", "", "", "1",
                             csv_field("domain,competency,indicator")});

    // Exported ids: the rows' numbers, in row order.
    std::map<std::string, long long> exported;
    long long next = 0;
    for (std::size_t b = 0; b < ref.blocs().size(); ++b) {
        exported[ref.blocs()[b].code] = ++next;
        for (Index c : ref.competencies_of_bloc(static_cast<Index>(b))) {
            exported[ref.competencies()[c].code] = ++next;
            for (Index k : ref.criteria_of_competency(c)) exported[ref.criteria()[k].code] = ++next;
        }
    }
    auto row = [&](const std::string& parent, const std::string& code, const std::string& title,
                   const std::string& description, const MoodleRule& rule) {
        out += detail::csv_line({csv_field(parent), csv_field(code),
                                 csv_field(detail::truncate_chars(detail::one_line(title), shortname_limit)),
                                 csv_field(detail::title_and_description_html(title, description)), "1", "", "",
                                 csv_field(rule.type), rule.outcome, csv_field(rule.config), "",
                                 std::to_string(exported.at(code)), "", ""});
    };
    for (std::size_t b = 0; b < ref.blocs().size(); ++b) {
        const Bloc& bloc = ref.blocs()[b];
        std::vector<std::string> children;
        for (Index c : ref.competencies_of_bloc(static_cast<Index>(b))) children.push_back(ref.competencies()[c].code);
        MoodleRule rule;
        if (policy) rule = moodle_rule(rule_of(policy->bloc_rules, policy->bloc_rule, bloc.code), children, exported);
        row("", bloc.code, bloc.title, bloc.description, rule);
        for (Index c : ref.competencies_of_bloc(static_cast<Index>(b))) {
            const Competency& comp = ref.competencies()[c];
            std::vector<std::string> criteria;
            for (Index k : ref.criteria_of_competency(c)) criteria.push_back(ref.criteria()[k].code);
            MoodleRule crule;
            if (policy)
                crule = moodle_rule(rule_of(policy->competency_rules, policy->competency_rule, comp.code), criteria,
                                    exported);
            row(bloc.code, comp.code, comp.title, comp.description, crule);
            for (Index k : ref.criteria_of_competency(c)) {
                const Criterion& crit = ref.criteria()[k];
                row(comp.code, crit.code, crit.title, crit.description, {});
            }
        }
    }
    return out;
}

ReferentielBuilder parse_moodle_csv(std::string_view text, std::string_view source) {
    const std::vector<detail::Record> records = detail::read_csv(text, source);
    if (records.empty())
        throw ParseError(std::string(source), 1, 1, {},
                         "empty file; a Moodle competency framework CSV starts with the 14 column names");
    const detail::Record& header = records[0];
    for (std::size_t i = 0; i < std::size(moodle_columns); ++i) {
        auto lower = [](std::string s) {
            for (char& c : s)
                if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
            return s;
        };
        if (i >= header.cells.size())
            detail::fail_at(source, header.cells.back(),
                            "the header has " + std::to_string(header.cells.size()) +
                                " columns; Moodle's framework CSV has 14, the next one is '" +
                                std::string(moodle_columns[i]) + "'");
        if (lower(header.cells[i].text) != lower(std::string(moodle_columns[i])))
            detail::fail_at(source, header.cells[i],
                            "column " + std::to_string(i + 1) + " is '" + header.cells[i].text + "'; Moodle's is '" +
                                std::string(moodle_columns[i]) + "' (the 14 columns come in Moodle's order)");
    }

    struct Node {
        const detail::Record* record;
        std::string code, title, description, parent;
        std::vector<std::size_t> children;
        int depth = 0;
    };
    auto cell_of = [](const detail::Record& r, std::size_t i) -> detail::Cell {
        if (i < r.cells.size()) return r.cells[i];
        return {{}, r.line, 1};
    };
    auto truthy = [](const std::string& s) { return !s.empty() && s != "0" && s != "false"; };
    auto describe = [](const detail::Record& r) {
        const std::string& format = r.text(4);
        return detail::title_and_description(r.text(2), r.text(3), format.empty() || format == "1");
    };

    const detail::Record* framework = nullptr;
    std::vector<Node> nodes;
    std::unordered_map<std::string, std::size_t> by_code;
    for (std::size_t i = 1; i < records.size(); ++i) {
        const detail::Record& r = records[i];
        if (r.cells.size() > std::size(moodle_columns))
            detail::fail_at(source, r.cells[std::size(moodle_columns)],
                            "this row has " + std::to_string(r.cells.size()) +
                                " cells; Moodle's framework CSV has 14 (quote cells holding commas)");
        if (!r.text(9).empty() && r.text(9) != "null" &&
            !nlohmann::json::accept(r.text(9)))
            detail::fail_at(source, cell_of(r, 9), "the rule config is not JSON; write the rule's JSON or null");
        if (!r.text(8).empty()) {
            const std::string& o = r.text(8);
            if (o.size() != 1 || o[0] < '0' || o[0] > '3')
                detail::fail_at(source, cell_of(r, 8), "rule outcome '" + o + "' is not 0, 1, 2 or 3");
        }
        if (truthy(r.text(12))) {
            if (framework)
                detail::fail_at(source, cell_of(r, 12),
                                "a second framework row (the first is on line " + std::to_string(framework->line) +
                                    "); a file holds one framework");
            framework = &r;
            if (r.text(1).empty())
                detail::fail_at(source, cell_of(r, 1), "the framework row has no id number; write the fiche's code");
            continue;
        }
        Node node{&r, r.text(1), {}, {}, r.text(0), {}, 0};
        if (node.code.empty())
            detail::fail_at(source, cell_of(r, 1), "a competency without an id number; give every row its code");
        if (r.text(2).empty())
            detail::fail_at(source, cell_of(r, 2), "competency '" + node.code + "' has no shortname; write its title");
        std::tie(node.title, node.description) = describe(r);
        if (const auto [it, fresh] = by_code.emplace(node.code, nodes.size()); !fresh)
            detail::fail_at(source, cell_of(r, 1),
                            "id number '" + node.code + "' is already used on line " +
                                std::to_string(nodes[it->second].record->line) + "; id numbers must be unique");
        nodes.push_back(std::move(node));
    }
    if (!framework)
        throw ParseError(std::string(source), records[0].line, 1, {},
                         "no framework row; one row must have 'Is framework' = 1 (it is the certification)");

    std::vector<std::size_t> roots;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        Node& n = nodes[i];
        if (n.parent.empty()) {
            roots.push_back(i);
            continue;
        }
        const auto p = by_code.find(n.parent);
        if (p == by_code.end())
            detail::fail_at(source, cell_of(*n.record, 0),
                            "parent id number '" + n.parent + "' names no competency of this file");
        nodes[p->second].children.push_back(i);
    }
    // Depth-first from the top, in file order; a row never reached is in a cycle.
    std::vector<std::size_t> order, stack(roots.rbegin(), roots.rend());
    for (std::size_t r : roots) nodes[r].depth = 1;
    while (!stack.empty()) {
        const std::size_t i = stack.back();
        stack.pop_back();
        order.push_back(i);
        for (auto it = nodes[i].children.rbegin(); it != nodes[i].children.rend(); ++it) {
            nodes[*it].depth = nodes[i].depth + 1;
            stack.push_back(*it);
        }
    }
    for (const Node& n : nodes)
        if (n.depth == 0)
            detail::fail_at(source, cell_of(*n.record, 0),
                            "competency '" + n.code + "' descends from itself through its parents; break the cycle");

    ReferentielBuilder builder;
    Certification cert;
    cert.code = framework->text(1);
    cert.title = describe(*framework).first;
    builder.certification(cert);
    auto ancestor = [&](std::size_t i, int depth) {
        std::size_t a = i;
        while (nodes[a].depth > depth) a = by_code.at(nodes[a].parent);
        return nodes[a].code;
    };
    for (std::size_t i : order) {
        const Node& n = nodes[i];
        if (n.depth == 1) builder.add(Bloc{.code = n.code, .title = n.title, .description = n.description});
        else if (n.depth == 2)
            builder.add(Competency{.code = n.code, .title = n.title, .description = n.description, .bloc = n.parent});
        else
            builder.add(Criterion{.code = n.code, .title = n.title, .description = n.description,
                                  .competency = ancestor(i, 2)});
    }
    return builder;
}

}  // namespace certigraph::interop
