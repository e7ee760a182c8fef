// `certigraph eligibility`: who may be awarded the certification as of a date, with
// every reason and what is still missing (docs/ledger.md, "Eligibility").
#include "cli/common.hpp"

#include <certigraph/ledger/eligibility.hpp>
#include <certigraph/ledger/ledger.hpp>

#include <iomanip>
#include <iostream>

namespace certigraph::cli {

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

int run_eligibility(const std::string& db, const std::string& referentiel_path,
                    const std::string& candidate, const std::string& as_of, const std::string& format,
                    bool no_verify) {
    const auto date = Date::parse(as_of);
    if (!date) throw Error("--as-of '" + as_of + "' is not a date; write YYYY-MM-DD");
    const Referentiel ref = io::load_referentiel(referentiel_path);
    const ledger::Ledger store = open_existing_ledger(db);
    // The warning goes to stderr for the machine-readable formats.
    if (!verify_before_use(store, db, no_verify, format == "text" ? std::cout : std::cerr)) return found;
    const std::vector<ledger::Event> events = candidate.empty() ? store.all_events_by_candidate() : store.events(candidate);
    if (!candidate.empty() && events.empty())
        throw NotFound("no event for candidate '" + printable(candidate) + "' in " + db);
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
