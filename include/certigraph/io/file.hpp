// Reading and writing référentiel files, the format chosen by extension.
#pragma once

#include <certigraph/referentiel/builder.hpp>
#include <certigraph/referentiel/referentiel.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>

namespace certigraph::io {

/// File formats of a référentiel: `.json`, `.txt` (text archive), `.xml`, `.bin`.
enum class FileFormat : std::uint8_t { json, text_archive, xml_archive, binary_archive };

/// The format for a path's extension; std::nullopt if the extension is not one of the four.
std::optional<FileFormat> format_of(const std::filesystem::path& path) noexcept;

/// Reads any of the four formats into a builder, without the integrity check.
/// @throws IoError (unreadable file, unknown extension), ParseError, SerializationError
ReferentielBuilder read_referentiel(const std::filesystem::path& path);

/// read_referentiel(path).build().
/// @throws IoError, ParseError, SerializationError, InvalidReferentiel
Referentiel load_referentiel(const std::filesystem::path& path);

/// Writes in the format of the extension, through a temporary file renamed into
/// place, so an existing file is never left half-written.
/// @throws IoError
void save_referentiel(const Referentiel& referentiel, const std::filesystem::path& path);

}  // namespace certigraph::io
