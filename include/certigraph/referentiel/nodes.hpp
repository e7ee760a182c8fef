// The value types of a référentiel: a certification version and its blocs,
// activities, competencies, criteria, épreuves and correspondences.
//
// Nodes refer to each other by code (stable external keys such as
// "RNCP40514BC01", "A1C1", "A1E1"); the built Referentiel resolves the codes to
// dense indices.
#pragma once

#include <certigraph/date.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certigraph {

/// The kinds of node of the référentiel graph.
enum class NodeKind : std::uint8_t { certification, bloc, activity, competency, criterion, epreuve };

/// The ways to a certification listed on an RNCP fiche (`SI_JURY_*`).
enum class AccessRoute : std::uint8_t {
    student,                       ///< after training as a pupil or student
    apprenticeship,                ///< contrat d'apprentissage
    continuing_education,          ///< formation continue
    professionalisation_contract,  ///< contrat de professionnalisation
    individual_application,        ///< candidature individuelle
    vae,                           ///< validation des acquis de l'expérience
};

/// The kinds of extra award requirement (beyond the blocs).
enum class RequirementKind : std::uint8_t {
    language,    ///< a language level (e.g. CEFR B1), possibly attested by a third party
    mobility,    ///< international mobility, at least `minimum_weeks` summed over periods
    experience,  ///< work experience, at least `minimum_months` summed (or consecutive)
};

/// How much of a bloc a correspondence grants.
enum class CorrespondenceKind : std::uint8_t { total, partial };

/// Comparison of a candidate attribute in a conditional requirement.
enum class ConditionOperator : std::uint8_t { equals, not_equals };

/// "Applies when the candidate's `attribute` `op` `value`", e.g. nationality != FR.
struct Condition {
    std::string attribute{};
    ConditionOperator op = ConditionOperator::equals;
    std::string value{};
    friend bool operator==(const Condition&, const Condition&) = default;
};

/// An extra condition of award written as data (English B1, mobility, ...).
/// Only the fields of its kind are meaningful; the others keep their defaults.
struct Requirement {
    std::string code{};
    RequirementKind kind = RequirementKind::language;
    std::string title{};
    std::string language{};   ///< language: ISO 639-1 code, e.g. "en"
    std::string framework{};  ///< language: level framework, e.g. "CEFR"
    std::string level{};      ///< language: minimum level in that framework, e.g. "B1"
    bool third_party = false;     ///< language: must be attested by a third party
    double minimum_weeks = 0.0;   ///< mobility
    double minimum_months = 0.0;  ///< experience
    bool consecutive = false;     ///< experience: the months must be consecutive
    std::optional<Condition> applies_when{};  ///< unset: applies to every candidate
    friend bool operator==(const Requirement&, const Requirement&) = default;
};

/// A body that awards the certification (RNCP "certificateur").
struct Certifier {
    std::string name{};
    std::string siret{};
    friend bool operator==(const Certifier&, const Certifier&) = default;
};

/// The dates of an RNCP fiche; each may be unknown.
struct CertificationDates {
    std::optional<Date> publication{};
    std::optional<Date> start_of_paths{};       ///< début des parcours certifiants
    std::optional<Date> end_of_registration{};  ///< date d'échéance de l'enregistrement
    std::optional<Date> last_delivery{};        ///< date de dernière délivrance possible
    friend bool operator==(const CertificationDates&, const CertificationDates&) = default;
};

/// The jury of one access route as an RNCP fiche describes it (`SI_JURY_*/COMPOSITION`).
struct RouteJury {
    AccessRoute route = AccessRoute::student;
    std::string composition{};  ///< free text, e.g. "Jury national unique composé de 7 membres : ..."
    friend bool operator==(const RouteJury&, const RouteJury&) = default;
};

/// One version of a certification, i.e. one RNCP fiche.
struct Certification {
    std::string code{};  ///< e.g. "RNCP40514"
    std::string title{};
    int level = 0;  ///< qualification level 1..8; 0 when unknown
    std::vector<Certifier> certifiers{};
    CertificationDates dates{};
    std::vector<AccessRoute> access_routes{};
    std::vector<RouteJury> route_juries{};  ///< format 2: each open route's jury text, when known
    std::vector<std::string> previous{};  ///< codes of the fiches this one replaces
    std::vector<std::string> next{};      ///< codes of the fiches that replace this one
    std::vector<Requirement> requirements{};
    friend bool operator==(const Certification&, const Certification&) = default;
};

/// A bloc de compétences.
struct Bloc {
    std::string code{};  ///< e.g. "RNCP40514BC01"
    std::string title{};
    std::string description{};
    bool optional = false;     ///< "facultatif": not required for the award
    std::string option_group{};  ///< non-empty: pass one bloc of the blocs sharing this group
    std::string assessment{};    ///< format 2: the fiche's "modalités d'évaluation" text, if any
    friend bool operator==(const Bloc&, const Bloc&) = default;
};

/// An activity of the référentiel d'activités; activities may nest.
struct Activity {
    std::string code{};  ///< e.g. "A1" or "A1.1"
    std::string title{};
    std::string description{};
    std::string bloc{};                       ///< code of its bloc, or empty
    std::string parent{};                     ///< code of the enclosing activity, or empty
    std::vector<std::string> competencies{};  ///< codes of the competencies it calls for
    friend bool operator==(const Activity&, const Activity&) = default;
};

/// A competency; belongs to exactly one bloc.
struct Competency {
    std::string code{};  ///< e.g. "A1C1"
    std::string title{};
    std::string description{};
    std::string bloc{};  ///< code of its bloc
    friend bool operator==(const Competency&, const Competency&) = default;
};

/// An evaluation criterion; belongs to exactly one competency.
struct Criterion {
    std::string code{};  ///< e.g. "A1E1"
    std::string title{};
    std::string description{};
    std::string competency{};  ///< code of its competency
    friend bool operator==(const Criterion&, const Criterion&) = default;
};

/// An épreuve (assessment modality) and what it evaluates.
struct Epreuve {
    std::string code{};  ///< e.g. "EP1"
    std::string title{};
    std::string modality{};                ///< the modality text of the référentiel
    std::vector<std::string> evaluates{};  ///< codes of competencies and/or criteria
    friend bool operator==(const Epreuve&, const Epreuve&) = default;
};

/// Blocs of this certification matched with blocs of another one (N:M).
///
/// Format 2 names the other certification (`fiche`, an RNCP or RS code); then an
/// empty `blocs` means the whole of this certification and an empty `counterparts`
/// the whole of the other one (an RS fiche has no blocs). Without `fiche` (format 1)
/// both lists must be non-empty.
struct Correspondence {
    std::vector<std::string> blocs{};        ///< codes of blocs of this certification
    std::vector<std::string> counterparts{};  ///< codes of the other certification's blocs
    CorrespondenceKind kind = CorrespondenceKind::total;
    std::string note{};
    std::string fiche{};  ///< format 2: code of the other certification, e.g. "RNCP37507", "RS6626"
    friend bool operator==(const Correspondence&, const Correspondence&) = default;
};

/// Stable lower-case names used in every format ("bloc", "vae", "not_equals", ...).
std::string_view to_string(NodeKind kind) noexcept;
std::string_view to_string(AccessRoute route) noexcept;
std::string_view to_string(RequirementKind kind) noexcept;
std::string_view to_string(CorrespondenceKind kind) noexcept;
std::string_view to_string(ConditionOperator op) noexcept;

/// Inverses of to_string; std::nullopt for an unknown name.
std::optional<NodeKind> node_kind_from_string(std::string_view name) noexcept;
std::optional<AccessRoute> access_route_from_string(std::string_view name) noexcept;
std::optional<RequirementKind> requirement_kind_from_string(std::string_view name) noexcept;
std::optional<CorrespondenceKind> correspondence_kind_from_string(std::string_view name) noexcept;
std::optional<ConditionOperator> condition_operator_from_string(std::string_view name) noexcept;

}  // namespace certigraph
