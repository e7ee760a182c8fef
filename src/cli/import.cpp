// certigraph import --from FORMAT IN --out OUT.json: one dispatch table, one
// reader per format (each in src/interop/), one way of writing the result.
#include "cli/common.hpp"
#include "cli/import.hpp"

#include <certigraph/interop/exchange.hpp>
#include <certigraph/interop/referentiel_text.hpp>
#include <certigraph/interop/rncp.hpp>

#include <unistd.h>

#include <array>
#include <filesystem>
#include <iostream>

namespace certigraph::cli {

namespace {

ReferentielBuilder import_referentiel_text(const ImportArguments& a) {
    if (a.fiche.empty())
        throw Error("--from referentiel-text needs --fiche RNCPnnnnn: the table gives bloc numbers, not codes");
    return interop::read_referentiel_text(a.input, {a.fiche, a.title});
}

ReferentielBuilder import_rncp_fiche(const ImportArguments& a, bool csv) {
    if (a.fiche.empty()) throw Error("--from rncp-xml and rncp-csv need --fiche RNCPnnnnn: which fiche of the export");
    std::optional<interop::rncp::Fiche> fiche;
    if (csv) {
        for (auto& f : interop::rncp::read_csv_export(a.input))
            if (f.code == a.fiche) fiche = std::move(f);
    } else {
        ProgressBar bar("reading " + std::filesystem::path(a.input).filename().string());
        interop::rncp::read_xml_file(
            a.input,
            [&](interop::rncp::Fiche&& f) {
                if (f.code != a.fiche) return true;
                fiche = std::move(f);
                return false;
            },
            [&](std::uint64_t done, std::uint64_t total) { bar(done, total); });
    }
    if (!fiche) throw NotFound("fiche " + a.fiche + " is not in " + a.input + "; check the code (e.g. RNCP36490)");
    return interop::rncp::to_builder(*fiche);
}

ReferentielBuilder import_exchange(const ImportArguments& a, interop::ExchangeFormat format) {
    return interop::read_exchange(a.input, format, {a.fiche});
}

struct ImportFormat {
    const char* name;
    ReferentielBuilder (*read)(const ImportArguments&);
};

// The --from formats. Each reads its input into a builder; nothing is written
// unless it succeeds. (Other formats are added here, one row each.)
const std::array import_table{
    ImportFormat{"referentiel-text", &import_referentiel_text},
    ImportFormat{"rncp-xml", [](const ImportArguments& a) { return import_rncp_fiche(a, false); }},
    ImportFormat{"rncp-csv", [](const ImportArguments& a) { return import_rncp_fiche(a, true); }},
    ImportFormat{"case", [](const ImportArguments& a) { return import_exchange(a, interop::ExchangeFormat::case_json); }},
    ImportFormat{"moodle-csv",
                 [](const ImportArguments& a) { return import_exchange(a, interop::ExchangeFormat::moodle_csv); }},
    ImportFormat{"canvas-csv",
                 [](const ImportArguments& a) { return import_exchange(a, interop::ExchangeFormat::canvas_csv); }},
};

}  // namespace

std::vector<std::string> import_formats() {
    std::vector<std::string> names;
    for (const auto& f : import_table) names.emplace_back(f.name);
    return names;
}

int run_import(const ImportArguments& a) {
    const ImportFormat* format = nullptr;
    for (const auto& f : import_table)
        if (a.from == f.name) format = &f;
    if (!format) throw Error("unknown --from " + a.from);
    const ReferentielBuilder builder = format->read(a);
    io::WriteOptions options;
    options.inputs = {a.input};
    io::write_file(a.output, io::referentiel_to_json(builder), options);  // all or nothing
    const auto diagnostics = builder.check();
    std::size_t errors = 0;
    for (const auto& d : diagnostics) errors += d.severity == Severity::error;
    std::cout << "wrote " << a.output << " (" << node_counts(builder) << ")\n";
    if (!diagnostics.empty())
        std::cout << "the integrity check finds " << counted(errors, "error", "errors") << " and "
                  << counted(diagnostics.size() - errors, "warning", "warnings") << " (certigraph check "
                  << a.output << ")" << (errors && builder.count(NodeKind::competency) == 0
                                             ? "; competencies and criteria come from a curated référentiel"
                                             : "")
                  << '\n';
    return ok;
}

ProgressBar::ProgressBar(std::string label) : label_(std::move(label)), enabled_(isatty(STDERR_FILENO) == 1) {}

ProgressBar::~ProgressBar() {
    if (enabled_ && shown_ >= 0) std::cerr << "\r\033[K" << std::flush;
}

void ProgressBar::operator()(std::uint64_t done, std::uint64_t total) {
    if (!enabled_ || total == 0) return;
    const int percent = static_cast<int>(std::min<std::uint64_t>(100, done * 100 / total));
    if (percent == shown_) return;
    shown_ = percent;
    const int filled = percent / 5;
    std::cerr << '\r' << label_ << " [" << std::string(static_cast<std::size_t>(filled), '#')
              << std::string(static_cast<std::size_t>(20 - filled), ' ') << "] " << percent << "% "
              << done / 1000000 << "/" << total / 1000000 << " MB" << std::flush;
}

}  // namespace certigraph::cli
