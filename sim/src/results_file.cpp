// The HDF5 result file: writer (ResultWriter) and reader (describe_results). See results_file.hpp
// for the layout. The file is meant to be read by xarray through h5netcdf, which imposes the
// netCDF-4 data model: every axis of every data variable must have a dimension scale attached,
// and each scale must carry its dimension's name (an unnamed scale is "not a variable").
#include "coordsim/sim/results_file.hpp"

#include <hdf5.h>
#include <hdf5_hl.h>  // dimension scales (H5DS*)
#include <unistd.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <functional>
#include <limits>
#include <numeric>
#include <optional>
#include <span>
#include <sstream>
#include <utility>

#include "coordsim/sim/calibration.hpp"
#include "coordsim/sim/error.hpp"
#include "coordsim/sim/version.hpp"
#include "hdf5_handles.hpp"
#include "hdf5_read.hpp"
#include "hdf5_util.hpp"
#include "journal.hpp"

namespace coordsim::sim {
namespace {

namespace fs = std::filesystem;
using hdf5::Handle;

constexpr const char* kSeriesGroup = "series";
constexpr const char* kSummaryGroup = "summary";
constexpr const char* kAgentsGroup = "agents";

constexpr const char* kVariantDimension = "variant";
constexpr const char* kReplicationDimension = "replication";
constexpr const char* kStepDimension = "step";
constexpr const char* kAgentDimension = "agent";

constexpr const char* kUnitsAttribute = "units";
constexpr const char* kLongNameAttribute = "long_name";

constexpr int kDeflateLevel = 4;
// HDF5 refuses chunks of 4 GiB or more, so a run slice above 2 GiB is split along the step axis.
constexpr std::uint64_t kMaxChunkBytes = std::uint64_t{1} << 31;

constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

hsize_t element_count(std::span<const hsize_t> shape) {
  return std::accumulate(shape.begin(), shape.end(), hsize_t{1}, std::multiplies<>());
}

using hdf5::in_quotes;

// ---------------------------------------------------------------------------------------------
// Types and attributes

using hdf5::create_group;
using hdf5::describe_variable;
using hdf5::scalar_space;
using hdf5::simple_space;
using hdf5::utf8_string_type;
using hdf5::write_attribute;
using hdf5::write_string_array_attribute;
using hdf5::write_string_attribute;

void write_int64_attribute(hid_t object, const char* name, std::int64_t value) {
  write_attribute(object, name, H5T_STD_I64LE, scalar_space().get(), &value);
}

void write_uint64_attribute(hid_t object, const char* name, std::uint64_t value) {
  write_attribute(object, name, H5T_STD_U64LE, scalar_space().get(), &value);
}

void write_int32_attribute(hid_t object, const char* name, std::int32_t value) {
  write_attribute(object, name, H5T_STD_I32LE, scalar_space().get(), &value);
}


// ---------------------------------------------------------------------------------------------
// Groups and datasets


// A coordinate variable and the data variables attached to it as their dimension scale.
//
// The attachments are written the way HDF5's dimension-scale API stores them (a DIMENSION_LIST
// attribute on each data variable, a REFERENCE_LIST attribute on each scale, old-style object
// references), so that H5DS readers (h5py, h5netcdf, netCDF-C) see them as usual. H5DSattach_scale
// would read and rewrite the scale's whole REFERENCE_LIST at every attachment, which is quadratic
// in the variables of a group; here each variable's list is written once, when it is created, and
// each scale's list once, when every variable of its group exists (write_reference_lists).
struct Coordinate {
  struct Attachment {  // one REFERENCE_LIST entry (the layout H5DS uses for old-style references)
    hobj_ref_t variable;
    int axis;
  };
  const char* name;
  Handle scale;
  hobj_ref_t reference = 0;
  std::vector<Attachment> attached;
};

hobj_ref_t reference_to(hid_t object, const std::string& what) {
  hobj_ref_t reference = 0;
  hdf5::check(H5Rcreate(&reference, object, ".", H5R_OBJECT, -1), what + ": reference");
  return reference;
}

// Attaches the scales `axes` (one per axis, in order) to `variable`: its DIMENSION_LIST now, the
// scales' REFERENCE_LIST entries later.
void attach_scales(hid_t variable, std::span<Coordinate> axes, const std::string& what) {
  const auto type = hdf5::datatype(H5Tvlen_create(H5T_STD_REF_OBJ), what);
  std::vector<hvl_t> lists(axes.size());
  for (std::size_t axis = 0; axis < axes.size(); ++axis) lists[axis] = hvl_t{1, &axes[axis].reference};
  const hsize_t rank = axes.size();
  write_attribute(variable, "DIMENSION_LIST", type.get(), simple_space(std::span(&rank, 1)).get(), lists.data());
  const hobj_ref_t self = reference_to(variable, what);
  for (std::size_t axis = 0; axis < axes.size(); ++axis)
    axes[axis].attached.push_back({self, static_cast<int>(axis)});
}

// Each scale's REFERENCE_LIST: every variable attached to it, in the order attached.
void write_reference_lists(std::span<Coordinate> axes) {
  for (auto& axis : axes) {
    if (axis.attached.empty()) continue;
    const std::string what = std::string("attach dimension scale '") + axis.name + "'";
    const auto type = hdf5::datatype(H5Tcreate(H5T_COMPOUND, sizeof(Coordinate::Attachment)), what);
    hdf5::check(H5Tinsert(type.get(), "dataset", HOFFSET(Coordinate::Attachment, variable), H5T_STD_REF_OBJ), what);
    hdf5::check(H5Tinsert(type.get(), "dimension", HOFFSET(Coordinate::Attachment, axis), H5T_NATIVE_INT), what);
    const hsize_t count = axis.attached.size();
    write_attribute(axis.scale.get(), "REFERENCE_LIST", type.get(), simple_space(std::span(&count, 1)).get(),
                    axis.attached.data());
  }
}

// Transfer properties for every write here: a 64 KiB type-conversion buffer instead of HDF5's
// default 1 MiB, which it would clear (and page in) for each write that converts, such as the
// variant names; our writes are small, so nothing else changes.
// Made once and never closed (HDF5 closes it when the library shuts down).
hid_t small_transfer() {
  static const hid_t properties = [] {
    const hid_t list = H5Pcreate(H5P_DATASET_XFER);
    if (list < 0) throw OutputError("cannot create transfer properties: " + hdf5::last_error_description());
    hdf5::check(H5Pset_buffer(list, std::size_t{64} << 10, nullptr, nullptr), "set the conversion buffer");
    return list;
  }();
  return properties;
}

// A one-dimensional coordinate variable, made the dimension scale of the dimension it names.
Coordinate create_coordinate(hid_t group, const char* name, hid_t type, hsize_t length, const void* values,
                             const char* units, const char* long_name) {
  const std::string what = std::string("create coordinate '") + name + "'";
  const auto space = simple_space(std::span(&length, 1));
  auto dataset = hdf5::dataset(H5Dcreate2(group, name, type, space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), what);
  if (length > 0) hdf5::check(H5Dwrite(dataset.get(), type, H5S_ALL, H5S_ALL, small_transfer(), values), what);
  hdf5::check(H5DSset_scale(dataset.get(), name), what);
  describe_variable(dataset.get(), units, long_name);
  const hobj_ref_t reference = reference_to(dataset.get(), what);
  return {name, std::move(dataset), reference, {}};
}

Coordinate create_variant_coordinate(hid_t group, const std::vector<std::string>& variants) {
  std::vector<const char*> names;
  names.reserve(variants.size());
  for (const auto& variant : variants) names.push_back(variant.c_str());
  const auto type = utf8_string_type();
  return create_coordinate(group, kVariantDimension, type.get(), names.size(), names.data(), "1", "scenario variant");
}

Coordinate create_index_coordinate(hid_t group, const char* name, const std::vector<std::int64_t>& values,
                                   const char* units, const char* long_name) {
  return create_coordinate(group, name, H5T_STD_I64LE, values.size(), values.data(), units, long_name);
}

using hdf5::counting;

// Chunk = one run's slice (the leading variant and replication axes set to 1), so a write fills
// whole chunks: nothing is read back, and runs written in any order compress independently.
std::vector<hsize_t> run_chunk(std::span<const hsize_t> shape) {
  std::vector<hsize_t> chunk(shape.begin(), shape.end());
  chunk[0] = 1;
  chunk[1] = 1;
  if (chunk.size() > 2) {
    const hsize_t bytes_per_step = sizeof(double) * element_count(std::span(chunk).subspan(3));
    chunk[2] = std::clamp<hsize_t>(kMaxChunkBytes / bytes_per_step, 1, chunk[2]);
  }
  return chunk;
}

Handle data_creation_properties(std::span<const hsize_t> shape, bool chunked, const std::string& what) {
  auto creation = hdf5::property_list(H5Pcreate(H5P_DATASET_CREATE), what);
  // NaN fill: the slots of runs that were never written read as missing.
  hdf5::check(H5Pset_fill_value(creation.get(), H5T_NATIVE_DOUBLE, &kMissing), what);
  // No access/modification times in the object header: HDF5 rewrites them on every attribute
  // and data write (a third of the cost of a small run's attributes), and files of the same run
  // then differ only in their contents.
  hdf5::check(H5Pset_obj_track_times(creation.get(), false), what);
  // A chunk must not be empty, so a zero-length axis leaves the dataset contiguous (and empty).
  if (chunked && element_count(shape) > 0) {
    const auto chunk = run_chunk(shape);
    hdf5::check(H5Pset_chunk(creation.get(), static_cast<int>(chunk.size()), chunk.data()), what);
    hdf5::check(H5Pset_shuffle(creation.get()), what);
    hdf5::check(H5Pset_deflate(creation.get(), kDeflateLevel), what);
    // A checksum of every stored chunk: silent corruption fails the read (and `coordsim verify`).
    hdf5::check(H5Pset_fletcher32(creation.get()), what);
  }
  return creation;
}

// No chunk cache: every write compresses and stores its chunks at once, so a full disk is
// reported by the write() of the run that hit it rather than later, and memory stays flat.
Handle data_access_properties(const std::string& what) {
  auto properties = hdf5::property_list(H5Pcreate(H5P_DATASET_ACCESS), what);
  hdf5::check(H5Pset_chunk_cache(properties.get(), 0, 0, H5D_CHUNK_CACHE_W0_DEFAULT), what);
  return properties;
}

// What every data variable of one group shares: its dataspace and its creation and access
// properties (made once per group, not once per variable).
struct VariableShape {
  Handle space, creation, access;
  VariableShape(std::span<const hsize_t> shape, bool chunked, const std::string& what)
      : space(simple_space(shape)),
        creation(data_creation_properties(shape, chunked, what)),
        access(data_access_properties(what)) {}
};

Handle create_data_variable(hid_t group, const std::string& group_name, const VariableSpec& spec,
                            const VariableShape& shape, std::span<Coordinate> axes) {
  const std::string what = "create dataset '" + group_name + "/" + spec.name + "'";
  auto dataset = hdf5::dataset(H5Dcreate2(group, spec.name.c_str(), H5T_IEEE_F64LE, shape.space.get(), H5P_DEFAULT,
                                          shape.creation.get(), shape.access.get()),
                               what);
  attach_scales(dataset.get(), axes, what + ": attach dimension scales");
  describe_variable(dataset.get(), spec.units, spec.long_name);
  return dataset;
}

// Writes `values` (row-major, shaped like `count`) at `start` of `dataset`.
void write_slab(hid_t dataset, std::span<const hsize_t> start, std::span<const hsize_t> count, const double* values) {
  if (element_count(count) == 0) return;
  const auto file_space = hdf5::dataspace(H5Dget_space(dataset), "get dataspace");
  hdf5::check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr),
              "select run slice");
  const auto memory_space = simple_space(count);
  hdf5::check(H5Dwrite(dataset, H5T_NATIVE_DOUBLE, memory_space.get(), file_space.get(), small_transfer(), values),
              "write run slice");
}

// ---------------------------------------------------------------------------------------------
// Layout validation: names become HDF5 link names next to the coordinate variables.

bool is_coordinate_name(const std::string& name) {
  return name == kVariantDimension || name == kReplicationDimension || name == kStepDimension ||
         name == kAgentDimension;
}

void check_names(const std::vector<std::string>& names, const std::string& where) {
  std::vector<std::string> seen;
  for (const auto& name : names) {
    if (name.empty() || name == "." || name.find('/') != std::string::npos)
      throw OutputError("invalid output name " + in_quotes(name) + " in " + where);
    if (is_coordinate_name(name))
      throw OutputError("output name " + in_quotes(name) + " in " + where +
                        " clashes with the coordinate of that name");
    if (std::find(seen.begin(), seen.end(), name) != seen.end())
      throw OutputError("output name " + in_quotes(name) + " appears twice in " + where);
    seen.push_back(name);
  }
}

template <typename Item, typename Name>
std::vector<std::string> names_of(const std::vector<Item>& items, Name name) {
  std::vector<std::string> names;
  names.reserve(items.size());
  for (const auto& item : items) names.push_back(name(item));
  return names;
}

void check_layout(const OutputLayout& layout) {
  check_names(names_of(layout.series, [](const VariableSpec& v) { return v.name; }), kSeriesGroup);
  check_names(names_of(layout.summaries, [](const SummarySpec& s) { return s.variable.name; }), kSummaryGroup);
  check_names(names_of(layout.agent_kinds, [](const AgentKindSpec& k) { return k.kind; }), kAgentsGroup);
  for (const auto& kind : layout.agent_kinds)
    check_names(names_of(kind.variables, [](const VariableSpec& v) { return v.name; }),
                std::string(kAgentsGroup) + "/" + kind.kind);
}


std::string temporary_path_for(const std::string& path) {
  return path + ".tmp-" + std::to_string(static_cast<long long>(getpid()));
}

}  // namespace

// =============================================================================================
// Writer

struct ResultWriter::Impl {
  // One writer per output at a time (the lock file is released last).
  sweep_detail::OutputLock lock;
  // Declared before the datasets so it is destroyed after every dataset inside it is closed.
  Handle file;
  ResultMetadata metadata;
  OutputLayout layout;
  std::size_t recorded_steps = 0;
  std::vector<Handle> series;               // [series variable]
  std::vector<Handle> summaries;            // [summary]
  std::vector<std::vector<Handle>> agents;  // [kind][variable]
  bool closed = false;

  Impl(const std::string& path, const std::string& temporary_path, ResultMetadata metadata_in, OutputLayout layout_in,
       std::vector<std::string>& removed)
      : lock(path), metadata(std::move(metadata_in)), layout(std::move(layout_in)) {
    removed = sweep_detail::remove_stale_temporaries(path);
    // Same convention as Recorder: an agent interval of 0 means every step.
    metadata.agent_every = std::max<std::size_t>(metadata.agent_every, 1);
    recorded_steps = Recorder::recorded_steps(metadata.steps, metadata.agents, metadata.agent_every);
    create_file(temporary_path);
    write_root_attributes();
    create_series();
    create_summaries();
    if (metadata.agents) create_agents();
  }

  hsize_t variant_count() const { return metadata.variants.size(); }
  hsize_t replication_count() const { return metadata.replications; }

  void create_file(const std::string& temporary_path) {
    file = hdf5::create_file(temporary_path);
  }

  void write_root_attributes() {
    const hid_t root = file.get();
    write_string_attribute(root, "coordsim_version", std::string(kVersion));
    write_string_attribute(root, "coordsim_commit", std::string(git_commit()));
    write_int32_attribute(root, "format_version", kFormatVersion);
    write_string_attribute(root, "model", metadata.model);
    write_string_attribute(root, "scenario", metadata.scenario_yaml);
    write_uint64_attribute(root, "seed", metadata.seed);
    write_int64_attribute(root, "replications", static_cast<std::int64_t>(metadata.replications));
    write_int64_attribute(root, "steps", static_cast<std::int64_t>(metadata.steps));
    write_int64_attribute(root, "agent_every", static_cast<std::int64_t>(metadata.agent_every));
    write_int32_attribute(root, "agents", metadata.agents ? 1 : 0);
    write_string_array_attribute(root, "variants", metadata.variants);
  }

  // The variant and replication coordinates every group starts with.
  std::vector<Coordinate> run_coordinates(hid_t group) const {
    std::vector<Coordinate> axes;
    axes.push_back(create_variant_coordinate(group, metadata.variants));
    axes.push_back(create_index_coordinate(group, kReplicationDimension, counting(metadata.replications), "1",
                                           "replication index"));
    return axes;
  }

  void create_series() {
    const auto group = create_group(file.get(), kSeriesGroup);
    auto axes = run_coordinates(group.get());
    axes.push_back(
        create_index_coordinate(group.get(), kStepDimension, counting(metadata.steps), "steps", "simulation step"));
    const std::array<hsize_t, 3> dims = {variant_count(), replication_count(), metadata.steps};
    const VariableShape shape(dims, true, "create the series datasets");
    for (const auto& spec : layout.series)
      series.push_back(create_data_variable(group.get(), kSeriesGroup, spec, shape, axes));
    write_reference_lists(axes);
  }

  void create_summaries() {
    const auto group = create_group(file.get(), kSummaryGroup);
    auto axes = run_coordinates(group.get());
    const std::array<hsize_t, 2> dims = {variant_count(), replication_count()};
    // One value per run: too small to gain from chunking and compression.
    const VariableShape shape(dims, false, "create the summary datasets");
    for (const auto& summary : layout.summaries) {
      auto dataset = create_data_variable(group.get(), kSummaryGroup, summary.variable, shape, axes);
      write_int32_attribute(dataset.get(), "key", summary.key ? 1 : 0);
      summaries.push_back(std::move(dataset));
    }
    write_reference_lists(axes);
  }

  void create_agents() {
    const auto agents_group = create_group(file.get(), kAgentsGroup);
    for (const auto& kind : layout.agent_kinds) {
      const std::string group_name = std::string(kAgentsGroup) + "/" + kind.kind;
      const auto group = create_group(agents_group.get(), kind.kind);
      auto axes = run_coordinates(group.get());
      axes.push_back(create_index_coordinate(
          group.get(), kStepDimension, counting(recorded_steps, metadata.agent_every), "steps", "simulation step"));
      axes.push_back(create_index_coordinate(group.get(), kAgentDimension, counting(kind.count), "1", "agent id"));
      const std::array<hsize_t, 4> dims = {variant_count(), replication_count(), recorded_steps, kind.count};
      const VariableShape shape(dims, true, "create the datasets of " + group_name);
      auto& datasets = agents.emplace_back();
      for (const auto& spec : kind.variables)
        datasets.push_back(create_data_variable(group.get(), group_name, spec, shape, axes));
      write_reference_lists(axes);
    }
  }

  // --- writing one run --------------------------------------------------------------------

  // A failed run may have recorded nothing in a buffer: its slot then simply stays NaN.
  static bool skipped(const RunRecord& record, const std::vector<double>& buffer) {
    return !record.ok && buffer.empty();
  }

  static void check_size(const RunRecord& record, const std::vector<double>& buffer, std::size_t expected,
                         const std::string& what) {
    if (!skipped(record, buffer) && buffer.size() != expected)
      throw OutputError(what + " has " + std::to_string(buffer.size()) + " values, expected " +
                        std::to_string(expected));
  }

  // Everything that can be wrong with a record is found before the file is touched.
  void check_record(const RunRecord& record) const {
    if (record.variant >= metadata.variants.size())
      throw OutputError("variant index " + std::to_string(record.variant) + " is out of range (" +
                        std::to_string(metadata.variants.size()) + " variants)");
    if (record.replication >= metadata.replications)
      throw OutputError("replication index " + std::to_string(record.replication) + " is out of range (" +
                        std::to_string(metadata.replications) + " replications)");
    check_size(record, record.series, metadata.steps * layout.series.size(), "series record");
    check_size(record, record.summaries, layout.summaries.size(), "summary record");
    if (!metadata.agents || (!record.ok && record.agents.empty())) return;
    if (record.agents.size() != layout.agent_kinds.size())
      throw OutputError("agent record has " + std::to_string(record.agents.size()) + " kinds, expected " +
                        std::to_string(layout.agent_kinds.size()));
    for (std::size_t k = 0; k < layout.agent_kinds.size(); ++k) {
      const auto& kind = layout.agent_kinds[k];
      check_size(record, record.agents[k], recorded_steps * kind.variables.size() * kind.count,
                 "agent record of " + in_quotes(kind.kind));
    }
  }

  void write_series(const RunRecord& record) {
    if (skipped(record, record.series)) return;
    const std::size_t n_series = layout.series.size();
    std::vector<double> column(metadata.steps);
    const std::array<hsize_t, 3> start = {record.variant, record.replication, 0};
    const std::array<hsize_t, 3> count = {1, 1, metadata.steps};
    for (std::size_t variable = 0; variable < n_series; ++variable) {
      for (std::size_t step = 0; step < metadata.steps; ++step)
        column[step] = record.series[step * n_series + variable];
      write_slab(series[variable].get(), start, count, column.data());
    }
  }

  void write_summaries(const RunRecord& record) {
    if (skipped(record, record.summaries)) return;
    const std::array<hsize_t, 2> start = {record.variant, record.replication};
    const std::array<hsize_t, 2> count = {1, 1};
    for (std::size_t summary = 0; summary < summaries.size(); ++summary)
      write_slab(summaries[summary].get(), start, count, &record.summaries[summary]);
  }

  // The record holds [recorded step][variable][agent]; each dataset wants [recorded step][agent].
  void write_agent_kind(const RunRecord& record, std::size_t k) {
    const auto& kind = layout.agent_kinds[k];
    const auto& values = record.agents[k];
    if (skipped(record, values)) return;
    const std::size_t n_variables = kind.variables.size();
    std::vector<double> slab(recorded_steps * kind.count);
    const std::array<hsize_t, 4> start = {record.variant, record.replication, 0, 0};
    const std::array<hsize_t, 4> count = {1, 1, recorded_steps, kind.count};
    for (std::size_t variable = 0; variable < n_variables; ++variable) {
      for (std::size_t step = 0; step < recorded_steps; ++step) {
        const auto row = values.begin() + static_cast<std::ptrdiff_t>((step * n_variables + variable) * kind.count);
        std::copy(row, row + static_cast<std::ptrdiff_t>(kind.count),
                  slab.begin() + static_cast<std::ptrdiff_t>(step * kind.count));
      }
      write_slab(agents[k][variable].get(), start, count, slab.data());
    }
  }

  void write_record(const RunRecord& record) {
    write_series(record);
    write_summaries(record);
    if (!metadata.agents || (!record.ok && record.agents.empty())) return;
    for (std::size_t k = 0; k < layout.agent_kinds.size(); ++k) write_agent_kind(record, k);
  }

  // After a failed write, puts NaN back over the run's slot in every dataset, so the slot reads
  // as "not written" rather than half of a run. Best effort: a second failure is ignored.
  void clear_slot(std::size_t variant, std::size_t replication) noexcept {
    const auto clear = [&](const Handle& dataset) {
      try {
        const auto space = hdf5::dataspace(H5Dget_space(dataset.get()), "get dataspace");
        std::array<hsize_t, 4> slot{};  // every data variable has 2 to 4 axes
        const int rank = H5Sget_simple_extent_ndims(space.get());
        if (rank < 2 || rank > static_cast<int>(slot.size())) return;
        H5Sget_simple_extent_dims(space.get(), slot.data(), nullptr);
        slot[0] = slot[1] = 1;
        const std::array<hsize_t, 4> start = {variant, replication, 0, 0};
        const auto axes = static_cast<std::size_t>(rank);
        const std::vector<double> missing(element_count(std::span(slot).first(axes)), kMissing);
        write_slab(dataset.get(), std::span(start).first(axes), std::span(slot).first(axes), missing.data());
      } catch (const OutputError&) {
        // Best effort: the write that failed is already being reported.
      }
    };
    for (const auto& dataset : series) clear(dataset);
    for (const auto& dataset : summaries) clear(dataset);
    for (const auto& kind : agents)
      for (const auto& dataset : kind) clear(dataset);
    H5Eclear2(H5E_DEFAULT);
  }

  // Flushes and closes every object, reporting failures: a failed close can mean lost data.
  void close() {
    closed = true;
    hdf5::check(H5Fflush(file.get(), H5F_SCOPE_GLOBAL), "flush");
    const auto close_all = [](std::vector<Handle>& datasets) {
      for (auto& dataset : datasets) hdf5::check(dataset.close(), "close dataset");
    };
    close_all(series);
    close_all(summaries);
    for (auto& kind : agents) close_all(kind);
    hdf5::check(file.close(), "close");
  }
};

ResultWriter::ResultWriter(std::string path, ResultMetadata metadata, OutputLayout layout)
    : path_(std::move(path)), temporary_path_(temporary_path_for(path_)) {
  const hdf5::QuietErrors quiet;
  try {
    check_layout(layout);
  } catch (const OutputError& error) {
    throw OutputError("cannot write results to " + in_quotes(path_) + ": " + error.what());
  }
  hdf5::check_output_destination(path_);
  try {
    impl_ = std::make_unique<Impl>(path_, temporary_path_, std::move(metadata), std::move(layout), removed_);
  } catch (const OutputError& error) {
    // The constructor failed, so no destructor will: drop the partial temporary file here.
    std::error_code ignored;
    fs::remove(temporary_path_, ignored);
    throw OutputError("cannot create result file " + in_quotes(temporary_path_) + ": " + error.what());
  }
}

ResultWriter::~ResultWriter() {
  if (!impl_) return;  // committed: the file now lives under the final name
  const hdf5::QuietErrors quiet;
  impl_.reset();
  std::error_code ignored;
  fs::remove(temporary_path_, ignored);
}

void ResultWriter::write(const RunRecord& record) {
  const hdf5::QuietErrors quiet;
  const std::string run =
      "run (variant " + std::to_string(record.variant) + ", replication " + std::to_string(record.replication) + ")";
  if (!impl_ || impl_->closed)
    throw OutputError("cannot write " + run + " to " + in_quotes(path_) + ": the result file is already closed");
  try {
    impl_->check_record(record);
  } catch (const OutputError& error) {
    throw OutputError("cannot write " + run + " to " + in_quotes(path_) + ": " + error.what());
  }
  try {
    impl_->write_record(record);
  } catch (const OutputError& error) {
    impl_->clear_slot(record.variant, record.replication);
    throw OutputError("cannot write " + run + " to " + in_quotes(temporary_path_) + ": " + error.what());
  }
}

void ResultWriter::commit() {
  const hdf5::QuietErrors quiet;
  if (!impl_) throw OutputError("result file " + in_quotes(path_) + " is already committed");
  try {
    impl_->close();
  } catch (const OutputError& error) {
    throw OutputError("cannot finish result file " + in_quotes(temporary_path_) + ": " + error.what());
  }
  std::error_code error;
  fs::rename(temporary_path_, path_, error);
  if (error)
    throw OutputError("cannot rename " + in_quotes(temporary_path_) + " to " + in_quotes(path_) + ": " +
                      error.message());
  impl_.reset();  // marks the writer committed: the destructor leaves the file alone
}

// =============================================================================================
// Reader

namespace {

using hdf5::has_attribute;

std::vector<std::string> string_array_attribute(hid_t object, const char* name, const std::string& owner = "") {
  return hdf5::read_strings_attribute(object, name, owner);
}

std::string string_attribute(hid_t object, const char* name, const std::string& owner = "") {
  return hdf5::read_string_attribute(object, name, owner);
}

std::optional<std::int64_t> int64_attribute(hid_t object, const char* name, const std::string& owner = "") {
  return hdf5::read_int_attribute(object, name, owner);
}

// Names of a group's members, in creation order when the group tracks it (ours do).
std::vector<std::string> member_names(hid_t group) {
  H5G_info_t info{};
  hdf5::check(H5Gget_info(group, &info), "list group");
  const auto creation = hdf5::property_list(H5Gget_create_plist(group), "list group");
  unsigned order_flags = 0;
  hdf5::check(H5Pget_link_creation_order(creation.get(), &order_flags), "list group");
  const H5_index_t index = (order_flags & H5P_CRT_ORDER_INDEXED) != 0 ? H5_INDEX_CRT_ORDER : H5_INDEX_NAME;
  std::vector<std::string> names;
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    const ssize_t length = H5Lget_name_by_idx(group, ".", index, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    if (length < 0) hdf5::fail("list group");
    std::string name(static_cast<std::size_t>(length) + 1, '\0');
    H5Lget_name_by_idx(group, ".", index, H5_ITER_INC, i, name.data(), name.size(), H5P_DEFAULT);
    name.resize(static_cast<std::size_t>(length));
    names.push_back(std::move(name));
  }
  return names;
}

std::string scale_name(hid_t scale) {
  const ssize_t length = H5DSget_scale_name(scale, nullptr, 0);
  if (length <= 0) return {};
  std::string name(static_cast<std::size_t>(length) + 1, '\0');
  H5DSget_scale_name(scale, name.data(), name.size());
  name.resize(static_cast<std::size_t>(length));
  return name;
}

// "variant=2, replication=3, step=20": axis names from the attached dimension scales.
std::string shape_text(hid_t dataset) {
  const auto space = hdf5::dataspace(H5Dget_space(dataset), "read shape");
  std::array<hsize_t, H5S_MAX_RANK> shape{};
  const int rank = H5Sget_simple_extent_dims(space.get(), shape.data(), nullptr);
  std::string text;
  for (int axis = 0; axis < rank; ++axis) {
    std::string name;
    if (H5DSget_num_scales(dataset, static_cast<unsigned>(axis)) > 0) {
      const auto remember_name = [](hid_t, unsigned, hid_t scale, void* out) -> herr_t {
        *static_cast<std::string*>(out) = scale_name(scale);
        return 1;  // the first attached scale names the axis
      };
      H5DSiterate_scales(dataset, static_cast<unsigned>(axis), nullptr, remember_name, &name);
    }
    if (!text.empty()) text += ", ";
    text += (name.empty() ? "axis " + std::to_string(axis) : name) + "=" + std::to_string(shape[axis]);
  }
  return text;
}

void describe_group(std::ostream& out, hid_t file, const std::string& group_path, const std::string& heading) {
  if (H5Lexists(file, group_path.c_str(), H5P_DEFAULT) <= 0) return;
  const auto group = hdf5::group(H5Gopen2(file, group_path.c_str(), H5P_DEFAULT), "open group " + group_path);
  std::ostringstream variables;
  std::size_t count = 0;
  for (const auto& name : member_names(group.get())) {
    const auto object = hdf5::object(H5Oopen(group.get(), name.c_str(), H5P_DEFAULT), "open " + name);
    if (H5Iget_type(object.get()) != H5I_DATASET || H5DSis_scale(object.get()) > 0) continue;
    ++count;
    const std::string owner = " of '" + group_path + "/" + name + "'";
    variables << "  " << name << " (" << shape_text(object.get())
              << ")  units: " << string_attribute(object.get(), kUnitsAttribute, owner);
    if (int64_attribute(object.get(), "key", owner).value_or(0) != 0) variables << "  [key]";
    variables << "\n    " << string_attribute(object.get(), kLongNameAttribute, owner) << "\n";
  }
  out << "\n" << heading << ": " << count << (count == 1 ? " variable\n" : " variables\n") << variables.str();
}

std::string join(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : ", ") + item;
  return text;
}

hsize_t coordinate_length(hid_t group, const char* name) {
  if (H5Lexists(group, name, H5P_DEFAULT) <= 0) return 0;
  const auto dataset = hdf5::dataset(H5Dopen2(group, name, H5P_DEFAULT), std::string("open ") + name);
  const auto dims = hdf5::dataset_dims(dataset.get(), std::string("read ") + name);
  if (dims.size() != 1) hdf5::bad(std::string("coordinate '") + name + "' has " + std::to_string(dims.size()) + " axes, expected 1");
  return dims.front();
}

void describe_agents(std::ostream& out, hid_t file) {
  if (H5Lexists(file, kAgentsGroup, H5P_DEFAULT) <= 0) return;
  const auto agents = hdf5::group(H5Gopen2(file, kAgentsGroup, H5P_DEFAULT), "open group agents");
  for (const auto& kind : member_names(agents.get())) {
    const auto group = hdf5::group(H5Gopen2(agents.get(), kind.c_str(), H5P_DEFAULT), "open group " + kind);
    const std::string heading = std::string(kAgentsGroup) + "/" + kind + " (" +
                                std::to_string(coordinate_length(group.get(), kAgentDimension)) + " agents, " +
                                std::to_string(coordinate_length(group.get(), kStepDimension)) + " recorded steps)";
    describe_group(out, file, std::string(kAgentsGroup) + "/" + kind, heading);
  }
}

void describe_root(std::ostream& out, hid_t file, const std::string& path) {
  const auto format_version = int64_attribute(file, "format_version");
  const auto variants = string_array_attribute(file, "variants");
  const auto agent_every = int64_attribute(file, "agent_every").value_or(1);
  out << "coordsim result file " << path << "\n"
      << "  model:        " << string_attribute(file, "model") << "\n"
      << "  written by:   coordsim " << string_attribute(file, "coordsim_version") << ", format version "
      << format_version.value_or(0) << "\n"
      << "  seed:         " << hdf5::read_uint_attribute(file, "seed").value_or(0) << "\n"
      << "  variants:     " << variants.size() << " (" << join(variants) << ")\n"
      << "  replications: " << int64_attribute(file, "replications").value_or(0) << "\n"
      << "  steps:        " << int64_attribute(file, "steps").value_or(0) << "\n"
      << "  agents:       "
      << (int64_attribute(file, "agents").value_or(0) != 0
              ? "recorded every " + std::to_string(agent_every) + (agent_every == 1 ? " step" : " steps")
              : std::string("not recorded"))
      << "\n"
      << "  scenario:     " << string_attribute(file, "scenario").size() << " bytes of resolved YAML\n";
  if (format_version.value_or(0) > kFormatVersion)
    out << "  note: written by a newer coordsim (format " << *format_version << "); this build reads format "
        << kFormatVersion << "\n";
}

void skip_hdf5_exit_cleanup_before_reading() noexcept {
  // A damaged file can leave HDF5 unable to close it; its atexit cleanup would then crash trying
  // again. Every file is closed explicitly here (see sweep_output.cpp, skip_hdf5_exit_cleanup).
  static_cast<void>(H5dont_atexit());
}

// Opens `path` read-only as a coordsim file, or throws BadFileError saying why it is not one.
Handle open_coordsim_file(const std::string& path) {
  std::error_code error;
  if (!fs::is_regular_file(path, error)) throw BadFileError("cannot read " + in_quotes(path) + ": no such file");
  if (H5Fis_hdf5(path.c_str()) <= 0) {
    H5Eclear2(H5E_DEFAULT);
    throw BadFileError(in_quotes(path) + " is not a coordsim result file (not an HDF5 file, or damaged)");
  }
  auto file = hdf5::file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "open");
  if (!has_attribute(file.get(), "coordsim_version") || !has_attribute(file.get(), "format_version"))
    hdf5::bad("not a coordsim result file (no coordsim_version or format_version attribute)");
  return file;
}

}  // namespace

std::string describe_results(const std::string& path) {
  skip_hdf5_exit_cleanup_before_reading();
  const hdf5::QuietErrors quiet;
  try {
    const auto file = open_coordsim_file(path);
    if (has_attribute(file.get(), "kind") && string_attribute(file.get(), "kind") == "calibration")
      return describe_calibration(path);
    std::ostringstream out;
    describe_root(out, file.get(), path);
    describe_group(out, file.get(), kSeriesGroup, "series");
    describe_group(out, file.get(), kSummaryGroup, "summary");
    describe_agents(out, file.get());
    return out.str();
  } catch (const OutputError& failure) {
    throw BadFileError("cannot describe " + in_quotes(path) + ": " + failure.what());
  } catch (const std::length_error& failure) {
    throw BadFileError("cannot describe " + in_quotes(path) + ": implausible sizes in the file");
  } catch (const std::bad_alloc&) {
    throw BadFileError("cannot describe " + in_quotes(path) + ": implausible sizes in the file");
  }
}

namespace {

// Reads every value of `dataset` back, a slab of leading-axis rows at a time (at most ~64 MiB in
// memory), so every chunk passes HDF5's filters; returns the number of values.
hsize_t read_everything(hid_t dataset, const std::string& name) {
  const std::string what = "read '" + name + "'";
  const auto dims = hdf5::dataset_dims(dataset, what);
  const auto file_type = hdf5::datatype(H5Dget_type(dataset), what);
  const H5T_class_t klass = H5Tget_class(file_type.get());
  if (klass != H5T_INTEGER && klass != H5T_FLOAT && klass != H5T_STRING)
    hdf5::bad("dataset '" + name + "' has a type no coordsim file uses");
  const bool is_string = klass == H5T_STRING && H5Tis_variable_str(file_type.get()) > 0;
  const auto memory_type =
      is_string ? hdf5::utf8_string_type() : hdf5::datatype(H5Tget_native_type(file_type.get(), H5T_DIR_ASCEND), what);
  const std::size_t element = H5Tget_size(memory_type.get());
  if (element == 0) hdf5::bad("dataset '" + name + "' has elements of size 0");
  if (dims.empty()) return 0;  // a scalar dataset is not part of the format
  hsize_t per_row = 1;
  for (std::size_t a = 1; a < dims.size(); ++a) per_row *= dims[a];
  if (per_row == 0 || dims[0] == 0) return 0;
  constexpr hsize_t kSlabBytes = hsize_t{64} << 20;
  const hsize_t rows = std::clamp<hsize_t>(kSlabBytes / std::max<hsize_t>(per_row * element, 1), 1, dims[0]);
  if (per_row * element > (hsize_t{1} << 34)) hdf5::bad("dataset '" + name + "' has implausibly large rows");
  std::vector<char> buffer;
  for (hsize_t first = 0; first < dims[0]; first += rows) {
    std::vector<hsize_t> start(dims.size(), 0), count = dims;
    start[0] = first;
    count[0] = std::min(rows, dims[0] - first);
    buffer.assign(static_cast<std::size_t>(count[0] * per_row * element), 0);
    const auto file_space = hdf5::dataspace(H5Dget_space(dataset), what);
    hdf5::check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr), what);
    const auto memory_space = simple_space(count);
    hdf5::check(H5Dread(dataset, memory_type.get(), memory_space.get(), file_space.get(), H5P_DEFAULT, buffer.data()),
                what + " (rows " + std::to_string(first) + " to " + std::to_string(first + count[0] - 1) + ")");
    if (is_string) H5Dvlen_reclaim(memory_type.get(), memory_space.get(), H5P_DEFAULT, buffer.data());
  }
  return dims[0] * per_row;
}

struct VerifyWalk {
  std::vector<hsize_t> leading;  // the axes every data variable starts with
  std::size_t datasets = 0;
  hsize_t values = 0;
  std::string problem;
};

herr_t verify_object(hid_t root, const char* name, const H5O_info_t* info, void* data) {
  auto* walk = static_cast<VerifyWalk*>(data);
  if (info->type != H5O_TYPE_DATASET) return 0;
  try {
    const auto dataset = hdf5::dataset(H5Dopen2(root, name, H5P_DEFAULT), std::string("open '") + name + "'");
    const std::string path = name;
    // Data variables: in a data group, neither a dimension scale nor a coordinate along the run
    // axis (parameter coordinates carry a `parameter` attribute; Saltelli indices are named).
    const std::string leaf = path.substr(path.rfind('/') + 1);
    const bool data_variable = (path.rfind("series/", 0) == 0 || path.rfind("summary/", 0) == 0 ||
                                path.rfind("agents/", 0) == 0) &&
                               H5DSis_scale(dataset.get()) <= 0 && !has_attribute(dataset.get(), "parameter") &&
                               leaf != "saltelli_block" && leaf != "saltelli_row";
    if (data_variable) {
      const auto dims = hdf5::dataset_dims(dataset.get(), "shape of '" + path + "'");
      if (dims.size() < walk->leading.size() || !std::equal(walk->leading.begin(), walk->leading.end(), dims.begin()))
        hdf5::bad("data variable '" + path + "' does not have the run axes the root attributes give");
      const std::string owner = " of '" + path + "'";
      static_cast<void>(hdf5::read_string_attribute(dataset.get(), kUnitsAttribute, owner));
      static_cast<void>(hdf5::read_string_attribute(dataset.get(), kLongNameAttribute, owner));
      static_cast<void>(hdf5::read_int_attribute_in(dataset.get(), "key", 0, 1, owner));
    }
    walk->values += read_everything(dataset.get(), path);
    ++walk->datasets;
    return 0;
  } catch (const std::exception& failure) {
    walk->problem = failure.what();
    return -1;  // no exception may cross HDF5's C frames
  }
}

}  // namespace

void disable_hdf5_exit_cleanup() noexcept { static_cast<void>(H5dont_atexit()); }

VerifyReport verify_result_file(const std::string& path) {
  skip_hdf5_exit_cleanup_before_reading();
  const hdf5::QuietErrors quiet;
  VerifyReport report;
  try {
    const auto file = open_coordsim_file(path);
    const hid_t root = file.get();
    constexpr std::int64_t kMax = std::int64_t{1} << 40;
    const auto format = hdf5::read_int_attribute(root, "format_version");
    if (*format < 1 || *format > kFormatVersion)
      hdf5::bad("format version " + std::to_string(*format) + " (this coordsim reads 1 to " +
                std::to_string(kFormatVersion) + ")");
    static_cast<void>(hdf5::read_string_attribute(root, "coordsim_version"));
    static_cast<void>(hdf5::read_string_attribute(root, "model"));
    static_cast<void>(hdf5::read_string_attribute(root, "scenario"));
    static_cast<void>(hdf5::read_uint_attribute(root, "seed"));
    const auto variants = hdf5::read_strings_attribute(root, "variants");
    const auto replications = hdf5::read_int_attribute_in(root, "replications", 0, kMax);
    const auto steps = hdf5::read_int_attribute_in(root, "steps", 0, kMax);
    static_cast<void>(hdf5::read_int_attribute_in(root, "agent_every", 0, kMax));
    static_cast<void>(hdf5::read_int_attribute_in(root, "agents", 0, 1));
    if (!replications || !steps) hdf5::bad("no 'replications' or 'steps' attribute");
    const bool sweep = hdf5::read_string_attribute(root, "kind") == "sweep";
    VerifyWalk walk;
    std::ostringstream text;
    if (sweep) {
      const auto runs = hdf5::read_int_attribute_in(root, "runs", 0, kMax);
      if (!runs) hdf5::bad("no 'runs' attribute");
      const auto count = static_cast<hsize_t>(*runs);
      walk.leading = {count, variants.size(), static_cast<hsize_t>(*replications)};
      const auto status = hdf5::open_checked_dataset(root, "run_status", H5T_INTEGER, {count});
      std::vector<std::int8_t> states(static_cast<std::size_t>(count));
      if (count > 0)
        hdf5::check(H5Dread(status.get(), H5T_NATIVE_INT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, states.data()), "read 'run_status'");
      std::array<std::size_t, 3> by_status{};
      for (std::size_t r = 0; r < states.size(); ++r) {
        if (states[r] < 0 || states[r] > 2)
          hdf5::bad("run_status of run " + std::to_string(r) + " is " + std::to_string(states[r]) + " (expected 0, 1 or 2)");
        ++by_status[static_cast<std::size_t>(states[r])];
      }
      const bool partial = hdf5::read_int_attribute_in(root, "partial", 0, 1).value_or(0) != 0;
      const std::string shard = hdf5::read_string_attribute(root, "shard");
      text << "sweep file: " << count << " runs (" << by_status[1] << " ok, " << by_status[2] << " failed, " << by_status[0]
           << " not run)" << (partial ? ", marked partial" : "") << (shard.empty() ? "" : ", shard " + shard) << "\n";
      // A shard file holds only its own runs; any other sweep file must hold them all.
      std::size_t owned_not_run = 0;
      std::size_t index = 0, shards = 1;
      if (!shard.empty() && std::sscanf(shard.c_str(), "%zu/%zu", &index, &shards) != 2) hdf5::bad("malformed 'shard' attribute");
      if (shards == 0 || index >= shards) hdf5::bad("malformed 'shard' attribute '" + shard + "'");
      for (std::size_t r = 0; r < states.size(); ++r) {
        if (r % shards == index && states[r] == 0) ++owned_not_run;
        if (r % shards != index && states[r] != 0)
          hdf5::bad("run " + std::to_string(r) + " is recorded in shard " + shard + ", which does not own it");
      }
      report.complete = owned_not_run == 0;
    } else {
      walk.leading = {variants.size(), static_cast<hsize_t>(*replications)};
      text << "result file: " << variants.size() << " variants x " << *replications << " replications x " << *steps
           << " steps\n";
    }
#if H5_VERSION_GE(1, 12, 0)
    const herr_t visited = H5Ovisit3(root, H5_INDEX_NAME, H5_ITER_INC, verify_object, &walk, H5O_INFO_BASIC);
#else
    const herr_t visited = H5Ovisit2(root, H5_INDEX_NAME, H5_ITER_INC, verify_object, &walk, H5O_INFO_BASIC);
#endif
    if (!walk.problem.empty()) hdf5::bad(walk.problem);
    hdf5::check(visited, "list datasets");
    text << "read back " << walk.datasets << " datasets, " << walk.values << " values: every chunk passed its checks\n";
    report.text = text.str();
  } catch (const OutputError& failure) {
    throw BadFileError(in_quotes(path) + " is damaged: " + failure.what());
  } catch (const std::length_error&) {
    throw BadFileError(in_quotes(path) + " is damaged: implausible sizes in the file");
  } catch (const std::bad_alloc&) {
    throw BadFileError(in_quotes(path) + " is damaged: implausible sizes in the file");
  }
  return report;
}

}  // namespace coordsim::sim
