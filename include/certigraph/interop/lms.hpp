// Learning-management systems: Moodle's competency framework CSV (tool_lpimportcsv)
// and Canvas' outcomes CSV, export and import (docs/interop.md).
#pragma once

#include <certigraph/grading/policy.hpp>
#include <certigraph/referentiel/builder.hpp>
#include <certigraph/referentiel/referentiel.hpp>

#include <string>
#include <string_view>

namespace certigraph::interop {

/// The 14 columns of Moodle's tool_lpimportcsv, in Moodle's order.
inline constexpr std::string_view moodle_columns[14] = {
    "Parent id number", "Id number", "Shortname", "Description", "Description format",
    "Scale values", "Scale configuration", "Rule type (optional)", "Rule outcome (optional)",
    "Rule config (optional)", "Cross referenced competency id numbers", "Exported id (optional)",
    "Is framework", "Taxonomy"};

/// The référentiel as a Moodle competency framework CSV: one framework row (the
/// certification), then the blocs, each followed by its competencies, each
/// followed by its criteria (parents before children). Id numbers are the codes;
/// shortnames the titles cut to Moodle's 100 characters; the description holds
/// the full title and the description as HTML paragraphs. With a policy, the
/// framework's scale is the policy's default scale (binary otherwise) and each
/// bloc and competency rule becomes Moodle's rule where it can: `all` ->
/// core_competency\competency_rule_all, `points` with whole points and
/// `at_least` -> core_competency\competency_rule_points (config keyed by the
/// rows' exported ids); other rules are left out.
std::string referentiel_to_moodle_csv(const Referentiel& referentiel, const Policy* policy = nullptr);

/// Reads a Moodle competency framework CSV (header row, comma-separated): the
/// framework row is the certification, top-level competencies are blocs, their
/// children competencies and every deeper level criteria of the competency above.
/// @throws ParseError naming `source:line:column`: malformed CSV, a missing
///         column, no or two framework rows, an unknown or repeated id number, a
///         parent named after its child, a cycle.
ReferentielBuilder parse_moodle_csv(std::string_view text, std::string_view source = "<input>");

/// The référentiel as a Canvas outcomes CSV: groups (the certification, its
/// blocs, the competencies that have criteria) before outcomes (criteria, and
/// competencies without criteria). vendor_guid is `<fiche>` for the root group and
/// `<fiche>/<code>` below; display_name is the code. With a policy, each outcome's
/// ratings come from its scale (points strictly decreasing integers, descriptions
/// the scale's labels) and mastery_points from its threshold.
/// @throws Error if a code holds a space (Canvas refuses it in vendor_guid) or a
///         numeric scale has non-integer bounds or pass mark.
std::string referentiel_to_canvas_csv(const Referentiel& referentiel, const Policy* policy = nullptr);

struct CanvasImportOptions {
    /// Code of the certification when the file has several top-level groups (no
    /// root group naming it).
    std::string certification_code{};
};

/// Reads a Canvas outcomes CSV. One top-level group is the certification; the
/// groups below are blocs, groups below blocs competencies; outcomes under a bloc
/// are competencies, outcomes under a competency criteria. Ratings must be
/// points/description pairs in strictly decreasing points.
/// @throws ParseError naming `source:line:column`.
ReferentielBuilder parse_canvas_csv(std::string_view text, std::string_view source = "<input>",
                                    const CanvasImportOptions& options = {});

}  // namespace certigraph::interop
