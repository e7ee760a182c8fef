// `certigraph ledger init|import|export|verify|checkpoint|show|record|snapshot`: the
// capitalisation ledger from the command line (docs/ledger.md).
#include "cli/common.hpp"

#include <certigraph/ledger/checkpoint.hpp>
#include <certigraph/ledger/ledger.hpp>
#include <certigraph/ledger/state.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
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

std::string read_file(const std::string& path, const char* what) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw IoError(path + ": cannot open the " + what + " for reading");
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) throw IoError(path + ": cannot read the " + what);
    return text.str();
}

void say_already(const std::string& db, const ledger::Recorded& r) {
    std::cout << "already recorded in " << db << " (recording " << r.recording << " of " << r.recorded_at
              << "): nothing added\n";
}

}  // namespace

int run_ledger_import(const std::string& db, const std::string& events) {
    std::ifstream in(events, std::ios::binary);
    if (!in) throw IoError(events + ": cannot open for reading");
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

int run_ledger_verify(const std::string& db, const std::string& checkpoint_path, const std::string& pubkey) {
    if (checkpoint_path.empty() != pubkey.empty())
        throw Error("--checkpoint and --pubkey go together: the checkpoint's signature is checked with the key");
    const Ledger store = open_existing_ledger(db);
    std::optional<ledger::Checkpoint> checkpoint;
    if (!checkpoint_path.empty())
        checkpoint = ledger::read_checkpoint(read_file(checkpoint_path, "checkpoint"), pubkey, checkpoint_path);
    const auto problems = store.verify(checkpoint ? &*checkpoint : nullptr);
    for (const auto& p : problems) {
        std::cout << db << ": ";
        if (p.row) std::cout << "event " << p.row << ' ';
        if (!p.candidate.empty()) std::cout << "(candidate " << p.candidate << ")";
        std::cout << (p.row || !p.candidate.empty() ? ": " : "") << p.problem << '\n';
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
    const std::filesystem::path path(out_path);
    const std::filesystem::path partial = path.string() + ".partial";
    {
        std::ofstream out(partial, std::ios::binary | std::ios::trunc);
        if (!out) throw IoError(partial.string() + ": cannot open for writing");
        out << text;
        out.close();
        if (!out) {
            std::error_code ignored;
            std::filesystem::remove(partial, ignored);
            throw IoError(partial.string() + ": write failed");
        }
    }
    std::filesystem::rename(partial, path);
    std::cout << out_path << ": checkpoint of " << c.origin << ": " << counted(c.size, "event", "events")
              << ", root " << merkle::to_hex(c.root) << ", " << c.time << ", signed by " << key_name << '\n';
    return ok;
}

int run_ledger_show(const std::string& db, const std::string& candidate, const std::string& as_of) {
    const Ledger store = open_existing_ledger(db);
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

    std::ifstream in(grades, std::ios::binary);
    if (!in) throw IoError(grades + ": cannot open for reading");
    std::string line;
    std::getline(in, line);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line != "candidate,bloc,status")
        throw Error(grades + ":1: expected the header `candidate,bloc,status` that `certigraph grade` writes");
    std::vector<ledger::Event> events;
    std::size_t skipped = 0;
    // (candidate, bloc) -> the line that gave its status: a second line is refused.
    std::map<std::pair<std::string, std::string>, std::pair<std::size_t, std::string>> lines;
    std::vector<std::size_t> event_lines;  // the line of each event
    for (std::size_t number = 2; std::getline(in, line); ++number) {
        if (line.empty() || line == "\r") continue;
        const std::string where = grades + ":" + std::to_string(number) + ": ";
        std::vector<std::string> f;
        try {
            f = csv_fields(line);
        } catch (const Error& e) {
            throw Error(where + e.what());
        }
        if (f.size() != 3) throw Error(where + "expected 3 fields candidate,bloc,status");
        if (!ref.find(f[1]) || ref.find(f[1])->kind != NodeKind::bloc)
            throw Error(where + "'" + f[1] + "' is not a bloc of " + ref.certification().code);
        if (const auto [it, inserted] = lines.try_emplace({f[0], f[1]}, number, f[2]); !inserted)
            throw Error(where + "candidate '" + f[0] + "', bloc " + f[1] + " is " + f[2] + " here and " +
                        it->second.second + " on line " + std::to_string(it->second.first) +
                        "; one status per candidate and bloc: fix the file (nothing was recorded)");
        if (f[2] == "incomplete" || f[2] == "exempt") {  // nothing decided: nothing to record
            ++skipped;
            continue;
        }
        if (f[2] != "validated" && f[2] != "not_validated")
            throw Error(where + "unknown status '" + f[2] + "'; use validated, not_validated, incomplete or exempt");
        events.push_back(bloc_result_event(basis, f[0], f[1], f[2] == "validated", *date, session, grades));
        event_lines.push_back(number);
    }
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

int run_ledger_snapshot(const std::string& db, const std::string& as_of, const std::string& out_path) {
    const auto date = Date::parse(as_of);
    if (!date) throw Error("--as-of '" + as_of + "' is not a date; write YYYY-MM-DD");
    const std::filesystem::path path(out_path);
    const auto format = io::format_of(path);
    if (!format || *format == io::FileFormat::json)
        throw Error("--out " + out_path + ": a snapshot is a .txt, .xml or .bin archive");
    const io::ArchiveKind kind = *format == io::FileFormat::text_archive  ? io::ArchiveKind::text
                                 : *format == io::FileFormat::xml_archive ? io::ArchiveKind::xml
                                                                          : io::ArchiveKind::binary;
    const Ledger store = open_existing_ledger(db);
    const ledger::StateSnapshot snapshot = ledger::snapshot_as_of(store.all_events_by_candidate(), *date);
    // Written beside the target and renamed into place: never a half-written file.
    const std::filesystem::path partial = path.string() + ".partial";
    {
        std::ofstream out(partial, std::ios::binary | std::ios::trunc);
        if (!out) throw IoError(partial.string() + ": cannot open for writing");
        io::save_state_archive(snapshot, out, kind);
        out.close();
        if (!out) throw IoError(partial.string() + ": write failed");
    }
    std::filesystem::rename(partial, path);
    std::cout << out_path << ": state of " << counted(snapshot.states.size(), "candidate", "candidates")
              << " as of " << date->to_string() << " from " << counted(snapshot.events, "event", "events")
              << " (last event #" << snapshot.last_event << ")\n";
    return ok;
}

}  // namespace certigraph::cli
