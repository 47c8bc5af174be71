// The coupled county (models/society) as a whole: conservation of hours, attention, demands and
// cases at every step (MODEL.md §6), Little's law for demands, results independent of the thread
// count, and the cross-layer effects of P3 with their knock-outs (§4, §7): each compared on common
// random numbers, paired by replication, with the 95 % interval of the difference recorded.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <string>
#include <vector>

#include "coordsim/models/society/register.hpp"
#include "coordsim/sim/execution.hpp"
#include "coordsim/sim/runner.hpp"
#include "coordsim/sim/scenario.hpp"
#include "coordsim/sim/statistics.hpp"
#include "determinism.hpp"
#include "society.hpp"
#include "society_support.hpp"

namespace coordsim::models::society {
namespace {

// No output carries a CF time unit ("hours", "days", ...): xarray would decode it into timedeltas and
// a notebook user would get durations instead of numbers of hours.
TEST(SocietyLayout, NoOutputUnitIsATimeUnitXarrayWouldDecode) {
  const auto scenario = county();
  const auto layout = registry().find("society")->layout(scenario.base);
  std::vector<sim::VariableSpec> variables = layout.series;
  for (const auto& summary : layout.summaries) variables.push_back(summary.variable);
  for (const auto& kind : layout.agent_kinds) variables.insert(variables.end(), kind.variables.begin(), kind.variables.end());
  ASSERT_GT(variables.size(), 50u);
  for (const auto& v : variables)
    for (const char* unit : {"hours", "hour", "days", "day", "minutes", "seconds", "milliseconds", "microseconds", "nanoseconds"})
      EXPECT_NE(v.units, unit) << v.name;
}

// The parameters of one variant of a scenario, for stepping a world by hand.
Parameters variant_parameters(const sim::Scenario& scenario, const std::string& variant) {
  const auto& v = *std::find_if(scenario.variants.begin(), scenario.variants.end(),
                                [&](const sim::Variant& x) { return x.name == variant; });
  return composition()->read(v.parameters);
}

// Steps one world through the model's phases and checks the conservation laws after every step.
TEST(SocietyWorld, ConservesHoursAttentionDemandsAndCases) {
  for (const char* variant :
       {"baseline", "delegated_authority", "clusters", "referral_every_task", "one_stop", "task_force_detached", "service_platform"}) {
    const sim::Rng rng(5, 0);
    const Parameters parameters = variant_parameters(county(), variant);
    State s = generate(parameters, rng);
    const sim::ExecutionContext execution(1);
    double open_sum = 0.0;
    const std::size_t steps = 200;
    const sim::OutputLayout layout = composition()->layout(parameters);
    sim::RunRecord record;
    sim::Recorder recorder(layout, steps, false, 1, record);
    for (std::size_t step = 0; step < steps; ++step) {
      composition()->step(s, sim::StepContext{step, rng, execution});
      composition()->record(s, step, recorder);
      std::vector<sim::Ledger> ledgers;
      composition()->append_ledgers(s, ledgers);
      // departments, seconded staff, attention, commission, townships, village agents
      ASSERT_EQ(ledgers.size(), 6u);
      for (const auto& l : ledgers)
        for (std::size_t i = 0; i < l.used.size(); ++i)
          ASSERT_LE(l.used[i], l.available[i] * (1.0 + 1e-9) + 1e-9) << variant << " " << l.name << " agent " << i;
      // Village agents: one per village when the platform runs, none otherwise; every hour of an agent
      // is forwarding, other duties or idle.
      const auto& agents = *std::find_if(ledgers.begin(), ledgers.end(),
                                         [](const sim::Ledger& l) { return l.name == "village_agent_hours"; });
      ASSERT_EQ(agents.used.size(), parameters.citizens.platform ? s.villages.size() : 0u) << variant;
      for (std::size_t a = 0; a < agents.used.size(); ++a)
        ASSERT_NEAR(s.villages.h_forward[a] + s.villages.h_duties[a] + s.villages.h_idle[a],
                    parameters.villages.agent_hours, 1e-9) << variant << " village " << a;
      // Platform demands: every registered demand within the catalogue waits at its agent, was filed,
      // fell back to coming in person, or was abandoned while waiting; a waiting one is open.
      for (const auto& f : s.filings) ASSERT_TRUE(s.demands[f.demand].open && s.demands[f.demand].channel == 0);
      const auto& t = s.totals;
      ASSERT_DOUBLE_EQ(t.arrived, t.resolved + t.abandoned + static_cast<double>(s.open_demands.size())) << variant;
      ASSERT_DOUBLE_EQ(t.referrals, t.closed + static_cast<double>(s.commission_queue.size())) << variant;
      open_sum += static_cast<double>(s.open_demands.size());
    }
    // Little's law over the run: the time-average number open equals the arrival rate times the mean
    // time in the system (demands still open counted up to the end).
    double sojourn = 0.0;
    for (const auto& d : s.demands)
      sojourn += static_cast<double>((d.open ? static_cast<std::int64_t>(steps) : d.closed) - d.arrived);
    EXPECT_NEAR(open_sum, sojourn, 1e-6 * open_sum + 1e-6) << variant;
    EXPECT_GT(s.totals.resolved, 0.0) << variant;
    // Only demands a village agent filed travel on the platform, and they never cost a trip.
    double online = 0.0;
    for (const auto& d : s.demands)
      if (d.channel == 1) {
        online += 1.0;
        EXPECT_TRUE(d.registered);
        EXPECT_EQ(d.trips, 0);
      }
    EXPECT_EQ(online, s.totals.filed) << variant;
    if (parameters.citizens.platform) {
      EXPECT_GT(s.totals.filed, 0.0) << variant;
    }
  }
}

// Every key outcome of the county that is not zero in a variant varies across replications: no key
// outcome is a constant restating an input (issue 12, "no zero variance").
TEST(SocietyWorld, NoKeyOutcomeThatIsNonzeroIsConstantAcrossReplications) {
  auto scenario = county({"run.replications=4"});
  const Runs runs(scenario);
  int checked = 0;
  for (const auto& summary : runs.result.layout.summaries) {
    if (!summary.key) continue;
    for (const auto& variant : runs.scenario.variants) {
      const auto values = runs.summary(variant.name, summary.variable.name);
      const bool nonzero = std::any_of(values.begin(), values.end(), [](double v) { return v != 0.0; });
      if (!nonzero) continue;
      ++checked;
      EXPECT_FALSE(std::all_of(values.begin(), values.end(), [&](double v) { return v == values.front(); }))
          << summary.variable.name << " in " << variant.name << " is " << values.front() << " in every replication";
    }
  }
  EXPECT_GE(checked, 10 * 13 - 5);  // information sharing leaves no duplicates: a few zeros are expected
}

// township_case_age_mean (every case of the run, the open ones at their age) against the area under
// the open-cases curve: a case that arrives in step a and closes in step c is open at the end of c − a
// steps, one still open after the last step T − 1 at the end of T − a steps, so the area summed over
// the steps is the numerator of the mean exactly. Counting open cases at T − 1 − a, or leaving them
// out, breaks the equality. With cases that cannot close (1e5 hours each) the area per case is also
// the mean of T − a over Poisson arrivals at a constant rate, (T + 1) / 2 up to sampling error.
TEST(SocietyWorld, CaseAgeMeanIsTheAreaUnderTheOpenCasesCurvePerCase) {
  for (const bool closing : {true, false}) {
    for (const char* variant : {"baseline", "clusters"}) {
      const sim::Rng rng(11, 0);
      const Parameters parameters = variant_parameters(
          closing ? county() : county({"townships.case_hours=1e5", "townships.case_rate=0.03"}), variant);
      State s = generate(parameters, rng);
      const sim::ExecutionContext execution(1);
      const std::size_t steps = 300;
      const sim::OutputLayout layout = composition()->layout(parameters);
      sim::RunRecord record;
      sim::Recorder recorder(layout, steps, false, 1, record);
      double area = 0.0;
      for (std::size_t step = 0; step < steps; ++step) {
        composition()->step(s, sim::StepContext{step, rng, execution});
        composition()->record(s, step, recorder);
        area += static_cast<double>(s.township_cases.size());
      }
      composition()->summarize(s, steps, recorder);
      const double age = record.summaries[coordsim::test_support::summary_index(layout, "township_case_age_mean")];
      const double closed = s.totals.township_cases_closed;
      const double cases = closed + static_cast<double>(s.township_cases.size());
      ASSERT_GT(cases, 100.0) << variant;  // about 0.9 cases per step in 20 townships (9 when never closing)
      EXPECT_NEAR(age, area / cases, 1e-9 * age) << variant << (closing ? "" : " (cases never close)");
      if (!closing) {
        EXPECT_EQ(closed, 0.0) << variant;
        // T − a is about uniform on [1, T]: relative standard error 1/sqrt(3 × cases) ≈ 1.1 % for the
        // ≈ 2,700 cases; 5 % allowed.
        EXPECT_NEAR(age, (static_cast<double>(steps) + 1.0) / 2.0, 0.05 * (steps + 1.0) / 2.0) << variant;
      }
    }
  }
}

TEST(SocietyWorld, ResultsDoNotDependOnTheThreadCount) {
  auto scenario = county({"run.steps=120"});
  coordsim::test_support::expect_thread_count_independent(*registry().find("society"), scenario, {1, 2}, 0, 0);
}

// Village service agents (villages.cpp): the logit split of one agent's hours over waiting demands.
class SocietyVillageAgent : public ::testing::Test {
 protected:
  // A county with the platform; two registered demands of village 0 that arrived at the given steps
  // wait in its agent's queue (nothing else waits).
  static State world(std::initializer_list<std::string> overrides, std::int64_t first, std::int64_t second) {
    auto scenario = county(overrides);
    sim::apply_override(scenario, "citizens.platform=true", registry());
    const State generated = generate(composition()->read(scenario.base), sim::Rng(3, 0));
    State s = generated;
    for (const auto arrived : {first, second}) {
      Demand d{};
      d.needed = 1;
      d.departments[0] = 0;
      d.registered = true;
      d.arrived = arrived;
      d.patience_until = kNever;
      d.closed = kNever;
      d.open = true;
      s.filings.push_back({static_cast<std::uint32_t>(s.demands.size()), 0, kNever, 0.0});
      s.open_demands.push_back(static_cast<std::uint32_t>(s.demands.size()));
      s.demands.push_back(d);
    }
    return s;
  }
};

TEST_F(SocietyVillageAgent, TheLongerWaitingDemandGetsMoreHours) {
  // Filing takes longer than a step, so both stay in the queue with the hours given to each.
  State s = world({"villages.file_hours=50"}, 2, 9);
  decide_village_agents(s, 10);
  ASSERT_EQ(s.filings.size(), 2u);
  EXPECT_GT(s.filings[0].credit, s.filings[1].credit);
  EXPECT_GT(s.filings[1].credit, 0.0);
  EXPECT_NEAR(s.villages.h_forward[0], s.filings[0].credit + s.filings[1].credit, 1e-12);
  // Two demands that waited equally long get equal hours.
  State even = world({"villages.file_hours=50"}, 5, 5);
  decide_village_agents(even, 10);
  EXPECT_NEAR(even.filings[0].credit, even.filings[1].credit, 1e-12);
  // A heavier weight on platform throughput in the agent's assessment draws hours from its duties.
  State assessed = world({"villages.file_hours=50", "villages.w_forward=2"}, 2, 9);
  decide_village_agents(assessed, 10);
  EXPECT_GT(assessed.villages.h_forward[0], s.villages.h_forward[0]);
  EXPECT_LT(assessed.villages.h_duties[0], s.villages.h_duties[0]);
}

TEST_F(SocietyVillageAgent, AFiledDemandReachesTheDepartmentsWithoutATrip) {
  State s = world({"villages.file_hours=0.01", "villages.agent_hours=4"}, 2, 9);
  const auto before = s.signoffs.size();
  decide_village_agents(s, 10);
  EXPECT_TRUE(s.filings.empty());
  EXPECT_EQ(s.signoffs.size(), before + 2);
  for (std::size_t k = s.demands.size() - 2; k < s.demands.size(); ++k) {
    EXPECT_EQ(s.demands[k].channel, 1);
    EXPECT_EQ(s.demands[k].trips, 0);
  }
  EXPECT_DOUBLE_EQ(s.flows.filed, 2.0);
}

TEST_F(SocietyVillageAgent, WithoutHoursNothingIsFiledAndCitizensComeInPerson) {
  State s = world({"villages.agent_hours=0"}, 2, 9);
  s.filings[0].give_up = 12;
  s.filings[1].give_up = 14;
  const auto intake = s.intake.size();
  for (std::int64_t step = 10; step < 14; ++step) decide_village_agents(s, step);
  EXPECT_EQ(s.flows.filed, 0.0);
  EXPECT_EQ(total(s.villages.h_forward), 0.0);
  ASSERT_EQ(s.filings.size(), 1u);  // the first citizen gave up at step 12 and came in person
  EXPECT_EQ(s.intake.size(), intake + 1);
  EXPECT_EQ(s.demands[s.demands.size() - 2].trips, 1);
  // Over a whole run of the county: no demand filed, none settled without a trip.
  const Runs off(county({"run.replications=2", "villages.agent_hours=0"}), {"service_platform"});
  for (const double filed : off.summary("service_platform", "platform_filed_total")) EXPECT_EQ(filed, 0.0);
  for (const double settled : off.summary("service_platform", "platform_settled_share")) EXPECT_EQ(settled, 0.0);
}

// P3: a department-side mechanism moves township outcomes, a township-side one department outcomes.
class SocietyCrossLayer : public ::testing::Test {
 protected:
  static const Runs& runs() {
    static const Runs instance(county({"run.replications=8"}),
                               {"baseline", "leading_group", "information_platform", "delegated_authority", "clusters",
                                "referral_every_task"});
    return instance;
  }
};

TEST_F(SocietyCrossLayer, InformationSharingUpstairsCutsTownshipDuplicatesAndReporting) {
  EXPECT_LT(runs().difference("information_platform", "township_duplicate_tasks_total").high, 0.0);
  EXPECT_LT(runs().difference("information_platform", "township_hours_reporting_total").high, 0.0);
}

TEST_F(SocietyCrossLayer, LeadingGroupConsolidatesJointTaskReports) {
  EXPECT_LT(runs().difference("leading_group", "township_duplicate_tasks_total").high, 0.0);
}

TEST_F(SocietyCrossLayer, DelegatedAuthorityDownstairsRaisesDepartmentsOnTimeDelivery) {
  EXPECT_GT(runs().difference("delegated_authority", "share_on_time").low, 0.0);
  EXPECT_LT(runs().difference("delegated_authority", "department_hours_signoff_total").high, 0.0);
}

TEST_F(SocietyCrossLayer, ClustersCutCaseTimeAndPetitions) {
  EXPECT_LT(runs().difference("clusters", "township_case_time_mean").high, 0.0);
  EXPECT_LT(runs().difference("clusters", "petitions_total").high, 0.0);
}

TEST_F(SocietyCrossLayer, ReferralForEveryTaskFloodsTheCommissionAndLowersDeterrence) {
  EXPECT_GT(runs().difference("referral_every_task", "discipline_queue_mean").low, 0.0);
  EXPECT_LT(runs().difference("referral_every_task", "deterrence_mean").high, 0.0);
}

// Knock-outs (§4): with the channel broken, the effect that travels through it vanishes.
TEST(SocietyKnockOut, WithoutTheTownshipShareLeadingGroupsNoLongerCutDuplicates) {
  // With the channel: consolidated joint-task reports cut duplicates; without it (no township share,
  // no joint reports) what remains is the small indirect effect through departments' pressure.
  const Runs on(county({"run.replications=6"}), {"baseline", "leading_group"});
  const Runs off(county({"run.replications=6", "coupling.township_share=false"}), {"baseline", "leading_group"});
  const auto with = on.difference("leading_group", "township_duplicate_tasks_total");
  const auto without = off.difference("leading_group", "township_duplicate_tasks_total");
  ASSERT_LT(with.high, 0.0);
  EXPECT_LT(std::fabs(without.mean), 0.2 * std::fabs(with.mean));
}

TEST(SocietyKnockOut, WithoutDepartmentSignoffsAuthorityNoLongerSavesDepartmentSignoffHours) {
  const Runs off(county({"run.replications=4", "coupling.signoffs_department=false"}),
                 {"baseline", "delegated_authority"});
  const auto d = off.difference("delegated_authority", "department_hours_signoff_total");
  EXPECT_EQ(d.mean, 0.0);
}

TEST(SocietyKnockOut, WithFixedAccountabilityTheFloodedCommissionNoLongerLowersDeterrence) {
  const Runs off(county({"run.replications=4", "commission.learn=false"}), {"baseline", "referral_every_task"});
  const auto d = off.difference("referral_every_task", "deterrence_mean");
  EXPECT_EQ(d.mean, 0.0);
}

// 4.1: pressure at the top travels down — a commission perceived as stricter makes departments push more
// tasks to townships; with a fixed push rate the effect is gone.
TEST(SocietyKnockOut, WithoutDownwardPressureStricterAccountabilityNoLongerLoadsTownships) {
  const Runs base(county({"run.replications=6"}), {"baseline"});
  const Runs strict(county({"run.replications=6", "commission.audit_probability=0.95"}), {"baseline"});
  const Runs base_off(county({"run.replications=6", "coupling.downward_pressure=false"}), {"baseline"});
  const Runs strict_off(county({"run.replications=6", "coupling.downward_pressure=false", "commission.audit_probability=0.95"}),
                        {"baseline"});
  ASSERT_GT(paired(strict, base, "township_programme_tasks_total", "4.1_on").low, 0.0);
  EXPECT_EQ(paired(strict_off, base_off, "township_programme_tasks_total", "4.1_off").mean, 0.0);
}

// 4.3: delegated authority spares departments the townships' requests; without requests nothing to spare.
TEST(SocietyKnockOut, WithoutRequestsAuthorityNoLongerSavesDepartmentRequestHours) {
  const Runs on(county({"run.replications=6"}), {"baseline", "delegated_authority"});
  const Runs off(county({"run.replications=6", "coupling.requests=false"}), {"baseline", "delegated_authority"});
  EXPECT_LT(on.difference("delegated_authority", "department_hours_requests_total").high, 0.0);
  EXPECT_EQ(off.difference("delegated_authority", "department_hours_requests_total").mean, 0.0);
}

// 4.5: clusters cut petitions, which frees leadership attention for joint tasks; when petitions no
// longer draw on the tasks' budget the effect shrinks.
TEST(SocietyKnockOut, WithoutSharedAttentionFewerPetitionsNoLongerFreeAttentionForTasks) {
  const Runs on(county({"run.replications=6"}), {"baseline", "clusters"});
  const Runs off(county({"run.replications=6", "coupling.shared_attention=false"}), {"baseline", "clusters"});
  const auto with = on.difference("clusters", "attention_tasks_mean");
  const auto without = off.difference("clusters", "attention_tasks_mean");
  ASSERT_GT(with.low, 0.0);
  EXPECT_LT(std::fabs(without.mean), 0.2 * with.mean);
}

// F14 through the village agents (§3.8): the platform cuts trips because agents spend hours filing
// demands; with no agent hours every covered demand waits until its citizen gives up and comes in
// person, and the platform's effect on trips, township service hours and time to resolution shrinks.
TEST(SocietyKnockOut, WithoutVillageAgentHoursThePlatformNoLongerCutsTrips) {
  const Runs on(scenario_file("f14_platform.yaml"));
  const Runs off(scenario_file("f14_platform.yaml", {"villages.agent_hours=0"}));
  // S3: the platform settles ≈ 80 % of registered users' demands.
  const auto settled = level(on, "platform_settled_share", "F14", "service_platform");
  EXPECT_GT(settled.mean, 0.7);
  EXPECT_LT(settled.mean, 0.9);
  for (const char* name : {"citizen_trips_per_demand", "township_hours_service_total", "citizen_time_to_resolution_mean"}) {
    const auto with = on.difference("service_platform", name);
    const auto without = off.difference("service_platform", name);
    ASSERT_LT(with.high, 0.0) << name;
    EXPECT_GT(without.mean, 0.5 * with.mean) << name;
  }
  const auto with = on.difference("service_platform", "citizen_trips_per_demand");
  const auto without = off.difference("service_platform", "citizen_trips_per_demand");
  EXPECT_LT(std::fabs(without.mean), 0.2 * std::fabs(with.mean));
  // Between the two: scarcer agent hours, longer waits, more citizens giving up, a smaller cut.
  const Runs scarce(scenario_file("f14_platform.yaml", {"villages.agent_hours=0.5"}));
  const auto some = scarce.difference("service_platform", "citizen_trips_per_demand");
  EXPECT_GT(some.low, with.high);
  EXPECT_LT(some.high, without.low);
  EXPECT_GT(sim::paired_difference(scarce.summary("service_platform", "platform_fallbacks_total"),
                                   on.summary("service_platform", "platform_fallbacks_total"))
                .low,
            0.0);
}

// 4.7: overload raises turnover through fatigue; without the fatigue channel it does not.
TEST(SocietyKnockOut, WithoutFatigueOverloadNoLongerRaisesTurnover) {
  const Runs base(county({"run.replications=6"}), {"baseline"});
  const Runs loaded(county({"run.replications=6", "townships.dispatched=20", "townships.push_rate=0.05"}), {"baseline"});
  const Runs base_off(county({"run.replications=6", "coupling.fatigue=false"}), {"baseline"});
  const Runs loaded_off(county({"run.replications=6", "coupling.fatigue=false", "townships.dispatched=20",
                                "townships.push_rate=0.05"}),
                        {"baseline"});
  ASSERT_GT(paired(loaded, base, "township_turnover_total", "4.7_on").low, 0.0);
  EXPECT_EQ(paired(loaded_off, base_off, "township_turnover_total", "4.7_off").mean, 0.0);
}

}  // namespace
}  // namespace coordsim::models::society
