// A jury session file (docs/jury.md, schema docs/schemas/jury-session.schema.json):
// who sits, whom they decide on, with which grading inputs, and what they decided.
#pragma once

#include <certigraph/date.hpp>
#include <certigraph/ledger/event.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certigraph::jury {

/// The `format_version` of `certigraph/jury-session` this library writes and reads.
inline constexpr int session_format_version = 1;

/// A member's part in the jury.
enum class Role : std::uint8_t { president, professional, trainer, academic, other };

/// As declared by the member: used only for the gender-balance rule.
enum class Gender : std::uint8_t { female, male, unspecified };

/// How a member is linked to a candidate (past or present).
enum class LinkKind : std::uint8_t { trainer_of, accompanist_of, employer_of, colleague_of, relative_of };

struct Link {
    std::string candidate{};
    LinkKind kind = LinkKind::trainer_of;
    friend bool operator==(const Link&, const Link&) = default;
};

/// One member of the jury.
struct Member {
    std::string id{};
    std::string name{};
    Role role = Role::professional;
    /// Counts as a professional of the trade (default: role == professional; a
    /// president may be one).
    bool professional = false;
    Gender gender = Gender::unspecified;
    bool qualified = false;  ///< holds, or is qualified for, this certification
    bool present = true;
    std::vector<Link> links{};
    friend bool operator==(const Member&, const Member&) = default;
};

/// One candidate before the jury. `route` is exam (graded by the session's
/// evaluations) or vae (the jury decides each bloc on the dossier).
struct Candidate {
    std::string id{};
    std::string name{};  ///< optional, printed on the procès-verbal
    ledger::Route route = ledger::Route::exam;
    std::string prescriptions{};  ///< VAE: what remains to be assessed, free text
    friend bool operator==(const Candidate&, const Candidate&) = default;
};

/// The composition rules for candidates of one route (docs/jury.md, "Composition").
struct CompositionPolicy {
    int min_members = 2;               ///< deciding members, after recusals
    int min_qualified = 1;             ///< of whom qualified for the certification
    double min_professional_share = 0.0;  ///< e.g. 0.5: at least half professionals
    /// Gender balance: |women - men| among the deciding members at most this; negative: no rule.
    int max_gender_gap = -1;
    bool president_required = true;    ///< a present, non-recused president
    std::vector<LinkKind> recusing_links{};  ///< a member with such a link to a candidate is recused for them
    friend bool operator==(const CompositionPolicy&, const CompositionPolicy&) = default;
};

/// The defaults: vae follows Code du travail D6412-6 (2 members, 1 qualified, no link of
/// any kind, balanced genders, a president with casting vote); exam follows the common
/// school rules (no trainer of the candidate, at least half professionals, a president).
CompositionPolicy default_policy(ledger::Route route);

/// An override of composition findings, recorded with the session.
struct Override {
    std::vector<std::string> findings{};  ///< the finding codes it covers, e.g. "JURY-GENDER-BALANCE"
    std::string reason{};
    std::string by{};  ///< member id, usually the president
    friend bool operator==(const Override&, const Override&) = default;
};

/// The votes on one decision. On a tie the president's casting vote decides.
struct Votes {
    int validate = 0, refuse = 0, abstain = 0;
    std::optional<bool> casting_vote{};  ///< true: validate; mandatory on a tie, refused otherwise
    friend bool operator==(const Votes&, const Votes&) = default;
};

/// What the jury decides on one bloc of one candidate.
enum class Verdict : std::uint8_t {
    confirm,   ///< the computed result stands (exam route; not for an incomplete result)
    validate,  ///< the bloc is validated (against the computed result: reason mandatory)
    refuse,    ///< the bloc is refused (against the computed result: reason mandatory)
};

struct BlocDecision {
    std::string candidate{};
    std::string bloc{};  ///< bloc code
    Verdict verdict = Verdict::confirm;
    std::string reason{};
    std::optional<Votes> votes{};  ///< absent: by consensus
    friend bool operator==(const BlocDecision&, const BlocDecision&) = default;
};

/// The jury withholds the certification from an eligible candidate (reason mandatory).
/// Without one, the certification decision follows eligibility.
struct Withholding {
    std::string candidate{};
    std::string reason{};
    friend bool operator==(const Withholding&, const Withholding&) = default;
};

/// Where the exam candidates' computed results come from: paths relative to the
/// session file, and the exam session id of the evaluations.
struct GradingInputs {
    std::string referentiel{}, policy{}, evaluations{};
    std::string exam_session{};
    friend bool operator==(const GradingInputs&, const GradingInputs&) = default;
};

/// A session that corrects an earlier, sealed one (its decisions supersede that
/// session's events in the ledger).
struct Corrects {
    std::string session{};
    std::string reason{};
    friend bool operator==(const Corrects&, const Corrects&) = default;
};

/// A jury session file.
struct Session {
    ledger::ReferentielVersion referentiel{};  ///< fiche and content hash it rests on
    std::string id{};                          ///< the jury session id, e.g. "JURY-2026-06"
    Date date{1970, 1, 1};
    std::string place{};
    std::vector<std::string> epreuves{};  ///< épreuve codes the session covers
    std::optional<GradingInputs> grading{};  ///< mandatory when an exam candidate sits
    /// Composition rules by route; a route absent here gets default_policy().
    std::vector<std::pair<ledger::Route, CompositionPolicy>> composition{};
    std::vector<Member> members{};
    std::vector<Candidate> candidates{};
    std::optional<Override> override_findings{};
    std::vector<BlocDecision> decisions{};
    std::vector<Withholding> withheld{};
    std::optional<Corrects> corrects{};
    friend bool operator==(const Session&, const Session&) = default;

    /// The composition rules for a route (the file's, or the default).
    CompositionPolicy policy_for(ledger::Route route) const;
    const Member* member(std::string_view id) const;
    const Candidate* candidate(std::string_view id) const;
};

/// Reads a session file strictly (unknown keys, wrong types, duplicate ids, links to
/// unknown candidates, decisions for unknown candidates are refused).
/// @throws ParseError naming `source` and the JSON pointer, with the fix
Session read_session(std::string_view text, std::string_view source = "<session>");

/// The session as JSON (2-space indent, schema key order); read_session gives it back.
std::string session_to_json(const Session& session);

/// Stable lower-case names, as in the file.
std::string_view to_string(Role role) noexcept;
std::string_view to_string(Gender gender) noexcept;
std::string_view to_string(LinkKind kind) noexcept;
std::string_view to_string(Verdict verdict) noexcept;

}  // namespace certigraph::jury
