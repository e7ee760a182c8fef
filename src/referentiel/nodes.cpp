#include <certigraph/referentiel/nodes.hpp>

#include "core/enum_names.hpp"

#include <array>

namespace certigraph {

using detail::name_of;
using detail::value_of;

namespace {

// One table per enum: the stable names used by every format, in enum order.
constexpr std::array node_kind_names{"certification", "bloc",      "activity",
                                     "competency",    "criterion", "epreuve"};
constexpr std::array access_route_names{"student",
                                        "apprenticeship",
                                        "continuing_education",
                                        "professionalisation_contract",
                                        "individual_application",
                                        "vae"};
constexpr std::array requirement_kind_names{"language", "mobility", "experience"};
constexpr std::array correspondence_kind_names{"total", "partial"};
constexpr std::array condition_operator_names{"equals", "not_equals"};

}  // namespace

std::string_view to_string(NodeKind kind) noexcept { return name_of(node_kind_names, kind); }
std::string_view to_string(AccessRoute route) noexcept {
    return name_of(access_route_names, route);
}
std::string_view to_string(RequirementKind kind) noexcept {
    return name_of(requirement_kind_names, kind);
}
std::string_view to_string(CorrespondenceKind kind) noexcept {
    return name_of(correspondence_kind_names, kind);
}
std::string_view to_string(ConditionOperator op) noexcept {
    return name_of(condition_operator_names, op);
}

std::optional<NodeKind> node_kind_from_string(std::string_view name) noexcept {
    return value_of<NodeKind>(node_kind_names, name);
}
std::optional<AccessRoute> access_route_from_string(std::string_view name) noexcept {
    return value_of<AccessRoute>(access_route_names, name);
}
std::optional<RequirementKind> requirement_kind_from_string(std::string_view name) noexcept {
    return value_of<RequirementKind>(requirement_kind_names, name);
}
std::optional<CorrespondenceKind> correspondence_kind_from_string(
    std::string_view name) noexcept {
    return value_of<CorrespondenceKind>(correspondence_kind_names, name);
}
std::optional<ConditionOperator> condition_operator_from_string(
    std::string_view name) noexcept {
    return value_of<ConditionOperator>(condition_operator_names, name);
}

}  // namespace certigraph
