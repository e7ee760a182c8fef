// Evaluation files: CSV (RFC 4180) in long or wide format, read into a Cohort.
//
// The bytes after the header are cut into chunks at line breaks, one per thread,
// when the file has no double quote (a quoted field may hold a line break, so a
// file with quotes is read by one thread). Each chunk is read on its own into
// chunk-local tables: names interned in order of appearance, rows x criteria x
// juror slots, problems in file order. The chunks are then merged in file order
// (a row seen in several chunks gets its slots in file order, a duplicate across
// chunks names the line of the first value), so that the cohort and the problems
// are exactly those of one thread reading the whole file (docs/evaluations.md).
//
// Reading a line: a long-format line that looks as usual goes through a fast
// path. Where lines end is found beforehand, 64 bytes at a time, for a window of
// the text, so that a line does not wait for the one before. The value follows
// the line's last comma; the bytes before it are compared with those of earlier
// lines (files list a candidate's values together): "candidate,session," with
// the line before, "épreuve,criterion,juror," with the few dozen seen before
// (a small cache by hash), the value with the value texts seen before (or read
// eight bytes at a time). Fields that differ are split and looked up. Every byte
// of a line the fast path takes has been checked, and it means what the general
// reader would make of it. Anything else, and every line with a problem, goes
// through the general reader: lines without quotes are split eight bytes at a
// time, fields are string_views into the buffer (a quoted field with "" escapes
// is unescaped into a small arena, which is rare), numbers are read without
// copies, and candidate, session and juror names are interned through
// open-addressing tables keyed by views.
//
// Memory: fresh pages cost more than reading the file, so the slot table holds
// 8 bytes per value (the line of each value, which only a duplicate's message
// needs, is kept only when the file is read again after a duplicate was found).
//
// Columns in messages are 1-based and count UTF-8 characters (code points), not
// bytes, so they match what an editor shows; lines are physical lines (a quoted
// field may span several).
#include <certigraph/date.hpp>
#include <certigraph/error.hpp>
#include <certigraph/grading/grader.hpp>
#include <certigraph/io/evaluations.hpp>
#include <certigraph/io/file.hpp>

#include "io/evaluations_dialect.hpp"

#include <algorithm>
#include <cerrno>
#include <array>
#include <atomic>
#include <bit>
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <exception>
#include <fstream>
#include <iterator>
#include <limits>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define CERTIGRAPH_EVALUATIONS_AVX2 1  // chosen at run time
#endif

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

constexpr double powers_of_ten[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                    1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

/// Plain decimals ("12", "12.5", "-0.25") of at most 15 digits, read exactly as
/// std::from_chars reads them: an integer below 2^53 divided by an exactly
/// representable power of ten is correctly rounded. False for anything else
/// (exponents, "inf", ".5", more digits), which then goes to std::from_chars.
inline bool parse_plain_decimal(std::string_view s, double& out) noexcept {
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
    const double v = static_cast<double>(mantissa) / powers_of_ten[fraction];
    out = negative ? -v : v;
    return true;
}

/// tenths[i] = i / 10.0, as parse_plain_decimal computes it.
constexpr std::array<double, 1024> make_tenths() {
    std::array<double, 1024> t{};
    for (std::size_t i = 0; i < t.size(); ++i) t[i] = static_cast<double>(i) / 10.0;
    return t;
}
constexpr std::array<double, 1024> tenths = make_tenths();

// ---------------------------------------------------------------------------
// Byte scanning for the fast path. Each function reads a fixed number of bytes
// from its pointer, said in its comment, whatever the length it is given: the
// caller guarantees that they are in the buffer.
// ---------------------------------------------------------------------------

constexpr std::size_t fast_field_bytes = 32;  ///< longest field the fast path remembers, separator included

/// True if the n bytes (n <= 32) at a and b are equal; reads 32 bytes at each.
[[gnu::always_inline]] inline bool equal_bytes(const char* a, const char* b, std::uint32_t n) noexcept {
#if defined(__SSE2__)
    const __m128i a0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(a));
    const __m128i b0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b));
    std::uint32_t differ = ~static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(a0, b0))) & 0xFFFF;
    if (n > 16) {
        const __m128i a1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(a + 16));
        const __m128i b1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b + 16));
        differ |= (~static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(a1, b1))) & 0xFFFF) << 16;
    }
    const std::uint32_t wanted = n >= 32 ? 0xFFFFFFFFu : (1u << n) - 1;
    return (differ & wanted) == 0;
#else
    return std::memcmp(a, b, n) == 0;
#endif
}

/// Appends to `out` the positions (offset + bit index) of the bits of `mask`, and
/// returns how many. Writes at least 4 entries whatever the count (a block of 64
/// bytes of a CSV file usually holds 1 to 3 line breaks): few branches.
template <class Bits>
[[gnu::always_inline]] inline std::size_t flatten(std::uint64_t mask, std::uint32_t offset, std::uint32_t* out,
                                                  Bits bits) noexcept {
    const std::size_t count = bits.popcount(mask);
    for (int k = 0; k < 4; ++k) {
        out[k] = offset + bits.countr_zero(mask);
        mask &= mask - 1;
    }
    for (int k = 4; mask; ++k) {
        out[k] = offset + bits.countr_zero(mask);
        mask &= mask - 1;
    }
    return count;
}

struct PortableBits {
    static std::size_t popcount(std::uint64_t m) noexcept { return static_cast<std::size_t>(std::popcount(m)); }
    static std::uint32_t countr_zero(std::uint64_t m) noexcept { return static_cast<std::uint32_t>(std::countr_zero(m)); }
};

/// The positions, from `from`, of the line breaks (LF and CR) in `blocks` blocks of
/// 64 bytes; returns how many. `out` has room for 64 more than there are.
std::size_t find_line_breaks_portable(const char* from, std::size_t blocks, std::uint32_t* out) noexcept {
    std::size_t n = 0;
    for (std::size_t b = 0; b < blocks; ++b) {
        const char* const q = from + 64 * b;
        std::uint64_t mask = 0;
#if defined(__SSE2__)
        for (int i = 0; i < 4; ++i) {
            const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q + 16 * i));
            const __m128i s = _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('\n')), _mm_cmpeq_epi8(x, _mm_set1_epi8('\r')));
            mask |= std::uint64_t{static_cast<std::uint32_t>(_mm_movemask_epi8(s))} << (16 * i);
        }
#else
        for (int i = 0; i < 64; ++i)
            if (q[i] == '\n' || q[i] == '\r') mask |= std::uint64_t{1} << i;
#endif
        n += flatten(mask, static_cast<std::uint32_t>(64 * b), out + n, PortableBits{});
    }
    return n;
}

#if defined(CERTIGRAPH_EVALUATIONS_AVX2)
struct Bmi1Bits {
    [[gnu::target("popcnt,bmi")]] static std::size_t popcount(std::uint64_t m) noexcept {
        return static_cast<std::size_t>(__builtin_popcountll(m));
    }
    [[gnu::target("popcnt,bmi")]] static std::uint32_t countr_zero(std::uint64_t m) noexcept {
        return static_cast<std::uint32_t>(_tzcnt_u64(m));
    }
};

/// The same with AVX2, POPCNT and TZCNT.
[[gnu::target("avx2,popcnt,bmi")]] std::size_t find_line_breaks_avx2(const char* from, std::size_t blocks,
                                                                    std::uint32_t* out) noexcept {
    const __m256i lf = _mm256_set1_epi8('\n'), cr = _mm256_set1_epi8('\r');
    std::size_t n = 0;
    for (std::size_t b = 0; b < blocks; ++b) {
        const char* const q = from + 64 * b;
        const __m256i x0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(q));
        const __m256i x1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(q + 32));
        const __m256i s0 = _mm256_or_si256(_mm256_cmpeq_epi8(x0, lf), _mm256_cmpeq_epi8(x0, cr));
        const __m256i s1 = _mm256_or_si256(_mm256_cmpeq_epi8(x1, lf), _mm256_cmpeq_epi8(x1, cr));
        const std::uint64_t mask = std::uint64_t{static_cast<std::uint32_t>(_mm256_movemask_epi8(s0))} |
                                   std::uint64_t{static_cast<std::uint32_t>(_mm256_movemask_epi8(s1))} << 32;
        n += flatten(mask, static_cast<std::uint32_t>(64 * b), out + n, Bmi1Bits{});
    }
    return n;
}
#endif

using FindLineBreaks = std::size_t (*)(const char*, std::size_t, std::uint32_t*) noexcept;

/// The version for this processor, chosen once.
FindLineBreaks find_line_breaks() noexcept {
#if defined(CERTIGRAPH_EVALUATIONS_AVX2)
    static const FindLineBreaks chosen = [] {
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt") && __builtin_cpu_supports("bmi")
                   ? &find_line_breaks_avx2
                   : &find_line_breaks_portable;
    }();
    return chosen;
#else
    return &find_line_breaks_portable;
#endif
}

/// The comma that ends the field starting at p, if it comes within 32 bytes and
/// before any line break or quote; null otherwise. Reads 32 bytes at p.
[[gnu::always_inline]] inline const char* field_end(const char* p) noexcept {
#if defined(__SSE2__)
    const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16));
    auto mask = [](__m128i x, char c) {
        return static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8(c))));
    };
    const std::uint32_t comma = mask(a, ',') | mask(b, ',') << 16;
    const std::uint32_t other = (mask(a, '\n') | mask(a, '\r') | mask(a, '"')) |
                                (mask(b, '\n') | mask(b, '\r') | mask(b, '"')) << 16;
#else
    std::uint32_t comma = 0, other = 0;
    for (std::uint32_t i = 0; i < 32; ++i) {
        if (p[i] == ',') comma |= 1u << i;
        else if (p[i] == '\n' || p[i] == '\r' || p[i] == '"') other |= 1u << i;
    }
#endif
    if (comma == 0) return nullptr;
    const std::uint32_t before = (comma & (0u - comma)) - 1;
    if (other & before) return nullptr;
    return p + std::countr_zero(comma);
}

/// Bit i set if byte i of the `N` x 16 bytes at p is a comma.
template <int N>
[[gnu::always_inline]] inline std::uint64_t commas_at(const char* p) noexcept {
    std::uint64_t mask = 0;
    for (int i = 0; i < N; ++i) {
#if defined(__SSE2__)
        const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
        mask |= std::uint64_t{static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8(','))))}
                << (16 * i);
#else
        for (int j = 0; j < 16; ++j)
            if (p[16 * i + j] == ',') mask |= std::uint64_t{1} << (16 * i + j);
#endif
    }
    return mask;
}

/// Masks of the first n bytes of 16 (n <= 16), as two little-endian words.
constexpr std::array<std::array<std::uint64_t, 2>, 17> make_prefix_masks() {
    std::array<std::array<std::uint64_t, 2>, 17> m{};
    for (std::size_t n = 0; n <= 16; ++n) {
        m[n][0] = n >= 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * n)) - 1;
        m[n][1] = n >= 16 ? ~std::uint64_t{0} : n <= 8 ? 0 : (std::uint64_t{1} << (8 * (n - 8))) - 1;
    }
    return m;
}
constexpr auto prefix_masks = make_prefix_masks();

/// A hash of the `length` bytes at p (up to 16 of them count), in [0, 2^bits).
/// Reads 16 bytes at p.
template <unsigned bits>
[[gnu::always_inline]] inline std::uint32_t hash_short(const char* p, std::uint32_t length) noexcept {
    std::uint64_t w0, w1;
    std::memcpy(&w0, p, 8);
    std::memcpy(&w1, p + 8, 8);
    const auto& m = prefix_masks[std::min<std::uint32_t>(length, 16)];
    const std::uint64_t h = (w0 & m[0]) * 0x9E3779B97F4A7C15ull ^ (w1 & m[1]) * 0xC2B2AE3D27D4EB4Full ^
                            std::uint64_t{length} * 0x165667B19E3779F9ull;
    return static_cast<std::uint32_t>((h ^ (h >> 29)) * 0xBF58476D1CE4E5B9ull >> (64 - bits));
}

/// The plain decimal of `length` characters (1 to 8) at q: digits with at most one
/// '.' that has digits on both sides. True if it is one, with its value as
/// parse_plain_decimal gives it. Reads 16 bytes at q.
[[gnu::always_inline]] inline bool short_decimal(const char* q, std::uint32_t length, double& out) noexcept {
    std::uint32_t dots = 0;
    const std::uint32_t wanted = (1u << length) - 1;
#if defined(__SSE2__)
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q));
    const __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('0' - 1)), _mm_cmplt_epi8(x, _mm_set1_epi8('9' + 1)));
    const __m128i dot = _mm_cmpeq_epi8(x, _mm_set1_epi8('.'));
    const auto number = static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_or_si128(digit, dot)));
    if ((number & wanted) != wanted) return false;
    dots = static_cast<std::uint32_t>(_mm_movemask_epi8(dot)) & wanted;
#else
    for (std::uint32_t i = 0; i < length; ++i) {
        if (q[i] == '.') dots |= 1u << i;
        else if (q[i] < '0' || q[i] > '9') return false;
    }
#endif
    if constexpr (std::endian::native != std::endian::little) return parse_plain_decimal({q, length}, out);
    std::uint64_t w;
    std::memcpy(&w, q, 8);
    auto low_bytes = [](std::uint32_t k) { return k >= 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * k)) - 1; };
    std::uint64_t digits = 0;
    std::uint32_t n = 0, fraction = 0;
    if (dots == 0) {
        digits = w & low_bytes(length);
        n = length;
    } else {
        if (dots & (dots - 1)) return false;
        const auto d = static_cast<std::uint32_t>(std::countr_zero(dots));
        if (d == 0 || d + 1 >= length) return false;
        fraction = length - d - 1;
        digits = (w & low_bytes(d)) | (((w >> (8 * (d + 1))) & low_bytes(fraction)) << (8 * d));
        n = length - 1;
    }
    // Right-align the n digits (the first is the most significant, in the lowest
    // byte) and pad with '0' on the left; then the classic three multiplications.
    std::uint64_t v = n == 8 ? digits : (digits << (8 * (8 - n))) | (0x3030303030303030ull & low_bytes(8 - n));
    v = ((v & 0x0F0F0F0F0F0F0F0Full) * 2561) >> 8;
    v = ((v & 0x00FF00FF00FF00FFull) * 6553601) >> 16;
    v = ((v & 0x0000FFFF0000FFFFull) * 42949672960001ull) >> 32;
    // One decimal is the usual case (12.5): divided once and for all.
    out = fraction == 1 && v < tenths.size() ? tenths[v] : static_cast<double>(v) / powers_of_ten[fraction];
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

/// Rows: (candidate, session) pairs numbered in order of insertion, in one
/// open-addressing table keyed by both views (the viewed characters must outlive
/// the table). A slot holds part of the hash and the row, 8 bytes: the table of a
/// large file stays small, and most probes touch one cache line.
class RowTable {
  public:
    RowTable() { slots_.assign(16, Slot{}); }

    /// The row of the pair; `added` says whether it is new.
    std::uint32_t intern(std::string_view candidate, std::string_view session, bool& added) {
        const std::uint64_t h = hash_of(candidate, session);
        const auto tag = static_cast<std::uint32_t>(h >> 32);
        std::size_t i = h & mask();
        for (;; i = (i + 1) & mask()) {
            const Slot& s = slots_[i];
            if (s.row == empty) break;
            if (s.tag == tag && same(names_[s.row].first, candidate) && same(names_[s.row].second, session)) {
                added = false;
                return s.row;
            }
        }
        const auto row = static_cast<std::uint32_t>(names_.size());
        names_.emplace_back(candidate, session);
        hashes_.push_back(h);
        slots_[i] = Slot{tag, row};
        added = true;
        if (names_.size() * 2 > slots_.size()) grow();
        return row;
    }
    /// The row of the pair, whose hash (as hash(row) gives it) is h.
    std::optional<std::uint32_t> find(std::string_view candidate, std::string_view session,
                                      std::uint64_t h) const noexcept {
        const auto tag = static_cast<std::uint32_t>(h >> 32);
        for (std::size_t i = h & mask();; i = (i + 1) & mask()) {
            const Slot& s = slots_[i];
            if (s.row == empty) return std::nullopt;
            if (s.tag == tag && same(names_[s.row].first, candidate) && same(names_[s.row].second, session))
                return s.row;
        }
    }
    std::size_t size() const noexcept { return names_.size(); }
    std::uint64_t hash(std::uint32_t row) const noexcept { return hashes_[row]; }
    /// Room for `rows` rows without growing.
    void reserve(std::size_t rows) {
        names_.reserve(rows);
        hashes_.reserve(rows);
        if (rows * 2 > slots_.size()) {
            slots_.assign(std::bit_ceil(rows * 2), Slot{});
            rehash();
        }
    }
    std::string_view candidate(std::uint32_t row) const { return names_[row].first; }
    std::string_view session(std::uint32_t row) const { return names_[row].second; }

  private:
    static constexpr std::uint32_t empty = 0xFFFFFFFF;
    struct Slot {
        std::uint32_t tag = 0;
        std::uint32_t row = empty;
    };
    static std::uint64_t hash_of(std::string_view candidate, std::string_view session) noexcept {
        return hash_u64(hash_bytes(candidate) ^ (hash_bytes(session) * 0x9E3779B97F4A7C15ull));
    }
    std::size_t mask() const noexcept { return slots_.size() - 1; }
    void grow() {
        slots_.assign(slots_.size() * 2, Slot{});
        rehash();
    }
    void rehash() {
        for (std::uint32_t row = 0; row < hashes_.size(); ++row) {
            std::size_t i = hashes_[row] & mask();
            while (slots_[i].row != empty) i = (i + 1) & mask();
            slots_[i] = Slot{static_cast<std::uint32_t>(hashes_[row] >> 32), row};
        }
    }
    std::vector<Slot> slots_;
    std::vector<std::pair<std::string_view, std::string_view>> names_;
    std::vector<std::uint64_t> hashes_;
};

// ---------------------------------------------------------------------------
// The tokenizer: RFC 4180 records over a range of the buffer, no copies.
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
    /// The whole text, from its first line (after a UTF-8 byte-order mark).
    explicit Tokenizer(std::string_view text)
        : begin_(text.data()), data_begin_(text.data()), p_(text.data()), end_(text.data() + text.size()) {
        if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") p_ += 3;  // UTF-8 BOM
        data_begin_ = p_;
    }
    /// The lines of [from, to), which starts a line numbered `line`; offsets count
    /// from `text`. With `plain_only`, a record with a quote is not read (Result::quote).
    Tokenizer(std::string_view text, const char* from, const char* to, std::uint32_t line, bool plain_only)
        : begin_(text.data()), data_begin_(from), p_(from), end_(to), line_(line), record_line_(line),
          plain_only_(plain_only) {}

    enum class Result { record, end, malformed, quote };

    /// Reads the next record into `fields`, skipping empty lines.
    Result next(std::vector<Field>& fields, Malformed& error) {
        fields.clear();
        while (p_ < end_ && (*p_ == '\n' || *p_ == '\r')) end_of_line();
        if (p_ >= end_) return Result::end;
        record_line_ = line_;
        if (plain_line(fields)) return Result::record;
        if (plain_only_) return Result::quote;
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
    /// Where the next record starts, and its line; the end of the range.
    const char* cursor() const noexcept { return p_; }
    std::uint32_t line() const noexcept { return line_; }
    const char* end() const noexcept { return end_; }
    const char* data_begin() const noexcept { return data_begin_; }
    /// The fast path read one line, up to `next`.
    void skip_read_lines(const char* next, std::uint32_t line) noexcept {
        p_ = next;
        line_ = line;
    }

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
    bool plain_only_ = false;
    std::vector<const char*> commas_;
};

// ---------------------------------------------------------------------------
// Problems
// ---------------------------------------------------------------------------

/// A problem as a reader finds it. A duplicate keeps what its message needs
/// (names, the line of the first value) until every line number is known.
struct Problem {
    std::uint32_t line;
    std::size_t column;
    std::string message;
    bool duplicate = false;
    std::uint32_t row = 0, juror = 0, first_line = 0;  ///< duplicate: the reader's ids
    Index criterion = 0;
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
    /// A second value of `juror` in a cell whose first value is on `first_line`.
    void add_duplicate(const Field& field, std::uint32_t row, Index criterion, std::uint32_t juror,
                       std::uint32_t first_line) {
        if (full()) return;
        Problem& p = list_.emplace_back(Problem{field.line, tokenizer_.column(field.offset), {}});
        p.duplicate = true;
        p.row = row;
        p.criterion = criterion;
        p.juror = juror;
        p.first_line = first_line;
    }
    bool full() const noexcept { return list_.size() >= limit_; }
    bool empty() const noexcept { return list_.empty(); }
    std::vector<Problem>& list() noexcept { return list_; }

  private:
    const Tokenizer& tokenizer_;
    std::size_t limit_;
    std::vector<Problem> list_;
};

/// Throws the problems (messages rendered), in file order.
[[noreturn]] void raise_problems(std::vector<Problem> list, std::size_t limit, std::string_view source) {
    limit = std::max<std::size_t>(1, limit);
    const bool full = list.size() >= limit;
    std::stable_sort(list.begin(), list.end(), [](const Problem& a, const Problem& b) {
        return a.line != b.line ? a.line < b.line : a.column < b.column;
    });
    std::vector<std::string> texts;
    texts.reserve(list.size());
    for (const Problem& p : list)
        texts.push_back(std::string(source) + ':' + std::to_string(p.line) + ':' + std::to_string(p.column) +
                        ": " + p.message);
    std::string summary(source);
    summary += ": ";
    if (full && limit > 1)
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

std::string duplicate_message(std::string_view candidate, std::string_view session, std::string_view criterion,
                              std::string_view juror, std::uint32_t first_line) {
    return "second value for candidate " + shown(candidate) + ", session " + shown(session) + ", criterion " +
           std::string(criterion) + ", juror " + shown(juror) + " (the first is on line " +
           std::to_string(first_line) + "); keep one of the two";
}

// ---------------------------------------------------------------------------
// Juror slots
// ---------------------------------------------------------------------------

constexpr std::array<std::string_view, 6> long_header{"candidate", "session", "epreuve",
                                                     "criterion", "juror",   "value"};
constexpr std::string_view expected_headers =
    "expected 'candidate,session,epreuve,criterion,juror,value' (+ ',time') for the long "
    "format, or 'candidate,session,juror,<criterion code>...' for the wide format";

/// A juror slot while reading: the value and who gave it.
struct Slot {
    float value;
    std::uint32_t juror_mark;  ///< (juror id + 1) | mark << 30; 0 (`free`) when the slot is unused

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
/// largest number of distinct jurors of a cell. With `lines`, the line of each
/// value's record is kept too (to name the first of two duplicates); without, the
/// table is a third smaller, and fresh memory is what a large file costs most.
class SlotTable {
  public:
    SlotTable(std::size_t criteria, bool lines)
        : criteria_(std::max<std::size_t>(criteria, 1)),
          block_shift_(static_cast<unsigned>(
              std::countr_zero(std::bit_floor(std::max<std::size_t>(1, (std::size_t{1} << 14) / criteria_))))),
          block_rows_(std::size_t{1} << block_shift_),
          lines_(lines) {}

    std::size_t rows() const noexcept { return rows_; }
    /// Slots per cell (the room), and the most that one cell uses.
    std::size_t jurors() const noexcept { return jurors_; }
    std::size_t used() const noexcept { return used_; }
    void use(std::size_t slots) noexcept { used_ = std::max(used_, slots); }

    void add_row() {
        if ((rows_ & (block_rows_ - 1)) == 0) {
            blocks_.push_back(new_block<Slot>(jurors_));
            if (lines_) line_blocks_.push_back(new_block<std::uint32_t>(jurors_));
        }
        ++rows_;
    }
    bool has_lines() const noexcept { return lines_; }

    /// The slots of a cell, `jurors()` of them; used ones come first.
    Slot* cell(std::size_t row, std::size_t criterion) noexcept {
        return &blocks_[row >> block_shift_][((row & (block_rows_ - 1)) * criteria_ + criterion) * jurors_];
    }
    const Slot* cell(std::size_t row, std::size_t criterion) const noexcept {
        return &blocks_[row >> block_shift_][((row & (block_rows_ - 1)) * criteria_ + criterion) * jurors_];
    }
    /// The lines of a cell's slots (with `lines` only).
    std::uint32_t* lines(std::size_t row, std::size_t criterion) noexcept {
        return &line_blocks_[row >> block_shift_][((row & (block_rows_ - 1)) * criteria_ + criterion) * jurors_];
    }

    /// More slots for every cell (pointers from cell() are invalidated).
    void widen() {
        const std::size_t wider = jurors_ + std::max<std::size_t>(1, jurors_ / 2);
        widen(blocks_, wider);
        widen(line_blocks_, wider);
        jurors_ = wider;
    }

  private:
    struct Free {
        void operator()(void* p) const noexcept { std::free(p); }
    };
    template <class T>
    using Block = std::unique_ptr<T[], Free>;

    /// Zeroed (free) slots, written now rather than calloc'ed: a block is small
    /// enough to stay in the cache until its slots are filled, and the first access
    /// to a slot of fresh calloc'ed memory would be a read (is it free?), which maps
    /// the shared zero page and faults again on the write.
    template <class T>
    Block<T> new_block(std::size_t jurors) const {
        const std::size_t bytes = block_rows_ * criteria_ * jurors * sizeof(T);
        void* p = std::malloc(bytes);
        if (!p) throw std::bad_alloc();
        // Through a volatile pointer: the compiler may not turn malloc + memset into calloc.
        static void* (*const volatile zero)(void*, int, std::size_t) = std::memset;
        zero(p, 0, bytes);
        return Block<T>(static_cast<T*>(p));
    }
    template <class T>
    void widen(std::vector<Block<T>>& blocks, std::size_t wider) {
        for (auto& block : blocks) {
            auto copy = new_block<T>(wider);
            for (std::size_t c = 0; c < block_rows_ * criteria_; ++c)
                std::copy_n(&block[c * jurors_], jurors_, &copy[c * wider]);
            block = std::move(copy);
        }
    }

    std::size_t criteria_;
    unsigned block_shift_;  ///< rows per block = 1 << block_shift_, about 16k cells
    std::size_t block_rows_;
    std::size_t jurors_ = 1;
    std::size_t used_ = 1;
    std::size_t rows_ = 0;
    bool lines_;
    std::vector<Block<Slot>> blocks_;
    std::vector<Block<std::uint32_t>> line_blocks_;
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

// ---------------------------------------------------------------------------
// What the chunk readers share
// ---------------------------------------------------------------------------

/// The field's text with "" turned into ", kept in `arena` (stable for the whole read).
std::string_view unescaped(const Field& f, std::deque<std::string>& arena) {
    if (!f.escaped) return f.text;
    std::string& s = arena.emplace_back();
    s.reserve(f.text.size());
    for (std::size_t i = 0; i < f.text.size(); ++i) {
        s += f.text[i];
        if (f.text[i] == '"') ++i;  // the tokenizer guarantees pairs
    }
    return s;
}

/// The référentiel's codes, the scales and how to read their values, and the
/// format the header gave: read-only while the chunks are read.
class Context {
  public:
    Context(const Referentiel& referentiel_, std::span<const Scale> scales_)
        : referentiel(referentiel_), scales(scales_) {
        const auto all = referentiel.criteria();
        if (scales.size() != all.size())
            throw GradingError("read_evaluations: " + std::to_string(scales.size()) +
                               " scales given for " + std::to_string(all.size()) +
                               " criteria; pass one scale per criterion, in dense order");
        for (const Criterion& c : all) criterion_codes.intern(c.code);
        for (const Epreuve& e : referentiel.epreuves()) epreuve_codes.intern(e.code);
        value_rules.resize(scales.size());
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
            ValueRule& rule = value_rules[i];
            rule.numbers_first = !numeric_label;
            rule.plain = scale.kind == ScaleKind::numeric && !(scale.step > 0);
            rule.min = scale.min;
            rule.max = scale.max;
        }
        criteria = all;
        criterion_count = all.size();
        epreuve_count = referentiel.epreuves().size();
        covers.assign(all.size() * epreuve_count, 0);
        covering_count.assign(all.size(), 0);
        for (Index c = 0; c < all.size(); ++c)
            for (const Index e : referentiel.epreuves_covering_criterion(c)) {
                covers[std::size_t{c} * epreuve_count + e] = 1;
                ++covering_count[c];
            }
        criterion_comma.assign(all.size(), {});
        criterion_comma_length.assign(all.size(), 0);
        for (std::size_t c = 0; c < all.size(); ++c) {
            const std::string& code = all[c].code;
            if (code.size() + 1 > fast_field_bytes) continue;
            std::memcpy(criterion_comma[c].data(), code.data(), code.size());
            criterion_comma[c][code.size()] = ',';
            criterion_comma_length[c] = static_cast<std::uint32_t>(code.size() + 1);
        }
    }

    const Referentiel& referentiel;
    std::span<const Scale> scales;
    std::span<const Criterion> criteria;
    std::size_t criterion_count = 0, epreuve_count = 0;
    /// How to read the values of each criterion quickly.
    struct ValueRule {
        double min = 0, max = 0;     ///< plain: the scale's range
        bool numbers_first = true;   ///< no label reads as a number: try a number first
        bool plain = false;          ///< numeric without step: in range is enough
    };
    std::vector<ValueRule> value_rules;
    std::vector<std::uint8_t> covers;           ///< criteria x épreuves: 1 if it evaluates it
    std::vector<std::uint32_t> covering_count;  ///< épreuves covering each criterion
    NameTable criterion_codes, epreuve_codes;
    /// Each criterion's code and a comma, padded for equal_bytes; length 0 when too long.
    std::vector<std::array<char, 2 * fast_field_bytes>> criterion_comma;
    std::vector<std::uint32_t> criterion_comma_length;

    // The format, from the header.
    bool wide = false;
    bool has_time = false;
    std::size_t columns = 0;
    std::vector<Index> column_criteria;  ///< wide: criterion of each column after 'juror'

    void read_header(const std::vector<Field>& fields, Problems& problems, const Tokenizer& tokenizer) {
        std::deque<std::string> arena;
        std::vector<std::string_view> names;
        for (const Field& f : fields) names.push_back(trim(unescaped(f, arena)));
        auto is = [&names](std::size_t i, std::string_view name) { return i < names.size() && iequals(names[i], name); };
        const std::size_t n = names.size();
        if (is(0, "candidate") && is(1, "session") && is(2, "juror")) {
            wide = true;
            columns = n;
            if (n == 3) {
                problems.add_after(fields[2],
                                   "the wide format needs criterion columns after 'juror'; add one "
                                   "column per criterion code, e.g. 'candidate,session,juror,A1E1,A1E2'");
                return;
            }
            std::vector<std::size_t> first_column(criterion_count, 0);
            for (std::size_t i = 3; i < n; ++i) {
                const auto criterion = lookup_criterion(problems, fields[i], names[i]);
                if (!criterion) {
                    column_criteria.push_back(0);
                    continue;
                }
                if (first_column[*criterion] == 0)
                    first_column[*criterion] = i;
                else
                    problems.add(fields[i], "criterion " + std::string(names[i]) +
                                                " has a second column (the first is column " +
                                                std::to_string(tokenizer.column(fields[first_column[*criterion]].offset)) +
                                                "); keep one column per criterion");
                column_criteria.push_back(*criterion);
            }
            return;
        }
        // Long format, or nothing known: point at the first column that differs.
        std::size_t mismatch = 0;
        while (mismatch < long_header.size() && is(mismatch, long_header[mismatch])) ++mismatch;
        if (mismatch == long_header.size() && is(mismatch, "time")) ++mismatch;
        if (mismatch >= long_header.size() && mismatch == n) {
            columns = n;
            has_time = n == 7;
            return;
        }
        std::string found;
        for (std::size_t i = 0; i < n; ++i) {
            if (i) found += ',';
            found += names[i];
        }
        // A hint: another separator, or the closest known column name.
        std::string hint;
        for (const auto& [c, name] : {std::pair{';', "';'"}, std::pair{'\t', "tab"}, std::pair{'|', "'|'"}})
            if (n <= 2 && found.find(c) != std::string::npos) {
                hint = "; this looks like a " + std::string(name) + "-separated file" +
                       (c == '|' ? std::string(": use ',', ';' or tab") : ": give that separator (--delimiter)");
                break;
            }
        if (hint.empty() && mismatch < n) {
            struct Known {
                std::string_view code;
            };
            std::vector<Known> known;
            for (auto k : long_header) known.push_back({k});
            known.push_back({"time"});
            if (const auto guess = closest(names[mismatch], known); guess && !iequals(*guess, names[mismatch]))
                hint = "; did you mean '" + std::string(*guess) + "'?";
        }
        if (mismatch >= n) {  // a prefix of the long header: a column is missing
            problems.add_after(fields.back(),
                               "unrecognised header " + shown(found) + "; " + std::string(expected_headers) + hint);
            return;
        }
        problems.add(fields[mismatch], "unrecognised header " + shown(found) + " (column " +
                                           shown(names[mismatch]) + "); " + std::string(expected_headers) + hint);
    }

    std::optional<Index> lookup_criterion(Problems& problems, const Field& f, std::string_view code) const {
        if (code.empty()) {
            problems.add(f, "empty criterion; write a criterion code of " + referentiel.certification().code +
                                " (e.g. " + std::string(criteria.empty() ? "A1E1" : criteria[0].code) + ")");
            return std::nullopt;
        }
        if (const auto id = criterion_codes.find(code)) return *id;
        std::string message = "unknown criterion " + shown(code);
        if (const auto node = referentiel.find(code)) {
            message += " (it is the code of a " + std::string(to_string(node->kind)) + ", not of a criterion)";
            if (node->kind == NodeKind::competency) {
                const auto of = referentiel.criteria_of_competency(node->index);
                if (!of.empty()) {
                    message += "; use one of its criteria:";
                    for (std::size_t i = 0; i < of.size(); ++i) message += (i ? ", " : " ") + criteria[of[i]].code;
                    problems.add(f, std::move(message));
                    return std::nullopt;
                }
            }
        }
        if (const auto near = closest(code, criteria))
            message += "; did you mean " + std::string(*near) + "?";
        else
            message += "; use a criterion code of " + referentiel.certification().code;
        problems.add(f, std::move(message));
        return std::nullopt;
    }

    std::string epreuve_list(std::span<const Index> epreuves) const {
        std::string list;
        for (std::size_t i = 0; i < epreuves.size(); ++i)
            list += (i ? ", " : "") + referentiel.epreuves()[epreuves[i]].code;
        return list;
    }

    /// A non-empty value: absent, exempt, or a value of the criterion's scale.
    bool read_value(Problems& problems, const Field& f, std::string_view text, Index criterion, double& value,
                    Mark& mark) const {
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
        const Scale& scale = scales[criterion];
        const ValueRule& rule = value_rules[criterion];
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
                value_problem(problems, f, text, criterion);
                return false;
            }
        }
        if (const auto v = scale.parse(text)) {
            value = *v;
            return true;
        }
        value_problem(problems, f, text, criterion);
        return false;
    }

    void value_problem(Problems& problems, const Field& f, std::string_view text, Index criterion) const {
        problems.add(f, "value " + shown(text) + " is not on the scale of criterion " + criteria[criterion].code +
                            "; write " + scales[criterion].describe() +
                            ", 'absent', 'exempt', or leave it empty if not yet assessed");
    }
};

// ---------------------------------------------------------------------------
// A chunk reader: the lines of one range of the file
// ---------------------------------------------------------------------------

/// The last few distinct fields seen in a column (their bytes in the buffer,
/// separator included, at most 32) and what they mean: the épreuves of a
/// candidate's criteria, or the jurors who take turns. The fields of the two
/// lines before are tried first.
class RecentFields {
  public:
    /// The id of the field of `length` bytes at p, if known.
    [[gnu::always_inline]] bool find(const char* p, std::uint32_t length, std::uint32_t& id) noexcept {
        if (matches(last_, p, length) || matches(before_last_, p, length)) {
            id = entries_[last_].id;
            return true;
        }
        for (std::size_t i = 0; i < entries_.size(); ++i)
            if (matches(i, p, length)) {
                id = entries_[last_].id;
                return true;
            }
        return false;
    }
    /// A field of at most 32 bytes.
    void add(const char* bytes, std::uint32_t length, std::uint32_t id) noexcept {
        entries_[next_] = {bytes, length, id};
        before_last_ = last_;
        last_ = next_;
        next_ = (next_ + 1) % entries_.size();
    }

  private:
    /// True if entry i is the field; it becomes the last one.
    [[gnu::always_inline]] bool matches(std::size_t i, const char* p, std::uint32_t length) noexcept {
        if (entries_[i].length != length || !equal_bytes(p, entries_[i].bytes, length)) return false;
        if (i != last_) {
            before_last_ = last_;
            last_ = i;
        }
        return true;
    }
    struct Entry {
        const char* bytes = nullptr;
        std::uint32_t length = 0;  ///< 0: unused
        std::uint32_t id = 0;
    };
    std::array<Entry, 8> entries_{};
    std::size_t last_ = 0, before_last_ = 0, next_ = 0;
};

class alignas(128) ChunkReader {  // aligned: no cache line shared between two threads
  public:
    /// The lines of [from, to) of `text`, the first numbered `line`. With
    /// `plain_only`, a record with a quote stops this reader: the file is then read
    /// again by one reader. Without `lines`, a duplicate stops it: the file is then
    /// read again with the lines kept. A reader that stops raises `halt`, which
    /// stops the others.
    ChunkReader(const Context& context, std::string_view text, const char* from, const char* to, std::uint32_t line,
                std::size_t max_errors, bool plain_only, bool lines, std::atomic<bool>& halt)
        : ctx_(context),
          tokenizer_(text, from, to, line, plain_only),
          problems_(tokenizer_, max_errors),
          first_line_(line),
          halt_(halt),
          slots_(context.criterion_count, lines) {
        // The fast path reads 32 bytes from the start of any field of a line, and 48
        // bytes before its end; lines end in blocks of 64 bytes of which the last
        // ends 32 bytes before the end of the text.
        fast_ = !context.wide && std::endian::native == std::endian::little && text.size() >= 96;
        text_begin_ = text.data();
        if (fast_) {
            scan_limit_ = text.data() + text.size() - 96;
            breaks_.resize(break_window + 64);
        }
    }
    ChunkReader(const ChunkReader&) = delete;
    ChunkReader& operator=(const ChunkReader&) = delete;

    void run() {
        Malformed error;
        std::uint32_t countdown = check_every;
        for (;;) {
            if (problems_.full() || saw_duplicate_) break;
            if (--countdown == 0) {
                countdown = check_every;
                if (halt_.load(std::memory_order_relaxed)) break;
            }
            if (fast_) {
                fast_lines();
                if (halted_) break;
            }
            const auto result = tokenizer_.next(fields_, error);
            if (result == Tokenizer::Result::end) break;
            if (result == Tokenizer::Result::quote) {
                saw_quote_ = true;
                halt_.store(true, std::memory_order_relaxed);
                break;
            }
            if (result == Tokenizer::Result::malformed) {
                problems_.add(error.line, error.offset, error.message);
                if (error.fatal) break;
                continue;
            }
            if (fields_.size() != ctx_.columns) {
                wrong_field_count();
                continue;
            }
            if (ctx_.wide) read_wide_line();
            else read_long_line();
        }
    }

    // --- results ------------------------------------------------------------

    bool saw_quote() const noexcept { return saw_quote_; }
    /// A duplicate was found without lines (the reader stopped there).
    bool saw_duplicate() const noexcept { return saw_duplicate_; }
    /// The line after the last one read (counted from `line` given to the constructor).
    std::uint32_t end_line() const noexcept { return tokenizer_.line(); }
    std::uint32_t first_line() const noexcept { return first_line_; }
    const Tokenizer& tokenizer() const noexcept { return tokenizer_; }
    std::vector<Problem>& problems() noexcept { return problems_.list(); }
    std::size_t rows() const noexcept { return rows_.size(); }
    std::string_view candidate_of_row(std::size_t row) const { return rows_.candidate(static_cast<std::uint32_t>(row)); }
    std::string_view session_of_row(std::size_t row) const { return rows_.session(static_cast<std::uint32_t>(row)); }
    /// The row of another reader's row, by its names and hash.
    std::optional<std::uint32_t> find_row(const ChunkReader& other, std::uint32_t row) const noexcept {
        return rows_.find(other.candidate_of_row(row), other.session_of_row(row), other.rows_.hash(row));
    }
    const NameTable& jurors() const noexcept { return jurors_; }
    SlotTable& slots() noexcept { return slots_; }
    const SlotTable& slots() const noexcept { return slots_; }
    /// Whether a slot holds `absent` or `exempt`.
    bool has_marks() const noexcept { return has_marks_; }
    void note_mark() noexcept { has_marks_ = true; }

  private:
    static constexpr std::uint32_t check_every = 4096;  ///< records between looks at halt_
    static constexpr std::uint32_t no_epreuve = 0xFFFFFFFF;

    // --- the fast path --------------------------------------------------------

    /// Reads the long-format lines from the cursor that hold no problem and look
    /// as usual, up to the first other one, which is left to the general reader.
    /// Where lines end is known beforehand (a window of line breaks found 64 bytes
    /// at a time), so that a line does not wait for the one before to be read.
    void fast_lines() {
        const char* p = tokenizer_.cursor();
        std::uint32_t line = tokenizer_.line();
        const char* const end = tokenizer_.end();
        std::size_t i = break_next_;
        std::uint32_t countdown = check_every;
        while (p < end) {
            while (i < break_count_ && break_base_ + breaks_[i] < p) ++i;
            if (i == break_count_) {
                if (p == break_base_) break;  // no line break in a window from here: a long line, or the end
                scan(p);
                i = 0;
                if (break_count_ == 0) break;
            }
            const char* const next = fast_line(p, break_base_ + breaks_[i], line);
            if (!next) break;
            p = next;
            ++line;
            ++i;
            if (--countdown == 0) {
                countdown = check_every;
                if (halt_.load(std::memory_order_relaxed)) {
                    halted_ = true;
                    break;
                }
            }
        }
        break_next_ = i;
        tokenizer_.skip_read_lines(p, line);
    }

    /// Reads the line from `start` to the line break at `eol` if it holds no
    /// problem and looks as usual: returns where the next line starts, or null
    /// (nothing read, nothing recorded). Every byte of a line it reads has been
    /// checked: against the same bytes of an earlier line, or one by one.
    [[gnu::always_inline]] const char* fast_line(const char* const start, const char* const eol,
                                                 const std::uint32_t line) {
        if (eol - start < 11 || eol - text_begin_ < 48) return nullptr;  // "C,S,E,K,J,1" at least
        // The value has no comma: it starts after the last one (with a time, the
        // one before the last).
        const char* comma = nullptr;    // before the value
        const char* comma_2 = nullptr;  // before the time
        if (!ctx_.has_time) {
            std::uint64_t mask = commas_at<1>(eol - 16) & (~std::uint64_t{0} << std::max<std::ptrdiff_t>(0, start - (eol - 16)));
            if (mask == 0) return nullptr;
            comma = eol - 16 + (63 - std::countl_zero(mask));
        } else {
            std::uint64_t mask = commas_at<3>(eol - 48) & (~std::uint64_t{0} << std::max<std::ptrdiff_t>(0, start - (eol - 48)));
            if (mask == 0) return nullptr;
            comma_2 = eol - 48 + (63 - std::countl_zero(mask));
            mask &= ~(std::uint64_t{1} << (comma_2 - (eol - 48)));
            if (mask == 0) return nullptr;
            comma = eol - 48 + (63 - std::countl_zero(mask));
        }
        const char* const value_start = comma + 1;
        const char* const value_end = comma_2 ? comma_2 : eol;

        // Candidate and session: the same bytes as the line before, or new.
        std::uint32_t row = 0;
        std::string_view candidate, session;
        const char* middle = start + prefix_length_;  // after "candidate,session,"
        const bool known_row =
            prefix_length_ != 0 && middle <= comma && equal_bytes(start, prefix_, prefix_length_);
        if (known_row) {
            row = prefix_row_;
        } else {
            const char* const c1 = field_end(start);
            if (!c1) return nullptr;
            const char* const c2 = field_end(c1 + 1);
            if (!c2 || c2 >= comma) return nullptr;
            candidate = trim({start, static_cast<std::size_t>(c1 - start)});
            session = trim({c1 + 1, static_cast<std::size_t>(c2 - c1 - 1)});
            if (candidate.empty()) return nullptr;
            middle = c2 + 1;
        }

        // Épreuve, criterion and juror: the same bytes as an earlier line, or each one.
        const auto middle_length = static_cast<std::uint32_t>(comma + 1 - middle);
        Middle* const set = &middles_[2 * hash_short<middle_bits>(middle, middle_length)];
        const Middle* cached = nullptr;
        if (middle_length <= fast_field_bytes) {
            if (set[0].length == middle_length && equal_bytes(middle, set[0].bytes, middle_length)) cached = &set[0];
            else if (set[1].length == middle_length && equal_bytes(middle, set[1].bytes, middle_length)) cached = &set[1];
        }
        Index criterion = 0;
        std::uint32_t juror = 0;
        std::string_view juror_name;
        const char* juror_start = nullptr;
        bool known_juror = true;
        if (cached) {
            criterion = cached->criterion;
            juror = cached->juror;
        } else {
            const char* const c3 = field_end(middle);
            if (!c3 || c3 >= comma) return nullptr;
            const char* const c4 = field_end(c3 + 1);
            if (!c4 || c4 >= comma || field_end(c4 + 1) != comma) return nullptr;
            std::uint32_t epreuve = no_epreuve;
            const auto epreuve_length = static_cast<std::uint32_t>(c3 + 1 - middle);
            if (!recent_epreuves_.find(middle, epreuve_length, epreuve)) {
                const std::string_view code = trim({middle, epreuve_length - 1});
                if (!code.empty()) {
                    const auto id = ctx_.epreuve_codes.find(code);
                    if (!id) return nullptr;
                    epreuve = *id;
                }
                recent_epreuves_.add(middle, epreuve_length, epreuve);
            }
            const char* const criterion_start = c3 + 1;
            const auto criterion_length = static_cast<std::uint32_t>(c4 + 1 - criterion_start);
            const std::size_t after = std::size_t{criterion_} + 1;  // files list criteria in order
            if (criterion_length_ != 0 && criterion_length == criterion_length_ &&
                equal_bytes(criterion_start, criterion_bytes_, criterion_length)) {
                criterion = criterion_;
            } else if (criterion_length_ != 0 && after < ctx_.criterion_count &&
                       criterion_length == ctx_.criterion_comma_length[after] &&
                       equal_bytes(criterion_start, ctx_.criterion_comma[after].data(), criterion_length)) {
                criterion = static_cast<Index>(after);
            } else {
                const auto id = ctx_.criterion_codes.find(trim({criterion_start, criterion_length - 1}));
                if (!id) return nullptr;
                criterion = *id;
            }
            criterion_bytes_ = criterion_start;
            criterion_length_ = criterion_length;
            criterion_ = criterion;
            if (epreuve == no_epreuve ? ctx_.covering_count[criterion] > 1
                                      : !ctx_.covers[std::size_t{criterion} * ctx_.epreuve_count + epreuve])
                return nullptr;
            juror_start = c4 + 1;
            const auto juror_length = static_cast<std::uint32_t>(comma + 1 - juror_start);
            known_juror = recent_jurors_.find(juror_start, juror_length, juror);
            if (!known_juror) {
                juror_name = trim({juror_start, juror_length - 1});
                if (juror_name.empty()) return nullptr;
            }
        }

        // Value: a short plain decimal on the scale, absent or exempt; most files
        // repeat a few dozen value texts, remembered with what they mean.
        const auto value_length = static_cast<std::uint32_t>(value_end - value_start);
        if (value_length - 1 >= 8) return nullptr;  // empty (missing), or long
        double value = 0;
        Mark mark = Mark::value;
        std::uint64_t word;
        std::memcpy(&word, value_start, 8);
        const std::uint64_t key =
            value_length < 8
                ? (word & ((std::uint64_t{1} << (8 * value_length)) - 1)) | std::uint64_t{value_length} << 56
                : 0;
        CachedValue& known = values_[(key * 0x9E3779B97F4A7C15ull) >> (64 - value_bits)];
        if (key != 0 && known.key == key) {
            value = known.value;
            mark = known.mark;
        } else if (short_decimal(value_start, value_length, value)) {
            if (key != 0) known = {key, value, Mark::value};
        } else {
            if (value_length != 6) return nullptr;
            const std::uint64_t lower = (word | 0x0000202020202020ull) & 0x0000FFFFFFFFFFFFull;  // ASCII letters
            if (lower == word6("absent")) mark = Mark::absent;
            else if (lower == word6("exempt")) mark = Mark::exempt;
            else return nullptr;
            value = std::numeric_limits<double>::quiet_NaN();
            known = {key, value, mark};
        }
        if (mark == Mark::value) {
            const Context::ValueRule& rule = ctx_.value_rules[criterion];
            if (!rule.numbers_first) return nullptr;
            if (!(rule.plain ? (value >= rule.min && value <= rule.max) : ctx_.scales[criterion].contains(value)))
                return nullptr;
        }
        if (comma_2) {  // is_iso_time takes no quote; a comma would be one field too many
            const std::string_view time = trim({comma_2 + 1, static_cast<std::size_t>(eol - comma_2 - 1)});
            if (!time.empty() && (time.find(',') != std::string_view::npos || !is_iso_time(time))) return nullptr;
        }

        // The line is valid: record it as read_long_line would.
        if (!known_row) {
            row = intern_row(candidate, session);
            if (row == rows_to_estimate) estimate_rows(start);
            const auto prefix_length = static_cast<std::uint32_t>(middle - start);
            if (prefix_length <= fast_field_bytes) {
                prefix_ = start;
                prefix_length_ = prefix_length;
                prefix_row_ = row;
            }
        }
        if (!known_juror) {
            juror = jurors_.intern(juror_name);
            if (juror > Slot::max_jurors) return nullptr;
            recent_jurors_.add(juror_start, static_cast<std::uint32_t>(comma + 1 - juror_start), juror);
        }
        if (!store_new(row, criterion, juror, mark, value, line)) return nullptr;  // a duplicate
        if (!cached && middle_length <= fast_field_bytes) {  // the older of the two goes
            set[1] = set[0];
            set[0] = {middle, middle_length, criterion, juror};
        }
        return eol + (*eol == '\r' && eol[1] == '\n' ? 2 : 1);
    }

    /// The line breaks of the window of the text from `from` (about 8 KB, whole
    /// blocks of 64 bytes, none read past scan_limit_ + 64), as offsets from it.
    void scan(const char* from) {
        break_base_ = from;
        break_next_ = 0;
        break_count_ = 0;
        if (from > scan_limit_) return;
        const std::size_t blocks =
            std::min<std::size_t>(break_window / 64, static_cast<std::size_t>(scan_limit_ - from) / 64 + 1);
        break_count_ = find_line_breaks_(from, blocks, breaks_.data());
    }

    static constexpr std::uint64_t word6(const char (&s)[7]) noexcept {
        std::uint64_t w = 0;
        for (int i = 0; i < 6; ++i) w |= std::uint64_t{static_cast<unsigned char>(s[i])} << (8 * i);
        return w;
    }

    /// Puts a value in the next free slot of its cell; false if the juror already
    /// has one there (nothing stored).
    bool store_new(std::uint32_t row, Index criterion, std::uint32_t juror, Mark mark, double value,
                   std::uint32_t line) {
        Slot* cell = slots_.cell(row, criterion);
        const std::size_t room = slots_.jurors();
        std::size_t k = 0;
        for (; k < room && cell[k].juror_mark != Slot::free; ++k)
            if (cell[k].juror() == juror) return false;
        if (k == room) {
            slots_.widen();
            cell = slots_.cell(row, criterion);
        }
        cell[k].value = static_cast<float>(value);
        cell[k].juror_mark = Slot::pack(juror, mark);
        if (slots_.has_lines()) slots_.lines(row, criterion)[k] = line;
        slots_.use(k + 1);
        if (mark != Mark::value) has_marks_ = true;
        return true;
    }

    // --- the general path -------------------------------------------------------

    void wrong_field_count() {
        const std::string counts = std::to_string(fields_.size()) + " fields where the header has " +
                                   std::to_string(ctx_.columns);
        if (fields_.size() > ctx_.columns) {
            problems_.add(fields_[ctx_.columns], counts +
                                                     "; quote a field that contains a comma (\"a,b\") or remove "
                                                     "the extra fields");
        } else {
            problems_.add_after(fields_.back(), counts + "; add the missing fields (an empty field is written ,,)");
        }
    }

    void read_long_line() {
        const Field& candidate_field = fields_[0];
        const Field& criterion_field = fields_[3];
        const Field& juror_field = fields_[4];
        const Field& value_field = fields_[5];
        const std::string_view candidate = trim(unescaped(candidate_field, arena_));
        const std::string_view session = trim(unescaped(fields_[1], arena_));
        const std::string_view epreuve = trim(unescaped(fields_[2], arena_));
        const std::string_view criterion_code = trim(unescaped(criterion_field, arena_));
        const std::string_view juror = trim(unescaped(juror_field, arena_));
        const std::string_view value_text = trim(unescaped(value_field, arena_));
        bool ok = true;
        if (candidate.empty()) {
            problems_.add(candidate_field, "empty candidate; every line needs the candidate's code");
            ok = false;
        }
        std::optional<Index> criterion;
        // Files are usually sorted: the criterion of the previous line, or the next one.
        if (last_criterion_ && same(criterion_code, last_criterion_code_)) {
            criterion = last_criterion_;
        } else if (last_criterion_ && *last_criterion_ + 1 < ctx_.criterion_count &&
                   same(criterion_code, ctx_.criteria[*last_criterion_ + 1].code)) {
            criterion = *last_criterion_ + 1;
            last_criterion_code_ = criterion_code;
            last_criterion_ = criterion;
        } else {
            criterion = ctx_.lookup_criterion(problems_, criterion_field, criterion_code);
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
        if (criterion && !value_text.empty() && !ctx_.read_value(problems_, value_field, value_text, *criterion, value, mark))
            ok = false;
        if (ctx_.has_time) {
            const std::string_view time = trim(unescaped(fields_[6], arena_));
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
        const std::string_view candidate = trim(unescaped(candidate_field, arena_));
        const std::string_view session = trim(unescaped(fields_[1], arena_));
        const std::string_view juror = trim(unescaped(juror_field, arena_));
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
        for (std::size_t i = 3; i < ctx_.columns; ++i) {
            const Field& f = fields_[i];
            const std::string_view text = trim(unescaped(f, arena_));
            if (text.empty()) continue;
            const Index criterion = ctx_.column_criteria[i - 3];
            Mark mark = Mark::value;
            double value = 0;
            if (ctx_.read_value(problems_, f, text, criterion, value, mark) && ok)
                store(f, row, criterion, juror_id, mark, value);
        }
    }

    /// Puts a value in the next free slot of its cell, or reports a duplicate at `f`.
    void store(const Field& f, std::uint32_t row, Index criterion, std::uint32_t juror, Mark mark, double value) {
        if (store_new(row, criterion, juror, mark, value, tokenizer_.record_line())) return;
        if (!slots_.has_lines()) {
            saw_duplicate_ = true;
            halt_.store(true, std::memory_order_relaxed);
            return;
        }
        const Slot* cell = slots_.cell(row, criterion);
        std::size_t k = 0;
        while (cell[k].juror() != juror) ++k;
        problems_.add_duplicate(f, row, criterion, juror, slots_.lines(row, criterion)[k]);
    }

    bool check_epreuve(const Field& f, std::string_view code, Index criterion) {
        const auto covering = [&] { return ctx_.referentiel.epreuves_covering_criterion(criterion); };
        const std::string& criterion_code = ctx_.criteria[criterion].code;
        const std::uint32_t count = ctx_.covering_count[criterion];
        if (code.empty()) {
            if (count <= 1) return true;
            problems_.add(f, "criterion " + criterion_code + " is evaluated by several épreuves (" +
                                 ctx_.epreuve_list(covering()) + "); name the épreuve in the epreuve column");
            return false;
        }
        std::optional<std::uint32_t> epreuve;
        if (last_epreuve_ && same(code, last_epreuve_code_)) {
            epreuve = last_epreuve_;
        } else {
            epreuve = ctx_.epreuve_codes.find(code);
            if (epreuve) {
                last_epreuve_code_ = code;
                last_epreuve_ = epreuve;
            }
        }
        if (!epreuve) {
            std::string message = "unknown épreuve " + shown(code);
            if (count == 0)
                message += "; criterion " + criterion_code + " is evaluated by no épreuve: leave the epreuve column empty";
            else if (count == 1)
                message += "; criterion " + criterion_code + " is evaluated by " + ctx_.epreuve_list(covering()) +
                           ": write it or leave the epreuve column empty";
            else
                message += "; criterion " + criterion_code + " is evaluated by " + ctx_.epreuve_list(covering());
            problems_.add(f, std::move(message));
            return false;
        }
        if (ctx_.covers[std::size_t{criterion} * ctx_.epreuve_count + *epreuve]) return true;
        std::string message = "épreuve " + std::string(code) + " does not evaluate criterion " + criterion_code;
        if (count == 0)
            message += "; no épreuve evaluates it: leave the epreuve column empty";
        else if (count == 1)
            message += "; write " + ctx_.epreuve_list(covering()) + " or leave the epreuve column empty";
        else
            message += "; write one of " + ctx_.epreuve_list(covering());
        problems_.add(f, std::move(message));
        return false;
    }

    std::uint32_t intern_juror(const Field& f, std::string_view juror) {
        const std::uint32_t id = jurors_.intern(juror);
        if (id == Slot::max_jurors + 1)
            problems_.add(f, "more than " + std::to_string(Slot::max_jurors + 1) + " distinct jurors; split the file");
        return id;
    }

    /// Once some rows are read, room for as many as the rest of the range will
    /// likely hold, so that the row table grows once rather than ten times.
    static constexpr std::uint32_t rows_to_estimate = 4096;
    void estimate_rows(const char* reached) {
        const auto read = static_cast<double>(reached - tokenizer_.data_begin());
        const auto all = static_cast<double>(tokenizer_.end() - tokenizer_.data_begin());
        if (read > 0) rows_.reserve(static_cast<std::size_t>(rows_to_estimate * (all / read) * 1.1));
    }

    std::uint32_t intern_row(std::string_view candidate, std::string_view session) {
        // A candidate's lines usually follow each other.
        if (rows_.size() != 0 && same(candidate, last_candidate_) && same(session, last_session_)) return last_row_;
        last_candidate_ = candidate;
        last_session_ = session;
        last_row_ = intern_new_row(candidate, session);
        return last_row_;
    }

    std::uint32_t intern_new_row(std::string_view candidate, std::string_view session) {
        bool added = false;
        const std::uint32_t row = rows_.intern(candidate, session, added);
        if (added) slots_.add_row();
        return row;
    }

    const Context& ctx_;
    Tokenizer tokenizer_;
    Problems problems_;
    std::uint32_t first_line_;
    std::atomic<bool>& halt_;
    bool saw_quote_ = false;
    bool saw_duplicate_ = false;
    bool has_marks_ = false;

    std::vector<Field> fields_;
    std::deque<std::string> arena_;

    NameTable jurors_;
    RowTable rows_;
    std::string_view last_candidate_, last_session_;
    std::uint32_t last_row_ = 0;
    SlotTable slots_;

    std::string_view last_criterion_code_;
    std::optional<Index> last_criterion_;
    std::string_view last_epreuve_code_;
    std::optional<std::uint32_t> last_epreuve_;

    // Fast path: the line breaks of a window of the text, and the bytes of fields
    // of earlier lines (separator included) and what they mean. A length of 0
    // means nothing is known yet.
    bool fast_ = false;
    const char* text_begin_ = nullptr;
    static constexpr std::size_t break_window = 8192;
    const char* scan_limit_ = nullptr;  ///< the last block of 64 bytes a scan may read starts here
    std::vector<std::uint32_t> breaks_;  ///< line breaks from break_base_
    const char* break_base_ = nullptr;
    std::size_t break_count_ = 0, break_next_ = 0;
    FindLineBreaks find_line_breaks_ = find_line_breaks();
    bool halted_ = false;
    /// Épreuve, criterion and juror fields seen together, by a hash of their bytes:
    /// sets of two in a cache line.
    struct alignas(32) Middle {
        const char* bytes = nullptr;
        std::uint32_t length = 0;  ///< 0: unused
        Index criterion = 0;
        std::uint32_t juror = 0;
    };
    static constexpr unsigned middle_bits = 9;
    alignas(64) std::array<Middle, std::size_t{2} << middle_bits> middles_{};
    /// Values seen before, by their bytes (at most 7, and their number in the top byte).
    struct CachedValue {
        std::uint64_t key = 0;  ///< 0: unused
        double value = 0;
        Mark mark = Mark::value;
    };
    static constexpr unsigned value_bits = 9;
    std::array<CachedValue, std::size_t{1} << value_bits> values_{};
    const char* prefix_ = nullptr;      ///< "candidate,session,"
    std::uint32_t prefix_length_ = 0;
    std::uint32_t prefix_row_ = 0;
    const char* criterion_bytes_ = nullptr;
    std::uint32_t criterion_length_ = 0;
    Index criterion_ = 0;
    RecentFields recent_epreuves_, recent_jurors_;
};

// ---------------------------------------------------------------------------
// Chunks in parallel, then merged in file order
// ---------------------------------------------------------------------------

/// Runs task(0) .. task(n - 1), task(0) on the calling thread and the others on
/// threads of their own (on the calling thread too if the system has no more
/// threads to give), and rethrows the first exception of any.
template <class Task>
void run_parallel(std::size_t n, const Task& task) {
    if (n == 1) {
        task(0);
        return;
    }
    std::vector<std::exception_ptr> errors(n);
    std::vector<std::thread> threads;
    auto guarded = [&](std::size_t i) {
        try {
            task(i);
        } catch (...) {
            errors[i] = std::current_exception();
        }
    };
    std::size_t started = 1;
    try {
        threads.reserve(n - 1);
        for (; started < n; ++started) threads.emplace_back(guarded, started);
    } catch (...) {  // no more threads: the rest run here
    }
    guarded(0);
    for (std::size_t i = started; i < n; ++i) guarded(i);
    for (auto& t : threads) t.join();
    for (const auto& e : errors)
        if (e) std::rethrow_exception(e);
}

/// Runs task(0) .. task(tasks - 1) on `threads` threads, in that order of start.
template <class Task>
void run_tasks(std::size_t threads, std::size_t tasks, const Task& task) {
    std::atomic<std::size_t> next{0};
    run_parallel(std::max<std::size_t>(1, std::min(threads, tasks)), [&](std::size_t) {
        for (std::size_t t; (t = next.fetch_add(1)) < tasks;) task(t);
    });
}

/// Where each chunk starts: the data cut into about n equal parts, each starting a
/// line (just after an LF); the last entry is `end`.
std::vector<const char*> cut_lines(const char* data, const char* end, std::size_t n) {
    std::vector<const char*> cuts{data};
    const auto bytes = static_cast<std::size_t>(end - data);
    for (std::size_t i = 1; i < n; ++i) {
        const char* target = std::max(data + bytes / n * i, cuts.back());
        const void* lf = std::memchr(target, '\n', static_cast<std::size_t>(end - target));
        if (!lf) break;
        const char* cut = static_cast<const char*>(lf) + 1;
        if (cut >= end) break;
        cuts.push_back(cut);
    }
    cuts.push_back(end);
    return cuts;
}

/// The chunks' rows, jurors, slots and problems as one reader of the whole file
/// would have them, and the cohort.
class Merge {
  public:
    Merge(const Context& context, std::vector<std::unique_ptr<ChunkReader>>& chunks, std::size_t max_errors,
          std::string_view source)
        : ctx_(context), chunks_(chunks), limit_(std::max<std::size_t>(1, max_errors)), max_errors_(max_errors),
          source_(source) {}

    /// The cohort, or nothing if the chunks were read without lines and a value has
    /// a duplicate in another chunk (the file is then read again with lines).
    std::optional<Cohort> cohort() {
        const std::size_t n = chunks_.size();
        // Line numbers: the first chunk counts from the file's line, the others from 0.
        offset_.assign(n, 0);
        for (std::size_t k = 1; k < n; ++k) offset_[k] = offset_[k - 1] + chunks_[k - 1]->end_line();
        row_of_.resize(n);
        juror_of_.resize(n);
        global_jurors_.resize(n);
        for (std::size_t k = 0; k < n; ++k) {
            if (!merge_chunk(k)) return std::nullopt;
            if (problems_.size() >= limit_) break;  // one reader would have stopped here
        }
        if (!problems_.empty()) raise_problems(std::move(problems_), max_errors_, source_);
        return fill();
    }

  private:
    /// Rows and jurors of chunk k in the file's numbering; its rows seen in an
    /// earlier chunk join them there; its problems, in file order.
    bool merge_chunk(std::size_t k) {
        ChunkReader& chunk = *chunks_[k];
        juror_of_[k].resize(chunk.jurors().size());
        for (std::uint32_t j = 0; j < chunk.jurors().size(); ++j) juror_of_[k][j] = jurors_.intern(chunk.jurors().name(j));
        global_jurors_[k].assign(chunk.rows(), false);
        row_of_[k].resize(chunk.rows());
        std::vector<Problem> across;  // duplicates of values in earlier chunks
        for (std::uint32_t row = 0; row < chunk.rows(); ++row) {
            std::optional<std::uint32_t> earlier;
            for (std::size_t j = 0; j < k && !earlier; ++j)
                if (const auto r = chunks_[j]->find_row(chunk, row)) earlier = row_of_[j][*r];
            if (!earlier) {
                row_of_[k][row] = static_cast<std::uint32_t>(owner_.size());
                owner_.push_back(static_cast<std::uint32_t>(k));
                owner_row_.push_back(row);
                continue;
            }
            row_of_[k][row] = *earlier;
            if (!merge_row(k, row, *earlier, across)) return false;
        }

        // The chunk's problems, in the file's numbering; a duplicate names the line
        // of the first value, which may be in an earlier chunk.
        std::vector<Problem>& own = chunk.problems();
        for (Problem& p : own) {
            p.line += offset_[k];
            if (!p.duplicate) continue;
            const std::uint32_t global = row_of_[k][p.row];
            std::uint32_t first = offset_[k] + p.first_line;
            if (owner_[global] != k) first = first_line_in(global, p.criterion, juror_of_[k][p.juror]);
            p.message = duplicate_message(chunk.candidate_of_row(p.row), chunk.session_of_row(p.row),
                                          ctx_.criteria[p.criterion].code, chunk.jurors().name(p.juror), first);
        }
        if (!across.empty()) locate(k, across);
        // Merged by line (in this case a line has no other problem: its value was recorded).
        std::size_t a = 0;
        for (Problem& p : own) {
            while (a < across.size() && across[a].line < p.line) add(std::move(across[a++]));
            add(std::move(p));
        }
        while (a < across.size()) add(std::move(across[a++]));
        return true;
    }

    void add(Problem&& p) {
        if (problems_.size() < limit_) problems_.push_back(std::move(p));
    }

    /// Appends the slots of row `row` of chunk k to those of global row `global`,
    /// held by the chunk that saw it first, in file order.
    bool merge_row(std::size_t k, std::uint32_t row, std::uint32_t global, std::vector<Problem>& across) {
        const std::size_t o = owner_[global];
        const std::uint32_t into_row = owner_row_[global];
        ChunkReader& from = *chunks_[k];
        ChunkReader& into = *chunks_[o];
        SlotTable& slots = into.slots();
        if (!global_jurors_[o][into_row]) {  // its slots now name jurors by their global id
            global_jurors_[o][into_row] = true;
            for (std::size_t c = 0; c < ctx_.criterion_count; ++c) {
                Slot* cell = slots.cell(into_row, c);
                for (std::size_t s = 0; s < slots.jurors() && cell[s].juror_mark != Slot::free; ++s)
                    cell[s].juror_mark = Slot::pack(juror_of_[o][cell[s].juror()], cell[s].mark());
            }
        }
        for (std::size_t c = 0; c < ctx_.criterion_count; ++c) {
            const Slot* source = from.slots().cell(row, c);
            for (std::size_t s = 0; s < from.slots().jurors() && source[s].juror_mark != Slot::free; ++s) {
                const std::uint32_t juror = juror_of_[k][source[s].juror()];
                const bool lines = slots.has_lines();
                const std::uint32_t line = lines ? offset_[k] + from.slots().lines(row, c)[s] : 0;
                Slot* cell = slots.cell(into_row, c);
                std::size_t t = 0;
                while (t < slots.jurors() && cell[t].juror_mark != Slot::free && cell[t].juror() != juror) ++t;
                if (t < slots.jurors() && cell[t].juror_mark != Slot::free) {
                    if (!lines) return false;
                    Problem& p = across.emplace_back(Problem{line, 0, {}});
                    p.message = duplicate_message(from.candidate_of_row(row), from.session_of_row(row),
                                                  ctx_.criteria[c].code, jurors_.name(juror),
                                                  offset_[o] + slots.lines(into_row, c)[t]);
                    continue;
                }
                if (t == slots.jurors()) {
                    slots.widen();
                    cell = slots.cell(into_row, c);
                }
                cell[t].value = source[s].value;
                cell[t].juror_mark = Slot::pack(juror, source[s].mark());
                if (lines) slots.lines(into_row, c)[t] = line - offset_[o];
                slots.use(t + 1);
                if (source[s].mark() != Mark::value) into.note_mark();
            }
        }
        return true;
    }

    /// The line of the value of `juror` in a merged cell.
    std::uint32_t first_line_in(std::uint32_t global, Index criterion, std::uint32_t juror) {
        const std::size_t o = owner_[global];
        SlotTable& slots = chunks_[o]->slots();
        const Slot* cell = slots.cell(owner_row_[global], criterion);
        std::size_t t = 0;
        while (cell[t].juror() != juror) ++t;
        return offset_[o] + slots.lines(owner_row_[global], criterion)[t];
    }

    /// The columns of duplicates found while merging: the juror field of their line
    /// (the chunks read in parallel have no quotes, so fields are between commas).
    void locate(std::size_t k, std::vector<Problem>& across) const {
        std::stable_sort(across.begin(), across.end(), [](const Problem& a, const Problem& b) { return a.line < b.line; });
        const Tokenizer& tokenizer = chunks_[k]->tokenizer();
        const char* p = tokenizer.data_begin();
        const char* const end = tokenizer.end();
        std::uint32_t line = offset_[k] + chunks_[k]->first_line();
        for (Problem& d : across) {
            for (; line < d.line; ++line) {
                while (*p != '\n' && *p != '\r') ++p;
                if (*p == '\r' && p + 1 < end && p[1] == '\n') ++p;
                ++p;
            }
            const char* f = p;
            for (int commas = 0; commas < 4; ++f)
                if (*f == ',') ++commas;
            d.column = tokenizer.column(tokenizer.offset(f));
        }
    }
    /// The cohort: rows in order of first appearance, slots in file order.
    Cohort fill() {
        const std::size_t n = chunks_.size();
        std::size_t width = 1;
        bool marks = false;
        for (const auto& chunk : chunks_) {
            width = std::max(width, chunk->slots().used());
            marks = marks || chunk->has_marks();
        }
        Cohort cohort(owner_.size(), ctx_.criterion_count, width);
        for (std::uint32_t j = 0; j < jurors_.size(); ++j) cohort.juror_id(jurors_.name(j));
        // The threads below call the cohort's setters at once, which is safe as
        // long as no two calls touch the same thing: each slot is set by one
        // thread, the labels all by one thread, and the arrays that the cohort
        // makes on first use are made before anyone else needs them (the marks
        // here, the jurors by task 0, which the others wait for).
        if (marks) {
            cohort.set_mark(0, 0, 0, Mark::absent);
            cohort.set_mark(0, 0, 0, Mark::value);
        }
        // Each chunk's rows in parts of about 1 MB of slots: a part's slots are read
        // for the values, then, still in the cache, for the jurors.
        struct Part {
            std::size_t chunk;
            std::uint32_t first, last;
        };
        std::vector<Part> parts;
        for (std::size_t k = 0; k < n; ++k) {
            const std::size_t per_row = std::max<std::size_t>(1, ctx_.criterion_count * chunks_[k]->slots().jurors() * sizeof(Slot));
            const auto rows = static_cast<std::uint32_t>(chunks_[k]->rows());
            const auto step = static_cast<std::uint32_t>(std::max<std::size_t>(1, (std::size_t{1} << 20) / per_row));
            for (std::uint32_t first = 0; first < rows; first += std::min(step, rows - first))
                parts.push_back({k, first, first + std::min(step, rows - first)});
        }
        // One thread makes the juror array (the cohort makes it on the first juror
        // set), one sets the row labels; the parts wait for the array before their
        // jurors. Tasks start in order: the array is under way before any waits.
        enum : int { pending, made, failed };
        std::atomic<int> juror_array{pending};
        run_tasks(n, 2 + parts.size(), [&](std::size_t task) {
            if (task == 0) {
                try {
                    make_juror_array(cohort);
                } catch (...) {
                    juror_array.store(failed, std::memory_order_release);
                    throw;
                }
                juror_array.store(made, std::memory_order_release);
            } else if (task == 1) {
                set_labels(cohort);
            } else {
                const Part& part = parts[task - 2];
                fill_values(cohort, part.chunk, {part.first, part.last});
                int state;
                while ((state = juror_array.load(std::memory_order_acquire)) == pending) std::this_thread::yield();
                if (state == made) fill_jurors(cohort, part.chunk, {part.first, part.last});
            }
        });
        return cohort;
    }

    void set_labels(Cohort& cohort) const {
        for (std::size_t global = 0; global < owner_.size(); ++global) {
            const ChunkReader& chunk = *chunks_[owner_[global]];
            const std::uint32_t row = owner_row_[global];
            cohort.set_row_label(global, std::string(chunk.candidate_of_row(row)), std::string(chunk.session_of_row(row)));
        }
    }

    /// Sets the juror of the first filled slot (the cohort then makes its array).
    void make_juror_array(Cohort& cohort) const {
        for (std::size_t k = 0; k < chunks_.size(); ++k)
            for (std::uint32_t row = 0; row < chunks_[k]->rows(); ++row) {
                const std::uint32_t global = row_of_[k][row];
                if (owner_[global] != k) continue;
                for (std::size_t c = 0; c < ctx_.criterion_count; ++c) {
                    const Slot& slot = chunks_[k]->slots().cell(row, c)[0];
                    if (slot.juror_mark == Slot::free) continue;
                    cohort.set_juror(global, c, 0, global_jurors_[k][row] ? slot.juror() : juror_of_[k][slot.juror()]);
                    return;
                }
            }
    }

    void fill_values(Cohort& cohort, std::size_t k, std::pair<std::uint32_t, std::uint32_t> rows) const {
        const ChunkReader& chunk = *chunks_[k];
        const SlotTable& slots = chunk.slots();
        const std::size_t room = slots.jurors();
        for (std::uint32_t row = rows.first; row < rows.second; ++row) {
            const std::uint32_t global = row_of_[k][row];
            if (owner_[global] != k) continue;
            for (std::size_t c = 0; c < ctx_.criterion_count; ++c) {
                const Slot* cell = slots.cell(row, c);
                for (std::size_t s = 0; s < room && cell[s].juror_mark != Slot::free; ++s) {
                    if (cell[s].mark() == Mark::value) cohort.set_value(global, c, s, cell[s].value);
                    else cohort.set_mark(global, c, s, cell[s].mark());
                }
            }
        }
    }

    void fill_jurors(Cohort& cohort, std::size_t k, std::pair<std::uint32_t, std::uint32_t> rows) const {
        const ChunkReader& chunk = *chunks_[k];
        const SlotTable& slots = chunk.slots();
        const std::size_t room = slots.jurors();
        const std::vector<std::uint32_t>& jurors = juror_of_[k];
        for (std::uint32_t row = rows.first; row < rows.second; ++row) {
            const std::uint32_t global = row_of_[k][row];
            if (owner_[global] != k) continue;
            const bool global_ids = global_jurors_[k][row];
            for (std::size_t c = 0; c < ctx_.criterion_count; ++c) {
                const Slot* cell = slots.cell(row, c);
                for (std::size_t s = 0; s < room && cell[s].juror_mark != Slot::free; ++s)
                    cohort.set_juror(global, c, s, global_ids ? cell[s].juror() : jurors[cell[s].juror()]);
            }
        }
    }

    const Context& ctx_;
    std::vector<std::unique_ptr<ChunkReader>>& chunks_;
    std::size_t limit_, max_errors_;
    std::string_view source_;
    std::vector<std::uint32_t> offset_;                 ///< added to a chunk's line numbers
    std::vector<std::vector<std::uint32_t>> row_of_;    ///< chunk row -> global row
    std::vector<std::vector<std::uint32_t>> juror_of_;  ///< chunk juror -> global juror
    std::vector<std::vector<bool>> global_jurors_;      ///< chunk row holds global juror ids (merged)
    std::vector<std::uint32_t> owner_;                  ///< global row -> the chunk that holds its slots
    std::vector<std::uint32_t> owner_row_;              ///< ... and its row there
    NameTable jurors_;
    std::vector<Problem> problems_;
};

/// When the number of threads is left to the reader: at least this many bytes
/// per thread, and at most this many threads (merging costs grow with their
/// square, and the cohort is made by one thread).
constexpr std::size_t min_bytes_per_thread = std::size_t{1} << 20;
constexpr std::size_t max_auto_threads = 8;
constexpr std::size_t max_threads = 64;  ///< even when asked for more

Cohort read(const Referentiel& referentiel, std::span<const Scale> scales, std::string_view text,
            std::string_view source, const EvaluationReadOptions& options) {
    Context context(referentiel, scales);
    Tokenizer header(text);
    Problems problems(header, options.max_errors);
    std::vector<Field> fields;
    Malformed error;
    const auto result = header.next(fields, error);
    if (result == Tokenizer::Result::end) problems.add(1, 0, std::string("empty file; ") + std::string(expected_headers));
    else if (result == Tokenizer::Result::malformed) problems.add(error.line, error.offset, error.message);
    else context.read_header(fields, problems, header);
    if (!problems.empty()) raise_problems(std::move(problems.list()), options.max_errors, source);

    const char* const data = header.cursor();
    const char* const end = text.data() + text.size();
    std::size_t threads = std::min<std::size_t>(options.threads, max_threads);
    if (threads == 0)
        threads = std::clamp<std::size_t>(static_cast<std::size_t>(end - data) / min_bytes_per_thread, 1,
                                          std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, max_auto_threads));
    if (context.wide) threads = 1;  // few lines, and a duplicate's place in a line would need more care
    // Quotes: lines cannot be cut safely; a duplicate: read again keeping lines.
    bool lines = false;
    for (;;) {
        const std::vector<const char*> cuts = cut_lines(data, end, threads);
        std::atomic<bool> halt{false};
        std::vector<std::unique_ptr<ChunkReader>> chunks;
        for (std::size_t i = 0; i + 1 < cuts.size(); ++i)
            chunks.push_back(std::make_unique<ChunkReader>(context, text, cuts[i], cuts[i + 1],
                                                           i == 0 ? header.line() : 0, options.max_errors,
                                                           cuts.size() > 2, lines, halt));
        run_parallel(chunks.size(), [&](std::size_t i) { chunks[i]->run(); });
        if (std::any_of(chunks.begin(), chunks.end(), [](const auto& c) { return c->saw_quote(); })) {
            threads = 1;
            continue;
        }
        if (std::any_of(chunks.begin(), chunks.end(), [](const auto& c) { return c->saw_duplicate(); })) {
            lines = true;
            continue;
        }
        if (auto cohort = Merge(context, chunks, options.max_errors, source).cohort()) return std::move(*cohort);
        lines = true;
    }
}

/// A whole file's bytes: mapped into memory where the system allows (no copy;
/// a large file is read as fast as the page cache gives it), read otherwise.
class FileText {
  public:
    explicit FileText(const std::filesystem::path& path) {
        if (path.native() == "-") {  // standard input: read whole, no limit (as a mapped file)
            text_ = read_input(path, std::numeric_limits<std::size_t>::max());
            view_ = text_;
            return;
        }
#if CERTIGRAPH_EVALUATIONS_MMAP
        // Without blocking: a FIFO with no writer would wait forever.
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
        if (fd < 0) {
            const int error = errno;
            throw IoError(path.string() + ": cannot open for reading: " + std::strerror(error));
        }
        struct stat info {};
        if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
            ::close(fd);
            require_regular_input(path);  // throws, naming what the path is
            throw IoError(path.string() + ": not a regular file; give a file, or `-` to read standard input");
        }
        // The mapping is private and read-only; a file truncated by another process
        // while it is read is the one case it does not cover (SIGBUS), as with any
        // memory-mapped reader.
        if (info.st_size > 0) {
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
        text_ = read_input(path, std::numeric_limits<std::size_t>::max());
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
    if (const auto converted = detail::normalise_dialect(text, source, options))
        return read(referentiel, scales, *converted, source, options);
    return read(referentiel, scales, text, source, options);
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
