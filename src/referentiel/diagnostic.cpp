#include <certigraph/referentiel/diagnostic.hpp>

#include "core/enum_names.hpp"

#include <array>
#include <ostream>

namespace certigraph {

namespace {

constexpr std::array diagnostic_code_names{
    "empty_code",
    "duplicate_code",
    "dangling_reference",
    "containment_cycle",
    "competency_outside_bloc",
    "criterion_outside_competency",
    "bloc_without_competency",
    "competency_without_criterion",
    "competency_not_evaluated",
    "epreuve_evaluates_nothing",
    "code_parent_mismatch",
    "empty_title",
    "dates_out_of_order",
    "invalid_level",
    "invalid_requirement",
    "option_group_single",
    "criterion_not_evaluated",
};
constexpr std::array severity_names{"warning", "error"};

}  // namespace

std::string_view to_string(DiagnosticCode code) noexcept {
    return detail::name_of(diagnostic_code_names, code);
}
std::string_view to_string(Severity severity) noexcept {
    return detail::name_of(severity_names, severity);
}
std::optional<DiagnosticCode> diagnostic_code_from_string(std::string_view name) noexcept {
    return detail::value_of<DiagnosticCode>(diagnostic_code_names, name);
}

Severity severity_of(DiagnosticCode code) noexcept {
    switch (code) {
        case DiagnosticCode::competency_without_criterion:
        case DiagnosticCode::competency_not_evaluated:
        case DiagnosticCode::epreuve_evaluates_nothing:
        case DiagnosticCode::code_parent_mismatch:
        case DiagnosticCode::option_group_single:
        case DiagnosticCode::criterion_not_evaluated:
            return Severity::warning;
        default:
            return Severity::error;
    }
}

std::ostream& operator<<(std::ostream& os, const Diagnostic& d) {
    os << to_string(d.severity) << ' ' << to_string(d.code) << ' ' << to_string(d.node_kind);
    if (!d.node.empty()) os << ' ' << d.node;
    return os << " (" << d.pointer << "): " << d.message;
}

}  // namespace certigraph
