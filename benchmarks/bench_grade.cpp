// Grading throughput on a realistic cohort, against the time to read the same
// bytes once (the memory-bandwidth bound), on one core and on all cores.
//
//   bench_grade [--rows N] [--jurors J] [--repeat R] [--threads T] [--pages huge|small]
//               [--cpu-time on] [--attempts A] [--rounds R] [--idle MS] [--simd 512|256|0]
//               [--write-npy DIR]
//
// The "at once" figures (the read with 1 and T threads, compute alone, the cohort in T
// parts) try A runs and keep the best of those in which every thread ran throughout,
// together: on a shared machine they are the figures for T free cores. The R rounds
// each time, one right after the other, the read and Grader::grade on 1 thread and on
// T (the read's T parts on the kept workers Grader::grade uses), so that each pair of
// figures meets the machine in the same state, each after a pause of MS ms (as a call
// from a notebook or a server comes: the other cores idle); their medians say how far
// T threads grade faster than one against how far they read faster.
//
// The cohort has the RNCP40514 référentiel's 30 criteria; values are drawn per
// candidate around a personal level, on the 0-20 scale by half points, with ~2 %
// missing values (see generate_cohort). --write-npy saves the values and the C++
// bloc statuses as .npy files for benchmarks/pandas_grade.py and peers_grade.py.
// The cohort's memory is allocated as numpy allocates large arrays: 2 MB aligned, with
// madvise(MADV_HUGEPAGE) (transparent huge pages where the kernel gives them);
// --pages small leaves it to malloc's 4 KB pages. The read and the grading runs use
// the same memory.
#include <certigraph/certigraph.hpp>
#include <certigraph/grading/grader.hpp>

#include "cohort_generator.hpp"
#include "core/parallel.hpp"       // the kept workers, for the read on T threads
#include "grading/compiled.hpp"     // limit_simd, for --simd

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <numeric>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include <sys/mman.h>
#include <sys/resource.h>

using namespace certigraph;
/// Wall time, or with --cpu-time the calling thread's CPU time (for one-thread runs on
/// a loaded machine: time slices given to other processes are not counted).
bool cpu_time = false;
struct Clock {
    struct time_point { double seconds; };
    static time_point now() {
        timespec t{};
        clock_gettime(cpu_time ? CLOCK_THREAD_CPUTIME_ID : CLOCK_MONOTONIC, &t);
        return {static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9};
    }
    static time_point now_wall() {
        timespec t{};
        clock_gettime(CLOCK_MONOTONIC, &t);
        return {static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9};
    }
};
using clock_type = Clock;

namespace {

double seconds_since(clock_type::time_point start) {
    return clock_type::now().seconds - start.seconds;
}

/// Reads every byte once (sums the floats as integers, so the loop cannot be skipped):
/// the scalar loop, bound by its adds (about 28 GB/s here, in and out of cache alike).
double read_once(const float* data, std::size_t n) {
    const auto start = clock_type::now();
    const auto* words = reinterpret_cast<const std::uint32_t*>(data);
    std::uint64_t sum0 = 0, sum1 = 0, sum2 = 0, sum3 = 0;
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        sum0 += words[i];
        sum1 += words[i + 1];
        sum2 += words[i + 2];
        sum3 += words[i + 3];
    }
    for (; i < n; ++i) sum0 += words[i];
    const double t = seconds_since(start);
    volatile std::uint64_t sink = sum0 + sum1 + sum2 + sum3;
    (void)sink;
    return t;
}

/// A STREAM-like read of [begin, end): 32-bit integer adds, 8 lanes x 4 accumulators
/// with AVX2 (64 bytes a cycle at most, far above memory), so what it measures is the
/// memory's bandwidth, not the adds. Returns the sum so nothing is skipped.
#if defined(__GNUC__) && defined(__x86_64__)
__attribute__((target("avx2")))
#endif
std::uint32_t read_range(const float* data, std::size_t begin, std::size_t end) {
    const auto* words = reinterpret_cast<const std::uint32_t*>(data);
    std::uint32_t sum[32] = {};
    std::size_t i = begin;
    for (; i + 32 <= end; i += 32)
        for (std::size_t l = 0; l < 32; ++l) sum[l] += words[i + l];  // GCC: four 256-bit adds
    std::uint32_t total = 0;
    for (; i < end; ++i) total += words[i];
    for (std::uint32_t v : sum) total += v;
    return total;
}

/// part(0) on the calling thread and part(1..threads-1) on a new thread each. `span`:
/// wall time from the first part's start to the last one's end; `at_once`: no thread
/// was preempted during its part (no involuntary context switch: another process did
/// not take its core; waiting on our own threads, for a page fault say, still counts)
/// and the parts overlapped for 90 % of the longest one. On a busy machine only such
/// runs time what the threads do together, each on a core of its own.
struct SplitRun {
    double span;
    bool at_once;
};
inline long preemptions() {
    rusage u{};
    getrusage(RUSAGE_THREAD, &u);
    return u.ru_nivcsw;
}
template <class Part>
SplitRun run_split(unsigned threads, const Part& part) {
    std::vector<double> begin(threads), end(threads);
    std::vector<long> preempted(threads);
    const auto timed = [&](unsigned t) {
        const long before = preemptions();
        begin[t] = Clock::now_wall().seconds;
        part(t);
        end[t] = Clock::now_wall().seconds;
        preempted[t] = preemptions() - before;
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(timed, t);
    timed(0);
    for (auto& th : pool) th.join();
    const double first = *std::min_element(begin.begin(), begin.end()), last = *std::max_element(end.begin(), end.end());
    const double overlap = *std::min_element(end.begin(), end.end()) - *std::max_element(begin.begin(), begin.end());
    double longest = 0;
    bool ran = true;
    for (unsigned t = 0; t < threads; ++t) {
        longest = std::max(longest, end[t] - begin[t]);
        ran = ran && preempted[t] == 0;
    }
    return {last - first, ran && overlap >= 0.9 * longest};
}

/// The best span of the runs, out of `attempts`, in which the threads ran at once, and
/// how many did (span 0 when none did).
struct AtOnce {
    double best = 0;
    int runs = 0;
};
template <class Part>
AtOnce best_at_once(unsigned threads, int attempts, const Part& part) {
    AtOnce a;
    for (int i = 0; i < attempts; ++i) {
        const SplitRun r = run_split(threads, part);
        if (!r.at_once) continue;
        a.best = a.runs++ ? std::min(a.best, r.span) : r.span;
    }
    return a;
}

/// Compute alone, no memory: `iterations` of 8 independent AVX-512 multiply-adds. Two
/// threads at once take the time of one only if the two CPUs are cores of their own
/// (not two hardware threads of one core, which the VM would not show).
#if defined(__GNUC__) && defined(__x86_64__)
__attribute__((target("avx512f")))
#endif
float compute_only(std::size_t iterations) {
    float acc[8][16];
    for (int k = 0; k < 8; ++k)
        for (int l = 0; l < 16; ++l) acc[k][l] = static_cast<float>(k + l);
    for (std::size_t i = 0; i < iterations; ++i)
        for (int k = 0; k < 8; ++k)
            for (int l = 0; l < 16; ++l) acc[k][l] = acc[k][l] * 0.999999f + 1e-7f;
    float sum = 0;
    for (int k = 0; k < 8; ++k)
        for (int l = 0; l < 16; ++l) sum += acc[k][l];
    return sum;
}

/// `n` floats, 2 MB aligned, with transparent huge pages asked for (as numpy does), or
/// plain malloc memory.
std::unique_ptr<float[], void (*)(void*)> allocate(std::size_t n, bool huge) {
    const std::size_t bytes = (n * sizeof(float) + (2u << 20) - 1) / (2u << 20) * (2u << 20);
    void* p = huge ? std::aligned_alloc(2u << 20, bytes) : std::malloc(bytes);
    if (!p) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
    if (huge) ::madvise(p, bytes, MADV_HUGEPAGE);
#endif
    return {static_cast<float*>(p), std::free};
}

/// Share of [p, p + bytes) in 2 MB pages: the mappings it overlaps, from /proc/self/smaps.
std::string huge_page_share(const void* p, std::size_t bytes) {
    std::ifstream smaps("/proc/self/smaps");
    const auto begin = reinterpret_cast<std::uintptr_t>(p), end = begin + bytes;
    std::string line;
    bool inside = false;
    double size = 0, huge = 0;
    while (std::getline(smaps, line)) {
        unsigned long lo = 0, hi = 0;
        if (std::sscanf(line.c_str(), "%lx-%lx ", &lo, &hi) == 2 && line.find(':') > line.find(' ')) {
            inside = lo < end && begin < hi;
        } else if (inside && line.rfind("Size:", 0) == 0) {
            size += std::stod(line.substr(5));
        } else if (inside && line.rfind("AnonHugePages:", 0) == 0) {
            huge += std::stod(line.substr(14));
        }
    }
    if (size == 0) return "page size unknown";
    return std::to_string(static_cast<int>(100 * huge / size)) + " % in 2 MB pages";
}

template <class F>
double best_of(int repeat, F&& f) {
    double best = 1e300;
    for (int r = 0; r < repeat; ++r) best = std::min(best, f());
    return best;
}

void write_npy(const std::string& path, const void* data, std::size_t bytes, const char* dtype,
               const std::vector<std::size_t>& shape) {
    std::string dims;
    for (std::size_t d : shape) dims += std::to_string(d) + ", ";
    std::string header = "{'descr': '" + std::string(dtype) + "', 'fortran_order': False, 'shape': (" + dims + "), }";
    while ((10 + header.size() + 1) % 64) header += ' ';
    header += '\n';
    std::ofstream out(path, std::ios::binary);
    out.write("\x93NUMPY\x01\x00", 8);
    const auto len = static_cast<std::uint16_t>(header.size());
    out.write(reinterpret_cast<const char*>(&len), 2);
    out << header;
    out.write(static_cast<const char*>(data), static_cast<std::streamsize>(bytes));
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t rows = 1'000'000, jurors = 2;
    int repeat = 5;
    int attempts = 60;  // runs tried for each "at once" figure
    int rounds = 41;    // rounds of the paired figures
    int idle_ms = 20;   // pause before each figure of a round
    unsigned threads = std::max(1u, std::thread::hardware_concurrency());
    std::string npy_dir;
    bool huge = true;
    std::string referentiel_path = CERTIGRAPH_EXAMPLES "/referentiels/rncp40514.json";
    std::string policy_path = CERTIGRAPH_EXAMPLES "/policies/rncp40514-default.json";
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i], v = argv[i + 1];
        if (a == "--rows") rows = std::stoull(v);
        else if (a == "--jurors") jurors = std::stoull(v);
        else if (a == "--repeat") repeat = std::stoi(v);
        else if (a == "--threads") threads = static_cast<unsigned>(std::stoul(v));
        else if (a == "--write-npy") npy_dir = v;
        else if (a == "--pages") huge = v != "small";
        else if (a == "--cpu-time") cpu_time = v == "on";
        else if (a == "--attempts") attempts = std::stoi(v);
        else if (a == "--rounds") rounds = std::stoi(v);
        else if (a == "--idle") idle_ms = std::stoi(v);
        else if (a == "--simd") certigraph::detail::limit_simd(static_cast<unsigned>(std::stoul(v)));  // the narrower passes
        else { std::cerr << "unknown option " << a << '\n'; return 2; }
    }
    const Referentiel ref = io::load_referentiel(referentiel_path);
    const Grader grader(ref, io::load_policy(policy_path));
    const std::size_t criteria = ref.criteria().size();
    const std::size_t count = rows * criteria * jurors;
    const auto memory = allocate(count, huge);
    {
        const std::vector<float> generated = bench::generate_cohort(rows, criteria, jurors, 40514);
        std::copy(generated.begin(), generated.end(), memory.get());
    }
    const std::span<const float> values(memory.get(), count);
    const Cohort cohort = Cohort::view(values.data(), nullptr, rows, criteria, jurors);
    const double bytes = static_cast<double>(values.size() * sizeof(float));

    const double t_read = best_of(repeat, [&] { return read_once(values.data(), values.size()); });
    // The memory's bound: the AVX2 read with one thread and with `threads` at once, and
    // compute alone with as many (best of the runs in which the threads ran at once).
    std::vector<std::uint32_t> sums(threads);
    const auto read_part = [&](unsigned parts) {
        return [&, parts](unsigned i) {
            const std::size_t n = values.size();
            const std::size_t b = n * i / parts / 16 * 16, e = i + 1 == parts ? n : n * (i + 1) / parts / 16 * 16;
            sums[i] = read_range(values.data(), b, e);
        };
    };
    const AtOnce stream1 = best_at_once(1, attempts, read_part(1));
    const AtOnce streamn = best_at_once(threads, attempts, read_part(threads));
    volatile float compute_sink = 0;
    const std::size_t compute_iterations = 2'000'000;
    const AtOnce compute1 = best_at_once(1, attempts, [&](unsigned) { compute_sink = compute_only(compute_iterations); });
    const AtOnce computen = best_at_once(threads, attempts, [&](unsigned) { compute_sink = compute_only(compute_iterations); });
    const double t_stream1 = stream1.best, t_streamn = streamn.best;
    // What every grade call pays before grading: its rows x blocs statuses, zero-filled.
    const double t_alloc = best_of(repeat, [&] {
        const auto start = Clock::now_wall();
        std::vector<Status> statuses(rows * ref.blocs().size());
        volatile auto sink = statuses[statuses.size() / 2];
        (void)sink;
        return Clock::now_wall().seconds - start.seconds;
    });
    auto time_grade = [&](unsigned t, bool details) {
        return best_of(repeat, [&] {
            const auto start = clock_type::now();
            const GradeResult r = grader.grade(cohort, {.threads = t, .details = details});
            const double s = seconds_since(start);
            volatile auto sink = r.bloc_status[r.bloc_status.size() / 2];
            (void)sink;
            return s;
        });
    };
    const double t1 = time_grade(1, false);
    const double t1d = time_grade(1, true);
    const bool cpu = cpu_time;
    cpu_time = false;  // several threads: wall time
    const double tn = time_grade(threads, false);
    // The cohort cut as Grader::grade cuts it (256-row blocks), each part graded on a
    // thread of its own, best of the runs in which the threads ran at once.
    const auto grade_part = [&](unsigned i) {
        const std::size_t blocks = (rows + 255) / 256;
        const std::size_t b = std::min(rows, blocks * i / threads * 256), e = std::min(rows, blocks * (i + 1) / threads * 256);
        const Cohort part = Cohort::view(values.data() + b * criteria * jurors, nullptr, e - b, criteria, jurors);
        const GradeResult r = grader.grade(part, {.threads = 1, .details = false});
        volatile auto sink = r.bloc_status[r.bloc_status.size() / 2];
        (void)sink;
    };
    const AtOnce split = best_at_once(threads, attempts, grade_part);
    const AtOnce split1 = best_at_once(1, attempts, [&](unsigned) {
        const GradeResult r = grader.grade(cohort, {.threads = 1, .details = false});
        volatile auto sink = r.bloc_status[r.bloc_status.size() / 2];
        (void)sink;
    });
    // Rounds: read and grade on 1 thread and on `threads`, one after the other, each after a pause.
    struct Round {
        double read1, readn, grade1, graden, fresh;
    };
    std::vector<Round> log;
    const auto wall = [&](const auto& f) {
        std::this_thread::sleep_for(std::chrono::milliseconds(idle_ms));  // as a user's call, after a pause
        const auto start = Clock::now_wall();
        f();
        return Clock::now_wall().seconds - start.seconds;
    };
    const auto grade_once = [&](unsigned t) {
        const GradeResult r = grader.grade(cohort, {.threads = t, .details = false});
        volatile auto sink = r.bloc_status[r.bloc_status.size() / 2];
        (void)sink;
    };
    for (int k = 0; k < rounds; ++k) {
        Round r{};
        r.read1 = wall([&] { read_part(1)(0); });
        r.readn = wall([&] {
            const auto part = read_part(threads);
            certigraph::detail::run_parts(threads, [&](std::size_t i) { part(static_cast<unsigned>(i)); });
        });
        r.grade1 = wall([&] { grade_once(1); });
        r.graden = wall([&] { grade_once(threads); });
        r.fresh = wall([&] {  // the same parts, on threads started for the call (as before kept workers)
            std::vector<std::thread> started;
            for (unsigned t = 1; t < threads; ++t) started.emplace_back(grade_part, t);
            grade_part(0);
            for (auto& th : started) th.join();
        });
        log.push_back(r);
    }
    cpu_time = cpu;
    // Details on first use: the bloc-only run, then Grader::add_details.
    const double t1_lazy = best_of(repeat, [&] {
        GradeResult r = grader.grade(cohort, {.threads = 1});
        const auto start = clock_type::now();
        grader.add_details(cohort, r, 1);
        return seconds_since(start);
    });

    GradeResult result = grader.grade(cohort, {.threads = 1, .details = false});
    // Incremental: one row re-graded into the existing result, as after a correction.
    const std::size_t regrades = std::min<std::size_t>(100'000, rows);
    const double t_regrade = best_of(repeat, [&] {
        const auto start = clock_type::now();
        for (std::size_t i = 0; i < regrades; ++i) grader.regrade(cohort, (i * 7919) % rows, result);
        return seconds_since(start) / static_cast<double>(regrades);
    });
    std::size_t validated = 0;
    for (Status s : result.bloc_status) validated += s == Status::validated;

    std::cout << "cohort: " << rows << " candidates x " << criteria << " criteria x " << jurors
              << " jurors, float32, " << bytes / 1e6 << " MB (" << (huge ? "madvise(MADV_HUGEPAGE): " : "malloc: ")
              << huge_page_share(values.data(), values.size_bytes()) << ")\n"
              << "clock for 1-core runs: " << (cpu_time ? "the thread's CPU time" : "wall") << "; with " << threads
              << " threads: wall\n"
              << "read the bytes once (1 core):      " << t_read * 1e3 << " ms, " << bytes / t_read / 1e9 << " GB/s\n"
              << "read, AVX2 adds (1 thread):        " << t_stream1 * 1e3 << " ms, " << bytes / t_stream1 / 1e9
              << " GB/s (best of " << stream1.runs << " uninterrupted runs of " << attempts << ")\n"
              << "read, AVX2 adds (" << threads << " threads at once): " << t_streamn * 1e3 << " ms, "
              << bytes / t_streamn / 1e9 << " GB/s, " << t_stream1 / t_streamn << "x 1 thread (" << streamn.runs
              << " runs of " << attempts << " at once)\n"
              << "compute alone (1 thread):          " << compute1.best * 1e3 << " ms; " << threads
              << " threads at once, the same each: " << computen.best * 1e3 << " ms = " << compute1.best / computen.best * threads
              << "x the work of 1 thread per time (" << computen.runs << " runs at once)\n"
              << "allocate the statuses (" << rows * ref.blocs().size() / 1e6 << " MB, zeroed): " << t_alloc * 1e3
              << " ms\n"
              << "grade to bloc statuses (1 core):   " << t1 * 1e3 << " ms, " << bytes / t1 / 1e9 << " GB/s, "
              << rows / t1 / 1e6 << " M candidates/s, " << t1 / t_read << "x the read\n"
              << "grade with details (1 core):       " << t1d * 1e3 << " ms, " << t1d / t_read << "x the read\n"
              << "add details later (1 core):        " << t1_lazy * 1e3 << " ms\n"
              << "grade to bloc statuses (" << threads << " threads): " << tn * 1e3 << " ms, " << tn / t_read
              << "x the read, " << t1 / tn
              << "x faster than 1 core, " << tn / t_streamn << "x the " << threads << "-thread read\n";
    std::cout << "grade, 1 thread, uninterrupted runs: " << split1.best * 1e3 << " ms (" << split1.runs << " of "
              << attempts << "); " << threads << " parts on " << threads << " threads at once: " << split.best * 1e3
              << " ms (" << split.runs << " of " << attempts << ") = " << split1.best / split.best << "x faster, "
              << split.best / t_streamn << "x the " << threads << "-thread read\n";
    if (!log.empty()) {
        const auto median = [&](const auto& of) {
            std::vector<double> v;
            for (const Round& r : log) v.push_back(of(r));
            std::sort(v.begin(), v.end());
            return v[v.size() / 2];
        };
        std::vector<Round> wide;  // rounds in which the memory gave T threads >= 1.8x the read of one
        for (const Round& r : log)
            if (r.read1 / r.readn >= 1.8) wide.push_back(r);
        std::cout << "rounds (" << log.size() << ", medians): read 1 thread " << median([](const Round& r) { return r.read1; }) * 1e3
                  << " ms, " << threads << " threads " << median([](const Round& r) { return r.readn; }) * 1e3 << " ms = "
                  << median([](const Round& r) { return r.read1 / r.readn; }) << "x; grade 1 thread "
                  << median([](const Round& r) { return r.grade1; }) * 1e3 << " ms, " << threads << " threads "
                  << median([](const Round& r) { return r.graden; }) * 1e3 << " ms = "
                  << median([](const Round& r) { return r.grade1 / r.graden; }) << "x; grade's gain / read's gain "
                  << median([](const Round& r) { return (r.grade1 / r.graden) / (r.read1 / r.readn); })
                  << ", grade " << threads << " threads / read " << threads << " threads "
                  << median([](const Round& r) { return r.graden / r.readn; }) << "x; on threads started for the call "
                  << median([](const Round& r) { return r.fresh; }) * 1e3 << " ms = "
                  << median([](const Round& r) { return r.grade1 / r.fresh; }) << "x\n";
        std::swap(log, wide);
        std::cout << "rounds in which " << threads << " threads read >= 1.8x faster than 1: " << log.size();
        if (!log.empty())
            std::cout << "; in those, grade " << threads << " threads = "
                      << median([](const Round& r) { return r.grade1 / r.graden; }) << "x 1 thread (median), best "
                      << [&] {
                             double best = 0;
                             for (const Round& r : log) best = std::max(best, r.grade1 / r.graden);
                             return best;
                         }()
                      << 'x';
        std::cout << '\n';
    }
    std::cout
              << "re-grade one candidate (incremental): " << t_regrade * 1e6 << " us\n"
              << "bloc validations: " << validated << " of " << result.bloc_status.size() << '\n';

    if (!npy_dir.empty()) {
        write_npy(npy_dir + "/values.npy", values.data(), bytes, "<f4", {rows, criteria, jurors});
        write_npy(npy_dir + "/bloc_status.npy", result.bloc_status.data(), result.bloc_status.size(), "|u1",
                  {rows, result.blocs});
        std::vector<std::int32_t> bloc_of_criterion(criteria);
        for (Index k = 0; k < criteria; ++k) bloc_of_criterion[k] = static_cast<std::int32_t>(ref.bloc_of_criterion(k));
        write_npy(npy_dir + "/bloc_of_criterion.npy", bloc_of_criterion.data(), criteria * 4, "<i4", {criteria});
        std::ofstream(npy_dir + "/timings.json")
            << "{\"rows\": " << rows << ", \"read_seconds\": " << t_read << ", \"grade_seconds_1_core\": " << t1
            << ", \"grade_seconds_details_1_core\": " << t1d << ", \"grade_seconds_threads\": " << tn
            << ", \"threads\": " << threads << "}\n";
        std::cout << "wrote " << npy_dir << "/{values,bloc_status,bloc_of_criterion}.npy and timings.json\n";
    }
    return 0;
}
