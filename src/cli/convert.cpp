#include "cli/common.hpp"

#include <iostream>

namespace certigraph::cli {

int run_convert(const std::string& input, const std::string& output) {
    const Referentiel referentiel = io::load_referentiel(input);
    io::save_referentiel(referentiel, output);
    std::cout << "wrote " << output << " (" << node_counts(referentiel) << ")\n";
    return ok;
}

}  // namespace certigraph::cli
