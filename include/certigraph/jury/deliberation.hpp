// Deliberation: the grid candidate x bloc from the graded session, the jury's
// decisions checked against it, the certification decisions, and the sealed record
// that the ledger and the procès-verbal rest on (docs/jury.md).
#pragma once

#include <certigraph/error.hpp>
#include <certigraph/grading/grader.hpp>
#include <certigraph/jury/composition.hpp>
#include <certigraph/jury/session.hpp>
#include <certigraph/ledger/eligibility.hpp>
#include <certigraph/ledger/event.hpp>
#include <certigraph/ledger/ledger.hpp>
#include <certigraph/referentiel/referentiel.hpp>

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace certigraph::jury {

/// The `format_version` of `certigraph/jury-record` (a sealed session).
inline constexpr int record_format_version = 1;

/// The certification decision for one candidate (recorded as a certification_decision
/// ledger event).
struct CertificationOutcome {
    bool awarded = false;
    bool eligible = false;               ///< as of the session date, with this session's decisions
    std::vector<std::string> missing{};  ///< subjects of the unmet required checks
    std::string reason{};                ///< the withholding's reason, when withheld
    friend bool operator==(const CertificationOutcome&, const CertificationOutcome&) = default;
};

/// One cell of the grid: a candidate's bloc, computed and decided.
struct BlocCell {
    std::string bloc{};
    std::string title{};
    /// The computed status (exam route); absent for a VAE candidate.
    std::optional<Status> computed{};
    /// The smallest margin among the bloc's criteria (value - threshold), when known.
    std::optional<double> margin{};
    std::optional<BlocDecision> decision{};  ///< absent: not decided yet
    /// The decided outcome: validated (true), refused (false), absent when undecided or
    /// when the computed result is exempt/incomplete and was confirmed.
    std::optional<bool> validated{};
    bool against = false;  ///< the decision goes against the computed result
    friend bool operator==(const BlocCell&, const BlocCell&) = default;
};

/// A candidate's row of the grid and, once prepared, their certification decision.
struct CandidateRecord {
    Candidate candidate{};
    CandidateJury jury{};
    std::vector<BlocCell> blocs{};  ///< in référentiel order
    /// The certification decision (filled by prepare()).
    std::optional<CertificationOutcome> certification{};
    /// Why the candidate is (not) eligible, one sentence per required check.
    std::vector<std::string> reasons{};
    friend bool operator==(const CandidateRecord&, const CandidateRecord&) = default;
};

/// A problem that stops sealing: an undecided cell, a decision against the computed
/// result without a reason, votes that do not add up, a tie without casting vote, …
/// Codes: DECISION-MISSING, DECISION-REASON, DECISION-VOTES, DECISION-TIE,
/// DECISION-CONFIRM-INCOMPLETE, DECISION-UNKNOWN-BLOC, DECISION-DUPLICATE,
/// DECISION-VAE-CONFIRM, WITHHOLD-NOT-ELIGIBLE, COMPOSITION.
struct Problem {
    std::string code{};
    std::string candidate{}, bloc{};
    std::string problem{};
    std::string fix{};
    friend bool operator==(const Problem&, const Problem&) = default;
};

/// Everything the jury session decided, self-contained: what is sealed, recorded in the
/// ledger and printed on the procès-verbal.
struct Record {
    Session session{};  ///< the session as decided
    std::string certification_title{};
    int level = 0;
    std::vector<Certifier> certifiers{};
    std::string policy_hash{};       ///< SHA-256 of the grading policy's canonical text
    std::string evaluations_hash{};  ///< SHA-256 of the evaluations file's bytes
    CompositionReport composition{};
    std::vector<CandidateRecord> candidates{};
    std::vector<Problem> problems{};  ///< empty: ready to seal
    std::string hash{};  ///< seal: SHA-256 of canonical_json() without "hash"; empty until sealed
    friend bool operator==(const Record&, const Record&) = default;
};

/// The grid alone (no ledger, no certification decisions): for reading at the table.
/// `result` grades `cohort` with `grader`; rows are matched by candidate id and the
/// session's exam session. VAE candidates get cells without a computed status.
Record grid(const Session& session, const Referentiel& referentiel, const Grader* grader,
            const Cohort* cohort, const GradeResult* result);

/// The grid, the decisions checked, and each candidate's certification decision
/// computed from `ledger_events` (their events on record, any order) plus the events
/// this session adds, as of the session date.
Record prepare(const Session& session, const Referentiel& referentiel, const Grader* grader,
               const Cohort* cohort, const GradeResult* result,
               std::span<const ledger::Event> ledger_events);

/// The graded exam session a jury session names: its "grading" files, read and graded.
struct GradedSession {
    Referentiel referentiel;
    std::optional<Grader> grader{};
    std::optional<Cohort> cohort{};
    std::optional<GradeResult> result{};
    std::string evaluations_hash{};  ///< "sha256:" + the evaluations file's SHA-256
};

/// The session's "grading" paths resolved against `base` (the session file's folder):
/// absolute paths stay as they are. @throws Error when the session names no grading
GradingInputs grading_paths(const Session& session, const std::filesystem::path& base);

/// Reads the référentiel, policy and evaluations the session's "grading" names (paths
/// relative to `base`, the session file's folder) and grades them. `referentiel`, when
/// not empty, is read instead of the session's (a VAE-only session names none).
/// @throws Error naming the file and the fix (ParseError, GradingError, ...)
GradedSession load_graded_session(const Session& session, const std::filesystem::path& base,
                                  const std::filesystem::path& referentiel = {});

/// grid() and prepare() on a loaded graded session (evaluations_hash filled in).
Record grid(const Session& session, const GradedSession& graded);
Record prepare(const Session& session, const GradedSession& graded, std::span<const ledger::Event> ledger_events);

/// The events on record in `store` for the session's candidates (what prepare() takes).
std::vector<ledger::Event> events_on_record(const Session& session, const ledger::Ledger& store);

/// The ledger events a prepared record adds (bloc results, jury decisions, VAE
/// decisions, certification decisions), in candidate order; `on_record` are the
/// events already in the ledger (a bloc result already recorded is not repeated).
/// @throws Error when the record has problems
std::vector<ledger::Event> ledger_events(const Record& record, std::span<const ledger::Event> on_record);

/// A jury session that was already sealed and recorded in the ledger.
class AlreadyRecorded : public Error {
  public:
    using Error::Error;
};

/// What seal_session() did.
struct Sealed {
    Record record;                       ///< prepared and sealed
    std::vector<ledger::Event> events{};  ///< the events recorded, in order
    ledger::Recorded recorded{};          ///< the ledger's recording (ids, time)
};

/// Prepares the session against the ledger's events of its candidates, seals it, and
/// records its events in `store` in one transaction, as one jury_session recording
/// labelled with the session id (`source`: the session file's name). A correction
/// session ("corrects") supersedes the corrected session's decisions with correction
/// events instead.
/// @throws NotReady when the record has problems (nothing recorded), AlreadyRecorded when
/// the same session was recorded before, ledger::LedgerError when another content was
/// recorded under the session id
Sealed seal_session(const Session& session, const GradedSession& graded, ledger::Ledger& store,
                    std::string_view source);

/// Canonical JSON of the record (keys sorted, no spaces), without "hash".
std::string canonical_json(const Record& record);
/// Sets record.hash. @throws NotReady when the record has problems
void seal(Record& record);
/// The sealed file: `certigraph/jury-record` JSON, 2-space indent, with its hash.
std::string record_to_json(const Record& record);
/// Reads a sealed file and checks its hash (a record with an empty hash is a draft:
/// read without a check).
/// @throws ParseError (malformed), SealBroken (content edited after sealing)
Record read_record(std::string_view text, std::string_view source = "<record>");

/// A record with problems: it cannot be sealed, and nothing was recorded.
class NotReady : public Error {
  public:
    NotReady(std::string what, std::vector<Problem> problems)
        : Error(std::move(what)), problems_(std::move(problems)) {}
    const std::vector<Problem>& problems() const noexcept { return problems_; }

  private:
    std::vector<Problem> problems_;
};

/// A sealed record whose content no longer matches its hash.
class SealBroken : public Error {
  public:
    using Error::Error;
};

}  // namespace certigraph::jury
