// Running a few parts of one job at once, on threads kept for the process.
//
// Grading a million candidates takes 5-10 ms, so how soon the other parts start counts.
// On this project's VM, after a pause (a notebook's or a server's call), a thread
// started or woken for a part began 2.6 ms late (median, of a 3 ms part) and ran on
// the caller's CPU in two cases of three, although the other CPU was idle: the guest's
// scheduler kept it beside its waker (an idle virtual CPU can look preempted to it).
// So the workers here are kept between jobs, asleep on a futex, and each job first
// narrows each worker to one CPU other than the caller's (its allowed CPUs in turn);
// the worker widens itself back as it wakes. Parts then start within 0.09 ms on their
// own CPU (benchmarks/bench_parts; docs/performance.md, "Kept workers and AVX-512 rules").
//
// The workers are made on first use, up to the most parts asked for at once (at most
// max(8, 2 x cores); more parts start threads of their own), and never end: they sleep
// between jobs and go with the process. A child of fork() makes its own (the parent's
// do not exist there). One job at a time uses them; a call made while they are busy
// (another thread's job, or a part that itself runs parts) starts threads of its own
// instead, so a call never waits for another's job.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>

namespace certigraph::detail {

/// Runs part(0) … part(parts - 1) at once: part 0 on the calling thread, the others on
/// kept workers. Returns when all have returned; if any threw, rethrows the exception
/// of the lowest-numbered part that threw (the same one whatever the timing).
void run_parts(std::size_t parts, void (*part)(const void* context, std::size_t index), const void* context);

/// The same, for any callable `task(std::size_t)`.
template <class Task>
void run_parts(std::size_t parts, const Task& task) {
    run_parts(parts, [](const void* t, std::size_t i) { (*static_cast<const Task*>(t))(i); }, &task);
}

/// Runs task(0) … task(tasks - 1) on `threads` parts, each taking the next task not yet
/// begun, so tasks start in their order.
template <class Task>
void run_tasks(std::size_t threads, std::size_t tasks, const Task& task) {
    std::atomic<std::size_t> next{0};
    run_parts(std::max<std::size_t>(1, std::min(threads, tasks)), [&](std::size_t) {
        for (std::size_t t; (t = next.fetch_add(1)) < tasks;) task(t);
    });
}

/// Runs work(first, last) over [0, n) cut into contiguous ranges of about equal size,
/// one per part, as run_parts: `threads` parts (0: every core when n >= 4096, else
/// one), never more than n.
template <class Work>
void run_ranges(unsigned threads, std::size_t n, const Work& work) {
    if (threads == 0) threads = n >= 4096 ? std::max(1u, std::thread::hardware_concurrency()) : 1;
    const std::size_t parts = std::min<std::size_t>(threads, std::max<std::size_t>(n, 1));
    const std::size_t per = (n + parts - 1) / parts;
    run_parts(parts, [&](std::size_t t) { work(std::min(n, t * per), std::min(n, (t + 1) * per)); });
}

/// Number of workers made so far in this process (for tests).
std::size_t kept_workers() noexcept;

}  // namespace certigraph::detail
