// certigraph._core._jury: the jury session on JSON text; certigraph.jury (jury.py)
// wraps it in a Session class (docs/jury.md, "From Python").
#include "pybind11.hpp"

#include <certigraph/jury/deliberation.hpp>
#include <certigraph/jury/pv.hpp>
#include <certigraph/ledger/ledger.hpp>

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
}

}  // namespace certigraph::python
