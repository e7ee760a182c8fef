// EventTable::from_json_lines: a JSON-lines file read line by line into columns (by
// the canonical layout, else the fast reader, else the strict one), then the rows
// grouped by candidate. Lines of candidates the columns cannot describe are read
// again, by offset, as events.
#include <certigraph/ledger/event_table.hpp>

#include <certigraph/error.hpp>

#include "ledger/event_json.hpp"
#include "ledger/event_table_build.hpp"

#include <algorithm>
#include <fstream>
#include <numeric>
#include <unordered_map>

namespace certigraph::ledger {

namespace {

/// The line's event into `event` (its strings' capacity reused, line after line).
/// @throws ParseError at `path:number:column`, as `ledger import` names it
void read_line(std::string_view line, const std::string& path, std::size_t number, Event& event) {
    if (detail::read_canonical_line(line, event)) return;
    try {  // the fast reader, else the strict one
        event = event_from_json(line, path);
    } catch (const ParseError& e) {
        throw ParseError(path, number, e.column(), e.pointer(), e.problem());
    }
}

template <class T>
void permute(std::vector<T>& column, const std::vector<std::uint32_t>& order) {
    std::vector<T> out(column.size());
    for (std::size_t i = 0; i < order.size(); ++i) out[i] = column[order[i]];
    column.swap(out);
}

}  // namespace

EventTable EventTable::from_json_lines(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path.string() + ": cannot be read");
    detail::TableBuilder builder;
    std::unordered_map<std::string, std::uint32_t> candidate_code;
    std::vector<std::string> names;           // by code
    std::vector<std::uint8_t> needs_objects;  // by code
    std::vector<std::uint32_t> row_candidate;  // by row
    std::vector<std::uint64_t> row_offset;    // by row: where its line starts
    std::string line;
    Event e;  // each line's, its strings reused
    std::size_t number = 0;
    std::uint64_t offset = 0;
    while (std::getline(in, line)) {
        ++number;
        const std::uint64_t at = offset;
        offset += line.size() + 1;
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        read_line(line, path.string(), number, e);
        const auto [it, added] = candidate_code.try_emplace(e.candidate, static_cast<std::uint32_t>(names.size()));
        if (added) names.push_back(e.candidate), needs_objects.push_back(0);
        builder.add(e);
        row_candidate.push_back(it->second);
        row_offset.push_back(at);
        if (detail::TableBuilder::needs_object(e.kind())) needs_objects[it->second] = 1;
    }
    candidate_code.clear();
    // Candidates sorted; rows grouped by candidate, in file order within each.
    std::vector<std::uint32_t> by_name(names.size());
    std::iota(by_name.begin(), by_name.end(), 0u);
    std::sort(by_name.begin(), by_name.end(), [&](std::uint32_t a, std::uint32_t b) { return names[a] < names[b]; });
    std::vector<std::uint32_t> rank(names.size());
    for (std::uint32_t k = 0; k < by_name.size(); ++k) rank[by_name[k]] = k;
    EventTable t = std::move(builder.table);
    t.first.assign(names.size() + 1, 0);
    for (const std::uint32_t c : row_candidate) ++t.first[rank[c] + 1];
    for (std::size_t k = 0; k < names.size(); ++k) t.first[k + 1] += t.first[k];
    std::vector<std::uint32_t> order(row_candidate.size());
    {
        std::vector<std::uint32_t> next(t.first.begin(), t.first.end() - 1);
        for (std::uint32_t r = 0; r < row_candidate.size(); ++r) order[next[rank[row_candidate[r]]]++] = r;
    }
    row_candidate.clear();
    row_candidate.shrink_to_fit();
    permute(t.kind, order), permute(t.day, order), permute(t.bloc, order), permute(t.outcome, order);
    permute(t.name, order), permute(t.value, order), permute(t.framework, order);
    permute(t.third_party, order), permute(t.start_day, order), permute(t.end_day, order);
    permute(row_offset, order);
    t.candidates.resize(names.size());
    for (std::uint32_t k = 0; k < by_name.size(); ++k) t.candidates[k] = std::move(names[by_name[k]]);
    // The candidates decided from their events: read their lines again.
    in.clear();
    for (std::uint32_t k = 0; k < t.candidates.size(); ++k) {
        if (!needs_objects[by_name[k]] && !detail::TableBuilder::attribute_conflict(t, t.first[k], t.first[k + 1]))
            continue;
        auto& mine = t.objects[k];
        for (std::uint32_t r = t.first[k]; r < t.first[k + 1]; ++r) {
            in.seekg(static_cast<std::streamoff>(row_offset[r]));
            std::getline(in, line);
            read_line(line, path.string(), 0, mine.emplace_back());  // read once already
        }
    }
    return t;
}

}  // namespace certigraph::ledger
