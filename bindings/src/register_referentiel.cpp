// Référentiel: loading, checking, its nodes, JSON and pickle (through the same
// versioned Boost archive as C++).
#include "pybind11.hpp"

#include <certigraph/certigraph.hpp>

#include <sstream>

namespace certigraph::python {

namespace {

std::string repr_of(const Diagnostic& d) {
    std::ostringstream os;
    os << d;
    return "<Diagnostic " + os.str() + ">";
}

std::string archive_bytes(const Referentiel& ref) {
    std::ostringstream out(std::ios::binary);
    io::save_archive(ref, out, io::ArchiveKind::text);
    return out.str();
}

std::string date_or_empty(const std::optional<Date>& d) { return d ? d->to_string() : std::string(); }

}  // namespace

void register_referentiel(py::module_& m) {
    py::class_<Diagnostic>(m, "Diagnostic", "One finding of the référentiel integrity check.")
        .def_property_readonly("code", [](const Diagnostic& d) { return std::string(to_string(d.code)); })
        .def_property_readonly("severity", [](const Diagnostic& d) { return std::string(to_string(d.severity)); })
        .def_property_readonly("node_kind", [](const Diagnostic& d) { return std::string(to_string(d.node_kind)); })
        .def_readonly("node", &Diagnostic::node)
        .def_readonly("pointer", &Diagnostic::pointer)
        .def_readonly("message", &Diagnostic::message)
        .def("__repr__", &repr_of);

    py::class_<Bloc>(m, "Bloc", "A bloc de compétences.")
        .def_readonly("code", &Bloc::code)
        .def_readonly("title", &Bloc::title)
        .def_readonly("description", &Bloc::description)
        .def_readonly("optional", &Bloc::optional)
        .def_readonly("option_group", &Bloc::option_group)
        .def("__repr__", [](const Bloc& b) { return "<Bloc " + b.code + ">"; });
    py::class_<Competency>(m, "Competency", "A competency; `bloc` is its bloc's code.")
        .def_readonly("code", &Competency::code)
        .def_readonly("title", &Competency::title)
        .def_readonly("description", &Competency::description)
        .def_readonly("bloc", &Competency::bloc)
        .def("__repr__", [](const Competency& c) { return "<Competency " + c.code + ">"; });
    py::class_<Criterion>(m, "Criterion", "An evaluation criterion; `competency` is its competency's code.")
        .def_readonly("code", &Criterion::code)
        .def_readonly("title", &Criterion::title)
        .def_readonly("description", &Criterion::description)
        .def_readonly("competency", &Criterion::competency)
        .def("__repr__", [](const Criterion& c) { return "<Criterion " + c.code + ">"; });
    py::class_<Epreuve>(m, "Epreuve", "An épreuve; `evaluates` lists competency or criterion codes.")
        .def_readonly("code", &Epreuve::code)
        .def_readonly("title", &Epreuve::title)
        .def_readonly("modality", &Epreuve::modality)
        .def_readonly("evaluates", &Epreuve::evaluates)
        .def("__repr__", [](const Epreuve& e) { return "<Epreuve " + e.code + ">"; });

    py::class_<Referentiel>(m, "Referentiel", R"pbdoc(
A checked, immutable référentiel (one RNCP fiche): blocs, competencies, criteria,
épreuves. Load one with Referentiel.load(path) or Referentiel.from_json(text).
)pbdoc")
        .def_static("load", &io::load_referentiel, "path"_a, R"pbdoc(
Loads a référentiel file: .json, or a .txt/.xml/.bin archive.

Raises
------
IoError, ParseError, SerializationError, InvalidReferentielError
)pbdoc")
        .def_static("from_json", &io::referentiel_from_json, "text"_a, "source"_a = "<input>",
                    "Parses certigraph's référentiel JSON text.")
        .def("to_json", py::overload_cast<const Referentiel&>(&io::referentiel_to_json), "Canonical JSON text.")
        .def("save", &io::save_referentiel, "path"_a, "Writes .json, .txt, .xml or .bin by extension.")
        .def("check", &Referentiel::diagnostics,
             "The diagnostics of the integrity check (warnings only: errors stop loading).")
        .def_property_readonly("code", [](const Referentiel& r) { return r.certification().code; })
        .def_property_readonly("title", [](const Referentiel& r) { return r.certification().title; })
        .def_property_readonly("certification", [](const Referentiel& r) {
            const Certification& c = r.certification();
            py::list routes;
            for (auto route : c.access_routes) routes.append(std::string(to_string(route)));
            return py::dict("code"_a = c.code, "title"_a = c.title, "level"_a = c.level,
                            "start_of_paths"_a = date_or_empty(c.dates.start_of_paths),
                            "end_of_registration"_a = date_or_empty(c.dates.end_of_registration),
                            "last_delivery"_a = date_or_empty(c.dates.last_delivery),
                            "access_routes"_a = routes, "previous"_a = c.previous, "next"_a = c.next);
        }, "The certification's metadata as a dict.")
        .def_property_readonly("blocs", [](const Referentiel& r) {
            return std::vector<Bloc>(r.blocs().begin(), r.blocs().end()); })
        .def_property_readonly("competencies", [](const Referentiel& r) {
            return std::vector<Competency>(r.competencies().begin(), r.competencies().end()); })
        .def_property_readonly("criteria", [](const Referentiel& r) {
            return std::vector<Criterion>(r.criteria().begin(), r.criteria().end()); })
        .def_property_readonly("epreuves", [](const Referentiel& r) {
            return std::vector<Epreuve>(r.epreuves().begin(), r.epreuves().end()); })
        .def("criteria_of", [](const Referentiel& r, const std::string& code) {
            const NodeRef node = r.at(code);
            std::span<const Index> ids;
            if (node.kind == NodeKind::bloc) ids = r.criteria_of_bloc(node.index);
            else if (node.kind == NodeKind::competency) ids = r.criteria_of_competency(node.index);
            else if (node.kind == NodeKind::epreuve) ids = r.criteria_of_epreuve(node.index);
            else throw NotFound("'" + code + "' is not a bloc, competency or épreuve");
            std::vector<std::string> out;
            for (Index k : ids) out.push_back(r.criteria()[k].code);
            return out;
        }, "code"_a, "Codes of the criteria under a bloc, a competency or an épreuve.")
        .def("bloc_of", [](const Referentiel& r, const std::string& criterion) {
            return r.blocs()[r.bloc_of_criterion(r.index_of(NodeKind::criterion, criterion))].code;
        }, "criterion"_a, "The code of a criterion's bloc.")
        .def("unevaluated_competencies", [](const Referentiel& r) {
            std::vector<std::string> out;
            for (Index c : r.unevaluated_competencies()) out.push_back(r.competencies()[c].code);
            return out;
        })
        .def("__eq__", [](const Referentiel& a, const py::object& b) {
            try { return a == b.cast<const Referentiel&>(); } catch (const py::cast_error&) { return false; }
        })
        .def("__repr__", [](const Referentiel& r) {
            return "<Referentiel " + r.certification().code + ": " + std::to_string(r.blocs().size()) +
                   " blocs, " + std::to_string(r.competencies().size()) + " competencies, " +
                   std::to_string(r.criteria().size()) + " criteria>";
        })
        .def(py::pickle(
            [](const Referentiel& r) { return py::bytes(archive_bytes(r)); },
            [](const py::bytes& data) {
                std::istringstream in(std::string(data), std::ios::binary);
                return io::load_archive(in, io::ArchiveKind::text, "pickle");
            }));

    m.def("check_file", [](const std::filesystem::path& path) { return io::read_referentiel(path).check(); },
          "path"_a, R"pbdoc(
Every diagnostic of a référentiel file, errors included (Referentiel.load refuses
files with errors; this lists them).
)pbdoc");
}

}  // namespace certigraph::python
