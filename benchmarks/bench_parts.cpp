// How soon a job's second part starts, and on which CPU: the kept workers of
// src/core/parallel.hpp (what Grader::grade uses) against a thread started for the call,
// back to back and after a pause (as a notebook's or a server's call comes).
//
//   bench_parts [--runs N] [--part-ms MS] [--pause-ms MS]
//
// Each run times a job of two parts of MS ms of work each (a spin on the clock): part 0
// on the calling thread, part 1 on a worker or a new thread. It prints, over the runs,
// part 1's start after the call's (10th, 50th, 90th percentile), the job's time, and
// in how many runs the two parts ran on different CPUs.
#include "core/parallel.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include <sched.h>

namespace {

using Clock = std::chrono::steady_clock;

double ms_between(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
}

void spin(double ms) {
    const auto start = Clock::now();
    while (ms_between(start, Clock::now()) < ms) {
    }
}

void measure(bool kept, double pause_ms, int runs, double part_ms) {
    std::vector<double> start, job;
    int apart = 0;
    for (int r = 0; r < runs; ++r) {
        if (pause_ms > 0) std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(pause_ms));
        Clock::time_point second{};
        int cpu[2] = {-1, -1};
        const auto part = [&](std::size_t i) {
            if (i == 1) second = Clock::now();
            cpu[i] = ::sched_getcpu();
            spin(part_ms);
        };
        const auto t0 = Clock::now();
        if (kept) {
            certigraph::detail::run_parts(2, part);
        } else {
            std::thread other(part, 1);
            part(0);
            other.join();
        }
        job.push_back(ms_between(t0, Clock::now()));
        start.push_back(ms_between(t0, second));
        apart += cpu[0] != cpu[1];
    }
    std::sort(start.begin(), start.end());
    std::sort(job.begin(), job.end());
    const auto at = [&](const std::vector<double>& v, double q) { return v[static_cast<std::size_t>(q * (v.size() - 1))]; };
    std::printf("%-28s %-22s part 1 starts after %.3f / %.3f / %.3f ms; job %.3f ms (median); CPUs apart in %d of %d\n",
                kept ? "kept workers" : "a thread started per call",
                pause_ms > 0 ? ("after " + std::to_string(static_cast<int>(pause_ms)) + " ms idle").c_str() : "back to back",
                at(start, 0.1), at(start, 0.5), at(start, 0.9), at(job, 0.5), apart, runs);
}

}  // namespace

int main(int argc, char** argv) {
    int runs = 300;
    double part_ms = 3, pause_ms = 20;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i], v = argv[i + 1];
        if (a == "--runs") runs = std::stoi(v);
        else if (a == "--part-ms") part_ms = std::stod(v);
        else if (a == "--pause-ms") pause_ms = std::stod(v);
        else {
            std::fprintf(stderr, "unknown option %s\n", a.c_str());
            return 2;
        }
    }
    std::printf("two parts of %.1f ms each, %d runs; part 1's start: 10th / 50th / 90th percentile\n", part_ms, runs);
    for (bool kept : {true, false})
        for (double pause : {0.0, pause_ms}) measure(kept, pause, runs, part_ms);
    return 0;
}
