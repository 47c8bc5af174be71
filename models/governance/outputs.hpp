#pragma once
// What the governance model records (MODEL.md §5): series, per-agent outcomes and summaries.
#include <cstddef>

#include "coordsim/sim/output.hpp"
#include "world.hpp"

namespace coordsim::models::governance {

// Indices into OutputLayout::series, in declaration order.
enum Series : std::size_t {
  kItemsOnTime,
  kItemsLate,
  kItemsMissing,
  kItemsOpen,
  kProgress,
  kTasksCompleted,
  kSynergyRatio,
  kLeadHoursChasing,
  kLeadHoursCoordinating,
  kLeadHoursDoingOthers,
  kHoursJointWork,
  kMeanTrust,
  kMeanCooperationDegree,
  kLeadershipAttention,
  kEscalations,
  kSeriesCount
};

enum AgentKind : std::size_t { kDepartmentKind, kTaskKind };

enum DepartmentVariable : std::size_t {
  kDeptHoursJoint,
  kDeptHoursHome,
  kDeptHoursIdle,
  kDeptHoursAvailable,
  kDeptHoursCoordination,
  kDeptCooperationDegree,
  kDeptTrust,
  kDeptLeadHoursChasing,
  kDeptLeadHoursDoingOthers,
  kDepartmentVariableCount
};

enum TaskVariable : std::size_t { kTaskProgress, kTaskCompleted, kTaskAttention, kTaskVariableCount };

enum Summary : std::size_t {
  kShareOnTime,
  kShareLateOrMissing,
  kMeanCompletionStep,
  kLeadHoursOwnTotal,
  kLeadHoursDoingOthersTotal,
  kMeanTrustFinal,
  kHoursJointTotal,
  kSynergyRatioFinal,
  kSummaryCount
};

// `townships`: size of the grassroots layer's `township` agent kind (grassroots_outputs.cpp).
sim::OutputLayout make_layout(std::size_t departments, std::size_t tasks, std::size_t townships = 0);

// After the last phase of a step: fills the series row and, when due, the per-agent rows.
void record_step(State& state, std::size_t step, sim::Recorder& recorder);
// After the last step.
void summarize_run(const State& state, std::size_t steps, sim::Recorder& recorder);

}  // namespace coordsim::models::governance
