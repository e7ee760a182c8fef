// `certigraph ledger init|import|export|verify|checkpoint|show|record|snapshot`: the
// capitalisation ledger from the command line (docs/ledger.md); decide, correct and
// recordings are in ledger_decide.cpp.
#include "cli/common.hpp"

#include <certigraph/ledger/checkpoint.hpp>
#include <certigraph/ledger/ledger.hpp>
#include <certigraph/ledger/state.hpp>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <iostream>
#include <map>
#include <sstream>

namespace certigraph::cli {

using ledger::CapitalisationState;
using ledger::Event;
using ledger::Ledger;
namespace merkle = ledger::merkle;

int run_ledger_init(const std::string& db) {
    const Ledger store = Ledger::create(db);
    std::cout << db << ": ledger ready (schema version " << store.version() << ", "
              << counted(store.size(), "event", "events") << ", id " << store.id() << ")\n";
    return ok;
}

namespace {

void say_already(const std::string& db, const ledger::Recorded& r) {
    std::cout << "already recorded in " << db << " (recording " << r.recording << " of " << r.recorded_at
              << "): nothing added\n";
}

}  // namespace

int run_ledger_import(const std::string& db, const std::string& events) {
    std::istringstream in(io::read_input(events));  // a regular file or -, within the input limit
    Ledger store = open_existing_ledger(db);
    const ledger::Recorded r = store.import_jsonl_recording(in, events);
    if (r.already) {
        say_already(db, r);
        return ok;
    }
    std::cout << "imported " << counted(r.ids.size(), "event", "events") << " into " << db << " ("
              << store.size() << " in all, recording " << r.recording << ")\n";
    return ok;
}

int run_ledger_export(const std::string& db) {
    open_existing_ledger(db).export_jsonl(std::cout);
    return ok;
}

int run_ledger_vacuum(const std::string& db) {
    const auto bytes = [&] { return std::filesystem::file_size(db); };
    const auto before = bytes();
    open_existing_ledger(db).vacuum();
    std::cout << db << ": " << before << " bytes before, " << bytes() << " after, 64 KiB pages\n";
    return ok;
}

int run_ledger_verify(const std::string& db, const std::string& checkpoint_path, const std::string& pubkey) {
    if (checkpoint_path.empty() != pubkey.empty())
        throw Error("--checkpoint and --pubkey go together: the checkpoint's signature is checked with the key");
    const Ledger store = open_existing_ledger(db);
    std::optional<ledger::Checkpoint> checkpoint;
    if (!checkpoint_path.empty())
        checkpoint = ledger::read_checkpoint(io::read_input(checkpoint_path), pubkey, checkpoint_path);
    const auto problems = store.verify(checkpoint ? &*checkpoint : nullptr);
    for (const auto& p : problems) {
        std::cout << db << ": ";
        if (p.row) std::cout << "event " << p.row << ' ';
        if (!p.candidate.empty()) std::cout << "(candidate " << printable(p.candidate) << ")";
        std::cout << (p.row || !p.candidate.empty() ? ": " : "") << printable(p.problem) << '\n';
    }
    std::cout << db << ": " << counted(store.size(), "event", "events") << ", "
              << counted(store.candidates().size(), "candidate", "candidates") << ", ";
    if (!problems.empty())
        std::cout << counted(problems.size(), "problem", "problems") << '\n';
    else if (checkpoint)
        std::cout << "every hash chain intact; the first " << checkpoint->size
                  << " events are exactly those of the checkpoint of " << checkpoint->time << "\n";
    else
        std::cout << "every hash chain intact (no checkpoint given: a consistent rewrite of the whole file "
                     "would not be seen)\n";
    return problems.empty() ? ok : found;
}

int run_ledger_checkpoint(const std::string& db, const std::string& key, const std::string& out_path,
                          const std::string& key_name) {
    const Ledger store = open_existing_ledger(db);
    // A checkpoint vouches for the ledger: only for one that verifies.
    if (const auto problems = store.verify(); !problems.empty()) {
        std::cerr << "certigraph: " << db << " fails verification ("
                  << counted(problems.size(), "problem", "problems") << "): " << problems.front().problem
                  << "; no checkpoint written. See `certigraph ledger verify " << db << "`\n";
        return found;
    }
    const ledger::Checkpoint c = store.checkpoint();
    const std::string text = ledger::sign_checkpoint(c, key, key_name);
    io::WriteOptions options;
    options.inputs = {db, key};
    io::write_file(out_path, text, options);  // never half-written
    std::cout << out_path << ": checkpoint of " << c.origin << ": " << counted(c.size, "event", "events")
              << ", root " << merkle::to_hex(c.root) << ", " << c.time << ", signed by " << key_name << '\n';
    return ok;
}

int run_ledger_show(const std::string& db, const std::string& candidate, const std::string& as_of,
                    const std::string& format) {
    const Ledger store = open_existing_ledger(db);
    const std::vector<Event> events = store.events(candidate);
    if (events.empty()) throw NotFound("no event for candidate '" + printable(candidate) + "' in " + db);
    Date latest = events.front().date;
    for (const auto& e : events) latest = std::max(latest, e.date);
    const auto date = as_of.empty() ? std::optional<Date>(latest) : Date::parse(as_of);
    if (!date) throw Error("--as-of '" + as_of + "' is not a date; write YYYY-MM-DD");
    const CapitalisationState state = ledger::state_as_of(events, *date);
    if (format == "json") {
        std::cout << show_json(candidate, events, state) << '\n';
        return ok;
    }
    std::cout << printable(candidate) << ": " << counted(events.size(), "event", "events") << '\n';
    for (const auto& e : events)
        std::cout << "  #" << e.id << ' ' << e.date.to_string() << ' ' << to_string(e.kind()) << ' '
                  << to_string(e.route) << (e.session.empty() ? "" : " " + printable(e.session)) << ": "
                  << printable(event_summary(e)) << '\n';
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
    if (const auto& d = state.certification)
        std::cout << "  certification: " << (d->decision.awarded ? "awarded" : "withheld") << " on "
                  << d->date.to_string() << " by jury session " << printable(d->session) << " (event #" << d->event
                  << (d->corrects ? ", correcting #" + std::to_string(d->corrects) : std::string()) << ")\n";
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
    Ledger store = open_existing_ledger(db);  // first: a mistyped ledger path is the likeliest mistake
    const Referentiel ref = io::load_referentiel(referentiel_path);
    const Policy policy = io::load_policy(policy_path);
    const GradingBasis basis = grading_basis(ref, policy);  // the versions the results rest on

    const GradesFile file = read_grades_csv(io::read_input(grades), grades, ref, session);
    std::vector<ledger::Event> events;
    std::vector<std::size_t> event_lines;  // the line of each event
    for (const auto& row : file.decided) {
        events.push_back(bloc_result_event(basis, row.candidate, row.bloc, row.validated, *date, session, grades));
        event_lines.push_back(row.line);
    }
    const std::size_t skipped = file.skipped;
    ledger::Recorded r;
    try {
        r = store.record(events, {ledger::RecordingKind::graded_session, session, grades});  // all or nothing
    } catch (const ledger::InvalidEvent& e) {
        const std::string what = e.what();  // "event <i>: <field>: <problem>"
        const std::size_t at = what.find(": ", what.find(": ") + 2);
        throw Error(grades + ":" + std::to_string(event_lines.at(e.index())) + ": " +
                    (at == std::string::npos ? what : what.substr(at + 2)) + " (nothing was recorded)");
    }
    if (r.already) {
        say_already(db, r);
        return ok;
    }
    std::cout << "recorded " << counted(events.size(), "bloc result", "bloc results") << " of session " << session
              << " into " << db << " (" << skipped << " incomplete or exempt, not recorded; recording "
              << r.recording << ")\n";
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
