// Transparent huge pages for large buffers that are filled once, right after they are
// allocated (a cohort's values, the evaluation reader's slot tables).
//
// Fresh memory costs a page fault per 4 KB page on first touch (about 2 µs each on this
// project's VM: 50 ms for 100 MB), more than reading a CSV file's worth of it. With
// madvise(MADV_HUGEPAGE) before the first touch, the kernel gives 2 MB pages where it
// can (one fault per 2 MB) when transparent huge pages are `always` or `madvise`; the
// advice is ignored elsewhere. numpy asks the same for its large arrays.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>

#if __has_include(<sys/mman.h>)
#include <sys/mman.h>
#endif

namespace certigraph::detail {

inline constexpr std::size_t huge_page_bytes = std::size_t{2} << 20;

/// Advises huge pages for the whole 2 MB pages inside [p, p + bytes); best before the
/// memory is first touched. Does nothing for a range holding no whole 2 MB page.
inline void advise_huge_pages(void* p, std::size_t bytes) noexcept {
#if defined(MADV_HUGEPAGE)
    const auto begin = reinterpret_cast<std::uintptr_t>(p);
    const std::uintptr_t first = (begin + huge_page_bytes - 1) & ~(huge_page_bytes - 1);
    const std::uintptr_t last = (begin + bytes) & ~(huge_page_bytes - 1);
    if (last > first) ::madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
#else
    (void)p;
    (void)bytes;
#endif
}

/// `bytes` rounded up to whole 2 MB pages, 2 MB aligned, huge pages advised; released
/// with std::free. Throws std::bad_alloc.
inline void* allocate_huge_pages(std::size_t bytes) {
    const std::size_t rounded = (bytes + huge_page_bytes - 1) / huge_page_bytes * huge_page_bytes;
    void* p = std::aligned_alloc(huge_page_bytes, rounded);
    if (!p) throw std::bad_alloc();
    advise_huge_pages(p, rounded);
    return p;
}

}  // namespace certigraph::detail
