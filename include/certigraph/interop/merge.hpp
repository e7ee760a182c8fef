// Merging an RNCP fiche with a curated référentiel (docs/interop.md#merge).
#pragma once

#include <certigraph/referentiel/builder.hpp>
#include <certigraph/referentiel/diagnostic.hpp>
#include <certigraph/referentiel/referentiel.hpp>

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certigraph::interop {

/// What a merge found. The names (to_string) are stable; new codes may be added.
enum class MergeCode : std::uint8_t {
    certification_code_differs,   ///< error: the two files are not the same fiche
    bloc_only_in_fiche,           ///< error: a bloc of the fiche the curated file does not grade
    bloc_only_in_curated,         ///< error: a curated bloc the fiche does not have
    certification_title_differs,  ///< warning: the fiche's title is kept
    level_differs,                ///< warning: the fiche's level is kept
    dates_differ,                 ///< warning: the fiche's dates are kept
    access_routes_differ,         ///< warning: the fiche's routes are kept
    certifiers_differ,            ///< warning: the fiche's certifiers are kept
    links_differ,                 ///< warning: the fiche's previous/next fiches are kept
    correspondences_differ,       ///< warning: the fiche's correspondences are kept
    bloc_title_differs,           ///< warning: the fiche's bloc title is kept
    bloc_status_differs,          ///< warning: optional / option group: the fiche's are kept
    bloc_order_differs,           ///< warning: the fiche's bloc order is kept
    fiche_content_ignored,        ///< warning: the fiche has competencies, criteria or épreuves; the curated ones are used
};

struct MergeDiagnostic {
    MergeCode code;
    Severity severity;
    NodeKind node_kind;
    std::string node;     ///< the code concerned (certification or bloc)
    std::string message;  ///< both values and what was kept, or the fix
    friend bool operator==(const MergeDiagnostic&, const MergeDiagnostic&) = default;
};

std::string_view to_string(MergeCode code) noexcept;
Severity severity_of(MergeCode code) noexcept;
/// `warning bloc_title_differs bloc RNCP40514BC01: message`.
std::ostream& operator<<(std::ostream& os, const MergeDiagnostic& diagnostic);

struct MergeResult {
    /// Unset when a diagnostic is an error.
    std::optional<Referentiel> referentiel;
    std::vector<MergeDiagnostic> diagnostics;
};

/// Blocs, dates, routes, certifiers, previous/next links and correspondences from
/// the fiche; activities, competencies, criteria, épreuves and award requirements
/// from the curated référentiel (the fiche's requirements when the curated one has
/// none). Every difference between the two is a diagnostic, in a fixed order.
/// @throws InvalidReferentiel if the merged référentiel does not pass the check.
MergeResult merge(const Referentiel& fiche, const Referentiel& curated);

/// The same for a fiche that is not checked: an RNCP fiche alone has blocs without
/// competencies (they come from the curated référentiel), so it does not build.
MergeResult merge(const ReferentielBuilder& fiche, const Referentiel& curated);

}  // namespace certigraph::interop
