// certigraph import --from FORMAT IN --out OUT.json [--fiche CODE]: a référentiel
// from another system's file. Each format is one row of the dispatch table.
#include "cli/common.hpp"

#include <certigraph/interop/exchange.hpp>

#include <iostream>

namespace certigraph::cli {

namespace {

struct ImportFormat {
    std::string_view name;
    ReferentielBuilder (*read)(const std::string& input, const std::string& fiche);
};

ReferentielBuilder read_as(interop::ExchangeFormat format, const std::string& input, const std::string& fiche) {
    return interop::read_exchange(input, format, {fiche});
}

constexpr ImportFormat import_formats[] = {
    {"case", [](const std::string& in, const std::string& fiche) { return read_as(interop::ExchangeFormat::case_json, in, fiche); }},
    {"moodle-csv", [](const std::string& in, const std::string& fiche) { return read_as(interop::ExchangeFormat::moodle_csv, in, fiche); }},
    {"canvas-csv", [](const std::string& in, const std::string& fiche) { return read_as(interop::ExchangeFormat::canvas_csv, in, fiche); }},
};

}  // namespace

std::vector<std::string> import_format_names() {
    std::vector<std::string> names;
    for (const auto& f : import_formats) names.emplace_back(f.name);
    return names;
}

int run_import(const std::string& from, const std::string& input, const std::string& output,
               const std::string& fiche) {
    for (const auto& f : import_formats) {
        if (f.name != from) continue;
        const ReferentielBuilder builder = f.read(input, fiche);
        const Referentiel referentiel = builder.build();  // InvalidReferentiel: nothing written
        io::save_referentiel(referentiel, output);
        std::cout << "wrote " << output << " (" << node_counts(referentiel) << ")\n";
        if (!referentiel.diagnostics().empty()) print_diagnostics(std::cout, referentiel.diagnostics());
        return ok;
    }
    std::cerr << "certigraph: unknown import format '" << from << "'\n";
    return unusable;
}

}  // namespace certigraph::cli
