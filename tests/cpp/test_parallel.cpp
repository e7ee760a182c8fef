// Parts of one job at once on kept workers (src/core/parallel.hpp): every part runs
// exactly once, errors come back as the lowest part's, the workers are kept between
// calls, and calls made while they are busy, nested calls and a child of fork() work.
#include <catch2/catch.hpp>

#include "core/parallel.hpp"

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

namespace cd = certigraph::detail;

namespace {

/// Runs `parts` parts that each count their own runs; checks each ran once.
bool each_part_once(std::size_t parts) {
    std::vector<std::atomic<int>> runs(parts);
    cd::run_parts(parts, [&](std::size_t i) { runs[i].fetch_add(1); });
    for (const auto& r : runs)
        if (r.load() != 1) return false;
    return true;
}

}  // namespace

TEST_CASE("run_parts runs every part exactly once, part 0 on the calling thread", "[parallel]") {
    for (std::size_t parts : {0u, 1u, 2u, 3u, 7u, 40u}) {
        INFO("parts " << parts);
        CHECK(each_part_once(parts));
    }
    const auto caller = std::this_thread::get_id();
    std::vector<std::thread::id> where(3);
    cd::run_parts(3, [&](std::size_t i) { where[i] = std::this_thread::get_id(); });
    CHECK(where[0] == caller);
    CHECK(where[1] != caller);
    CHECK(where[2] != caller);
    CHECK(where[1] != where[2]);
}

TEST_CASE("run_parts keeps its workers between calls", "[parallel]") {
    cd::run_parts(2, [](std::size_t) {});
    const std::size_t made = cd::kept_workers();
    CHECK(made >= 1);
    std::thread::id first, again;
    cd::run_parts(2, [&](std::size_t i) {
        if (i == 1) first = std::this_thread::get_id();
    });
    for (int k = 0; k < 100; ++k) cd::run_parts(2, [&](std::size_t i) {
            if (i == 1) again = std::this_thread::get_id();
        });
    CHECK(first == again);
    CHECK(cd::kept_workers() == made);
}

TEST_CASE("run_parts rethrows the lowest-numbered part's exception, after every part returned", "[parallel]") {
    for (int round = 0; round < 50; ++round) {
        std::atomic<int> finished{0};
        try {
            cd::run_parts(4, [&](std::size_t i) {
                if (i == 0) std::this_thread::sleep_for(std::chrono::microseconds(round % 3 * 100));
                finished.fetch_add(1);
                if (i == 1 || i == 3) throw std::runtime_error("part " + std::to_string(i));
            });
            FAIL("no exception");
        } catch (const std::runtime_error& e) {
            CHECK(std::string(e.what()) == "part 1");
        }
        CHECK(finished.load() == 4);
    }
    // The workers still serve after a part threw.
    CHECK(each_part_once(4));
}

TEST_CASE("run_parts from a part, and from threads at once, starts threads of its own", "[parallel]") {
    std::vector<std::atomic<int>> inner(3 * 3);
    cd::run_parts(3, [&](std::size_t i) {
        cd::run_parts(3, [&](std::size_t j) { inner[i * 3 + j].fetch_add(1); });
    });
    for (const auto& r : inner) CHECK(r.load() == 1);

    std::atomic<int> failures{0};
    std::vector<std::thread> callers;
    for (int c = 0; c < 4; ++c)
        callers.emplace_back([&] {
            for (int k = 0; k < 200; ++k)
                if (!each_part_once(2 + k % 3)) failures.fetch_add(1);
        });
    for (auto& t : callers) t.join();
    CHECK(failures.load() == 0);
}

TEST_CASE("run_parts works in a child of fork(), whose parent had workers", "[parallel]") {
    cd::run_parts(3, [](std::size_t) {});
    REQUIRE(cd::kept_workers() >= 2);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        // The parent's workers do not exist here: the child makes its own.
        const bool ok = cd::kept_workers() == 0 && each_part_once(3) && cd::kept_workers() == 2;
        ::_exit(ok ? 0 : 1);
    }
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    CHECK(each_part_once(3));
}

TEST_CASE("run_tasks starts tasks in their order, each once", "[parallel]") {
    std::vector<std::atomic<int>> runs(100);
    cd::run_tasks(3, 100, [&](std::size_t t) { runs[t].fetch_add(1); });
    for (const auto& r : runs) CHECK(r.load() == 1);
}
