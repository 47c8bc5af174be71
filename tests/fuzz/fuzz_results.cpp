// Result and shard files with adversarial contents: the input is an edit script applied, through
// the HDF5 API, to a valid file coordsim wrote (tests/fuzz/bases: a run file and a sweep shard).
// Each edit replaces or removes an attribute or a dataset that coordsim's readers look at, with
// any type class, rank, shape and bytes. Then `info`, `verify` and `merge --allow-partial` read
// the result; each either works or throws OutputError (BadFileError for damaged input).
// Damage to the HDF5 structure itself (truncation, flipped bytes) is tested by tests/faults; it
// is not fuzzed here: the bytes of B-trees and object headers are parsed by libhdf5, which
// crashes on some crafted structures (a first run found one in H5Ovisit) beyond coordsim's reach.
#include <hdf5.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <string>
#include <vector>

#include "coordsim/sim/error.hpp"
#include "coordsim/sim/results_file.hpp"
#include "coordsim/sim/sweep.hpp"
#include "fuzz_common.hpp"

namespace {

// Names coordsim's readers use: root and variable attributes, then datasets.
constexpr std::array<const char*, 22> kAttributes = {
    "coordsim_version", "format_version", "kind", "model", "sweep", "sweep_hash", "shard", "runs",
    "replications", "steps", "agents", "agent_every", "seed", "variants", "samples", "partial",
    "missing_runs", "scenario", "units", "long_name", "key", "parameter"};
constexpr std::array<const char*, 10> kDatasets = {
    "run_status", "run_message", "run_seed", "run", "series/items_late", "summary/share_on_time",
    "series/variant", "series/replication", "series/step", "summary/lead__rank"};

// A bounded reader of the edit script.
struct Script {
  const std::uint8_t* data;
  std::size_t size, at = 0;
  bool done() const { return at >= size; }
  std::uint8_t byte() { return at < size ? data[at++] : 0; }
};

hid_t fixed_type(std::uint8_t code) {
  switch (code % 8) {
    case 0: return H5T_STD_I64LE;
    case 1: return H5T_STD_U64LE;
    case 2: return H5T_STD_I8LE;
    case 3: return H5T_IEEE_F64LE;
    case 4: return H5T_STD_I32BE;
    case 5: return H5T_IEEE_F32LE;
    default: return -1;  // strings: 6 variable-length, 7 fixed-length
  }
}

// The type, shape and values of one edit.
struct Value {
  hid_t type = -1, space = -1;
  std::vector<unsigned char> bytes;
  std::vector<std::string> texts;
  std::vector<const char*> pointers;
  Value() = default;
  Value(const Value&) = delete;
  Value& operator=(const Value&) = delete;
  ~Value() {
    if (space >= 0) H5Sclose(space);
    if (type >= 0) H5Tclose(type);
  }
  const void* buffer() const {
    return pointers.empty() ? static_cast<const void*>(bytes.data()) : static_cast<const void*>(pointers.data());
  }
};

void make_value(Script& script, Value& value) {
  const std::uint8_t code = script.byte();
  const int rank = script.byte() % 3;  // scalar, 1-D, 2-D
  std::array<hsize_t, 2> dims{1, 1};
  hsize_t count = 1;
  for (int a = 0; a < rank; ++a) {
    dims[static_cast<std::size_t>(a)] = script.byte() % 17;
    count *= dims[static_cast<std::size_t>(a)];
  }
  value.space = rank == 0 ? H5Screate(H5S_SCALAR) : H5Screate_simple(rank, dims.data(), nullptr);
  const hid_t fixed = fixed_type(code);
  if (fixed >= 0) {
    value.type = H5Tcopy(fixed);
    value.bytes.resize(std::max<std::size_t>(count * H5Tget_size(fixed), 1));
    for (auto& b : value.bytes) b = script.byte();
    return;
  }
  const bool variable = code % 8 == 6;
  const std::size_t width = 1 + script.byte() % 24;
  value.type = H5Tcopy(H5T_C_S1);
  H5Tset_size(value.type, variable ? H5T_VARIABLE : width);
  for (hsize_t i = 0; i < std::max<hsize_t>(count, 1); ++i) {
    std::string text;
    for (std::size_t c = 0; c < width; ++c) text.push_back(static_cast<char>(script.byte()));
    value.texts.push_back(std::move(text));
  }
  for (const auto& text : value.texts) {
    if (variable)
      value.pointers.push_back(text.c_str());
    else
      value.bytes.insert(value.bytes.end(), text.begin(), text.end());
  }
}

void apply(hid_t file, Script& script) {
  const std::uint8_t op = script.byte() % 4;
  if (op <= 1) {  // 0: replace, 1: remove an attribute, at the root or on a dataset
    const char* name = kAttributes[script.byte() % kAttributes.size()];
    const std::uint8_t where = script.byte();
    const char* owner = where % 3 == 0 ? "." : kDatasets[where % kDatasets.size()];
    if (H5Lexists(file, owner, H5P_DEFAULT) <= 0 && where % 3 != 0) return;
    const hid_t object = H5Oopen(file, owner, H5P_DEFAULT);
    if (object < 0) return;
    if (H5Aexists(object, name) > 0) H5Adelete(object, name);
    if (op == 0) {
      Value value;
      make_value(script, value);
      const hid_t attribute = H5Acreate2(object, name, value.type, value.space, H5P_DEFAULT, H5P_DEFAULT);
      if (attribute >= 0) {
        H5Awrite(attribute, value.type, value.buffer());
        H5Aclose(attribute);
      }
    }
    H5Oclose(object);
    return;
  }
  // 2: replace, 3: remove a dataset
  const char* name = kDatasets[script.byte() % kDatasets.size()];
  if (H5Lexists(file, name, H5P_DEFAULT) > 0) H5Ldelete(file, name, H5P_DEFAULT);
  if (op == 3) return;
  Value value;
  make_value(script, value);
  const hid_t dataset = H5Dcreate2(file, name, value.type, value.space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  if (dataset >= 0) {
    H5Dwrite(dataset, value.type, H5S_ALL, H5S_ALL, H5P_DEFAULT, value.buffer());
    H5Dclose(dataset);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static const std::array<std::string, 2> bases = {COORDSIM_FUZZ_BASES "/run.h5", COORDSIM_FUZZ_BASES "/shard.h5"};
  // A fresh name per input: a file whose close failed stays open inside HDF5 and could not be
  // opened for writing again.
  static std::uint64_t inputs = 0;
  const std::string path = coordsim::fuzz::scratch_path("fuzz-" + std::to_string(inputs++) + ".h5");
  std::filesystem::copy_file(bases[data[0] % bases.size()], path, std::filesystem::copy_options::overwrite_existing);
  {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    if (file < 0) __builtin_trap();
    Script script{data + 1, size - 1};
    for (int edits = 0; !script.done() && edits < 16; ++edits) apply(file, script);
    if (H5Fclose(file) < 0) return 0;  // an edit HDF5 could not store: nothing to read
  }
  try {
    static_cast<void>(coordsim::sim::describe_results(path));
  } catch (const coordsim::sim::OutputError&) {
  }
  try {
    static_cast<void>(coordsim::sim::verify_result_file(path));
  } catch (const coordsim::sim::OutputError&) {
  }
  try {
    static_cast<void>(coordsim::sim::merge_sweep_shards(coordsim::fuzz::scratch_path("merged.h5"), {path}, true));
  } catch (const coordsim::sim::OutputError&) {
  }
  std::filesystem::remove(path);
  return 0;
}
