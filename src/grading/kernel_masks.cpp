// Bloc statuses only, with bit masks: the default grading run's kernel.
//
// Design note. Rows are taken `step` at a time. (1) One flat, branch-free pass over
// the step's (row, criterion) pairs sums the jurors' values and compares the sum with
// the smallest passing sum for that many jurors (CompiledPolicy::passing_sum): the
// same test as `mean >= threshold`, without a division. It leaves two bit streams,
// bit p set when pair p is unknown / not met: with 1-2 jurors straight from the
// values, 16 pairs a step from AVX-512 compare masks or 8 with AVX2 movemask (the
// processor's widest); otherwise through one byte per pair (bit 7 unknown, bit 6 not
// met, a loop GCC vectorises) and SSE2 movemask. (2) Per row, its
// C bits of each stream are two 64-bit masks, and each counting rule a bit set: `all`
// is "failed & members" then "unknown & members", `at_least k` two popcounts. For
// `all` rules over up to 8 blocs (the default policy's), several rows at once, one a
// lane: with AVX-512 8 rows, their bits brought from the stream's words by lane
// permutes and shifts; with AVX2 4 rows, from gathered words (C <= 57); each bloc two
// lane tests (1M x 30 x 2, one core: AVX-512 10.4 -> 7.9 ms, AVX2 11.5 -> 8.9 ms).
// Every row's result depends on that row only: any split into steps or threads gives
// the same bits.
#include "grading/compiled.hpp"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#endif

namespace certigraph::detail {

namespace {

// Rows a step: a multiple of 8, so each step's bit streams start on a byte. Small, so
// the step's values and tiled limits stay in L1 (bench_grade, 1M rows, CPU time: 16 rows
// 11.7 ms, 8 rows 11.8, 32 rows 13.3, 64 rows 17.0, 256 rows 19.3).
constexpr std::size_t step = 16;
constexpr std::uint8_t unknown_bit = 0x80, failed_bit = 0x40;
std::atomic<unsigned> widest_simd{512};  // tests lower it to check the narrower passes

/// As kernel.cpp: AVX2 (with popcnt) and baseline clones, same IEEE operations.
#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__)
#define CERTIGRAPH_MASK_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define CERTIGRAPH_MASK_CLONES
#endif

/// Codes of `pairs` consecutive (row, criterion) pairs of J juror slots; limit_d[p] is
/// the smallest passing sum of pair p's criterion with d values (tiled row after row;
/// limit2 and limit3 are read only when J has that many slots).
template <std::size_t J>
CERTIGRAPH_MASK_CLONES void criterion_codes(const float* __restrict values, std::size_t pairs,
                                            const float* __restrict limit1, const float* __restrict limit2,
                                            const float* __restrict limit3, unsigned min_jurors,
                                            std::uint8_t* __restrict code) {
    const float known_count = static_cast<float>(min_jurors);
    for (std::size_t p = 0; p < pairs; ++p) {
        const float* v = values + p * J;
        float sum = 0.0f, count = 0.0f;
        for (std::size_t j = 0; j < J; ++j) {  // the same additions, in the same order, as kernel.cpp
            const bool present = v[j] == v[j];
            sum += present ? v[j] : 0.0f;
            count += present ? 1.0f : 0.0f;
        }
        // No value: the mean is 0 / 1, so the one-juror limit applies.
        float least = limit1[p];
        if constexpr (J >= 2) least = count >= 2.0f ? limit2[p] : least;
        if constexpr (J >= 3) least = count >= 3.0f ? limit3[p] : least;
        const std::int32_t known = count >= known_count;
        const std::int32_t met = sum >= least;
        code[p] = static_cast<std::uint8_t>((1 - known) * unknown_bit + known * (1 - met) * failed_bit);
    }
}

/// The codes of `n` pairs as two bit streams: bit p of `unknown` (of `failed`) is bit 7
/// (bit 6) of code[p]. The codes are readable up to a multiple of 16 (padded).
void codes_to_bits(const std::uint8_t* code, std::size_t n, std::uint8_t* unknown, std::uint8_t* failed) {
#if defined(__SSE2__)
    for (std::size_t q = 0; q < n; q += 16) {
        const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(code + q));
        const auto u = static_cast<std::uint16_t>(_mm_movemask_epi8(x));
        const auto f = static_cast<std::uint16_t>(_mm_movemask_epi8(_mm_add_epi8(x, x)));
        std::memcpy(unknown + q / 8, &u, 2);  // little-endian: bit p of the stream is pair p
        std::memcpy(failed + q / 8, &f, 2);
    }
#else
    for (std::size_t q = 0; q < n; q += 8) {
        std::uint8_t u = 0, f = 0;
        for (std::size_t b = 0; b < 8; ++b) {
            u = static_cast<std::uint8_t>(u | ((code[q + b] >> 7) << b));
            f = static_cast<std::uint8_t>(f | (((code[q + b] >> 6) & 1) << b));
        }
        unknown[q / 8] = u;
        failed[q / 8] = f;
    }
#endif
}

#if defined(__GNUC__) && defined(__x86_64__)
#define CERTIGRAPH_HAVE_AVX2_BITS 1
/// How far ahead to prefetch (bench_grade, 1M rows, 16-row steps: 1 KB 11.8 ms, 4 KB
/// 11.5-11.8 ms, 8 KB 12.5 ms).
constexpr std::size_t prefetch_bytes = 4096;

/// Pairs [from, to) one by one (as criterion_codes), pair q at bit q - from + bit.
template <std::size_t J>
void tail_bits(const float* values, std::size_t from, std::size_t to, std::size_t bit, const float* limit1,
               const float* limit2, unsigned min_jurors, std::uint8_t* unknown, std::uint8_t* failed) {
    for (std::size_t q = from; q < to; ++q, ++bit) {
        if (bit % 8 == 0) unknown[bit / 8] = failed[bit / 8] = 0;
        const float* v = values + q * J;
        float sum = 0.0f, count = 0.0f;
        for (std::size_t j = 0; j < J; ++j) {
            sum += v[j] == v[j] ? v[j] : 0.0f;
            count += v[j] == v[j] ? 1.0f : 0.0f;
        }
        const float least = count >= 2.0f ? limit2[q] : limit1[q];
        const bool known = count >= static_cast<float>(min_jurors);
        unknown[bit / 8] = static_cast<std::uint8_t>(unknown[bit / 8] | (!known << (bit % 8)));
        failed[bit / 8] = static_cast<std::uint8_t>(failed[bit / 8] | ((known && !(sum >= least)) << (bit % 8)));
    }
}

/// AVX-512: pairs [from, to), 16 a step, the bits straight from compare masks, pair p at
/// bit p + shift ((from + shift) % 8 == 0); the last pairs one by one. Otherwise as
/// criterion_bits_avx2.
template <std::size_t J, unsigned Least>
__attribute__((target("avx512f,avx512bw,avx512dq,avx512vl"))) void criterion_bits_avx512(
    const float* values, std::size_t from, std::size_t to, std::size_t shift, const float* limit1,
    const float* limit2, std::uint8_t* unknown, std::uint8_t* failed) {
    static_assert(J == 1 || J == 2);
    std::size_t p = from;
    const __m512i take_x = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    const __m512i take_y = _mm512_setr_epi32(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
    for (; p + 16 <= to; p += 16) {
        _mm_prefetch(reinterpret_cast<const char*>(values + J * p) + prefetch_bytes, _MM_HINT_T0);
        __m512 sum, least;
        __mmask16 some, both;
        if constexpr (J == 1) {
            const __m512 x = _mm512_loadu_ps(values + p);
            some = both = _mm512_cmp_ps_mask(x, x, _CMP_ORD_Q);
            sum = _mm512_maskz_mov_ps(some, x);
            least = _mm512_loadu_ps(limit1 + p);
        } else {
            const __m512 a = _mm512_loadu_ps(values + 2 * p), b = _mm512_loadu_ps(values + 2 * p + 16);
            const __m512 x = _mm512_permutex2var_ps(a, take_x, b), y = _mm512_permutex2var_ps(a, take_y, b);
            const __mmask16 px = _mm512_cmp_ps_mask(x, x, _CMP_ORD_Q), py = _mm512_cmp_ps_mask(y, y, _CMP_ORD_Q);
            sum = _mm512_add_ps(_mm512_maskz_mov_ps(px, x), _mm512_maskz_mov_ps(py, y));
            some = static_cast<__mmask16>(px | py);
            both = static_cast<__mmask16>(px & py);
            least = _mm512_mask_blend_ps(both, _mm512_loadu_ps(limit1 + p), _mm512_loadu_ps(limit2 + p));
        }
        std::uint16_t known = 0;
        if constexpr (Least == 0) known = 0xFFFF;
        else if constexpr (Least == 1) known = some;
        else if constexpr (Least == J) known = both;
        const std::uint16_t met = _mm512_cmp_ps_mask(sum, least, _CMP_GE_OQ);
        const auto u = static_cast<std::uint16_t>(~known), f = static_cast<std::uint16_t>(known & ~met);
        std::memcpy(unknown + (p + shift) / 8, &u, 2);  // little-endian: bit p + shift is pair p
        std::memcpy(failed + (p + shift) / 8, &f, 2);
    }
    tail_bits<J>(values, p, to, p + shift, limit1, limit2, Least, unknown, failed);
}

/// The bit streams straight from the values for 1 or 2 juror slots, 8 pairs a step
/// (AVX2): the same comparisons as criterion_codes. The sum skips criterion_codes'
/// leading `0.0f +`, which changes at most the sign of a zero sum, and -0 and +0
/// compare alike.
/// `Least` is min_jurors, capped at J + 1 (never known), fixed at compile time so the
/// loop has no branch on it.
template <std::size_t J, unsigned Least>
__attribute__((target("avx2"))) void criterion_bits_avx2(const float* values, std::size_t pairs,
                                                          const float* limit1, const float* limit2,
                                                          std::uint8_t* unknown, std::uint8_t* failed) {
    static_assert(J == 1 || J == 2);
    constexpr unsigned min_jurors = Least;
    const int all = 0xFF;
    std::size_t p = 0;
    for (; p + 8 <= pairs; p += 8) {
        // A few lines ahead: the hardware prefetcher alone leaves this loop waiting on memory.
        _mm_prefetch(reinterpret_cast<const char*>(values + J * p) + prefetch_bytes, _MM_HINT_T0);
        __m256 sum, least;
        int some, both;
        if constexpr (J == 1) {
            const __m256 x = _mm256_loadu_ps(values + p);
            const __m256 px = _mm256_cmp_ps(x, x, _CMP_ORD_Q);
            sum = _mm256_and_ps(x, px);
            least = _mm256_loadu_ps(limit1 + p);
            some = both = _mm256_movemask_ps(px);
        } else {
            const __m256 a = _mm256_loadu_ps(values + 2 * p), b = _mm256_loadu_ps(values + 2 * p + 8);
            // [x0 y0 x1 y1 ...] -> x0..x7 and y0..y7
            const __m256 xs = _mm256_shuffle_ps(a, b, _MM_SHUFFLE(2, 0, 2, 0));
            const __m256 ys = _mm256_shuffle_ps(a, b, _MM_SHUFFLE(3, 1, 3, 1));
            const __m256 x = _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(xs), _MM_SHUFFLE(3, 1, 2, 0)));
            const __m256 y = _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(ys), _MM_SHUFFLE(3, 1, 2, 0)));
            const __m256 px = _mm256_cmp_ps(x, x, _CMP_ORD_Q), py = _mm256_cmp_ps(y, y, _CMP_ORD_Q);
            sum = _mm256_add_ps(_mm256_and_ps(x, px), _mm256_and_ps(y, py));
            const __m256 two = _mm256_and_ps(px, py);
            least = _mm256_blendv_ps(_mm256_loadu_ps(limit1 + p), _mm256_loadu_ps(limit2 + p), two);
            some = _mm256_movemask_ps(_mm256_or_ps(px, py));
            both = _mm256_movemask_ps(two);
        }
        int known = 0;
        if constexpr (Least == 0) known = all;
        else if constexpr (Least == 1) known = some;
        else if constexpr (Least == J) known = both;
        const int met = _mm256_movemask_ps(_mm256_cmp_ps(sum, least, _CMP_GE_OQ));
        unknown[p / 8] = static_cast<std::uint8_t>(~known & all);
        failed[p / 8] = static_cast<std::uint8_t>(known & ~met & all);
    }
    tail_bits<J>(values, p, pairs, p, limit1, limit2, min_jurors, unknown, failed);
}

/// Calls f.template operator()<Least>() with min_jurors capped at J + 1 (never known).
template <std::size_t J, class F>
void with_least(unsigned min_jurors, F&& f) {
    switch (std::min<unsigned>(min_jurors, J + 1)) {
        case 0: return f.template operator()<0>();
        case 1: return f.template operator()<1>();
        case 2: return f.template operator()<2>();
        default: return f.template operator()<3>();
    }
}
#endif

/// `C` bits from bit `offset` of a stream (readable 16 bytes past: padded).
inline std::uint64_t bits_at(const std::uint8_t* stream, std::size_t offset, std::size_t C) {
    const std::uint8_t* at = stream + offset / 8;
    const unsigned shift = offset % 8;
    std::uint64_t lo, hi;
    std::memcpy(&lo, at, 8);
    std::memcpy(&hi, at + 8, 8);
    const std::uint64_t word = shift ? (lo >> shift) | (hi << (64 - shift)) : lo;
    return C == 64 ? word : word & ((std::uint64_t{1} << C) - 1);
}

/// A counting rule's rank (0 met, 1 unknown, 2 failed) from its children's masks.
inline unsigned rank_of(const CompiledPolicy::MaskRule& r, std::uint64_t unknown, std::uint64_t failed) {
    if (r.all) return (failed & r.members) ? 2u : (unknown & r.members) ? 1u : 0u;
    const auto met = static_cast<unsigned>(std::popcount(r.members & ~unknown & ~failed));
    const auto open = static_cast<unsigned>(std::popcount(r.members & unknown));
    return met >= r.k ? 0u : met + open < r.k ? 2u : 1u;
}

/// rank 0 -> validated (1), 1 -> incomplete (0), 2 -> not validated (2).
inline Status status_of_rank(unsigned rank) { return static_cast<Status>((rank == 0) | ((rank == 2) << 1)); }

/// The rules for `n` rows whose criteria are bits [bit + i * C, bit + (i + 1) * C) of the streams.
CERTIGRAPH_MASK_CLONES void rules_of_rows(const CompiledPolicy& p, const std::uint8_t* unknown_bits,
                                          const std::uint8_t* failed_bits, std::size_t bit, std::size_t n,
                                          Status* out) {
    const std::size_t C = p.criteria, Bl = p.blocs;
    const CompiledPolicy::MaskRule* blocs = p.bloc_masks.data();
    if (p.all_of_all) {
        for (std::size_t i = 0; i < n; ++i, out += Bl) {
            const std::uint64_t unknown = bits_at(unknown_bits, bit + i * C, C),
                                failed = bits_at(failed_bits, bit + i * C, C);
            for (std::size_t b = 0; b < Bl; ++b) {
                const bool f = (failed & blocs[b].members) != 0, u = (unknown & blocs[b].members) != 0;
                out[b] = static_cast<Status>((f << 1) | (!f & !u));  // arithmetic: statuses vary row to row
            }
        }
        return;
    }
    const std::size_t K = p.competencies;
    for (std::size_t i = 0; i < n; ++i, out += Bl) {
        const std::uint64_t unknown = bits_at(unknown_bits, bit + i * C, C),
                                failed = bits_at(failed_bits, bit + i * C, C);
        std::uint64_t comp_unknown = 0, comp_failed = 0;
        for (std::size_t c = 0; c < K; ++c) {
            const unsigned r = rank_of(p.competency_masks[c], unknown, failed);
            comp_unknown |= static_cast<std::uint64_t>(r == 1) << c;
            comp_failed |= static_cast<std::uint64_t>(r == 2) << c;
        }
        for (std::size_t b = 0; b < Bl; ++b)
            out[b] = status_of_rank(p.bloc_over_criteria[b] ? rank_of(blocs[b], unknown, failed)
                                                            : rank_of(blocs[b], comp_unknown, comp_failed));
    }
}

#if CERTIGRAPH_HAVE_AVX2_BITS
// GCC 12 warns that the shift intrinsics' unused pass-through operand (undefined by
// design) "may be used uninitialized" (GCC bug 105593, fixed in GCC 13).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
/// Lane r: the 64 bits from bit 64 q[r] + t[r] of the 16 words at `words`.
__attribute__((target("avx512f"), always_inline)) inline __m512i row_words(const std::uint8_t* words, __m512i q,
                                                                          __m512i q_next, __m512i t, __m512i t_back) {
    const __m512i w0 = _mm512_loadu_si512(words), w1 = _mm512_loadu_si512(words + 64);
    const __m512i lo = _mm512_permutex2var_epi64(w0, q, w1), hi = _mm512_permutex2var_epi64(w0, q_next, w1);
    return _mm512_or_si512(_mm512_srlv_epi64(lo, t), _mm512_sllv_epi64(hi, t_back));  // a shift by 64 gives 0
}

/// rules_of_rows for an all_of_all policy of Bl blocs, 8 rows a step with AVX-512, for
/// the first n / 8 * 8 rows; returns how many it did. Row r's C bits (C <= 64) come from
/// the streams' 64-bit words around them by two lane permutes and two shifts; each bloc
/// is two lane tests, its status written as byte b of the row's lane (the statuses of
/// rules_of_rows' all_of_all loop), and the lanes' first Bl bytes are the rows' statuses.
/// The streams must be readable 128 bytes past the last row's first byte (padded).
template <std::size_t Bl>
__attribute__((target("avx512f,avx512bw,avx512dq,avx512vl"))) std::size_t all_rules_avx512(
    const CompiledPolicy& p, const std::uint8_t* unknown_bits, const std::uint8_t* failed_bits, std::size_t bit,
    std::size_t n, Status* out) {
    static_assert(Bl >= 1 && Bl <= 8);
    const std::size_t C = p.criteria;
    __m512i members[Bl], failed_status[Bl], met_status[Bl];
    for (std::size_t b = 0; b < Bl; ++b) {
        members[b] = _mm512_set1_epi64(static_cast<long long>(p.bloc_masks[b].members));
        failed_status[b] = _mm512_set1_epi64(static_cast<long long>(std::uint64_t{2} << (8 * b)));
        met_status[b] = _mm512_set1_epi64(static_cast<long long>(std::uint64_t{1} << (8 * b)));
    }
    const __m512i row_bits = _mm512_mullo_epi64(_mm512_set1_epi64(static_cast<long long>(C)),
                                                _mm512_setr_epi64(0, 1, 2, 3, 4, 5, 6, 7));
    const __m512i one = _mm512_set1_epi64(1), sixty_three = _mm512_set1_epi64(63), sixty_four = _mm512_set1_epi64(64);
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8, out += 8 * Bl) {
        const std::size_t first = bit + i * C;  // the group's first bit
        const std::size_t word = first / 64;
        // Row r starts at bit rel[r] of the 16 words from `word`: in word rel >> 6, at rel & 63.
        const __m512i rel = _mm512_add_epi64(_mm512_set1_epi64(static_cast<long long>(first % 64)), row_bits);
        const __m512i q = _mm512_srli_epi64(rel, 6), t = _mm512_and_si512(rel, sixty_three);
        const __m512i q_next = _mm512_add_epi64(q, one), t_back = _mm512_sub_epi64(sixty_four, t);
        const __m512i unknown = row_words(unknown_bits + 8 * word, q, q_next, t, t_back),
                      failed = row_words(failed_bits + 8 * word, q, q_next, t, t_back);
        __m512i status = _mm512_setzero_si512();
        for (std::size_t b = 0; b < Bl; ++b) {
            const __mmask8 f = _mm512_test_epi64_mask(failed, members[b]), u = _mm512_test_epi64_mask(unknown, members[b]);
            status = _mm512_mask_or_epi64(status, f, status, failed_status[b]);
            status = _mm512_mask_or_epi64(status, static_cast<__mmask8>(~(f | u)), status, met_status[b]);
        }
        auto* to = reinterpret_cast<std::uint8_t*>(out);
        if constexpr (Bl == 8) {
            _mm512_storeu_si512(to, status);
        } else if constexpr (Bl == 4) {
            _mm256_storeu_si256(reinterpret_cast<__m256i*>(to), _mm512_cvtepi64_epi32(status));
        } else if constexpr (Bl == 2) {
            _mm_storeu_si128(reinterpret_cast<__m128i*>(to), _mm512_cvtepi64_epi16(status));
        } else if constexpr (Bl == 1) {
            _mm_storel_epi64(reinterpret_cast<__m128i*>(to), _mm512_cvtepi64_epi8(status));
        } else {
            alignas(64) std::uint64_t lanes[8];
            _mm512_store_si512(lanes, status);
            for (std::size_t r = 0; r < 8; ++r) std::memcpy(to + r * Bl, &lanes[r], Bl);  // little-endian: byte b is bloc b
        }
    }
    return i;
}

/// all_rules_avx512 with AVX2, 4 rows a step, for C <= 57: row r's bits are the 64-bit
/// word gathered at its first bit's byte, shifted by the bit's place in that byte.
template <std::size_t Bl>
__attribute__((target("avx2"))) std::size_t all_rules_avx2(const CompiledPolicy& p, const std::uint8_t* unknown_bits,
                                                             const std::uint8_t* failed_bits, std::size_t bit,
                                                             std::size_t n, Status* out) {
    static_assert(Bl >= 1 && Bl <= 8);
    const std::size_t C = p.criteria;
    if (C > 57) return 0;  // a row's bits may then reach past its byte's word
    __m256i members[Bl], failed_status[Bl], met_status[Bl];
    for (std::size_t b = 0; b < Bl; ++b) {
        members[b] = _mm256_set1_epi64x(static_cast<long long>(p.bloc_masks[b].members));
        failed_status[b] = _mm256_set1_epi64x(static_cast<long long>(std::uint64_t{2} << (8 * b)));
        met_status[b] = _mm256_set1_epi64x(static_cast<long long>(std::uint64_t{1} << (8 * b)));
    }
    const auto c = static_cast<long long>(C);
    const __m256i row_bits = _mm256_setr_epi64x(0, c, 2 * c, 3 * c), seven = _mm256_set1_epi64x(7);
    const __m256i zero = _mm256_setzero_si256();
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4, out += 4 * Bl) {
        const __m256i first = _mm256_add_epi64(_mm256_set1_epi64x(static_cast<long long>(bit + i * C)), row_bits);
        const __m256i byte = _mm256_srli_epi64(first, 3), within = _mm256_and_si256(first, seven);
        const auto* u64 = reinterpret_cast<const long long*>(unknown_bits);
        const auto* f64 = reinterpret_cast<const long long*>(failed_bits);
        const __m256i unknown = _mm256_srlv_epi64(_mm256_i64gather_epi64(u64, byte, 1), within),
                      failed = _mm256_srlv_epi64(_mm256_i64gather_epi64(f64, byte, 1), within);
        __m256i status = zero;
        for (std::size_t b = 0; b < Bl; ++b) {
            const __m256i not_failed = _mm256_cmpeq_epi64(_mm256_and_si256(failed, members[b]), zero),
                          not_unknown = _mm256_cmpeq_epi64(_mm256_and_si256(unknown, members[b]), zero);
            status = _mm256_or_si256(status, _mm256_andnot_si256(not_failed, failed_status[b]));
            status = _mm256_or_si256(status, _mm256_and_si256(_mm256_and_si256(not_failed, not_unknown), met_status[b]));
        }
        auto* to = reinterpret_cast<std::uint8_t*>(out);
        if constexpr (Bl == 8) {
            _mm256_storeu_si256(reinterpret_cast<__m256i*>(to), status);
        } else {
            alignas(32) std::uint64_t lanes[4];
            _mm256_store_si256(reinterpret_cast<__m256i*>(lanes), status);
            for (std::size_t r = 0; r < 4; ++r) std::memcpy(to + r * Bl, &lanes[r], Bl);  // little-endian: byte b is bloc b
        }
    }
    return i;
}

/// all_rules_avx512 or all_rules_avx2 (`Rules`) for the policy's count of blocs, up to 8;
/// returns how many rows were done.
template <template <std::size_t> class Rules>
std::size_t all_rules(const CompiledPolicy& p, const std::uint8_t* unknown_bits, const std::uint8_t* failed_bits,
                      std::size_t bit, std::size_t n, Status* out) {
    if (!p.all_of_all) return 0;
    switch (p.blocs) {
        case 1: return Rules<1>::run(p, unknown_bits, failed_bits, bit, n, out);
        case 2: return Rules<2>::run(p, unknown_bits, failed_bits, bit, n, out);
        case 3: return Rules<3>::run(p, unknown_bits, failed_bits, bit, n, out);
        case 4: return Rules<4>::run(p, unknown_bits, failed_bits, bit, n, out);
        case 5: return Rules<5>::run(p, unknown_bits, failed_bits, bit, n, out);
        case 6: return Rules<6>::run(p, unknown_bits, failed_bits, bit, n, out);
        case 7: return Rules<7>::run(p, unknown_bits, failed_bits, bit, n, out);
        case 8: return Rules<8>::run(p, unknown_bits, failed_bits, bit, n, out);
        default: return 0;
    }
}
template <std::size_t Bl>
struct Avx512Rules {
    static std::size_t run(const CompiledPolicy& p, const std::uint8_t* u, const std::uint8_t* f, std::size_t bit,
                           std::size_t n, Status* out) {
        return all_rules_avx512<Bl>(p, u, f, bit, n, out);
    }
};
template <std::size_t Bl>
struct Avx2Rules {
    static std::size_t run(const CompiledPolicy& p, const std::uint8_t* u, const std::uint8_t* f, std::size_t bit,
                           std::size_t n, Status* out) {
        return all_rules_avx2<Bl>(p, u, f, bit, n, out);
    }
};

/// The rules for `n` rows as rules_of_rows, the all_of_all ones of up to 8 blocs by
/// `Rules` (all_rules_avx512 or all_rules_avx2) as far as it goes.
template <template <std::size_t> class Rules>
void rules_of_rows_simd(const CompiledPolicy& p, const std::uint8_t* unknown_bits, const std::uint8_t* failed_bits,
                        std::size_t bit, std::size_t n, Status* out) {
    const std::size_t done = all_rules<Rules>(p, unknown_bits, failed_bits, bit, n, out);
    if (done < n) rules_of_rows(p, unknown_bits, failed_bits, bit + done * p.criteria, n - done, out + done * p.blocs);
}
#pragma GCC diagnostic pop
#endif

template <std::size_t J>
void masked_rows(const CompiledPolicy& p, const Cohort& cohort, std::size_t begin, std::size_t end,
                 Status* bloc_status) {
    const std::size_t C = p.criteria;
    // Tiled limits, and 16 more pairs' worth: the AVX-512 pass reads up to `head` past a step.
    const std::size_t tile = step * C + 16;
    std::vector<float> tiled(J * tile);
    const float* limit[3] = {tiled.data(), tiled.data(), tiled.data()};
    for (std::size_t d = 0; d < J; ++d) {
        float* t = tiled.data() + d * tile;
        limit[d] = t;
        for (std::size_t q = 0; q < tile; ++q) t[q] = p.passing_sum[q % C][d];
    }
    std::vector<std::uint8_t> code(step * C + 16);                      // padded for codes_to_bits
    std::vector<std::uint8_t> unknown(step * C / 8 + 136), failed(unknown.size());  // padded for the rules' word loads
#if CERTIGRAPH_HAVE_AVX2_BITS
    static const unsigned machine = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                                            __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl")
                                        ? 512u
                                    : __builtin_cpu_supports("avx2") ? 256u
                                                                     : 0u;
#else
    constexpr unsigned machine = 0;
#endif
    const unsigned simd = std::min(machine, widest_simd.load(std::memory_order_relaxed));
    // AVX-512: the 64-byte loads start on a cache line (a numpy array is often 16 bytes
    // off one: 15 % slower). Steps are 64·C·J bytes apart, so each step starts as far
    // from a line as the range: its first `head` pairs are computed with the step before
    // (one by one for the range's first), and pair q of a step is at bit q + shift.
    const auto misaligned = reinterpret_cast<std::uintptr_t>(cohort.values() + begin * C * J) % 64;
    const std::size_t head = misaligned % (4 * J) ? 0 : (64 - misaligned) % 64 / (4 * J);
    const std::size_t shift = (8 - head % 8) % 8;
    for (std::size_t first = begin; first < end; first += step) {
        const std::size_t n = std::min(step, end - first), pairs = n * C;
        const float* values = cohort.values() + first * C * J;
        const unsigned min_jurors = p.policy.min_jurors;
        Status* out = bloc_status + first * p.blocs;
        if constexpr (J <= 2) {
#if CERTIGRAPH_HAVE_AVX2_BITS
            if (simd >= 512) {
                const bool last = first + n >= end;
                if (first == begin) {
                    unknown[0] = failed[0] = 0;
                    tail_bits<J>(values, 0, std::min(head, pairs), shift, limit[0], limit[1], min_jurors,
                                 unknown.data(), failed.data());
                }
                with_least<J>(min_jurors, [&]<unsigned Least>() {
                    criterion_bits_avx512<J, Least>(values, std::min(head, pairs), last ? pairs : pairs + head, shift,
                                                    limit[0], limit[1], unknown.data(), failed.data());
                });
                rules_of_rows_simd<Avx512Rules>(p, unknown.data(), failed.data(), shift, n, out);
                if (!last)  // the next step's first pairs, to the start of the streams
                    for (std::size_t b = 0; b < (shift + head + 7) / 8; ++b) {
                        unknown[b] = unknown[pairs / 8 + b];
                        failed[b] = failed[pairs / 8 + b];
                    }
                continue;
            }
            if (simd >= 256) {
                with_least<J>(min_jurors, [&]<unsigned Least>() {
                    criterion_bits_avx2<J, Least>(values, pairs, limit[0], limit[1], unknown.data(), failed.data());
                });
                rules_of_rows_simd<Avx2Rules>(p, unknown.data(), failed.data(), 0, n, out);
                continue;
            }
#endif
        }
        criterion_codes<J>(values, pairs, limit[0], limit[1], limit[2], min_jurors, code.data());
        std::fill(code.begin() + static_cast<std::ptrdiff_t>(pairs), code.end(), std::uint8_t{0});
        codes_to_bits(code.data(), pairs, unknown.data(), failed.data());
        rules_of_rows(p, unknown.data(), failed.data(), 0, n, out);
    }
}

}  // namespace

void limit_simd(unsigned bits) { widest_simd.store(bits, std::memory_order_relaxed); }

bool grade_rows_masks(const CompiledPolicy& p, const Cohort& cohort, std::size_t begin, std::size_t end,
                      Status* bloc_status) {
    if (!p.masks_fit || !fits_fast_path(p, cohort)) return false;
    switch (cohort.jurors()) {
        case 1: masked_rows<1>(p, cohort, begin, end, bloc_status); return true;
        case 2: masked_rows<2>(p, cohort, begin, end, bloc_status); return true;
        case 3: masked_rows<3>(p, cohort, begin, end, bloc_status); return true;
        default: return false;
    }
}

}  // namespace certigraph::detail
