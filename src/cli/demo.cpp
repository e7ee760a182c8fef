// `certigraph demo`: the README's first command. Loads the embedded RNCP40514
// référentiel (or a given file), checks it and prints its tree and statistics; grades
// the sample cohort; records its session and the candidates' requirement evidence in
// a temporary ledger and prints who is eligible, and why; then the sample's jury
// deliberates, seals its session into that ledger and writes its procès-verbal.
#include "cli/common.hpp"

#include <certigraph/jury/deliberation.hpp>
#include <certigraph/jury/pv.hpp>

#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <sstream>
#include <iostream>
#include <unistd.h>

namespace certigraph::cli {

namespace {

constexpr std::size_t title_width = 72;

std::string epreuve_codes(const Referentiel& ref, std::span<const Index> epreuves) {
    if (epreuves.empty()) return "no épreuve";
    std::string out;
    for (Index e : epreuves) out += (out.empty() ? "" : ", ") + ref.epreuves()[e].code;
    return out;
}

std::string requirement_text(const Requirement& r) {
    std::string out;
    switch (r.kind) {
        case RequirementKind::language:
            out = r.language + " " + r.framework + " " + r.level + " or above";
            if (r.third_party) out += ", attested by a third party";
            break;
        case RequirementKind::mobility: {
            std::ostringstream os;
            os << "international mobility >= " << r.minimum_weeks << " weeks";
            out = os.str();
            break;
        }
        case RequirementKind::experience: {
            std::ostringstream os;
            os << "work experience >= " << r.minimum_months << " months"
               << (r.consecutive ? " (consecutive)" : " (consecutive or not)");
            out = os.str();
            break;
        }
    }
    if (r.applies_when)
        out += ", when " + r.applies_when->attribute +
               (r.applies_when->op == ConditionOperator::equals ? " = " : " != ") +
               r.applies_when->value;
    return out;
}

void print_certification(std::ostream& out, const Referentiel& ref) {
    const Certification& c = ref.certification();
    out << c.code << " - " << c.title;
    if (c.level) out << " (level " << c.level << ")";
    out << '\n';
    auto date = [](const std::optional<Date>& d) { return d ? d->to_string() : "unknown"; };
    out << "  paths from " << date(c.dates.start_of_paths) << ", registered until "
        << date(c.dates.end_of_registration) << ", last delivery " << date(c.dates.last_delivery)
        << '\n';
    out << "  access routes:";
    for (auto r : c.access_routes) out << ' ' << to_string(r);
    out << '\n';
    if (!c.previous.empty()) {
        out << "  replaces:";
        for (const auto& p : c.previous) out << ' ' << p;
        out << '\n';
    }
    out << "  award: every required bloc";
    for (const auto& r : c.requirements) out << "\n    + " << r.code << ": " << requirement_text(r);
    out << "\n\n";
}

void print_tree(std::ostream& out, const Referentiel& ref) {
    const auto blocs = ref.blocs();
    for (Index b = 0; b < blocs.size(); ++b) {
        const bool last_bloc = b + 1 == blocs.size();
        out << (last_bloc ? "└─ " : "├─ ") << blocs[b].code << "  "
            << ellipsize(blocs[b].title, title_width) << (blocs[b].optional ? "  [optional]" : "")
            << '\n';
        const std::string bloc_pad = last_bloc ? "   " : "│  ";
        const auto competencies = ref.competencies_of_bloc(b);
        for (std::size_t i = 0; i < competencies.size(); ++i) {
            const Index comp = competencies[i];
            const bool last_comp = i + 1 == competencies.size();
            out << bloc_pad << (last_comp ? "└─ " : "├─ ") << std::left << std::setw(6)
                << ref.competencies()[comp].code << ' '
                << ellipsize(ref.competencies()[comp].title, title_width - 8) << "  ["
                << epreuve_codes(ref, ref.epreuves_covering_competency(comp)) << "]\n";
            const std::string comp_pad = bloc_pad + (last_comp ? "   " : "│  ");
            const auto criteria = ref.criteria_of_competency(comp);
            for (std::size_t k = 0; k < criteria.size(); ++k)
                out << comp_pad << (k + 1 == criteria.size() ? "└─ " : "├─ ") << std::setw(6)
                    << ref.criteria()[criteria[k]].code << ' '
                    << ellipsize(ref.criteria()[criteria[k]].title, title_width - 14) << '\n';
        }
    }
    out << '\n';
}

void print_epreuves(std::ostream& out, const Referentiel& ref) {
    out << "Épreuves\n";
    for (Index e = 0; e < ref.epreuves().size(); ++e) {
        const Epreuve& ep = ref.epreuves()[e];
        std::size_t competencies = 0;
        for (const auto& code : ep.evaluates)
            competencies += ref.find(code)->kind == NodeKind::competency;
        const std::string title = ellipsize(ep.title, 56);
        out << "  " << std::left << std::setw(4) << ep.code << ' ' << title
            << std::string(58 - std::min<std::size_t>(58, display_width(title)), ' ')
            << "names " << counted(competencies, "competency", "competencies") << ", evaluates "
            << counted(ref.criteria_of_epreuve(e).size(), "criterion", "criteria") << '\n';
    }
    out << '\n';
}

void print_statistics(std::ostream& out, const Referentiel& ref) {
    out << "Statistics\n  " << node_counts(ref) << '\n';
    out << "  " << std::left << std::setw(16) << "bloc" << std::right << std::setw(13)
        << "competencies" << std::setw(10) << "criteria" << std::setw(10) << "épreuves" << '\n';
    for (Index b = 0; b < ref.blocs().size(); ++b) {
        std::vector<Index> eps;
        for (Index k : ref.criteria_of_bloc(b))
            for (Index e : ref.epreuves_covering_criterion(k)) eps.push_back(e);
        std::sort(eps.begin(), eps.end());
        eps.erase(std::unique(eps.begin(), eps.end()), eps.end());
        out << "  " << std::left << std::setw(16) << ref.blocs()[b].code << std::right
            << std::setw(13) << ref.competencies_of_bloc(b).size() << std::setw(10)
            << ref.criteria_of_bloc(b).size() << std::setw(9) << eps.size() << '\n';
    }
    const auto gaps = ref.unevaluated_competencies();
    out << "  competencies no épreuve evaluates:";
    if (gaps.empty()) out << " none";
    for (Index c : gaps) out << ' ' << ref.competencies()[c].code;
    out << "\n\n";
}

/// The sample's jury: its composition, its decisions (every computed result confirmed,
/// C002's bloc 2 validated against it on a tie broken by the president), the seal into
/// the demo's ledger, and the procès-verbal.
int run_demo_jury(const Referentiel& ref, const Grader& grader, const Cohort& cohort, const GradeResult& result,
                  ledger::Ledger& store) {
    jury::Session session = jury::read_session(rncp40514_jury_session_json(),
                                               "embedded examples/juries/rncp40514-session.json");
    jury::GradedSession graded{ref, grader, cohort, result,
                               "sha256:" + ledger::sha256_hex(rncp40514_sample_csv())};
    const auto composition = jury::check_composition(session);
    std::cout << "\nJury " << session.id << " (" << session.date.to_string() << ", " << session.place
              << "; examples/juries/rncp40514-session.json)\n  composition: "
              << (composition.compliant ? "complies" : "DOES NOT COMPLY");
    for (const auto& f : composition.findings)
        if (f.code == "JURY-RECUSED") std::cout << "; " << f.members.front() << " recused for " << f.candidate;
    std::cout << '\n';
    for (const auto& cr : jury::grid(session, graded).candidates)
        for (const auto& cell : cr.blocs)
            if (cell.computed == Status::validated || cell.computed == Status::not_validated)
                session.decisions.push_back({cr.candidate.id, cell.bloc, jury::Verdict::confirm});
    const std::string reason = "projet professionnel évalué en entreprise : compétences du bloc démontrées";
    for (auto& d : session.decisions)
        if (d.candidate == "C002" && d.bloc == "RNCP40514BC02")
            d = {"C002", "RNCP40514BC02", jury::Verdict::validate, reason, jury::Votes{2, 2, 0, true}};
    std::cout << "  decisions: " << session.decisions.size() - 1
              << " computed results confirmed; C002 RNCP40514BC02 validated against the computed result "
                 "(not_validated), votes 2-2, the president's casting vote: \""
              << reason << "\"\n";
    const jury::Sealed sealed = jury::seal_session(session, graded, store, "embedded examples/juries/rncp40514-session.json");
    std::cout << "  sealed " << sealed.record.hash << "; " << counted(sealed.events.size(), "event", "events")
              << " recorded (" << (store.verify().empty() ? "hash chains intact" : "HASH CHAINS BROKEN") << ")\n";
    std::size_t awarded = 0;
    for (const auto& cr : sealed.record.candidates) {
        if (!cr.certification->awarded) continue;
        std::cout << "  " << cr.candidate.id << "  certification awarded\n";
        ++awarded;
    }
    std::cout << "  " << awarded << " of " << sealed.record.candidates.size()
              << " candidates awarded the certification\n";
    const std::filesystem::path pv = std::filesystem::temp_directory_path() / "certigraph-demo-pv.html";
    io::write_file(pv, jury::pv_html(sealed.record));
    std::cout << "  procès-verbal: " << pv.string() << " (open it in a browser, print it)\n";
    return ok;
}

}  // namespace

int run_demo(const std::string& referentiel_file) {
    const std::string source =
        referentiel_file.empty() ? "embedded examples/referentiels/rncp40514.json" : referentiel_file;
    const Referentiel ref = referentiel_file.empty()
                                ? io::referentiel_from_json(rncp40514_json(), source)
                                : io::load_referentiel(referentiel_file);
    std::cout << "certigraph " << CERTIGRAPH_VERSION_STRING << " demo: " << source << "\n\n";
    print_certification(std::cout, ref);
    print_tree(std::cout, ref);
    print_epreuves(std::cout, ref);
    print_statistics(std::cout, ref);
    std::cout << "Integrity check\n";
    print_diagnostics(std::cout, ref.diagnostics());

    // Grade the embedded sample cohort with the embedded default policy.
    const Grader grader(ref, io::policy_from_json(rncp40514_policy_json(),
                                                  "embedded examples/policies/rncp40514-default.json"));
    std::vector<Scale> scales;
    for (Index k = 0; k < ref.criteria().size(); ++k) scales.push_back(grader.scale_of_criterion(k));
    const Cohort cohort = io::read_evaluations(ref, scales, rncp40514_sample_csv(),
                                               "embedded examples/cohorts/rncp40514-sample.csv");
    const GradeResult result = grader.grade(cohort);
    std::cout << "\nSample cohort (examples/cohorts/rncp40514-sample.csv), default policy: criterion = "
                 "mean of the jurors >= 10/20, competency = all criteria, bloc = all competencies\n";
    print_grid(std::cout, grader, cohort, result);
    if (!referentiel_file.empty()) return ok;  // the sample's evidence is for RNCP40514

    // Record the session's decided blocs and the evidence, then decide eligibility.
    const Date jury = *Date::parse("2026-06-26"), decision = *Date::parse("2026-07-01");
    const std::filesystem::path db = std::filesystem::temp_directory_path() /
                                     ("certigraph-demo-" + std::to_string(::getpid()) + ".sqlite");
    struct Remove {
        std::filesystem::path path;
        ~Remove() {
            std::error_code ignored;
            for (const char* suffix : {"", "-wal", "-shm"})
                std::filesystem::remove(path.string() + suffix, ignored);
        }
    } remove_db{db};
    ledger::Ledger store = ledger::Ledger::create(db);
    const GradingBasis basis = grading_basis(ref, grader.policy());
    std::vector<ledger::Event> session;
    for (std::size_t r = 0; r < result.rows; ++r)
        for (Index b = 0; b < ref.blocs().size(); ++b) {
            const Status status = result.bloc(r, b);
            if (status != Status::validated && status != Status::not_validated) continue;
            session.push_back(bloc_result_event(basis, std::string(cohort.candidate(r)), ref.blocs()[b].code,
                                                status == Status::validated, jury, std::string(cohort.session(r)),
                                                "examples/cohorts/rncp40514-sample.csv"));
        }
    store.append(session);
    std::istringstream evidence{std::string(rncp40514_sample_evidence_jsonl())};
    const std::size_t imported = store.import_jsonl(evidence, "embedded examples/cohorts/rncp40514-sample-evidence.jsonl");
    std::cout << "\nLedger: " << counted(session.size(), "bloc result", "bloc results") << " of session 2026-06 (jury "
              << jury.to_string() << ") and " << counted(imported, "evidence event", "evidence events")
              << " (examples/cohorts/rncp40514-sample-evidence.jsonl); "
              << (store.verify().empty() ? "hash chains intact" : "HASH CHAINS BROKEN") << "\n\n";
    std::cout << "Eligibility for " << ref.certification().code << " as of " << decision.to_string() << "\n";
    const auto answers = ledger::eligibility_of_all(ref, store.all_events_by_candidate(), decision);
    print_eligibility(std::cout, ref, answers);
    return run_demo_jury(ref, grader, cohort, result, store);
}

}  // namespace certigraph::cli
