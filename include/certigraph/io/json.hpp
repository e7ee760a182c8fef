// certigraph's référentiel JSON format (docs/formats.md, schema in
// docs/schemas/referentiel.schema.json).
#pragma once

#include <certigraph/referentiel/builder.hpp>
#include <certigraph/referentiel/referentiel.hpp>

#include <string>
#include <string_view>

namespace certigraph::io {

/// The `format_version` this library writes; it reads every version up to it.
/// Version 2 adds `fiche` to correspondences (toward blocs of another fiche, an RS
/// fiche without blocs, or a whole certification), `route_juries` to the
/// certification and `assessment` to blocs. The writer writes version 1 when the
/// content uses none of these, so older files keep their bytes.
inline constexpr int referentiel_json_version = 2;

/// Parses référentiel JSON into a builder, without the integrity check (call
/// check() or build() on the result).
/// @param source name used in error messages, e.g. the file name.
/// @throws ParseError naming `source:line:column` for malformed JSON, and the JSON
///         pointer for a missing field, a wrong type, an unknown key or enum value.
ReferentielBuilder parse_referentiel_json(std::string_view text,
                                          std::string_view source = "<input>");

/// parse_referentiel_json(...).build().
/// @throws ParseError, InvalidReferentiel
Referentiel referentiel_from_json(std::string_view text, std::string_view source = "<input>");

/// Canonical JSON (2-space indent, keys in schema order, defaults omitted); a
/// round trip through referentiel_from_json gives an equal référentiel.
std::string referentiel_to_json(const Referentiel& referentiel);

/// The same JSON for content that was not checked (e.g. an RNCP fiche imported
/// with its blocs but no competencies yet, which build() would refuse).
std::string referentiel_to_json(const ReferentielBuilder& builder);

}  // namespace certigraph::io
