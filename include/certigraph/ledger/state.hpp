// The capitalisation state of one candidate as of a date: a pure function of the
// ledger events (docs/ledger.md, "State as of a date").
#pragma once

#include <certigraph/date.hpp>
#include <certigraph/ledger/event.hpp>

#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace certigraph::ledger {

/// One bloc's state.
struct BlocState {
    bool acquired = false;
    std::optional<Date> since{};  ///< date of the acquiring event
    std::optional<Route> route{};  ///< route of the acquiring event
    EventId event = 0;             ///< the acquiring event (a correction when corrected)
    EventId corrects = 0;          ///< when `event` is a correction: the event it superseded
    std::size_t refusals = 0;      ///< outcomes that refused the bloc (before or after)
    std::optional<Date> last_refused{};
    friend bool operator==(const BlocState&, const BlocState&) = default;
};

/// A language certificate held, with the event that recorded it.
struct HeldCertificate {
    LanguageCertificate certificate;
    EventId event = 0;
    friend bool operator==(const HeldCertificate&, const HeldCertificate&) = default;
};

/// A recorded delivery exception, with the event that recorded it and its date.
struct HeldException {
    DeliveryException exception;
    Date date{1970, 1, 1};
    EventId event = 0;
    friend bool operator==(const HeldException&, const HeldException&) = default;
};

/// The certification decision in force (a certification_decision event, or a
/// correction's replacement of one).
struct DecisionInForce {
    CertificationDecision decision{};
    Date date{1970, 1, 1};  ///< the decision's date (a corrected one keeps its date)
    std::string session{};  ///< the jury session (a corrected one keeps its session)
    Route route = Route::exam;
    EventId event = 0;      ///< the deciding event (a correction when corrected)
    EventId corrects = 0;   ///< when `event` is a correction: the event it superseded
    friend bool operator==(const DecisionInForce&, const DecisionInForce&) = default;
};

/// Everything the events say as of a date.
struct CapitalisationState {
    Date as_of{1970, 1, 1};
    std::map<std::string, BlocState> blocs{};  ///< by bloc code; every bloc mentioned
    std::vector<HeldCertificate> languages{};  ///< sorted by issue date (then the events' content order)
    /// Mobility: days in the union of the periods (both ends included, cut at as_of),
    /// and weeks = days / 7.
    long mobility_days = 0;
    double mobility_weeks = 0.0;
    /// Work: the union of the periods (cut at as_of) in calendar months; see
    /// calendar_months(). work_days is the union's length in days.
    long work_days = 0;
    double work_months = 0.0;
    /// The longest single stretch of the union, in calendar months (for requirements
    /// of consecutive months).
    double work_longest_months = 0.0;
    /// The earliest recorded path start (PathStart events), its access route and event.
    std::optional<Date> path_started{};
    std::string path_access_route{};
    EventId path_event = 0;
    std::vector<HeldException> exceptions{};  ///< delivery exceptions, by date (then content order)
    /// The date of the earliest event that counts: when no path start is recorded, the
    /// path started no later than this.
    std::optional<Date> first_event{};
    std::map<std::string, std::string> attributes{};  ///< name -> latest value
    /// The certification decision in force as of the date: the latest by date, then by
    /// deciding event id, after corrections (a withdrawn decision no longer counts).
    std::optional<DecisionInForce> certification{};
    /// Events the function could not apply or that contradict each other: a correction
    /// naming an event not in the input, a jury decision overriding a result that is not
    /// on record, two values of one attribute on the same day; one sentence each, sorted.
    std::vector<std::string> problems{};
    friend bool operator==(const CapitalisationState&, const CapitalisationState&) = default;
};

/// Calendar months covered by [start, end], both included:
/// m = the largest whole number such that add_months(start, m) - 1 day <= end, where
/// add_months keeps the day of month and clamps it to the month's last day
/// (Jan 31 + 1 month = Feb 28/29); then the rest, r days from add_months(start, m)
/// to end, counts as r / L where L is the length in days of the next month step
/// (add_months(start, m + 1) - add_months(start, m)). So 2024-01-01..2024-06-30 is
/// exactly 6.0, 2024-01-01..2024-06-27 is 5 + 27/30 = 5.9. 0 if end < start.
double calendar_months(Date start, Date end);

/// The capitalisation state of the events' candidate as of `as_of` (events dated
/// after it are ignored). Pure and order-independent: the result is the same for
/// any permutation of `events`. All events should be of one candidate.
CapitalisationState state_as_of(std::span<const Event> events, Date as_of);

/// The derived state of every candidate of a ledger as of a date: what a state
/// snapshot archive holds (io/archive.hpp), so that a reader can answer without
/// replaying the events.
struct StateSnapshot {
    Date as_of{1970, 1, 1};
    std::size_t events = 0;  ///< number of events the states were computed from
    EventId last_event = 0;  ///< the highest event id among them
    std::map<std::string, CapitalisationState> states{};  ///< by candidate
    friend bool operator==(const StateSnapshot&, const StateSnapshot&) = default;
};

/// state_as_of() for every candidate having events in `events` (several candidates,
/// any order). `threads` = 0: all cores for large inputs; the result does not
/// depend on it.
StateSnapshot snapshot_as_of(std::span<const Event> events, Date as_of, unsigned threads = 0);

}  // namespace certigraph::ledger
