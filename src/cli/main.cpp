// certigraph: the command-line tool for jury and référentiel work.
#include "cli/common.hpp"

#include <CLI/CLI.hpp>

#include <iostream>

int main(int argc, char** argv) {
    CLI::App app{"certigraph " CERTIGRAPH_VERSION_STRING
                 " - grading engine for competency-based certifications"};
    app.require_subcommand(1);
    app.set_version_flag("--version", CERTIGRAPH_VERSION_STRING);

    std::string file, format = "text";
    auto* check = app.add_subcommand(
        "check", "Check a référentiel's integrity (exit 0: no error, 1: errors, 2: unreadable)");
    check->add_option("FILE", file, "référentiel file: .json, .txt, .xml or .bin")->required();
    check->add_option("--format", format, "output format")
        ->check(CLI::IsMember({"text", "json"}));

    std::string input, output;
    auto* convert = app.add_subcommand(
        "convert", "Convert a référentiel between JSON and text/XML/binary archives");
    convert->add_option("IN", input, "input file (.json, .txt, .xml, .bin)")->required();
    convert->add_option("OUT", output, "output file; the extension chooses the format")->required();

    std::string demo_referentiel;
    auto* demo = app.add_subcommand(
        "demo", "Load the embedded RNCP40514 référentiel, check it and print its tree");
    demo->add_option("--referentiel", demo_referentiel,
                     "use this référentiel file instead of the embedded one");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? 0 : certigraph::cli::unusable;
    }

    try {
        if (*check) return certigraph::cli::run_check(file, format);
        if (*convert) return certigraph::cli::run_convert(input, output);
        if (*demo) return certigraph::cli::run_demo(demo_referentiel);
    } catch (const certigraph::InvalidReferentiel& e) {
        std::cerr << "certigraph: " << e.what() << '\n';
        certigraph::cli::print_diagnostics(std::cerr, e.diagnostics());
        return certigraph::cli::found;
    } catch (const certigraph::Error& e) {
        std::cerr << "certigraph: " << e.what() << '\n';
        return certigraph::cli::unusable;
    } catch (const std::exception& e) {
        std::cerr << "certigraph: internal error: " << e.what() << '\n';
        return certigraph::cli::unusable;
    }
    return certigraph::cli::unusable;
}
