#include <certigraph/error.hpp>
#include <certigraph/interop/case.hpp>
#include <certigraph/interop/exchange.hpp>
#include <certigraph/io/file.hpp>
#include <certigraph/interop/lms.hpp>

#include <fstream>
#include <iterator>
#include <sstream>
#include <system_error>

namespace certigraph::interop {

namespace fs = std::filesystem;

std::string_view to_string(ExchangeFormat format) noexcept {
    switch (format) {
        case ExchangeFormat::case_json: return "case";
        case ExchangeFormat::moodle_csv: return "moodle-csv";
        case ExchangeFormat::canvas_csv: return "canvas-csv";
    }
    return "unknown";
}

std::optional<ExchangeFormat> exchange_format_from_string(std::string_view name) noexcept {
    for (auto f : {ExchangeFormat::case_json, ExchangeFormat::moodle_csv, ExchangeFormat::canvas_csv})
        if (to_string(f) == name) return f;
    return std::nullopt;
}

ReferentielBuilder read_exchange(const fs::path& path, ExchangeFormat format, const ExchangeImportOptions& options) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw IoError(path.string() + ": cannot open for reading; check the path");
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad()) throw IoError(path.string() + ": read failed");
    const std::string text = buffer.str();
    const std::string source = path.string();
    switch (format) {
        case ExchangeFormat::case_json: return parse_case(text, source, {options.fiche});
        case ExchangeFormat::moodle_csv: return parse_moodle_csv(text, source);
        case ExchangeFormat::canvas_csv: return parse_canvas_csv(text, source, {options.fiche});
    }
    throw Error("unknown exchange format");
}

std::string exchange_text(const Referentiel& referentiel, ExchangeFormat format, const ExchangeExportOptions& options) {
    switch (format) {
        case ExchangeFormat::case_json: return referentiel_to_case(referentiel, {options.policy, options.base_uri});
        case ExchangeFormat::moodle_csv: return referentiel_to_moodle_csv(referentiel, options.policy);
        case ExchangeFormat::canvas_csv: return referentiel_to_canvas_csv(referentiel, options.policy);
    }
    throw Error("unknown exchange format");
}

void save_exchange(const Referentiel& referentiel, const fs::path& path, ExchangeFormat format,
                   const ExchangeExportOptions& options) {
    // The one writer (io/file.hpp): an exclusive temporary beside the target, fsync,
    // rename; nothing left behind on failure.
    io::write_file(path, exchange_text(referentiel, format, options));
}

}  // namespace certigraph::interop
