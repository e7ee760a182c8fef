// The composition check of a jury session: candidate by candidate, the members who
// actually decide (after recusals) and whether they comply (docs/jury.md, "Composition").
#pragma once

#include <certigraph/jury/session.hpp>

#include <string>
#include <vector>

namespace certigraph::jury {

/// One finding of the composition check. Codes are stable (docs/jury.md lists them):
/// JURY-MIN-MEMBERS, JURY-MIN-QUALIFIED, JURY-PROFESSIONAL-SHARE, JURY-GENDER-BALANCE,
/// JURY-PRESIDENT, JURY-RECUSED (informational: a member linked to a candidate).
struct Finding {
    std::string code{};
    bool blocking = true;             ///< false: informational (a recusal that leaves the jury compliant)
    std::string candidate{};          ///< empty: the whole session
    std::vector<std::string> members{};  ///< the members concerned
    std::string rule{};               ///< the rule, with its source (e.g. "D6412-6: at least two members")
    std::string problem{};            ///< what is wrong here
    std::string fix{};                ///< what to do
    bool overridden = false;          ///< covered by the session's override (then not blocking)
    /// The same rule, problem and fix in French, for the procès-verbal.
    std::string rule_fr{}, problem_fr{}, fix_fr{};
    friend bool operator==(const Finding&, const Finding&) = default;
};

/// The jury that decides on one candidate.
struct CandidateJury {
    std::string candidate{};
    std::vector<std::string> deciding{};  ///< present members not recused, in session order
    std::vector<std::string> recused{};   ///< present members recused for this candidate
    std::string president{};              ///< the deciding president, empty if none
    bool compliant = true;                ///< no blocking finding left (after the override)
    friend bool operator==(const CandidateJury&, const CandidateJury&) = default;
};

struct CompositionReport {
    std::vector<Finding> findings{};  ///< session-wide first, then candidate by candidate
    std::vector<CandidateJury> juries{};  ///< one per candidate, in session order
    /// Every candidate's jury complies, or the override covers every blocking finding.
    bool compliant = true;
    /// Override codes that cover no finding (an override must name what it overrides).
    std::vector<std::string> unused_override{};
    friend bool operator==(const CompositionReport&, const CompositionReport&) = default;
};

/// Checks the composition for every candidate with the rules of their route.
CompositionReport check_composition(const Session& session);

}  // namespace certigraph::jury
