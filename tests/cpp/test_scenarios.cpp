// Scenario tests written as data: tests/data/scenarios/*.json (format in
// tests/data/scenarios/README.md). Each scenario's events go through a real ledger
// file (validated, hash-chained, read back, verified), then the state and the
// eligibility as of each date are compared with what the file expects — and again
// for shuffled copies of the events, since the answer must not depend on order.
#include "support.hpp"

#include <certigraph/ledger/eligibility.hpp>
#include <certigraph/ledger/ledger.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <random>
#include <set>

using namespace certigraph;
using namespace certigraph::ledger;
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

Referentiel referentiel_named(const std::string& name) {
    if (name == "rncp40514") return test::rncp40514();
    if (name == "tiny") return test::tiny();
    FAIL("unknown référentiel '" << name << "' (use rncp40514 or tiny)");
    throw;
}

std::string default_route(const std::string& kind) {
    if (kind == "vae_decision") return "vae";
    if (kind == "bloc_credit") return "correspondence";
    if (kind == "jury_decision") return "jury_decision";
    return "exam";
}

/// The file's compact event, completed with the header defaults.
Event complete(json e, const std::string& candidate, const Referentiel& ref, const std::string& where) {
    const std::string kind = e.at("kind").get<std::string>();
    if (!e.contains("candidate")) e["candidate"] = candidate;
    if (!e.contains("route")) e["route"] = default_route(kind);
    if (!e.contains("referentiel"))
        e["referentiel"] = json{{"fiche", ref.certification().code}, {"content_hash", "sha256:scenario"}};
    if (!e.contains("policy_hash") && kind == "bloc_result") e["policy_hash"] = "sha256:scenario-policy";
    return event_from_json(e.dump(), where);
}

std::set<std::string> strings(const json& list) {
    std::set<std::string> out;
    for (const auto& s : list) out.insert(s.get<std::string>());
    return out;
}

void check_expectation(const json& expect, const Referentiel& ref, const std::vector<Event>& events,
                       const std::string& candidate) {
    const Date as_of = *Date::parse(expect.at("as_of").get<std::string>());
    const Eligibility answer = eligibility(ref, events, as_of);
    const CapitalisationState& state = answer.state;
    std::string checks;
    for (const auto& c : answer.checks)
        checks += "  " + c.subject + ": " + std::string(to_string(c.finding)) + (c.met ? " (met) " : " ") +
                  explain(c, ref) + "\n";
    INFO("as of " << as_of.to_string() << ", checks:\n" << checks);
    CHECK(answer.candidate == candidate);

    if (expect.contains("acquired")) {
        std::map<std::string, std::string> got, want;
        for (const auto& [bloc, s] : state.blocs)
            if (s.acquired) got[bloc] = std::string(to_string(*s.route));
        for (const auto& [bloc, route] : expect["acquired"].items()) want[bloc] = route.get<std::string>();
        CHECK(got == want);
    }
    if (expect.contains("refusals"))
        for (const auto& [bloc, n] : expect["refusals"].items()) {
            INFO("refusals of " << bloc);
            CHECK(state.blocs.count(bloc));
            if (state.blocs.count(bloc)) CHECK(state.blocs.at(bloc).refusals == n.get<std::size_t>());
        }
    for (const char* field : {"mobility_weeks", "work_months", "work_longest_months"}) {
        if (!expect.contains(field)) continue;
        const double got = std::string(field) == "mobility_weeks" ? state.mobility_weeks
                           : std::string(field) == "work_months" ? state.work_months
                                                                 : state.work_longest_months;
        INFO(field);
        CHECK(std::abs(got - expect[field].get<double>()) < 1e-9);
    }
    if (expect.contains("eligible")) CHECK(answer.eligible == expect["eligible"].get<bool>());
    if (expect.contains("findings")) {
        for (const auto& [subject, finding] : expect["findings"].items()) {
            const auto it = std::find_if(answer.checks.begin(), answer.checks.end(),
                                         [&subject = subject](const Check& c) { return c.subject == subject; });
            INFO("check " << subject);
            REQUIRE(it != answer.checks.end());
            CHECK(std::string(to_string(it->finding)) == finding.get<std::string>());
        }
    }
    if (expect.contains("missing")) {
        std::set<std::string> unmet;
        for (const auto& c : answer.checks)
            if (c.required && !c.met) {
                unmet.insert(c.subject);
                CHECK_FALSE(missing(c, ref).empty());  // every unmet check says what is missing
            }
        CHECK(unmet == strings(expect["missing"]));
    }
    if (expect.contains("missing_text")) {
        std::string all;
        for (const auto& c : answer.checks) all += missing(c, ref) + "\n";
        for (const auto& text : expect["missing_text"]) {
            INFO("missing text " << text);
            CHECK(all.find(text.get<std::string>()) != std::string::npos);
        }
    }
    if (expect.contains("reason_text")) {
        for (const auto& [subject, text] : expect["reason_text"].items()) {
            const auto it = std::find_if(answer.checks.begin(), answer.checks.end(),
                                         [&subject = subject](const Check& c) { return c.subject == subject; });
            REQUIRE(it != answer.checks.end());
            INFO("reason of " << subject);
            CHECK(explain(*it, ref).find(text.get<std::string>()) != std::string::npos);
        }
    }
}

}  // namespace

TEST_CASE("scenarios: events in, state and eligibility out (tests/data/scenarios)", "[ledger][scenario]") {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(test::data("scenarios")))
        if (entry.path().extension() == ".json") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    REQUIRE(files.size() >= 12);
    for (const auto& file : files) {
        DYNAMIC_SECTION(file.filename().string()) {
            const json scenario = json::parse(test::read_file(file));
            const Referentiel ref = referentiel_named(scenario.at("referentiel").get<std::string>());
            const std::string candidate = scenario.at("candidate").get<std::string>();
            std::vector<Event> input;
            std::size_t n = 0;
            for (const auto& e : scenario.at("events"))
                input.push_back(complete(e, candidate, ref, file.filename().string() + " event " +
                                                                std::to_string(++n)));

            // Through a real ledger: ids 1..n in file order, the chain verified.
            const test::TempDir dir{"certigraph-scenario"};
            std::vector<Event> events;
            {
                Ledger store = Ledger::create(dir / (file.stem().string() + ".sqlite"));
                store.append(input);
                events = store.events(candidate);
                CHECK(store.verify().empty());
            }
            REQUIRE(events.size() == input.size());

            for (const auto& expect : scenario.at("expect")) check_expectation(expect, ref, events, candidate);

            // Any order gives the same answers.
            std::mt19937 rng(20261122);
            for (int round = 0; round < 20; ++round) {
                std::vector<Event> shuffled = events;
                std::shuffle(shuffled.begin(), shuffled.end(), rng);
                for (const auto& expect : scenario.at("expect")) {
                    const Date as_of = *Date::parse(expect.at("as_of").get<std::string>());
                    CHECK(eligibility(ref, shuffled, as_of) == eligibility(ref, events, as_of));
                }
            }
        }
    }
}
