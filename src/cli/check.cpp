#include "cli/common.hpp"

#include <nlohmann/json.hpp>

#include <iostream>

namespace certigraph::cli {


int run_check(const std::string& file, const std::string& input_format, const std::string& format) {
    const ReferentielBuilder builder = read_referentiel_file(file, input_format);
    const std::vector<Diagnostic> diagnostics = builder.check();
    std::size_t errors = 0;
    for (const auto& d : diagnostics) errors += d.severity == Severity::error;

    if (format == "json") {
        nlohmann::ordered_json report;
        report["file"] = file;
        report["valid"] = errors == 0;
        nlohmann::ordered_json counts;
        for (NodeKind kind : counted_kinds) counts[plural(kind)] = builder.count(kind);
        report["counts"] = counts;
        report["errors"] = errors;
        report["warnings"] = diagnostics.size() - errors;
        report["diagnostics"] = nlohmann::ordered_json::array();
        for (const auto& d : diagnostics)
            report["diagnostics"].push_back({{"code", to_string(d.code)},
                                             {"severity", to_string(d.severity)},
                                             {"node_kind", to_string(d.node_kind)},
                                             {"node", d.node},
                                             {"pointer", d.pointer},
                                             {"message", d.message}});
        std::cout << report.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    } else {
        std::cout << printable(file) << ": " << node_counts(builder) << '\n';
        print_diagnostics(std::cout, diagnostics);
    }
    return errors == 0 ? ok : found;
}

}  // namespace certigraph::cli
