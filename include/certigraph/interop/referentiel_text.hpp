// Import of a référentiel written as the table text of a certification dossier
// (tab-separated rows with HTML fragments), e.g. the published référentiel of
// RNCP40514. Format and rules: docs/interop.md#référentiel-table-text.
#pragma once

#include <certigraph/referentiel/builder.hpp>

#include <filesystem>
#include <string>
#include <string_view>

namespace certigraph::interop {

/// What the table text does not carry.
struct ReferentielTextOptions {
    std::string fiche;  ///< the RNCP code, e.g. "RNCP40514": "BLOC 2" becomes bloc RNCP40514BC02
    std::string title;  ///< the certification's title (optional)
};

/// Reads the table: blocs ("BLOC n" rows and the title row after them), activities
/// (first column), competencies (second), épreuves with what they cover
/// ("Evaluation A1C1 à A1C9 EPREUVE 1 - Title : modality", third) and criteria
/// (fourth); rows whose cells are empty continue the node above. Text is clean:
/// no tags or entities, list items on their own lines.
/// Nothing is checked beyond the table's own shape: call check() or build().
/// @param source name used in errors, e.g. the file name.
/// @throws ParseError naming `source:line:column` and the fix (a cell out of
///         place, an épreuve heading without its number, an unreadable coverage, ...).
ReferentielBuilder parse_referentiel_text(std::string_view text, const ReferentielTextOptions& options,
                                          std::string_view source = "<input>");

/// parse_referentiel_text on a file's content. @throws IoError, ParseError
ReferentielBuilder read_referentiel_text(const std::filesystem::path& path,
                                         const ReferentielTextOptions& options);

/// An HTML fragment as clean text: entities decoded, tags removed, list items
/// ("<li>", or "- " items of a "<ul>") on their own lines, whitespace collapsed.
std::string clean_html_text(std::string_view html);

}  // namespace certigraph::interop
