// certigraph._core._jury: the jury session on JSON text; certigraph.jury (jury.py)
// wraps it in a Session class (docs/jury.md, "From Python").
#include "pybind11.hpp"

#include <certigraph/jury/deliberation.hpp>
#include <certigraph/jury/pv.hpp>
#include <certigraph/ledger/ledger.hpp>

#include <sstream>

namespace certigraph::python {

namespace {

py::dict finding_dict(const jury::Finding& f) {
    return py::dict("code"_a = f.code, "blocking"_a = f.blocking, "overridden"_a = f.overridden,
                    "candidate"_a = f.candidate, "members"_a = f.members, "rule"_a = f.rule, "problem"_a = f.problem,
                    "fix"_a = f.fix);
}

py::list problem_list(const std::vector<jury::Problem>& problems) {
    py::list out;
    for (const auto& p : problems)
        out.append(py::dict("code"_a = p.code, "candidate"_a = p.candidate, "bloc"_a = p.bloc, "problem"_a = p.problem,
                            "fix"_a = p.fix));
    return out;
}

py::dict record_dict(const jury::Record& r) {
    return py::dict("record"_a = jury::record_to_json(r), "problems"_a = problem_list(r.problems));
}

}  // namespace

void register_jury(py::module_& parent) {
    auto m = parent.def_submodule("_jury", "certigraph's jury sessions on JSON text; use certigraph.jury instead.");
    py::register_exception<jury::SealBroken>(parent, "SealBrokenError", parent.attr("Error"));
    py::register_exception<jury::AlreadyRecorded>(parent, "AlreadyRecordedError", parent.attr("Error"));

    m.def("normalise", [](const std::string& text, const std::string& source) {
        return jury::session_to_json(jury::read_session(text, source));
    });
    m.def("check", [](const std::string& text, const std::string& source) {
        const auto report = jury::check_composition(jury::read_session(text, source));
        py::list findings, juries;
        for (const auto& f : report.findings) findings.append(finding_dict(f));
        for (const auto& j : report.juries)
            juries.append(py::dict("candidate"_a = j.candidate, "deciding"_a = j.deciding, "recused"_a = j.recused,
                                   "president"_a = j.president, "compliant"_a = j.compliant));
        return py::dict("compliant"_a = report.compliant, "findings"_a = findings, "juries"_a = juries,
                        "unused_override"_a = report.unused_override);
    });
    m.def("grid", [](const std::string& text, const std::string& source, const std::filesystem::path& base,
                     const std::string& referentiel) {
        const auto session = jury::read_session(text, source);
        jury::Record r;
        {
            py::gil_scoped_release release;
            r = jury::grid(session, jury::load_graded_session(session, base, referentiel));
        }
        return record_dict(r);
    });
    m.def("read_record", [](const std::string& text, const std::string& source) {
        return jury::record_to_json(jury::read_record(text, source));
    });
    m.def("prepare", [](const std::string& text, const std::string& source, const std::filesystem::path& base,
                        const std::string& referentiel, const std::filesystem::path& db) {
        const auto session = jury::read_session(text, source);
        jury::Record r;
        {
            py::gil_scoped_release release;
            const auto graded = jury::load_graded_session(session, base, referentiel);
            r = jury::prepare(session, graded, jury::events_on_record(session, ledger::Ledger::open(db)));
        }
        return record_dict(r);
    });
    m.def("seal", [](const std::string& text, const std::string& source, const std::filesystem::path& base,
                     const std::string& referentiel, const std::filesystem::path& db) {
        const auto session = jury::read_session(text, source);
        jury::Sealed sealed;
        {
            py::gil_scoped_release release;
            const auto graded = jury::load_graded_session(session, base, referentiel);
            auto store = ledger::Ledger::open(db);
            sealed = jury::seal_session(session, graded, store, source);
        }
        return py::dict("record"_a = jury::record_to_json(sealed.record), "events"_a = sealed.events.size(),
                        "recording"_a = sealed.recorded.recording, "recorded_at"_a = sealed.recorded.recorded_at,
                        "ids"_a = sealed.recorded.ids);
    });
    m.def("pv", [](const std::string& record_text, const std::string& source, const std::string& format,
                   bool page_per_candidate, bool formula_guard) {
        // A record written by record_to_json; an unsealed one (no hash) is read without the seal check.
        const jury::Record r = jury::read_record(record_text, source);
        if (format == "html") return jury::pv_html(r, jury::PvOptions{page_per_candidate});
        if (format == "json") return jury::pv_json(r);
        if (format != "csv") throw Error("format '" + format + "': use html, csv or json");
        std::ostringstream out;
        io::CsvOptions csv;
        csv.formula_guard = formula_guard;
        jury::write_pv_csv(out, r, csv);
        return out.str();
    });
}

}  // namespace certigraph::python
