// `certigraph eligibility`: who may be awarded the certification as of a date, with
// every reason and what is still missing (docs/ledger.md, "Eligibility"), from a
// ledger or from JSON lines of events. The reasons name events, routes and issuers,
// which only the Event objects hold: text, json and csv decide from the objects.
// `--format summary` needs only the findings and decides over typed columns
// (EventTable, eligibility_table), without an Event per line.
#include "cli/common.hpp"

#include <certigraph/ledger/eligibility.hpp>
#include <certigraph/ledger/event_table.hpp>
#include <certigraph/ledger/ledger.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>

namespace certigraph::cli {

namespace {

/// The events of a JSON-lines file (every candidate's, or one candidate's), each
/// line read as `ledger import` reads it; blank lines skipped.
/// @throws ParseError naming the file and line of a bad event
std::vector<ledger::Event> read_events_file(const std::string& path, const std::string& candidate) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path + ": cannot be read");
    std::vector<ledger::Event> events;
    std::string line;
    for (std::size_t number = 1; std::getline(in, line); ++number) {
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        ledger::Event e;
        try {
            e = ledger::event_from_json(line, path);
        } catch (const ParseError& x) {  // file:line:column, as `ledger import` says it
            throw ParseError(path, number, x.column(), x.pointer(), x.problem());
        }
        if (candidate.empty() || e.candidate == candidate) events.push_back(std::move(e));
    }
    return events;
}

/// `--format summary`: one CSV row per candidate, the finding of each check in a
/// column named by its subject, then the number of ledger problems (each makes the
/// candidate ineligible). `only`: that candidate's row alone.
void write_summary(std::ostream& out, const ledger::EligibilityTable& t, const std::string& only) {
    std::string buffer = "candidate,as_of,eligible";
    for (const auto& subject : t.check_subjects) buffer += ',' + csv_field(subject);
    buffer += ",ledger_problems\n";
    const std::string as_of = t.as_of.to_string();
    const std::size_t width = t.checks();
    for (std::size_t k = 0; k < t.candidates.size(); ++k) {
        if (!only.empty() && t.candidates[k] != only) continue;
        buffer += csv_field(t.candidates[k]);
        buffer += ',';
        buffer += as_of;
        buffer += t.eligible[k] ? ",true" : ",false";
        for (std::size_t c = 0; c < width; ++c) {
            buffer += ',';
            buffer += ledger::to_string(t.findings[k * width + c]);
        }
        buffer += ',';
        buffer += std::to_string(t.problems[k]);
        buffer += '\n';
        if (buffer.size() >= (1u << 20)) {  // written in 1 MB pieces
            out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
            buffer.clear();
        }
    }
    out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
}

}  // namespace

void print_eligibility(std::ostream& out, const Referentiel& ref,
                       std::span<const ledger::Eligibility> answers) {
    std::size_t eligible = 0;
    for (const auto& a : answers) {
        eligible += a.eligible;
        out << printable(a.candidate) << "  " << (a.eligible ? "ELIGIBLE" : "NOT ELIGIBLE") << " as of "
            << a.as_of.to_string() << '\n';
        for (const auto& c : a.checks) {
            // "ok" met, "NO" unmet and required, "--" informational.
            const char* mark = c.met && c.required ? "ok" : c.required ? "NO" : "--";
            out << "  " << mark << ' ' << std::left << std::setw(24) << printable(c.subject) << ' '
                << printable(ledger::explain(c, ref)) << '\n';
        }
        bool first = true;
        for (const auto& c : a.checks) {
            const std::string m = ledger::missing(c, ref);
            if (m.empty()) continue;
            out << (first ? "  missing: " : "           ") << printable(m) << '\n';
            first = false;
        }
    }
    out << counted(answers.size(), "candidate", "candidates") << ": " << eligible << " eligible, "
        << answers.size() - eligible << " not eligible\n";
}

int run_eligibility(const std::string& db, const std::string& events_file, const std::string& referentiel_path,
                    const std::string& candidate, const std::string& as_of, const std::string& format,
                    bool no_verify) {
    if (db.empty() == events_file.empty())
        throw Error(db.empty() ? "give the ledger file DB, or --events FILE.jsonl"
                               : "give the ledger file DB or --events FILE.jsonl, not both");
    const auto date = Date::parse(as_of);
    if (!date) throw Error("--as-of '" + as_of + "' is not a date; write YYYY-MM-DD");
    const Referentiel ref = io::load_referentiel(referentiel_path);
    if (!events_file.empty() && !std::filesystem::is_regular_file(events_file))
        throw Error("--events " + events_file + ": not a file (JSON lines of events, as `ledger export` writes)");
    std::optional<ledger::Ledger> store;
    if (!db.empty()) {
        store.emplace(open_existing_ledger(db));
        // The warning goes to stderr for the machine-readable formats.
        if (!verify_before_use(*store, db, no_verify, format == "text" ? std::cout : std::cerr)) return found;
    }
    const auto unknown = [&] {
        return NotFound("no event for candidate '" + printable(candidate) + "' in " + (db.empty() ? events_file : db));
    };
    if (format == "summary") {
        ledger::EventTable table;
        if (store && !candidate.empty())
            table = ledger::EventTable::from_events(store->events(candidate));
        else
            table = store ? store->event_table() : ledger::EventTable::from_json_lines(events_file);
        if (!candidate.empty() && !std::binary_search(table.candidates.begin(), table.candidates.end(), candidate))
            throw unknown();
        write_summary(std::cout, ledger::eligibility_table(ref, table, *date), candidate);
        return ok;
    }
    const std::vector<ledger::Event> events =
        !store                ? read_events_file(events_file, candidate)
        : candidate.empty()   ? store->all_events_by_candidate()
                              : store->events(candidate);
    if (!candidate.empty() && events.empty()) throw unknown();
    const auto answers = ledger::eligibility_of_all(ref, events, *date);
    if (format == "json")
        ledger::write_eligibility_json(std::cout, answers, ref);
    else if (format == "csv")
        ledger::write_eligibility_csv(std::cout, answers, ref, {settings().formula_guard});
    else
        print_eligibility(std::cout, ref, answers);
    return ok;
}

}  // namespace certigraph::cli
