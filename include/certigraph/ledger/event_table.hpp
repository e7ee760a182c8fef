// Events as typed columns (struct of arrays), and eligibility computed over them
// into columns: the bulk path for a million candidates (docs/ledger.md,
// "Eligibility in bulk"). The answers equal eligibility_of_all()'s, check by check.
#pragma once

#include <certigraph/date.hpp>
#include <certigraph/ledger/eligibility.hpp>
#include <certigraph/ledger/event.hpp>
#include <certigraph/referentiel/referentiel.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <vector>

namespace certigraph::ledger {

/// The events of many candidates grouped by candidate, one array per field that
/// eligibility reads. Strings are codes into `strings` (code 0 is ""). Candidates
/// whose events the columns cannot describe (a VAE decision, a jury decision, a
/// correction, two values of one attribute on one day) keep their full events in
/// `objects`, and are decided by the object path.
struct EventTable {
    std::vector<std::string> candidates;  ///< sorted, distinct
    /// The rows of candidate k are first[k] .. first[k + 1] - 1 (size: candidates + 1).
    std::vector<std::uint32_t> first{0};

    // One entry per row (event).
    std::vector<EventKind> kind;
    std::vector<std::int32_t> day;        ///< the event's date, days since 1970-01-01
    std::vector<std::uint32_t> bloc;      ///< bloc result / bloc credit: the bloc
    std::vector<std::int8_t> outcome;     ///< bloc result: 0/1; bloc credit: 1; else -1
    std::vector<std::uint32_t> name;      ///< attribute name; certificate language
    std::vector<std::uint32_t> value;     ///< attribute value; certificate level
    std::vector<std::uint32_t> framework; ///< certificate framework
    std::vector<std::uint8_t> third_party;  ///< certificate attested by a third party
    std::vector<std::int32_t> start_day;  ///< period start; certificate issue day
    std::vector<std::int32_t> end_day;    ///< period end

    std::vector<std::string> strings{""};  ///< the codes' texts
    std::map<std::uint32_t, std::vector<Event>> objects;  ///< by candidate index

    std::size_t size() const noexcept { return kind.size(); }

    /// From events in memory (any order, several candidates).
    static EventTable from_events(std::span<const Event> events);
    /// From a JSON-lines file of events (any order; blank lines skipped), line by
    /// line without keeping Event objects (except in `objects`).
    /// @throws ParseError naming the file and line of a bad event
    static EventTable from_json_lines(const std::filesystem::path& path);
};

/// Eligibility of every candidate of a table, as columns. The checks are the fixed
/// part of Eligibility::checks (blocs, option groups, requirements, the delivery
/// window, in that order); ledger problems are counted.
struct EligibilityTable {
    Date as_of{1970, 1, 1};
    std::vector<std::string> candidates;  ///< as in the table
    std::vector<CheckKind> check_kinds;   ///< per check
    std::vector<std::string> check_subjects;  ///< per check: bloc, group, requirement code, "delivery_window"
    std::vector<std::uint8_t> eligible;   ///< per candidate
    std::vector<std::uint32_t> problems;  ///< per candidate: ledger problems (each makes it ineligible)
    /// Per candidate and check, row-major (candidate * checks + check): the finding and
    /// Check::have (refusals, weeks, months or CEFR rank).
    std::vector<Finding> findings;
    std::vector<double> have;

    std::size_t checks() const noexcept { return check_kinds.size(); }
    /// Check::met follows from the finding; a check is satisfied (met, or not
    /// required: an optional bloc, a requirement that does not apply) likewise.
    static bool met(Finding finding) noexcept;
    static bool satisfied(Finding finding) noexcept;
};

/// eligibility_of_all() over a table: no Event objects, no allocation per candidate
/// (except those kept in `objects`). `threads` = 0: all cores for large tables; the
/// result does not depend on it.
EligibilityTable eligibility_table(const Referentiel& referentiel, const EventTable& events, Date as_of,
                                   unsigned threads = 0);

}  // namespace certigraph::ledger
