// `certigraph grade` and `certigraph explain`.
#include "cli/common.hpp"

#include <certigraph/grading/grader.hpp>
#include <certigraph/io/evaluations.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <set>
#include <sstream>
#include <unistd.h>

namespace certigraph::cli {

namespace {

/// A progress bar on standard error, only when it is a terminal.
class Progress {
  public:
    explicit Progress(std::string label) : label_(std::move(label)), active_(isatty(STDERR_FILENO)) {}
    ~Progress() {
        if (active_ && shown_) std::cerr << '\r' << std::string(label_.size() + 40, ' ') << '\r';
    }
    void operator()(std::size_t done, std::size_t total) {
        if (!active_ || total < 100'000) return;
        shown_ = true;
        const std::size_t width = 30, filled = total ? done * width / total : width;
        std::cerr << '\r' << label_ << " [" << std::string(filled, '#') << std::string(width - filled, '.')
                  << "] " << std::setw(3) << (total ? done * 100 / total : 100) << '%' << std::flush;
    }

  private:
    std::string label_;
    bool active_;
    bool shown_ = false;
};

std::string number(double v) {
    std::ostringstream os;
    os << std::setprecision(4) << v;
    return os.str();
}

std::string describe(const Explanation& e) {
    std::string out = e.code + "  " + std::string(to_string(e.status)) + "  " + e.rule;
    if (e.kind == NodeKind::criterion) {
        if (e.value) out += ": " + number(*e.value);
        if (e.margin) out += " (margin " + std::string(*e.margin >= 0 ? "+" : "") + number(*e.margin) + ")";
        out += "  jurors";
        for (const auto& j : e.jurors) out += " " + (j ? number(*j) : std::string("-"));
    } else {
        const bool counting = e.rule == "all" || e.rule.rfind("at_least", 0) == 0;
        if (counting) {
            std::size_t met = 0;
            for (const auto& c : e.children) met += c.status == Status::validated || c.status == Status::exempt;
            out += ": " + std::to_string(met) + " of " + std::to_string(e.children.size()) + " met";
        } else {
            if (e.value) out += ": " + number(*e.value);
            if (e.margin) out += " (margin " + std::string(*e.margin >= 0 ? "+" : "") + number(*e.margin) + ")";
        }
    }
    if (!e.note.empty()) out += "  [" + e.note + "]";
    return out;
}

void print_tree(std::ostream& out, const Explanation& e, const std::string& indent) {
    out << indent << describe(e) << '\n';
    for (const auto& child : e.children) print_tree(out, child, indent + "  ");
}

nlohmann::ordered_json to_json(const Explanation& e) {
    nlohmann::ordered_json o{{"kind", to_string(e.kind)}, {"code", e.code}, {"status", to_string(e.status)},
                             {"rule", e.rule}};
    if (e.value) o["value"] = *e.value;
    if (e.threshold) o["threshold"] = *e.threshold;
    if (e.margin) o["margin"] = *e.margin;
    if (e.kind == NodeKind::criterion) {
        o["jurors"] = nlohmann::ordered_json::array();
        for (const auto& j : e.jurors) o["jurors"].push_back(j ? nlohmann::ordered_json(*j) : nullptr);
    }
    if (!e.note.empty()) o["note"] = e.note;
    if (!e.children.empty()) {
        o["children"] = nlohmann::ordered_json::array();
        for (const auto& c : e.children) o["children"].push_back(to_json(c));
    }
    return o;
}

struct Session {
    Grader grader;
    Cohort cohort;
};

Session open_session(const GradeArguments& a) {
    Grader grader(io::load_referentiel(a.referentiel), io::load_policy(a.policy));
    Cohort cohort = io::load_evaluations(grader, a.evaluations);
    return {std::move(grader), std::move(cohort)};
}

void write_atomically(const std::string& path, const std::string& text) {
    const std::string temporary = path + ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        if (!out) throw IoError(temporary + ": cannot open for writing");
        out << text;
        out.close();
        if (!out) throw IoError(temporary + ": write failed");
    }
    if (std::rename(temporary.c_str(), path.c_str()) != 0) throw IoError(path + ": cannot replace");
}

}  // namespace

std::string results_csv(const Grader& grader, const Cohort& cohort, const GradeResult& result) {
    const auto blocs = grader.referentiel().blocs();
    std::string out = "candidate,bloc,status\n";
    for (std::size_t r = 0; r < result.rows; ++r) {
        const std::string candidate = csv_field(cohort.candidate(r));
        for (std::size_t b = 0; b < result.blocs; ++b) {
            out += candidate;
            out += ',';
            out += blocs[b].code;
            out += ',';
            out += to_string(result.bloc(r, b));
            out += '\n';
        }
    }
    return out;
}

int run_grade(const GradeArguments& a, const std::string& output, unsigned threads) {
    Session s = open_session(a);
    std::set<std::string> sessions;
    for (std::size_t r = 0; r < s.cohort.rows(); ++r) sessions.insert(s.cohort.session(r));
    if (sessions.size() > 1)
        throw Error(a.evaluations + ": holds " + std::to_string(sessions.size()) +
                    " sessions; the results file has one row per candidate and bloc, so grade one "
                    "session's evaluations at a time");
    Progress progress("grading");
    const GradeResult result = s.grader.grade(
        s.cohort, {.threads = threads, .details = false, .progress = std::ref(progress)});

    const bool json = output.size() > 5 && output.substr(output.size() - 5) == ".json";
    if (!json) {
        write_atomically(output, results_csv(s.grader, s.cohort, result));
    } else {
        nlohmann::ordered_json doc;
        doc["format"] = "certigraph/results";
        doc["format_version"] = 1;
        doc["referentiel"] = s.grader.referentiel().certification().code;
        doc["results"] = nlohmann::ordered_json::array();
        for (std::size_t r = 0; r < result.rows; ++r) {
            nlohmann::ordered_json row{{"candidate", s.cohort.candidate(r)}, {"session", s.cohort.session(r)}};
            row["blocs"] = nlohmann::ordered_json::array();
            for (const auto& e : s.grader.explain(s.cohort, r)) row["blocs"].push_back(to_json(e));
            doc["results"].push_back(std::move(row));
        }
        write_atomically(output, doc.dump(2, ' ', false) + "\n");
    }
    std::size_t counts[4] = {};
    for (Status st : result.bloc_status) ++counts[static_cast<int>(st)];
    std::cout << "graded " << counted(result.rows, "candidate", "candidates") << " x "
              << counted(result.blocs, "bloc", "blocs") << ": " << counts[1] << " validated, " << counts[2]
              << " not validated, " << counts[0] << " incomplete, " << counts[3] << " exempt; wrote "
              << output << '\n';
    return ok;
}

int run_explain(const GradeArguments& a, const std::string& candidate, const std::string& session,
                const std::string& format) {
    Session s = open_session(a);
    const std::size_t row = s.cohort.find_row(candidate, session);
    if (row == s.cohort.rows())
        throw NotFound("no evaluations for candidate '" + candidate + "'" +
                       (session.empty() ? "" : " in session '" + session + "'") + " in " + a.evaluations);
    const auto tree = s.grader.explain(s.cohort, row);
    if (format == "json") {
        nlohmann::ordered_json doc{{"candidate", candidate}, {"session", s.cohort.session(row)}};
        doc["blocs"] = nlohmann::ordered_json::array();
        for (const auto& e : tree) doc["blocs"].push_back(to_json(e));
        std::cout << doc.dump(2, ' ', false) << '\n';
        return ok;
    }
    std::cout << candidate << " (session " << s.cohort.session(row) << ")\n";
    for (const auto& e : tree) print_tree(std::cout, e, "  ");
    return ok;
}

void print_grid(std::ostream& out, const Grader& grader, const Cohort& cohort, const GradeResult& result) {
    const auto blocs = grader.referentiel().blocs();
    out << std::left << std::setw(10) << "candidate";
    for (const auto& b : blocs) out << std::setw(15) << b.code.substr(b.code.size() >= 4 ? b.code.size() - 4 : 0);
    out << '\n';
    for (std::size_t r = 0; r < result.rows; ++r) {
        out << std::setw(10) << cohort.candidate(r);
        for (std::size_t b = 0; b < result.blocs; ++b) out << std::setw(15) << to_string(result.bloc(r, b));
        out << '\n';
    }
}

}  // namespace certigraph::cli
