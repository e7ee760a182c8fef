// France compétences' RNCP export: the XML flux v4.1 (streamed) and the CSV
// export (10 `;`-separated files, zipped or extracted). Field map and rules:
// docs/interop.md#rncp-export.
#pragma once

#include <certigraph/date.hpp>
#include <certigraph/referentiel/builder.hpp>
#include <certigraph/referentiel/nodes.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certigraph::interop::rncp {

/// One `SI_JURY_*` element: a way to the certification and its jury.
struct Route {
    AccessRoute route = AccessRoute::student;
    bool active = false;        ///< `ACTIF` is `Oui`
    std::string composition{};  ///< `COMPOSITION`, clean text
    friend bool operator==(const Route&, const Route&) = default;
};

/// One `BLOC_COMPETENCES` of a fiche.
struct FicheBloc {
    std::string code{};          ///< e.g. "RNCP36490BC01"
    std::string title{};         ///< `LIBELLE`
    std::string competencies{};  ///< `LISTE_COMPETENCES`, clean text
    std::string assessment{};    ///< `MODALITES_EVALUATION`, clean text
    bool optional = false;       ///< "facultatif" in the title
    std::string option_group{};  ///< "option" when the title names an option
    friend bool operator==(const FicheBloc&, const FicheBloc&) = default;
};

/// One `CORRESPONDANCE`: blocs of this fiche (none: the whole certification)
/// toward another fiche's blocs (none: the whole other certification, e.g. an RS fiche).
struct FicheCorrespondence {
    std::vector<std::string> blocs{};
    std::string fiche{};
    std::vector<std::string> counterparts{};
    friend bool operator==(const FicheCorrespondence&, const FicheCorrespondence&) = default;
};

/// One `FICHE` of the export; every field but `code` may be missing.
struct Fiche {
    std::string id{};            ///< `ID_FICHE`
    std::string code{};          ///< `NUMERO_FICHE`, e.g. "RNCP36490"
    std::string title{};         ///< `INTITULE`
    std::string level_code{};    ///< `NOMENCLATURE_EUROPE/NIVEAU`, e.g. "NIV6"
    int level = 0;               ///< 6 for NIV6; 0 when absent or not NIV1..NIV8
    std::string state{};         ///< `ETAT_FICHE`, e.g. "Publiée"
    std::optional<bool> active{};  ///< `ACTIF`
    std::vector<Certifier> certifiers{};
    std::optional<Date> end_of_registration{};  ///< `DATE_FIN_ENREGISTREMENT`
    std::optional<Date> last_delivery{};        ///< `DATE_LIMITE_DELIVRANCE`
    std::optional<Date> effect{};               ///< `DATE_EFFET`
    std::optional<Date> decision{};             ///< `DATE_DECISION`
    std::optional<Date> publication{};          ///< `DATE_DE_PUBLICATION`
    std::vector<Route> routes{};                ///< every `SI_JURY_*` present, in FI CA FC CQ CL VAE order
    std::vector<std::string> previous{};        ///< `ANCIENNES_CERTIFICATIONS`
    std::vector<std::string> next{};            ///< `NOUVELLES_CERTIFICATIONS`
    std::vector<FicheBloc> blocs{};
    std::vector<FicheCorrespondence> correspondences{};
    std::size_t line = 0;  ///< line of the `<FICHE>` tag (XML), 0 otherwise
    friend bool operator==(const Fiche&, const Fiche&) = default;
};

/// Called with each fiche in file order; return false to stop reading.
using FicheHandler = std::function<bool(Fiche&&)>;
/// Called now and then with (bytes read, total bytes or 0 when unknown).
using Progress = std::function<void(std::uint64_t, std::uint64_t)>;

/// Streams an XML export (flux v4.1) with expat: memory does not grow with the
/// file. Elements may come in any order; unknown ones are skipped.
/// @throws ParseError naming `source:line:column` (malformed XML, a FICHE without
///         NUMERO_FICHE, a date that is not JJ/MM/AAAA, a flag that is not Oui/Non)
///         and the element path.
void read_xml(std::istream& in, const FicheHandler& on_fiche, std::string_view source = "<input>",
              const Progress& progress = {}, std::uint64_t total = 0);

/// read_xml on a `.xml` file or on the XML inside a `.zip` (the first `*.xml` entry).
/// @throws IoError, ParseError
void read_xml_file(const std::filesystem::path& path, const FicheHandler& on_fiche,
                   const Progress& progress = {});

/// Reads a CSV export: the folder of the extracted files or the `.zip`. Only the
/// parts that describe the fiche itself are used (Standard, Blocs_De_Compétences,
/// Ancienne_Nouvelle_Certification, VoixdAccès, Certificateurs); the others are
/// checked to be there. Fiches come in the Standard file's order.
/// @throws IoError, ParseError naming `file:line:column` and the column
std::vector<Fiche> read_csv_export(const std::filesystem::path& path);

/// True for a CSV export: a folder, or a zip without an `.xml` entry.
bool is_csv_export(const std::filesystem::path& path);

/// The fiche `code` of an export, whichever kind `path` is (`.xml`, a `.zip` holding
/// XML or CSV, a folder of CSV); std::nullopt if it is not there.
std::optional<Fiche> find_fiche(const std::filesystem::path& path, std::string_view code,
                                const Progress& progress = {});

/// A référentiel builder holding what a fiche says: the certification (code,
/// title, level, certifiers, dates, open routes and their juries, previous/next),
/// its blocs (competency list as description, modalities as assessment, optional
/// and option blocs) and its correspondences (format 2). No competency, criterion
/// or épreuve: they come from a curated référentiel.
ReferentielBuilder to_builder(const Fiche& fiche);

/// The two-letter `SI_JURY_` code of a route: "FI", "CA", "FC", "CQ", "CL", "VAE".
std::string_view jury_code(AccessRoute route) noexcept;

}  // namespace certigraph::interop::rncp
