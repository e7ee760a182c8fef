// Eligibility for the certification as of a date, with every reason and what is
// still missing (docs/ledger.md, "Eligibility").
#pragma once

#include <certigraph/date.hpp>
#include <certigraph/io/csv.hpp>
#include <certigraph/ledger/event.hpp>
#include <certigraph/ledger/state.hpp>
#include <certigraph/referentiel/referentiel.hpp>

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace certigraph::ledger {

/// What a check is about.
enum class CheckKind : std::uint8_t {
    bloc,             ///< one bloc of the référentiel (required or optional)
    option_group,     ///< "one of" the blocs sharing an option group
    requirement,      ///< an extra condition of award (Certification::requirements)
    delivery_window,  ///< the decision date against the fiche's dates
    ledger,           ///< a problem in the candidate's events
};

/// The finding of a check: a stable code, the same in every output.
enum class Finding : std::uint8_t {
    bloc_acquired,               ///< acquired (date, route, event)
    bloc_refused,                ///< assessed and refused, never acquired
    bloc_not_assessed,           ///< no outcome recorded
    optional_bloc,               ///< optional ("facultatif"): not required
    option_met,                  ///< a bloc of the group is acquired
    option_missing,              ///< no bloc of the group is acquired
    requirement_met,             ///< the evidence meets the requirement
    requirement_not_applicable,  ///< its condition does not hold for this candidate
    condition_unknown,           ///< its condition's attribute is not recorded
    language_missing,            ///< no certificate in that language and framework
    language_level_low,          ///< certificates below the level
    language_not_third_party,    ///< the level is reached, but not attested by a third party
    mobility_short,              ///< fewer weeks of mobility than required
    experience_short,            ///< fewer months of work than required
    window_met,                  ///< decision and path start inside the window
    window_exception,            ///< after the deadline, allowed by a recorded exception
    before_registration,         ///< decision before the fiche's publication
    after_deadline,              ///< decision after the last possible delivery
    path_after_registration,     ///< the path started after the end of registration (no exception)
    ledger_problem,              ///< an event the state could not apply
};

/// One check of an eligibility answer.
struct Check {
    CheckKind kind = CheckKind::bloc;
    /// Bloc code, option group name, requirement code, "delivery_window" or "ledger".
    std::string subject{};
    bool required = true;  ///< false: informational (optional bloc, condition not applying)
    bool met = false;
    Finding finding = Finding::bloc_not_assessed;
    /// Quantities, when the finding has some: weeks or months held and needed; for a
    /// language, the CEFR rank held (A1 = 1 … C2 = 6, 0 none) and needed; for a bloc, the
    /// number of refusals in `have`.
    double have = 0.0;
    double need = 0.0;
    std::optional<Date> date{};  ///< the date that decides (acquisition, deadline, path start, …)
    EventId event = 0;           ///< the event it rests on, if one
    /// A short value the sentence needs: the acquiring route, the best level held, the
    /// acquired bloc of an option group, the exception's basis, the ledger problem.
    std::string detail{};
    friend bool operator==(const Check&, const Check&) = default;
};

/// The answer for one candidate.
struct Eligibility {
    std::string candidate{};
    Date as_of{1970, 1, 1};
    bool eligible = false;  ///< every required check met
    /// Every check, in a fixed order: blocs (référentiel order; blocs of an option
    /// group are covered by the group's check), option groups (by name), requirements
    /// (référentiel order), the delivery window, then ledger problems.
    std::vector<Check> checks{};
    CapitalisationState state{};  ///< the state the checks were made on
    friend bool operator==(const Eligibility&, const Eligibility&) = default;
};

/// Eligibility of a candidate whose state as of the decision date is `state`
/// (state.as_of is the decision date).
Eligibility eligibility(const Referentiel& referentiel, const CapitalisationState& state,
                        std::string_view candidate);
/// The same, taking the state over instead of copying it.
Eligibility eligibility(const Referentiel& referentiel, CapitalisationState&& state,
                        std::string_view candidate);

/// Eligibility of one candidate from their events, as of `as_of`.
/// @throws Error if the events are of several candidates
Eligibility eligibility(const Referentiel& referentiel, std::span<const Event> events, Date as_of);

/// Eligibility of every candidate having events in `events` (any order, several
/// candidates), sorted by candidate. `threads` = 0: all cores for large inputs. The
/// result does not depend on the number of threads.
std::vector<Eligibility> eligibility_of_all(const Referentiel& referentiel,
                                            std::span<const Event> events, Date as_of,
                                            unsigned threads = 0);

/// One sentence: why the check is met or not, e.g. "acquired on 2025-06-12 by exam
/// (event #3)".
std::string explain(const Check& check, const Referentiel& referentiel);
/// One sentence: what is still missing for an unmet required check; empty otherwise.
std::string missing(const Check& check, const Referentiel& referentiel);

/// Stable lower-case names ("bloc", "bloc_acquired", ...).
std::string_view to_string(CheckKind kind) noexcept;
std::string_view to_string(Finding finding) noexcept;

/// CSV, one row per check:
/// `candidate,as_of,eligible,kind,subject,required,met,finding,reason,missing`.
/// Fields are written with the formula guard of io::CsvOptions unless `csv` turns it off.
void write_eligibility_csv(std::ostream& out, std::span<const Eligibility> answers,
                           const Referentiel& referentiel, const io::CsvOptions& csv = {});
/// JSON: an array of `{candidate, as_of, eligible, missing[], checks[]}`; each check
/// has kind, subject, required, met, finding, reason, missing and, when set, have,
/// need, date, event, detail.
void write_eligibility_json(std::ostream& out, std::span<const Eligibility> answers,
                            const Referentiel& referentiel);

}  // namespace certigraph::ledger
