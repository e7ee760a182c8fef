// CASE, Moodle and Canvas files and the fiche + curated merge, for certigraph.io
// (bindings/python/certigraph/io.py).
#include "pybind11.hpp"

#include <certigraph/interop/case.hpp>
#include <certigraph/interop/exchange.hpp>
#include <certigraph/interop/merge.hpp>

namespace certigraph::python {

namespace {

interop::ExchangeFormat format_named(const std::string& name) {
    if (auto f = interop::exchange_format_from_string(name)) return *f;
    throw py::value_error("unknown format '" + name + "'; use 'case', 'moodle-csv' or 'canvas-csv'");
}

}  // namespace

void register_interop_lms(py::module_& m) {
    m.def(
        "import_exchange",
        [](const std::filesystem::path& path, const std::string& format, const std::string& fiche) {
            const auto f = format_named(format);
            py::gil_scoped_release release;
            return interop::read_exchange(path, f, {fiche}).build();
        },
        "path"_a, "format"_a, "fiche"_a = "",
        "Reads a CASE / Moodle CSV / Canvas CSV file into a checked Referentiel.");
    m.def(
        "exchange_text",
        [](const Referentiel& ref, const std::string& format, const std::optional<Policy>& policy,
           const std::string& base_uri) {
            return interop::exchange_text(ref, format_named(format), {policy ? &*policy : nullptr, base_uri});
        },
        "referentiel"_a, "format"_a, "policy"_a = py::none(), "base_uri"_a = "",
        "The file's text for the référentiel in that format.");
    m.def(
        "export_exchange",
        [](const Referentiel& ref, const std::filesystem::path& path, const std::string& format,
           const std::optional<Policy>& policy, const std::string& base_uri) {
            interop::save_exchange(ref, path, format_named(format), {policy ? &*policy : nullptr, base_uri});
        },
        "referentiel"_a, "path"_a, "format"_a, "policy"_a = py::none(), "base_uri"_a = "",
        "Writes the référentiel in that format (atomically).");
    m.def(
        "merge_referentiels",
        [](const Referentiel& fiche, const Referentiel& curated) {
            const interop::MergeResult r = interop::merge(fiche, curated);
            py::list diagnostics;
            for (const auto& d : r.diagnostics) {
                py::dict x;
                x["code"] = std::string(interop::to_string(d.code));
                x["severity"] = std::string(to_string(d.severity));
                x["kind"] = std::string(to_string(d.node_kind));
                x["node"] = d.node;
                x["message"] = d.message;
                diagnostics.append(x);
            }
            return py::make_tuple(r.referentiel ? py::cast(*r.referentiel) : py::none(), diagnostics);
        },
        "fiche"_a, "curated"_a, "(merged Referentiel or None, diagnostics as dicts).");
    m.def("case_uuid", &interop::case_uuid, "name"_a, "UUID v5 of the name, as CASE export derives identifiers.");
}

}  // namespace certigraph::python
