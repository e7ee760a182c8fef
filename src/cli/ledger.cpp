// `certigraph ledger init|import|export|verify|show`: the capitalisation ledger
// from the command line (docs/ledger.md).
#include "cli/common.hpp"

#include <certigraph/ledger/ledger.hpp>
#include <certigraph/ledger/state.hpp>

#include <algorithm>
#include <filesystem>
#include <sstream>
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
    std::istringstream in(io::read_input(events));  // a regular file or -, within the input limit
    Ledger store = Ledger::open(db);
    const std::size_t added = store.import_jsonl(in, events);
    std::cout << "imported " << counted(added, "event", "events") << " into " << db << " ("
              << store.size() << " in all)\n";
    return ok;
}

int run_ledger_export(const std::string& db) {
    open_existing_ledger(db).export_jsonl(std::cout);
    return ok;
}

int run_ledger_verify(const std::string& db) {
    const Ledger store = open_existing_ledger(db);
    const auto problems = store.verify();
    for (const auto& p : problems)
        std::cout << db << ": event " << p.row << " (candidate " << printable(p.candidate)
                  << "): " << printable(p.problem) << '\n';
    std::cout << db << ": " << counted(store.size(), "event", "events") << ", "
              << counted(store.candidates().size(), "candidate", "candidates") << ", "
              << (problems.empty() ? "every hash chain intact" : counted(problems.size(), "problem", "problems"))
              << '\n';
    return problems.empty() ? ok : found;
}

int run_ledger_show(const std::string& db, const std::string& candidate, const std::string& as_of) {
    const Ledger store = open_existing_ledger(db);
    const std::vector<Event> events = store.events(candidate);
    if (events.empty()) throw NotFound("no event for candidate '" + printable(candidate) + "' in " + db);
    Date latest = events.front().date;
    for (const auto& e : events) latest = std::max(latest, e.date);
    const auto date = as_of.empty() ? std::optional<Date>(latest) : Date::parse(as_of);
    if (!date) throw Error("--as-of '" + as_of + "' is not a date; write YYYY-MM-DD");
    std::cout << printable(candidate) << ": " << counted(events.size(), "event", "events") << '\n';
    for (const auto& e : events)
        std::cout << "  #" << e.id << ' ' << e.date.to_string() << ' ' << to_string(e.kind()) << ' '
                  << to_string(e.route) << (e.session.empty() ? "" : " " + printable(e.session)) << '\n';
    const CapitalisationState state = ledger::state_as_of(events, *date);
    std::cout << "state as of " << date->to_string() << ":\n";
    for (const auto& [bloc, s] : state.blocs) {
        std::cout << "  " << printable(bloc) << ": " << (s.acquired ? "acquired" : "not acquired");
        if (s.acquired)
            std::cout << " since " << s.since->to_string() << " by " << to_string(*s.route) << " (event #"
                      << s.event << ")";
        if (s.refusals) std::cout << ", " << counted(s.refusals, "refusal", "refusals");
        std::cout << '\n';
    }
    std::cout << "  mobility: " << state.mobility_weeks << " weeks; work: " << state.work_months << " months; "
              << counted(state.languages.size(), "language certificate", "language certificates") << '\n';
    for (const auto& [name, value] : state.attributes)
        std::cout << "  " << printable(name) << ": " << printable(value) << '\n';
    for (const auto& problem : state.problems) std::cout << "  problem: " << printable(problem) << '\n';
    return ok;
}

}  // namespace certigraph::cli

namespace certigraph::cli {

int run_ledger_record(const std::string& db, const std::string& grades, const std::string& session,
                      const std::string& date_text, const std::string& referentiel_path,
                      const std::string& policy_path) {
    const auto date = Date::parse(date_text);
    if (!date) throw Error("--date '" + date_text + "' is not a date; write YYYY-MM-DD");
    const Referentiel ref = io::load_referentiel(referentiel_path);
    const Policy policy = io::load_policy(policy_path);
    const GradingBasis basis = grading_basis(ref, policy);  // the versions the results rest on

    const GradesFile file = read_grades_csv(io::read_input(grades), grades, ref, session);
    std::vector<ledger::Event> events;
    for (const auto& row : file.decided)
        events.push_back(bloc_result_event(basis, row.candidate, row.bloc, row.validated, *date, session, grades));
    const std::size_t skipped = file.skipped;
    Ledger store = Ledger::open(db);
    store.append(events);  // one transaction: all or nothing
    std::cout << "recorded " << counted(events.size(), "bloc result", "bloc results") << " of session " << session
              << " into " << db << " (" << skipped << " incomplete or exempt, not recorded)\n";
    return ok;
}

}  // namespace certigraph::cli

namespace certigraph::cli {

int run_ledger_snapshot(const std::string& db, const std::string& as_of, const std::string& out_path,
                        const std::string& format_name) {
    const auto date = Date::parse(as_of);
    if (!date) throw Error("--as-of '" + as_of + "' is not a date; write YYYY-MM-DD");
    const std::filesystem::path path(out_path);
    const auto format = format_name.empty() ? io::format_of(path) : io::format_named(format_name);
    if (!format || *format == io::FileFormat::json)
        throw Error("--out " + out_path + ": a snapshot is a .txt, .xml or .bin archive" +
                    (out_path == "-" ? "; say which with --format txt|xml|bin" : ""));
    const io::WriteOptions options{{db}, false};
    io::check_output(path, options);
    const io::ArchiveKind kind = *format == io::FileFormat::text_archive  ? io::ArchiveKind::text
                                 : *format == io::FileFormat::xml_archive ? io::ArchiveKind::xml
                                                                          : io::ArchiveKind::binary;
    const Ledger store = open_existing_ledger(db);
    const ledger::StateSnapshot snapshot = ledger::snapshot_as_of(store.all_events_by_candidate(), *date);
    // Written beside the target and renamed into place: never a half-written file.
    io::write_file(path, [&](std::ostream& out) { io::save_state_archive(snapshot, out, kind); }, options);
    (out_path == "-" ? std::cerr : std::cout) << printable(out_path) << ": state of " << counted(snapshot.states.size(), "candidate", "candidates")
              << " as of " << date->to_string() << " from " << counted(snapshot.events, "event", "events")
              << " (last event #" << snapshot.last_event << ")\n";
    return ok;
}

}  // namespace certigraph::cli
