// Evaluation files: CSV (RFC 4180) in long or wide format, read into a Cohort.
//
// One pass over the whole buffer: lines without quotes are split eight bytes at a
// time, fields are string_views into the buffer (a quoted field with "" escapes is
// unescaped into a small arena, which is rare), numbers are read without copies
// (a plain decimal directly, anything else with std::from_chars), and only
// candidate, session and juror names are interned, through open-addressing tables
// keyed by views. Each value goes straight to its juror slot in a table of rows x
// criteria x slots that widens when a cell needs one more slot; the cohort is
// built from it at the end, only if the whole file is valid (docs/evaluations.md).
//
// Columns in messages are 1-based and count UTF-8 characters (code points), not
// bytes, so they match what an editor shows; lines are physical lines (a quoted
// field may span several).
#include <certigraph/date.hpp>
#include <certigraph/error.hpp>
#include <certigraph/grading/grader.hpp>
#include <certigraph/io/evaluations.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <iterator>
#include <limits>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#if __has_include(<sys/mman.h>) && __has_include(<fcntl.h>) && __has_include(<unistd.h>)
#define CERTIGRAPH_EVALUATIONS_MMAP 1
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#else
#define CERTIGRAPH_EVALUATIONS_MMAP 0
#endif

namespace certigraph::io {

namespace {

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

char lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (lower(a[i]) != lower(b[i])) return false;
    return true;
}

[[gnu::always_inline]] inline std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

/// A field's text for a message: quoted, control characters escaped, long text cut.
std::string shown(std::string_view s) {
    constexpr std::size_t limit = 40;
    std::string out = "'";
    std::size_t i = 0;
    for (; i < s.size() && i < limit; ++i) {
        const char c = s[i];
        if (c == '\n') out += "\\n";
        else if (c == '\r') out += "\\r";
        else if (c == '\t') out += "\\t";
        else out += c;
    }
    if (i < s.size()) {
        // Do not cut a UTF-8 sequence in the middle.
        while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
        if (!out.empty() && (static_cast<unsigned char>(out.back()) & 0x80)) out.pop_back();
        out += "...";
    }
    out += "'";
    return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            const std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
            diagonal = up;
        }
    }
    return row[b.size()];
}

/// The closest of `codes` to `text` (case-insensitive edit distance), if close enough.
template <class Codes>
std::optional<std::string_view> closest(std::string_view text, const Codes& codes) {
    std::optional<std::string_view> best;
    if (text.size() > 64) return best;  // not a mistyped code
    std::size_t best_distance = std::max<std::size_t>(1, text.size() / 3) + 1;
    for (const auto& code : codes) {
        const std::string_view c = code.code;
        const std::size_t d = edit_distance(text, c);
        if (d < best_distance) {
            best_distance = d;
            best = c;
        }
    }
    return best;
}

/// Equality of short strings (codes, names) without a call to memcmp.
[[gnu::always_inline]] inline bool same(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i] != b[i]) return false;
    return true;
}

std::uint64_t hash_bytes(std::string_view s) noexcept {
    std::uint64_t h = 0x9E3779B97F4A7C15ull ^ (s.size() * 0xff51afd7ed558ccdull);
    const char* p = s.data();
    std::size_t n = s.size();
    while (n >= 8) {
        std::uint64_t w;
        std::memcpy(&w, p, 8);
        h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
        h ^= h >> 31;
        p += 8;
        n -= 8;
    }
    std::uint64_t w = 0;
    if (n) std::memcpy(&w, p, n);
    h = (h ^ w) * 0x94d049bb133111ebull;
    h ^= h >> 32;
    return h;
}

std::uint64_t hash_u64(std::uint64_t x) noexcept {
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

/// Plain decimals ("12", "12.5", "-0.25") of at most 15 digits, read exactly as
/// std::from_chars reads them: an integer below 2^53 divided by an exactly
/// representable power of ten is correctly rounded. False for anything else
/// (exponents, "inf", ".5", more digits), which then goes to std::from_chars.
inline bool parse_plain_decimal(std::string_view s, double& out) noexcept {
    static constexpr double powers[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                        1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    const char* p = s.data();
    const char* const end = p + s.size();
    const bool negative = p < end && *p == '-';
    if (negative) ++p;
    std::uint64_t mantissa = 0;
    int digits = 0, fraction = 0;
    const char* const integer_start = p;
    for (; p < end && *p >= '0' && *p <= '9'; ++p, ++digits) mantissa = mantissa * 10 + static_cast<unsigned>(*p - '0');
    if (p == integer_start) return false;
    if (p < end && *p == '.') {
        const char* const fraction_start = ++p;
        for (; p < end && *p >= '0' && *p <= '9'; ++p, ++digits) mantissa = mantissa * 10 + static_cast<unsigned>(*p - '0');
        fraction = static_cast<int>(p - fraction_start);
        if (fraction == 0) return false;
    }
    if (p != end || digits > 15) return false;
    const double v = static_cast<double>(mantissa) / powers[fraction];
    out = negative ? -v : v;
    return true;
}

/// Open-addressing table from string views to dense ids (0, 1, ... in order of
/// insertion). The viewed characters must outlive the table.
class NameTable {
  public:
    NameTable() { slots_.assign(16, Slot{}); }

    std::optional<std::uint32_t> find(std::string_view key) const noexcept {
        const std::uint64_t h = hash_bytes(key);
        for (std::size_t i = h & mask();; i = (i + 1) & mask()) {
            const Slot& s = slots_[i];
            if (s.id == empty) return std::nullopt;
            if (s.hash == h && same(names_[s.id], key)) return s.id;
        }
    }

    /// The id of `key`, added if new.
    std::uint32_t intern(std::string_view key) {
        // Files repeat names line after line (a candidate's rows, two jurors in turn).
        if (recent_id_[0] != empty && same(key, recent_key_[0])) return recent_id_[0];
        if (recent_id_[1] != empty && same(key, recent_key_[1])) return remember(key, recent_id_[1]);
        return lookup_or_add(key);
    }

    std::string_view name(std::uint32_t id) const { return names_[id]; }
    std::size_t size() const noexcept { return names_.size(); }

  private:
    [[gnu::noinline]] std::uint32_t lookup_or_add(std::string_view key) {
        const std::uint64_t h = hash_bytes(key);
        std::size_t i = h & mask();
        for (;; i = (i + 1) & mask()) {
            const Slot& s = slots_[i];
            if (s.id == empty) break;
            if (s.hash == h && same(names_[s.id], key)) return remember(key, s.id);
        }
        const auto id = static_cast<std::uint32_t>(names_.size());
        names_.push_back(key);
        slots_[i] = Slot{h, id};
        if (names_.size() * 2 > slots_.size()) grow();
        return remember(key, id);
    }

    static constexpr std::uint32_t empty = 0xFFFFFFFF;
    struct Slot {
        std::uint64_t hash = 0;
        std::uint32_t id = empty;
    };
    std::size_t mask() const noexcept { return slots_.size() - 1; }
    std::uint32_t remember(std::string_view key, std::uint32_t id) {
        if (id != recent_id_[0]) {
            recent_key_[1] = recent_key_[0];
            recent_id_[1] = recent_id_[0];
            recent_key_[0] = key;
            recent_id_[0] = id;
        }
        return id;
    }
    void grow() {
        std::vector<Slot> old(slots_.size() * 2);
        old.swap(slots_);
        for (const Slot& s : old) {
            if (s.id == empty) continue;
            std::size_t i = s.hash & mask();
            while (slots_[i].id != empty) i = (i + 1) & mask();
            slots_[i] = s;
        }
    }
    std::vector<Slot> slots_;
    std::vector<std::string_view> names_;
    std::string_view recent_key_[2];
    std::uint32_t recent_id_[2] = {empty, empty};
};

/// Open-addressing table from (candidate id, session id) to a row number.
class RowTable {
  public:
    RowTable() { slots_.assign(16, Slot{}); }

    /// The row of the pair; `added` says whether it is new.
    std::uint32_t intern(std::uint64_t key, bool& added) {
        added = false;
        if (key == last_key_ && has_last_) return last_row_;
        std::size_t i = hash_u64(key) & mask();
        for (;; i = (i + 1) & mask()) {
            const Slot& s = slots_[i];
            if (s.row == empty) break;
            if (s.key == key) return remember(key, s.row);
        }
        const auto row = static_cast<std::uint32_t>(count_++);
        slots_[i] = Slot{key, row};
        added = true;
        if (count_ * 2 > slots_.size()) grow();
        return remember(key, row);
    }
    std::size_t size() const noexcept { return count_; }

  private:
    static constexpr std::uint32_t empty = 0xFFFFFFFF;
    struct Slot {
        std::uint64_t key = 0;
        std::uint32_t row = empty;
    };
    std::size_t mask() const noexcept { return slots_.size() - 1; }
    std::uint32_t remember(std::uint64_t key, std::uint32_t row) {
        last_key_ = key;
        last_row_ = row;
        has_last_ = true;
        return row;
    }
    void grow() {
        std::vector<Slot> old(slots_.size() * 2);
        old.swap(slots_);
        for (const Slot& s : old) {
            if (s.row == empty) continue;
            std::size_t i = hash_u64(s.key) & mask();
            while (slots_[i].row != empty) i = (i + 1) & mask();
            slots_[i] = s;
        }
    }
    std::vector<Slot> slots_;
    std::size_t count_ = 0;
    std::uint64_t last_key_ = 0;
    std::uint32_t last_row_ = 0;
    bool has_last_ = false;
};

// ---------------------------------------------------------------------------
// The tokenizer: RFC 4180 records over the whole buffer, no copies.
// ---------------------------------------------------------------------------

struct Field {
    // A constructor, so that emplace_back builds fields in place: a braced
    // temporary copied with 16-byte loads right after narrower stores stalls
    // store forwarding on every field.
    Field(std::string_view text_, std::size_t offset_, std::uint32_t line_, bool quoted_, bool escaped_) noexcept
        : text(text_), offset(offset_), line(line_), quoted(quoted_), escaped(escaped_) {}

    std::string_view text;  ///< between the quotes if quoted; still holds "" pairs if escaped
    std::size_t offset;     ///< of the field's first character (its opening quote if quoted)
    std::uint32_t line;     ///< physical line of that character
    bool quoted;
    bool escaped;           ///< quoted and containing "" pairs
};

/// Where a record is wrong as CSV; the record is skipped.
struct Malformed {
    std::size_t offset = 0;
    std::uint32_t line = 0;
    std::string message;
    bool fatal = false;  ///< nothing after it can be read (unterminated quote)
};

/// Table of the bytes that end an unquoted field.
constexpr std::array<bool, 256> make_stops() {
    std::array<bool, 256> t{};
    t[static_cast<unsigned char>(',')] = true;
    t[static_cast<unsigned char>('\n')] = true;
    t[static_cast<unsigned char>('\r')] = true;
    return t;
}
constexpr std::array<bool, 256> stops = make_stops();

/// The first byte of [p, end) that ends an unquoted field (',', LF, CR), or end.
/// Eight bytes at a time: a byte b equals c iff (b ^ c) is zero, and
/// (v - 0x01..) & ~v & 0x80.. flags the zero bytes of v exactly up to the first one.
inline const char* find_stop(const char* p, const char* end) noexcept {
    if constexpr (std::endian::native == std::endian::little) {
        constexpr std::uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
        constexpr std::uint64_t comma = ones * ',', lf = ones * '\n', cr = ones * '\r';
        auto zeros = [](std::uint64_t v) { return (v - ones) & ~v & highs; };
        while (end - p >= 8) {
            std::uint64_t w;
            std::memcpy(&w, p, 8);
            const std::uint64_t m = zeros(w ^ comma) | zeros(w ^ lf) | zeros(w ^ cr);
            if (m) return p + (std::countr_zero(m) >> 3);
            p += 8;
        }
    }
    while (p < end && !stops[static_cast<unsigned char>(*p)]) ++p;
    return p;
}

class Tokenizer {
  public:
    explicit Tokenizer(std::string_view text) : begin_(text.data()), p_(text.data()), end_(text.data() + text.size()) {
        if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") p_ += 3;  // UTF-8 BOM
        data_begin_ = p_;
    }

    enum class Result { record, end, malformed };

    /// Reads the next record into `fields`, skipping empty lines.
    Result next(std::vector<Field>& fields, Malformed& error) {
        fields.clear();
        while (p_ < end_ && (*p_ == '\n' || *p_ == '\r')) end_of_line();
        if (p_ >= end_) return Result::end;
        record_line_ = line_;
        if (plain_line(fields)) return Result::record;
        return quoted_record(fields, error);
    }

    /// The common case, a line without quotes: one branch-light scan that notes
    /// where the commas are, then the fields. False (nothing consumed) if the line
    /// has a quote.
    bool plain_line(std::vector<Field>& fields) {
        const char* p = p_;
        std::size_t n = 0;
        if constexpr (std::endian::native == std::endian::little) {
            // Eight bytes at a time; bit 7 of each byte of a mask flags a match.
            constexpr std::uint64_t ones = 0x0101010101010101ull, lows = 0x7F7F7F7F7F7F7F7Full;
            auto equal = [](std::uint64_t w, char c) {
                const std::uint64_t v = w ^ (ones * static_cast<unsigned char>(c));
                return ~(((v & lows) + lows) | v) & ~lows;  // exact: no carry between bytes
            };
            while (end_ - p >= 8) {
                if (commas_.size() < n + 8) commas_.resize(n + 128);
                std::uint64_t w;
                std::memcpy(&w, p, 8);
                const std::uint64_t quote = equal(w, '"');
                const std::uint64_t newline = equal(w, '\n') | equal(w, '\r');
                std::uint64_t comma = equal(w, ',');
                if (newline) {
                    const std::uint64_t before = (newline & (~newline + 1)) - 1;
                    if (quote & before) return false;
                    comma &= before;
                    note_commas(comma, p, n);
                    p += std::countr_zero(newline) >> 3;
                    goto line_end;
                }
                if (quote) return false;
                note_commas(comma, p, n);
                p += 8;
            }
        }
        for (; p < end_; ++p) {
            const char c = *p;
            if (c == '\n' || c == '\r') break;
            if (c == '"') return false;
            if (c == ',') {
                if (commas_.size() <= n) commas_.resize(n + 128);
                commas_[n++] = p;
            }
        }
    line_end:
        const char* start = p_;
        for (std::size_t i = 0; i < n; ++i) {
            const char* comma = commas_[i];
            fields.emplace_back(std::string_view{start, static_cast<std::size_t>(comma - start)}, offset(start), line_, false, false);
            start = comma + 1;
        }
        fields.emplace_back(std::string_view{start, static_cast<std::size_t>(p - start)}, offset(start), line_, false, false);
        p_ = p;
        if (p_ < end_) end_of_line();
        return true;
    }

    /// Appends the places of the commas flagged in `mask` (bit 7 of each byte of the
    /// word at p); commas_ has room for 8 more. Branch-light: most words hold 0-2.
    void note_commas(std::uint64_t mask, const char* p, std::size_t& n) noexcept {
        // Bits only at bit 7 of bytes: shifted down, the multiplication sums them in the top byte.
        const std::size_t count = static_cast<std::size_t>(((mask >> 7) * 0x0101010101010101ull) >> 56);
        const char** out = commas_.data() + n;
        out[0] = p + (std::countr_zero(mask) >> 3);
        mask &= mask - 1;
        out[1] = p + (std::countr_zero(mask) >> 3);
        mask &= mask - 1;
        for (int k = 2; mask; ++k) {
            out[k] = p + (std::countr_zero(mask) >> 3);
            mask &= mask - 1;
        }
        n += count;
    }

    /// Any record, quoted fields included (they may span lines).
    Result quoted_record(std::vector<Field>& fields, Malformed& error) {
        for (;;) {
            const char* start = p_;
            const std::uint32_t field_line = line_;
            if (*p_ == '"') {
                ++p_;
                const char* content = p_;
                bool escaped = false;
                for (;;) {
                    const void* found = std::memchr(p_, '"', static_cast<std::size_t>(end_ - p_));
                    if (!found) {
                        error = {offset(start), field_line,
                                 "unterminated quoted field (it runs to the end of the file); "
                                 "close it with a double quote",
                                 true};
                        count_lines(p_, end_);
                        p_ = end_;
                        return Result::malformed;
                    }
                    const char* q = static_cast<const char*>(found);
                    count_lines(p_, q);
                    if (q + 1 < end_ && q[1] == '"') {
                        escaped = true;
                        p_ = q + 2;
                        continue;
                    }
                    fields.emplace_back(std::string_view{content, static_cast<std::size_t>(q - content)}, offset(start), field_line, true, escaped);
                    p_ = q + 1;
                    break;
                }
                if (p_ < end_ && !stops[static_cast<unsigned char>(*p_)]) {
                    error = {offset(p_), line_,
                             "unexpected " + shown(std::string_view(p_, 1)) +
                                 " after a closing quote; inside a quoted field write a quote as \"\"",
                             false};
                    skip_line();
                    return Result::malformed;
                }
            } else {
                p_ = find_stop(p_, end_);
                fields.emplace_back(std::string_view{start, static_cast<std::size_t>(p_ - start)}, offset(start), field_line, false, false);
            }
            if (p_ >= end_) return Result::record;
            if (*p_ == ',') {
                ++p_;
                if (p_ >= end_) {  // "a,b," at the very end: a last empty field
                    fields.emplace_back(std::string_view{p_, 0}, offset(p_), line_, false, false);
                    return Result::record;
                }
                continue;
            }
            end_of_line();
            return Result::record;
        }
    }

    /// Physical line where the last record read starts.
    std::uint32_t record_line() const noexcept { return record_line_; }

    std::size_t offset(const char* p) const noexcept { return static_cast<std::size_t>(p - begin_); }

    /// 1-based column, in UTF-8 characters, of the byte at `offset`.
    std::size_t column(std::size_t at) const noexcept {
        const char* p = begin_ + at;
        const char* line_start = p;
        while (line_start > data_begin_ && line_start[-1] != '\n' && line_start[-1] != '\r') --line_start;
        std::size_t column = 1;
        for (const char* c = line_start; c < p; ++c)
            if ((static_cast<unsigned char>(*c) & 0xC0) != 0x80) ++column;
        return column;
    }

  private:
    void end_of_line() noexcept {
        if (*p_ == '\r' && p_ + 1 < end_ && p_[1] == '\n') ++p_;
        ++p_;
        ++line_;
    }
    /// Counts line breaks (LF, CRLF, lone CR) inside a quoted field.
    void count_lines(const char* from, const char* to) noexcept {
        for (const char* c = from; c < to; ++c)
            if (*c == '\n' || (*c == '\r' && (c + 1 >= end_ || c[1] != '\n'))) ++line_;
    }
    /// Recovery after a malformed record: continue at the next line.
    void skip_line() noexcept {
        while (p_ < end_ && *p_ != '\n' && *p_ != '\r') ++p_;
        if (p_ < end_) end_of_line();
    }

    const char* begin_;
    const char* data_begin_;
    const char* p_;
    const char* end_;
    std::uint32_t line_ = 1;
    std::uint32_t record_line_ = 1;
    std::vector<const char*> commas_;
};

// ---------------------------------------------------------------------------
// Problems
// ---------------------------------------------------------------------------

struct Problem {
    std::uint32_t line;
    std::size_t column;
    std::string message;
};

class Problems {
  public:
    Problems(const Tokenizer& tokenizer, std::size_t limit) : tokenizer_(tokenizer), limit_(std::max<std::size_t>(1, limit)) {}

    void add(std::uint32_t line, std::size_t offset, std::string message) {
        if (full()) return;
        list_.push_back({line, tokenizer_.column(offset), std::move(message)});
    }
    void add(const Field& field, std::string message) { add(field.line, field.offset, std::move(message)); }
    /// Just after the field (where a missing one would start); at its start if it
    /// is quoted, since a quoted field may end on another line.
    void add_after(const Field& field, std::string message) {
        add(field.line, field.quoted ? field.offset : field.offset + field.text.size(), std::move(message));
    }
    bool full() const noexcept { return list_.size() >= limit_; }
    bool empty() const noexcept { return list_.empty(); }

    [[noreturn]] void raise(std::string_view source) {
        std::stable_sort(list_.begin(), list_.end(), [](const Problem& a, const Problem& b) {
            return a.line != b.line ? a.line < b.line : a.column < b.column;
        });
        std::vector<std::string> texts;
        texts.reserve(list_.size());
        for (const Problem& p : list_)
            texts.push_back(std::string(source) + ':' + std::to_string(p.line) + ':' +
                            std::to_string(p.column) + ": " + p.message);
        std::string summary(source);
        summary += ": ";
        if (full() && limit_ > 1)
            summary += "at least " + std::to_string(texts.size()) + " problems (stopped at max_errors)";
        else
            summary += std::to_string(texts.size()) + (texts.size() == 1 ? " problem" : " problems");
        summary += "; nothing was imported";
        constexpr std::size_t shown_in_summary = 5;
        for (std::size_t i = 0; i < texts.size() && i < shown_in_summary; ++i) summary += "\n" + texts[i];
        if (texts.size() > shown_in_summary)
            summary += "\n(" + std::to_string(texts.size() - shown_in_summary) + " more)";
        throw InvalidInput(std::move(summary), std::move(texts));
    }

  private:
    const Tokenizer& tokenizer_;
    std::size_t limit_;
    std::vector<Problem> list_;
};

// ---------------------------------------------------------------------------
// The reader
// ---------------------------------------------------------------------------

constexpr std::array<std::string_view, 6> long_header{"candidate", "session", "epreuve",
                                                     "criterion", "juror",   "value"};
constexpr std::string_view expected_headers =
    "expected 'candidate,session,epreuve,criterion,juror,value' (+ ',time') for the long "
    "format, or 'candidate,session,juror,<criterion code>...' for the wide format";

/// A juror slot while reading: the value, who gave it, and the line of its
/// record (to name the first of two duplicates).
struct Slot {
    float value;
    std::uint32_t juror_mark;  ///< (juror id + 1) | mark << 30; 0 (`free`) when the slot is unused
    std::uint32_t line;

    static constexpr std::uint32_t free = 0;  // so that zeroed memory is a table of free slots
    static constexpr std::uint32_t max_jurors = (1u << 30) - 2;  ///< largest id
    static std::uint32_t pack(std::uint32_t juror, Mark mark) noexcept {
        return (juror + 1) | (static_cast<std::uint32_t>(mark) << 30);
    }
    std::uint32_t juror() const noexcept { return (juror_mark & ((1u << 30) - 1)) - 1; }
    Mark mark() const noexcept { return static_cast<Mark>(juror_mark >> 30); }
};
static_assert(std::is_trivial_v<Slot>);

/// The values read so far, rows x criteria x juror slots, in blocks of rows (no
/// copy when rows are added). The juror axis starts with room for one slot and
/// widens (one copy, by half its size) when a cell needs more; used() is the
/// largest number of distinct jurors of a cell.
class SlotTable {
  public:
    explicit SlotTable(std::size_t criteria)
        : criteria_(std::max<std::size_t>(criteria, 1)),
          block_shift_(static_cast<unsigned>(
              std::countr_zero(std::bit_floor(std::max<std::size_t>(1, (std::size_t{1} << 16) / criteria_))))),
          block_rows_(std::size_t{1} << block_shift_) {}

    std::size_t rows() const noexcept { return rows_; }
    /// Slots per cell (the room), and the most that one cell uses.
    std::size_t jurors() const noexcept { return jurors_; }
    std::size_t used() const noexcept { return used_; }
    void use(std::size_t slots) noexcept { used_ = std::max(used_, slots); }

    void add_row() {
        if ((rows_ & (block_rows_ - 1)) == 0) blocks_.push_back(new_block(jurors_));
        ++rows_;
    }

    /// The slots of a cell, `jurors()` of them; used ones come first.
    Slot* cell(std::size_t row, std::size_t criterion) noexcept {
        return &blocks_[row >> block_shift_][((row & (block_rows_ - 1)) * criteria_ + criterion) * jurors_];
    }

    /// More slots for every cell (pointers from cell() are invalidated).
    void widen() {
        const std::size_t wider = jurors_ + std::max<std::size_t>(1, jurors_ / 2);
        for (auto& block : blocks_) {
            auto copy = new_block(wider);
            for (std::size_t c = 0; c < block_rows_ * criteria_; ++c)
                std::copy_n(&block[c * jurors_], jurors_, &copy[c * wider]);
            block = std::move(copy);
        }
        jurors_ = wider;
    }

  private:
    struct Free {
        void operator()(Slot* p) const noexcept { std::free(p); }
    };
    using Block = std::unique_ptr<Slot[], Free>;

    /// Zeroed (free) slots; calloc gets fresh zero pages from the system for large
    /// blocks instead of writing them.
    Block new_block(std::size_t jurors) const {
        void* p = std::calloc(block_rows_ * criteria_ * jurors, sizeof(Slot));
        if (!p) throw std::bad_alloc();
        return Block(static_cast<Slot*>(p));
    }

    std::size_t criteria_;
    unsigned block_shift_;  ///< rows per block = 1 << block_shift_, about 64k cells
    std::size_t block_rows_;
    std::size_t jurors_ = 1;
    std::size_t used_ = 1;
    std::size_t rows_ = 0;
    std::vector<Block> blocks_;
};

/// True for `YYYY-MM-DD`, optionally followed by `T` or a space, `HH:MM`, optional
/// `:SS` with an optional fraction, and an optional `Z` or `+HH:MM` / `-HH:MM` offset.
bool is_iso_time(std::string_view s) {
    if (s.size() < 10 || !Date::parse(s.substr(0, 10))) return false;
    s.remove_prefix(10);
    if (s.empty()) return true;
    if (s[0] != 'T' && s[0] != ' ') return false;
    s.remove_prefix(1);
    auto two_digits = [&s](int max) {
        if (s.size() < 2 || s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9') return false;
        const int v = (s[0] - '0') * 10 + (s[1] - '0');
        s.remove_prefix(2);
        return v <= max;
    };
    if (!two_digits(23) || s.empty() || s[0] != ':') return false;
    s.remove_prefix(1);
    if (!two_digits(59)) return false;
    if (!s.empty() && s[0] == ':') {
        s.remove_prefix(1);
        if (!two_digits(60)) return false;
        if (!s.empty() && (s[0] == '.' || s[0] == ',')) {
            s.remove_prefix(1);
            std::size_t digits = 0;
            while (!s.empty() && s[0] >= '0' && s[0] <= '9') {
                s.remove_prefix(1);
                ++digits;
            }
            if (digits == 0) return false;
        }
    }
    if (s.empty()) return true;
    if (s == "Z") return true;
    if (s[0] != '+' && s[0] != '-') return false;
    s.remove_prefix(1);
    if (!two_digits(23)) return false;
    if (!s.empty() && s[0] == ':') s.remove_prefix(1);
    return two_digits(59) && s.empty();
}

class Reader {
  public:
    Reader(const Referentiel& referentiel, std::span<const Scale> scales, std::string_view text,
           std::string_view source, const EvaluationReadOptions& options)
        : referentiel_(referentiel),
          scales_(scales),
          source_(source),
          tokenizer_(text),
          problems_(tokenizer_, options.max_errors),
          slots_(referentiel.criteria().size()) {
        const auto criteria = referentiel.criteria();
        if (scales.size() != criteria.size())
            throw GradingError("read_evaluations: " + std::to_string(scales.size()) +
                               " scales given for " + std::to_string(criteria.size()) +
                               " criteria; pass one scale per criterion, in dense order");
        for (const Criterion& c : criteria) criterion_codes_.intern(c.code);
        for (const Epreuve& e : referentiel.epreuves()) epreuve_codes_.intern(e.code);
        value_rules_.resize(scales.size());
        for (std::size_t i = 0; i < scales.size(); ++i) {
            // Scale::parse tries labels before numbers; a label that reads as a number
            // would change the meaning, so such scales always go through Scale::parse.
            bool numeric_label = false;
            for (const std::string& label : scales[i].labels) {
                double v = 0;
                const std::string_view t = trim(label);
                auto [end, error] = std::from_chars(t.data(), t.data() + t.size(), v);
                if (error == std::errc{} && end == t.data() + t.size()) numeric_label = true;
            }
            const Scale& scale = scales[i];
            ValueRule& rule = value_rules_[i];
            rule.numbers_first = !numeric_label;
            rule.plain = scale.kind == ScaleKind::numeric && !(scale.step > 0);
            rule.min = scale.min;
            rule.max = scale.max;
        }
        criteria_ = criteria;
        criterion_count_ = criteria.size();
        epreuve_count_ = referentiel.epreuves().size();
        const std::size_t epreuves = epreuve_count_;
        covers_.assign(criteria.size() * epreuves, 0);
        covering_count_.assign(criteria.size(), 0);
        for (Index c = 0; c < criteria.size(); ++c)
            for (const Index e : referentiel.epreuves_covering_criterion(c)) {
                covers_[std::size_t{c} * epreuves + e] = 1;
                ++covering_count_[c];
            }
    }

    Cohort read() {
        Malformed error;
        const auto header = tokenizer_.next(fields_, error);
        if (header == Tokenizer::Result::end) {
            problems_.add(1, 0, std::string("empty file; ") + std::string(expected_headers));
            problems_.raise(source_);
        }
        if (header == Tokenizer::Result::malformed) {
            problems_.add(error.line, error.offset, error.message);
            problems_.raise(source_);
        }
        read_header();
        if (!problems_.empty()) problems_.raise(source_);

        for (;;) {
            if (problems_.full()) break;
            const auto result = tokenizer_.next(fields_, error);
            if (result == Tokenizer::Result::end) break;
            if (result == Tokenizer::Result::malformed) {
                problems_.add(error.line, error.offset, error.message);
                if (error.fatal) break;
                continue;
            }
            if (fields_.size() != columns_) {
                wrong_field_count();
                continue;
            }
            if (wide_) read_wide_line();
            else read_long_line();
        }
        return build();
    }

  private:
    // --- header ------------------------------------------------------------

    void read_header() {
        std::vector<std::string_view> names;
        for (const Field& f : fields_) names.push_back(trim(unescaped(f)));
        auto is = [&names](std::size_t i, std::string_view name) { return i < names.size() && iequals(names[i], name); };
        const std::size_t n = names.size();
        if (is(0, "candidate") && is(1, "session") && is(2, "juror")) {
            wide_ = true;
            columns_ = n;
            if (n == 3) {
                problems_.add_after(fields_[2],
                              "the wide format needs criterion columns after 'juror'; add one "
                              "column per criterion code, e.g. 'candidate,session,juror,A1E1,A1E2'");
                return;
            }
            std::vector<std::size_t> first_column(referentiel_.criteria().size(), 0);
            for (std::size_t i = 3; i < n; ++i) {
                const auto criterion = lookup_criterion(fields_[i], names[i]);
                if (!criterion) {
                    column_criteria_.push_back(0);
                    continue;
                }
                if (first_column[*criterion] == 0)
                    first_column[*criterion] = i;
                else
                    problems_.add(fields_[i], "criterion " + std::string(names[i]) +
                                                  " has a second column (the first is column " +
                                                  std::to_string(tokenizer_.column(fields_[first_column[*criterion]].offset)) +
                                                  "); keep one column per criterion");
                column_criteria_.push_back(*criterion);
            }
            return;
        }
        // Long format, or nothing known: point at the first column that differs.
        std::size_t mismatch = 0;
        while (mismatch < long_header.size() && is(mismatch, long_header[mismatch])) ++mismatch;
        if (mismatch == long_header.size() && is(mismatch, "time")) ++mismatch;
        if (mismatch >= long_header.size() && mismatch == n) {
            columns_ = n;
            has_time_ = n == 7;
            return;
        }
        std::string found;
        for (std::size_t i = 0; i < n; ++i) found += (i ? "," : "") + std::string(names[i]);
        if (mismatch >= n) {  // a prefix of the long header: a column is missing
            problems_.add_after(fields_.back(),
                          "unrecognised header " + shown(found) + "; " + std::string(expected_headers));
            return;
        }
        problems_.add(fields_[mismatch], "unrecognised header " + shown(found) + " (column " +
                                             shown(names[mismatch]) + "); " + std::string(expected_headers));
    }

    // --- lines -------------------------------------------------------------

    void wrong_field_count() {
        const std::string counts = std::to_string(fields_.size()) + " fields where the header has " +
                                   std::to_string(columns_);
        if (fields_.size() > columns_) {
            problems_.add(fields_[columns_], counts +
                                                 "; quote a field that contains a comma (\"a,b\") or remove "
                                                 "the extra fields");
        } else {
            problems_.add_after(fields_.back(),
                                counts + "; add the missing fields (an empty field is written ,,)");
        }
    }

    void read_long_line() {
        const Field& candidate_field = fields_[0];
        const Field& criterion_field = fields_[3];
        const Field& juror_field = fields_[4];
        const Field& value_field = fields_[5];
        const std::string_view candidate = trim(unescaped(candidate_field));
        const std::string_view session = trim(unescaped(fields_[1]));
        const std::string_view epreuve = trim(unescaped(fields_[2]));
        const std::string_view criterion_code = trim(unescaped(criterion_field));
        const std::string_view juror = trim(unescaped(juror_field));
        const std::string_view value_text = trim(unescaped(value_field));
        bool ok = true;
        if (candidate.empty()) {
            problems_.add(candidate_field, "empty candidate; every line needs the candidate's code");
            ok = false;
        }
        std::optional<Index> criterion;
        // Files are usually sorted: the criterion of the previous line, or the next one.
        if (last_criterion_ && same(criterion_code, last_criterion_code_)) {
            criterion = last_criterion_;
        } else if (last_criterion_ && *last_criterion_ + 1 < criterion_count_ &&
                   same(criterion_code, criteria_[*last_criterion_ + 1].code)) {
            criterion = *last_criterion_ + 1;
            last_criterion_code_ = criterion_code;
            last_criterion_ = criterion;
        } else {
            criterion = lookup_criterion(criterion_field, criterion_code);
            if (criterion) {
                last_criterion_code_ = criterion_code;
                last_criterion_ = criterion;
            }
        }
        ok = ok && criterion.has_value();
        if (juror.empty()) {
            problems_.add(juror_field, "empty juror; name the juror who gave this value");
            ok = false;
        }
        if (criterion && !check_epreuve(fields_[2], epreuve, *criterion)) ok = false;
        Mark mark = Mark::value;
        double value = 0;
        if (criterion && !value_text.empty() && !read_value(value_field, value_text, *criterion, value, mark))
            ok = false;
        if (has_time_) {
            const std::string_view time = trim(unescaped(fields_[6]));
            if (!time.empty() && !is_iso_time(time)) {
                problems_.add(fields_[6], "time " + shown(time) +
                                              " is not an ISO date or date-time; write e.g. 2026-06-15 or "
                                              "2026-06-15T14:30:00");
                ok = false;
            }
        }
        if (!ok) return;
        const std::uint32_t row = intern_row(candidate, session);
        if (value_text.empty()) return;  // missing: nothing recorded
        const std::uint32_t juror_id = intern_juror(juror_field, juror);
        if (juror_id > Slot::max_jurors) return;
        store(juror_field, row, *criterion, juror_id, mark, value);
    }

    void read_wide_line() {
        const Field& candidate_field = fields_[0];
        const Field& juror_field = fields_[2];
        const std::string_view candidate = trim(unescaped(candidate_field));
        const std::string_view session = trim(unescaped(fields_[1]));
        const std::string_view juror = trim(unescaped(juror_field));
        bool ok = true;
        if (candidate.empty()) {
            problems_.add(candidate_field, "empty candidate; every line needs the candidate's code");
            ok = false;
        }
        if (juror.empty()) {
            problems_.add(juror_field, "empty juror; name the juror who gave these values");
            ok = false;
        }
        std::uint32_t juror_id = 0;
        if (ok) juror_id = intern_juror(juror_field, juror);
        ok = ok && juror_id <= Slot::max_jurors;
        const std::uint32_t row = ok ? intern_row(candidate, session) : 0;
        for (std::size_t i = 3; i < columns_; ++i) {
            const Field& f = fields_[i];
            const std::string_view text = trim(unescaped(f));
            if (text.empty()) continue;
            const Index criterion = column_criteria_[i - 3];
            Mark mark = Mark::value;
            double value = 0;
            if (read_value(f, text, criterion, value, mark) && ok) store(f, row, criterion, juror_id, mark, value);
        }
    }

    /// Puts a value in the next free slot of its cell, or reports a duplicate at `f`.
    void store(const Field& f, std::uint32_t row, Index criterion, std::uint32_t juror, Mark mark, double value) {
        Slot* cell = slots_.cell(row, criterion);
        std::size_t k = 0;
        const std::size_t jurors = slots_.jurors();
        for (; k < jurors && cell[k].juror_mark != Slot::free; ++k) {
            if (cell[k].juror() != juror) continue;
            problems_.add(f, "second value for candidate " + shown(candidate_of_row(row)) + ", session " +
                                 shown(session_of_row(row)) + ", criterion " +
                                 referentiel_.criteria()[criterion].code + ", juror " +
                                 shown(jurors_.name(juror)) + " (the first is on line " +
                                 std::to_string(cell[k].line) + "); keep one of the two");
            return;
        }
        if (k == jurors) {
            slots_.widen();
            cell = slots_.cell(row, criterion);
        }
        cell[k].value = static_cast<float>(value);
        cell[k].juror_mark = Slot::pack(juror, mark);
        slots_.use(k + 1);
        cell[k].line = tokenizer_.record_line();
    }

    // --- fields ------------------------------------------------------------

    /// The field's text with "" turned into ", stable for the whole read.
    std::string_view unescaped(const Field& f) {
        if (!f.escaped) return f.text;
        std::string& s = arena_.emplace_back();
        s.reserve(f.text.size());
        for (std::size_t i = 0; i < f.text.size(); ++i) {
            s += f.text[i];
            if (f.text[i] == '"') ++i;  // the tokenizer guarantees pairs
        }
        return s;
    }

    std::optional<Index> lookup_criterion(const Field& f, std::string_view code) {
        if (code.empty()) {
            problems_.add(f, "empty criterion; write a criterion code of " +
                                 referentiel_.certification().code + " (e.g. " +
                                 std::string(referentiel_.criteria().empty() ? "A1E1" : referentiel_.criteria()[0].code) + ")");
            return std::nullopt;
        }
        if (const auto id = criterion_codes_.find(code)) return *id;
        std::string message = "unknown criterion " + shown(code);
        if (const auto node = referentiel_.find(code)) {
            message += " (it is the code of a " + std::string(to_string(node->kind)) + ", not of a criterion)";
            if (node->kind == NodeKind::competency) {
                const auto criteria = referentiel_.criteria_of_competency(node->index);
                if (!criteria.empty()) {
                    message += "; use one of its criteria:";
                    for (std::size_t i = 0; i < criteria.size(); ++i)
                        message += (i ? ", " : " ") + referentiel_.criteria()[criteria[i]].code;
                    problems_.add(f, std::move(message));
                    return std::nullopt;
                }
            }
        }
        if (const auto near = closest(code, referentiel_.criteria()))
            message += "; did you mean " + std::string(*near) + "?";
        else
            message += "; use a criterion code of " + referentiel_.certification().code;
        problems_.add(f, std::move(message));
        return std::nullopt;
    }

    std::string epreuve_list(std::span<const Index> epreuves) const {
        std::string list;
        for (std::size_t i = 0; i < epreuves.size(); ++i)
            list += (i ? ", " : "") + referentiel_.epreuves()[epreuves[i]].code;
        return list;
    }

    bool check_epreuve(const Field& f, std::string_view code, Index criterion) {
        const auto covering = [&] { return referentiel_.epreuves_covering_criterion(criterion); };
        const std::string& criterion_code = criteria_[criterion].code;
        if (code.empty()) {
            if (covering_count_[criterion] <= 1) return true;
            problems_.add(f, "criterion " + criterion_code + " is evaluated by several épreuves (" +
                                 epreuve_list(covering()) + "); name the épreuve in the epreuve column");
            return false;
        }
        std::optional<std::uint32_t> epreuve;
        if (last_epreuve_ && same(code, last_epreuve_code_)) {
            epreuve = last_epreuve_;
        } else {
            epreuve = epreuve_codes_.find(code);
            if (epreuve) {
                last_epreuve_code_ = code;
                last_epreuve_ = epreuve;
            }
        }
        if (!epreuve) {
            std::string message = "unknown épreuve " + shown(code);
            if (covering_count_[criterion] == 0)
                message += "; criterion " + criterion_code + " is evaluated by no épreuve: leave the epreuve column empty";
            else if (covering_count_[criterion] == 1)
                message += "; criterion " + criterion_code + " is evaluated by " + epreuve_list(covering()) +
                           ": write it or leave the epreuve column empty";
            else
                message += "; criterion " + criterion_code + " is evaluated by " + epreuve_list(covering());
            problems_.add(f, std::move(message));
            return false;
        }
        if (covers_[std::size_t{criterion} * epreuve_count_ + *epreuve]) return true;
        std::string message = "épreuve " + std::string(code) + " does not evaluate criterion " + criterion_code;
        if (covering_count_[criterion] == 0)
            message += "; no épreuve evaluates it: leave the epreuve column empty";
        else if (covering_count_[criterion] == 1)
            message += "; write " + epreuve_list(covering()) + " or leave the epreuve column empty";
        else
            message += "; write one of " + epreuve_list(covering());
        problems_.add(f, std::move(message));
        return false;
    }

    /// A non-empty value: absent, exempt, or a value of the criterion's scale.
    bool read_value(const Field& f, std::string_view text, Index criterion, double& value, Mark& mark) {
        if (text.size() == 6) {
            if (iequals(text, "absent")) {
                mark = Mark::absent;
                value = std::numeric_limits<double>::quiet_NaN();
                return true;
            }
            if (iequals(text, "exempt")) {
                mark = Mark::exempt;
                value = std::numeric_limits<double>::quiet_NaN();
                return true;
            }
        }
        const Scale& scale = scales_[criterion];
        const ValueRule& rule = value_rules_[criterion];
        if (rule.numbers_first) {
            double v = 0;
            bool number = parse_plain_decimal(text, v);
            if (!number) {
                const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), v);
                number = error == std::errc{} && end == text.data() + text.size();
            }
            if (number) {
                if (rule.plain ? (v >= rule.min && v <= rule.max) : scale.contains(v)) {
                    value = v;
                    return true;
                }
                value_problem(f, text, criterion);
                return false;
            }
        }
        if (const auto v = scale.parse(text)) {
            value = *v;
            return true;
        }
        value_problem(f, text, criterion);
        return false;
    }

    void value_problem(const Field& f, std::string_view text, Index criterion) {
        problems_.add(f, "value " + shown(text) + " is not on the scale of criterion " +
                             referentiel_.criteria()[criterion].code + "; write " +
                             scales_[criterion].describe() +
                             ", 'absent', 'exempt', or leave it empty if not yet assessed");
    }

    std::uint32_t intern_juror(const Field& f, std::string_view juror) {
        const std::uint32_t id = jurors_.intern(juror);
        if (id == Slot::max_jurors + 1)
            problems_.add(f, "more than " + std::to_string(Slot::max_jurors + 1) +
                                 " distinct jurors; split the file");
        return id;
    }

    std::uint32_t intern_row(std::string_view candidate, std::string_view session) {
        // A candidate's lines usually follow each other.
        if (!row_keys_.empty() && same(candidate, last_candidate_) && same(session, last_session_)) return last_row_;
        last_candidate_ = candidate;
        last_session_ = session;
        last_row_ = intern_new_row(candidate, session);
        return last_row_;
    }

    std::uint32_t intern_new_row(std::string_view candidate, std::string_view session) {
        const std::uint64_t key = (std::uint64_t{candidates_.intern(candidate)} << 32) | sessions_.intern(session);
        bool added = false;
        const std::uint32_t row = rows_.intern(key, added);
        if (added) {
            row_keys_.push_back(key);
            slots_.add_row();
        }
        return row;
    }

    // --- second pass: slots, duplicates, the cohort ---------------------------

    Cohort build() {
        if (!problems_.empty()) problems_.raise(source_);
        const std::size_t rows = slots_.rows();
        const std::size_t criteria = referentiel_.criteria().size();
        const std::size_t jurors = slots_.used();
        Cohort cohort(rows, criteria, jurors);
        // Registered in the reader's order, the cohort's juror ids are the reader's.
        for (std::uint32_t id = 0; id < jurors_.size(); ++id) cohort.juror_id(jurors_.name(id));
        for (std::size_t r = 0; r < rows; ++r) {
            cohort.set_row_label(r, std::string(candidate_of_row(r)), std::string(session_of_row(r)));
            for (std::size_t c = 0; c < criteria; ++c) {
                const Slot* cell = slots_.cell(r, c);
                for (std::size_t k = 0; k < jurors && cell[k].juror_mark != Slot::free; ++k) {
                    if (cell[k].mark() == Mark::value) cohort.set_value(r, c, k, cell[k].value);
                    else cohort.set_mark(r, c, k, cell[k].mark());
                    cohort.set_juror(r, c, k, cell[k].juror());
                }
            }
        }
        return cohort;
    }

    std::string_view candidate_of_row(std::size_t row) const {
        return candidates_.name(static_cast<std::uint32_t>(row_keys_[row] >> 32));
    }
    std::string_view session_of_row(std::size_t row) const {
        return sessions_.name(static_cast<std::uint32_t>(row_keys_[row]));
    }

    const Referentiel& referentiel_;
    std::span<const Scale> scales_;
    std::string_view source_;
    Tokenizer tokenizer_;
    Problems problems_;

    std::vector<Field> fields_;
    std::deque<std::string> arena_;
    bool wide_ = false;
    bool has_time_ = false;
    std::size_t columns_ = 0;
    std::vector<Index> column_criteria_;  ///< wide: criterion of each column after 'juror'
    /// How to read the values of each criterion quickly.
    struct ValueRule {
        double min = 0, max = 0;     ///< plain: the scale's range
        bool numbers_first = true;   ///< no label reads as a number: try a number first
        bool plain = false;          ///< numeric without step: in range is enough
    };
    std::vector<ValueRule> value_rules_;
    std::span<const Criterion> criteria_;
    std::size_t criterion_count_ = 0, epreuve_count_ = 0;
    std::vector<std::uint8_t> covers_;                    ///< criteria x épreuves: 1 if it evaluates it
    std::vector<std::uint32_t> covering_count_;           ///< épreuves covering each criterion

    NameTable criterion_codes_, epreuve_codes_;
    NameTable candidates_, sessions_, jurors_;
    RowTable rows_;
    std::vector<std::uint64_t> row_keys_;  ///< (candidate id, session id) of each row
    std::string_view last_candidate_, last_session_;
    std::uint32_t last_row_ = 0;
    SlotTable slots_;

    std::string_view last_criterion_code_;
    std::optional<Index> last_criterion_;
    std::string_view last_epreuve_code_;
    std::optional<std::uint32_t> last_epreuve_;
};

/// A whole file's bytes: mapped into memory where the system allows (no copy;
/// a large file is read as fast as the page cache gives it), read otherwise.
class FileText {
  public:
    explicit FileText(const std::filesystem::path& path) {
#if CERTIGRAPH_EVALUATIONS_MMAP
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) throw IoError(path.string() + ": cannot open for reading");
        struct stat info {};
        const bool known = ::fstat(fd, &info) == 0;
        if (known && S_ISDIR(info.st_mode)) {
            ::close(fd);
            throw IoError(path.string() + ": is a directory, not a file");
        }
        // The mapping is private and read-only; a file truncated by another process
        // while it is read is the one case it does not cover (SIGBUS), as with any
        // memory-mapped reader.
        if (known && S_ISREG(info.st_mode) && info.st_size > 0) {
            const auto size = static_cast<std::size_t>(info.st_size);
            void* mapped = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | map_populate, fd, 0);
            if (mapped != MAP_FAILED) {
                ::close(fd);
                mapped_ = mapped;
                view_ = {static_cast<const char*>(mapped), size};
                return;
            }
        }
        ::close(fd);
#endif
        std::ifstream in(path, std::ios::binary);
        if (!in) throw IoError(path.string() + ": cannot open for reading");
        text_.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        if (in.bad()) throw IoError(path.string() + ": read error");
        view_ = text_;
    }
    ~FileText() {
#if CERTIGRAPH_EVALUATIONS_MMAP
        if (mapped_) ::munmap(mapped_, view_.size());
#endif
    }
    FileText(const FileText&) = delete;
    FileText& operator=(const FileText&) = delete;

    std::string_view view() const noexcept { return view_; }

  private:
#if CERTIGRAPH_EVALUATIONS_MMAP
#ifdef MAP_POPULATE
    static constexpr int map_populate = MAP_POPULATE;
#else
    static constexpr int map_populate = 0;
#endif
    void* mapped_ = nullptr;
#endif
    std::string text_;
    std::string_view view_;
};

}  // namespace

Cohort read_evaluations(const Referentiel& referentiel, std::span<const Scale> scales,
                        std::string_view text, std::string_view source,
                        const EvaluationReadOptions& options) {
    return Reader(referentiel, scales, text, source, options).read();
}

Cohort load_evaluations(const Grader& grader, const std::filesystem::path& path,
                        const EvaluationReadOptions& options) {
    const Referentiel& referentiel = grader.referentiel();
    std::vector<Scale> scales;
    scales.reserve(referentiel.criteria().size());
    for (Index i = 0; i < referentiel.criteria().size(); ++i) scales.push_back(grader.scale_of_criterion(i));
    const FileText text(path);
    return read_evaluations(referentiel, scales, text.view(), path.string(), options);
}

}  // namespace certigraph::io
