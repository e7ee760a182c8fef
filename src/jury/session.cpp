// The jury session file (docs/jury.md): strict reader, writer, default composition rules.
#include <certigraph/error.hpp>
#include <certigraph/jury/session.hpp>

#include "core/enum_names.hpp"
#include "jury/session_json.hpp"

#include <array>
#include <set>

namespace certigraph::jury {

namespace {

using certigraph::detail::name_of;
using certigraph::detail::value_of;
using io::detail::Reader;
using detail::ordered_json;

constexpr std::string_view format_name = "certigraph/jury-session";
constexpr std::array role_names{"president", "professional", "trainer", "academic", "other"};
constexpr std::array gender_names{"female", "male", "unspecified"};
constexpr std::array link_names{"trainer_of", "accompanist_of", "employer_of", "colleague_of", "relative_of"};
constexpr std::array verdict_names{"confirm", "validate", "refuse"};

std::optional<Role> role_from(std::string_view s) noexcept { return value_of<Role>(role_names, s); }
std::optional<Gender> gender_from(std::string_view s) noexcept { return value_of<Gender>(gender_names, s); }
std::optional<LinkKind> link_from(std::string_view s) noexcept { return value_of<LinkKind>(link_names, s); }
std::optional<Verdict> verdict_from(std::string_view s) noexcept { return value_of<Verdict>(verdict_names, s); }
std::optional<ledger::Route> candidate_route_from(std::string_view s) noexcept {
    if (s == "exam") return ledger::Route::exam;
    if (s == "vae") return ledger::Route::vae;
    return std::nullopt;
}

std::string nonempty(const Reader& r) {
    std::string s = r.string();
    if (s.find_first_not_of(" \t\r\n") == std::string::npos) r.fail("may not be empty");
    return s;
}

CompositionPolicy read_policy(const Reader& r, ledger::Route route) {
    r.expect_object({"min_members", "min_qualified", "min_professional_share", "max_gender_gap",
                     "president_required", "recusing_links"});
    CompositionPolicy p = default_policy(route);
    auto count = [&](std::string_view key, int& out) {
        if (!r.has(key)) return;
        const long long v = r[key].integer();
        if (v < 0 || v > 1000) r[key].fail("must be between 0 and 1000");
        out = static_cast<int>(v);
    };
    count("min_members", p.min_members);
    count("min_qualified", p.min_qualified);
    if (r.has("max_gender_gap")) {
        if (r["max_gender_gap"].value().is_null()) p.max_gender_gap = -1;
        else count("max_gender_gap", p.max_gender_gap);
    }
    if (r.has("min_professional_share")) {
        const double share = r["min_professional_share"].number();
        if (!(share >= 0.0 && share <= 1.0))
            r["min_professional_share"].fail("a share between 0 and 1 (0.5: at least half)");
        p.min_professional_share = share;
    }
    if (r.has("president_required")) p.president_required = r["president_required"].boolean();
    if (r.has("recusing_links")) {
        p.recusing_links.clear();
        r["recusing_links"].each([&](const Reader& l) {
            p.recusing_links.push_back(l.enumeration<LinkKind>(
                link_from, {"trainer_of", "accompanist_of", "employer_of", "colleague_of", "relative_of"}));
        });
    }
    return p;
}

ordered_json write_policy(const CompositionPolicy& p) {
    ordered_json o;
    o["min_members"] = p.min_members;
    o["min_qualified"] = p.min_qualified;
    o["min_professional_share"] = p.min_professional_share;
    o["max_gender_gap"] = p.max_gender_gap < 0 ? ordered_json(nullptr) : ordered_json(p.max_gender_gap);
    o["president_required"] = p.president_required;
    o["recusing_links"] = ordered_json::array();
    for (LinkKind k : p.recusing_links) o["recusing_links"].push_back(to_string(k));
    return o;
}

Votes read_votes(const Reader& r) {
    r.expect_object({"validate", "refuse", "abstain", "casting_vote"});
    Votes v;
    auto count = [&](std::string_view key, int& out) {
        if (!r.has(key)) return;
        const long long n = r[key].integer();
        if (n < 0 || n > 1000) r[key].fail("a number of votes between 0 and 1000");
        out = static_cast<int>(n);
    };
    count("validate", v.validate);
    count("refuse", v.refuse);
    count("abstain", v.abstain);
    if (r.has("casting_vote")) {
        const std::string c = r["casting_vote"].string();
        if (c == "validate") v.casting_vote = true;
        else if (c == "refuse") v.casting_vote = false;
        else r["casting_vote"].fail("the president's casting vote is \"validate\" or \"refuse\"");
    }
    return v;
}

}  // namespace

std::string_view to_string(Role role) noexcept { return name_of(role_names, role); }
std::string_view to_string(Gender gender) noexcept { return name_of(gender_names, gender); }
std::string_view to_string(LinkKind kind) noexcept { return name_of(link_names, kind); }
std::string_view to_string(Verdict verdict) noexcept { return name_of(verdict_names, verdict); }

CompositionPolicy default_policy(ledger::Route route) {
    CompositionPolicy p;
    p.min_members = 2;
    p.min_qualified = 1;
    p.president_required = true;
    if (route == ledger::Route::vae) {
        // Code du travail D6412-6 (décret 2024-332): no link of any kind, past or present,
        // not the candidate's accompanist, a balanced jury.
        p.max_gender_gap = 1;
        p.recusing_links = {LinkKind::trainer_of, LinkKind::accompanist_of, LinkKind::employer_of,
                            LinkKind::colleague_of, LinkKind::relative_of};
    } else {
        // School rules: no trainer of the candidate, at least half professionals.
        p.min_professional_share = 0.5;
        p.recusing_links = {LinkKind::trainer_of, LinkKind::relative_of};
    }
    return p;
}

CompositionPolicy Session::policy_for(ledger::Route route) const {
    for (const auto& [r, p] : composition)
        if (r == route) return p;
    return default_policy(route);
}

const Member* Session::member(std::string_view wanted) const {
    for (const auto& m : members)
        if (m.id == wanted) return &m;
    return nullptr;
}

const Candidate* Session::candidate(std::string_view wanted) const {
    for (const auto& c : candidates)
        if (c.id == wanted) return &c;
    return nullptr;
}

namespace detail {

void write_session(ordered_json& o, const Session& s) {
    o["referentiel"] = {{"fiche", s.referentiel.fiche}, {"content_hash", s.referentiel.content_hash}};
    o["session"] = s.id;
    o["date"] = s.date.to_string();
    o["place"] = s.place;
    o["epreuves"] = s.epreuves;
    if (s.grading)
        o["grading"] = {{"referentiel", s.grading->referentiel},
                        {"policy", s.grading->policy},
                        {"evaluations", s.grading->evaluations},
                        {"exam_session", s.grading->exam_session}};
    if (!s.composition.empty()) {
        o["composition"] = ordered_json::object();
        for (const auto& [route, p] : s.composition) o["composition"][std::string(ledger::to_string(route))] = write_policy(p);
    }
    o["members"] = ordered_json::array();
    for (const auto& m : s.members) {
        ordered_json j;
        j["id"] = m.id;
        j["name"] = m.name;
        j["role"] = to_string(m.role);
        if (m.professional != (m.role == Role::professional)) j["professional"] = m.professional;
        j["gender"] = to_string(m.gender);
        j["qualified"] = m.qualified;
        j["present"] = m.present;
        j["links"] = ordered_json::array();
        for (const auto& l : m.links) j["links"].push_back({{"candidate", l.candidate}, {"kind", to_string(l.kind)}});
        o["members"].push_back(std::move(j));
    }
    o["candidates"] = ordered_json::array();
    for (const auto& c : s.candidates) {
        ordered_json j;
        j["id"] = c.id;
        if (!c.name.empty()) j["name"] = c.name;
        j["route"] = ledger::to_string(c.route);
        if (!c.prescriptions.empty()) j["prescriptions"] = c.prescriptions;
        o["candidates"].push_back(std::move(j));
    }
    if (s.override_findings)
        o["override"] = {{"findings", s.override_findings->findings},
                         {"reason", s.override_findings->reason},
                         {"by", s.override_findings->by}};
    o["decisions"] = ordered_json::array();
    for (const auto& d : s.decisions) {
        ordered_json j;
        j["candidate"] = d.candidate;
        j["bloc"] = d.bloc;
        j["verdict"] = to_string(d.verdict);
        if (!d.reason.empty()) j["reason"] = d.reason;
        if (d.votes) {
            ordered_json v{{"validate", d.votes->validate}, {"refuse", d.votes->refuse}, {"abstain", d.votes->abstain}};
            if (d.votes->casting_vote) v["casting_vote"] = *d.votes->casting_vote ? "validate" : "refuse";
            j["votes"] = std::move(v);
        }
        o["decisions"].push_back(std::move(j));
    }
    if (!s.withheld.empty()) {
        o["withheld"] = ordered_json::array();
        for (const auto& w : s.withheld) o["withheld"].push_back({{"candidate", w.candidate}, {"reason", w.reason}});
    }
    if (s.corrects) o["corrects"] = {{"session", s.corrects->session}, {"reason", s.corrects->reason}};
}

Session read_session(const Reader& root) {
    Session s;
    const Reader ref = root["referentiel"];
    ref.expect_object({"fiche", "content_hash"});
    s.referentiel.fiche = nonempty(ref["fiche"]);
    s.referentiel.content_hash = nonempty(ref["content_hash"]);
    s.id = nonempty(root["session"]);
    s.date = root["date"].date();
    s.place = root["place"].string();
    if (root.has("epreuves")) s.epreuves = root["epreuves"].strings();
    if (root.has("grading")) {
        const Reader g = root["grading"];
        g.expect_object({"referentiel", "policy", "evaluations", "exam_session"});
        s.grading = GradingInputs{nonempty(g["referentiel"]), nonempty(g["policy"]), nonempty(g["evaluations"]),
                                  nonempty(g["exam_session"])};
    }
    if (root.has("composition")) {
        const Reader c = root["composition"];
        c.expect_object({"exam", "vae"});
        for (std::string_view route : {"exam", "vae"})
            if (c.has(route)) s.composition.emplace_back(*candidate_route_from(route),
                                                         read_policy(c[route], *candidate_route_from(route)));
    }

    std::set<std::string> candidate_ids;
    root["candidates"].each([&](const Reader& r) {
        r.expect_object({"id", "name", "route", "prescriptions"});
        Candidate c;
        c.id = nonempty(r["id"]);
        r.optional_string("name", c.name);
        c.route = r["route"].enumeration<ledger::Route>(candidate_route_from, {"exam", "vae"});
        r.optional_string("prescriptions", c.prescriptions);
        if (!c.prescriptions.empty() && c.route != ledger::Route::vae)
            r["prescriptions"].fail("prescriptions belong to a VAE candidate (route \"vae\")");
        if (!candidate_ids.insert(c.id).second)
            r["id"].fail("candidate '" + c.id + "' is listed twice; list each candidate once");
        s.candidates.push_back(std::move(c));
    });
    if (s.candidates.empty()) root["candidates"].fail("a jury session decides on at least one candidate");

    std::set<std::string> member_ids;
    root["members"].each([&](const Reader& r) {
        r.expect_object({"id", "name", "role", "professional", "gender", "qualified", "present", "links"});
        Member m;
        m.id = nonempty(r["id"]);
        m.name = nonempty(r["name"]);
        m.role = r["role"].enumeration<Role>(role_from, {"president", "professional", "trainer", "academic", "other"});
        m.professional = r.has("professional") ? r["professional"].boolean() : m.role == Role::professional;
        m.gender = r["gender"].enumeration<Gender>(gender_from, {"female", "male", "unspecified"});
        m.qualified = r["qualified"].boolean();
        m.present = r.has("present") ? r["present"].boolean() : true;
        if (r.has("links"))
            r["links"].each([&](const Reader& l) {
                l.expect_object({"candidate", "kind"});
                Link link{nonempty(l["candidate"]),
                          l["kind"].enumeration<LinkKind>(link_from, {"trainer_of", "accompanist_of", "employer_of",
                                                                      "colleague_of", "relative_of"})};
                if (!candidate_ids.count(link.candidate))
                    l["candidate"].fail("'" + link.candidate + "' is not a candidate of this session; a link names one of `candidates`");
                m.links.push_back(std::move(link));
            });
        if (!member_ids.insert(m.id).second)
            r["id"].fail("member '" + m.id + "' is listed twice; give each member one entry");
        s.members.push_back(std::move(m));
    });
    if (s.members.empty()) root["members"].fail("a jury has members; list them");

    const bool has_exam = std::any_of(s.candidates.begin(), s.candidates.end(),
                                      [](const Candidate& c) { return c.route == ledger::Route::exam; });
    if (has_exam && !s.grading)
        root.fail("exam candidates are graded: add \"grading\" {referentiel, policy, evaluations, exam_session}");

    if (root.has("override")) {
        const Reader o = root["override"];
        o.expect_object({"findings", "reason", "by"});
        Override ov{o["findings"].strings(), nonempty(o["reason"]), nonempty(o["by"])};
        if (ov.findings.empty()) o["findings"].fail("name the finding codes the override covers");
        if (!member_ids.count(ov.by)) o["by"].fail("'" + ov.by + "' is not a member of this jury");
        s.override_findings = std::move(ov);
    }
    std::set<std::pair<std::string, std::string>> decided;
    if (root.has("decisions"))
        root["decisions"].each([&](const Reader& r) {
            r.expect_object({"candidate", "bloc", "verdict", "reason", "votes"});
            BlocDecision d;
            d.candidate = nonempty(r["candidate"]);
            if (!candidate_ids.count(d.candidate))
                r["candidate"].fail("'" + d.candidate + "' is not a candidate of this session");
            d.bloc = nonempty(r["bloc"]);
            d.verdict = r["verdict"].enumeration<Verdict>(verdict_from, {"confirm", "validate", "refuse"});
            r.optional_string("reason", d.reason);
            if (r.has("votes")) d.votes = read_votes(r["votes"]);
            if (!decided.emplace(d.candidate, d.bloc).second)
                r.fail("a second decision on " + d.candidate + " / " + d.bloc + "; keep one decision per candidate and bloc");
            s.decisions.push_back(std::move(d));
        });
    if (root.has("withheld"))
        root["withheld"].each([&](const Reader& r) {
            r.expect_object({"candidate", "reason"});
            Withholding w{nonempty(r["candidate"]), r.has("reason") ? r["reason"].string() : ""};
            if (!candidate_ids.count(w.candidate))
                r["candidate"].fail("'" + w.candidate + "' is not a candidate of this session");
            if (w.reason.find_first_not_of(" \t\r\n") == std::string::npos)
                r.fail("withholding the certification from an eligible candidate needs a reason");
            s.withheld.push_back(std::move(w));
        });
    if (root.has("corrects")) {
        const Reader c = root["corrects"];
        c.expect_object({"session", "reason"});
        s.corrects = Corrects{nonempty(c["session"]), nonempty(c["reason"])};
        if (s.corrects->session == s.id) c["session"].fail("a correction session has its own id, not the corrected one's");
    }
    return s;
}

}  // namespace detail

Session read_session(std::string_view text, std::string_view source) {
    return detail::read_session_document(io::detail::parse_strict(text, source), source);
}

Session detail::read_session_document(const nlohmann::json& doc, std::string_view source) {
    const Reader root(doc, "", source);
    io::detail::check_format(root, format_name, "jury session", session_format_version);
    root.expect_object({"format", "format_version", "referentiel", "session", "date", "place", "epreuves",
                        "grading", "composition", "members", "candidates", "override", "decisions", "withheld",
                        "corrects"});
    return detail::read_session(root);
}

std::string session_to_json(const Session& session) {
    ordered_json o;
    o["format"] = format_name;
    o["format_version"] = session_format_version;
    detail::write_session(o, session);
    return o.dump(2, ' ', false, nlohmann::json::error_handler_t::strict) + "\n";
}

}  // namespace certigraph::jury
