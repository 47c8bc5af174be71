// The coupled county (models/society) as a whole: conservation of hours, attention, demands and
// cases at every step (MODEL.md §6), Little's law for demands, results independent of the thread
// count, and the cross-layer effects of P3 with their knock-outs (§4, §7): each compared on common
// random numbers, paired by replication, with the 95 % interval of the difference recorded.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
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
  for (const char* variant : {"baseline", "delegated_authority", "clusters", "referral_every_task", "one_stop", "task_force_detached"}) {
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
      ASSERT_EQ(ledgers.size(), 5u);  // departments, seconded staff, attention, commission, townships
      for (const auto& l : ledgers)
        for (std::size_t i = 0; i < l.used.size(); ++i)
          ASSERT_LE(l.used[i], l.available[i] * (1.0 + 1e-9) + 1e-9) << variant << " " << l.name << " agent " << i;
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
  }
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

TEST_F(SocietyCrossLayer, NoKeyOutcomeOfTheBaselineIsConstantAcrossReplications) {
  for (const auto& spec : runs().result.layout.summaries) {
    if (!spec.key) continue;
    const auto values = runs().summary("baseline", spec.variable.name);
    const auto [low, high] = std::minmax_element(values.begin(), values.end());
    EXPECT_LT(*low, *high) << spec.variable.name;
  }
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
