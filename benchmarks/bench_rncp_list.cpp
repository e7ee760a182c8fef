// Streams an RNCP XML export as `certigraph rncp list` does (every fiche read,
// blocs, dates, routes and correspondences kept, nothing printed) and reports the
// throughput and the peak memory:
//   python3 benchmarks/make_rncp_export.py /tmp/rncp_national.xml --mb 320
//   build-bench/benchmarks/bench_rncp_list /tmp/rncp_national.xml
#include <certigraph/interop/rncp.hpp>

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <filesystem>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: bench_rncp_list EXPORT.xml\n");
        return 2;
    }
    const std::filesystem::path path = argv[1];
    const double mb = static_cast<double>(std::filesystem::file_size(path)) / 1e6;
    std::size_t fiches = 0, blocs = 0, links = 0, active = 0;
    const auto start = std::chrono::steady_clock::now();
    certigraph::interop::rncp::read_xml_file(path, [&](certigraph::interop::rncp::Fiche&& f) {
        ++fiches;
        blocs += f.blocs.size();
        links += f.correspondences.size();
        active += f.active == true;
        return true;
    });
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    std::printf("%s: %.1f MB, %zu fiches (%zu active), %zu blocs, %zu correspondences\n", path.c_str(), mb, fiches,
                active, blocs, links);
    // CPU time too: on a shared, busy machine the wall clock mostly measures the wait.
    const double cpu = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                       static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    std::printf("read in %.2f s wall (%.0f MB/s), %.2f s CPU (%.0f MB/s on one core), peak RSS %.1f MB\n", seconds,
                mb / seconds, cpu, mb / cpu, static_cast<double>(usage.ru_maxrss) / 1024.0);
    return 0;
}
