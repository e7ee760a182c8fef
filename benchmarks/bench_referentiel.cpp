// Reading a large référentiel JSON: time against the number of criteria, to show
// that the strict reader is linear (docs/performance.md, "Reading a large
// référentiel"). Generates tiny.json's content with N more criteria under its first
// competency, then times parse_referentiel_json (text -> builder) and build().
//   bench_referentiel [N ...]     (default: 100000 300000 1000000)
#include <certigraph/certigraph.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

using namespace certigraph;

int main(int argc, char** argv) {
    std::vector<std::size_t> sizes;
    for (int i = 1; i < argc; ++i) sizes.push_back(std::strtoull(argv[i], nullptr, 10));
    if (sizes.empty()) sizes = {100'000, 300'000, 1'000'000};
    std::ifstream in(CERTIGRAPH_TEST_DATA "/referentiels/tiny.json", std::ios::binary);
    const std::string base{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    const std::string marker = "\"criteria\": [";
    const auto at = base.find(marker);
    if (at == std::string::npos) return 1;
    std::printf("%10s %10s %12s %12s %14s\n", "criteria", "MB", "parse s", "build s", "parse MB/s");
    for (std::size_t n : sizes) {
        std::string text = base;
        std::string extra;
        extra.reserve(n * 64);
        for (std::size_t i = 0; i < n; ++i)
            extra += "{\"code\": \"X" + std::to_string(i) + "\", \"title\": \"t\", \"competency\": \"A1C1\"}, ";
        text.insert(at + marker.size(), extra);
        using clock = std::chrono::steady_clock;
        const auto t0 = clock::now();
        ReferentielBuilder builder = io::parse_referentiel_json(text, "bench.json");
        const auto t1 = clock::now();
        // build() runs the integrity check (every criterion unevaluated is a warning).
        double build_seconds = -1;
        try {
            const Referentiel ref = builder.build();
            build_seconds = std::chrono::duration<double>(clock::now() - t1).count();
        } catch (const Error&) {
        }
        const double parse_seconds = std::chrono::duration<double>(t1 - t0).count();
        std::printf("%10zu %10.1f %12.3f %12.3f %14.1f\n", n, text.size() / 1e6, parse_seconds, build_seconds,
                    text.size() / 1e6 / parse_seconds);
    }
    return 0;
}
