// Files of the exchange formats (CASE, Moodle CSV, Canvas CSV): read into a
// builder, write atomically. One entry point per direction for the CLI and Python.
#pragma once

#include <certigraph/grading/policy.hpp>
#include <certigraph/referentiel/builder.hpp>
#include <certigraph/referentiel/referentiel.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace certigraph::interop {

enum class ExchangeFormat : std::uint8_t {
    case_json,   ///< "case": 1EdTech CASE 1.1 CFPackage JSON
    moodle_csv,  ///< "moodle-csv": Moodle tool_lpimportcsv competency framework
    canvas_csv,  ///< "canvas-csv": Canvas outcomes import CSV
};

/// "case", "moodle-csv", "canvas-csv".
std::string_view to_string(ExchangeFormat format) noexcept;
std::optional<ExchangeFormat> exchange_format_from_string(std::string_view name) noexcept;

struct ExchangeImportOptions {
    /// The fiche's code when the file does not name the certification (CASE
    /// without an RNCP source URL, Canvas without one root group). For CASE it
    /// replaces the code the file gives.
    std::string fiche{};
};

/// Reads a file of the format into a builder (call check() or build()).
/// @throws IoError (unreadable), ParseError (naming file:line:column or the JSON pointer)
ReferentielBuilder read_exchange(const std::filesystem::path& path, ExchangeFormat format,
                                 const ExchangeImportOptions& options = {});

struct ExchangeExportOptions {
    const Policy* policy = nullptr;  ///< scales and rules, where the format carries them
    std::string base_uri{};          ///< CASE: URIs under this base (default urn:uuid:)
};

/// The text of the format for the référentiel.
/// @throws Error when the format cannot say something of it (see lms.hpp)
std::string exchange_text(const Referentiel& referentiel, ExchangeFormat format,
                          const ExchangeExportOptions& options = {});

/// Writes exchange_text through a temporary file renamed into place: an existing
/// file is never left half-written. @throws IoError, Error
void save_exchange(const Referentiel& referentiel, const std::filesystem::path& path, ExchangeFormat format,
                   const ExchangeExportOptions& options = {});

}  // namespace certigraph::interop
