// The C++ exception hierarchy as Python exceptions; messages pass unchanged.
#include "pybind11.hpp"

#include <certigraph/error.hpp>

namespace certigraph::python {

void register_errors(py::module_& m) {
    // The base first: pybind11 tries the last registered translator first, so
    // subclasses registered after it win.
    const auto base = py::register_exception<Error>(m, "Error", PyExc_Exception);
    py::register_exception<IoError>(m, "IoError", base);
    py::register_exception<ParseError>(m, "ParseError", base);
    py::register_exception<InvalidReferentiel>(m, "InvalidReferentielError", base);
    py::register_exception<NotFound>(m, "NotFoundError", base);
    py::register_exception<SerializationError>(m, "SerializationError", base);
    py::register_exception<GradingError>(m, "GradingError", base);
    py::register_exception<InvalidInput>(m, "InvalidInputError", base);
}

}  // namespace certigraph::python
