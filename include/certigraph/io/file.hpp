// Reading and writing files: référentiel files by extension, and the one reader and
// one writer every file certigraph reads or writes goes through (docs/security.md,
// "Inputs and outputs").
#pragma once

#include <certigraph/referentiel/builder.hpp>
#include <certigraph/referentiel/referentiel.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certigraph::io {

/// File formats of a référentiel: `.json`, `.txt` (text archive), `.xml`, `.bin`.
enum class FileFormat : std::uint8_t { json, text_archive, xml_archive, binary_archive };

/// The format for a path's extension; std::nullopt if the extension is not one of the four.
std::optional<FileFormat> format_of(const std::filesystem::path& path) noexcept;

/// The format named `json`, `txt`, `xml` or `bin` (for `--format` where a path has no
/// extension, e.g. `-`); std::nullopt otherwise.
std::optional<FileFormat> format_named(std::string_view name) noexcept;

/// Reads any of the four formats into a builder, without the integrity check.
/// @throws IoError (unreadable file, unknown extension), ParseError, SerializationError
ReferentielBuilder read_referentiel(const std::filesystem::path& path);

/// The same in a given format, whatever the extension; `-` reads standard input.
ReferentielBuilder read_referentiel_as(const std::filesystem::path& path, FileFormat format);

/// read_referentiel(path).build().
/// @throws IoError, ParseError, SerializationError, InvalidReferentiel
Referentiel load_referentiel(const std::filesystem::path& path);

/// Writes in the format of the extension with write_file (so never half-written).
/// @throws IoError (unknown extension too)
void save_referentiel(const Referentiel& referentiel, const std::filesystem::path& path);

// --- Inputs ---------------------------------------------------------------------

/// Largest document read whole into memory (référentiel, policy, grades, events):
/// 1 GiB unless set_max_input_bytes changed it (the CLI's `--max-input-size`).
/// Evaluation CSV files are mapped, not copied, and have no limit.
std::size_t max_input_bytes() noexcept;
void set_max_input_bytes(std::size_t bytes) noexcept;

/// The whole content of a regular file, or of standard input for `-`. A directory,
/// FIFO, socket or device is refused at once (never waited on), as is content larger
/// than `max_bytes`. @throws IoError naming the path and the fix
std::string read_input(const std::filesystem::path& path, std::size_t max_bytes = max_input_bytes());

/// Throws unless `path` is `-` or a regular file (after symbolic links) that can be
/// opened for reading, without blocking. @throws IoError
void require_regular_input(const std::filesystem::path& path);

// --- Outputs --------------------------------------------------------------------

struct WriteOptions {
    /// The inputs of the command: an output that is one of them (same device and
    /// inode, or the same path when it does not exist yet) is refused.
    std::vector<std::filesystem::path> inputs;
    /// Refuse to replace an existing file (award records: never overwrite).
    bool exclusive = false;
};

/// The checks write_file makes before it creates anything (a path that can be
/// written, not a non-regular file, not an input, not existing when exclusive), to
/// refuse a bad output before long work. @throws IoError
void check_output(const std::filesystem::path& path, const WriteOptions& options = {});

/// Writes `content` to `path` so that readers see the old file or the new one, never
/// a part: a temporary file created exclusively (O_EXCL, O_NOFOLLOW, O_CLOEXEC) in the
/// target's directory, written, fsync'd, renamed over the target, then the directory
/// fsync'd. On any failure nothing is left behind and the target is untouched. `-`
/// writes standard output. A target that exists and is not a regular file (a
/// directory, a device such as /dev/stdout, a symbolic link) is refused.
/// @throws IoError naming the path and the fix
void write_file(const std::filesystem::path& path, std::string_view content, const WriteOptions& options = {});

/// The same with content produced by `write` into a stream (an exception it throws
/// leaves nothing behind either).
void write_file(const std::filesystem::path& path, const std::function<void(std::ostream&)>& write,
                const WriteOptions& options = {});

/// save_referentiel in a given format, whatever the extension; `-` writes standard
/// output. @throws IoError
void save_referentiel_as(const Referentiel& referentiel, const std::filesystem::path& path, FileFormat format,
                         const WriteOptions& options = {});

}  // namespace certigraph::io
