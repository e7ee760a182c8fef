// certigraph._core: the compiled half of the Python package (see __init__.py).
#include "pybind11.hpp"

#include <certigraph/version.hpp>

PYBIND11_MODULE(_core, m) {
    m.doc() = "certigraph's C++ engine; import the `certigraph` package instead.";
    m.attr("__version__") = CERTIGRAPH_VERSION_STRING;
    certigraph::python::register_errors(m);
    certigraph::python::register_referentiel(m);
    certigraph::python::register_grading(m);
    certigraph::python::register_ledger(m);
    certigraph::python::register_stats(m);
    certigraph::python::register_jury(m);
    certigraph::python::register_interop(m);
    certigraph::python::register_interop_lms(m);
}
