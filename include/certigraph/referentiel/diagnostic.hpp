// Findings of the référentiel integrity check.
#pragma once

#include <certigraph/referentiel/nodes.hpp>

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

namespace certigraph {

enum class Severity : std::uint8_t { warning, error };

/// What the check found. The names (to_string) are stable and documented in
/// docs/referentiel.md; new codes may be added, existing ones never change meaning.
enum class DiagnosticCode : std::uint8_t {
    empty_code,                    ///< error: a node without a code
    duplicate_code,                ///< error: two nodes (of any kind) share a code
    dangling_reference,            ///< error: a code that names no node of the expected kind
    containment_cycle,             ///< error: a node contains itself (activity parents)
    competency_outside_bloc,       ///< error: a competency without a bloc
    criterion_outside_competency,  ///< error: a criterion without a competency
    bloc_without_competency,       ///< error: a bloc that nothing could validate
    competency_without_criterion,  ///< warning: nothing to grade it on
    competency_not_evaluated,      ///< warning: no épreuve evaluates it or its criteria
    epreuve_evaluates_nothing,     ///< warning: an épreuve with an empty `evaluates`
    code_parent_mismatch,          ///< warning: A2C3 under bloc 1, A1E2 under A2C2, ...
    empty_title,                   ///< error: a node without a title
    dates_out_of_order,            ///< error: dates not in the order publication <= start of
                                   ///< paths <= end of registration <= last delivery
    invalid_level,                 ///< error: a qualification level outside 1..8
    invalid_requirement,           ///< error: a requirement missing what its kind needs
    option_group_single,           ///< warning: an option group with one bloc gives no choice
    criterion_not_evaluated,       ///< warning: épreuves cover its competency through other
                                   ///< criteria, but none evaluates this one
};

/// One finding: stable code, severity, the node concerned and a message with the fix.
struct Diagnostic {
    DiagnosticCode code;
    Severity severity;
    NodeKind node_kind;
    std::size_t position = 0;  ///< the node's position among its kind, in declaration order
    std::string node;          ///< the node's code (may be empty for empty_code)
    std::string pointer;       ///< where it is in the référentiel JSON, e.g. "/competencies/4/bloc"
    std::string message;       ///< what is wrong and how to fix it

    friend bool operator==(const Diagnostic&, const Diagnostic&) = default;
};

std::string_view to_string(DiagnosticCode code) noexcept;
std::string_view to_string(Severity severity) noexcept;
std::optional<DiagnosticCode> diagnostic_code_from_string(std::string_view name) noexcept;

/// The severity a code is always reported with.
Severity severity_of(DiagnosticCode code) noexcept;

/// One line: `error dangling_reference competency A2C3 (/competencies/12/bloc): message`.
std::ostream& operator<<(std::ostream& os, const Diagnostic& diagnostic);

}  // namespace certigraph
