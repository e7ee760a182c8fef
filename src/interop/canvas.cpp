// Canvas outcomes CSV (doc/api/outcomes_csv.md of canvas-lms): groups before
// outcomes, ratings as points/description pairs in strictly decreasing points.
#include <certigraph/error.hpp>
#include <certigraph/interop/lms.hpp>

#include "core/csv.hpp"
#include "interop/scales.hpp"
#include "interop/table.hpp"

#include <charconv>
#include <cmath>
#include <optional>
#include <unordered_map>

namespace certigraph::interop {

namespace {

using certigraph::detail::csv_field;

constexpr std::string_view columns[] = {"vendor_guid",    "object_type",  "title",         "description",
                                        "display_name",   "calculation_method", "calculation_int",
                                        "workflow_state", "parent_guids", "mastery_points", "ratings"};

std::string guid(const std::string& fiche, const std::string& code) {
    if (code.find_first_of(" \t\r\n") != std::string::npos)
        throw Error("code '" + code + "' holds a space, which Canvas refuses in vendor_guid; rename it");
    return fiche + "/" + code;
}

std::optional<double> number(std::string_view s) {
    double v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

}  // namespace

std::string referentiel_to_canvas_csv(const Referentiel& ref, const Policy* policy) {
    const std::string fiche = guid("", ref.certification().code).substr(1);
    // The outcomes first, to know how many rating columns the header needs.
    struct Outcome {
        std::string guid, title, description, code, parent;
        std::string mastery;
        std::vector<detail::Level> ratings;
    };
    std::vector<Outcome> outcomes;
    std::string groups;
    std::size_t most = 0;
    auto outcome = [&](const std::string& code, const std::string& title, const std::string& description,
                       const std::string& parent, std::string_view competency, std::string_view bloc) {
        Outcome o{guid(fiche, code), title, description, code, parent, {}, {}};
        if (policy) {
            const Scale scale = detail::scale_for(*policy, code);
            const double threshold = detail::threshold_for(*policy, scale, code, competency, bloc);
            for (double v : {scale.lowest(), scale.highest(), threshold})
                if (std::floor(v) != v)
                    throw Error("the scale of '" + code + "' has the value " + detail::number_text(v) +
                                "; Canvas ratings are whole points: use a scale with whole bounds and threshold");
            o.ratings = detail::levels_of(scale, threshold);
            o.mastery = detail::number_text(threshold);
            most = std::max(most, o.ratings.size());
        }
        outcomes.push_back(std::move(o));
    };
    auto group = [&](const std::string& g, const std::string& title, const std::string& description,
                     const std::string& parent) {
        groups += detail::csv_line({csv_field(g), "group", csv_field(detail::one_line(title)),
                                    csv_field(detail::title_and_description_html(title, description)), "", "", "",
                                    "active", csv_field(parent), "", ""});
    };
    group(fiche, ref.certification().title, {}, "");
    for (std::size_t b = 0; b < ref.blocs().size(); ++b) {
        const Bloc& bloc = ref.blocs()[b];
        const std::string bg = guid(fiche, bloc.code);
        group(bg, bloc.title, bloc.description, fiche);
        for (Index c : ref.competencies_of_bloc(static_cast<Index>(b))) {
            const Competency& comp = ref.competencies()[c];
            if (ref.criteria_of_competency(c).empty()) {
                outcome(comp.code, comp.title, comp.description, bg, comp.code, bloc.code);
                continue;
            }
            const std::string cg = guid(fiche, comp.code);
            group(cg, comp.title, comp.description, bg);
            for (Index k : ref.criteria_of_competency(c)) {
                const Criterion& crit = ref.criteria()[k];
                outcome(crit.code, crit.title, crit.description, cg, comp.code, bloc.code);
            }
        }
    }
    // The header names the ratings column once, then leaves the pairs' columns unnamed;
    // every row has the same number of cells.
    const std::size_t width = std::size(columns) + (most ? 2 * most - 1 : 0);
    auto pad = [width](std::vector<std::string> cells) {
        cells.resize(width);
        return detail::csv_line(cells);
    };
    std::string out = pad(std::vector<std::string>(std::begin(columns), std::end(columns)));
    // Group rows were written with 11 cells; widen them.
    std::size_t from = 0;
    while (from < groups.size()) {
        const std::size_t end = groups.find("\r\n", from);
        out += groups.substr(from, end - from) + std::string(width - std::size(columns), ',') + "\r\n";
        from = end + 2;
    }
    for (const Outcome& o : outcomes) {
        std::vector<std::string> cells = {csv_field(o.guid),  "outcome", csv_field(detail::one_line(o.title)),
                                          csv_field(detail::title_and_description_html(o.title, o.description)),
                                          csv_field(o.code),  o.ratings.empty() ? "" : "latest", "", "active",
                                          csv_field(o.parent), o.mastery};
        for (const auto& r : o.ratings) {
            cells.push_back(detail::number_text(r.score));
            cells.push_back(csv_field(r.label));
        }
        if (o.ratings.empty()) cells.push_back("");
        out += pad(std::move(cells));
    }
    return out;
}

ReferentielBuilder parse_canvas_csv(std::string_view text, std::string_view source, const CanvasImportOptions& options) {
    const std::vector<detail::Record> records = detail::read_csv(text, source);
    if (records.empty())
        throw ParseError(std::string(source), 1, 1, {},
                         "empty file; a Canvas outcomes CSV starts with a header row (vendor_guid, object_type, ...)");
    const detail::Record& header = records[0];
    std::unordered_map<std::string, std::size_t> column;
    std::optional<std::size_t> ratings;
    for (std::size_t i = 0; i < header.cells.size(); ++i) {
        const std::string& name = header.cells[i].text;
        if (ratings) {
            if (!name.empty())
                detail::fail_at(source, header.cells[i],
                                "column '" + name + "' after 'ratings'; only rating columns may follow it");
            continue;
        }
        if (name == "ratings") {
            ratings = i;
            continue;
        }
        if (name.empty()) detail::fail_at(source, header.cells[i], "a column without a name; name it or remove it");
        if (!column.emplace(name, i).second)
            detail::fail_at(source, header.cells[i], "column '" + name + "' appears twice");
    }
    for (std::string_view required : {"vendor_guid", "object_type", "title"})
        if (!column.count(std::string(required)))
            detail::fail_at(source, header.cells.front(),
                            "the header has no '" + std::string(required) + "' column (required by Canvas)");
    auto at = [&](const detail::Record& r, std::string_view name) -> detail::Cell {
        const auto it = column.find(std::string(name));
        if (it == column.end()) return {{}, r.line, 1};
        if (it->second < r.cells.size()) return r.cells[it->second];
        return {{}, r.line, r.cells.empty() ? 1 : r.cells.back().column + 1};
    };

    struct Row {
        const detail::Record* record;
        bool group;
        std::string guid, title, description, code;
        std::optional<std::size_t> parent;  ///< a group row
        std::vector<std::size_t> children;
        int depth = 0;
    };
    std::vector<Row> rows;
    std::unordered_map<std::string, std::size_t> by_guid;
    for (std::size_t i = 1; i < records.size(); ++i) {
        const detail::Record& r = records[i];
        Row row{&r, false, at(r, "vendor_guid").text, {}, {}, {}, {}, {}, 0};
        const detail::Cell type = at(r, "object_type");
        if (type.text == "group") row.group = true;
        else if (type.text != "outcome")
            detail::fail_at(source, type, "object_type '" + type.text + "' is neither 'outcome' nor 'group'");
        if (row.guid.empty()) detail::fail_at(source, at(r, "vendor_guid"), "a row without a vendor_guid");
        if (row.guid.find(' ') != std::string::npos)
            detail::fail_at(source, at(r, "vendor_guid"), "vendor_guid '" + row.guid + "' holds a space; Canvas refuses it");
        if (at(r, "workflow_state").text == "deleted") continue;
        const std::string& state = at(r, "workflow_state").text;
        if (!state.empty() && state != "active")
            detail::fail_at(source, at(r, "workflow_state"), "workflow_state '" + state + "' is neither active nor deleted");
        const std::string title = at(r, "title").text;
        if (title.empty()) detail::fail_at(source, at(r, "title"), "'" + row.guid + "' has no title");
        std::tie(row.title, row.description) =
            detail::title_and_description(title, at(r, "description").text, true);
        row.code = at(r, "display_name").text;
        // Parents: earlier group rows (the first one places the row).
        const detail::Cell parents = at(r, "parent_guids");
        std::size_t from = 0;
        const std::string& p = parents.text;
        while (from < p.size()) {
            const std::size_t to = std::min(p.find(' ', from), p.size());
            const std::string g = p.substr(from, to - from);
            from = to + 1;
            if (g.empty()) continue;
            const auto it = by_guid.find(g);
            if (it == by_guid.end() || !rows[it->second].group)
                detail::fail_at(source, parents,
                                "parent '" + g + "' is not a group of an earlier row (groups come before what they hold)");
            if (!row.parent) row.parent = it->second;
        }
        const std::string& method = at(r, "calculation_method").text;
        if (row.group && !method.empty())
            detail::fail_at(source, at(r, "calculation_method"), "a group has no calculation_method; leave it empty");
        if (!method.empty() && method != "decaying_average" && method != "n_mastery" && method != "highest" &&
            method != "latest" && method != "average" && method != "weighted_average")
            detail::fail_at(source, at(r, "calculation_method"),
                            "calculation_method '" + method +
                                "' is not one of decaying_average, n_mastery, highest, latest, average");
        if (const detail::Cell m = at(r, "mastery_points"); !m.text.empty() && !number(m.text))
            detail::fail_at(source, m, "mastery_points '" + m.text + "' is not a number");
        // Ratings: points, description pairs in strictly decreasing points.
        if (ratings) {
            std::optional<double> previous;
            std::size_t last = r.cells.size();
            while (last > *ratings && r.cells[last - 1].text.empty()) --last;
            for (std::size_t c = *ratings; c < last; c += 2) {
                if (row.group) detail::fail_at(source, r.cells[c], "a group has no ratings; leave them empty");
                const auto v = number(r.cells[c].text);
                if (!v) detail::fail_at(source, r.cells[c], "rating points '" + r.cells[c].text + "' is not a number");
                if (previous && !(*v < *previous))
                    detail::fail_at(source, r.cells[c],
                                    "rating points " + r.cells[c].text + " do not decrease; list ratings from the most points down");
                if (c + 1 >= last || r.cells[c + 1].text.empty())
                    detail::fail_at(source, c + 1 < r.cells.size() ? r.cells[c + 1] : r.cells[c],
                                    "rating of " + r.cells[c].text + " points has no description");
                previous = v;
            }
        }
        if (const auto [it, fresh] = by_guid.emplace(row.guid, rows.size()); !fresh)
            detail::fail_at(source, at(r, "vendor_guid"),
                            "vendor_guid '" + row.guid + "' is already used on line " +
                                std::to_string(rows[it->second].record->line));
        rows.push_back(std::move(row));
    }
    for (std::size_t i = 0; i < rows.size(); ++i)
        if (rows[i].parent) rows[*rows[i].parent].children.push_back(i);

    std::vector<std::size_t> roots;
    for (std::size_t i = 0; i < rows.size(); ++i)
        if (!rows[i].parent) roots.push_back(i);
    Certification cert;
    std::vector<std::size_t> blocs;
    std::string prefix;
    if (roots.size() == 1 && rows[roots[0]].group) {
        const Row& root = rows[roots[0]];
        cert.code = root.code.empty() ? root.guid : root.code;
        cert.title = root.title;
        prefix = root.guid + "/";
        blocs = root.children;
    } else {
        if (options.certification_code.empty())
            throw ParseError(std::string(source), records[0].line, 1, {},
                             "several top-level rows and no certification code; give one (--fiche) or put "
                             "everything in one group");
        cert.code = options.certification_code;
        cert.title = options.certification_code;
        blocs = roots;
    }
    auto code_of = [&](const Row& row) {
        if (!row.code.empty()) return row.code;
        if (!prefix.empty() && row.guid.compare(0, prefix.size(), prefix) == 0) return row.guid.substr(prefix.size());
        return row.guid;
    };
    ReferentielBuilder builder;
    builder.certification(cert);
    for (std::size_t b : blocs) {
        const Row& bloc = rows[b];
        if (!bloc.group)
            detail::fail_at(source, *bloc.record,
                            "outcome '" + bloc.guid + "' sits at the bloc level; blocs are groups");
        builder.add(Bloc{.code = code_of(bloc), .title = bloc.title, .description = bloc.description});
        for (std::size_t c : bloc.children) {
            const Row& comp = rows[c];
            builder.add(Competency{.code = code_of(comp), .title = comp.title, .description = comp.description,
                                   .bloc = code_of(bloc)});
            if (!comp.group) continue;
            for (std::size_t k : comp.children) {
                const Row& crit = rows[k];
                if (crit.group)
                    detail::fail_at(source, *crit.record,
                                    "group '" + crit.guid +
                                        "' nests deeper than certification > bloc > competency; make it an outcome");
                builder.add(Criterion{.code = code_of(crit), .title = crit.title, .description = crit.description,
                                      .competency = code_of(comp)});
            }
        }
    }
    return builder;
}

}  // namespace certigraph::interop
