// Whole-run benchmarks, one replication on one thread, reporting nanoseconds per department-step: the
// default county (scenarios/county.yaml, the society model of MODEL.md v2) and, of the governance
// model, its F1 scenario (52 departments, 250 steps), its county and a province.
#include <benchmark/benchmark.h>

#include <chrono>
#include <string>

#include "coordsim/models/governance/register.hpp"
#include "coordsim/models/society/register.hpp"
#include "coordsim/sim/runner.hpp"
#include "coordsim/sim/scenario.hpp"

namespace {

using namespace coordsim;

// Times one replication at a time (replications 0-7 in turn) on one thread; ns_per_department_step
// divides by `departments` times the scenario's steps.
void time_runs(benchmark::State& state, const sim::ModelRegistry& registry, const sim::Scenario& scenario,
               double departments) {
  const sim::Model& model = *registry.find(scenario.model);
  const sim::OutputLayout layout = sim::scenario_layout(model, scenario);
  const sim::ExecutionContext execution(1);
  std::size_t replication = 0;
  double seconds = 0.0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    sim::RunRecord record = sim::run_one(model, scenario, layout, 0, replication++ % 8, execution);
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    benchmark::DoNotOptimize(record.summaries.data());
    if (!record.ok) state.SkipWithError(record.message.c_str());
  }
  const double department_steps = departments * static_cast<double>(scenario.run.steps) * static_cast<double>(state.iterations());
  state.counters["ns_per_department_step"] = benchmark::Counter(seconds * 1e9 / department_steps);
}

void whole_run(benchmark::State& state, const char* file) {
  sim::ModelRegistry registry;
  models::governance::register_governance(registry);
  models::society::register_society(registry);
  const sim::Scenario scenario = sim::load_scenario(std::string(COORDSIM_SCENARIO_DIR) + "/" + file, registry);
  const auto departments = static_cast<double>(scenario.variants[0].parameters.integer("departments.count"));
  time_runs(state, registry, scenario, departments);
  state.counters["departments"] = benchmark::Counter(departments);
}

// The coupled county (MODEL.md v2, model society), its baseline variant.
void BM_CountyRun(benchmark::State& state) { whole_run(state, "county.yaml"); }
void BM_F1WeakLeadRun(benchmark::State& state) { whole_run(state, "governance/f1_weak_lead.yaml"); }
void BM_GovernanceCountyRun(benchmark::State& state) { whole_run(state, "governance/county.yaml"); }

// A province of 10 counties (the template of province.yaml, traits drawn around it), one
// replication of 250 steps on one thread; ns_per_department_step counts the template's departments
// times the counties.
void BM_ProvinceRun(benchmark::State& state) {
  sim::ModelRegistry registry;
  models::governance::register_governance(registry);
  sim::Scenario scenario = sim::load_scenario(std::string(COORDSIM_SCENARIO_DIR) + "/governance/province.yaml", registry);
  scenario.output.agents = false;
  scenario.variants.resize(1);
  scenario.variants[0].parameters.set("scale.counties", std::int64_t{10});
  time_runs(state, registry, scenario, 10.0 * 60.0);
}

BENCHMARK(BM_CountyRun)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_F1WeakLeadRun)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_GovernanceCountyRun)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ProvinceRun)->Unit(benchmark::kMillisecond);

}  // namespace
