// Result data handed to Python: NumPy arrays over C++ buffers (no copy; a capsule owns the
// buffer), and result files (coordsim.OutputError, describe()). Opening files as xarray is done
// in Python through h5netcdf (coordsim.open_results), since the file is netCDF-4 compatible.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <string>
#include <vector>

#include "bindings.hpp"
#include "coordsim/sim/error.hpp"
#include "coordsim/sim/results_file.hpp"

namespace coordsim::bindings {

py::array_t<double> adopt_buffer(std::vector<double>&& data, const std::vector<py::ssize_t>& shape) {
  auto* owner = new std::vector<double>(std::move(data));
  // An empty vector may have no storage at all; NumPy then needs some address that is ours.
  if (owner->capacity() == 0) owner->reserve(1);
  py::capsule base(owner, [](void* pointer) { delete static_cast<std::vector<double>*>(pointer); });
  return py::array_t<double>(shape, owner->data(), base);
}

void register_results(py::module_& module) {
  auto& output_error = py::register_exception<sim::OutputError>(module, "OutputError", PyExc_OSError);
  output_error.doc() = "A result file could not be written or read (permissions, disk full, not a coordsim file).";

  module.def("describe", [](const py::object& path) {
        const std::string text = py::str(py::module_::import("os").attr("fspath")(path));
        return sim::describe_results(text);
      }, py::arg("path"), "A plain-words description of a result file (what `coordsim info` prints).");
}

}  // namespace coordsim::bindings
