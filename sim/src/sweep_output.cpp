// The HDF5 file of a sweep (layout in sim/SWEEPS.md) and the merge of shard files.
//
//   /                      attributes; coordinates run, <parameters>, [saltelli_block, saltelli_row];
//                          run_seed (run,) uint64, run_status (run,) int8, run_message (run,) string
//   /series/<name>         float64 (run, variant, replication, step)
//   /summary/<name>        float64 (run, variant, replication)
//   /agents/<kind>/<name>  float64 (run, variant, replication, step, agent)   (output.agents only)
// Every group has its own dimension scales (as results_file.cpp does it, so h5netcdf/xarray see
// named dimensions) and the parameter coordinates along run, named by the dotted path with "__"
// for ".", with attribute `parameter`; data variables list them in a CF `coordinates` attribute.
// Runs are written in blocks of whole chunks, in run order, so the file's bytes do not depend on
// the order in which runs finished.
#include <hdf5.h>
#include <hdf5_hl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <map>
#include <numeric>
#include <set>
#include <span>

#include "coordsim/sim/version.hpp"
#include "hdf5_checksum.hpp"
#include "hdf5_handles.hpp"
#include "hdf5_read.hpp"
#include "hdf5_util.hpp"
#include "sweep_detail.hpp"
#include "zlib_codec.hpp"

namespace coordsim::sim::sweep_detail {
namespace {

namespace fs = std::filesystem;
using hdf5::Handle;

constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();
constexpr hsize_t kTargetChunkBytes = 256 * 1024;
constexpr hsize_t kTargetBlockBytes = 8 * 1024 * 1024;
constexpr hsize_t kMaxBlockRuns = 4096;
// Level 1: sweeps write hundreds of thousands of runs; higher levels cost a third of the CPU
// time for a few per cent smaller files (shuffled model outputs compress well at any level).
constexpr int kDeflateLevel = 1;

// One chunk of doubles as HDF5's filter pipeline of these datasets stores it: the shuffle filter
// (byte k of every value together, k = 0..7), the deflate filter, which reads any zlib stream
// (here level 1 with the run-length strategy: see zlib_codec.hpp), then the Fletcher-32 checksum. Written with H5Dwrite_chunk,
// it reads back through the usual filters.
std::vector<unsigned char> deflate_chunk(const double* values, std::size_t n) {
  thread_local zlib_codec::Deflater deflater(zlib_codec::Wrapper::Zlib);
  thread_local std::vector<unsigned char> shuffled;
  shuffled.resize(n * sizeof(double));
  zlib_codec::shuffle8(reinterpret_cast<const unsigned char*>(values), n, shuffled.data());
  std::vector<unsigned char> out(deflater.bound(shuffled.size()));
  const std::size_t size = deflater.pack(shuffled.data(), shuffled.size(), out.data(), out.size());
  if (size == 0) throw OutputError("cannot compress a chunk of " + std::to_string(shuffled.size()) + " bytes");
  out.resize(size);
  hdf5::append_fletcher32(out);  // the third filter of the pipeline: silent corruption is detected on read
  return out;
}

// Most chunks of a sweep hold one value throughout (outputs of mechanisms switched off, counters
// that stay at zero): three in four for the F1 scenario. Deflating one still walks every byte, so
// each thread keeps the packed form of the constant chunks it has met. Deflate is deterministic,
// so a kept chunk is byte for byte what packing it again would give.
std::vector<unsigned char> filter_chunk(const double* values, std::size_t n) {
  if (n == 0) return deflate_chunk(values, n);
  std::uint64_t first = 0;
  std::memcpy(&first, values, sizeof first);
  for (std::size_t i = 1; i < n; ++i) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, values + i, sizeof bits);
    if (bits != first) return deflate_chunk(values, n);
  }
  constexpr std::size_t kMaxKept = 256;
  thread_local std::map<std::pair<std::uint64_t, std::size_t>, std::vector<unsigned char>> kept;
  const auto key = std::make_pair(first, n);
  if (const auto found = kept.find(key); found != kept.end()) return found->second;
  if (kept.size() >= kMaxKept) kept.clear();
  return kept.emplace(key, deflate_chunk(values, n)).first->second;
}

using hdf5::in_quotes;

hsize_t pow2_floor(hsize_t x) {
  hsize_t p = 1;
  while (p * 2 <= x) p *= 2;
  return p;
}

using hdf5::create_group;
using hdf5::simple_space;
using hdf5::utf8_string_type;

// A 1-D dataset written whole at creation; optionally made the dimension scale of `scale_name`.
Handle create_vector(hid_t group, const std::string& name, hid_t file_type, hid_t memory_type, hsize_t length,
                     const void* values, const char* scale_name) {
  const std::string what = "create '" + name + "'";
  const auto space = simple_space(std::span(&length, 1));
  auto dataset =
      hdf5::dataset(H5Dcreate2(group, name.c_str(), file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), what);
  if (length > 0) hdf5::check(H5Dwrite(dataset.get(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values), what);
  if (scale_name != nullptr) hdf5::check(H5DSset_scale(dataset.get(), scale_name), what);
  return dataset;
}


using hdf5::counting;

struct Axis {
  std::string name;
  hid_t scale;
};

void attach(hid_t dataset, const std::vector<Axis>& axes, const std::string& what) {
  for (unsigned axis = 0; axis < axes.size(); ++axis)
    hdf5::check(H5DSattach_scale(dataset, axes[axis].scale, axis), what + ": attach '" + axes[axis].name + "'");
}

// The block [start, start + count) of `dataset`, written from or read into `values` by `transfer`
// (H5Dwrite or H5Dread); an empty block transfers nothing.
template <typename Values, typename Transfer>
void transfer_hyperslab(hid_t dataset, hid_t memory_type, std::span<const hsize_t> start,
                        std::span<const hsize_t> count, Values values, Transfer transfer, const std::string& what) {
  hsize_t elements = 1;
  for (const auto c : count) elements *= c;
  if (elements == 0) return;
  const auto file_space = hdf5::dataspace(H5Dget_space(dataset), what);
  hdf5::check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr), what);
  const auto memory_space = simple_space(count);
  hdf5::check(transfer(dataset, memory_type, memory_space.get(), file_space.get(), H5P_DEFAULT, values), what);
}

void write_hyperslab(hid_t dataset, hid_t memory_type, std::span<const hsize_t> start, std::span<const hsize_t> count,
                     const void* values, const std::string& what) {
  transfer_hyperslab(dataset, memory_type, start, count, values, H5Dwrite, what);
}

void read_hyperslab(hid_t dataset, hid_t memory_type, std::span<const hsize_t> start, std::span<const hsize_t> count,
                    void* values, const std::string& what) {
  transfer_hyperslab(dataset, memory_type, start, count, values, H5Dread, what);
}

}  // namespace

std::string hash_text(std::uint64_t hash) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
  return text;
}

PayloadLayout payload_layout(const Sweep& sweep) {
  PayloadLayout p;
  p.steps = sweep.steps;
  p.n_series = sweep.layout.series.size();
  p.n_summaries = sweep.layout.summaries.size();
  p.recorded_steps = Recorder::recorded_steps(sweep.steps, sweep.agents, sweep.agent_every);
  std::size_t offset = p.steps * p.n_series + p.n_summaries;
  if (sweep.agents) {
    for (const auto& kind : sweep.layout.agent_kinds) {
      p.kind_offset.push_back(offset);
      offset += p.recorded_steps * kind.variables.size() * kind.count;
    }
  }
  p.stride = offset;
  p.simulations = sweep.simulations_per_run();
  return p;
}

// =============================================================================================

struct SweepFileWriter::Impl {
  struct Target {
    Handle dataset;
    std::string path;
    std::vector<hsize_t> dims;  // full shape, dims[0] = runs
    std::vector<hsize_t> chunk;  // chunk shape (empty: not chunked)
    // Chunks span every axis but the run axis: written by direct chunk writes of data filtered
    // here, in parallel (see filter_chunk). Otherwise through H5Dwrite and HDF5's own filters.
    bool direct = false;
    std::size_t per_run = 0;
    // Where its values come from in a payload (see extract()).
    enum class Source { Series, Summary, Agent } source = Source::Series;
    std::size_t index = 0;  // series variable / summary / agent variable
    std::size_t kind = 0;
  };

  Handle file;  // first: destroyed last
  const Sweep& sweep;
  ShardInfo shard;
  PayloadLayout payload;
  std::string path, temporary;
  hsize_t block = 1;
  std::vector<Target> targets;
  Handle status, message;
  bool committed = false;

  Impl(const std::string& path_in, const Sweep& sweep_in, ShardInfo shard_in)
      : sweep(sweep_in), shard(shard_in), payload(payload_layout(sweep_in)), path(path_in) {
    temporary = path + ".tmp-" + std::to_string(static_cast<long long>(::getpid()));
    file = hdf5::create_file(temporary);
    choose_block();
    write_root();
    create_group_contents("series");
    create_group_contents("summary");
    if (sweep.agents)
      for (std::size_t k = 0; k < sweep.layout.agent_kinds.size(); ++k) create_group_contents("agents", k);
  }

  hsize_t runs() const { return sweep.runs; }
  hsize_t variants() const { return sweep.variant_count(); }
  hsize_t replications() const { return sweep.replications; }

  // One block of runs must cover whole chunks of every dataset: chunk run counts are powers of two
  // no larger than the block, itself a power of two sized to ~8 MiB of payload.
  void choose_block() {
    const hsize_t per_run_bytes = std::max<hsize_t>(payload.total() * sizeof(double), 1);
    block = std::clamp<hsize_t>(pow2_floor(std::max<hsize_t>(kTargetBlockBytes / per_run_bytes, 1)), 1, kMaxBlockRuns);
  }

  hsize_t chunk_runs(hsize_t per_run) const {
    const hsize_t bytes = std::max<hsize_t>(per_run * sizeof(double), 1);
    return std::min({block, pow2_floor(std::max<hsize_t>(kTargetChunkBytes / bytes, 1)), pow2_floor(runs())});
  }

  void write_root() {
    const hid_t root = file.get();
    hdf5::write_string_attribute(root, "coordsim_version", std::string(kVersion));
    hdf5::write_string_attribute(root, "coordsim_commit", std::string(git_commit()));
    hdf5::write_scalar_attribute<std::int32_t>(root, "format_version", H5T_STD_I32LE, kFormatVersion);
    hdf5::write_string_attribute(root, "kind", "sweep");
    hdf5::write_string_attribute(root, "model", sweep.model);
    hdf5::write_string_attribute(root, "sweep", sweep.text);
    hdf5::write_string_attribute(root, "sweep_source", sweep.source);
    hdf5::write_string_attribute(root, "sweep_hash", hash_text(sweep.hash));
    hdf5::write_string_attribute(root, "design", to_string(sweep.design));
    hdf5::write_string_attribute(root, "fail_on_nan", sweep.fail_on_nan);
    hdf5::write_scalar_attribute<std::int64_t>(root, "samples", H5T_STD_I64LE, static_cast<std::int64_t>(sweep.samples));
    hdf5::write_string_attribute(root, "scenario", sweep.base.resolved_yaml());
    hdf5::write_scalar_attribute<std::uint64_t>(root, "seed", H5T_STD_U64LE, sweep.seed);
    hdf5::write_scalar_attribute<std::int64_t>(root, "replications", H5T_STD_I64LE, static_cast<std::int64_t>(sweep.replications));
    hdf5::write_scalar_attribute<std::int64_t>(root, "steps", H5T_STD_I64LE, static_cast<std::int64_t>(sweep.steps));
    hdf5::write_scalar_attribute<std::int64_t>(root, "runs", H5T_STD_I64LE, static_cast<std::int64_t>(sweep.runs));
    hdf5::write_scalar_attribute<std::int32_t>(root, "agents", H5T_STD_I32LE, sweep.agents ? 1 : 0);
    hdf5::write_scalar_attribute<std::int64_t>(root, "agent_every", H5T_STD_I64LE, static_cast<std::int64_t>(sweep.agent_every));
    std::vector<std::string> names, paths;
    for (const auto& v : sweep.base.variants) names.push_back(v.name);
    for (const auto& p : sweep.parameters) paths.push_back(p.path);
    hdf5::write_string_array_attribute(root, "variants", names);
    hdf5::write_string_array_attribute(root, "parameters", paths);
    if (shard.count > 1)
      hdf5::write_string_attribute(root, "shard", std::to_string(shard.index) + "/" + std::to_string(shard.count));

    const auto run_scale = run_coordinate(root);
    std::vector<Axis> axes{{"run", run_scale.get()}};
    std::vector<std::uint64_t> seeds(sweep.runs);
    for (std::size_t p = 0; p < sweep.runs; ++p) seeds[p] = sweep.point_seed(p);
    auto seed = create_vector(root, "run_seed", H5T_STD_U64LE, H5T_NATIVE_UINT64, runs(), seeds.data(), nullptr);
    attach(seed.get(), axes, "run_seed");
    hdf5::describe_variable(seed.get(), "1", "scenario seed of the run (the Rng key of replication r is (run_seed, r))");
    const std::string coordinates = coordinate_list();
    hdf5::write_string_attribute(seed.get(), "coordinates", coordinates);

    const std::string what = "create 'run_status'";
    const hsize_t length = runs();
    const auto space = simple_space(std::span(&length, 1));
    status = hdf5::dataset(
        H5Dcreate2(root, "run_status", H5T_STD_I8LE, space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), what);
    attach(status.get(), axes, what);
    hdf5::describe_variable(status.get(), "1", "0: not run, 1: ok, 2: failed (see run_message)");
    hdf5::write_string_attribute(status.get(), "coordinates", coordinates);
    const auto string_type = utf8_string_type();
    message = hdf5::dataset(
        H5Dcreate2(root, "run_message", string_type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
        "create 'run_message'");
    attach(message.get(), axes, "run_message");
    hdf5::describe_variable(message.get(), "1", "why the run failed (empty when ok)");
    hdf5::write_string_attribute(message.get(), "coordinates", coordinates);
    create_parameter_coordinates(root, axes);
  }

  Handle run_coordinate(hid_t group) const {
    const auto values = counting(sweep.runs);
    auto run = create_vector(group, "run", H5T_STD_I64LE, H5T_NATIVE_INT64, runs(), values.data(), "run");
    hdf5::describe_variable(run.get(), "1", "design point (run) index");
    return run;
  }

  std::string coordinate_list() const {
    std::string list;
    for (const auto& p : sweep.parameters) {
      if (!list.empty()) list += ' ';
      list += p.coordinate_name();
    }
    if (sweep.design == SweepDesign::Saltelli) list += " saltelli_block saltelli_row";
    if (sweep.design == SweepDesign::Morris) list += " morris_trajectory morris_step";
    return list;
  }

  void create_parameter_coordinates(hid_t group, const std::vector<Axis>& run_axis) const {
    for (std::size_t i = 0; i < sweep.parameters.size(); ++i) {
      const auto& parameter = sweep.parameters[i];
      const auto& column = sweep.columns[i];
      const std::string name = parameter.coordinate_name();
      Handle dataset;
      switch (parameter.type) {
        case ParamType::Real:
          dataset = create_vector(group, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, runs(), column.real.data(), nullptr);
          break;
        case ParamType::Integer:
          dataset = create_vector(group, name, H5T_STD_I64LE, H5T_NATIVE_INT64, runs(), column.integer.data(), nullptr);
          break;
        case ParamType::Boolean: {
          std::vector<std::int8_t> flags(column.integer.begin(), column.integer.end());
          dataset = create_vector(group, name, H5T_STD_I8LE, H5T_NATIVE_INT8, runs(), flags.data(), nullptr);
          break;
        }
        case ParamType::Choice:
        case ParamType::RealList: {
          std::vector<const char*> texts;
          texts.reserve(sweep.runs);
          for (const auto index : column.choice) texts.push_back(parameter.choices[index].c_str());
          const auto type = utf8_string_type();
          dataset = create_vector(group, name, type.get(), type.get(), runs(), texts.data(), nullptr);
          break;
        }
      }
      attach(dataset.get(), run_axis, name);
      hdf5::describe_variable(dataset.get(), parameter.unit.empty() ? "1" : parameter.unit,
               parameter.description.empty() ? parameter.path : parameter.description);
      hdf5::write_string_attribute(dataset.get(), "parameter", parameter.path);
    }
    if (sweep.design == SweepDesign::Saltelli) {
      auto block_ds = create_vector(group, "saltelli_block", H5T_STD_I64LE, H5T_NATIVE_INT64, runs(),
                                    sweep.saltelli_block.data(), nullptr);
      attach(block_ds.get(), run_axis, "saltelli_block");
      hdf5::describe_variable(block_ds.get(), "1", "Saltelli block: 0 = A, 1 = B, 1 + i = AB_i (A with parameter i, counted from 1 in the order of the root attribute parameters, from B)");
      auto row = create_vector(group, "saltelli_row", H5T_STD_I64LE, H5T_NATIVE_INT64, runs(),
                               sweep.saltelli_row.data(), nullptr);
      attach(row.get(), run_axis, "saltelli_row");
      hdf5::describe_variable(row.get(), "1", "row j of the Saltelli block (AB_i row j pairs with A row j and B row j)");
    }
    if (sweep.design == SweepDesign::Morris) {  // sim/src/morris_design.cpp
      auto trajectory = create_vector(group, "morris_trajectory", H5T_STD_I64LE, H5T_NATIVE_INT64, runs(),
                                      sweep.morris_trajectory.data(), nullptr);
      attach(trajectory.get(), run_axis, "morris_trajectory");
      hdf5::describe_variable(trajectory.get(), "1", "Morris trajectory of the run");
      auto step = create_vector(group, "morris_step", H5T_STD_I64LE, H5T_NATIVE_INT64, runs(), sweep.morris_step.data(),
                                nullptr);
      attach(step.get(), run_axis, "morris_step");
      hdf5::describe_variable(step.get(), "1", "position in the trajectory (0: base point; j: after the j-th move)");
      for (const auto& parameter : sweep.parameters) {  // the estimators scale effects by the bounds
        const double bounds[2] = {parameter.low, parameter.high};
        const hsize_t two = 2;
        auto dataset = hdf5::dataset(H5Dopen2(group, parameter.coordinate_name().c_str(), H5P_DEFAULT), "open coordinate");
        hdf5::write_attribute(dataset.get(), "bounds", H5T_IEEE_F64LE, hdf5::simple_space(std::span(&two, 1)).get(), bounds);
      }
    }
  }

  // kind: agent kind index when group == "agents".
  void create_group_contents(const std::string& group_name, std::size_t kind = 0) {
    Handle parent;
    Handle group;
    std::string full = group_name;
    const AgentKindSpec* agent_kind = nullptr;
    if (group_name == "agents") {
      agent_kind = &sweep.layout.agent_kinds[kind];
      if (H5Lexists(file.get(), "agents", H5P_DEFAULT) > 0)
        parent = hdf5::group(H5Gopen2(file.get(), "agents", H5P_DEFAULT), "open group 'agents'");
      else
        parent = create_group(file.get(), "agents");
      group = create_group(parent.get(), agent_kind->kind);
      full = "agents/" + agent_kind->kind;
    } else {
      group = create_group(file.get(), group_name);
    }
    const hid_t g = group.get();
    const auto run = run_coordinate(g);
    std::vector<const char*> names;
    for (const auto& v : sweep.base.variants) names.push_back(v.name.c_str());
    const auto string_type = utf8_string_type();
    const auto variant =
        create_vector(g, "variant", string_type.get(), string_type.get(), variants(), names.data(), "variant");
    hdf5::describe_variable(variant.get(), "1", "scenario variant");
    const auto replication_values = counting(sweep.replications);
    const auto replication = create_vector(g, "replication", H5T_STD_I64LE, H5T_NATIVE_INT64, replications(),
                                           replication_values.data(), "replication");
    hdf5::describe_variable(replication.get(), "1", "replication index");
    std::vector<Axis> axes{{"run", run.get()}, {"variant", variant.get()}, {"replication", replication.get()}};
    std::vector<hsize_t> dims{runs(), variants(), replications()};
    Handle step, agent;
    if (group_name != "summary") {
      const bool agents_group = agent_kind != nullptr;
      const hsize_t steps = agents_group ? payload.recorded_steps : payload.steps;
      const auto values = counting(steps, agents_group ? sweep.agent_every : 1);
      step = create_vector(g, "step", H5T_STD_I64LE, H5T_NATIVE_INT64, steps, values.data(), "step");
      hdf5::describe_variable(step.get(), "steps", "simulation step");
      axes.push_back({"step", step.get()});
      dims.push_back(steps);
    }
    if (agent_kind != nullptr) {
      const auto values = counting(agent_kind->count);
      agent = create_vector(g, "agent", H5T_STD_I64LE, H5T_NATIVE_INT64, agent_kind->count, values.data(), "agent");
      hdf5::describe_variable(agent.get(), "1", "agent id");
      axes.push_back({"agent", agent.get()});
      dims.push_back(agent_kind->count);
    }
    create_parameter_coordinates(g, {axes.front()});
    const std::string coordinates = coordinate_list();

    const auto add = [&](const VariableSpec& spec, Target::Source source, std::size_t index, bool key) {
      Target target;
      target.path = full + "/" + spec.name;
      target.dims = dims;
      target.per_run = 1;
      for (std::size_t a = 1; a < dims.size(); ++a) target.per_run *= dims[a];
      target.source = source;
      target.index = index;
      target.kind = kind;
      const std::string what = "create dataset '" + target.path + "'";
      const auto space = simple_space(dims);
      auto creation = hdf5::property_list(H5Pcreate(H5P_DATASET_CREATE), what);
      hdf5::check(H5Pset_fill_value(creation.get(), H5T_NATIVE_DOUBLE, &kMissing), what);
      if (target.per_run > 0 && runs() > 0) {
        std::vector<hsize_t> chunk = dims;
        chunk[0] = chunk_runs(target.per_run);
        // HDF5 refuses chunks of 4 GiB or more: split a huge run slice along the step axis.
        if (dims.size() > 3) {
          hsize_t per_step = sizeof(double) * chunk[1] * chunk[2];
          for (std::size_t a = 4; a < dims.size(); ++a) per_step *= dims[a];
          chunk[3] = std::clamp<hsize_t>((hsize_t{1} << 30) / std::max<hsize_t>(per_step, 1), 1, dims[3]);
        }
        hdf5::check(H5Pset_chunk(creation.get(), static_cast<int>(chunk.size()), chunk.data()), what);
        target.chunk = chunk;
        target.direct = std::equal(chunk.begin() + 1, chunk.end(), dims.begin() + 1) && block % chunk[0] == 0;
        hdf5::check(H5Pset_shuffle(creation.get()), what);
        hdf5::check(H5Pset_deflate(creation.get(), kDeflateLevel), what);
        hdf5::check(H5Pset_fletcher32(creation.get()), what);
      }
      auto access = hdf5::property_list(H5Pcreate(H5P_DATASET_ACCESS), what);
      hdf5::check(H5Pset_chunk_cache(access.get(), 0, 0, H5D_CHUNK_CACHE_W0_DEFAULT), what);
      target.dataset = hdf5::dataset(H5Dcreate2(g, spec.name.c_str(), H5T_IEEE_F64LE, space.get(), H5P_DEFAULT,
                                                creation.get(), access.get()),
                                     what);
      attach(target.dataset.get(), axes, what);
      hdf5::describe_variable(target.dataset.get(), spec.units, spec.long_name);
      if (!coordinates.empty()) hdf5::write_string_attribute(target.dataset.get(), "coordinates", coordinates);
      if (source == Target::Source::Summary)
        hdf5::write_scalar_attribute<std::int32_t>(target.dataset.get(), "key", H5T_STD_I32LE, key ? 1 : 0);
      targets.push_back(std::move(target));
    };
    if (group_name == "series")
      for (std::size_t i = 0; i < sweep.layout.series.size(); ++i)
        add(sweep.layout.series[i], Target::Source::Series, i, false);
    if (group_name == "summary")
      for (std::size_t i = 0; i < sweep.layout.summaries.size(); ++i)
        add(sweep.layout.summaries[i].variable, Target::Source::Summary, i, sweep.layout.summaries[i].key);
    if (agent_kind != nullptr)
      for (std::size_t i = 0; i < agent_kind->variables.size(); ++i)
        add(agent_kind->variables[i], Target::Source::Agent, i, false);
  }

  // One run's values of `target`, in file order (variant, replication, step[, agent]).
  void extract(const Target& target, const std::vector<double>& values, double* out) const {
    const std::size_t sims = payload.simulations;
    for (std::size_t s = 0; s < sims; ++s) {
      const double* sim = values.data() + s * payload.stride;
      switch (target.source) {
        case Target::Source::Series:
          for (std::size_t t = 0; t < payload.steps; ++t)
            out[s * payload.steps + t] = sim[t * payload.n_series + target.index];
          break;
        case Target::Source::Summary: out[s] = sim[payload.steps * payload.n_series + target.index]; break;
        case Target::Source::Agent: {
          const auto& kind = sweep.layout.agent_kinds[target.kind];
          const std::size_t count = kind.count, n_vars = kind.variables.size();
          const double* base = sim + payload.kind_offset[target.kind];
          double* dst = out + s * payload.recorded_steps * count;
          for (std::size_t t = 0; t < payload.recorded_steps; ++t)
            std::copy_n(base + (t * n_vars + target.index) * count, count, dst + t * count);
          break;
        }
      }
    }
  }

  void write_target(const Target& target, std::size_t first, std::size_t count, const double* values) {
    std::vector<hsize_t> start(target.dims.size(), 0), extent = target.dims;
    start[0] = first;
    extent[0] = count;
    write_hyperslab(target.dataset.get(), H5T_NATIVE_DOUBLE, start, extent, values, "write '" + target.path + "'");
  }

  void write_status(std::size_t first, const std::vector<std::uint8_t>& states, const std::vector<std::string>& texts) {
    const std::array<hsize_t, 1> start{first}, count{states.size()};
    std::vector<std::int8_t> values(states.begin(), states.end());
    write_hyperslab(status.get(), H5T_NATIVE_INT8, start, count, values.data(), "write 'run_status'");
    std::vector<const char*> pointers;
    for (const auto& t : texts) pointers.push_back(t.c_str());
    const auto type = utf8_string_type();
    write_hyperslab(message.get(), type.get(), start, count, pointers.data(), "write 'run_message'");
  }
};

void skip_hdf5_exit_cleanup() noexcept {
  // After a write failed for lack of space, HDF5 1.10 cannot close the file (its metadata cannot
  // be flushed) and its atexit cleanup then crashes trying again. Every file this code writes is
  // closed explicitly, so the cleanup is not needed; H5dont_atexit only works before HDF5 is
  // initialised, which is the case in the sweep and merge commands (a no-op otherwise).
  static_cast<void>(H5dont_atexit());
}

SweepFileWriter::SweepFileWriter(const std::string& path, const Sweep& sweep, ShardInfo shard) : impl_(nullptr) {
  const hdf5::QuietErrors quiet;
  const std::string temporary = path + ".tmp-" + std::to_string(static_cast<long long>(::getpid()));
  try {
    impl_ = new Impl(path, sweep, shard);
  } catch (const OutputError& error) {
    std::error_code ignored;
    fs::remove(temporary, ignored);
    throw OutputError("cannot create result file " + in_quotes(temporary) + ": " + error.what());
  }
}

SweepFileWriter::~SweepFileWriter() {
  if (impl_ == nullptr) return;
  const hdf5::QuietErrors quiet;
  const std::string temporary = impl_->temporary;
  const bool committed = impl_->committed;
  delete impl_;
  if (!committed) {
    std::error_code ignored;
    fs::remove(temporary, ignored);
  }
}

std::size_t SweepFileWriter::block_runs() const noexcept { return impl_->block; }
const std::string& SweepFileWriter::temporary_path() const noexcept { return impl_->temporary; }

void SweepFileWriter::write_block(std::size_t first, const std::vector<const PointResult*>& points,
                                  const ExecutionContext& execution) {
  const hdf5::QuietErrors quiet;
  const std::size_t count = points.size();
  std::vector<std::uint8_t> states(count, kNotRun);
  std::vector<std::string> texts(count);
  for (std::size_t j = 0; j < count; ++j)
    if (points[j] != nullptr) {
      states[j] = points[j]->status;
      texts[j] = points[j]->message;
    }
  try {
    // Gather and filter every dataset's part of the block in parallel: the deflating is most of
    // the assembly's work. Then write, in dataset order, on this thread (HDF5 is not thread-safe).
    const auto& targets = impl_->targets;
    std::vector<std::vector<double>> buffers(targets.size());
    std::vector<std::vector<std::vector<unsigned char>>> chunks(targets.size());
    execution.for_each(targets.size(), 1, [&](std::size_t d) {
      const auto& target = targets[d];
      const std::size_t per_chunk = target.direct ? static_cast<std::size_t>(target.chunk[0]) : count;
      const std::size_t padded = per_chunk == 0 ? 0 : (count + per_chunk - 1) / per_chunk * per_chunk;
      auto& buffer = buffers[d];
      buffer.assign(padded * target.per_run, kMissing);  // an edge chunk is stored whole
      for (std::size_t j = 0; j < count; ++j)
        if (points[j] != nullptr) impl_->extract(target, points[j]->payload, buffer.data() + j * target.per_run);
      if (!target.direct) return;
      for (std::size_t c = 0; c * per_chunk < padded; ++c)
        chunks[d].push_back(filter_chunk(buffer.data() + c * per_chunk * target.per_run, per_chunk * target.per_run));
      std::vector<double>().swap(buffer);
    });
    for (std::size_t d = 0; d < targets.size(); ++d) {
      const auto& target = targets[d];
      if (!target.direct) {
        impl_->write_target(target, first, count, buffers[d].data());
        continue;
      }
      std::vector<hsize_t> offset(target.dims.size(), 0);
      for (std::size_t c = 0; c < chunks[d].size(); ++c) {
        offset[0] = first + c * target.chunk[0];
        hdf5::check(H5Dwrite_chunk(target.dataset.get(), H5P_DEFAULT, 0, offset.data(), chunks[d][c].size(),
                                   chunks[d][c].data()),
                    "write '" + target.path + "'");
      }
    }
    impl_->write_status(first, states, texts);
  } catch (const OutputError& error) {
    throw OutputError("cannot write result file " + in_quotes(impl_->temporary) + ": " + error.what());
  }
}

void SweepFileWriter::commit() {
  const hdf5::QuietErrors quiet;
  try {
    hdf5::check(H5Fflush(impl_->file.get(), H5F_SCOPE_GLOBAL), "flush");
    for (auto& target : impl_->targets) hdf5::check(target.dataset.close(), "close dataset");
    hdf5::check(impl_->status.close(), "close dataset");
    hdf5::check(impl_->message.close(), "close dataset");
    hdf5::check(impl_->file.close(), "close");
  } catch (const OutputError& error) {
    throw OutputError("cannot finish result file " + in_quotes(impl_->temporary) + ": " + error.what());
  }
  std::error_code error;
  fs::rename(impl_->temporary, impl_->path, error);
  if (error)
    throw OutputError("cannot rename " + in_quotes(impl_->temporary) + " to " + in_quotes(impl_->path) + ": " +
                      error.message());
  impl_->committed = true;
}

std::optional<std::vector<std::int8_t>> completed_sweep_status(const std::string& path, const Sweep& sweep,
                                                               ShardInfo shard) {
  const hdf5::QuietErrors quiet;
  std::error_code error;
  if (!fs::is_regular_file(path, error) || H5Fis_hdf5(path.c_str()) <= 0) {
    H5Eclear2(H5E_DEFAULT);
    return std::nullopt;
  }
  try {
    const auto file = hdf5::file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "open");
    const hid_t root = file.get();
    const std::string expected_shard =
        shard.count > 1 ? std::to_string(shard.index) + "/" + std::to_string(shard.count) : std::string();
    if (hdf5::read_string_attribute(root, "kind") != "sweep" ||
        hdf5::read_string_attribute(root, "sweep_hash") != hash_text(sweep.hash) ||
        hdf5::read_string_attribute(root, "shard") != expected_shard || hdf5::has_attribute(root, "partial"))
      return std::nullopt;
    const auto status = hdf5::open_checked_dataset(root, "run_status", H5T_INTEGER, {sweep.runs});
    std::vector<std::int8_t> states(sweep.runs);
    if (sweep.runs > 0)
      hdf5::check(H5Dread(status.get(), H5T_NATIVE_INT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, states.data()), "read");
    for (std::size_t run = 0; run < states.size(); ++run)
      if (run % shard.count == shard.index && states[run] != kOk && states[run] != kFailed) return std::nullopt;
    return states;
  } catch (const OutputError&) {
    return std::nullopt;  // not a finished file of this sweep: run it as usual
  }
}

}  // namespace coordsim::sim::sweep_detail

// =============================================================================================
// Merging shards

namespace coordsim::sim {
namespace {

namespace fs = std::filesystem;
using sweep_detail::hash_text;
using hdf5::Handle;

using hdf5::in_quotes;

using hdf5::read_string_attribute;

struct ShardFile {
  std::string path;
  Handle file;
  std::size_t index = 0, count = 1;
  std::string hash, text, version;
  std::uint64_t runs = 0;
  std::vector<std::int8_t> status;  // run_status, one per run
  std::vector<std::int64_t> numbers;  // the root's integer attributes (kNumberAttributes)
};

// Integer attributes every shard of one sweep has with the same values.
constexpr std::array<const char*, 7> kNumberAttributes = {"format_version", "samples", "replications", "steps",
                                                          "agents", "agent_every", "seed"};

// Most shards a merge accepts: far more than any cluster job array, small enough to index.
constexpr std::size_t kMaxShards = std::size_t{1} << 20;
// Most runs a sweep file may claim (a sanity bound against crafted attributes).
constexpr std::int64_t kMaxRuns = std::int64_t{1} << 40;

[[noreturn]] void bad_shard(const std::string& path, const std::string& problem) {
  throw BadFileError(in_quotes(path) + ": " + problem);
}

// Opens one shard and reads and checks its identity and run_status before anything is trusted.
ShardFile open_shard(const std::string& path) {
  std::error_code error;
  if (!fs::is_regular_file(path, error)) throw BadFileError("cannot read shard " + in_quotes(path) + ": no such file");
  if (H5Fis_hdf5(path.c_str()) <= 0) {
    H5Eclear2(H5E_DEFAULT);
    bad_shard(path, "not a coordsim sweep file (not HDF5, or damaged)");
  }
  ShardFile shard;
  shard.path = path;
  try {
    shard.file = hdf5::file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "open");
    const hid_t root = shard.file.get();
    if (read_string_attribute(root, "kind") != "sweep") bad_shard(path, "not a coordsim sweep file (no kind=sweep attribute)");
    shard.hash = read_string_attribute(root, "sweep_hash");
    shard.text = read_string_attribute(root, "sweep");
    shard.version = read_string_attribute(root, "coordsim_version");
    const auto runs = hdf5::read_int_attribute_in(root, "runs", 0, kMaxRuns);
    if (!runs) bad_shard(path, "no 'runs' attribute");
    shard.runs = static_cast<std::uint64_t>(*runs);
    const std::string spec = read_string_attribute(root, "shard");
    if (!spec.empty()) {
      unsigned long long index = 0, count = 0;
      int used = 0;
      if (std::sscanf(spec.c_str(), "%llu/%llu%n", &index, &count, &used) != 2 || used != static_cast<int>(spec.size()) ||
          count == 0 || count > kMaxShards || index >= count)
        bad_shard(path, "malformed shard attribute '" + spec + "' (expected I/N with 0 <= I < N <= " +
                            std::to_string(kMaxShards) + ")");
      shard.index = static_cast<std::size_t>(index);
      shard.count = static_cast<std::size_t>(count);
    }
    for (const char* name : kNumberAttributes) {
      if (std::string(name) == "seed") {
        shard.numbers.push_back(static_cast<std::int64_t>(hdf5::read_uint_attribute(root, name).value_or(0)));
        continue;
      }
      const auto value = hdf5::read_int_attribute_in(root, name, 0, kMaxRuns);
      if (!value) bad_shard(path, "no '" + std::string(name) + "' attribute");
      shard.numbers.push_back(*value);
    }
    if (hdf5::has_attribute(root, "partial"))
      bad_shard(path, "a partial merge cannot be merged again; merge the shard files it was made from");
    const auto status = hdf5::open_checked_dataset(root, "run_status", H5T_INTEGER, {shard.runs});
    shard.status.resize(static_cast<std::size_t>(shard.runs));
    if (shard.runs > 0)
      hdf5::check(H5Dread(status.get(), H5T_NATIVE_INT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, shard.status.data()),
                  "read 'run_status'");
    for (std::size_t r = 0; r < shard.status.size(); ++r)
      if (shard.status[r] != sweep_detail::kNotRun && shard.status[r] != sweep_detail::kOk &&
          shard.status[r] != sweep_detail::kFailed)
        bad_shard(path, "run_status of run " + std::to_string(r) + " is " + std::to_string(shard.status[r]) +
                            " (expected 0, 1 or 2)");
  } catch (const BadFileError&) {
    throw;
  } catch (const OutputError& failure) {
    bad_shard(path, failure.what());
  }
  return shard;
}

// The type class and extents of every run dataset, to compare shards.
struct DatasetShape {
  H5T_class_t klass = H5T_NO_CLASS;
  std::size_t size = 0;    // bytes per element in the file
  bool variable = false;   // variable-length string
  std::vector<hsize_t> dims;
  bool operator==(const DatasetShape&) const = default;
};

DatasetShape shape_of(hid_t file, const std::string& name, const std::string& path) {
  try {
    const auto dataset = hdf5::dataset(H5Dopen2(file, name.c_str(), H5P_DEFAULT), "open '" + name + "'");
    const auto type = hdf5::datatype(H5Dget_type(dataset.get()), "type of '" + name + "'");
    const H5T_class_t klass = H5Tget_class(type.get());
    if (klass != H5T_INTEGER && klass != H5T_FLOAT && klass != H5T_STRING)
      hdf5::bad("dataset '" + name + "' has a type no coordsim file uses");
    return {klass, H5Tget_size(type.get()), klass == H5T_STRING && H5Tis_variable_str(type.get()) > 0,
            hdf5::dataset_dims(dataset.get(), "shape of '" + name + "'")};
  } catch (const OutputError& failure) {
    bad_shard(path, failure.what());
  }
}

std::string dims_text(const std::vector<hsize_t>& dims) {
  std::string text = "(";
  for (std::size_t a = 0; a < dims.size(); ++a) text += (a ? ", " : "") + std::to_string(dims[a]);
  return text + ")";
}

std::string run_list(const std::vector<std::uint64_t>& runs) {
  constexpr std::size_t kListed = 20;
  std::string text;
  for (std::size_t i = 0; i < runs.size() && i < kListed; ++i) text += (i ? ", " : "") + std::to_string(runs[i]);
  if (runs.size() > kListed) text += ", ... (" + std::to_string(runs.size()) + " in all)";
  return text;
}

// Every dataset whose first axis is the run axis (data, status, messages, parameter coordinates):
// paths relative to the root.
void collect_run_datasets(hid_t file, hsize_t runs, std::vector<std::string>& out) {
  struct Visitor {
    hsize_t runs;
    std::vector<std::string>* out;
    std::string problem;
  } visitor{runs, &out, {}};
  // No exception may cross HDF5's C frames: a failure is kept and stops the walk.
  const auto visit = [](hid_t root, const char* name, const H5O_info_t* info, void* data) -> herr_t {
    if (info->type != H5O_TYPE_DATASET) return 0;
    auto* v = static_cast<Visitor*>(data);
    try {
      const auto dataset = hdf5::dataset(H5Dopen2(root, name, H5P_DEFAULT), std::string("open ") + name);
      if (H5DSis_scale(dataset.get()) > 0) return 0;
      const auto dims = hdf5::dataset_dims(dataset.get(), std::string("shape of ") + name);
      if (!dims.empty() && dims[0] == v->runs) v->out->push_back(name);
      return 0;
    } catch (const std::exception& failure) {
      v->problem = failure.what();
      return -1;
    }
  };
#if H5_VERSION_GE(1, 12, 0)
  const herr_t status = H5Ovisit3(file, H5_INDEX_NAME, H5_ITER_INC, visit, &visitor, H5O_INFO_BASIC);
#else
  const herr_t status = H5Ovisit2(file, H5_INDEX_NAME, H5_ITER_INC, visit, &visitor, H5O_INFO_BASIC);
#endif
  if (!visitor.problem.empty()) throw BadFileError(visitor.problem);
  hdf5::check(status, "list datasets");
}

// Copies the rows of runs owned by shard `shard.index` (run % count == index) from `source` into
// `target`, block by block.
void merge_dataset(hid_t target_file, const ShardFile& shard, const std::string& name, hsize_t runs, hsize_t block) {
  const std::string what = "merge '" + name + "' from " + in_quotes(shard.path);
  const auto target = hdf5::dataset(H5Dopen2(target_file, name.c_str(), H5P_DEFAULT), what);
  const auto source = hdf5::dataset(H5Dopen2(shard.file.get(), name.c_str(), H5P_DEFAULT), what);
  const auto space = hdf5::dataspace(H5Dget_space(target.get()), what);
  std::array<hsize_t, H5S_MAX_RANK> dims{};
  const int rank = H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  hsize_t per_run = 1;
  for (int a = 1; a < rank; ++a) per_run *= dims[static_cast<std::size_t>(a)];
  const auto file_type = hdf5::datatype(H5Dget_type(target.get()), what);
  // Variable-length strings are read as pointers the library allocates (freed below); fixed-length
  // strings and numbers in place. Other classes were refused by shape_of.
  const bool is_string = H5Tget_class(file_type.get()) == H5T_STRING && H5Tis_variable_str(file_type.get()) > 0;
  const auto memory_type = hdf5::datatype(H5Tget_native_type(file_type.get(), H5T_DIR_ASCEND), what);
  const std::size_t element = H5Tget_size(memory_type.get());
  if (element == 0) hdf5::bad(what + ": element size 0");
  std::vector<char> into, from;
  for (hsize_t first = 0; first < runs; first += block) {
    const hsize_t count = std::min(block, runs - first);
    std::vector<hsize_t> start(static_cast<std::size_t>(rank), 0), extent(dims.begin(), dims.begin() + rank);
    start[0] = first;
    extent[0] = count;
    const std::size_t row_bytes = per_run * element;
    into.assign(count * row_bytes, 0);
    from.assign(count * row_bytes, 0);
    sweep_detail::read_hyperslab(target.get(), memory_type.get(), start, extent, into.data(), what);
    sweep_detail::read_hyperslab(source.get(), memory_type.get(), start, extent, from.data(), what);
    for (hsize_t j = 0; j < count; ++j) {
      if ((first + j) % shard.count != shard.index) continue;
      std::swap_ranges(from.begin() + static_cast<std::ptrdiff_t>(j * row_bytes),
                       from.begin() + static_cast<std::ptrdiff_t>((j + 1) * row_bytes),
                       into.begin() + static_cast<std::ptrdiff_t>(j * row_bytes));
    }
    sweep_detail::write_hyperslab(target.get(), memory_type.get(), start, extent, into.data(), what);
    if (is_string) {  // free what both reads allocated (after the swap each buffer owns its pointers)
      const auto memory_space = sweep_detail::simple_space(extent);
      H5Dvlen_reclaim(memory_type.get(), memory_space.get(), H5P_DEFAULT, into.data());
      H5Dvlen_reclaim(memory_type.get(), memory_space.get(), H5P_DEFAULT, from.data());
    }
  }
}

}  // namespace

MergeOutcome merge_sweep_shards(const std::string& output, const std::vector<std::string>& shard_paths,
                                bool allow_partial) {
  sweep_detail::skip_hdf5_exit_cleanup();
  const hdf5::QuietErrors quiet;
  if (shard_paths.empty()) throw OutputError("merge needs at least one shard file");
  std::vector<ShardFile> shards;
  for (const auto& path : shard_paths) shards.push_back(open_shard(path));
  const auto& first = shards.front();
  for (const auto& shard : shards) {
    const std::string pair = "cannot merge " + in_quotes(shard.path) + " with " + in_quotes(first.path) + ": ";
    if (shard.hash != first.hash || shard.text != first.text)
      throw BadFileError(pair + "they are shards of different sweeps (sweep hash " + shard.hash + " vs " + first.hash + ")");
    if (shard.version != first.version)
      throw BadFileError(pair + "written by different coordsim versions (" + shard.version + " vs " + first.version + ")");
    for (std::size_t k = 0; k < kNumberAttributes.size(); ++k)
      if (shard.numbers[k] != first.numbers[k])
        throw BadFileError(pair + "attribute '" + kNumberAttributes[k] + "' differs (" + std::to_string(shard.numbers[k]) +
                           " vs " + std::to_string(first.numbers[k]) + ")");
    if (shard.runs != first.runs)
      throw BadFileError(pair + "they claim different run counts (" + std::to_string(shard.runs) + " vs " +
                         std::to_string(first.runs) + ")");
    if (shard.count != first.count)
      throw BadFileError("cannot merge " + in_quotes(shard.path) + " (shard of " + std::to_string(shard.count) +
                         ") with " + in_quotes(first.path) + " (shard of " + std::to_string(first.count) + ")");
  }
  std::vector<const ShardFile*> by_index(first.count, nullptr);
  for (const auto& shard : shards) {
    if (by_index[shard.index] != nullptr)
      throw BadFileError("shard " + std::to_string(shard.index) + "/" + std::to_string(shard.count) +
                         " is given twice: " + in_quotes(by_index[shard.index]->path) + " and " + in_quotes(shard.path));
    by_index[shard.index] = &shard;
  }
  std::string absent;
  for (std::size_t i = 0; i < by_index.size(); ++i)
    if (by_index[i] == nullptr) absent += (absent.empty() ? "" : ", ") + std::to_string(i);
  if (!absent.empty())
    throw BadFileError("cannot merge: shard(s) " + absent + " of " + std::to_string(first.count) + " are missing");

  // The same datasets with the same types and shapes in every shard.
  std::vector<std::string> names;
  try {
    collect_run_datasets(by_index[0]->file.get(), static_cast<hsize_t>(first.runs), names);
  } catch (const OutputError& failure) {
    bad_shard(by_index[0]->path, failure.what());
  }
  std::vector<DatasetShape> shapes;
  for (const auto& name : names) shapes.push_back(shape_of(by_index[0]->file.get(), name, by_index[0]->path));
  for (std::size_t i = 1; i < by_index.size(); ++i) {
    std::vector<std::string> other;
    try {
      collect_run_datasets(by_index[i]->file.get(), static_cast<hsize_t>(first.runs), other);
    } catch (const OutputError& failure) {
      bad_shard(by_index[i]->path, failure.what());
    }
    std::sort(other.begin(), other.end());
    auto sorted = names;
    std::sort(sorted.begin(), sorted.end());
    if (other != sorted)
      throw BadFileError("cannot merge " + in_quotes(by_index[i]->path) + " with " + in_quotes(by_index[0]->path) +
                         ": they hold different datasets");
    for (std::size_t d = 0; d < names.size(); ++d)
      if (shape_of(by_index[i]->file.get(), names[d], by_index[i]->path) != shapes[d])
        throw BadFileError("cannot merge " + in_quotes(by_index[i]->path) + " with " + in_quotes(by_index[0]->path) +
                           ": dataset '" + names[d] + "' has another type or shape (" + dims_text(shapes[d].dims) + " in " +
                           in_quotes(by_index[0]->path) + ")");
  }

  // Every run done in the shard that owns it, and in no other.
  MergeOutcome outcome;
  for (std::uint64_t run = 0; run < first.runs; ++run) {
    const std::size_t owner = static_cast<std::size_t>(run % first.count);
    for (std::size_t i = 0; i < by_index.size(); ++i)
      if (i != owner && by_index[i]->status[run] != sweep_detail::kNotRun)
        throw BadFileError(in_quotes(by_index[i]->path) + " holds run " + std::to_string(run) + ", which belongs to shard " +
                           std::to_string(owner) + "/" + std::to_string(first.count) + ": the file is damaged");
    if (by_index[owner]->status[run] == sweep_detail::kNotRun) outcome.missing.push_back(run);
  }
  if (!outcome.missing.empty() && !allow_partial) {
    std::set<std::size_t> owners;
    for (const auto run : outcome.missing) owners.insert(static_cast<std::size_t>(run % first.count));
    std::string files;
    for (const auto owner : owners) files += (files.empty() ? "" : ", ") + in_quotes(by_index[owner]->path);
    throw BadFileError("cannot merge: " + std::to_string(outcome.missing.size()) + " run(s) are in no shard (" +
                       run_list(outcome.missing) + "); they belong to " + files +
                       ": finish those shards (coordsim sweep --shard I/N --resume) and merge again, or pass "
                       "--allow-partial to write a file marked partial");
  }
  const std::int64_t runs = static_cast<std::int64_t>(first.runs);
  const std::string temporary = output + ".tmp-" + std::to_string(static_cast<long long>(::getpid()));
  std::error_code error;
  fs::copy_file(by_index[0]->path, temporary, fs::copy_options::overwrite_existing, error);
  if (error) throw OutputError("cannot create " + in_quotes(temporary) + ": " + error.message());
  try {
    {
      auto file = hdf5::file(H5Fopen(temporary.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), "open " + in_quotes(temporary));
      if (H5Aexists(file.get(), "shard") > 0) hdf5::check(H5Adelete(file.get(), "shard"), "remove shard attribute");
      if (!outcome.missing.empty()) {
        hdf5::write_scalar_attribute<std::int32_t>(file.get(), "partial", H5T_STD_I32LE, 1);
        const hsize_t count = outcome.missing.size();
        const auto space = hdf5::simple_space(std::span(&count, 1));
        hdf5::write_attribute(file.get(), "missing_runs", H5T_STD_U64LE, space.get(), outcome.missing.data());
      }
      const hsize_t block = 4096;
      for (std::size_t i = 1; i < by_index.size(); ++i)
        for (const auto& name : names) merge_dataset(file.get(), *by_index[i], name, static_cast<hsize_t>(runs), block);
      // Count failures.
      const auto status = hdf5::dataset(H5Dopen2(file.get(), "run_status", H5P_DEFAULT), "open run_status");
      std::vector<std::int8_t> states(static_cast<std::size_t>(runs));
      if (runs > 0)
        hdf5::check(H5Dread(status.get(), H5T_NATIVE_INT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, states.data()), "read status");
      for (const auto s : states) outcome.failed += s == sweep_detail::kFailed ? 1 : 0;
      hdf5::check(file.close(), "close " + in_quotes(temporary));
    }
    fs::rename(temporary, output, error);
    if (error) throw OutputError("cannot rename " + in_quotes(temporary) + " to " + in_quotes(output) + ": " + error.message());
  } catch (...) {
    fs::remove(temporary, error);
    throw;
  }
  return outcome;
}

}  // namespace coordsim::sim
