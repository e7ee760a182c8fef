// Private: HTML escaping, shared by every HTML writer (the procès-verbal page, the
// LMS exports' descriptions).
#pragma once

#include <string>
#include <string_view>

namespace certigraph::detail {

/// Appends `text` as HTML text or attribute value: & < > " ' escaped (the five
/// characters that can change the markup), everything else as it is.
void append_html_escaped(std::string& out, std::string_view text);

/// `text` escaped as append_html_escaped does.
std::string html_escaped(std::string_view text);

}  // namespace certigraph::detail
