// The events of the capitalisation ledger: what happened to a candidate, one
// immutable record each. The ledger only appends them; the capitalisation state
// (state.hpp) is a pure function of them.
#pragma once

#include <certigraph/date.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace certigraph::ledger {

/// Every event type below compares for equality and orders by content (member by
/// member, in declaration order); state_as_of() uses that order to be independent
/// of insertion order.

/// Assigned by the store: 1, 2, 3, ... in append order over the whole ledger, never
/// reused (SQLite AUTOINCREMENT). 0 means "not stored yet".
using EventId = std::uint64_t;

/// How a bloc came to be decided.
enum class Route : std::uint8_t {
    exam,            ///< an exam session's computed result
    vae,             ///< a VAE jury decision
    correspondence,  ///< credited from another certification's bloc
    jury_decision,   ///< a jury decision against the computed result
};

/// The kinds of events, in the order of the alternatives of Event::Body.
enum class EventKind : std::uint8_t {
    bloc_result,
    vae_decision,
    bloc_credit,
    jury_decision,
    language_certificate,
    mobility_period,
    work_period,
    attribute,
    path_start,
    delivery_exception,
    certification_decision,
    correction,
};

/// One version of a référentiel: its fiche code and the hash of its content.
struct ReferentielVersion {
    std::string fiche{};         ///< e.g. "RNCP40514"
    std::string content_hash{};  ///< e.g. the SHA-256 of its canonical JSON
    friend bool operator==(const ReferentielVersion&, const ReferentielVersion&) = default;
    friend auto operator<=>(const ReferentielVersion&, const ReferentielVersion&) = default;
};

/// A bloc validated or refused in an exam session (route exam).
struct BlocResult {
    std::string bloc{};
    bool validated = false;
    friend bool operator==(const BlocResult&, const BlocResult&) = default;
    friend auto operator<=>(const BlocResult&, const BlocResult&) = default;
};

/// A VAE jury decision (route vae): the blocs it declares acquired (a partial
/// validation names some, a total one all) and, optionally, those it refuses.
struct VaeDecision {
    std::vector<std::string> acquired{};
    std::vector<std::string> refused{};
    std::string prescriptions{};  ///< what remains to be assessed, free text
    friend bool operator==(const VaeDecision&, const VaeDecision&) = default;
    friend auto operator<=>(const VaeDecision&, const VaeDecision&) = default;
};

/// A bloc credited by correspondence (route correspondence), with its provenance.
struct BlocCredit {
    std::string bloc{};                      ///< the bloc credited, in this certification
    std::string from_certification{};        ///< e.g. "RNCP35340"
    std::vector<std::string> from_blocs{};   ///< the counterpart blocs that were validated
    std::string basis{};                     ///< "rncp_export", "certificateur_rule", "arrete", ...
    std::string from_validation{};           ///< reference of the validation that produced it
    friend bool operator==(const BlocCredit&, const BlocCredit&) = default;
    friend auto operator<=>(const BlocCredit&, const BlocCredit&) = default;
};

/// A jury decision against the computed result (route jury_decision). It replaces
/// the outcome computed for `bloc` in exam session `overrides_session` (empty: a
/// decision with no computed result behind it). The reason is mandatory.
struct JuryDecision {
    std::string bloc{};
    bool validated = false;
    std::string overrides_session{};
    std::string reason{};
    friend bool operator==(const JuryDecision&, const JuryDecision&) = default;
    friend auto operator<=>(const JuryDecision&, const JuryDecision&) = default;
};

/// A language certificate (requirement evidence).
struct LanguageCertificate {
    std::string language{};   ///< e.g. "en"
    std::string framework{};  ///< e.g. "CEFR"
    std::string level{};      ///< e.g. "B2"
    std::string issuer{};     ///< e.g. "ETS (TOEIC)"
    bool third_party = false;  ///< attested by a body other than the certificateur
    Date issued{1970, 1, 1};
    friend bool operator==(const LanguageCertificate&, const LanguageCertificate&) = default;
    friend auto operator<=>(const LanguageCertificate&, const LanguageCertificate&) = default;
};

/// A mobility period (requirement evidence); both ends included.
struct MobilityPeriod {
    Date start{1970, 1, 1};
    Date end{1970, 1, 1};  ///< inclusive; not before start
    std::string place{};    ///< country or host
    friend bool operator==(const MobilityPeriod&, const MobilityPeriod&) = default;
    friend auto operator<=>(const MobilityPeriod&, const MobilityPeriod&) = default;
};

/// A work period (requirement evidence); both ends included.
struct WorkPeriod {
    Date start{1970, 1, 1};
    Date end{1970, 1, 1};  ///< inclusive; not before start
    std::string place{};    ///< employer
    friend bool operator==(const WorkPeriod&, const WorkPeriod&) = default;
    friend auto operator<=>(const WorkPeriod&, const WorkPeriod&) = default;
};

/// A candidate attribute such as nationality (name "nationality", value "FR").
struct Attribute {
    std::string name{};
    std::string value{};
    friend bool operator==(const Attribute&, const Attribute&) = default;
    friend auto operator<=>(const Attribute&, const Attribute&) = default;
};

/// The start of the candidate's path towards the certification: entry into the
/// training or apprenticeship, or the VAE recevabilité. The event's date is that day.
/// Eligibility checks that the path started while the certification was registered.
struct PathStart {
    std::string access_route{};  ///< how: "initial_training", "apprenticeship", "vae", ...
    friend bool operator==(const PathStart&, const PathStart&) = default;
    friend auto operator<=>(const PathStart&, const PathStart&) = default;
};

/// A recorded exception to the delivery window: the certification may be awarded
/// although the decision falls after the last possible delivery (or the path started
/// after the end of registration), e.g. under Code du travail L6113-9. The basis and
/// the reason are mandatory.
struct DeliveryException {
    std::string basis{};   ///< the legal basis, e.g. "L6113-9"
    std::string reason{};  ///< why it applies to this candidate
    friend bool operator==(const DeliveryException&, const DeliveryException&) = default;
    friend auto operator<=>(const DeliveryException&, const DeliveryException&) = default;
};

/// A jury's decision on the whole certification for one candidate (route exam or vae:
/// the candidate's route before the jury; session: the jury session id, mandatory).
/// Award records and the certification's credential rest on it (award.hpp).
struct CertificationDecision {
    bool awarded = false;
    bool eligible = false;               ///< eligibility as of the event's date when decided
    std::vector<std::string> missing{};  ///< subjects of the unmet required checks (empty when eligible)
    std::string reason{};                ///< mandatory when not awarded although eligible
    friend bool operator==(const CertificationDecision&, const CertificationDecision&) = default;
    friend auto operator<=>(const CertificationDecision&, const CertificationDecision&) = default;
};

/// What an event states, except a correction.
using Fact = std::variant<BlocResult, VaeDecision, BlocCredit, JuryDecision, LanguageCertificate,
                          MobilityPeriod, WorkPeriod, Attribute, PathStart, DeliveryException,
                          CertificationDecision>;

/// Supersedes an earlier event of the same candidate. With a replacement, the
/// replacement counts instead of the superseded event (with that event's date,
/// session and route); without one, the superseded event is withdrawn. The reason
/// is mandatory. A correction may supersede a correction: the newer one then
/// replaces the older one's replacement.
struct Correction {
    EventId supersedes = 0;
    std::string reason{};
    std::optional<Fact> replacement{};
    friend bool operator==(const Correction&, const Correction&) = default;
    friend auto operator<=>(const Correction&, const Correction&) = default;
};

/// One ledger event: the header every event carries, and its body.
///
/// Why a std::variant of structs rather than one struct with a kind enum: the set of
/// kinds is closed and each kind has its own mandatory fields. With a variant, an
/// event cannot carry fields of another kind, the compiler makes every std::visit
/// handle every kind (adding a kind breaks the build where it must be handled, not
/// silently at run time), and a correction's replacement reuses the same types.
struct Event {
    EventId id = 0;           ///< assigned by the store; 0 before
    std::string candidate{};  ///< candidate identifier
    Date date{1970, 1, 1};    ///< date of the session, decision or evidence
    std::string session{};    ///< exam session or jury id
    Route route = Route::exam;
    ReferentielVersion referentiel{};
    std::string policy_hash{};         ///< hash of the grading policy used (exam results)
    std::vector<std::string> evidence{};  ///< ids of the evidence it rests on
    using Body = std::variant<BlocResult, VaeDecision, BlocCredit, JuryDecision,
                              LanguageCertificate, MobilityPeriod, WorkPeriod, Attribute,
                              PathStart, DeliveryException, CertificationDecision, Correction>;
    Body body{BlocResult{}};

    EventKind kind() const noexcept { return static_cast<EventKind>(body.index()); }
    friend bool operator==(const Event&, const Event&) = default;
    friend auto operator<=>(const Event&, const Event&) = default;
};

/// The kind of a fact (a correction's replacement).
inline EventKind kind_of(const Fact& fact) noexcept {
    return static_cast<EventKind>(fact.index());
}

/// Stable lower-case names used in every format ("exam", "bloc_result", ...).
std::string_view to_string(Route route) noexcept;
std::string_view to_string(EventKind kind) noexcept;
/// Inverses of to_string; std::nullopt for an unknown name.
std::optional<Route> route_from_string(std::string_view name) noexcept;
std::optional<EventKind> event_kind_from_string(std::string_view name) noexcept;

/// A problem found in an event: the field (a JSON-pointer-like path such as
/// "body/bloc") and what is wrong.
struct EventProblem {
    std::string field;
    std::string problem;
    friend bool operator==(const EventProblem&, const EventProblem&) = default;
    friend auto operator<=>(const EventProblem&, const EventProblem&) = default;
};

/// Checks one event on its own (not against the ledger): mandatory fields, route
/// consistent with the kind, periods in order, mandatory reasons. Empty if valid.
std::vector<EventProblem> check_event(const Event& event);

/// The event as canonical JSON text (keys sorted, no spaces, UTF-8), as stored in the
/// ledger and hashed; includes "id" when the event has one (> 0) and, when seq > 0,
/// "seq" (the event's position in its candidate's chain). event_from_json() reads it
/// back to an equal event.
std::string canonical_json(const Event& event, std::uint64_t seq = 0);

/// Reads one event from JSON text in the form canonical_json() writes (the "id" is
/// optional; "seq" and "hash" are accepted and ignored). Strict: unknown keys, wrong
/// types and bad dates are refused. Does not run check_event().
/// @throws ParseError naming `source` and the JSON pointer of the bad field
Event event_from_json(std::string_view text, std::string_view source = "<event>");

}  // namespace certigraph::ledger
