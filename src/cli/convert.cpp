#include "cli/common.hpp"

#include <iostream>

namespace certigraph::cli {

int run_convert(const std::string& input, const std::string& output, const std::string& from,
                const std::string& to) {
    // Both formats and the output's place are checked before anything is read.
    const io::FileFormat out_format = referentiel_format(output, to, "--to");
    const io::WriteOptions options{{input}, false};
    io::check_output(output, options);
    const Referentiel referentiel = read_referentiel_file(input, from.empty() ? "" : from).build();
    io::save_referentiel_as(referentiel, output, out_format, options);
    // With the référentiel on standard output, the summary goes to standard error.
    (output == "-" ? std::cerr : std::cout) << "wrote " << printable(output) << " (" << node_counts(referentiel)
                                            << ")\n";
    return ok;
}

}  // namespace certigraph::cli
