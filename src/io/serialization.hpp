// Private: Boost.Serialization of a référentiel's content, one versioned
// `serialize` per type. Each type's BOOST_CLASS_VERSION is written into the
// archive; a reader meets an older version through the `version` argument and
// must keep an explicit read path for every version ever released (golden
// archives in tests/data/archives/ keep those paths honest). Boost itself reads
// a higher version than it knows without complaint, so every serialize() starts
// with require_known_version(), which refuses archives of a newer certigraph.
#pragma once

#include <certigraph/error.hpp>
#include <certigraph/io/archive.hpp>

#include "referentiel/content.hpp"

#include <boost/serialization/nvp.hpp>
#include <boost/serialization/split_free.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/tracking.hpp>
#include <boost/serialization/vector.hpp>
#include <boost/serialization/version.hpp>

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>

namespace certigraph::detail {

/// The root object of a référentiel archive.
struct Snapshot {
    Content content;
};

/// The root object of a results archive: the result and its labels.
struct ResultsSnapshot {
    GradeResult result;
    std::vector<std::string> candidates, sessions, blocs, competencies, criteria;
};

}  // namespace certigraph::detail

namespace certigraph::detail {

/// Boost reads a class saved with a higher version than the program knows
/// without complaint; refuse it here, before reading fields that may have moved.
template <class T>
void require_known_version(unsigned version, const char* name) {
    constexpr unsigned known = boost::serialization::version<T>::value;
    if (version > known)
        throw SerializationError(std::string("archive written by a newer certigraph: ") + name +
                                 " has class version " + std::to_string(version) +
                                 ", this certigraph reads up to " + std::to_string(known) +
                                 "; upgrade certigraph");
}

}  // namespace certigraph::detail

namespace boost::serialization {

using boost::serialization::make_nvp;
using certigraph::detail::require_known_version;

// std::optional<Date> is stored as a flag and, when set, the ISO date text.
template <class Archive>
void save(Archive& ar, const std::optional<certigraph::Date>& date, unsigned) {
    const bool present = date.has_value();
    ar << make_nvp("present", present);
    if (present) {
        const std::string text = date->to_string();
        ar << make_nvp("date", text);
    }
}
template <class Archive>
void load(Archive& ar, std::optional<certigraph::Date>& date, unsigned) {
    bool present = false;
    ar >> make_nvp("present", present);
    date.reset();
    if (!present) return;
    std::string text;
    ar >> make_nvp("date", text);
    date = certigraph::Date::parse(text);
    if (!date) throw std::runtime_error("archive holds an invalid date '" + text + "'");
}
template <class Archive>
void serialize(Archive& ar, std::optional<certigraph::Date>& date, unsigned version) {
    split_free(ar, date, version);
}

template <class Archive>
void save(Archive& ar, const std::optional<certigraph::Condition>& condition, unsigned) {
    const bool present = condition.has_value();
    ar << make_nvp("present", present);
    if (present) ar << make_nvp("condition", *condition);
}
template <class Archive>
void load(Archive& ar, std::optional<certigraph::Condition>& condition, unsigned) {
    bool present = false;
    ar >> make_nvp("present", present);
    condition.reset();
    if (!present) return;
    certigraph::Condition value;
    ar >> make_nvp("condition", value);
    condition = std::move(value);
}
template <class Archive>
void serialize(Archive& ar, std::optional<certigraph::Condition>& condition, unsigned version) {
    split_free(ar, condition, version);
}

template <class Archive>
void serialize(Archive& ar, certigraph::Condition& c, unsigned version) {
    require_known_version<certigraph::Condition>(version, "Condition");
    ar& make_nvp("attribute", c.attribute) & make_nvp("op", c.op) & make_nvp("value", c.value);
}

template <class Archive>
void serialize(Archive& ar, certigraph::Requirement& r, unsigned version) {
    require_known_version<certigraph::Requirement>(version, "Requirement");
    ar& make_nvp("code", r.code) & make_nvp("kind", r.kind) & make_nvp("title", r.title) &
        make_nvp("language", r.language) & make_nvp("framework", r.framework) &
        make_nvp("level", r.level) & make_nvp("third_party", r.third_party) &
        make_nvp("minimum_weeks", r.minimum_weeks) & make_nvp("minimum_months", r.minimum_months) &
        make_nvp("consecutive", r.consecutive) & make_nvp("applies_when", r.applies_when);
}

template <class Archive>
void serialize(Archive& ar, certigraph::Certifier& c, unsigned version) {
    require_known_version<certigraph::Certifier>(version, "Certifier");
    ar& make_nvp("name", c.name) & make_nvp("siret", c.siret);
}

template <class Archive>
void serialize(Archive& ar, certigraph::CertificationDates& d, unsigned version) {
    require_known_version<certigraph::CertificationDates>(version, "CertificationDates");
    ar& make_nvp("publication", d.publication) & make_nvp("start_of_paths", d.start_of_paths) &
        make_nvp("end_of_registration", d.end_of_registration) &
        make_nvp("last_delivery", d.last_delivery);
}

template <class Archive>
void serialize(Archive& ar, certigraph::Certification& c, unsigned version) {
    require_known_version<certigraph::Certification>(version, "Certification");
    ar& make_nvp("code", c.code) & make_nvp("title", c.title) & make_nvp("level", c.level) &
        make_nvp("certifiers", c.certifiers) & make_nvp("dates", c.dates) &
        make_nvp("access_routes", c.access_routes) & make_nvp("previous", c.previous) &
        make_nvp("next", c.next) & make_nvp("requirements", c.requirements);
    if (version >= 2) ar& make_nvp("route_juries", c.route_juries);
}

template <class Archive>
void serialize(Archive& ar, certigraph::RouteJury& j, unsigned version) {
    require_known_version<certigraph::RouteJury>(version, "RouteJury");
    ar& make_nvp("route", j.route) & make_nvp("composition", j.composition);
}

template <class Archive>
void serialize(Archive& ar, certigraph::Bloc& b, unsigned version) {
    require_known_version<certigraph::Bloc>(version, "Bloc");
    ar& make_nvp("code", b.code) & make_nvp("title", b.title) &
        make_nvp("description", b.description) & make_nvp("optional", b.optional) &
        make_nvp("option_group", b.option_group);
    if (version >= 2) ar& make_nvp("assessment", b.assessment);
}

template <class Archive>
void serialize(Archive& ar, certigraph::Activity& a, unsigned version) {
    require_known_version<certigraph::Activity>(version, "Activity");
    ar& make_nvp("code", a.code) & make_nvp("title", a.title) &
        make_nvp("description", a.description) & make_nvp("bloc", a.bloc) &
        make_nvp("parent", a.parent) & make_nvp("competencies", a.competencies);
}

template <class Archive>
void serialize(Archive& ar, certigraph::Competency& c, unsigned version) {
    require_known_version<certigraph::Competency>(version, "Competency");
    ar& make_nvp("code", c.code) & make_nvp("title", c.title) &
        make_nvp("description", c.description) & make_nvp("bloc", c.bloc);
}

template <class Archive>
void serialize(Archive& ar, certigraph::Criterion& c, unsigned version) {
    require_known_version<certigraph::Criterion>(version, "Criterion");
    ar& make_nvp("code", c.code) & make_nvp("title", c.title) &
        make_nvp("description", c.description) & make_nvp("competency", c.competency);
}

template <class Archive>
void serialize(Archive& ar, certigraph::Epreuve& e, unsigned version) {
    require_known_version<certigraph::Epreuve>(version, "Epreuve");
    ar& make_nvp("code", e.code) & make_nvp("title", e.title) & make_nvp("modality", e.modality) &
        make_nvp("evaluates", e.evaluates);
}

template <class Archive>
void serialize(Archive& ar, certigraph::Correspondence& k, unsigned version) {
    require_known_version<certigraph::Correspondence>(version, "Correspondence");
    ar& make_nvp("blocs", k.blocs) & make_nvp("counterparts", k.counterparts) &
        make_nvp("kind", k.kind) & make_nvp("note", k.note);
    if (version >= 2) ar& make_nvp("fiche", k.fiche);
}

template <class Archive>
void serialize(Archive& ar, certigraph::detail::Snapshot& s, unsigned version) {
    require_known_version<certigraph::detail::Snapshot>(version, "Snapshot");
    // Version 1 is the first released layout; a later version adds its fields
    // behind `if (version >= 2)` and keeps this read path.
    auto& c = s.content;
    ar& make_nvp("certification", c.certification) & make_nvp("blocs", c.blocs) &
        make_nvp("activities", c.activities) & make_nvp("competencies", c.competencies) &
        make_nvp("criteria", c.criteria) & make_nvp("epreuves", c.epreuves) &
        make_nvp("correspondences", c.correspondences);
}

template <class Archive>
void serialize(Archive& ar, certigraph::detail::ResultsSnapshot& s, unsigned version) {
    require_known_version<certigraph::detail::ResultsSnapshot>(version, "ResultsSnapshot");
    auto& r = s.result;
    // Values travel as their IEEE bit patterns: text archives cannot read NaN back.
    std::vector<std::uint32_t> value_bits(r.criterion_value.size());
    if constexpr (Archive::is_saving::value)
        std::memcpy(value_bits.data(), r.criterion_value.data(), value_bits.size() * sizeof(float));
    ar& make_nvp("rows", r.rows) & make_nvp("blocs", r.blocs) & make_nvp("competencies", r.competencies) &
        make_nvp("criteria", r.criteria) & make_nvp("bloc_status", r.bloc_status) &
        make_nvp("criterion_value_bits", value_bits) & make_nvp("criterion_status", r.criterion_status) &
        make_nvp("competency_status", r.competency_status) & make_nvp("candidate_ids", s.candidates) &
        make_nvp("session_ids", s.sessions) & make_nvp("bloc_codes", s.blocs) &
        make_nvp("competency_codes", s.competencies) & make_nvp("criterion_codes", s.criteria);
    if constexpr (Archive::is_loading::value) {
        r.criterion_value.resize(value_bits.size());
        std::memcpy(r.criterion_value.data(), value_bits.data(), value_bits.size() * sizeof(float));
    }
}

}  // namespace boost::serialization

// Value types: never tracked (no pointers into them); versioned individually.
#define CERTIGRAPH_ARCHIVE_VALUE(T, V)                               \
    BOOST_CLASS_VERSION(T, V)                                        \
    BOOST_CLASS_TRACKING(T, boost::serialization::track_never)

CERTIGRAPH_ARCHIVE_VALUE(certigraph::Condition, 1)
CERTIGRAPH_ARCHIVE_VALUE(certigraph::Requirement, 1)
CERTIGRAPH_ARCHIVE_VALUE(certigraph::Certifier, 1)
CERTIGRAPH_ARCHIVE_VALUE(certigraph::CertificationDates, 1)
// Version 2 (format 2 of the JSON): route_juries, Bloc::assessment, Correspondence::fiche.
CERTIGRAPH_ARCHIVE_VALUE(certigraph::RouteJury, 1)
CERTIGRAPH_ARCHIVE_VALUE(certigraph::Certification, 2)
CERTIGRAPH_ARCHIVE_VALUE(certigraph::Bloc, 2)
CERTIGRAPH_ARCHIVE_VALUE(certigraph::Activity, 1)
CERTIGRAPH_ARCHIVE_VALUE(certigraph::Competency, 1)
CERTIGRAPH_ARCHIVE_VALUE(certigraph::Criterion, 1)
CERTIGRAPH_ARCHIVE_VALUE(certigraph::Epreuve, 1)
CERTIGRAPH_ARCHIVE_VALUE(certigraph::Correspondence, 2)
CERTIGRAPH_ARCHIVE_VALUE(certigraph::detail::Snapshot, certigraph::io::referentiel_archive_version)
CERTIGRAPH_ARCHIVE_VALUE(certigraph::detail::ResultsSnapshot, 1)

#undef CERTIGRAPH_ARCHIVE_VALUE
