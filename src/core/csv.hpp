// Private: one CSV field as RFC 4180 writes it, shared by every CSV writer
// (results, eligibility, award records).
#pragma once

#include <string>
#include <string_view>

namespace certigraph::detail {

/// Quoted when it holds a comma, a quote or a line break (inner quotes doubled); as
/// is otherwise.
inline std::string csv_field(std::string_view text) {
    if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
    std::string out = "\"";
    for (char c : text) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + '"';
}

}  // namespace certigraph::detail
