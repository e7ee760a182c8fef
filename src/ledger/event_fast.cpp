// A fast path for reading events: simdjson decodes a well-formed event about ten
// times faster than the strict reader (nlohmann with duplicate-key detection and a
// JSON pointer for every field). It accepts only what the strict reader accepts and
// gives the same Event; at the first thing it does not like — an unknown or repeated
// key, a wrong type, a bad date, an id out of range — it gives up and the caller
// runs the strict reader, which then names the place and the fix. The events fuzzer
// (tests/fuzz/fuzz_events.cpp) checks that every event this path accepts is the
// strict reader's.
#include "ledger/event_json.hpp"

#include <simdjson.h>

#include <array>
#include <initializer_list>

namespace certigraph::ledger::detail {

namespace {

namespace dom = simdjson::dom;

/// Thrown inside this file only: "let the strict reader handle it".
struct GiveUp {};

/// The members of an object, each key at most once and every key allowed.
class Members {
  public:
    Members(dom::element value, std::initializer_list<std::string_view> allowed) : count_(allowed.size()) {
        std::size_t i = 0;
        for (const auto key : allowed) keys_[i++] = key;  // string literals: the views stay valid
        dom::object object;
        if (value.get_object().get(object)) throw GiveUp{};
        for (const auto field : object) {
            const std::size_t k = index(field.key);
            if (k == count_ || found_[k]) throw GiveUp{};  // unknown or repeated key
            found_[k] = true;
            values_[k] = field.value;
        }
    }
    bool has(std::string_view key) const {
        const std::size_t k = index(key);
        return k < count_ && found_[k];
    }
    dom::element operator[](std::string_view key) const {
        if (!has(key)) throw GiveUp{};  // a missing required key
        return values_[index(key)];
    }

  private:
    std::size_t index(std::string_view key) const {
        for (std::size_t i = 0; i < count_; ++i)
            if (keys_[i] == key) return i;
        return count_;
    }
    std::size_t count_;
    std::array<std::string_view, 12> keys_{};
    std::array<bool, 12> found_{};
    std::array<dom::element, 12> values_{};
};

std::string text(dom::element value) {
    std::string_view s;
    if (value.get_string().get(s)) throw GiveUp{};
    return std::string(s);
}
bool boolean(dom::element value) {
    bool b = false;
    if (value.get_bool().get(b)) throw GiveUp{};
    return b;
}
Date date(dom::element value) {
    std::string_view s;
    if (value.get_string().get(s)) throw GiveUp{};
    const auto d = Date::parse(s);
    if (!d) throw GiveUp{};
    return *d;
}
/// A positive integer within the strict reader's limit (1e9).
std::uint64_t positive(dom::element value) {
    if (value.type() != dom::element_type::INT64 && value.type() != dom::element_type::UINT64) throw GiveUp{};
    std::int64_t v = 0;
    if (value.get_int64().get(v) || v <= 0 || v > 1'000'000'000) throw GiveUp{};
    return static_cast<std::uint64_t>(v);
}
std::vector<std::string> strings(dom::element value) {
    dom::array array;
    if (value.get_array().get(array)) throw GiveUp{};
    std::vector<std::string> out;
    out.reserve(array.size());
    for (const auto item : array) out.push_back(text(item));
    return out;
}
std::string opt_text(const Members& m, std::string_view key) { return m.has(key) ? text(m[key]) : std::string(); }
std::vector<std::string> opt_strings(const Members& m, std::string_view key) {
    return m.has(key) ? strings(m[key]) : std::vector<std::string>();
}

EventKind kind(dom::element value) {
    std::string_view s;
    if (value.get_string().get(s)) throw GiveUp{};
    const auto k = event_kind_from_string(s);
    if (!k) throw GiveUp{};
    return *k;
}

Fact fact(EventKind k, dom::element body) {
    switch (k) {
        case EventKind::bloc_result: {
            const Members m(body, {"bloc", "validated"});
            return BlocResult{.bloc = text(m["bloc"]), .validated = boolean(m["validated"])};
        }
        case EventKind::vae_decision: {
            const Members m(body, {"acquired", "refused", "prescriptions"});
            return VaeDecision{.acquired = opt_strings(m, "acquired"),
                               .refused = opt_strings(m, "refused"),
                               .prescriptions = opt_text(m, "prescriptions")};
        }
        case EventKind::bloc_credit: {
            const Members m(body, {"bloc", "from_certification", "from_blocs", "basis", "from_validation"});
            return BlocCredit{.bloc = text(m["bloc"]),
                              .from_certification = text(m["from_certification"]),
                              .from_blocs = strings(m["from_blocs"]),
                              .basis = text(m["basis"]),
                              .from_validation = opt_text(m, "from_validation")};
        }
        case EventKind::jury_decision: {
            const Members m(body, {"bloc", "validated", "overrides_session", "reason"});
            return JuryDecision{.bloc = text(m["bloc"]),
                                .validated = boolean(m["validated"]),
                                .overrides_session = opt_text(m, "overrides_session"),
                                .reason = text(m["reason"])};
        }
        case EventKind::language_certificate: {
            const Members m(body, {"language", "framework", "level", "issuer", "third_party", "issued"});
            return LanguageCertificate{.language = opt_text(m, "language"),
                                       .framework = text(m["framework"]),
                                       .level = text(m["level"]),
                                       .issuer = text(m["issuer"]),
                                       .third_party = m.has("third_party") && boolean(m["third_party"]),
                                       .issued = date(m["issued"])};
        }
        case EventKind::mobility_period: {
            const Members m(body, {"start", "end", "place"});
            return MobilityPeriod{.start = date(m["start"]), .end = date(m["end"]), .place = opt_text(m, "place")};
        }
        case EventKind::work_period: {
            const Members m(body, {"start", "end", "place"});
            return WorkPeriod{.start = date(m["start"]), .end = date(m["end"]), .place = opt_text(m, "place")};
        }
        case EventKind::attribute: {
            const Members m(body, {"name", "value"});
            return Attribute{.name = text(m["name"]), .value = text(m["value"])};
        }
        case EventKind::path_start: {
            const Members m(body, {"access_route"});
            return PathStart{.access_route = text(m["access_route"])};
        }
        case EventKind::delivery_exception: {
            const Members m(body, {"basis", "reason"});
            return DeliveryException{.basis = text(m["basis"]), .reason = text(m["reason"])};
        }
        case EventKind::certification_decision: {
            const Members m(body, {"awarded", "eligible", "missing", "reason"});
            return CertificationDecision{.awarded = boolean(m["awarded"]),
                                         .eligible = boolean(m["eligible"]),
                                         .missing = opt_strings(m, "missing"),
                                         .reason = opt_text(m, "reason")};
        }
        case EventKind::correction: break;
    }
    throw GiveUp{};
}

Event event(dom::element root) {
    const Members m(root, {"id", "seq", "hash", "candidate", "date", "session", "route", "referentiel",
                           "policy_hash", "evidence", "kind", "body"});
    Event e;
    if (m.has("id")) e.id = positive(m["id"]);
    if (m.has("seq")) (void)positive(m["seq"]);
    if (m.has("hash")) (void)text(m["hash"]);
    e.candidate = text(m["candidate"]);
    e.date = date(m["date"]);
    e.session = opt_text(m, "session");
    std::string_view route;
    if (m["route"].get_string().get(route)) throw GiveUp{};
    const auto r = route_from_string(route);
    if (!r) throw GiveUp{};
    e.route = *r;
    const Members ref(m["referentiel"], {"fiche", "content_hash"});
    e.referentiel = {text(ref["fiche"]), text(ref["content_hash"])};
    e.policy_hash = opt_text(m, "policy_hash");
    e.evidence = opt_strings(m, "evidence");
    const EventKind k = kind(m["kind"]);
    if (k == EventKind::correction) {
        const Members body(m["body"], {"supersedes", "reason", "replacement"});
        Correction c;
        c.supersedes = positive(body["supersedes"]);
        c.reason = text(body["reason"]);
        if (body.has("replacement") && !body["replacement"].is_null()) {
            const Members replacement(body["replacement"], {"kind", "body"});
            const EventKind rk = kind(replacement["kind"]);
            c.replacement = fact(rk, replacement["body"]);
        }
        e.body = std::move(c);
    } else {
        e.body = std::visit([](auto&& f) -> Event::Body { return std::move(f); }, fact(k, m["body"]));
    }
    return e;
}

}  // namespace

std::optional<Event> fast_from_json(std::string_view json_text) {
    thread_local dom::parser parser;
    dom::element root;
    if (parser.parse(json_text.data(), json_text.size(), true).get(root)) return std::nullopt;
    try {
        return event(root);
    } catch (const GiveUp&) {
        return std::nullopt;
    }
}

}  // namespace certigraph::ledger::detail
