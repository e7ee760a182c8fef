// certigraph export --to FORMAT R.json OUT [--policy P.json] [--base-uri URI].
#include "cli/common.hpp"

#include <certigraph/interop/exchange.hpp>

#include <iostream>

namespace certigraph::cli {

int run_export(const std::string& to, const std::string& input, const std::string& output,
               const std::string& policy_file, const std::string& base_uri) {
    const auto format = interop::exchange_format_from_string(to);
    if (!format) {
        std::cerr << "certigraph: unknown export format '" << to << "'; use case, moodle-csv or canvas-csv\n";
        return unusable;
    }
    const Referentiel referentiel = io::load_referentiel(input);
    std::optional<Policy> policy;
    if (!policy_file.empty()) policy = io::load_policy(policy_file);
    interop::save_exchange(referentiel, output, *format, {policy ? &*policy : nullptr, base_uri});
    std::cout << "wrote " << output << " (" << to << ": " << node_counts(referentiel) << ")\n";
    if (*format != interop::ExchangeFormat::case_json &&
        (!referentiel.activities().empty() || !referentiel.epreuves().empty()))
        std::cout << "note: " << to << " has no place for activities and épreuves; they are not in " << output
                  << '\n';
    return ok;
}

}  // namespace certigraph::cli
