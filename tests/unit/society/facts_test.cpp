// Stylized facts of MODEL.md §7 from the one county: each fact is a scenario file scenarios/fN_*.yaml
// that extends county.yaml and whose variants are the county (`baseline`) and arms of at most three
// changes each (named in the file's header; a scale change such as one 50-department task counts as
// one), compared on common random numbers over the file's 30 replications; the measured interval is
// printed and recorded (RecordProperty) with its margin to the threshold. Knock-outs apply a broken
// channel (§4) to the whole fact scenario and show the effect shrink.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cctype>
#include <filesystem>
#include <set>

#include "society_support.hpp"

namespace coordsim::models::society {
namespace {

// The parameters in which one variant differs from the county's baseline.
std::set<std::string> changed_keys(const sim::ParamSet& variant, const sim::ParamSet& county_base) {
  std::set<std::string> keys;
  for (const auto& [path, value] : variant.values())
    if (!(value == county_base.value(path))) keys.insert(path);
  return keys;
}

// Every fact scenario is the county plus at most three changes in each variant, the first variant is
// the county itself, and the files run at least 30 replications (MODEL.md §7).
TEST(SocietyFacts, EveryFactScenarioIsTheCountyPlusAtMostThreeChanges) {
  const auto base = county();
  int files = 0;
  std::set<int> facts;
  for (const auto& entry : std::filesystem::directory_iterator(COORDSIM_SCENARIO_DIR)) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".yaml" || name.size() < 3 || name[0] != 'f' || !std::isdigit(name[1])) continue;
    ++files;
    facts.insert(std::stoi(name.substr(1)));
    const auto fact = scenario_file(name);
    EXPECT_EQ(fact.model, base.model) << name;
    EXPECT_GE(fact.run.replications, 30) << name;
    EXPECT_EQ(fact.run.steps, base.run.steps) << name;
    ASSERT_GE(fact.variants.size(), 2u) << name;
    EXPECT_EQ(fact.variants.front().name, "baseline") << name;
    EXPECT_TRUE(changed_keys(fact.variants.front().parameters, base.base).empty()) << name;
    for (const auto& variant : fact.variants) {
      const auto keys = changed_keys(variant.parameters, base.base);
      EXPECT_LE(keys.size(), 3u) << name << " variant " << variant.name;
      ::testing::Test::RecordProperty(name.substr(0, name.find('_')) + "_" + variant.name + "_changes",
                                      static_cast<int>(keys.size()));
    }
  }
  EXPECT_EQ(files, 16);
  EXPECT_EQ(facts.size(), 16u);
}

// F1 (S0 "50多个部门配合……过半部门到期迟交、漏交材料"): the county's joint tasks each draw on 50
// departments [1, scale] and ask for material submissions only [2]; weak peer lead and outcome-only
// assessment as in the county.
TEST(SocietyFacts, F1_FiftyDepartmentsWeakLeadMoreThanHalfLateOrMissing) {
  const Runs f1(scenario_file("f1_weak_lead.yaml"));
  const auto on_time = level(f1, "share_on_time", "F1", "fifty_departments");
  EXPECT_LT(on_time.high, 0.5) << "margin " << 0.5 - on_time.high;
  // Not an input restated: a high-rank lead on the same task changes it.
  EXPECT_GT(f1.difference("fifty_departments_high_rank", "share_on_time", "fifty_departments").low, 0.0);
}

// F2 (S0 李冰 "到岗两个多月仍没下一线"): a detached task force [1, 2] without role assignments [3].
TEST(SocietyFacts, F2_TaskForceWithoutRolesLeavesSecondedStaffIdle) {
  const Runs f2(scenario_file("f2_task_force_roles.yaml"));
  const auto idle = level(f2, "seconded_idle_days_mean", "F2", "task_force_no_roles");
  EXPECT_GE(idle.low, 40.0) << "margin " << idle.low - 40.0;
  EXPECT_GT(f2.difference("task_force_no_roles", "seconded_idle_days_mean", "task_force_roles").low, 0.0);
}

// F4 (S0): with a task force [1], detachment [2] raises its output; non-detached staff answer home calls.
TEST(SocietyFacts, F4_DetachmentRaisesTaskForceOutput) {
  const Runs f4(scenario_file("f4_detachment.yaml"));
  EXPECT_GT(f4.difference("task_force_detached", "share_on_time", "task_force_home").low, 0.0);
  EXPECT_LT(f4.difference("task_force_detached", "items_overdue_mean", "task_force_home").high, 0.0);
}

// F3 (S0, S1): the county's assessment variants (one change each).
TEST(SocietyFacts, F3_CooperationOrLeadEvaluationRaisesOnTimeAndSparesTheLead) {
  const Runs runs(scenario_file("f3_assessment.yaml"));
  for (const char* v : {"cooperation_assessment", "lead_evaluates"}) {
    EXPECT_GT(runs.difference(v, "share_on_time").low, 0.0) << v;
    EXPECT_LT(runs.difference(v, "lead_hours_own_total").high, 0.0) << v;
  }
}

// F5 (S4): a high-rank lead or a leading group finishes sooner; leading groups for every task dilute
// the chair's attention (grouped tasks do worse when every task has one than when a quarter do).
TEST(SocietyFacts, F5_RankAndLeadingGroupsHelpButDiluteWhenEveryTaskHasOne) {
  const Runs runs(scenario_file("f5_lead_rank.yaml"));
  EXPECT_GT(runs.difference("high_rank_lead", "share_on_time").low, 0.0);
  EXPECT_GT(runs.difference("leading_group", "share_on_time").low, 0.0);
  // Grouped tasks do worse when every task has a group than when a quarter do.
  EXPECT_LT(runs.difference("leading_group", "share_on_time_grouped", "leading_group_quarter").high, 0.0);
}

// F6 (S4): sequential sign-off (the county) against one-stop handling: passing back and abandonment
// higher; weak accountability [1] raises passing back; more joint-task load [1, scale] raises it too.
TEST(SocietyFacts, F6_SequentialSignOffWeakAccountabilityAndLoadRaisePassingBack) {
  const Runs runs(scenario_file("f6_passing_back.yaml"));
  EXPECT_LT(runs.difference("one_stop", "citizen_passed_back_total").high, 0.0);
  EXPECT_LT(runs.difference("one_stop", "citizen_abandoned_share").high, 0.0);
  EXPECT_GT(runs.difference("weak_accountability", "citizen_passed_back_total").low, 0.0);
  EXPECT_GT(runs.difference("more_joint_tasks", "citizen_passed_back_total").low, 0.0);
}

// F7 (S4 "卫健局牵头……只进行了微调"): conflicting goals on every task [1] with the county's mediating-only
// lead: conflicts stall unless leadership attention is high [2], and stall more when petitions compete [2].
TEST(SocietyFacts, F7_ConflictsStallUnlessAttentionIsHighAndMoreWithPetitions) {
  const Runs runs(scenario_file("f7_conflicting_goals.yaml"));
  EXPECT_LT(runs.difference("conflicting_goals_attentive", "conflict_stall_steps_total", "conflicting_goals").high, 0.0);
  EXPECT_GT(runs.difference("conflicting_goals_petitions", "conflict_stall_steps_total", "conflicting_goals").low, 0.0);
  EXPECT_GT(level(runs, "conflict_stall_steps_total", "F7", "conflicting_goals").low, 0.0);
}

// F8 (S4 "纪委监委包打天下"): referral for every task (the county variant): the queue grows, deterrence
// falls and overdue items rise; with p̂_acc fixed (no learning from clearance) the last effect vanishes.
TEST(SocietyFacts, F8_ReferralForEveryTaskFloodsTheCommissionAndOverdueRise) {
  const Runs runs(scenario_file("f8_discipline_overload.yaml"));
  EXPECT_GT(runs.difference("referral_every_task", "discipline_queue_mean").low, 0.0);
  EXPECT_LT(runs.difference("referral_every_task", "deterrence_mean").high, 0.0);
  const auto overdue = runs.difference("referral_every_task", "items_overdue_mean");
  EXPECT_GT(overdue.low, 0.0);
  // Knock-out: with p̂_acc fixed (no learning from the commission's clearance) the last effect shrinks.
  const Runs fixed(scenario_file("f8_discipline_overload.yaml", {"commission.learn=false"}));
  const auto without = fixed.difference("referral_every_task", "items_overdue_mean");
  EXPECT_LT(without.mean, 0.5 * overdue.mean);
}

// F9 (S4 "上热、中温、下凉"): the campaign behind the county's rigid targets loses force at each level
// that is not engaged — the county level pushes it only partly — and townships give it fewer hours and
// reach less than when every level below the top is engaged [1].
TEST(SocietyFacts, F9_EffortAttenuatesDownTheLevelsUnlessEveryLevelIsEngaged) {
  const Runs runs(scenario_file("f9_three_levels.yaml"));
  const auto county_push = level(runs, "target_county_engagement_mean", "F9");
  EXPECT_LT(county_push.high, 1.0) << "margin " << 1.0 - county_push.high;
  EXPECT_GT(runs.difference("every_level_engaged", "township_hours_targets_total").low, 0.0);
  EXPECT_GT(runs.difference("every_level_engaged", "target_first_real_mean").low, 0.0);
}

// F10 (S2 energy supply vs work safety): two rigid targets on one township conflict [1] and the county
// ranks one first [2]: the shortfall cannot be avoided in any replication, and the township trades the
// second target off for the first.
TEST(SocietyFacts, F10_ConflictingRigidTargetsCannotBothBeMet) {
  const Runs runs(scenario_file("f10_conflicting_targets.yaml"));
  const auto shortfall = runs.summary("conflicting", "target_shortfall_mean");
  EXPECT_GT(*std::min_element(shortfall.begin(), shortfall.end()), 0.2);
  EXPECT_GT(runs.difference("conflicting", "target_shortfall_mean", "first_ranked").low, 0.0);
  const auto first = runs.summary("conflicting", "target_first_real_mean");
  const auto second = runs.summary("conflicting", "target_second_real_mean");
  const auto traded = sim::paired_difference(first, second);
  std::printf("F10 first - second real attainment: %.4g [%.4g, %.4g]\n", traded.mean, traded.low, traded.high);
  EXPECT_GT(traded.low, 0.0);
}

// F11 (S2 "要求百分百完成"): a larger escalation margin at each level [1]: the target demanded of townships
// exceeds what the voluntary programme can reach, reported attainment exceeds real by more, and
// townships put more hours into the target.
TEST(SocietyFacts, F11_EscalationMakesTargetsInfeasibleAndReportsExceedReality) {
  const Runs runs(scenario_file("f11_target_escalation.yaml"));
  const auto demanded = level(runs, "target_demanded_run_mean", "F11", "escalated");
  EXPECT_GT(demanded.low, 0.85) << "feasible 0.85; margin " << demanded.low - 0.85;
  for (const char* outcome : {"target_overreport_mean", "target_shortfall_mean", "township_hours_targets_total",
                              "township_fatigue_mean"})
    EXPECT_GT(runs.difference("escalated", outcome).low, 0.0) << outcome;
}

// F12 (S2 "大大小小总共13项,而且全都要调度评比", S3): every programme dispatched and ranked [1] and pushed
// more often [2]: reporting crowds out service, fatigue and turnover rise, citizens wait longer.
TEST(SocietyFacts, F12_DispatchedAndRankedItemsCrowdOutServiceAndTireTownships) {
  const Runs runs(scenario_file("f12_dispatch_load.yaml"));
  for (const char* outcome : {"township_hours_reporting_total", "citizen_intake_wait_mean", "citizen_abandoned_share",
                              "township_fatigue_mean", "township_turnover_total", "citizen_time_to_resolution_mean"})
    EXPECT_GT(runs.difference("dispatched_ranked", outcome).low, 0.0) << outcome;
}

// F13 (S3 "将全县12个乡镇划分为4个片区"): the clusters variant: cases closed faster, fewer petitions, with
// the officers taken from the townships' own staff.
TEST(SocietyFacts, F13_ClustersHandleCasesFasterWithFewerPetitions) {
  const Runs runs(scenario_file("f13_clusters.yaml"));
  EXPECT_LT(runs.difference("clusters", "township_case_time_mean").high, 0.0);
  EXPECT_LT(runs.difference("clusters", "petitions_total").high, 0.0);
}

// F14 (S3 益村): the service platform variant: fewer trips, less township paperwork and intake, shorter
// time to resolution.
TEST(SocietyFacts, F14_PlatformCutsTripsPaperworkAndTime) {
  const Runs runs(scenario_file("f14_platform.yaml"));
  EXPECT_LT(runs.difference("service_platform", "citizen_trips_per_demand").high, 0.0);
  EXPECT_LT(runs.difference("service_platform", "township_hours_service_total").high, 0.0);
  EXPECT_LT(runs.difference("service_platform", "citizen_time_to_resolution_mean").high, 0.0);
}

// F15 (S2, S3): coordination upstairs lightens the load downstairs.
TEST(SocietyFacts, F15_LeadingGroupOrInformationSharingCutTownshipDuplicatesAndReporting) {
  const Runs runs(scenario_file("f15_coordination_upstairs.yaml"));
  for (const char* v : {"leading_group", "information_platform"}) {
    EXPECT_LT(runs.difference(v, "township_duplicate_tasks_total").high, 0.0) << v;
    EXPECT_LT(runs.difference(v, "township_hours_reporting_total").high, 0.0) << v;
  }
}

// F16 (S2, S3): the needle limits the lines: overloaded townships [F12's two changes] make county joint
// tasks late — through the township share of joint items and the requests townships send up (with both
// channels broken the loss shrinks) — and delegated authority raises departments' on-time delivery.
TEST(SocietyFacts, F16_OverloadedTownshipsMakeJointTasksLateAuthorityHelps) {
  const Runs runs(scenario_file("f16_township_load.yaml"));
  const auto late = runs.difference("overloaded_townships", "share_on_time");
  EXPECT_LT(late.high, 0.0);
  EXPECT_GT(runs.difference("delegated_authority", "share_on_time").low, 0.0);
  // Knock-out: with the township share of joint items and the requests townships send up both
  // broken, the loss shrinks (late.mean < 0).
  const Runs off(scenario_file("f16_township_load.yaml", {"coupling.township_share=false", "coupling.requests=false"}));
  const auto without = off.difference("overloaded_townships", "share_on_time");
  EXPECT_GT(without.mean, 0.5 * late.mean);
}

}  // namespace
}  // namespace coordsim::models::society
