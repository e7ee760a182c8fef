#include "io/evaluations_dialect.hpp"

#include <certigraph/error.hpp>

#include "core/utf8.hpp"

#include <array>
#include <cstring>
#include <vector>

namespace certigraph::io::detail {

namespace {

/// Windows-1252's bytes 0x80-0x9F as code points; 0 where the code page defines none.
constexpr std::array<char32_t, 32> cp1252_high{
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

std::string hex_byte(unsigned char c) {
    static constexpr char digits[] = "0123456789ABCDEF";
    return std::string("0x") + digits[c >> 4] + digits[c & 15];
}

/// Collects `source:line:column: message` for bytes that are not text.
class Places {
  public:
    Places(std::string_view text, std::string_view source, std::size_t limit)
        : text_(text), source_(source), limit_(std::max<std::size_t>(1, limit)) {}
    /// Adds a problem at byte `offset`; false when the limit is reached.
    bool add(std::size_t offset, const std::string& message) {
        // Advance the line/column counters to the offset (offsets come in order).
        for (; at_ < offset; ++at_) {
            const auto c = static_cast<unsigned char>(text_[at_]);
            if (c == '\n') {
                ++line_;
                column_ = 1;
            } else if (!counting_utf8_ || (c & 0xC0) != 0x80) {
                ++column_;
            }
        }
        list_.push_back(std::string(source_) + ':' + std::to_string(line_) + ':' + std::to_string(column_) + ": " +
                        message);
        return list_.size() < limit_;
    }
    void count_bytes_as_characters() { counting_utf8_ = false; }
    [[noreturn]] void raise() const {
        std::string summary = std::string(source_) + ": " + std::to_string(list_.size()) +
                              (list_.size() == 1 ? " problem" : " problems") + "; nothing was imported";
        for (std::size_t i = 0; i < list_.size() && i < 5; ++i) summary += "\n" + list_[i];
        throw InvalidInput(std::move(summary), list_);
    }
    bool empty() const { return list_.empty(); }

  private:
    std::string_view text_;
    std::string_view source_;
    std::size_t limit_;
    std::vector<std::string> list_;
    std::size_t at_ = 0, line_ = 1, column_ = 1;
    bool counting_utf8_ = true;
};

}  // namespace

void check_utf8(std::string_view text, std::string_view source, std::size_t limit) {
    if (std::memchr(text.data(), 0, text.size()) == nullptr &&
        certigraph::detail::first_invalid_utf8(text) == std::string_view::npos)
        return;  // the usual case, fast
    Places places(text, source, limit);
    for (std::size_t i = 0; i < text.size();) {
        if (text[i] == '\0') {
            if (!places.add(i, "NUL byte; a CSV field holds text, remove it")) break;
            ++i;
            continue;
        }
        const std::size_t n = certigraph::detail::utf8_sequence_length(text, i);
        if (n == 0) {
            if (!places.add(i, "byte " + hex_byte(static_cast<unsigned char>(text[i])) +
                                   " is not UTF-8; save the file as UTF-8, or give its encoding (--encoding "
                                   "windows-1252 for a CSV saved by Excel on Windows, or latin-1)"))
                break;
            ++i;
            continue;
        }
        i += n;
    }
    places.raise();
}

namespace {

/// `text` decoded from a single-byte encoding into UTF-8; bytes with no character
/// (and NUL) refused with their places.
std::string decode_single_byte(std::string_view text, std::string_view source, Encoding encoding,
                               std::size_t limit) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    Places places(text, source, limit);
    places.count_bytes_as_characters();  // one byte, one character
    bool full = false;
    for (std::size_t i = 0; i < text.size() && !full; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == 0) {
            full = !places.add(i, "NUL byte; a CSV field holds text, remove it");
        } else if (c < 0x80) {
            out += static_cast<char>(c);
        } else if (c >= 0xA0) {
            certigraph::detail::append_utf8(out, c);  // Latin-1 and Windows-1252 agree from 0xA0
        } else if (encoding == Encoding::windows1252 && cp1252_high[c - 0x80] != 0) {
            certigraph::detail::append_utf8(out, cp1252_high[c - 0x80]);
        } else {
            full = !places.add(i, "byte " + hex_byte(c) + " is not a character in " +
                                      (encoding == Encoding::windows1252
                                           ? std::string("Windows-1252; check the file's encoding")
                                           : std::string("Latin-1 text (it is a Windows-1252 character); "
                                                         "give --encoding windows-1252")));
        }
    }
    if (!places.empty()) places.raise();
    return out;
}

/// A plain decimal with a comma: optional sign, digits, ',', digits.
bool decimal_comma_number(std::string_view f) {
    std::size_t i = 0;
    if (i < f.size() && (f[i] == '-' || f[i] == '+')) ++i;
    const std::size_t int_start = i;
    while (i < f.size() && f[i] >= '0' && f[i] <= '9') ++i;
    if (i == int_start || i >= f.size() || f[i] != ',') return false;
    const std::size_t frac_start = ++i;
    while (i < f.size() && f[i] >= '0' && f[i] <= '9') ++i;
    return i > frac_start && i == f.size();
}

/// Emits one field in certigraph's dialect: decimal commas made points, a field with
/// a comma or quote quoted.
void emit_field(std::string& out, std::string_view field, bool decimal_comma) {
    if (decimal_comma && decimal_comma_number(field)) {
        const std::size_t at = out.size();
        out.append(field);
        out[at + field.find(',')] = '.';
        return;
    }
    if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
        out.append(field);
        return;
    }
    out += '"';
    for (char c : field) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
}

/// Rewrites delimiter-separated text as comma-separated text. Malformed quoting is
/// copied as it is, for the reader to report at its place.
std::string rewrite_separators(std::string_view text, char delimiter, bool decimal_comma) {
    std::string out;
    out.reserve(text.size() + text.size() / 16);
    std::string field;
    std::size_t i = 0;
    const std::size_t n = text.size();
    if (n >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
    while (i < n) {
        // One field.
        field.clear();
        if (text[i] == '"') {
            std::size_t j = i + 1;
            bool closed = false;
            while (j < n) {
                if (text[j] == '"') {
                    if (j + 1 < n && text[j + 1] == '"') {
                        field += '"';
                        j += 2;
                        continue;
                    }
                    closed = true;
                    ++j;
                    break;
                }
                field += text[j++];
            }
            if (!closed || (j < n && text[j] != delimiter && text[j] != '\n' && text[j] != '\r')) {
                // Malformed: copy the rest verbatim, the reader names the place.
                out.append(text.substr(i));
                return out;
            }
            emit_field(out, field, decimal_comma);
            i = j;
        } else {
            std::size_t j = i;
            while (j < n && text[j] != delimiter && text[j] != '\n' && text[j] != '\r') ++j;
            emit_field(out, text.substr(i, j - i), decimal_comma);
            i = j;
        }
        if (i < n && text[i] == delimiter) {
            out += ',';
            ++i;
            if (i == n) break;
            continue;
        }
        // Line break(s): copied as they are.
        while (i < n && (text[i] == '\n' || text[i] == '\r')) out += text[i++];
    }
    return out;
}

}  // namespace

char detect_delimiter(std::string_view text, const EvaluationReadOptions& options) {
    if (options.delimiter != 0) return options.delimiter;
    std::size_t comma = 0, semicolon = 0, tab = 0;
    bool quoted = false;
    for (char c : text) {
        if (c == '"') quoted = !quoted;
        if (quoted) continue;
        if (c == '\n' || c == '\r') break;
        comma += c == ',';
        semicolon += c == ';';
        tab += c == '\t';
    }
    if (semicolon > comma && semicolon >= tab) return ';';
    if (tab > comma && tab > semicolon) return '\t';
    return ',';
}

std::optional<std::string> normalise_dialect(std::string_view text, std::string_view source,
                                             const EvaluationReadOptions& options) {
    const char given = options.delimiter;
    if (given != 0 && given != ',' && given != ';' && given != '\t')
        throw Error(std::string(source) + ": the separator must be ',', ';' or a tab");
    std::optional<std::string> decoded;
    if (options.encoding == Encoding::utf8) check_utf8(text, source, options.max_errors);
    else decoded = decode_single_byte(text, source, options.encoding, options.max_errors);
    const std::string_view utf8 = decoded ? std::string_view(*decoded) : text;

    const char delimiter = detect_delimiter(utf8, options);
    if (delimiter == ',' && options.decimal == DecimalMark::comma)
        throw Error(std::string(source) +
                    ": a decimal comma needs ';' or tab separators (with ',' separators, 12,5 is two fields)");
    if (delimiter == ',') return decoded;
    const bool decimal_comma = options.decimal != DecimalMark::point;
    return rewrite_separators(utf8, delimiter, decimal_comma);
}

}  // namespace certigraph::io::detail
