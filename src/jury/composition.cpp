// The composition check (docs/jury.md, "Composition"): the jury that decides on each
// candidate, after recusals, against the rules of the candidate's route.
#include <certigraph/jury/composition.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>

namespace certigraph::jury {

namespace {

std::string route_name(ledger::Route route) {
    return route == ledger::Route::vae ? "VAE (Code du travail D6412-6)" : "exam (the certification's jury rules)";
}

std::string route_fr(ledger::Route route) {
    return route == ledger::Route::vae ? "VAE (Code du travail, art. D6412-6)"
                                       : "examen (règles du jury de la certification)";
}

std::string link_fr(LinkKind kind) {
    switch (kind) {
        case LinkKind::trainer_of: return "formateur ou formatrice de";
        case LinkKind::accompanist_of: return "accompagnateur ou accompagnatrice VAE de";
        case LinkKind::employer_of: return "employeur de";
        case LinkKind::colleague_of: return "collègue de";
        case LinkKind::relative_of: return "proche de";
    }
    return "lié(e) à";
}

/// Sets the French texts of a finding.
Finding&& french(Finding&& f, std::string rule, std::string problem, std::string fix) {
    f.rule_fr = std::move(rule);
    f.problem_fr = std::move(problem);
    f.fix_fr = std::move(fix);
    return std::move(f);
}

/// A finding with the route it was made for (session-wide findings apply to that
/// route's candidates only).
struct Found {
    Finding finding;
    ledger::Route route;
};

/// The rules of `policy` on the members `deciding` (ids); `candidate` empty: the
/// whole present jury.
std::vector<Finding> check_jury(const Session& session, const std::vector<const Member*>& deciding,
                                const CompositionPolicy& policy, ledger::Route route, const std::string& candidate) {
    std::vector<Finding> out;
    const std::string who = candidate.empty() ? "the jury" : "the jury deciding on " + candidate;
    const std::string src = route_name(route);
    auto ids = [&](auto&& keep) {
        std::vector<std::string> v;
        for (const Member* m : deciding)
            if (keep(*m)) v.push_back(m->id);
        return v;
    };
    auto all = ids([](const Member&) { return true; });
    const int n = static_cast<int>(deciding.size());

    const std::string fr = route_fr(route);
    const std::string qui = candidate.empty() ? "le jury" : "le jury qui délibère sur " + candidate;
    if (n < policy.min_members)
        out.push_back(french({"JURY-MIN-MEMBERS", true, candidate, all,
                              src + ": at least " + std::to_string(policy.min_members) + " members decide",
                              who + " has " + std::to_string(n) + " present member" + (n == 1 ? "" : "s") +
                                  " who may decide",
                              "appoint another member without a link to the candidate, or record an override with its "
                              "reason"},
                             fr + " : au moins " + std::to_string(policy.min_members) + " membres délibèrent",
                             qui + " compte " + std::to_string(n) + " membre(s) présent(s) pouvant délibérer",
                             "désigner un autre membre sans lien avec le candidat, ou consigner une dérogation motivée"));

    const auto qualified = ids([](const Member& m) { return m.qualified; });
    if (static_cast<int>(qualified.size()) < policy.min_qualified)
        out.push_back(french({"JURY-MIN-QUALIFIED", true, candidate, all,
                              src + ": at least " + std::to_string(policy.min_qualified) +
                                  " member(s) qualified for the certification",
                              who + " has " + std::to_string(qualified.size()) + " qualified member(s)",
                              "add a member who holds the certification or is qualified for it (\"qualified\": true)"},
                             fr + " : au moins " + std::to_string(policy.min_qualified) +
                                 " membre(s) qualifié(s) pour la certification",
                             qui + " compte " + std::to_string(qualified.size()) + " membre(s) qualifié(s)",
                             "adjoindre un membre titulaire de la certification ou qualifié pour celle-ci"));

    if (policy.min_professional_share > 0.0) {
        const auto pros = ids([](const Member& m) { return m.professional; });
        // Exact in integers: pros / n >= share  <=>  pros >= ceil(share * n).
        const int needed = static_cast<int>(std::ceil(policy.min_professional_share * n - 1e-9));
        const std::string percent = std::to_string(static_cast<int>(std::lround(policy.min_professional_share * 100)));
        if (static_cast<int>(pros.size()) < needed)
            out.push_back(french({"JURY-PROFESSIONAL-SHARE", true, candidate,
                                  ids([](const Member& m) { return !m.professional; }),
                                  src + ": at least " + percent + " % professionals of the trade",
                                  who + " has " + std::to_string(pros.size()) + " professional(s) of " +
                                      std::to_string(n) + " (" + std::to_string(needed) + " needed)",
                                  "add a professional of the trade, or mark a member who is one with "
                                  "\"professional\": true"},
                                 fr + " : au moins " + percent + " % de professionnels du métier",
                                 qui + " compte " + std::to_string(pros.size()) + " professionnel(s) sur " +
                                     std::to_string(n) + " (" + std::to_string(needed) + " requis)",
                                 "adjoindre un professionnel du métier"));
    }

    if (policy.max_gender_gap >= 0) {
        const auto women = ids([](const Member& m) { return m.gender == Gender::female; });
        const auto men = ids([](const Member& m) { return m.gender == Gender::male; });
        const int gap = std::abs(static_cast<int>(women.size()) - static_cast<int>(men.size()));
        const std::string gap_text = std::to_string(policy.max_gender_gap);
        if (gap > policy.max_gender_gap)
            out.push_back(french({"JURY-GENDER-BALANCE", true, candidate, women.size() > men.size() ? women : men,
                                  src + ": a balanced jury (women and men differ by at most " + gap_text + ")",
                                  who + " has " + std::to_string(women.size()) + " women and " +
                                      std::to_string(men.size()) + " men",
                                  "appoint a member so that the numbers of women and men differ by at most " +
                                      gap_text + ", or record an override with its reason"},
                                 fr + " : composition équilibrée entre femmes et hommes (écart d'au plus " +
                                     gap_text + ")",
                                 qui + " compte " + std::to_string(women.size()) + " femme(s) et " +
                                     std::to_string(men.size()) + " homme(s)",
                                 "désigner un membre de sorte que l'écart soit d'au plus " + gap_text +
                                     ", ou consigner une dérogation motivée"));
    }

    if (policy.president_required) {
        const auto presidents = ids([](const Member& m) { return m.role == Role::president; });
        if (presidents.empty()) {
            std::vector<std::string> absent;
            for (const auto& m : session.members)
                if (m.role == Role::president) absent.push_back(m.id);
            out.push_back(french({"JURY-PRESIDENT", true, candidate, absent,
                                  src + ": a president sits and holds the casting vote",
                                  absent.empty() ? who + " has no president"
                                                 : who + " has no president: " + absent.front() + " is absent or recused",
                                  "name a present member without a link to the candidate as president "
                                  "(\"role\": \"president\")"},
                                 fr + " : un président siège et a voix prépondérante",
                                 absent.empty() ? qui + " n'a pas de président"
                                                : qui + " n'a pas de président : " + absent.front() +
                                                      " est absent(e) ou récusé(e)",
                                 "désigner comme président un membre présent sans lien avec le candidat"));
        } else if (presidents.size() > 1) {
            out.push_back(french({"JURY-PRESIDENT", true, candidate, presidents,
                                  src + ": one president holds the casting vote",
                                  who + " has " + std::to_string(presidents.size()) + " presidents",
                                  "keep one member with \"role\": \"president\""},
                                 fr + " : un seul président a voix prépondérante",
                                 qui + " compte " + std::to_string(presidents.size()) + " présidents",
                                 "ne garder qu'un président"));
        }
    }
    return out;
}

}  // namespace

CompositionReport check_composition(const Session& session) {
    CompositionReport report;
    std::vector<const Member*> present;
    for (const auto& m : session.members)
        if (m.present) present.push_back(&m);

    // Session-wide: the whole present jury, once per route that has candidates.
    std::vector<Found> found;
    std::set<ledger::Route> routes;
    for (const auto& c : session.candidates) routes.insert(c.route);
    for (ledger::Route route : routes)
        for (auto& f : check_jury(session, present, session.policy_for(route), route, ""))
            found.push_back({std::move(f), route});
    const std::size_t session_wide = found.size();

    // Candidate by candidate: recusals, then the rules on the jury that remains,
    // reporting what the session-wide check did not already say.
    for (const auto& c : session.candidates) {
        const CompositionPolicy policy = session.policy_for(c.route);
        CandidateJury jury;
        jury.candidate = c.id;
        std::vector<const Member*> deciding;
        for (const Member* m : present) {
            const auto link = std::find_if(m->links.begin(), m->links.end(), [&](const Link& l) {
                return l.candidate == c.id &&
                       std::find(policy.recusing_links.begin(), policy.recusing_links.end(), l.kind) !=
                           policy.recusing_links.end();
            });
            if (link == m->links.end()) {
                deciding.push_back(m);
                jury.deciding.push_back(m->id);
                if (m->role == Role::president && jury.president.empty()) jury.president = m->id;
                continue;
            }
            jury.recused.push_back(m->id);
            found.push_back(
                {french({"JURY-RECUSED", false, c.id, {m->id},
                         route_name(c.route) + ": a member with a link to the candidate does not decide on them",
                         m->id + " (" + m->name + ") is " + std::string(to_string(link->kind)) + " " + c.id +
                             " and is recused for this candidate",
                         m->id + " leaves the deliberation on " + c.id +
                             "; nothing else to do while the jury still complies"},
                        route_fr(c.route) + " : un membre lié au candidat ne délibère pas sur lui",
                        m->name + " (" + m->id + "), " + link_fr(link->kind) + " " + c.id +
                            ", est récusé(e) pour ce candidat",
                        m->name + " quitte la délibération sur " + c.id +
                            " ; rien d'autre à faire tant que le jury reste conforme"),
                 c.route});
        }
        if (!jury.recused.empty())
            for (auto& f : check_jury(session, deciding, policy, c.route, c.id)) {
                const bool said = std::any_of(found.begin(), found.begin() + static_cast<std::ptrdiff_t>(session_wide),
                                              [&](const Found& s) {
                                                  return s.route == c.route && s.finding.code == f.code &&
                                                         s.finding.members == f.members;
                                              });
                if (!said) found.push_back({std::move(f), c.route});
            }
        report.juries.push_back(std::move(jury));
    }

    // The override covers the codes it names.
    const Override* ov = session.override_findings ? &*session.override_findings : nullptr;
    std::set<std::string> used;
    for (auto& f : found) {
        if (ov && f.finding.blocking &&
            std::find(ov->findings.begin(), ov->findings.end(), f.finding.code) != ov->findings.end()) {
            f.finding.overridden = true;
            used.insert(f.finding.code);
        }
    }
    if (ov)
        for (const auto& code : ov->findings)
            if (!used.count(code)) report.unused_override.push_back(code);

    for (auto& jury : report.juries) {
        const Candidate* c = session.candidate(jury.candidate);
        for (const auto& f : found)
            if (f.finding.blocking && !f.finding.overridden &&
                (f.finding.candidate == jury.candidate || (f.finding.candidate.empty() && f.route == c->route)))
                jury.compliant = false;
        if (!jury.compliant) report.compliant = false;
    }
    for (auto& f : found) report.findings.push_back(std::move(f.finding));
    return report;
}

}  // namespace certigraph::jury
