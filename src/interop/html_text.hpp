// Private: HTML fragments of real référentiel documents turned into clean text.
//
// Two steps, so that callers can look at the start of a fragment (a code such as
// "A1E6", an "Evaluation ... EPREUVE 1 -" heading) before the text is laid out:
//   mark(html)  decodes entities and replaces tags by layout marks (below);
//   layout(m)   turns marked text into clean text: whitespace collapsed, list
//               items on their own lines, the marks gone.
#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace certigraph::interop::detail {

/// Layout marks left by mark(); never in clean text.
inline constexpr char list_start = '\x01';      ///< <ul>, <ol>: a '-' right after starts an item
inline constexpr char list_item = '\x02';       ///< <li>: a new line starting with "- "
inline constexpr char line_break = '\x03';      ///< <br>: a new line
inline constexpr char paragraph_end = '\x04';   ///< </p>: read as a space (ends a heading)

/// Entities decoded (named HTML entities of Latin-1 and common punctuation, and
/// numeric ones; an unknown entity is kept as written), tags replaced by marks
/// (other tags by a space), a no-break space by a space. Text that is not a tag
/// ("a < b") is kept.
std::string mark(std::string_view html);

/// Marked text as clean lines: runs of whitespace become one space; with `lists`,
/// a list item - a '-' between spaces, or the first '-' after a list start, or a
/// <li> - begins a new line; lines are trimmed and empty ones dropped.
/// Without `lists`, everything is one line (titles).
std::string layout(std::string_view marked, bool lists);

/// Decodes the entity at html[i] == '&' into `out` (as mark() does: a no-break or thin
/// space as a space, an invalid code point as U+FFFD); returns the characters
/// consumed, 0 when it is not an entity (nothing appended).
std::size_t decode_entity(std::string_view html, std::size_t i, std::string& out);

/// layout(mark(html), true).
inline std::string clean_text(std::string_view html) { return layout(mark(html), true); }

/// Position of the first character of `marked` that is neither whitespace nor a mark.
std::size_t skip_blank(std::string_view marked, std::size_t from = 0) noexcept;

/// 1-based (line, column in characters) of byte `offset` of `text`.
std::pair<std::size_t, std::size_t> line_column(std::string_view text, std::size_t offset) noexcept;

/// True for the layout marks and ASCII whitespace.
bool is_blank(char c) noexcept;

}  // namespace certigraph::interop::detail
