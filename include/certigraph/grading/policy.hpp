// A grading policy: scales, juror aggregation and the rules that turn criteria
// into competencies and competencies into blocs, in one vocabulary.
#pragma once

#include <certigraph/grading/scale.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certigraph {

/// How the jurors' values of one criterion become one value.
enum class Aggregation : std::uint8_t {
    mean,       ///< arithmetic mean of the values given
    median,     ///< median (mean of the two middle values for an even count)
    min,        ///< the lowest value (the severest juror)
    majority,   ///< the most frequent value; a tie takes the lowest tied value
    president,  ///< the most frequent value; a tie takes the president's value
    collegial,  ///< one consensus mark: the jurors' values must all be equal
};

/// The rule kinds, the same at every level (criteria -> competency, -> bloc).
enum class RuleKind : std::uint8_t {
    all,            ///< every child met
    at_least,       ///< at least k children met
    points,         ///< required children met and points of met children >= minimum
    weighted_mean,  ///< weighted mean of children's values >= threshold, none below floor
};

/// One rule. Children are a competency's criteria, or a bloc's competencies (or,
/// with over_criteria, the bloc's criteria directly). Weights and points are keyed
/// by child code; a child not listed has weight 1 and 1 point.
struct Rule {
    RuleKind kind = RuleKind::all;
    unsigned k = 0;                        ///< at_least
    std::map<std::string, double> points{};  ///< points: per child
    std::vector<std::string> required{};     ///< points: children that must be met
    double minimum = 0.0;                    ///< points: minimum total
    std::map<std::string, double> weights{};  ///< weighted_mean: per child
    double threshold = 0.0;                   ///< weighted_mean
    std::optional<double> floor{};            ///< weighted_mean: eliminatory floor
    bool over_criteria = false;               ///< bloc rules only: children are the criteria
    friend bool operator==(const Rule&, const Rule&) = default;
};

/// The whole policy, as written in certigraph's policy JSON (docs/grading.md).
/// Overrides are keyed by node code; the most specific one applies.
struct Policy {
    std::string referentiel;  ///< the fiche code it is written for, e.g. "RNCP40514"
    std::map<std::string, Scale> scales{};
    std::string default_scale{};
    /// criterion or épreuve code -> scale name (a criterion's own entry wins)
    std::map<std::string, std::string> scale_of{};
    /// criterion, competency, bloc or épreuve code -> pass threshold replacing the
    /// scale's for the criteria under it (the most specific wins)
    std::map<std::string, double> thresholds{};
    Aggregation aggregation = Aggregation::mean;
    std::map<std::string, Aggregation> aggregation_of{};  ///< criterion or épreuve code
    unsigned min_jurors = 1;     ///< fewer values than this: the criterion is incomplete
    std::string president{};     ///< juror id of the president (casting vote); empty: slot 0
    Rule competency_rule{};
    std::map<std::string, Rule> competency_rules{};  ///< competency code -> rule
    Rule bloc_rule{};
    std::map<std::string, Rule> bloc_rules{};  ///< bloc code -> rule
    /// Blocs whose rules may compensate (points, weighted_mean). Compensation never
    /// crosses blocs: a bloc rule only sees that bloc's children.
    std::vector<std::string> compensation{};

    friend bool operator==(const Policy&, const Policy&) = default;
};

std::string_view to_string(Aggregation a) noexcept;
std::string_view to_string(RuleKind k) noexcept;
std::optional<Aggregation> aggregation_from_string(std::string_view name) noexcept;
std::optional<RuleKind> rule_kind_from_string(std::string_view name) noexcept;

namespace io {

inline constexpr int policy_json_version = 1;

/// Reads certigraph's policy JSON.
/// @throws ParseError naming `source:line:column` or the JSON pointer.
Policy policy_from_json(std::string_view text, std::string_view source = "<input>");
/// @throws IoError, ParseError
Policy load_policy(const std::string& path);
/// Canonical JSON; a round trip gives an equal policy.
std::string policy_to_json(const Policy& policy);

}  // namespace io

}  // namespace certigraph
