// The first include of every binding file: pybind11 and the names we use.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

namespace py = pybind11;
using namespace pybind11::literals;

namespace certigraph::python {

void register_errors(py::module_& m);
void register_referentiel(py::module_& m);
void register_grading(py::module_& m);
void register_ledger(py::module_& m);
void register_stats(py::module_& m);
void register_interop(py::module_& m);
void register_interop_lms(py::module_& m);
void register_jury(py::module_& m);

}  // namespace certigraph::python
