#pragma once
// Writing pieces shared by the run result file (results_file.cpp) and the sweep result file
// (sweep_output.cpp): string types, dataspaces, attributes, groups in creation order, the
// units/long_name pair every variable carries, the checks made before a result is written, a new
// file in creation order and the values of an index coordinate.
#include <hdf5.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "coordsim/sim/error.hpp"
#include "hdf5_handles.hpp"

namespace coordsim::sim::hdf5 {

inline std::string in_quotes(const std::string& text) { return "'" + text + "'"; }

inline Handle utf8_string_type() {
  auto type = datatype(H5Tcopy(H5T_C_S1), "copy string type");
  check(H5Tset_size(type.get(), H5T_VARIABLE), "make string type variable-length");
  check(H5Tset_cset(type.get(), H5T_CSET_UTF8), "mark string type UTF-8");
  return type;
}

inline Handle scalar_space() { return dataspace(H5Screate(H5S_SCALAR), "create scalar dataspace"); }

inline Handle simple_space(std::span<const hsize_t> shape) {
  return dataspace(H5Screate_simple(static_cast<int>(shape.size()), shape.data(), nullptr), "create dataspace");
}

inline void write_attribute(hid_t object, const char* name, hid_t type, hid_t space, const void* value) {
  const std::string what = std::string("write attribute '") + name + "'";
  auto created = attribute(H5Acreate2(object, name, type, space, H5P_DEFAULT, H5P_DEFAULT), what);
  check(H5Awrite(created.get(), type, value), what);
}

template <typename Number>
void write_scalar_attribute(hid_t object, const char* name, hid_t file_type, Number value) {
  write_attribute(object, name, file_type, scalar_space().get(), &value);
}

// Variable-length strings have no size limit in the object header (the text lives in the global
// heap), which matters for the resolved scenario and sweep texts: they can be far larger than the
// 64 KiB an object header allows for a fixed-length attribute.
inline void write_string_attribute(hid_t object, const char* name, const std::string& value) {
  const auto type = utf8_string_type();
  const auto space = scalar_space();
  const char* text = value.c_str();
  write_attribute(object, name, type.get(), space.get(), &text);
}

inline void write_string_array_attribute(hid_t object, const char* name, const std::vector<std::string>& values) {
  const auto type = utf8_string_type();
  const hsize_t length = values.size();
  const auto space = simple_space(std::span(&length, 1));
  std::vector<const char*> texts;
  texts.reserve(values.size());
  for (const auto& value : values) texts.push_back(value.c_str());
  // HDF5 rejects a null buffer even when there is nothing to write.
  const char* const no_text = "";
  write_attribute(object, name, type.get(), space.get(), texts.empty() ? &no_text : texts.data());
}

// Every variable carries `units` and `long_name` (CF conventions; xarray shows them in plots).
inline void describe_variable(hid_t dataset, const std::string& units, const std::string& long_name) {
  write_string_attribute(dataset, "units", units);
  write_string_attribute(dataset, "long_name", long_name);
}

// Links are tracked in creation order so readers list variables in the model's layout order.
inline Handle create_group(hid_t parent, const std::string& name) {
  const std::string what = "create group '" + name + "'";
  auto creation = property_list(H5Pcreate(H5P_GROUP_CREATE), what);
  check(H5Pset_link_creation_order(creation.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), what);
  return group(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, creation.get(), H5P_DEFAULT), what);
}

// Refuses, before any work is done, a destination a result file cannot be renamed to: the final
// rename must never replace a directory or a device, and its directory must exist and be writable.
inline void check_output_destination(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code error;
  const auto existing = fs::status(path, error);
  if (fs::exists(existing) && !fs::is_regular_file(existing))
    throw OutputError("cannot write results to " + in_quotes(path) + ": it exists and is not a regular file");
  const fs::path directory = fs::path(path).parent_path();
  const fs::path shown = directory.empty() ? fs::path(".") : directory;
  if (!fs::is_directory(shown, error))
    throw OutputError("cannot write results to " + in_quotes(path) + ": directory " + in_quotes(shown.string()) +
                      " does not exist");
  if (::access(shown.c_str(), W_OK | X_OK) != 0)
    throw OutputError("cannot write results to " + in_quotes(path) + ": directory " + in_quotes(shown.string()) +
                      " is not writable");
}

// A new file at `path` (replacing one there) whose groups list their members in the order written.
// HDF5's file lock is kept, but a file system without locking (some NFS mounts) is no failure.
inline Handle create_file(const std::string& path) {
  const std::string what = "create file";
  auto creation = property_list(H5Pcreate(H5P_FILE_CREATE), what);
  check(H5Pset_link_creation_order(creation.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), what);
  auto access = property_list(H5Pcreate(H5P_FILE_ACCESS), what);
#if H5_VERSION_GE(1, 10, 7)
  check(H5Pset_file_locking(access.get(), true, true), what);
#endif
  return file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, creation.get(), access.get()), what);
}

// 0, stride, 2 stride, ...: the values of an index coordinate of `count` entries.
inline std::vector<std::int64_t> counting(std::size_t count, std::size_t stride = 1) {
  std::vector<std::int64_t> values(count);
  for (std::size_t i = 0; i < count; ++i) values[i] = static_cast<std::int64_t>(i * stride);
  return values;
}

}  // namespace coordsim::sim::hdf5
