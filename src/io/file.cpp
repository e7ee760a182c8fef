#include <certigraph/error.hpp>
#include <certigraph/io/archive.hpp>
#include <certigraph/io/file.hpp>
#include <certigraph/io/json.hpp>

#include <fstream>
#include <iterator>
#include <system_error>

namespace certigraph::io {

namespace fs = std::filesystem;

namespace {

FileFormat require_format(const fs::path& path) {
    if (auto format = format_of(path)) return *format;
    throw IoError(path.string() + ": unknown extension '" + path.extension().string() +
                  "'; use .json, .txt (text archive), .xml (XML archive) or .bin (binary archive)");
}

ArchiveKind archive_kind(FileFormat format) {
    switch (format) {
        case FileFormat::text_archive: return ArchiveKind::text;
        case FileFormat::xml_archive: return ArchiveKind::xml;
        default: return ArchiveKind::binary;
    }
}

}  // namespace

std::optional<FileFormat> format_of(const fs::path& path) noexcept {
    const auto ext = path.extension().string();
    if (ext == ".json") return FileFormat::json;
    if (ext == ".txt") return FileFormat::text_archive;
    if (ext == ".xml") return FileFormat::xml_archive;
    if (ext == ".bin") return FileFormat::binary_archive;
    return std::nullopt;
}

ReferentielBuilder read_referentiel(const fs::path& path) {
    const FileFormat format = require_format(path);
    std::ifstream in(path, std::ios::binary);
    if (!in) throw IoError(path.string() + ": cannot open for reading");
    if (format == FileFormat::json) {
        const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
        if (in.bad()) throw IoError(path.string() + ": read error");
        return parse_referentiel_json(text, path.string());
    }
    return read_archive(in, archive_kind(format), path.string());
}

Referentiel load_referentiel(const fs::path& path) { return read_referentiel(path).build(); }

void save_referentiel(const Referentiel& referentiel, const fs::path& path) {
    const FileFormat format = require_format(path);
    // Write next to the target, then rename: readers see the old file or the new one.
    fs::path temporary = path;
    temporary += ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        if (!out) throw IoError(temporary.string() + ": cannot open for writing");
        try {
            if (format == FileFormat::json) {
                out << referentiel_to_json(referentiel);
            } else {
                save_archive(referentiel, out, archive_kind(format));
            }
        } catch (...) {
            out.close();
            std::error_code ignored;
            fs::remove(temporary, ignored);
            throw;
        }
        out.close();
        if (!out) {
            std::error_code ignored;
            fs::remove(temporary, ignored);
            throw IoError(temporary.string() + ": write failed");
        }
    }
    std::error_code error;
    fs::rename(temporary, path, error);
    if (error) {
        std::error_code ignored;
        fs::remove(temporary, ignored);
        throw IoError(path.string() + ": cannot replace: " + error.message());
    }
}

}  // namespace certigraph::io
