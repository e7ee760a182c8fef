// Private: the one UTF-8 validator (RFC 3629) of every reader that refuses text that
// is not UTF-8: the evaluation and results CSVs (io), the référentiel tables, the RNCP
// CSV and the Moodle and Canvas CSVs (interop).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace certigraph::detail {

/// The length (1 to 4) of the well-formed UTF-8 sequence that starts at text[i], or 0
/// when none does there (a stray continuation byte, an overlong form, a surrogate, a
/// code point above U+10FFFF, a sequence cut by the end of the text).
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) noexcept;

/// Byte offset of the first byte that does not start a well-formed sequence;
/// std::string_view::npos when the whole text is UTF-8 (checked with simdjson's
/// vectorised validator first, so valid text costs one fast pass).
std::size_t first_invalid_utf8(std::string_view text) noexcept;

/// Appends `code_point` as UTF-8; one that is not a character of text (NUL, a
/// surrogate, above U+10FFFF) as U+FFFD, the replacement character.
void append_utf8(std::string& out, char32_t code_point);

}  // namespace certigraph::detail
