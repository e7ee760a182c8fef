// Bloc statuses only, with bit masks: the default grading run's kernel.
//
// Design note. Rows are taken `step` at a time. (1) One flat, branch-free loop over
// the (row, criterion) pairs sums the jurors' values and compares the sum with the
// smallest passing sum for that many jurors (CompiledPolicy::passing_sum): the same
// test as `mean >= threshold`, without a division. Each pair leaves one byte: bit 7
// unknown, bit 6 failed. (2) Per row, SSE2 movemask turns the row's bytes into two
// 64-bit masks (unknown, failed criteria); each counting rule is then a bit set:
// `all` is "failed & members" / "unknown & members", `at_least k` two popcounts.
// Every row's result depends on that row only: any split into steps or threads
// gives the same bits.
#include "grading/compiled.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace certigraph::detail {

namespace {

constexpr std::size_t step = 128;
constexpr std::uint8_t unknown_bit = 0x80, failed_bit = 0x40;

/// As kernel.cpp: AVX2 (with popcnt) and baseline clones, same IEEE operations.
#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__)
#define CERTIGRAPH_MASK_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define CERTIGRAPH_MASK_CLONES
#endif

/// Codes of `pairs` consecutive (row, criterion) pairs of J juror slots; limit[d - 1][p]
/// is the smallest passing sum of pair p's criterion with d values (tiled row after row).
template <std::size_t J>
CERTIGRAPH_MASK_CLONES void criterion_codes(const float* values, std::size_t pairs,
                                            const float* const* limit, unsigned min_jurors,
                                            std::uint8_t* code) {
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
        float least = limit[0][p];
        for (std::size_t d = 2; d <= J; ++d) least = count >= static_cast<float>(d) ? limit[d - 1][p] : least;
        const std::int32_t known = count >= known_count;
        const std::int32_t met = sum >= least;
        code[p] = static_cast<std::uint8_t>((1 - known) * unknown_bit + known * (1 - met) * failed_bit);
    }
}

/// The unknown and failed criteria of one row from its `C` codes (readable up to 15
/// bytes past the row: the buffer is padded).
inline void row_masks(const std::uint8_t* code, std::size_t C, std::uint64_t& unknown, std::uint64_t& failed) {
    std::uint64_t u = 0, f = 0;
#if defined(__SSE2__)
    for (std::size_t q = 0; q < C; q += 16) {
        const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(code + q));
        u |= static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(x))) << q;
        f |= static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(_mm_add_epi8(x, x)))) << q;
    }
#else
    for (std::size_t q = 0; q < C; ++q) {
        u |= static_cast<std::uint64_t>(code[q] >> 7) << q;
        f |= static_cast<std::uint64_t>((code[q] >> 6) & 1) << q;
    }
#endif
    const std::uint64_t valid = C == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << C) - 1;
    unknown = u & valid;
    failed = f & valid;
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

/// The rules for `n` rows whose codes are at code[i * C].
CERTIGRAPH_MASK_CLONES void rules_of_rows(const CompiledPolicy& p, const std::uint8_t* code, std::size_t n,
                                          Status* out) {
    const std::size_t C = p.criteria, Bl = p.blocs;
    const CompiledPolicy::MaskRule* blocs = p.bloc_masks.data();
    if (p.all_of_all) {
        for (std::size_t i = 0; i < n; ++i, out += Bl) {
            std::uint64_t unknown, failed;
            row_masks(code + i * C, C, unknown, failed);
            for (std::size_t b = 0; b < Bl; ++b) {
                const bool f = (failed & blocs[b].members) != 0, u = (unknown & blocs[b].members) != 0;
                out[b] = static_cast<Status>((f << 1) | (!f & !u));  // arithmetic: statuses vary row to row
            }
        }
        return;
    }
    const std::size_t K = p.competencies;
    for (std::size_t i = 0; i < n; ++i, out += Bl) {
        std::uint64_t unknown, failed, comp_unknown = 0, comp_failed = 0;
        row_masks(code + i * C, C, unknown, failed);
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

template <std::size_t J>
void masked_rows(const CompiledPolicy& p, const Cohort& cohort, std::size_t begin, std::size_t end,
                 Status* bloc_status) {
    const std::size_t C = p.criteria;
    std::vector<float> tiled(J * step * C);
    const float* limit[J];
    for (std::size_t d = 0; d < J; ++d) {
        float* t = tiled.data() + d * step * C;
        limit[d] = t;
        for (std::size_t i = 0; i < step; ++i)
            for (std::size_t k = 0; k < C; ++k) t[i * C + k] = p.passing_sum[k][d];
    }
    std::vector<std::uint8_t> code(step * C + 16);  // padded for row_masks
    for (std::size_t first = begin; first < end; first += step) {
        const std::size_t n = std::min(step, end - first);
        criterion_codes<J>(cohort.values() + first * C * J, n * C, limit, p.policy.min_jurors, code.data());
        rules_of_rows(p, code.data(), n, bloc_status + first * p.blocs);
    }
}

}  // namespace

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
