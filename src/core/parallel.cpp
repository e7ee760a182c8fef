#include "core/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <deque>
#include <exception>
#include <thread>
#include <vector>

#include <pthread.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace certigraph::detail {
namespace {

struct Job {
    void (*part)(const void*, std::size_t);
    const void* context;
    std::exception_ptr* errors;  // one per part
};

void run_guarded(const Job& job, std::size_t index) noexcept {
    try {
        job.part(job.context, index);
    } catch (...) {
        job.errors[index] = std::current_exception();
    }
}

/// More parts than this at once run on threads of their own.
const std::size_t most_workers = std::max<std::size_t>(8, 2 * std::thread::hardware_concurrency());

/// The process's kept workers. One job at a time: the caller that acquires them posts
/// parts 1.. to workers 0.., runs part 0 itself, waits for the others and releases them.
/// Never destroyed (a worker may still be asleep on it when the process ends).
class Workers {
public:
    bool try_acquire() noexcept { return !busy_.exchange(true, std::memory_order_acquire); }
    void release() noexcept { busy_.store(false, std::memory_order_release); }

    /// Gives parts 1 … parts - 1 to workers, making those missing; returns how many were
    /// given (if the system refuses a thread, the parts from there on are the caller's).
    std::size_t post(const Job& job, std::size_t parts) noexcept {
        cpu_set_t allowed;
        CPU_ZERO(&allowed);
        const bool known = ::sched_getaffinity(0, sizeof allowed, &allowed) == 0;
        int cpu = ::sched_getcpu();  // the caller's; each worker goes to the next one it may use
        const int caller_cpu = cpu;
        std::size_t given = 0;
        for (std::size_t index = 1; index < parts; ++index) {
            if (index > most_workers) break;
            if (workers_.size() < index && !make_worker()) break;
            Worker& w = workers_[index - 1];
            w.job = &job;
            w.index = index;
            if (known && cpu >= 0) cpu = next_cpu(allowed, cpu, caller_cpu);
            w.placed = known && cpu >= 0 && place(w, cpu);
            pending_.fetch_add(1, std::memory_order_relaxed);
            w.posted.store(1, std::memory_order_release);
            w.posted.notify_one();
            ++given;
        }
        return given;
    }

    /// Returns once every posted part has returned.
    void wait() noexcept {
        for (std::uint32_t left; (left = pending_.load(std::memory_order_acquire)) != 0;)
            pending_.wait(left, std::memory_order_acquire);
    }

    std::size_t size() const noexcept { return made_.load(std::memory_order_relaxed); }

private:
    struct Worker {
        std::atomic<std::uint32_t> posted{0};
        const Job* job = nullptr;
        std::size_t index = 0;
        std::atomic<pid_t> tid{0};  // the worker's thread id, once it runs
        cpu_set_t home{};           // the CPUs it may use, as made
        bool placed = false;        // narrowed to one CPU for this job
    };

    /// The CPU after `cpu` in `allowed`, going round, other than `caller`; -1 if none.
    static int next_cpu(const cpu_set_t& allowed, int cpu, int caller) noexcept {
        for (int k = 1; k < CPU_SETSIZE; ++k) {
            const int c = (cpu + k) % CPU_SETSIZE;
            if (c == caller) return -1;  // round: every other allowed CPU has a worker
            if (CPU_ISSET(c, &allowed)) return c;
        }
        return -1;
    }

    /// Narrows a sleeping worker to `cpu`, so that it wakes there; it widens itself back.
    static bool place(Worker& w, int cpu) noexcept {
        const pid_t tid = w.tid.load(std::memory_order_acquire);
        if (tid == 0 || !CPU_ISSET(cpu, &w.home)) return false;
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(cpu, &one);
        return ::sched_setaffinity(tid, sizeof one, &one) == 0;
    }

    bool make_worker() noexcept {
        try {
            Worker& w = workers_.emplace_back();
            try {
                std::thread([this, &w] { serve(w); }).detach();
            } catch (...) {
                workers_.pop_back();
                return false;
            }
            made_.fetch_add(1, std::memory_order_relaxed);
            return true;
        } catch (...) {
            return false;
        }
    }

    [[noreturn]] void serve(Worker& w) noexcept {
        if (::sched_getaffinity(0, sizeof w.home, &w.home) == 0)
            w.tid.store(static_cast<pid_t>(::syscall(SYS_gettid)), std::memory_order_release);
        for (;;) {
            w.posted.wait(0, std::memory_order_acquire);
            const Job& job = *w.job;
            const std::size_t index = w.index;
            if (w.placed) ::sched_setaffinity(0, sizeof w.home, &w.home);
            w.posted.store(0, std::memory_order_relaxed);
            run_guarded(job, index);
            if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) pending_.notify_one();
        }
    }

    std::atomic<bool> busy_{false};
    std::atomic<std::uint32_t> pending_{0};
    std::atomic<std::size_t> made_{0};
    std::deque<Worker> workers_;  // touched only by the caller holding busy_; stable addresses
};

std::atomic<Workers*> current{nullptr};
std::atomic<Workers*> left_by_fork{nullptr};  // kept reachable: its threads are not in the child

Workers& workers() {
    static const bool forget_after_fork = [] {
        ::pthread_atfork(nullptr, nullptr, [] { left_by_fork.store(current.exchange(nullptr)); });
        return true;
    }();
    (void)forget_after_fork;
    Workers* w = current.load(std::memory_order_acquire);
    if (w) return *w;
    auto* made = new Workers;
    if (current.compare_exchange_strong(w, made, std::memory_order_acq_rel)) return *made;
    delete made;
    return *w;
}

}  // namespace

void run_parts(std::size_t parts, void (*part)(const void*, std::size_t), const void* context) {
    if (parts <= 1) {
        if (parts == 1) part(context, 0);
        return;
    }
    std::vector<std::exception_ptr> errors(parts);
    const Job job{part, context, errors.data()};
    Workers& kept = workers();
    const bool acquired = kept.try_acquire();
    const std::size_t given = acquired ? kept.post(job, parts) : 0;
    std::vector<std::thread> own;  // parts the kept workers did not take
    try {
        own.reserve(parts - 1 - given);
        for (std::size_t index = 1 + given; index < parts; ++index) own.emplace_back(run_guarded, std::cref(job), index);
    } catch (...) {  // no more threads: the rest run here
    }
    run_guarded(job, 0);
    for (std::size_t index = 1 + given + own.size(); index < parts; ++index) run_guarded(job, index);
    if (acquired) {
        kept.wait();
        kept.release();
    }
    for (auto& t : own) t.join();
    for (const auto& e : errors)
        if (e) std::rethrow_exception(e);
}

std::size_t kept_workers() noexcept {
    const Workers* w = current.load(std::memory_order_acquire);
    return w ? w->size() : 0;
}

}  // namespace certigraph::detail
