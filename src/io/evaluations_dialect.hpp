// Private: evaluation files in other dialects (`;` or tab separators, decimal commas,
// Windows-1252 or Latin-1) turned into the UTF-8, comma-separated, decimal-point text
// the reader reads, and the UTF-8/NUL check every evaluations file passes.
#pragma once

#include <certigraph/io/evaluations.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace certigraph::io::detail {

/// The separator of `text`: options.delimiter, or the one of `,`, `;`, tab that the
/// first line holds most of outside quotes (`,` when none).
char detect_delimiter(std::string_view text, const EvaluationReadOptions& options);

/// Refuses NUL bytes and bytes that are not UTF-8, naming `source:line:column` of
/// each (up to `max_errors`). @throws InvalidInput
void check_utf8(std::string_view text, std::string_view source, std::size_t max_errors);

/// The text in certigraph's own dialect, or std::nullopt when `text` already is
/// (UTF-8, commas, decimal points): then it has been checked to be valid UTF-8
/// without NUL. Line numbers are kept; columns too, except after a field that held a
/// comma and had to be quoted (two more). @throws InvalidInput naming
/// `source:line:column` of every byte that is not text (up to options.max_errors)
std::optional<std::string> normalise_dialect(std::string_view text, std::string_view source,
                                             const EvaluationReadOptions& options);

}  // namespace certigraph::io::detail
