// `certigraph ledger init|import|export|verify|show`: the capitalisation ledger
// from the command line (docs/ledger.md).
#include "cli/common.hpp"

#include <certigraph/ledger/ledger.hpp>
#include <certigraph/ledger/state.hpp>

#include <algorithm>
#include <fstream>
#include <iostream>

namespace certigraph::cli {

using ledger::CapitalisationState;
using ledger::Event;
using ledger::Ledger;

int run_ledger_init(const std::string& db) {
    const Ledger store = Ledger::open(db);
    std::cout << db << ": ledger ready (schema version " << store.version() << ", "
              << counted(store.size(), "event", "events") << ")\n";
    return ok;
}

int run_ledger_import(const std::string& db, const std::string& events) {
    std::ifstream in(events, std::ios::binary);
    if (!in) throw IoError(events + ": cannot open for reading");
    Ledger store = Ledger::open(db);
    const std::size_t added = store.import_jsonl(in, events);
    std::cout << "imported " << counted(added, "event", "events") << " into " << db << " ("
              << store.size() << " in all)\n";
    return ok;
}

int run_ledger_export(const std::string& db) {
    Ledger::open(db).export_jsonl(std::cout);
    return ok;
}

int run_ledger_verify(const std::string& db) {
    const Ledger store = Ledger::open(db);
    const auto problems = store.verify();
    for (const auto& p : problems)
        std::cout << db << ": event " << p.row << " (candidate " << p.candidate << "): " << p.problem << '\n';
    std::cout << db << ": " << counted(store.size(), "event", "events") << ", "
              << counted(store.candidates().size(), "candidate", "candidates") << ", "
              << (problems.empty() ? "every hash chain intact" : counted(problems.size(), "problem", "problems"))
              << '\n';
    return problems.empty() ? ok : found;
}

int run_ledger_show(const std::string& db, const std::string& candidate, const std::string& as_of) {
    const Ledger store = Ledger::open(db);
    const std::vector<Event> events = store.events(candidate);
    if (events.empty()) throw NotFound("no event for candidate '" + candidate + "' in " + db);
    Date latest = events.front().date;
    for (const auto& e : events) latest = std::max(latest, e.date);
    const auto date = as_of.empty() ? std::optional<Date>(latest) : Date::parse(as_of);
    if (!date) throw Error("--as-of '" + as_of + "' is not a date; write YYYY-MM-DD");
    std::cout << candidate << ": " << counted(events.size(), "event", "events") << '\n';
    for (const auto& e : events)
        std::cout << "  #" << e.id << ' ' << e.date.to_string() << ' ' << to_string(e.kind()) << ' '
                  << to_string(e.route) << (e.session.empty() ? "" : " " + e.session) << '\n';
    const CapitalisationState state = ledger::state_as_of(events, *date);
    std::cout << "state as of " << date->to_string() << ":\n";
    for (const auto& [bloc, s] : state.blocs) {
        std::cout << "  " << bloc << ": " << (s.acquired ? "acquired" : "not acquired");
        if (s.acquired)
            std::cout << " since " << s.since->to_string() << " by " << to_string(*s.route) << " (event #"
                      << s.event << ")";
        if (s.refusals) std::cout << ", " << counted(s.refusals, "refusal", "refusals");
        std::cout << '\n';
    }
    std::cout << "  mobility: " << state.mobility_weeks << " weeks; work: " << state.work_months << " months; "
              << counted(state.languages.size(), "language certificate", "language certificates") << '\n';
    for (const auto& [name, value] : state.attributes) std::cout << "  " << name << ": " << value << '\n';
    for (const auto& problem : state.problems) std::cout << "  problem: " << problem << '\n';
    return ok;
}

}  // namespace certigraph::cli
