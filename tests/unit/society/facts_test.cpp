// Stylized facts of MODEL.md §7 from the one county (scenarios/society.yaml): each fact is the county
// plus at most three changes named here (a scale change such as one 50-department task counts as one),
// compared with the same county without them on common random numbers, over 10 replications; the
// measured interval is printed and recorded (RecordProperty) with its margin to the threshold.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>

#include "society_support.hpp"

namespace coordsim::models::society {
namespace {

// F1 (S0 "50多个部门配合……过半部门到期迟交、漏交材料"): the county's joint tasks each draw on 50
// departments [1, scale] and ask for material submissions only [2]; weak peer lead and outcome-only
// assessment as in the county.
TEST(SocietyFacts, F1_FiftyDepartmentsWeakLeadMoreThanHalfLateOrMissing) {
  const Runs f1(county({"tasks.participants=50", "tasks.material_share=1"}), {"baseline", "high_rank_lead"});
  const auto on_time = level(f1, "share_on_time", "F1");
  EXPECT_LT(on_time.high, 0.5) << "margin " << 0.5 - on_time.high;
  // Not an input restated: a high-rank lead on the same task changes it.
  EXPECT_GT(f1.difference("high_rank_lead", "share_on_time").low, 0.0);
}

// F2 (S0 李冰 "到岗两个多月仍没下一线"): a detached task force [1, 2] without role assignments [3].
TEST(SocietyFacts, F2_TaskForceWithoutRolesLeavesSecondedStaffIdle) {
  const Runs none(county({"taskforce.enabled=true", "taskforce.detached=true", "taskforce.roles=false"}), {"baseline"});
  const Runs roles(county({"taskforce.enabled=true", "taskforce.detached=true"}), {"baseline"});
  const auto idle = level(none, "seconded_idle_days_mean", "F2");
  EXPECT_GE(idle.low, 40.0) << "margin " << idle.low - 40.0;
  EXPECT_GT(paired(none, roles, "seconded_idle_days_mean", "F2_roles").low, 0.0);
}

// F4 (S0): with a task force [1], detachment [2] raises its output; non-detached staff answer home calls.
TEST(SocietyFacts, F4_DetachmentRaisesTaskForceOutput) {
  const Runs home(county({"taskforce.enabled=true"}), {"baseline"});
  const Runs detached(county({"taskforce.enabled=true", "taskforce.detached=true"}), {"baseline"});
  EXPECT_GT(paired(detached, home, "share_on_time", "F4").low, 0.0);
  EXPECT_LT(paired(detached, home, "items_overdue_mean", "F4").high, 0.0);
}

// F3 (S0, S1): the county's assessment variants (one change each).
TEST(SocietyFacts, F3_CooperationOrLeadEvaluationRaisesOnTimeAndSparesTheLead) {
  const Runs runs(county(), {"baseline", "cooperation_assessment", "lead_evaluates"});
  for (const char* v : {"cooperation_assessment", "lead_evaluates"}) {
    EXPECT_GT(runs.difference(v, "share_on_time").low, 0.0) << v;
    EXPECT_LT(runs.difference(v, "lead_hours_own_total").high, 0.0) << v;
  }
}

// F5 (S4): a high-rank lead or a leading group finishes sooner; leading groups for every task dilute
// the chair's attention (grouped tasks do worse when every task has one than when a quarter do).
TEST(SocietyFacts, F5_RankAndLeadingGroupsHelpButDiluteWhenEveryTaskHasOne) {
  const Runs runs(county(), {"baseline", "high_rank_lead", "leading_group"});
  EXPECT_GT(runs.difference("high_rank_lead", "share_on_time").low, 0.0);
  EXPECT_GT(runs.difference("leading_group", "share_on_time").low, 0.0);
  // Only a quarter of the tasks are grouped in one arm: 30 replications for their few items.
  const Runs few(county({"tasks.leading_group=true", "tasks.leading_group_share=0.25", "run.replications=30"}), {"baseline"});
  const Runs all(county({"tasks.leading_group=true", "run.replications=30"}), {"baseline"});
  EXPECT_LT(paired(all, few, "share_on_time_grouped", "F5_dilution").high, 0.0);
}

// F6 (S4): sequential sign-off (the county) against one-stop handling: passing back and abandonment
// higher; weak accountability [1] raises passing back; more joint-task load [1, scale] raises it too.
TEST(SocietyFacts, F6_SequentialSignOffWeakAccountabilityAndLoadRaisePassingBack) {
  const Runs runs(county(), {"baseline", "one_stop"});
  EXPECT_LT(runs.difference("one_stop", "citizen_passed_back_total").high, 0.0);
  EXPECT_LT(runs.difference("one_stop", "citizen_abandoned_share").high, 0.0);
  const Runs base(county(), {"baseline"});
  const Runs weak(county({"commission.audit_probability=0.1"}), {"baseline"});
  EXPECT_GT(paired(weak, base, "citizen_passed_back_total", "F6_weak_accountability").low, 0.0);
  const Runs loaded(county({"tasks.count=16"}), {"baseline"});
  EXPECT_GT(paired(loaded, base, "citizen_passed_back_total", "F6_loaded").low, 0.0);
}

// F7 (S4 "卫健局牵头……只进行了微调"): conflicting goals on every task [1] with the county's mediating-only
// lead: conflicts stall unless leadership attention is high [2], and stall more when petitions compete [2].
TEST(SocietyFacts, F7_ConflictsStallUnlessAttentionIsHighAndMoreWithPetitions) {
  const Runs conflict(county({"decisions.conflict_share=1"}), {"baseline", "high_rank_lead"});
  const Runs attentive(county({"decisions.conflict_share=1", "leadership.attention_budget=6"}), {"baseline"});
  const Runs petitions(county({"decisions.conflict_share=1", "citizens.petition_share=0.8"}), {"baseline"});
  EXPECT_LT(paired(attentive, conflict, "conflict_stall_steps_total", "F7_attention").high, 0.0);
  EXPECT_GT(paired(petitions, conflict, "conflict_stall_steps_total", "F7_petitions").low, 0.0);
  EXPECT_GT(level(conflict, "conflict_stall_steps_total", "F7").low, 0.0);
}

// F8 (S4 "纪委监委包打天下"): referral for every task (the county variant): the queue grows, deterrence
// falls and overdue items rise; with p̂_acc fixed (no learning from clearance) the last effect vanishes.
TEST(SocietyFacts, F8_ReferralForEveryTaskFloodsTheCommissionAndOverdueRise) {
  const Runs runs(county(), {"baseline", "referral_every_task"});
  EXPECT_GT(runs.difference("referral_every_task", "discipline_queue_mean").low, 0.0);
  EXPECT_LT(runs.difference("referral_every_task", "deterrence_mean").high, 0.0);
  const auto overdue = runs.difference("referral_every_task", "items_overdue_mean");
  EXPECT_GT(overdue.low, 0.0);
  const Runs fixed(county({"commission.learn=false"}), {"baseline", "referral_every_task"});
  const auto without = fixed.difference("referral_every_task", "items_overdue_mean");
  EXPECT_LT(without.mean, 0.5 * overdue.mean);
}

// F9 (S4 "上热、中温、下凉"): the campaign behind the county's rigid targets loses force at each level
// that is not engaged — the county level pushes it only partly — and townships give it fewer hours and
// reach less than when every level below the top is engaged [1].
TEST(SocietyFacts, F9_EffortAttenuatesDownTheLevelsUnlessEveryLevelIsEngaged) {
  const Runs base(county(), {"baseline"});
  const Runs engaged(county({"targets.engaged_levels=2"}), {"baseline"});
  const auto county_push = level(base, "target_county_engagement_mean", "F9");
  EXPECT_LT(county_push.high, 1.0) << "margin " << 1.0 - county_push.high;
  EXPECT_GT(paired(engaged, base, "township_hours_targets_total", "F9").low, 0.0);
  EXPECT_GT(paired(engaged, base, "target_first_real_mean", "F9").low, 0.0);
}

// F10 (S2 energy supply vs work safety): two rigid targets on one township conflict [1] and the county
// ranks one first [2]: the shortfall cannot be avoided in any replication, and the township trades the
// second target off for the first.
TEST(SocietyFacts, F10_ConflictingRigidTargetsCannotBothBeMet) {
  const Runs conflict(county({"targets.conflict=1", "targets.first_priority=2"}), {"baseline"});
  const Runs base(county({"targets.first_priority=2"}), {"baseline"});
  const auto shortfall = conflict.summary("baseline", "target_shortfall_mean");
  EXPECT_GT(*std::min_element(shortfall.begin(), shortfall.end()), 0.2);
  EXPECT_GT(paired(conflict, base, "target_shortfall_mean", "F10").low, 0.0);
  const auto first = conflict.summary("baseline", "target_first_real_mean");
  const auto second = conflict.summary("baseline", "target_second_real_mean");
  const auto traded = sim::paired_difference(first, second);
  std::printf("F10 first - second real attainment: %.4g [%.4g, %.4g]\n", traded.mean, traded.low, traded.high);
  EXPECT_GT(traded.low, 0.0);
}

// F11 (S2 "要求百分百完成"): a larger escalation margin at each level [1]: the target demanded of townships
// exceeds what the voluntary programme can reach, reported attainment exceeds real by more, and
// townships put more hours into the target.
TEST(SocietyFacts, F11_EscalationMakesTargetsInfeasibleAndReportsExceedReality) {
  const Runs base(county(), {"baseline"});
  const Runs escalated(county({"targets.margin=0.2"}), {"baseline"});
  const auto demanded = level(escalated, "target_demanded_run_mean", "F11");
  EXPECT_GT(demanded.low, 0.85) << "feasible 0.85; margin " << demanded.low - 0.85;
  EXPECT_GT(paired(escalated, base, "target_overreport_mean", "F11").low, 0.0);
  EXPECT_GT(paired(escalated, base, "target_shortfall_mean", "F11").low, 0.0);
  EXPECT_GT(paired(escalated, base, "township_hours_targets_total", "F11").low, 0.0);
  EXPECT_GT(paired(escalated, base, "township_fatigue_mean", "F11").low, 0.0);
}

// F12 (S2 "大大小小总共13项,而且全都要调度评比", S3): every programme dispatched and ranked [1] and pushed
// more often [2]: reporting crowds out service, fatigue and turnover rise, citizens wait longer.
TEST(SocietyFacts, F12_DispatchedAndRankedItemsCrowdOutServiceAndTireTownships) {
  const Runs base(county(), {"baseline"});
  const Runs ranked(county({"townships.dispatched=20", "townships.push_rate=0.05"}), {"baseline"});
  EXPECT_GT(paired(ranked, base, "township_hours_reporting_total", "F12").low, 0.0);
  EXPECT_GT(paired(ranked, base, "citizen_intake_wait_mean", "F12").low, 0.0);
  EXPECT_GT(paired(ranked, base, "citizen_abandoned_share", "F12").low, 0.0);
  EXPECT_GT(paired(ranked, base, "township_fatigue_mean", "F12").low, 0.0);
  EXPECT_GT(paired(ranked, base, "township_turnover_total", "F12").low, 0.0);
  EXPECT_GT(paired(ranked, base, "citizen_time_to_resolution_mean", "F12").low, 0.0);
}

// F13 (S3 "将全县12个乡镇划分为4个片区"): the clusters variant: cases closed faster, fewer petitions, with
// the officers taken from the townships' own staff.
TEST(SocietyFacts, F13_ClustersHandleCasesFasterWithFewerPetitions) {
  const Runs runs(county(), {"baseline", "clusters"});
  EXPECT_LT(runs.difference("clusters", "township_case_time_mean").high, 0.0);
  EXPECT_LT(runs.difference("clusters", "petitions_total").high, 0.0);
}

// F14 (S3 益村): the service platform variant: fewer trips, less township paperwork and intake, shorter
// time to resolution.
TEST(SocietyFacts, F14_PlatformCutsTripsPaperworkAndTime) {
  const Runs runs(county(), {"baseline", "service_platform"});
  EXPECT_LT(runs.difference("service_platform", "citizen_trips_per_demand").high, 0.0);
  EXPECT_LT(runs.difference("service_platform", "township_hours_service_total").high, 0.0);
  EXPECT_LT(runs.difference("service_platform", "citizen_time_to_resolution_mean").high, 0.0);
}

// F15 (S2, S3): coordination upstairs lightens the load downstairs.
TEST(SocietyFacts, F15_LeadingGroupOrInformationSharingCutTownshipDuplicatesAndReporting) {
  const Runs runs(county(), {"baseline", "leading_group", "information_platform"});
  for (const char* v : {"leading_group", "information_platform"}) {
    EXPECT_LT(runs.difference(v, "township_duplicate_tasks_total").high, 0.0) << v;
    EXPECT_LT(runs.difference(v, "township_hours_reporting_total").high, 0.0) << v;
  }
}

// F16 (S2, S3): the needle limits the lines: overloaded townships [F12's two changes] make county joint
// tasks late — through the township share of joint items and the requests townships send up (with both
// channels broken the loss shrinks) — and delegated authority raises departments' on-time delivery.
TEST(SocietyFacts, F16_OverloadedTownshipsMakeJointTasksLateAuthorityHelps) {
  const Runs base(county(), {"baseline", "delegated_authority"});
  const Runs loaded(county({"townships.dispatched=20", "townships.push_rate=0.05"}), {"baseline"});
  const auto late = paired(loaded, base, "share_on_time", "F16_load");
  EXPECT_LT(late.high, 0.0);
  EXPECT_GT(base.difference("delegated_authority", "share_on_time").low, 0.0);
  const Runs base_off(county({"coupling.township_share=false", "coupling.requests=false"}), {"baseline"});
  const Runs loaded_off(county({"coupling.township_share=false", "coupling.requests=false", "townships.dispatched=20",
                                "townships.push_rate=0.05"}),
                        {"baseline"});
  const auto without = paired(loaded_off, base_off, "share_on_time", "F16_knockout");
  EXPECT_GT(without.mean, 0.5 * late.mean);  // the loss shrinks (late.mean < 0)
}

}  // namespace
}  // namespace coordsim::models::society
