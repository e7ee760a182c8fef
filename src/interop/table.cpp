#include "interop/table.hpp"

#include "core/csv.hpp"
#include "core/html.hpp"
#include "core/utf8.hpp"
#include "interop/html_text.hpp"

namespace certigraph::interop::detail {

namespace {

bool continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

const std::string& Record::text(std::size_t i) const {
    static const std::string empty;
    return i < cells.size() ? cells[i].text : empty;
}

void fail_at(std::string_view source, const Cell& cell, const std::string& problem) {
    throw ParseError(std::string(source), cell.line, cell.column, {}, problem);
}

void fail_at(std::string_view source, const Record& record, const std::string& problem) {
    throw ParseError(std::string(source), record.line, 1, {}, problem);
}

void check_utf8(std::string_view text, std::string_view source) {
    if (const std::size_t bad = certigraph::detail::first_invalid_utf8(text); bad != std::string_view::npos) {
        const auto [line, column] = line_column(text, bad);
        throw ParseError(std::string(source), line, column, {}, "this byte is not UTF-8 text; save the file as UTF-8");
    }
}

std::vector<Record> read_csv(std::string_view text, std::string_view source, char delimiter) {
    check_utf8(text, source);
    std::vector<Record> records;
    std::size_t i = 0, line = 1, column = 1;
    if (text.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
    auto advance = [&] {
        const char c = text[i++];
        if (c == '\n') {
            ++line;
            column = 1;
        } else if (c == '\r') {
            if (i < text.size() && text[i] == '\n') ++i;
            ++line;
            column = 1;
        } else if (!continuation(c)) {
            ++column;
        }
    };
    auto fail = [&](std::size_t l, std::size_t c, const std::string& problem) {
        throw ParseError(std::string(source), l, c, {}, problem);
    };
    while (i < text.size()) {
        if (text[i] == '\n' || text[i] == '\r') {  // empty line
            advance();
            continue;
        }
        Record record;
        record.line = line;
        for (;;) {  // one cell per turn
            Cell cell{{}, line, column};
            if (i < text.size() && text[i] == '"') {
                const std::size_t open_line = line, open_column = column;
                advance();
                for (;;) {
                    if (i >= text.size())
                        fail(open_line, open_column,
                             "this quoted cell is never closed; end it with a double quote (write \"\" for a "
                             "quote inside it)");
                    if (text[i] == '"') {
                        if (i + 1 < text.size() && text[i + 1] == '"') {
                            cell.text += '"';
                            advance();
                            advance();
                            continue;
                        }
                        advance();
                        break;
                    }
                    const std::size_t from = i;
                    advance();
                    cell.text.append(text.substr(from, i - from));
                }
                if (i < text.size() && text[i] != delimiter && text[i] != '\n' && text[i] != '\r')
                    fail(line, column,
                         std::string("unexpected text after a closing quote; put the whole cell in quotes "
                                     "and double the quotes inside it"));
            } else {
                while (i < text.size() && text[i] != delimiter && text[i] != '\n' && text[i] != '\r') {
                    if (text[i] == '"')
                        fail(line, column,
                             "a double quote inside an unquoted cell; quote the cell and double the quote (\"\")");
                    const std::size_t from = i;
                    advance();
                    cell.text.append(text.substr(from, i - from));
                }
            }
            cell.text = certigraph::detail::csv_unguard(std::move(cell.text));  // the guard csv_field() adds
            record.cells.push_back(std::move(cell));
            if (i < text.size() && text[i] == delimiter) {
                advance();
                continue;
            }
            if (i < text.size()) advance();  // the line break
            break;
        }
        records.push_back(std::move(record));
    }
    return records;
}

std::string csv_line(const std::vector<std::string>& cells) {
    std::string out;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (i) out += ',';
        out += cells[i];
    }
    return out + "\r\n";
}

namespace {

std::string tidy(const std::string& raw) {
    // Collapse spaces inside lines, trim lines, drop empty lines.
    std::string out, current;
    auto flush = [&] {
        while (!current.empty() && current.back() == ' ') current.pop_back();
        if (!current.empty()) {
            if (!out.empty()) out += '\n';
            out += current;
        }
        current.clear();
    };
    for (char c : raw) {
        if (c == '\n') {
            flush();
        } else if (c == ' ' || c == '\t' || c == '\r') {
            if (!current.empty() && current.back() != ' ') current += ' ';
        } else {
            current += c;
        }
    }
    flush();
    return out;
}

}  // namespace

std::string html_to_text(std::string_view html) {
    std::string raw;
    for (std::size_t i = 0; i < html.size();) {
        const char c = html[i];
        if (c == '<') {
            const std::size_t end = html.find('>', i);
            if (end == std::string_view::npos) {  // not a tag: keep the text
                raw += c;
                ++i;
                continue;
            }
            std::string tag;
            for (std::size_t j = i + 1; j < end && tag.size() < 4; ++j) {
                const char t = html[j];
                if (t == ' ' || t == '/' || t == '\t' || t == '\n') {
                    if (!tag.empty()) break;
                    continue;
                }
                tag += static_cast<char>(t >= 'A' && t <= 'Z' ? t - 'A' + 'a' : t);
            }
            if (tag == "p" || tag == "br" || tag == "li" || tag == "div" || tag == "ul" || tag == "ol" ||
                tag == "tr" || (tag.size() == 2 && tag[0] == 'h' && tag[1] >= '1' && tag[1] <= '6'))
                raw += '\n';
            i = end + 1;
        } else if (c == '&') {
            const std::size_t used = decode_entity(html, i, raw);
            if (used == 0) {
                raw += c;
                ++i;
            } else {
                i += used;
            }
        } else {
            raw += (c == '\n' || c == '\r') ? ' ' : c;
            ++i;
        }
    }
    return tidy(raw);
}

std::vector<std::string> html_paragraphs(std::string_view html) {
    std::vector<std::string> out;
    std::size_t i = 0;
    bool any = false;
    while (true) {
        const std::size_t open = html.find("<p>", i);
        if (open == std::string_view::npos) break;
        const std::size_t close = html.find("</p>", open);
        if (close == std::string_view::npos) break;
        any = true;
        out.push_back(html_to_text(html.substr(open + 3, close - open - 3)));
        i = close + 4;
    }
    if (!any) {
        out.clear();
        out.push_back(html_to_text(html));
    }
    return out;
}

std::string truncate_chars(std::string_view text, std::size_t max) {
    std::size_t chars = 0, i = 0;
    for (; i < text.size(); ++i) {
        if (continuation(text[i])) continue;
        if (chars == max) break;
        ++chars;
    }
    if (i >= text.size()) return std::string(text);
    // Too long: keep max - 1 characters and the ellipsis.
    std::size_t keep = 0;
    chars = 0;
    for (; keep < text.size(); ++keep) {
        if (continuation(text[keep])) continue;
        if (chars == max - 1) break;
        ++chars;
    }
    return std::string(text.substr(0, keep)) + "\xE2\x80\xA6";
}

}  // namespace certigraph::interop::detail

namespace certigraph::interop::detail {

namespace {

/// Text as HTML paragraph content: escaped, line breaks as <br>.
std::string paragraph_html(std::string_view text) {
    const std::string escaped = certigraph::detail::html_escaped(text);
    std::string out;
    out.reserve(escaped.size());
    for (char c : escaped) {
        if (c == '\n') out += "<br>";
        else if (c != '\r') out += c;
    }
    return out;
}

}  // namespace

std::string title_and_description_html(std::string_view title, std::string_view description) {
    std::string out = "<p>" + paragraph_html(title) + "</p>";
    if (!description.empty()) out += "<p>" + paragraph_html(description) + "</p>";
    return out;
}

std::string one_line(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\n' || c == '\r') {
            while (!out.empty() && out.back() == ' ') out.pop_back();
            if (!out.empty()) out += ' ';
            while (i + 1 < text.size() && (text[i + 1] == ' ' || text[i + 1] == '\n' || text[i + 1] == '\r')) ++i;
        } else {
            out += c;
        }
    }
    return out;
}

std::pair<std::string, std::string> title_and_description(std::string_view name_text, std::string_view text, bool html) {
    if (!html) return {std::string(name_text), std::string(text)};
    std::vector<std::string> paragraphs = html_paragraphs(text);
    const std::string name = one_line(name_text);
    std::string_view stem = name;
    const std::string_view ellipsis = "\xE2\x80\xA6";
    if (stem.size() >= ellipsis.size() && stem.substr(stem.size() - ellipsis.size()) == ellipsis)
        stem.remove_suffix(ellipsis.size());
    if (!paragraphs.empty() && !stem.empty() &&
        (one_line(paragraphs[0]) == name ||
         (stem.size() < name.size() && one_line(paragraphs[0]).substr(0, stem.size()) == stem))) {
        std::string description;
        for (std::size_t i = 1; i < paragraphs.size(); ++i)
            if (!paragraphs[i].empty()) description += (description.empty() ? "" : "\n") + paragraphs[i];
        return {paragraphs[0], description};
    }
    return {std::string(name_text), html_to_text(text)};
}

}  // namespace certigraph::interop::detail
