// Evaluation CSV parsing throughput (long format), against pandas.read_csv on the
// same file (benchmarks/pandas_read_csv.py).
//
//   bench_evaluations [--rows N] [--repeat R] [--file PATH] [--threads T] [--reuse 1]
//
// Writes a long-format CSV of N candidates x 30 criteria x 2 jurors (values from
// the benchmark cohort generator) to PATH, then times certigraph's reader on it,
// from the file's bytes in memory to a Cohort, and writes PATH.timings.json.
// --reuse 1 times an existing PATH without writing it again (benchmarks/pandas_read_csv.py
// runs it so, beside the Python readers, in one run).
// --threads is EvaluationReadOptions::threads (0, the default: one per core).
#include <certigraph/certigraph.hpp>

#include "cohort_generator.hpp"

#include <chrono>
#include <cmath>
#include <ctime>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include <sys/resource.h>

using namespace certigraph;

int main(int argc, char** argv) {
    std::size_t rows = 200'000;
    int repeat = 3;
    std::string path = "/tmp/cg-evaluations.csv";
    io::EvaluationReadOptions options;
    bool reuse = false;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i], v = argv[i + 1];
        if (a == "--rows") rows = std::stoull(v);
        else if (a == "--repeat") repeat = std::stoi(v);
        else if (a == "--file") path = v;
        else if (a == "--threads") options.threads = static_cast<unsigned>(std::stoul(v));
        else if (a == "--reuse") reuse = v != "0";
        else { std::cerr << "unknown option " << a << '\n'; return 2; }
    }
    const Referentiel ref = io::load_referentiel(CERTIGRAPH_EXAMPLES "/referentiels/rncp40514.json");
    const Grader grader(ref, io::load_policy(CERTIGRAPH_EXAMPLES "/policies/rncp40514-default.json"));
    const std::size_t C = ref.criteria().size(), J = 2;
    const std::vector<float> values = bench::generate_cohort(rows, C, J, 40514);

    if (!reuse) {  // The file, as a school's export would look.
        std::ofstream out(path, std::ios::binary);
        out << "candidate,session,epreuve,criterion,juror,value\n";
        char line[160];
        for (std::size_t r = 0; r < rows; ++r)
            for (Index k = 0; k < C; ++k) {
                const auto eps = ref.epreuves_covering_criterion(k);
                const std::string ep = eps.empty() ? "" : ref.epreuves()[eps[0]].code;
                for (std::size_t j = 0; j < J; ++j) {
                    const float v = values[(r * C + k) * J + j];
                    if (std::isnan(v)) continue;  // missing: no line
                    const int n = std::snprintf(line, sizeof line, "C%07zu,2026-06,%s,%s,J%zu,%.1f\n", r,
                                                ep.c_str(), ref.criteria()[k].code.c_str(), j + 1, v);
                    out.write(line, n);
                }
            }
    }
    std::ifstream in(path, std::ios::binary);
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    std::vector<Scale> scales;
    for (Index k = 0; k < C; ++k) scales.push_back(grader.scale_of_criterion(k));

    // Wall time, and CPU time of the process (all threads; std::clock on Linux): on a
    // busy, shared machine the CPU time is the steadier figure.
    const auto cpu_seconds = [] { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; };
    // Minor page faults of the process (fresh memory touched): the fewest of the runs.
    const auto faults = [] {
        rusage u{};
        getrusage(RUSAGE_SELF, &u);
        return static_cast<long>(u.ru_minflt);
    };
    long fewest_faults = -1, fewest_file_faults = -1;
    const auto keep_fewest = [](long& fewest, long n) { fewest = fewest < 0 ? n : std::min(fewest, n); };
    double best = 1e300, best_cpu = 1e300;
    std::size_t cohort_rows = 0;
    for (int i = 0; i < repeat; ++i) {
        const auto start = std::chrono::steady_clock::now();
        const double cpu = cpu_seconds();
        const long faults_before = faults();
        const Cohort cohort = io::read_evaluations(ref, scales, text, path, options);
        best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        best_cpu = std::min(best_cpu, cpu_seconds() - cpu);
        keep_fewest(fewest_faults, faults() - faults_before);
        cohort_rows = cohort.rows();
    }
    // The same from the path: io::load_evaluations maps the file (what cg.read_evaluations
    // does from Python), so this adds the mapping of the page-cached file to the parse.
    double best_file = 1e300, best_file_cpu = 1e300;
    for (int i = 0; i < repeat; ++i) {
        const auto start = std::chrono::steady_clock::now();
        const double cpu = cpu_seconds();
        const long faults_before = faults();
        const Cohort cohort = io::load_evaluations(ref, scales, path, options);
        best_file = std::min(best_file, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        best_file_cpu = std::min(best_file_cpu, cpu_seconds() - cpu);
        keep_fewest(fewest_file_faults, faults() - faults_before);
    }
    const double mb = static_cast<double>(text.size()) / 1e6;
    std::cout << "file: " << path << ", " << mb << " MB, " << cohort_rows << " candidates\n"
              << "certigraph read_evaluations (" << (options.threads ? std::to_string(options.threads) : "all")
              << " threads): " << best << " s, " << mb / best << " MB/s, CPU " << best_cpu << " s, "
              << fewest_faults << " minor page faults\n"
              << "certigraph load_evaluations from the path (mapped): " << best_file << " s, " << mb / best_file
              << " MB/s, CPU " << best_file_cpu << " s, " << fewest_file_faults << " minor page faults\n";
    std::ofstream(path + ".timings.json") << "{\"bytes\": " << text.size() << ", \"certigraph_seconds\": " << best
                                          << ", \"certigraph_file_seconds\": " << best_file
                                          << ", \"certigraph_cpu_seconds\": " << best_cpu
                                          << ", \"certigraph_file_cpu_seconds\": " << best_file_cpu
                                          << ", \"certigraph_faults\": " << fewest_faults
                                          << ", \"certigraph_file_faults\": " << fewest_file_faults << "}\n";
    return 0;
}
