// Private to the interop area: a small RFC 4180 CSV reader that keeps where each
// cell starts (for file:line:column errors), the CSV line writer (the cells are
// core/csv.hpp's csv_field), and the HTML <-> plain text helpers of the LMS formats.
#pragma once

#include <certigraph/error.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace certigraph::interop::detail {

/// One cell: its text (unquoted, "" pairs undone) and where it starts.
struct Cell {
    std::string text;
    std::size_t line = 0;    ///< 1-based physical line
    std::size_t column = 0;  ///< 1-based, in characters (UTF-8 code points)
};

/// One record (a row); a quoted cell may span several physical lines.
struct Record {
    std::vector<Cell> cells;
    std::size_t line = 0;  ///< line of the record's first character
    /// The cell at `i`, or an empty one placed just after the last cell.
    const std::string& text(std::size_t i) const;
};

/// Refuses text that is not UTF-8 (RFC 3629), naming `source:line:column`.
void check_utf8(std::string_view text, std::string_view source);

/// Reads the whole text (UTF-8, checked first) (a UTF-8 byte-order mark is skipped; empty lines are
/// skipped). The formula guard of certigraph::detail::csv_field() (core/csv.hpp), which
/// the exports write with, is removed (csv_unguard).
/// @throws ParseError naming `source:line:column` for an unterminated quote, a
///         quote inside an unquoted cell or text after a closing quote.
std::vector<Record> read_csv(std::string_view text, std::string_view source, char delimiter = ',');

/// Throws ParseError at this cell.
[[noreturn]] void fail_at(std::string_view source, const Cell& cell, const std::string& problem);
/// Throws ParseError at the start of the record.
[[noreturn]] void fail_at(std::string_view source, const Record& record, const std::string& problem);

/// A CSV line (cells joined by commas, CRLF at the end as RFC 4180 says).
std::string csv_line(const std::vector<std::string>& cells);

/// HTML as plain text: tags dropped (<p>, <br>, <li> end a line), the common
/// entities decoded, runs of spaces collapsed, lines trimmed, empty lines dropped.
std::string html_to_text(std::string_view html);

/// The paragraphs of HTML written as <p>...</p><p>...</p>, as plain text; the whole
/// text as one paragraph when it has no <p>.
std::vector<std::string> html_paragraphs(std::string_view html);

/// `<p>title</p><p>description</p>`, the texts HTML-escaped, line breaks as <br>
/// (the second paragraph only when there is a description).
std::string title_and_description_html(std::string_view title, std::string_view description);

/// The inverse of title_and_description_html for a name cut by truncate_chars: when
/// the first paragraph is the name (or starts with the cut name), it is the title
/// and the other paragraphs the description; otherwise the name is the title and
/// the whole HTML the description. `html` false: the text is plain, not HTML.
std::pair<std::string, std::string> title_and_description(std::string_view name, std::string_view text, bool html);

/// The text on one line: line breaks (and the spaces around them) become one space.
std::string one_line(std::string_view text);

/// At most `max` characters (UTF-8 code points), cut with "…" when longer.
std::string truncate_chars(std::string_view text, std::size_t max);

}  // namespace certigraph::interop::detail
