// Private: Boost.Serialization of the ledger's derived state (state snapshots),
// versioned like the référentiel archives (io/serialization.hpp): every type
// carries its class version, refuses newer ones, and a later layout must add
// `if (version >= 2)` read paths and new golden files in tests/data/archives/.
#pragma once

#include <certigraph/ledger/state.hpp>

#include "io/serialization.hpp"

#include <boost/serialization/map.hpp>

namespace boost::serialization {

// A Date travels as its ISO text.
template <class Archive>
void save(Archive& ar, const certigraph::Date& date, unsigned) {
    const std::string text = date.to_string();
    ar << make_nvp("iso", text);
}
template <class Archive>
void load(Archive& ar, certigraph::Date& date, unsigned) {
    std::string text;
    ar >> make_nvp("iso", text);
    const auto parsed = certigraph::Date::parse(text);
    if (!parsed) throw std::runtime_error("archive holds an invalid date '" + text + "'");
    date = *parsed;
}
template <class Archive>
void serialize(Archive& ar, certigraph::Date& date, unsigned version) {
    split_free(ar, date, version);
}

template <class Archive>
void save(Archive& ar, const std::optional<certigraph::ledger::Route>& route, unsigned) {
    const bool present = route.has_value();
    ar << make_nvp("present", present);
    if (present) {
        const int value = static_cast<int>(*route);
        ar << make_nvp("route", value);
    }
}
template <class Archive>
void load(Archive& ar, std::optional<certigraph::ledger::Route>& route, unsigned) {
    bool present = false;
    ar >> make_nvp("present", present);
    route.reset();
    if (!present) return;
    int value = 0;
    ar >> make_nvp("route", value);
    if (value < 0 || value > static_cast<int>(certigraph::ledger::Route::jury_decision))
        throw std::runtime_error("archive holds an unknown route " + std::to_string(value));
    route = static_cast<certigraph::ledger::Route>(value);
}
template <class Archive>
void serialize(Archive& ar, std::optional<certigraph::ledger::Route>& route, unsigned version) {
    split_free(ar, route, version);
}

template <class Archive>
void serialize(Archive& ar, certigraph::ledger::BlocState& b, unsigned version) {
    require_known_version<certigraph::ledger::BlocState>(version, "BlocState");
    ar& make_nvp("acquired", b.acquired) & make_nvp("since", b.since) & make_nvp("route", b.route) &
        make_nvp("event", b.event) & make_nvp("corrects", b.corrects) & make_nvp("refusals", b.refusals) &
        make_nvp("last_refused", b.last_refused);
}

template <class Archive>
void serialize(Archive& ar, certigraph::ledger::LanguageCertificate& l, unsigned version) {
    require_known_version<certigraph::ledger::LanguageCertificate>(version, "LanguageCertificate");
    ar& make_nvp("language", l.language) & make_nvp("framework", l.framework) & make_nvp("level", l.level) &
        make_nvp("issuer", l.issuer) & make_nvp("third_party", l.third_party) & make_nvp("issued", l.issued);
}

template <class Archive>
void serialize(Archive& ar, certigraph::ledger::HeldCertificate& h, unsigned version) {
    require_known_version<certigraph::ledger::HeldCertificate>(version, "HeldCertificate");
    ar& make_nvp("certificate", h.certificate) & make_nvp("event", h.event);
}

template <class Archive>
void serialize(Archive& ar, certigraph::ledger::HeldException& h, unsigned version) {
    require_known_version<certigraph::ledger::HeldException>(version, "HeldException");
    ar& make_nvp("basis", h.exception.basis) & make_nvp("reason", h.exception.reason) &
        make_nvp("date", h.date) & make_nvp("event", h.event);
}

template <class Archive>
void serialize(Archive& ar, certigraph::ledger::DecisionInForce& d, unsigned version) {
    require_known_version<certigraph::ledger::DecisionInForce>(version, "DecisionInForce");
    std::optional<certigraph::ledger::Route> route = d.route;  // stored as the blocs' routes are
    ar& make_nvp("awarded", d.decision.awarded) & make_nvp("eligible", d.decision.eligible) &
        make_nvp("missing", d.decision.missing) & make_nvp("reason", d.decision.reason) & make_nvp("date", d.date) &
        make_nvp("session", d.session) & make_nvp("route", route) & make_nvp("event", d.event) &
        make_nvp("corrects", d.corrects);
    if (!route) throw std::runtime_error("archive holds a certification decision without a route");
    d.route = *route;
}

template <class Archive>
void save(Archive& ar, const std::optional<certigraph::ledger::DecisionInForce>& d, unsigned) {
    const bool present = d.has_value();
    ar << make_nvp("present", present);
    if (present) ar << make_nvp("decision", *d);
}
template <class Archive>
void load(Archive& ar, std::optional<certigraph::ledger::DecisionInForce>& d, unsigned) {
    bool present = false;
    ar >> make_nvp("present", present);
    d.reset();
    if (!present) return;
    certigraph::ledger::DecisionInForce value;
    ar >> make_nvp("decision", value);
    d = std::move(value);
}
template <class Archive>
void serialize(Archive& ar, std::optional<certigraph::ledger::DecisionInForce>& d, unsigned version) {
    split_free(ar, d, version);
}

template <class Archive>
void serialize(Archive& ar, certigraph::ledger::CapitalisationState& s, unsigned version) {
    require_known_version<certigraph::ledger::CapitalisationState>(version, "CapitalisationState");
    ar& make_nvp("as_of", s.as_of) & make_nvp("blocs", s.blocs) & make_nvp("languages", s.languages) &
        make_nvp("mobility_days", s.mobility_days) & make_nvp("mobility_weeks", s.mobility_weeks) &
        make_nvp("work_days", s.work_days) & make_nvp("work_months", s.work_months) &
        make_nvp("work_longest_months", s.work_longest_months) & make_nvp("path_started", s.path_started) &
        make_nvp("path_access_route", s.path_access_route) & make_nvp("path_event", s.path_event) &
        make_nvp("exceptions", s.exceptions) & make_nvp("first_event", s.first_event) &
        make_nvp("attributes", s.attributes) & make_nvp("problems", s.problems);
    if (version >= 2) ar& make_nvp("certification", s.certification);  // the decision in force (issue 10)
}

template <class Archive>
void serialize(Archive& ar, certigraph::ledger::StateSnapshot& s, unsigned version) {
    require_known_version<certigraph::ledger::StateSnapshot>(version, "StateSnapshot");
    ar& make_nvp("as_of", s.as_of) & make_nvp("events", s.events) & make_nvp("last_event", s.last_event) &
        make_nvp("states", s.states);
}

}  // namespace boost::serialization

#define CERTIGRAPH_ARCHIVE_VALUE(T, V) \
    BOOST_CLASS_VERSION(T, V)          \
    BOOST_CLASS_TRACKING(T, boost::serialization::track_never)

CERTIGRAPH_ARCHIVE_VALUE(certigraph::Date, 1)
CERTIGRAPH_ARCHIVE_VALUE(certigraph::ledger::BlocState, 1)
CERTIGRAPH_ARCHIVE_VALUE(certigraph::ledger::LanguageCertificate, 1)
CERTIGRAPH_ARCHIVE_VALUE(certigraph::ledger::HeldCertificate, 1)
CERTIGRAPH_ARCHIVE_VALUE(certigraph::ledger::HeldException, 1)
CERTIGRAPH_ARCHIVE_VALUE(certigraph::ledger::DecisionInForce, 1)
CERTIGRAPH_ARCHIVE_VALUE(certigraph::ledger::CapitalisationState, 2)
CERTIGRAPH_ARCHIVE_VALUE(certigraph::ledger::StateSnapshot, 1)

#undef CERTIGRAPH_ARCHIVE_VALUE
