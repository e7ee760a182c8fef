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

#include "core/huge_pages.hpp"
#include "core/parallel.hpp"
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

// The parts, in this order (each uses the ones before).
#include "io/evaluations/helpers.inc"
#include "io/evaluations/scan.inc"
#include "io/evaluations/tokenizer.inc"
#include "io/evaluations/problems.inc"
#include "io/evaluations/context.inc"
#include "io/evaluations/chunk_reader.inc"
#include "io/evaluations/merge.inc"

// ---------------------------------------------------------------------------
// Reading a whole text or file
// ---------------------------------------------------------------------------

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
        certigraph::detail::run_parts(chunks.size(), [&](std::size_t i) { chunks[i]->run(); });
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

Cohort load_evaluations(const Referentiel& referentiel, std::span<const Scale> scales,
                        const std::filesystem::path& path, const EvaluationReadOptions& options) {
    const FileText text(path);
    return read_evaluations(referentiel, scales, text.view(), path.string(), options);
}

Cohort load_evaluations(const Grader& grader, const std::filesystem::path& path,
                        const EvaluationReadOptions& options) {
    const Referentiel& referentiel = grader.referentiel();
    std::vector<Scale> scales;
    scales.reserve(referentiel.criteria().size());
    for (Index i = 0; i < referentiel.criteria().size(); ++i) scales.push_back(grader.scale_of_criterion(i));
    return load_evaluations(referentiel, scales, path, options);
}

}  // namespace certigraph::io
