// Interop from Python: the private _core functions behind certigraph.io
// (bindings/python/certigraph/io.py); formats in docs/interop.md.
#include "pybind11.hpp"

#include <certigraph/interop/referentiel_text.hpp>
#include <certigraph/interop/rncp.hpp>
#include <certigraph/io/json.hpp>
#include <certigraph/error.hpp>

namespace certigraph::python {

namespace {

namespace rncp = interop::rncp;

ReferentielBuilder import_builder(const std::string& path, const std::string& format, const std::string& fiche,
                                  const std::string& title) {
    if (format == "referentiel-text") {
        if (fiche.empty()) throw Error("format=\"referentiel-text\" needs fiche=\"RNCPnnnnn\" (the bloc codes)");
        return interop::read_referentiel_text(path, {fiche, title});
    }
    if (format == "rncp-xml" || format == "rncp-csv") {
        if (fiche.empty()) throw Error("format=\"" + format + "\" needs fiche=\"RNCPnnnnn\": which fiche of the export");
        std::optional<rncp::Fiche> found;
        if (format == "rncp-csv") {
            for (auto& f : rncp::read_csv_export(path))
                if (f.code == fiche) found = std::move(f);
        } else {
            found = rncp::find_fiche(path, fiche);
        }
        if (!found) throw NotFound("fiche " + fiche + " is not in " + path + "; check the code (e.g. RNCP36490)");
        return rncp::to_builder(*found);
    }
    throw Error("unknown format \"" + format + "\"; use referentiel-text, rncp-xml or rncp-csv");
}

py::object date_or_none(const std::optional<Date>& d) {
    return d ? py::object(py::str(d->to_string())) : py::object(py::none());
}

py::dict fiche_dict(const rncp::Fiche& f) {
    py::dict d;
    d["code"] = f.code;
    d["id"] = f.id;
    d["title"] = f.title;
    d["level"] = f.level_code;
    d["state"] = f.state;
    d["active"] = f.active ? py::object(py::bool_(*f.active)) : py::object(py::none());
    d["end_of_registration"] = date_or_none(f.end_of_registration);
    d["last_delivery"] = date_or_none(f.last_delivery);
    d["start_of_paths"] = date_or_none(f.effect);
    d["decision"] = date_or_none(f.decision);
    py::list blocs;
    for (const auto& b : f.blocs) blocs.append(b.code);
    d["blocs"] = blocs;
    py::list routes;
    for (const auto& r : f.routes)
        if (r.active) routes.append(std::string(to_string(r.route)));
    d["access_routes"] = routes;
    d["previous"] = f.previous;
    d["next"] = f.next;
    py::list links;
    for (const auto& k : f.correspondences)
        links.append(py::dict("blocs"_a = k.blocs, "fiche"_a = k.fiche, "counterparts"_a = k.counterparts));
    d["correspondences"] = links;
    return d;
}

}  // namespace

void register_interop(py::module_& m) {
    m.def(
        "_import_referentiel_json",
        [](const std::string& path, const std::string& format, const std::string& fiche, const std::string& title) {
            ReferentielBuilder b;
            {
                py::gil_scoped_release release;
                b = import_builder(path, format, fiche, title);
            }
            return io::referentiel_to_json(b);
        },
        "path"_a, "format"_a, "fiche"_a = "", "title"_a = "",
        "The référentiel JSON (unchecked) of a file in another format; see certigraph.io.import_referentiel.");
    m.def(
        "_rncp_fiches",
        [](const std::string& path, bool active_only) {
            std::vector<rncp::Fiche> fiches;
            {
                py::gil_scoped_release release;
                auto keep = [&](rncp::Fiche&& f) {
                    if (!active_only || f.active == true) fiches.push_back(std::move(f));
                    return true;
                };
                if (rncp::is_csv_export(path)) {
                    for (auto& f : rncp::read_csv_export(path)) keep(std::move(f));
                } else {
                    rncp::read_xml_file(path, keep);
                }
            }
            py::list out;
            for (const auto& f : fiches) out.append(fiche_dict(f));
            return out;
        },
        "path"_a, "active_only"_a = false, "One dict per fiche of an RNCP export (XML, zip or CSV folder).");
}

}  // namespace certigraph::python
