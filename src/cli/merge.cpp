// certigraph merge FICHE CURATED --out R2.json: blocs, dates, routes, links and
// correspondences from the fiche; the rest from the curated référentiel.
#include "cli/common.hpp"

#include <certigraph/interop/merge.hpp>

#include <nlohmann/json.hpp>

#include <iostream>

namespace certigraph::cli {

int run_merge(const std::string& fiche_file, const std::string& curated_file, const std::string& output,
              const std::string& format) {
    // Read, not built: a fiche from an RNCP export has blocs without competencies.
    const ReferentielBuilder fiche = io::read_referentiel(fiche_file);
    const Referentiel curated = io::load_referentiel(curated_file);
    const interop::MergeResult result = interop::merge(fiche, curated);
    std::size_t errors = 0;
    for (const auto& d : result.diagnostics) errors += d.severity == Severity::error;
    if (format == "json") {
        nlohmann::ordered_json out;
        out["diagnostics"] = nlohmann::ordered_json::array();
        for (const auto& d : result.diagnostics)
            out["diagnostics"].push_back({{"code", interop::to_string(d.code)},
                                          {"severity", to_string(d.severity)},
                                          {"kind", to_string(d.node_kind)},
                                          {"node", d.node},
                                          {"message", d.message}});
        out["errors"] = errors;
        out["warnings"] = result.diagnostics.size() - errors;
        out["written"] = result.referentiel ? output : std::string();
        if (result.referentiel) io::save_referentiel(*result.referentiel, output);
        std::cout << out.dump(2) << '\n';
        return result.referentiel ? ok : found;
    }
    for (const auto& d : result.diagnostics) std::cout << d << '\n';
    std::cout << counted(errors, "error", "errors") << ", "
              << counted(result.diagnostics.size() - errors, "warning", "warnings") << '\n';
    if (!result.referentiel) {
        std::cerr << "certigraph: nothing written: fix the errors above\n";
        return found;
    }
    io::save_referentiel(*result.referentiel, output);
    std::cout << "wrote " << output << " (" << node_counts(*result.referentiel) << ")\n";
    return ok;
}

}  // namespace certigraph::cli
