// `certigraph jury check|grid|decide|seal|pv`: one jury session, from the composition
// check to the sealed procès-verbal (docs/jury.md).
#include "cli/common.hpp"
#include "cli/jury.hpp"

#include <certigraph/jury/deliberation.hpp>
#include <certigraph/jury/pv.hpp>

#include "io/json_reader.hpp"
#include "jury/session_json.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <sstream>

namespace certigraph::cli {

namespace {

/// Input with an error (exit 1), said in one sentence.
struct Bad : InvalidInput {
    explicit Bad(std::string what) : InvalidInput(std::move(what), {}) {}
};

/// The folder relative grading paths are taken from: the session file's (or the
/// current one for `-`).
std::filesystem::path base_of(const std::string& path) {
    if (path == "-") return std::filesystem::current_path();
    const auto parent = std::filesystem::path(path).parent_path();
    return parent.empty() ? std::filesystem::path(".") : parent;
}

std::string margin_text(const std::optional<double>& m) {
    if (!m) return "";
    std::ostringstream os;
    os << std::showpos << std::fixed << std::setprecision(2) << *m;
    return os.str();
}

std::string members_text(const std::vector<std::string>& ids) {
    std::string out;
    for (const auto& id : ids) out += (out.empty() ? "" : " ") + printable(id);
    return out;
}

void print_findings(std::ostream& out, const jury::CompositionReport& report) {
    for (const auto& f : report.findings) {
        out << "  " << (f.overridden ? "overridden" : f.blocking ? "ERROR" : "info") << "  " << f.code << "  "
            << (f.candidate.empty() ? "(session)" : printable(f.candidate));
        if (!f.members.empty()) out << "  [" << members_text(f.members) << "]";
        out << "\n      " << printable(f.problem) << "\n      rule: " << printable(f.rule)
            << "\n      fix: " << printable(f.fix) << '\n';
    }
    for (const auto& code : report.unused_override)
        out << "  warning  the override names " << printable(code) << ", which no finding has: remove it\n";
}

/// Problems grouped by code: each one's place and sentence, then the code's fix once.
void print_problems(std::ostream& out, const std::vector<jury::Problem>& problems) {
    std::vector<std::string> codes;
    for (const auto& p : problems)
        if (std::find(codes.begin(), codes.end(), p.code) == codes.end()) codes.push_back(p.code);
    for (const auto& code : codes) {
        std::string fix;
        std::size_t n = 0;
        for (const auto& p : problems) n += p.code == code;
        out << "  " << code << " (" << n << ")\n";
        for (const auto& p : problems) {
            if (p.code != code) continue;
            out << "      " << printable(p.problem) << '\n';
            if (fix.empty()) fix = p.fix;
            else if (fix != p.fix) out << "        fix: " << printable(p.fix) << '\n';
        }
        out << "    fix: " << printable(fix) << '\n';
    }
}

std::string decision_text(const jury::BlocCell& cell) {
    if (!cell.decision) return cell.computed == Status::incomplete || cell.computed == Status::exempt ? "-" : "undecided";
    const auto& d = *cell.decision;
    std::string out(jury::to_string(d.verdict));
    if (cell.against) out += " (against)";
    if (d.votes) {
        out += ", votes " + std::to_string(d.votes->validate) + "-" + std::to_string(d.votes->refuse) + "-" +
               std::to_string(d.votes->abstain);
        if (d.votes->casting_vote) out += std::string(", casting vote ") + (*d.votes->casting_vote ? "validate" : "refuse");
    }
    if (!d.reason.empty()) out += ": " + printable(d.reason);
    return out;
}

void print_grid_table(std::ostream& out, const jury::Record& r) {
    for (const auto& cr : r.candidates) {
        out << printable(cr.candidate.id);
        if (!cr.candidate.name.empty()) out << " (" << printable(cr.candidate.name) << ")";
        out << "  " << ledger::to_string(cr.candidate.route) << ", jury " << members_text(cr.jury.deciding);
        if (!cr.jury.recused.empty()) out << ", recused " << members_text(cr.jury.recused);
        out << (cr.jury.compliant ? "" : "  NOT COMPLIANT") << '\n';
        for (const auto& cell : cr.blocs) {
            out << "  " << std::left << std::setw(16) << cell.bloc << std::setw(15)
                << (cell.computed ? std::string(to_string(*cell.computed)) : std::string("(vae)")) << std::setw(8)
                << margin_text(cell.margin) << decision_text(cell) << '\n';
        }
        if (cr.certification)
            out << "  certification: " << (cr.certification->awarded ? "awarded" : "not awarded")
                << (cr.certification->awarded || cr.certification->missing.empty()
                        ? ""
                        : " (missing: " + members_text(cr.certification->missing) + ")")
                << (cr.certification->reason.empty() ? "" : ", withheld: " + printable(cr.certification->reason))
                << '\n';
    }
}

/// Reads decisions `candidate,bloc,verdict[,reason[,validate,refuse,abstain[,casting_vote]]]`.
std::vector<jury::BlocDecision> read_decisions_csv(const std::string& path) {
    const std::string text = io::read_input(path);
    std::vector<jury::BlocDecision> out;
    std::istringstream in(text);
    std::string line;
    std::size_t n = 0;
    while (std::getline(in, line)) {
        ++n;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        const auto fields = csv_fields(line);
        const std::string where = path + ":" + std::to_string(n);
        if (n == 1) {
            if (fields.size() < 3 || fields[0] != "candidate" || fields[1] != "bloc" || fields[2] != "verdict")
                throw Bad(where + ": the header must begin with candidate,bloc,verdict (then reason, validate, "
                                           "refuse, abstain, casting_vote)");
            continue;
        }
        if (fields.size() < 3 || fields.size() > 8)
            throw Bad(where + ": " + std::to_string(fields.size()) +
                               " fields; write candidate,bloc,verdict[,reason[,validate,refuse,abstain[,casting_vote]]]");
        jury::BlocDecision d{fields[0], fields[1]};
        if (fields[2] == "confirm") d.verdict = jury::Verdict::confirm;
        else if (fields[2] == "validate") d.verdict = jury::Verdict::validate;
        else if (fields[2] == "refuse") d.verdict = jury::Verdict::refuse;
        else throw Bad(where + ": verdict '" + printable(fields[2]) + "': write confirm, validate or refuse");
        if (fields.size() > 3) d.reason = fields[3];
        if (fields.size() > 4) {
            if (fields.size() < 7) throw Bad(where + ": votes are three numbers: validate,refuse,abstain");
            jury::Votes v;
            int* slots[] = {&v.validate, &v.refuse, &v.abstain};
            for (int i = 0; i < 3; ++i) {
                const std::string& f = fields[4 + static_cast<std::size_t>(i)];
                if (f.empty() || f.size() > 4 || f.find_first_not_of("0123456789") != std::string::npos)
                    throw Bad(where + ": '" + printable(f) + "' is not a number of votes");
                *slots[i] = std::stoi(f);
            }
            if (fields.size() == 8 && !fields[7].empty()) {
                if (fields[7] != "validate" && fields[7] != "refuse")
                    throw Bad(where + ": casting_vote is validate or refuse");
                v.casting_vote = fields[7] == "validate";
            }
            d.votes = v;
        }
        out.push_back(std::move(d));
    }
    return out;
}

}  // namespace

jury::Session read_session_file(const std::string& path) {
    return jury::read_session(io::read_input(path), path);
}

jury::GradedSession load_graded(const jury::Session& session, const std::string& path,
                                const std::string& referentiel) {
    return jury::load_graded_session(session, base_of(path), referentiel);
}

int run_jury_check(const std::string& path, const std::string& format) {
    const jury::Session s = read_session_file(path);
    const jury::CompositionReport report = jury::check_composition(s);
    if (format == "json") {
        nlohmann::ordered_json doc;
        doc["session"] = s.id;
        doc["compliant"] = report.compliant;
        doc["findings"] = nlohmann::ordered_json::array();
        for (const auto& f : report.findings)
            doc["findings"].push_back({{"code", f.code}, {"blocking", f.blocking}, {"overridden", f.overridden},
                                       {"candidate", f.candidate}, {"members", f.members}, {"rule", f.rule},
                                       {"problem", f.problem}, {"fix", f.fix}});
        doc["juries"] = nlohmann::ordered_json::array();
        for (const auto& j : report.juries)
            doc["juries"].push_back({{"candidate", j.candidate}, {"deciding", j.deciding}, {"recused", j.recused},
                                     {"president", j.president}, {"compliant", j.compliant}});
        doc["unused_override"] = report.unused_override;
        std::cout << doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
        return report.compliant ? ok : found;
    }
    std::size_t present = 0;
    for (const auto& m : s.members) present += m.present;
    std::cout << printable(s.id) << " (" << s.date.to_string() << ", " << printable(s.place) << "): "
              << present << " of " << counted(s.members.size(), "member", "members") << " present, "
              << counted(s.candidates.size(), "candidate", "candidates") << '\n';
    for (const auto& j : report.juries)
        std::cout << "  " << std::left << std::setw(10) << printable(j.candidate) << " jury " << members_text(j.deciding)
                  << (j.president.empty() ? "" : " (president " + printable(j.president) + ")")
                  << (j.recused.empty() ? "" : ", recused " + members_text(j.recused))
                  << (j.compliant ? "" : "  NOT COMPLIANT") << '\n';
    if (!report.findings.empty() || !report.unused_override.empty()) {
        std::cout << "findings:\n";
        print_findings(std::cout, report);
    }
    std::cout << (report.compliant ? "the jury complies for every candidate"
                                   : "the jury does not comply: decisions cannot be sealed until the findings are "
                                     "fixed or overridden with a reason")
              << '\n';
    return report.compliant ? ok : found;
}

int run_jury_grid(const std::string& path, const std::string& referentiel, const std::string& format,
                  const std::string& explain) {
    const jury::Session s = read_session_file(path);
    if (!explain.empty()) {  // `certigraph explain` on the session's grading files
        const jury::Candidate* c = s.candidate(explain);
        if (!c) throw NotFound("'" + printable(explain) + "' is not a candidate of " + printable(s.id));
        if (c->route != ledger::Route::exam || !s.grading)
            throw Bad(printable(explain) + " is a VAE candidate: there is no computed result to explain");
        const jury::GradingInputs files = jury::grading_paths(s, base_of(path));
        GradeArguments a;
        a.referentiel = referentiel.empty() ? files.referentiel : referentiel;
        a.policy = files.policy;
        a.evaluations = files.evaluations;
        return run_explain(a, explain, files.exam_session, format == "json" ? "json" : "text");
    }
    const jury::Record r = jury::grid(s, load_graded(s, path, referentiel));
    if (format == "json") {
        std::cout << jury::record_to_json(r);
        return r.problems.empty() ? ok : found;
    }
    if (format == "csv") {
        std::cout << "candidate,route,bloc,computed,margin,verdict,validated,against,reason\n";
        for (const auto& cr : r.candidates)
            for (const auto& cell : cr.blocs) {
                std::cout << csv_field(cr.candidate.id) << ',' << ledger::to_string(cr.candidate.route) << ','
                          << csv_field(cell.bloc) << ',' << (cell.computed ? to_string(*cell.computed) : "") << ','
                          << margin_text(cell.margin) << ','
                          << (cell.decision ? jury::to_string(cell.decision->verdict) : "") << ','
                          << (cell.validated ? (*cell.validated ? "true" : "false") : "") << ','
                          << (cell.against ? "true" : "false") << ','
                          << csv_field(cell.decision ? cell.decision->reason : "") << '\n';
            }
        return r.problems.empty() ? ok : found;
    }
    std::cout << printable(s.id) << " - " << printable(r.certification_title) << " (" << s.referentiel.fiche
              << "), exam session " << (s.grading ? printable(s.grading->exam_session) : "-") << "\n\n";
    print_grid_table(std::cout, r);
    if (r.problems.empty()) {
        std::cout << "\nevery decision is taken: ready to seal\n";
        return ok;
    }
    std::cout << '\n' << counted(r.problems.size(), "problem", "problems") << " before sealing:\n";
    print_problems(std::cout, r.problems);
    return found;
}

int run_jury_decide(const JuryDecideArguments& a) {
    jury::Session s = read_session_file(a.session);
    std::vector<jury::BlocDecision> decisions;
    if (!a.from.empty()) decisions = read_decisions_csv(a.from);
    if (!a.candidate.empty() && !a.bloc.empty()) {
        jury::BlocDecision d{a.candidate, a.bloc};
        if (a.verdict == "confirm") d.verdict = jury::Verdict::confirm;
        else if (a.verdict == "validate") d.verdict = jury::Verdict::validate;
        else if (a.verdict == "refuse") d.verdict = jury::Verdict::refuse;
        else throw Bad("give the verdict: --confirm, --validate or --refuse");
        d.reason = a.reason;
        if (!a.votes.empty()) {
            jury::Votes v;
            if (std::sscanf(a.votes.c_str(), "%d:%d:%d", &v.validate, &v.refuse, &v.abstain) != 3 || v.validate < 0 ||
                v.refuse < 0 || v.abstain < 0)
                throw Bad("--votes '" + printable(a.votes) + "': write VALIDATE:REFUSE:ABSTAIN, e.g. 2:2:0");
            if (!a.casting_vote.empty()) v.casting_vote = a.casting_vote == "validate";
            d.votes = v;
        } else if (!a.casting_vote.empty()) {
            throw Bad("--casting-vote goes with --votes: the president's casting vote decides a tie");
        }
        decisions.push_back(std::move(d));
    } else if (!a.candidate.empty() || !a.bloc.empty()) {
        throw Bad("one decision needs both --candidate and --bloc");
    }
    std::size_t replaced = 0, added = 0;
    auto put = [&](jury::BlocDecision d) {
        if (!s.candidate(d.candidate))
            throw NotFound("'" + printable(d.candidate) + "' is not a candidate of " + printable(s.id));
        const auto same = std::find_if(s.decisions.begin(), s.decisions.end(), [&](const jury::BlocDecision& x) {
            return x.candidate == d.candidate && x.bloc == d.bloc;
        });
        if (same != s.decisions.end()) {
            *same = std::move(d);
            ++replaced;
        } else {
            s.decisions.push_back(std::move(d));
            ++added;
        }
    };
    for (auto& d : decisions) put(std::move(d));
    if (a.confirm_rest) {
        const jury::GradedSession g = load_graded(s, a.session, a.referentiel);
        const jury::Record r = jury::grid(s, g);
        for (const auto& cr : r.candidates)
            for (const auto& cell : cr.blocs)
                if (!cell.decision && (cell.computed == Status::validated || cell.computed == Status::not_validated))
                    put({cr.candidate.id, cell.bloc, jury::Verdict::confirm});
    }
    if (!a.withhold.empty()) {
        if (!s.candidate(a.withhold))
            throw NotFound("'" + printable(a.withhold) + "' is not a candidate of " + printable(s.id));
        if (a.reason.find_first_not_of(" \t") == std::string::npos)
            throw Bad("withholding the certification from an eligible candidate needs --reason");
        s.withheld.erase(std::remove_if(s.withheld.begin(), s.withheld.end(),
                                        [&](const jury::Withholding& w) { return w.candidate == a.withhold; }),
                         s.withheld.end());
        s.withheld.push_back({a.withhold, a.reason});
    }
    if (decisions.empty() && !a.confirm_rest && a.withhold.empty())
        throw Bad("nothing to decide: give --from FILE.csv, --candidate/--bloc with a verdict, "
                           "--confirm-rest or --withhold");
    // Written elsewhere: the grading paths are rebased so that they still name the same files.
    const std::string target = a.out.empty() ? a.session : a.out;
    if (!a.out.empty() && s.grading && a.out != "-") {
        const auto from = std::filesystem::absolute(base_of(a.session));
        const auto to = std::filesystem::absolute(base_of(a.out));
        for (std::string* p : {&s.grading->referentiel, &s.grading->policy, &s.grading->evaluations}) {
            if (std::filesystem::path(*p).is_absolute()) continue;
            const auto file = (from / *p).lexically_normal();
            const auto relative = file.lexically_relative(to.lexically_normal());
            *p = relative.empty() ? file.string() : relative.string();
        }
    }
    // Check the file still reads back before replacing it.
    const std::string text = jury::session_to_json(s);
    (void)jury::read_session(text, target);
    io::write_file(target, text);
    std::cout << printable(target) << ": " << counted(added, "decision", "decisions") << " added, " << replaced
              << " replaced" << (a.withhold.empty() ? "" : ", certification withheld from " + printable(a.withhold))
              << " (" << counted(s.decisions.size(), "decision", "decisions") << " in all)\n";
    return ok;
}

}  // namespace certigraph::cli

namespace certigraph::cli {

namespace {

/// `SESSION.json` -> `SESSION.sealed.json`.
std::string sealed_path(const std::string& session) {
    std::filesystem::path p(session);
    const std::string stem = p.extension() == ".json" ? p.stem().string() : p.filename().string();
    return (p.parent_path() / (stem + ".sealed.json")).string();
}

void print_certifications(std::ostream& out, const jury::Record& r) {
    for (const auto& cr : r.candidates) {
        if (!cr.certification) continue;
        const auto& c = *cr.certification;
        out << "  " << std::left << std::setw(10) << printable(cr.candidate.id)
            << (c.awarded ? "certification awarded" : "certification not awarded");
        if (!c.awarded && !c.reason.empty()) out << " (withheld: " << printable(c.reason) << ")";
        else if (!c.awarded) out << " (missing: " << members_text(c.missing) << ")";
        out << '\n';
    }
}

}  // namespace

int run_jury_seal(const std::string& path, const std::string& db, const std::string& out,
                  const std::string& referentiel, bool no_verify) {
    const jury::Session s = read_session_file(path);
    const jury::GradedSession g = load_graded(s, path, referentiel);
    const std::string target = out.empty() ? sealed_path(path) : out;
    io::check_output(target);  // refuse a bad output before touching the ledger
    ledger::Ledger store = open_existing_ledger(db);
    if (!verify_before_use(store, db, no_verify, std::cout)) return found;
    jury::Sealed sealed;
    try {
        sealed = jury::seal_session(s, g, store, path);
    } catch (const jury::NotReady& e) {  // grouped as the grid prints them
        std::cout << printable(s.id) << " cannot be sealed: "
                  << counted(e.problems().size(), "problem", "problems") << " (nothing recorded)\n";
        print_problems(std::cout, e.problems());
        return found;
    } catch (const jury::AlreadyRecorded& e) {
        std::cout << "refused: " << printable(e.what()) << '\n';
        return found;
    }
    io::write_file(target, jury::record_to_json(sealed.record));
    std::cout << printable(s.id) << " sealed: " << sealed.record.hash << "\n  "
              << counted(sealed.events.size(), "event", "events") << " recorded in " << db << " (recording "
              << sealed.recorded.recording << ", " << sealed.recorded.recorded_at << ")\n";
    print_certifications(std::cout, sealed.record);
    std::cout << "  sealed record: " << printable(target) << '\n';
    return ok;
}

int run_jury_pv(const std::string& input, const std::string& out, const std::string& format_option,
                const std::string& db, const std::string& referentiel, bool one_page_per_candidate) {
    // A sealed record gives the final procès-verbal; a session file a draft. The input
    // is parsed once, then read as what its "format" says.
    const nlohmann::json doc = io::detail::parse_strict(io::read_input(input), input);
    jury::Record record;
    if (doc.is_object() && doc.contains("format") && doc["format"] == jury::detail::record_format) {
        try {
            record = jury::detail::read_record_document(doc, input);
        } catch (const jury::SealBroken& e) {
            std::cerr << "certigraph: " << printable(e.what()) << '\n';
            return found;
        }
    } else {
        const jury::Session s = jury::detail::read_session_document(doc, input);
        const jury::GradedSession g = load_graded(s, input, referentiel);
        if (!db.empty())
            record = jury::prepare(s, g, jury::events_on_record(s, open_existing_ledger(db)));
        else
            record = jury::grid(s, g);  // no ledger: no certification decisions
    }
    std::string format = format_option;
    if (format.empty()) {
        const std::string ext = std::filesystem::path(out).extension().string();
        if (ext == ".html" || ext == ".htm") format = "html";
        else if (ext == ".csv") format = "csv";
        else if (ext == ".json") format = "json";
        else
            throw Error("--out '" + printable(out) + "': the extension .html, .csv or .json chooses the format; or "
                        "give --format");
    }
    jury::PvOptions options;
    options.page_per_candidate = one_page_per_candidate;
    if (format == "html") io::write_file(out, jury::pv_html(record, options));
    else if (format == "json") io::write_file(out, jury::pv_json(record));
    else
        io::write_file(out, [&](std::ostream& os) {
            io::CsvOptions csv;
            csv.formula_guard = settings().formula_guard;
            jury::write_pv_csv(os, record, csv);
        });
    if (out != "-")
        std::cout << printable(out) << ": procès-verbal of " << printable(record.session.id) << ", "
                  << counted(record.candidates.size(), "candidate", "candidates") << ", "
                  << (record.hash.empty() ? "DRAFT (not sealed)" : "sealed " + record.hash) << '\n';
    return ok;
}

}  // namespace certigraph::cli
