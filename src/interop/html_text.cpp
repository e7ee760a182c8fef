// HTML fragments to clean text (see html_text.hpp).
#include "interop/html_text.hpp"

#include "core/utf8.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <string>

namespace certigraph::interop::detail {

namespace {

// Latin-1 entities, U+00A0 .. U+00FF in order (HTML 4).
constexpr std::array<std::string_view, 96> latin1_names{
    "nbsp",   "iexcl",  "cent",   "pound",  "curren", "yen",    "brvbar", "sect",
    "uml",    "copy",   "ordf",   "laquo",  "not",    "shy",    "reg",    "macr",
    "deg",    "plusmn", "sup2",   "sup3",   "acute",  "micro",  "para",   "middot",
    "cedil",  "sup1",   "ordm",   "raquo",  "frac14", "frac12", "frac34", "iquest",
    "Agrave", "Aacute", "Acirc",  "Atilde", "Auml",   "Aring",  "AElig",  "Ccedil",
    "Egrave", "Eacute", "Ecirc",  "Euml",   "Igrave", "Iacute", "Icirc",  "Iuml",
    "ETH",    "Ntilde", "Ograve", "Oacute", "Ocirc",  "Otilde", "Ouml",   "times",
    "Oslash", "Ugrave", "Uacute", "Ucirc",  "Uuml",   "Yacute", "THORN",  "szlig",
    "agrave", "aacute", "acirc",  "atilde", "auml",   "aring",  "aelig",  "ccedil",
    "egrave", "eacute", "ecirc",  "euml",   "igrave", "iacute", "icirc",  "iuml",
    "eth",    "ntilde", "ograve", "oacute", "ocirc",  "otilde", "ouml",   "divide",
    "oslash", "ugrave", "uacute", "ucirc",  "uuml",   "yacute", "thorn",  "yuml"};

struct Named {
    std::string_view name;
    char32_t code;
};
constexpr std::array<Named, 22> other_names{{
    {"amp", U'&'},        {"lt", U'<'},         {"gt", U'>'},         {"quot", U'"'},
    {"apos", U'\''},      {"OElig", U'\u0152'}, {"oelig", U'\u0153'}, {"Yuml", U'\u0178'},
    {"ndash", U'\u2013'}, {"mdash", U'\u2014'}, {"lsquo", U'\u2018'}, {"rsquo", U'\u2019'},
    {"sbquo", U'\u201A'}, {"ldquo", U'\u201C'}, {"rdquo", U'\u201D'}, {"bdquo", U'\u201E'},
    {"bull", U'\u2022'},  {"hellip", U'\u2026'}, {"euro", U'\u20AC'}, {"trade", U'\u2122'},
    {"thinsp", U'\u2009'}, {"nnbsp", U'\u202F'},
}};

/// The decoded character; the spaces of typography (no-break, thin, narrow no-break)
/// as a space: they lay out as spaces.
void append_decoded(std::string& out, char32_t c) {
    if (c == 0xA0 || c == 0x202F || c == 0x2009) c = U' ';
    certigraph::detail::append_utf8(out, c);
}

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

}  // namespace

std::size_t decode_entity(std::string_view html, std::size_t i, std::string& out) {
    const std::size_t semi = html.find(';', i + 1);
    if (semi == std::string_view::npos || semi - i > 12) return 0;
    const std::string_view body = html.substr(i + 1, semi - i - 1);
    if (body.empty()) return 0;
    if (body[0] == '#') {
        const bool hex = body.size() > 1 && (body[1] == 'x' || body[1] == 'X');
        const std::string_view digits = body.substr(hex ? 2 : 1);
        if (digits.empty()) return 0;
        std::uint32_t value = 0;
        for (char d : digits) {
            int v;
            if (d >= '0' && d <= '9') v = d - '0';
            else if (hex && d >= 'a' && d <= 'f') v = d - 'a' + 10;
            else if (hex && d >= 'A' && d <= 'F') v = d - 'A' + 10;
            else return 0;
            value = value * (hex ? 16 : 10) + static_cast<std::uint32_t>(v);
            if (value > 0x10FFFF) value = 0x110000;  // stays out of range, no overflow
        }
        append_decoded(out, value);
        return semi - i + 1;
    }
    for (std::size_t k = 0; k < latin1_names.size(); ++k)
        if (latin1_names[k] == body) {
            append_decoded(out, static_cast<char32_t>(0xA0 + k));
            return semi - i + 1;
        }
    for (const auto& n : other_names)
        if (n.name == body) {
            append_decoded(out, n.code);
            return semi - i + 1;
        }
    return 0;
}

std::pair<std::size_t, std::size_t> line_column(std::string_view text, std::size_t offset) noexcept {
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
            ++column;
        }
    }
    return {line, column};
}

bool is_blank(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' ||
           c == list_start || c == list_item || c == line_break || c == paragraph_end;
}

std::size_t skip_blank(std::string_view marked, std::size_t from) noexcept {
    while (from < marked.size() && is_blank(marked[from])) ++from;
    return from;
}

std::string mark(std::string_view html) {
    std::string out;
    out.reserve(html.size());
    std::size_t i = 0;
    while (i < html.size()) {
        const char c = html[i];
        if (c == '&') {
            if (const std::size_t n = decode_entity(html, i, out)) {
                i += n;
                continue;
            }
        } else if (c == '<' && i + 1 < html.size()) {
            if (html.compare(i, 4, "<!--") == 0) {
                const std::size_t end = html.find("-->", i + 4);
                i = end == std::string_view::npos ? html.size() : end + 3;
                out += ' ';
                continue;
            }
            std::size_t j = i + 1;
            const bool closing = html[j] == '/';
            if (closing) ++j;
            if (j < html.size() && std::isalpha(static_cast<unsigned char>(html[j]))) {
                const std::size_t end = html.find('>', j);
                if (end != std::string_view::npos) {
                    std::string name;
                    while (j < end && std::isalnum(static_cast<unsigned char>(html[j])))
                        name += lower(html[j++]);
                    char m = ' ';
                    if ((name == "ul" || name == "ol") && !closing) m = list_start;
                    else if (name == "li" && !closing) m = list_item;
                    else if (name == "br") m = line_break;
                    else if (name == "p" && closing) m = paragraph_end;
                    out += m;
                    i = end + 1;
                    continue;
                }
            }
        }
        out += c;
        ++i;
    }
    return out;
}

std::string layout(std::string_view marked, bool lists) {
    std::string out;
    out.reserve(marked.size());
    bool at_list_start = false;
    bool pending_space = false;
    auto new_line = [&] {
        while (!out.empty() && out.back() == ' ') out.pop_back();
        if (!out.empty() && out.back() != '\n') out += '\n';
        pending_space = false;
    };
    for (std::size_t i = 0; i < marked.size(); ++i) {
        const char c = marked[i];
        if (c == list_start) {
            at_list_start = lists;
            pending_space = true;
            continue;
        }
        if (c == list_item && lists) {
            new_line();
            // "<li>- text" keeps its own dash.
            const std::size_t next = skip_blank(marked, i + 1);
            if (next >= marked.size() || marked[next] != '-') out += "- ";
            at_list_start = false;
            continue;
        }
        if (c == line_break && lists) {
            new_line();
            continue;
        }
        if (is_blank(c)) {
            pending_space = true;
            continue;
        }
        if (c == '-' && lists) {
            const bool space_before = out.empty() || out.back() == '\n' || pending_space;
            const bool space_after = i + 1 >= marked.size() || is_blank(marked[i + 1]);
            if (at_list_start || (space_before && space_after)) {
                new_line();
                out += '-';
                at_list_start = false;
                continue;
            }
        }
        at_list_start = false;
        if (pending_space && !out.empty() && out.back() != '\n') out += ' ';
        pending_space = false;
        out += c;
    }
    while (!out.empty() && (out.back() == ' ' || out.back() == '\n')) out.pop_back();
    return out;
}

}  // namespace certigraph::interop::detail
