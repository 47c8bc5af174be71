#pragma once
// Outputs of the county-level mechanisms (MODEL.md §5): appended after the first slice's series,
// department variables and summaries, so their indices start at kSeriesCount,
// kDepartmentVariableCount and kSummaryCount.
#include <cstddef>

#include "coordsim/sim/output.hpp"
#include "outputs.hpp"
#include "world.hpp"

namespace coordsim::models::governance {

enum MechanismSeries : std::size_t {
  kDisciplineReferrals,
  kDisciplineQueue,
  kDisciplineCasesClosed,
  kDisciplineTalks,
  kDisciplineAccountabilityCases,
  kDisciplineCoreBacklog,
  kDisciplinePAccountability,
  kDisciplineDeterrence,
  kSecondedHours,
  kSecondedProductive,
  kSecondedIdle,
  kSecondedHome,
  kSecondedOnboarding,
  kTaskForceWork,
  kDecisionsBlocked,
  kDecisionsEscalated,
  kDecisionsMade,
  kEffortCounty,
  kEffortLead,
  kEffortGrassroots,
  kCostHoursChasing,
  kCostHoursMeetings,
  kCostHoursReporting,
  kCostHoursConsultations,
  kCostHoursOnboarding,
  kMechanismSeriesCount
};

enum MechanismDepartmentVariable : std::size_t {
  kDeptPenalties,
  kDeptSecondedHours,
  kDeptSecondedProductive,
  kDeptSecondedIdle,
  kDeptSecondedHome,
  kDeptSecondedOnboarding,
  kDeptHoursReporting,
  kDeptHoursConsultation,
  kDeptHoursTraining,
  kMechanismDepartmentVariableCount
};

enum MechanismSummary : std::size_t {
  kDisciplineQueueMean,
  kDisciplineQueueFinal,
  kDisciplineCoreBacklogFinal,
  kDisciplineCoreBacklogMean,
  kDisciplineDeterrenceMean,
  kDisciplineReferralsTotal,
  kPenaltiesTotal,
  kSecondedIdleShareEarly,
  kSecondedIdleShare,
  kSecondedHomeShare,
  kSecondedTaskForceShare,
  kTaskForceWorkTotal,
  kDecisionsResolvedShare,
  kMeanDecisionTime,
  kEffortCountyMean,
  kEffortLeadMean,
  kEffortGrassrootsMean,
  kCoordinationHoursTotal,
  kOnboardingHoursTotal,
  kMechanismSummaryCount
};

// Appends the mechanisms' series, department variables and summaries (called by make_layout).
void append_mechanism_outputs(sim::OutputLayout& layout);
// After record_step: the mechanisms' series row, department rows when due, run totals.
void record_mechanisms(State& state, std::size_t step, sim::Recorder& recorder);
// After summarize_run.
void summarize_mechanisms(const State& state, std::size_t steps, sim::Recorder& recorder);

}  // namespace coordsim::models::governance
