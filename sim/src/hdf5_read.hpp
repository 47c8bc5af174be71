#pragma once
// Reading pieces shared by every reader of coordsim's HDF5 files (results_file.cpp: `info` and
// `verify`; sweep_output.cpp: `merge` and resume checks). A file may come from anywhere (another
// program, a damaged disk, a crafted attack), so nothing is read before its class, rank, shape and
// size are checked: an attribute read into a buffer of the wrong size is a stack overflow.
// Every failure is a BadFileError that says which object is wrong and how.
#include <hdf5.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "coordsim/sim/error.hpp"
#include "hdf5_handles.hpp"

namespace coordsim::sim::hdf5 {

[[noreturn]] inline void bad(const std::string& what) { throw BadFileError(what); }

inline bool has_attribute(hid_t object, const char* name) { return H5Aexists(object, name) > 0; }

// Number of elements of an attribute or dataset's dataspace; -1 for a null dataspace.
inline hssize_t element_count_of(hid_t space) {
  if (H5Sget_simple_extent_type(space) == H5S_NULL) return -1;
  return H5Sget_simple_extent_npoints(space);
}

// The type class and element count of an attribute, refusing anything that is not one of `klass`.
struct AttributeShape {
  Handle attribute, type, space;
  hssize_t count = 0;
};

inline AttributeShape open_checked_attribute(hid_t object, const char* name, H5T_class_t klass,
                                             const std::string& owner) {
  const std::string what = "attribute '" + std::string(name) + "'" + owner;
  AttributeShape shape;
  shape.attribute = attribute(H5Aopen(object, name, H5P_DEFAULT), "open " + what);
  shape.type = datatype(H5Aget_type(shape.attribute.get()), "read the type of " + what);
  shape.space = dataspace(H5Aget_space(shape.attribute.get()), "read the shape of " + what);
  if (H5Tget_class(shape.type.get()) != klass)
    bad(what + " has the wrong type (expected " + (klass == H5T_STRING ? "a string" : "an integer") + ")");
  shape.count = element_count_of(shape.space.get());
  if (shape.count < 0) bad(what + " has no value (null dataspace)");
  return shape;
}

// An integer attribute holding exactly one value (scalar, or an array of one).
inline AttributeShape open_single_integer(hid_t object, const char* name, const std::string& owner) {
  auto shape = open_checked_attribute(object, name, H5T_INTEGER, owner);
  if (shape.count != 1)
    bad("attribute '" + std::string(name) + "'" + owner + " holds " + std::to_string(shape.count) +
        " values where one integer is expected");
  return shape;
}

// A scalar integer attribute (a one-element array is accepted); nullopt when absent.
inline std::optional<std::int64_t> read_int_attribute(hid_t object, const char* name, const std::string& owner = "") {
  if (!has_attribute(object, name)) return std::nullopt;
  const auto shape = open_single_integer(object, name, owner);
  // Unsigned values above INT64_MAX do not fit: read as unsigned first and check.
  if (H5Tget_sign(shape.type.get()) == H5T_SGN_NONE && H5Tget_size(shape.type.get()) >= 8) {
    std::uint64_t value = 0;
    check(H5Aread(shape.attribute.get(), H5T_NATIVE_UINT64, &value), "read attribute '" + std::string(name) + "'");
    if (value > static_cast<std::uint64_t>(INT64_MAX)) bad("attribute '" + std::string(name) + "'" + owner + " is out of range");
    return static_cast<std::int64_t>(value);
  }
  std::int64_t value = 0;
  check(H5Aread(shape.attribute.get(), H5T_NATIVE_INT64, &value), "read attribute '" + std::string(name) + "'");
  return value;
}

// Same, for a value that must lie in [low, high].
inline std::optional<std::int64_t> read_int_attribute_in(hid_t object, const char* name, std::int64_t low,
                                                         std::int64_t high, const std::string& owner = "") {
  const auto value = read_int_attribute(object, name, owner);
  if (value && (*value < low || *value > high))
    bad("attribute '" + std::string(name) + "'" + owner + " is " + std::to_string(*value) + ", expected " +
        std::to_string(low) + " to " + std::to_string(high));
  return value;
}

// A scalar unsigned 64-bit attribute (seeds).
inline std::optional<std::uint64_t> read_uint_attribute(hid_t object, const char* name, const std::string& owner = "") {
  if (!has_attribute(object, name)) return std::nullopt;
  const auto shape = open_single_integer(object, name, owner);
  std::uint64_t value = 0;
  check(H5Aread(shape.attribute.get(), H5T_NATIVE_UINT64, &value), "read attribute '" + std::string(name) + "'");
  return value;
}

// Every string of a string attribute (variable- or fixed-length); empty when absent.
inline std::vector<std::string> read_strings_attribute(hid_t object, const char* name, const std::string& owner = "") {
  std::vector<std::string> values;
  if (!has_attribute(object, name)) return values;
  const auto shape = open_checked_attribute(object, name, H5T_STRING, owner);
  const std::string what = "read attribute '" + std::string(name) + "'" + owner;
  const auto count = static_cast<std::size_t>(shape.count);
  if (count == 0) return values;
  if (count > (std::size_t{1} << 24)) bad(what + ": " + std::to_string(count) + " strings is more than any coordsim file holds");
  if (H5Tis_variable_str(shape.type.get()) > 0) {
    auto memory_type = datatype(H5Tcopy(H5T_C_S1), what);
    check(H5Tset_size(memory_type.get(), H5T_VARIABLE), what);
    check(H5Tset_cset(memory_type.get(), H5Tget_cset(shape.type.get())), what);
    std::vector<char*> texts(count, nullptr);
    check(H5Aread(shape.attribute.get(), memory_type.get(), texts.data()), what);
    for (const char* text : texts) values.emplace_back(text != nullptr ? text : "");
#if H5_VERSION_GE(1, 12, 0)
    H5Treclaim(memory_type.get(), shape.space.get(), H5P_DEFAULT, texts.data());
#else
    H5Dvlen_reclaim(memory_type.get(), shape.space.get(), H5P_DEFAULT, texts.data());
#endif
    return values;
  }
  // Fixed-length strings (as netCDF tools write them): NUL-terminated or padded in each slot.
  const std::size_t size = H5Tget_size(shape.type.get());
  if (size == 0 || size > (std::size_t{1} << 26) / count) bad(what + ": implausible string size");
  std::vector<char> buffer(count * size);
  check(H5Aread(shape.attribute.get(), shape.type.get(), buffer.data()), what);
  for (std::size_t i = 0; i < count; ++i) {
    std::string text(buffer.data() + i * size, size);
    text.erase(std::find(text.begin(), text.end(), '\0'), text.end());
    text.erase(text.find_last_not_of(' ') + 1);
    values.push_back(std::move(text));
  }
  return values;
}

// A single string attribute; empty when absent; an error when it holds several.
inline std::string read_string_attribute(hid_t object, const char* name, const std::string& owner = "") {
  const auto values = read_strings_attribute(object, name, owner);
  if (values.size() > 1)
    bad("attribute '" + std::string(name) + "'" + owner + " holds " + std::to_string(values.size()) +
        " strings where one is expected");
  return values.empty() ? std::string() : values.front();
}

// Opens the dataset at `path`, checking that it is a dataset of class `klass` whose shape is
// `dims` (rank and every extent).
inline Handle open_checked_dataset(hid_t file, const std::string& path, H5T_class_t klass,
                                   const std::vector<hsize_t>& dims) {
  if (H5Lexists(file, path.c_str(), H5P_DEFAULT) <= 0) bad("dataset '" + path + "' is missing");
  H5O_info_t info{};
#if H5_VERSION_GE(1, 12, 0)
  check(H5Oget_info_by_name3(file, path.c_str(), &info, H5O_INFO_BASIC, H5P_DEFAULT), "inspect '" + path + "'");
#else
  check(H5Oget_info_by_name2(file, path.c_str(), &info, H5O_INFO_BASIC, H5P_DEFAULT), "inspect '" + path + "'");
#endif
  if (info.type != H5O_TYPE_DATASET) bad("'" + path + "' is not a dataset");
  auto opened = dataset(H5Dopen2(file, path.c_str(), H5P_DEFAULT), "open dataset '" + path + "'");
  const auto type = datatype(H5Dget_type(opened.get()), "read the type of '" + path + "'");
  if (H5Tget_class(type.get()) != klass) bad("dataset '" + path + "' has the wrong type");
  const auto space = dataspace(H5Dget_space(opened.get()), "read the shape of '" + path + "'");
  const int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank < 0 || static_cast<std::size_t>(rank) != dims.size())
    bad("dataset '" + path + "' has " + std::to_string(rank) + " axes, expected " + std::to_string(dims.size()));
  std::vector<hsize_t> found(dims.size());
  if (!dims.empty()) H5Sget_simple_extent_dims(space.get(), found.data(), nullptr);
  for (std::size_t a = 0; a < dims.size(); ++a)
    if (found[a] != dims[a])
      bad("dataset '" + path + "' has " + std::to_string(found[a]) + " entries along axis " + std::to_string(a) +
          ", expected " + std::to_string(dims[a]));
  return opened;
}

// The extents of a dataset (rank at most H5S_MAX_RANK).
inline std::vector<hsize_t> dataset_dims(hid_t dataset, const std::string& what) {
  const auto space = dataspace(H5Dget_space(dataset), what);
  const int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank < 0) fail(what);
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  if (rank > 0) H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  return dims;
}

}  // namespace coordsim::sim::hdf5
