#include <certigraph/grading/grader.hpp>
#include <certigraph/grading/policy.hpp>

#include "core/enum_names.hpp"

#include <array>

namespace certigraph {

namespace {
constexpr std::array aggregation_names{"mean", "median", "min", "majority", "president", "collegial"};
constexpr std::array rule_kind_names{"all", "at_least", "points", "weighted_mean"};
constexpr std::array status_names{"incomplete", "validated", "not_validated", "exempt"};
}  // namespace

std::string_view to_string(Aggregation a) noexcept { return detail::name_of(aggregation_names, a); }
std::string_view to_string(RuleKind k) noexcept { return detail::name_of(rule_kind_names, k); }
std::string_view to_string(Status s) noexcept { return detail::name_of(status_names, s); }
std::optional<Aggregation> aggregation_from_string(std::string_view name) noexcept {
    return detail::value_of<Aggregation>(aggregation_names, name);
}
std::optional<RuleKind> rule_kind_from_string(std::string_view name) noexcept {
    return detail::value_of<RuleKind>(rule_kind_names, name);
}

}  // namespace certigraph
