// Private: one CSV field as RFC 4180 writes it, with the formula guard of
// certigraph/io/csv.hpp, shared by every CSV writer (results, eligibility, award
// records); and the inverse of the guard for the readers of those files.
#pragma once

#include <string>
#include <string_view>

namespace certigraph::detail {

/// True for a plain number: optional sign, digits with an optional fraction (or a
/// fraction alone), optional exponent. Such a field is data, never a formula.
inline bool csv_plain_number(std::string_view s) noexcept {
    std::size_t i = 0;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
    if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
    }
    if (digits == 0) return false;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
        std::size_t exponent = 0;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++exponent;
        if (exponent == 0) return false;
    }
    return i == s.size();
}

/// The characters that make a spreadsheet read a cell as a formula (OWASP), and `'`
/// (so that the guard can be undone).
inline bool csv_guarded_start(char c) noexcept {
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' || c == '\'';
}

/// Quoted when it holds a comma, a quote or a line break (inner quotes doubled); as
/// is otherwise. With the guard, `'` in front of a formula-leading field that is not
/// a plain number.
inline std::string csv_field(std::string_view text, bool formula_guard = true) {
    std::string guarded;
    if (formula_guard && !text.empty() && csv_guarded_start(text.front()) && !csv_plain_number(text)) {
        guarded = "'";
        guarded += text;
        text = guarded;
    }
    if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
    std::string out = "\"";
    for (char c : text) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + '"';
}

/// The field as it was before csv_field's guard: one leading `'` dropped when a
/// guarded character follows it.
inline std::string csv_unguard(std::string text) {
    if (text.size() >= 2 && text.front() == '\'' && csv_guarded_start(text[1])) text.erase(0, 1);
    return text;
}

}  // namespace certigraph::detail
