// Private to the command-line tool: `certigraph import` and `certigraph rncp list`.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace certigraph::cli {

struct ImportArguments {
    std::string from;    ///< a name of import_formats()
    std::string input;   ///< file or folder
    std::string output;  ///< référentiel JSON to write
    std::string fiche;   ///< RNCP code: which fiche of an export, or the codes of a table text
    std::string title;   ///< the certification's title when the input does not carry it
};

/// The names `--from` accepts, in the order of the dispatch table (src/cli/import.cpp).
std::vector<std::string> import_formats();

/// Reads the input, writes the référentiel JSON (all or nothing) and says what the
/// integrity check finds in it. Exit 0 when written.
int run_import(const ImportArguments& arguments);

struct RncpListArguments {
    std::string input;  ///< .xml, .zip (XML or CSV) or a folder of the CSV export
    bool active_only = false;
    std::string format = "text";  ///< text, csv, json
};

/// One row per fiche, streamed; a progress bar on stderr when it is a terminal.
int run_rncp_list(const RncpListArguments& arguments);

/// "\r[#####     ] 45% 120/300 MB" on stderr when it is a terminal; nothing otherwise.
class ProgressBar {
  public:
    explicit ProgressBar(std::string label);
    ~ProgressBar();
    void operator()(std::uint64_t done, std::uint64_t total);

  private:
    std::string label_;
    bool enabled_;
    int shown_ = -1;
};

}  // namespace certigraph::cli
