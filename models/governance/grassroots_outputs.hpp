#pragma once
// Outputs of the grassroots and citizen layer (MODEL.md §5 "Grassroots (per agent)" and
// "Citizens"): appended after the first slice's and the county mechanisms' outputs, so the indices
// below start at kGrassrootsSeriesBegin and kGrassrootsSummaryBegin; the township agent kind is
// kTownshipKind.
#include <cstddef>

#include "coordsim/sim/output.hpp"
#include "mechanism_outputs.hpp"
#include "outputs.hpp"
#include "world.hpp"

namespace coordsim::models::governance {

inline constexpr std::size_t kGrassrootsSeriesBegin = std::size_t{kSeriesCount} + std::size_t{kMechanismSeriesCount};
inline constexpr std::size_t kGrassrootsSummaryBegin = std::size_t{kSummaryCount} + std::size_t{kMechanismSummaryCount};
inline constexpr std::size_t kTownshipKind = std::size_t{kTaskKind} + 1;

enum GrassrootsSeries : std::size_t {
  kTownshipLoadRatio,
  kTownshipFatigue,
  kTownshipTurnover,
  kTownshipHoursAvailable,
  kTownshipHoursReporting,
  kTownshipHoursTasks,
  kTownshipHoursService,
  kTownshipAttainmentReal,
  kTownshipAttainmentReported,
  kTargetPenalties,
  kDemandsArrived,
  kDemandsResolved,
  kDemandsPassedBack,
  kDemandsAbandoned,
  kPetitions,
  kDemandsOpen,
  kMeanTimeToResolution,
  kCitizenSatisfaction,
  kReportsSuppressed,
  kReportCasesClosed,
  kDemandsWithoutTravel,
  kGrassrootsSeriesCount
};

enum TownshipVariable : std::size_t {
  kTownLoadRatio,
  kTownFatigue,
  kTownTurnover,
  kTownHoursAvailable,
  kTownHoursReporting,
  kTownHoursTasks,
  kTownHoursService,
  kTownHoursIdle,
  kTownShareReporting,
  kTownShareService,
  kTownAttainmentReal,
  kTownAttainmentReported,
  kTownOpenDemands,
  kTownProductivity,
  kTownshipVariableCount
};

enum GrassrootsSummary : std::size_t {
  kFatigueMean,
  kTurnoverTotal,
  kShareHoursReporting,
  kShareHoursService,
  kHoursReportingTotal,
  kHoursServiceTotal,
  kTownshipStaffTotal,
  kAttainmentRealMean,
  kAttainmentReportedMean,
  kAttainmentSupplyMean,
  kAttainmentSafetyMean,
  kTargetPenaltiesTotal,
  kDemandsTotal,
  kShareDemandsResolved,
  kShareDemandsAbandoned,
  kPassedBackPerDemand,
  kPetitionsTotal,
  kMeanTimeToResolutionRun,
  kMeanSatisfaction,
  kShareWithoutTravel,
  kReportsSuppressedTotal,
  kMeanReportCaseTime,
  kTripsPerDemand,
  kGrassrootsSummaryCount
};

// Appends the layer's series, the `township` agent kind and summaries (called by make_layout).
void append_grassroots_outputs(sim::OutputLayout& layout, std::size_t townships);
// After the other records of a step: series row, township rows when due, run totals.
void record_grassroots(State& state, std::size_t step, sim::Recorder& recorder);
// After the last step.
void summarize_grassroots(const State& state, std::size_t steps, sim::Recorder& recorder);
// Hours spent and available of every township in the last step (conservation checks).
void append_township_hours_balance(const State& state, std::vector<std::pair<double, double>>& balance);

}  // namespace coordsim::models::governance
