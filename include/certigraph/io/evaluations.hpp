// Evaluation files: CSV in long or wide format, read into a Cohort.
#pragma once

#include <certigraph/grading/cohort.hpp>
#include <certigraph/grading/scale.hpp>
#include <certigraph/referentiel/referentiel.hpp>

#include <cstddef>
#include <filesystem>
#include <span>
#include <string_view>

namespace certigraph {
class Grader;
}

namespace certigraph::io {

struct EvaluationReadOptions {
    std::size_t max_errors = 100;  ///< stop collecting problems after this many
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
