// The C++ exception hierarchy as Python exceptions; messages pass unchanged.
#include "pybind11.hpp"

#include <certigraph/error.hpp>
#include <certigraph/ledger/ledger.hpp>

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
    const auto ledger_error = py::register_exception<ledger::LedgerError>(m, "LedgerError", base);
    py::register_exception<ledger::NotALedger>(m, "NotALedgerError", ledger_error);
    // InvalidEventError also carries the event's index in its batch and the field.
    static py::handle invalid_event =
        py::exception<ledger::InvalidEvent>(m, "InvalidEventError", ledger_error).release();
    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p) std::rethrow_exception(p);
        } catch (const ledger::InvalidEvent& e) {
            py::object error = py::reinterpret_borrow<py::object>(invalid_event)(e.what());
            error.attr("index") = e.index();
            error.attr("field") = e.field();
            PyErr_SetObject(invalid_event.ptr(), error.ptr());
        }
    });
}

}  // namespace certigraph::python
