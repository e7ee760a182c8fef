// `certigraph grade` and `certigraph explain`.
#include "cli/common.hpp"

#include <certigraph/grading/grader.hpp>
#include <certigraph/io/evaluations.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
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
    const int from_stdin = (a.referentiel == "-") + (a.policy == "-") + (a.evaluations == "-");
    if (from_stdin > 1) throw Error("only one input can be standard input (-)");
    Grader grader(read_referentiel_file(a.referentiel).build(), io::load_policy(a.policy));
    Cohort cohort = io::load_evaluations(grader, a.evaluations, a.read);
    return {std::move(grader), std::move(cohort)};
}

}  // namespace

std::string results_csv(const Grader& grader, const Cohort& cohort, const GradeResult& result) {
    const auto blocs = grader.referentiel().blocs();
    std::string out = "candidate,session,bloc,status\n";
    for (std::size_t r = 0; r < result.rows; ++r) {
        const std::string prefix = csv_field(cohort.candidate(r)) + ',' + csv_field(cohort.session(r)) + ',';
        for (std::size_t b = 0; b < result.blocs; ++b) {
            out += prefix;
            out += csv_field(blocs[b].code);
            out += ',';
            out += to_string(result.bloc(r, b));
            out += '\n';
        }
    }
    return out;
}

std::string results_csv_wide(const Grader& grader, const Cohort& cohort, const GradeResult& result) {
    const auto blocs = grader.referentiel().blocs();
    std::string out = "candidate,session";
    for (const auto& b : blocs) out += ',' + csv_field(b.code);
    out += '\n';
    for (std::size_t r = 0; r < result.rows; ++r) {
        out += csv_field(cohort.candidate(r)) + ',' + csv_field(cohort.session(r));
        for (std::size_t b = 0; b < result.blocs; ++b) {
            out += ',';
            out += to_string(result.bloc(r, b));
        }
        out += '\n';
    }
    return out;
}

int run_grade(const GradeArguments& a, const std::string& output, const std::string& format_option,
              const std::string& layout, unsigned threads) {
    // The output's format before any work: an unknown extension is refused, not guessed.
    std::string format = format_option;
    if (format.empty()) {
        const std::string ext = std::filesystem::path(output).extension().string();
        if (ext == ".csv") format = "csv";
        else if (ext == ".json") format = "json";
        else if (output == "-")
            throw Error("--out -: standard output has no extension; say the format with --format csv|json");
        else
            throw Error("--out " + output + ": unknown extension '" + ext +
                        "'; use .csv or .json, or say the format with --format csv|json");
    }
    if (format == "json" && layout == "wide")
        throw Error("--layout wide is a CSV layout; the JSON results hold one object per candidate and session");
    const io::WriteOptions write_options{{a.referentiel, a.policy, a.evaluations}, false};
    if (output != "-") {
        // Refuse an output that is an input before reading (and long before writing).
        io::check_output(output, write_options);
    }
    Session s = open_session(a);
    Progress progress("grading");
    const GradeResult result = s.grader.grade(
        s.cohort, {.threads = threads, .details = false, .progress = std::ref(progress)});

    if (format == "csv") {
        io::write_file(output,
                       layout == "wide" ? results_csv_wide(s.grader, s.cohort, result)
                                        : results_csv(s.grader, s.cohort, result),
                       write_options);
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
        io::write_file(output, doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n",
                       write_options);
    }
    std::size_t counts[4] = {};
    for (Status st : result.bloc_status) ++counts[static_cast<int>(st)];
    // With the results on standard output, the summary goes to standard error.
    std::ostream& report = output == "-" ? std::cerr : std::cout;
    report << "graded " << counted(result.rows, "candidate", "candidates") << " x "
              << counted(result.blocs, "bloc", "blocs") << ": " << counts[1] << " validated, " << counts[2]
              << " not validated, " << counts[0] << " incomplete, " << counts[3] << " exempt; wrote "
              << printable(output) << '\n';
    return ok;
}

int run_explain(const GradeArguments& a, const std::string& candidate, const std::string& session,
                const std::string& format) {
    Session s = open_session(a);
    const std::size_t row = s.cohort.find_row(candidate, session);
    if (row == s.cohort.rows())
        throw NotFound("no evaluations for candidate '" + printable(candidate) + "'" +
                       (session.empty() ? "" : " in session '" + session + "'") + " in " + a.evaluations);
    const auto tree = s.grader.explain(s.cohort, row);
    if (format == "json") {
        nlohmann::ordered_json doc{{"candidate", candidate}, {"session", s.cohort.session(row)}};
        doc["blocs"] = nlohmann::ordered_json::array();
        for (const auto& e : tree) doc["blocs"].push_back(to_json(e));
        std::cout << doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
        return ok;
    }
    std::cout << printable(candidate) << " (session " << printable(s.cohort.session(row)) << ")\n";
    for (const auto& e : tree) print_tree(std::cout, e, "  ");
    return ok;
}

void print_grid(std::ostream& out, const Grader& grader, const Cohort& cohort, const GradeResult& result) {
    const auto blocs = grader.referentiel().blocs();
    out << std::left << std::setw(10) << "candidate";
    for (const auto& b : blocs) out << std::setw(15) << b.code.substr(b.code.size() >= 4 ? b.code.size() - 4 : 0);
    out << '\n';
    for (std::size_t r = 0; r < result.rows; ++r) {
        out << std::setw(10) << printable(cohort.candidate(r));
        for (std::size_t b = 0; b < result.blocs; ++b) out << std::setw(15) << to_string(result.bloc(r, b));
        out << '\n';
    }
}

}  // namespace certigraph::cli
