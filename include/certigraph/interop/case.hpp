// 1EdTech CASE 1.1 (Competencies and Academic Standards Exchange): a référentiel
// as a CFPackage and back (docs/interop.md#case).
#pragma once

#include <certigraph/grading/policy.hpp>
#include <certigraph/referentiel/builder.hpp>
#include <certigraph/referentiel/referentiel.hpp>

#include <string>
#include <string_view>

namespace certigraph::interop {

struct CaseExportOptions {
    /// When set, its scale for each criterion becomes the levels of the CFRubrics
    /// (one rubric per épreuve, one rubric criterion per criterion it evaluates).
    const Policy* policy = nullptr;
    /// URIs are `<base_uri>/CFItems/<identifier>` ...; empty: `urn:uuid:<identifier>`.
    std::string base_uri{};
};

/// The référentiel as a CASE 1.1 CFPackage (JSON, 2-space indent). Identifiers are
/// UUID v5 derived from the codes (case_uuid), every date comes from the
/// référentiel: the same référentiel always gives the same bytes.
/// Blocs, competencies, criteria, activities and épreuves are CFItems with
/// `humanCodingScheme` = code; the tree is `isChildOf` associations with
/// `sequenceNumber`; what épreuves evaluate and activities call for are
/// `isRelatedTo` associations.
std::string referentiel_to_case(const Referentiel& referentiel, const CaseExportOptions& options = {});

struct CaseImportOptions {
    /// The certification's code when the package does not give one (a CFDocument
    /// whose officialSourceURL is not an RNCP page): empty takes the document's
    /// identifier.
    std::string certification_code{};
};

/// Reads a CFPackage (CASE 1.0 or 1.1). Items typed by certigraph's CFItemTypes
/// (Bloc de compétences, Compétence, Critère d'évaluation, Activité, Épreuve) keep
/// their kind; other items take it from their depth under the document: top level
/// = bloc, below = competency, deeper = criterion (of the competency above it);
/// top-level items without children become competencies of one bloc named after
/// the document. Siblings are ordered by sequenceNumber, then file order. Items
/// without humanCodingScheme are coded by their identifier. Unknown keys and
/// association types are ignored (lenient on what real exports omit or add);
/// the structure is checked (strict).
/// @throws ParseError naming `source:line:column` (malformed JSON) or the JSON pointer.
ReferentielBuilder parse_case(std::string_view text, std::string_view source = "<input>",
                              const CaseImportOptions& options = {});

/// The UUID v5 (SHA-1, RFC 4122) of `name` in certigraph's fixed namespace
/// (6ba7b811-9dad-11d1-80b4-00c04fd430c8, the RFC's URL namespace), lower case.
std::string case_uuid(std::string_view name);

}  // namespace certigraph::interop
