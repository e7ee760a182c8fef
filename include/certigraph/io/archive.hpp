// Boost.Serialization snapshots of a référentiel (text, XML, binary).
//
// An archive is a one-line header `certigraph-archive 1 <kind> <bytes> <fnv1a64>`
// followed by the Boost archive itself, so truncation and corruption are
// detected before any object is read. Binary archives are for trusted data on
// the same platform; exchange référentiels as JSON.
#pragma once

#include <certigraph/grading/grader.hpp>
#include <certigraph/ledger/state.hpp>
#include <certigraph/referentiel/builder.hpp>
#include <certigraph/referentiel/referentiel.hpp>

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certigraph::io {

enum class ArchiveKind : std::uint8_t { text, xml, binary };

std::string_view to_string(ArchiveKind kind) noexcept;

/// The class version written for référentiel archives; older ones stay readable.
inline constexpr unsigned referentiel_archive_version = 1;

/// @throws IoError if the stream fails.
void save_archive(const Referentiel& referentiel, std::ostream& out, ArchiveKind kind);

/// Reads an archive into a builder, without the integrity check.
/// @throws SerializationError for a truncated, corrupted, foreign or too-new archive
///         (the message names `source` and what is wrong), IoError if the stream fails.
ReferentielBuilder read_archive(std::istream& in, ArchiveKind kind,
                                std::string_view source = "<input>");

/// read_archive(...).build().
/// @throws SerializationError, IoError, InvalidReferentiel
Referentiel load_archive(std::istream& in, ArchiveKind kind, std::string_view source = "<input>");

/// Grading results with their row and node labels, as a text archive with the
/// header `certigraph-results 1 text <bytes> <fnv1a64>` (Python pickles them so).
/// @throws IoError
void save_results_archive(const GradeResult& result, const std::vector<std::string>& candidates,
                          const std::vector<std::string>& sessions, const std::vector<std::string>& blocs,
                          const std::vector<std::string>& competencies,
                          const std::vector<std::string>& criteria, std::ostream& out);

/// @throws SerializationError, IoError
GradeResult load_results_archive(std::istream& in, std::vector<std::string>& candidates,
                                 std::vector<std::string>& sessions, std::vector<std::string>& blocs,
                                 std::vector<std::string>& competencies, std::vector<std::string>& criteria,
                                 std::string_view source = "<input>");

/// The derived state of a ledger as of a date (ledger::snapshot_as_of), with the
/// header `certigraph-ledger-state 1 <kind> <bytes> <fnv1a64>`. A cache: the events
/// stay the record, and the snapshot says which (event count, last id) it covers.
/// @throws IoError
void save_state_archive(const ledger::StateSnapshot& snapshot, std::ostream& out, ArchiveKind kind);

/// @throws SerializationError for a truncated, corrupted, foreign or too-new archive,
///         IoError if the stream fails.
ledger::StateSnapshot load_state_archive(std::istream& in, ArchiveKind kind,
                                         std::string_view source = "<input>");

}  // namespace certigraph::io
