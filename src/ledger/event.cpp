#include <certigraph/ledger/event.hpp>
#include <certigraph/ledger/ledger.hpp>

#include "core/enum_names.hpp"
#include "ledger/event_json.hpp"

#include <array>
#include <optional>
#include <set>

namespace certigraph::ledger {

using certigraph::detail::name_of;
using certigraph::detail::value_of;

namespace {

constexpr std::array route_names{"exam", "vae", "correspondence", "jury_decision"};
constexpr std::array event_kind_names{"bloc_result",     "vae_decision",  "bloc_credit",
                                      "jury_decision",   "language_certificate",
                                      "mobility_period", "work_period",   "attribute",
                                      "path_start",      "delivery_exception",
                                      "certification_decision", "correction"};
static_assert(event_kind_names.size() == std::variant_size_v<Event::Body>);

template <class... F>
struct Overloaded : F... {
    using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

/// Checks a body's own fields; `route` is checked against the kind unless null.
void check_fact(const Fact& fact, const Event& header, bool check_route, const std::string& at,
                std::vector<EventProblem>& out) {
    auto need = [&](const std::string& value, const char* field) {
        if (value.empty()) out.push_back({at + field, "must not be empty"});
    };
    auto need_header = [&](const std::string& value, const char* field) {
        if (value.empty()) out.push_back({field, "must not be empty"});
    };
    auto route_is = [&](Route expected) {
        if (check_route && header.route != expected)
            out.push_back({"route", "a " + std::string(to_string(kind_of(fact))) +
                                        " event has route '" + std::string(to_string(expected)) +
                                        "', not '" + std::string(to_string(header.route)) + "'"});
    };
    auto codes = [&](const std::vector<std::string>& list, const char* field) {
        for (std::size_t i = 0; i < list.size(); ++i)
            if (list[i].empty())
                out.push_back({at + field + "/" + std::to_string(i), "must not be empty"});
    };
    std::visit(
        Overloaded{
            [&](const BlocResult& b) {
                route_is(Route::exam);
                need(b.bloc, "bloc");
                if (check_route) {
                    need_header(header.session, "session");
                    need_header(header.policy_hash, "policy_hash");
                }
            },
            [&](const VaeDecision& v) {
                route_is(Route::vae);
                if (check_route) need_header(header.session, "session");
                if (v.acquired.empty() && v.refused.empty())
                    out.push_back({at + "acquired", "a VAE decision names at least one bloc"});
                codes(v.acquired, "acquired");
                codes(v.refused, "refused");
                std::set<std::string> acquired(v.acquired.begin(), v.acquired.end());
                for (const auto& r : v.refused)
                    if (acquired.count(r))
                        out.push_back({at + "refused", "bloc '" + r + "' is both acquired and refused"});
            },
            [&](const BlocCredit& c) {
                route_is(Route::correspondence);
                need(c.bloc, "bloc");
                need(c.from_certification, "from_certification");
                need(c.basis, "basis");
                if (c.from_blocs.empty())
                    out.push_back({at + "from_blocs", "name the counterpart blocs (provenance)"});
                codes(c.from_blocs, "from_blocs");
            },
            [&](const JuryDecision& j) {
                route_is(Route::jury_decision);
                if (check_route) need_header(header.session, "session");
                need(j.bloc, "bloc");
                need(j.reason, "reason");
            },
            [&](const LanguageCertificate& l) {
                need(l.framework, "framework");
                need(l.level, "level");
                need(l.issuer, "issuer");
                if (check_route && header.date < l.issued)
                    out.push_back({at + "issued", "issued " + l.issued.to_string() +
                                                      ", after the event's date " +
                                                      header.date.to_string()});
            },
            [&](const MobilityPeriod& p) {
                if (p.end < p.start) out.push_back({at + "end", "the period ends before it starts"});
            },
            [&](const WorkPeriod& p) {
                if (p.end < p.start) out.push_back({at + "end", "the period ends before it starts"});
            },
            [&](const Attribute& a) {
                need(a.name, "name");
                need(a.value, "value");
            },
            [&](const PathStart& p) { need(p.access_route, "access_route"); },
            [&](const DeliveryException& x) {
                need(x.basis, "basis");
                need(x.reason, "reason");
            },
            [&](const CertificationDecision& d) {
                if (check_route) {
                    if (header.route != Route::exam && header.route != Route::vae)
                        out.push_back({"route", "a certification_decision event has route 'exam' or 'vae' (the "
                                                "candidate's route before the jury), not '" +
                                                    std::string(to_string(header.route)) + "'"});
                    need_header(header.session, "session");
                }
                codes(d.missing, "missing");
                std::string missing;
                for (const auto& m : d.missing) missing += (missing.empty() ? "" : ", ") + m;
                if (d.awarded && !d.eligible)
                    out.push_back({at + "awarded", "a certification is awarded only to an eligible candidate: " +
                                                       (missing.empty() ? std::string("not eligible")
                                                                        : "missing " + missing)});
                if (!d.awarded && d.eligible && d.reason.empty())
                    out.push_back({at + "reason", "withholding the certification from an eligible candidate "
                                                  "needs a reason"});
                if (d.eligible && !d.missing.empty())
                    out.push_back({at + "missing", "an eligible candidate has nothing missing (" + missing + ")"});
                if (!d.eligible && d.missing.empty())
                    out.push_back({at + "missing", "a candidate who is not eligible has something missing: "
                                                   "name the unmet checks"});
            },
        },
        fact);
}

}  // namespace

std::string_view to_string(Route route) noexcept { return name_of(route_names, route); }
std::string_view to_string(EventKind kind) noexcept { return name_of(event_kind_names, kind); }
std::optional<Route> route_from_string(std::string_view name) noexcept {
    return value_of<Route>(route_names, name);
}
std::optional<EventKind> event_kind_from_string(std::string_view name) noexcept {
    return value_of<EventKind>(event_kind_names, name);
}

std::vector<EventProblem> check_event(const Event& event) {
    std::vector<EventProblem> out;
    if (event.candidate.empty()) out.push_back({"candidate", "must not be empty"});
    if (event.referentiel.fiche.empty()) out.push_back({"referentiel/fiche", "must not be empty"});
    if (event.referentiel.content_hash.empty())
        out.push_back({"referentiel/content_hash", "must not be empty"});
    for (std::size_t i = 0; i < event.evidence.size(); ++i)
        if (event.evidence[i].empty())
            out.push_back({"evidence/" + std::to_string(i), "must not be empty"});
    if (const auto* c = std::get_if<Correction>(&event.body)) {
        if (c->supersedes == 0) out.push_back({"body/supersedes", "name the event it supersedes"});
        if (event.id != 0 && c->supersedes >= event.id)
            out.push_back({"body/supersedes", "a correction supersedes an earlier event"});
        if (c->reason.empty()) out.push_back({"body/reason", "a correction needs a reason"});
        if (c->replacement) check_fact(*c->replacement, event, false, "body/replacement/body/", out);
    } else {
        Fact fact = std::visit(
            [](const auto& b) -> Fact {
                if constexpr (std::is_same_v<std::decay_t<decltype(b)>, Correction>)
                    return BlocResult{};  // unreachable
                else
                    return b;
            },
            event.body);
        check_fact(fact, event, true, "body/", out);
    }
    return out;
}

std::string canonical_json(const Event& event, std::uint64_t seq) {
    std::string out;
    detail::canonical_json(event, seq, out);
    return out;
}

void detail::canonical_json(const Event& event, std::uint64_t seq, std::string& out) {
    // Written directly when every string is plain ASCII (nearly always); else by nlohmann.
    if (write_canonical(event, seq, out)) return;
    out = dump(to_json(event, seq));
}

std::string detail::canonical_json_general(const Event& event, std::uint64_t seq) {
    return dump(to_json(event, seq));
}

Event event_from_json(std::string_view text, std::string_view source) {
    if (Event e; detail::read_canonical_line(text, e)) return e;
    if (auto fast = detail::fast_from_json(text)) return std::move(*fast);
    const detail::json j = io::detail::parse_strict(text, source);
    return detail::from_json(io::detail::Reader(j, "", source)).event;
}

namespace detail {

namespace {

json fact_body(const Fact& fact);

json body_of(const Event::Body& body) {
    return std::visit(
        Overloaded{
            [](const Correction& c) {
                json j = json::object();
                j["supersedes"] = c.supersedes;
                j["reason"] = c.reason;
                if (c.replacement) {
                    j["replacement"] = json{{"kind", std::string(to_string(kind_of(*c.replacement)))},
                                            {"body", fact_body(*c.replacement)}};
                } else {
                    j["replacement"] = nullptr;
                }
                return j;
            },
            [](const auto& other) { return fact_body(Fact(other)); },
        },
        body);
}

json fact_body(const Fact& fact) {
    return std::visit(
        Overloaded{
            [](const BlocResult& b) { return json{{"bloc", b.bloc}, {"validated", b.validated}}; },
            [](const VaeDecision& v) {
                return json{{"acquired", v.acquired},
                            {"refused", v.refused},
                            {"prescriptions", v.prescriptions}};
            },
            [](const BlocCredit& c) {
                return json{{"bloc", c.bloc},
                            {"from_certification", c.from_certification},
                            {"from_blocs", c.from_blocs},
                            {"basis", c.basis},
                            {"from_validation", c.from_validation}};
            },
            [](const JuryDecision& j) {
                return json{{"bloc", j.bloc},
                            {"validated", j.validated},
                            {"overrides_session", j.overrides_session},
                            {"reason", j.reason}};
            },
            [](const LanguageCertificate& l) {
                return json{{"language", l.language},   {"framework", l.framework},
                            {"level", l.level},         {"issuer", l.issuer},
                            {"third_party", l.third_party}, {"issued", l.issued.to_string()}};
            },
            [](const MobilityPeriod& p) {
                return json{{"start", p.start.to_string()}, {"end", p.end.to_string()},
                            {"place", p.place}};
            },
            [](const WorkPeriod& p) {
                return json{{"start", p.start.to_string()}, {"end", p.end.to_string()},
                            {"place", p.place}};
            },
            [](const Attribute& a) { return json{{"name", a.name}, {"value", a.value}}; },
            [](const PathStart& p) { return json{{"access_route", p.access_route}}; },
            [](const DeliveryException& x) {
                return json{{"basis", x.basis}, {"reason", x.reason}};
            },
            [](const CertificationDecision& d) {
                return json{{"awarded", d.awarded}, {"eligible", d.eligible}, {"missing", d.missing},
                            {"reason", d.reason}};
            },
        },
        fact);
}

using io::detail::Reader;

std::string opt_string(const Reader& r, std::string_view key) {
    std::string out;
    r.optional_string(key, out);
    return out;
}
std::vector<std::string> opt_strings(const Reader& r, std::string_view key) {
    std::vector<std::string> out;
    r.optional_strings(key, out);
    return out;
}
bool opt_bool(const Reader& r, std::string_view key) { return r.has(key) && r[key].boolean(); }

Fact read_fact(EventKind kind, const Reader& r) {
    switch (kind) {
        case EventKind::bloc_result:
            r.expect_object({"bloc", "validated"});
            return BlocResult{.bloc = r["bloc"].string(), .validated = r["validated"].boolean()};
        case EventKind::vae_decision:
            r.expect_object({"acquired", "refused", "prescriptions"});
            return VaeDecision{.acquired = opt_strings(r, "acquired"),
                               .refused = opt_strings(r, "refused"),
                               .prescriptions = opt_string(r, "prescriptions")};
        case EventKind::bloc_credit:
            r.expect_object({"bloc", "from_certification", "from_blocs", "basis", "from_validation"});
            return BlocCredit{.bloc = r["bloc"].string(),
                              .from_certification = r["from_certification"].string(),
                              .from_blocs = r["from_blocs"].strings(),
                              .basis = r["basis"].string(),
                              .from_validation = opt_string(r, "from_validation")};
        case EventKind::jury_decision:
            r.expect_object({"bloc", "validated", "overrides_session", "reason"});
            return JuryDecision{.bloc = r["bloc"].string(),
                                .validated = r["validated"].boolean(),
                                .overrides_session = opt_string(r, "overrides_session"),
                                .reason = r["reason"].string()};
        case EventKind::language_certificate:
            r.expect_object({"language", "framework", "level", "issuer", "third_party", "issued"});
            return LanguageCertificate{.language = opt_string(r, "language"),
                                       .framework = r["framework"].string(),
                                       .level = r["level"].string(),
                                       .issuer = r["issuer"].string(),
                                       .third_party = opt_bool(r, "third_party"),
                                       .issued = r["issued"].date()};
        case EventKind::mobility_period:
            r.expect_object({"start", "end", "place"});
            return MobilityPeriod{.start = r["start"].date(), .end = r["end"].date(),
                                  .place = opt_string(r, "place")};
        case EventKind::work_period:
            r.expect_object({"start", "end", "place"});
            return WorkPeriod{.start = r["start"].date(), .end = r["end"].date(),
                              .place = opt_string(r, "place")};
        case EventKind::attribute:
            r.expect_object({"name", "value"});
            return Attribute{.name = r["name"].string(), .value = r["value"].string()};
        case EventKind::path_start:
            r.expect_object({"access_route"});
            return PathStart{.access_route = r["access_route"].string()};
        case EventKind::delivery_exception:
            r.expect_object({"basis", "reason"});
            return DeliveryException{.basis = r["basis"].string(), .reason = r["reason"].string()};
        case EventKind::certification_decision:
            r.expect_object({"awarded", "eligible", "missing", "reason"});
            return CertificationDecision{.awarded = r["awarded"].boolean(),
                                         .eligible = r["eligible"].boolean(),
                                         .missing = opt_strings(r, "missing"),
                                         .reason = opt_string(r, "reason")};
        case EventKind::correction: break;
    }
    r.fail("a correction cannot be a correction's replacement");
}

EventKind read_kind(const Reader& r) {
    return r.enumeration(&event_kind_from_string,
                         {"bloc_result", "vae_decision", "bloc_credit", "jury_decision",
                          "language_certificate", "mobility_period", "work_period", "attribute",
                          "path_start", "delivery_exception", "certification_decision", "correction"});
}

std::uint64_t positive(const Reader& r) {
    const long long v = r.integer();
    if (v <= 0) r.fail("expected a positive integer");
    return static_cast<std::uint64_t>(v);
}

}  // namespace

json to_json(const Event& e, std::uint64_t seq) {
    json j = json::object();
    if (e.id != 0) j["id"] = e.id;  // 0: not stored yet, no id
    if (seq > 0) j["seq"] = seq;
    j["candidate"] = e.candidate;
    j["date"] = e.date.to_string();
    j["session"] = e.session;
    j["route"] = std::string(to_string(e.route));
    j["referentiel"] = json{{"fiche", e.referentiel.fiche},
                            {"content_hash", e.referentiel.content_hash}};
    j["policy_hash"] = e.policy_hash;
    j["evidence"] = e.evidence;
    j["kind"] = std::string(to_string(e.kind()));
    j["body"] = body_of(e.body);
    return j;
}

ReadEvent from_json(const Reader& r) {
    r.expect_object({"id", "seq", "hash", "candidate", "date", "session", "route", "referentiel",
                     "policy_hash", "evidence", "kind", "body"});
    ReadEvent out;
    Event& e = out.event;
    if (r.has("id")) out.id = positive(r["id"]);
    if (r.has("seq")) out.seq = positive(r["seq"]);
    if (r.has("hash")) out.hash = r["hash"].string();
    e.candidate = r["candidate"].string();
    e.date = r["date"].date();
    e.session = opt_string(r, "session");
    e.route = r["route"].enumeration(&route_from_string,
                                     {"exam", "vae", "correspondence", "jury_decision"});
    const Reader ref = r["referentiel"];
    ref.expect_object({"fiche", "content_hash"});
    e.referentiel = {ref["fiche"].string(), ref["content_hash"].string()};
    e.policy_hash = opt_string(r, "policy_hash");
    e.evidence = opt_strings(r, "evidence");
    const EventKind kind = read_kind(r["kind"]);
    const Reader body = r["body"];
    if (kind == EventKind::correction) {
        body.expect_object({"supersedes", "reason", "replacement"});
        Correction c;
        c.supersedes = positive(body["supersedes"]);
        c.reason = body["reason"].string();
        if (body.has("replacement") && !body.value().at("replacement").is_null()) {
            const Reader rep = body["replacement"];
            rep.expect_object({"kind", "body"});
            const EventKind rk = read_kind(rep["kind"]);
            c.replacement = read_fact(rk, rep["body"]);
        }
        e.body = std::move(c);
    } else {
        e.body = std::visit([](auto&& f) -> Event::Body { return f; }, read_fact(kind, body));
    }
    if (out.id) e.id = *out.id;
    return out;
}

std::string dump(const json& value) {
    try {
        return value.dump(-1, ' ', false, json::error_handler_t::strict);
    } catch (const json::exception& error) {
        throw LedgerError(std::string("an event has text that is not valid UTF-8: ") + error.what());
    }
}

}  // namespace detail

}  // namespace certigraph::ledger
