// Evaluation files: CSV in long or wide format, read into a Cohort.
#pragma once

#include <certigraph/grading/cohort.hpp>
#include <certigraph/grading/scale.hpp>
#include <certigraph/referentiel/referentiel.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string_view>

namespace certigraph {
class Grader;
}

namespace certigraph::io {

/// The character encoding of an evaluations file. Every encoding is converted to
/// UTF-8 before reading; bytes that are not text in it are refused with their place.
enum class Encoding : std::uint8_t {
    utf8,         ///< the default (a UTF-8 byte-order mark is skipped)
    windows1252,  ///< what Excel writes on a French Windows ("CSV (séparateur: point-virgule)")
    latin1,       ///< ISO-8859-1 (bytes 0x80-0x9F are refused: they are Windows-1252's)
};

/// The decimal mark of numeric values.
enum class DecimalMark : std::uint8_t {
    automatic,  ///< a comma with `;` or tab separators (then `12,5` is 12.5), a point otherwise
    point,
    comma,      ///< needs `;` or tab separators
};

struct EvaluationReadOptions {
    std::size_t max_errors = 100;  ///< stop collecting problems after this many
    /// Field separator: ',', ';' or '\t'; 0 = detected from the header line (the one
    /// of the three it holds most of, outside quotes; ',' when it holds none).
    char delimiter = 0;
    Encoding encoding = Encoding::utf8;
    DecimalMark decimal = DecimalMark::automatic;
    /// Threads that read a long-format file, each a part of its lines: 0 = one per
    /// core, up to 8, and no more than one per MB (at most 64 when given). A file
    /// with a double quote anywhere, or in the wide format, is read by one thread.
    /// The cohort and the problems are the same whatever the number.
    unsigned threads = 0;
};

/// Reads evaluations into a cohort whose columns are the référentiel's criteria.
///
/// Long format, header `candidate,session,epreuve,criterion,juror,value` (+ optional
/// `time`), one juror's value per line; wide format, header
/// `candidate,session,juror,<criterion code>...`, one row per candidate x juror. A
/// value is a number or label of the criterion's scale, `absent` or `exempt`; an
/// empty value is missing. Rows are (candidate, session) in order of first
/// appearance; a criterion's juror slots are filled in order of appearance.
///
/// Dialects: `;` or tab separators, decimal commas, Windows-1252 or Latin-1 text (see
/// EvaluationReadOptions) are converted to this form first; every field must be valid
/// UTF-8 without NUL bytes (docs/evaluations.md, "Dialects and encodings").
///
/// All or nothing: every problem (unknown code, value outside the scale, duplicate
/// (candidate, session, criterion, juror), malformed line, épreuve that does not
/// evaluate the criterion) is collected as `source:line:column: message` and thrown
/// together. @throws InvalidInput
/// @param scales the scale of each criterion, in the référentiel's dense order.
Cohort read_evaluations(const Referentiel& referentiel, std::span<const Scale> scales,
                        std::string_view text, std::string_view source = "<input>",
                        const EvaluationReadOptions& options = {});

/// The same from a file, memory-mapped where the system allows (no copy of its bytes).
/// @throws IoError, InvalidInput
Cohort load_evaluations(const Referentiel& referentiel, std::span<const Scale> scales,
                        const std::filesystem::path& path, const EvaluationReadOptions& options = {});

/// The same with the scales of a grader's policy, from a file.
/// @throws IoError, InvalidInput
Cohort load_evaluations(const Grader& grader, const std::filesystem::path& path,
                        const EvaluationReadOptions& options = {});

}  // namespace certigraph::io
