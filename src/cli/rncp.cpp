// certigraph rncp list EXPORT: one row per fiche of a national export, streamed.
#include "cli/common.hpp"
#include "cli/import.hpp"

#include <certigraph/interop/rncp.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <iostream>

namespace certigraph::cli {

namespace {

std::string date_or_empty(const std::optional<Date>& d) { return d ? d->to_string() : std::string(); }

std::string joined(const std::vector<std::string>& codes) {
    std::string out;
    for (const auto& c : codes) out += (out.empty() ? "" : " ") + c;
    return out;
}

std::string active_text(const std::optional<bool>& a) { return a ? (*a ? "yes" : "no") : ""; }

std::string padded(std::string_view text, std::size_t width) {
    std::string out(text);
    const std::size_t w = display_width(text);
    if (w < width) out.append(width - w, ' ');
    return out;
}

}  // namespace

int run_rncp_list(const RncpListArguments& a) {
    std::ostream& out = std::cout;
    std::size_t rows = 0, seen = 0;
    bool first = true;
    if (a.format == "csv")
        out << "code,title,level,active,blocs,end_of_registration,last_delivery,previous,next\n";
    else if (a.format == "json")
        out << "[";
    else
        out << padded("code", 11) << ' ' << padded("level", 5) << ' ' << padded("active", 6) << ' '
            << padded("blocs", 5) << ' ' << padded("end", 10) << ' ' << padded("last", 10) << "  title\n";

    auto row = [&](interop::rncp::Fiche&& f) {
        ++seen;
        if (a.active_only && f.active != true) return true;
        ++rows;
        if (a.format == "csv") {
            out << csv_field(f.code) << ',' << csv_field(f.title) << ',' << f.level_code << ','
                << active_text(f.active) << ',' << f.blocs.size() << ',' << date_or_empty(f.end_of_registration)
                << ',' << date_or_empty(f.last_delivery) << ',' << csv_field(joined(f.previous)) << ','
                << csv_field(joined(f.next)) << '\n';
        } else if (a.format == "json") {
            nlohmann::ordered_json o;
            o["code"] = f.code;
            o["title"] = f.title;
            o["level"] = f.level_code;
            o["active"] = f.active ? nlohmann::ordered_json(*f.active) : nlohmann::ordered_json(nullptr);
            o["blocs"] = f.blocs.size();
            auto date = [](const std::optional<Date>& d) {
                return d ? nlohmann::ordered_json(d->to_string()) : nlohmann::ordered_json(nullptr);
            };
            o["end_of_registration"] = date(f.end_of_registration);
            o["last_delivery"] = date(f.last_delivery);
            o["previous"] = f.previous;
            o["next"] = f.next;
            out << (first ? "\n  " : ",\n  ")
                << o.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        } else {
            out << padded(f.code, 11) << ' ' << padded(f.level_code, 5) << ' ' << padded(active_text(f.active), 6)
                << ' ' << padded(std::to_string(f.blocs.size()), 5) << ' '
                << padded(date_or_empty(f.end_of_registration), 10) << ' '
                << padded(date_or_empty(f.last_delivery), 10) << "  " << ellipsize(f.title, 60);
            if (!f.previous.empty()) out << "  (after " << joined(f.previous) << ")";
            if (!f.next.empty()) out << "  (replaced by " << joined(f.next) << ")";
            out << '\n';
        }
        first = false;
        return true;
    };

    if (interop::rncp::is_csv_export(a.input)) {
        for (auto& f : interop::rncp::read_csv_export(a.input)) row(std::move(f));
    } else {
        ProgressBar bar("reading " + std::filesystem::path(a.input).filename().string());
        interop::rncp::read_xml_file(a.input, row,
                                     [&](std::uint64_t done, std::uint64_t total) { bar(done, total); });
    }
    if (a.format == "json") out << (first ? "]\n" : "\n]\n");
    if (a.format == "text")
        std::cerr << counted(rows, "fiche", "fiches") << (a.active_only ? " active" : "") << " of " << seen << '\n';
    return ok;
}

}  // namespace certigraph::cli
