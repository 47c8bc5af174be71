// F11 (MODEL.md §6, seed S2 vaccine and 95% insurance floor): escalation through levels makes
// grassroots targets infeasible: reported attainment exceeds real attainment, and fatigue rises.
// Scenario: scenarios/governance/f11_target_escalation.yaml.
#include <cstdio>

#include "facts_support.hpp"

namespace coordsim::facts {
namespace {

const FactRun& run() { return shared_run("f11_target_escalation.yaml"); }

std::vector<double> gap(const char* variant) {
  const auto reported = run().summary(variant, "attainment_reported_mean");
  const auto real = run().summary(variant, "attainment_real_mean");
  std::vector<double> values(real.size());
  for (std::size_t k = 0; k < real.size(); ++k) values[k] = reported[k] - real[k];
  return values;
}

TEST(F11TargetEscalation, TargetsBecomeInfeasible) {
  expect_sound_batch(run(), 10);
  const sim::Interval real = sim::mean_interval(run().summary("escalation", "attainment_real_mean"));
  const sim::Interval base = sim::mean_interval(run().summary("no_escalation", "attainment_real_mean"));
  std::printf("F11 attainment_real_mean escalation = %.4f [%.4f, %.4f], no_escalation = %.4f [%.4f, %.4f]\n", real.mean,
              real.low, real.high, base.mean, base.low, base.high);
  EXPECT_LT(real.high, 0.95);
  const sim::Interval d = sim::paired_difference(run().summary("escalation", "attainment_real_mean"),
                                                 run().summary("no_escalation", "attainment_real_mean"));
  EXPECT_LT(d.high, 0.0);
}

TEST(F11TargetEscalation, ReportedAttainmentExceedsReal) {
  const sim::Interval escalated = sim::mean_interval(gap("escalation"));
  const sim::Interval d = sim::paired_difference(gap("escalation"), gap("no_escalation"));
  std::printf("F11 reported - real: escalation = %.4f [%.4f, %.4f]; escalation - no_escalation = %.4f [%.4f, %.4f]\n",
              escalated.mean, escalated.low, escalated.high, d.mean, d.low, d.high);
  EXPECT_GT(escalated.low, 0.0);
  EXPECT_GT(d.low, 0.0);
}

TEST(F11TargetEscalation, FatigueRises) {
  const sim::Interval d = sim::paired_difference(run().summary("escalation", "township_fatigue_mean"),
                                                 run().summary("no_escalation", "township_fatigue_mean"));
  std::printf("F11 township_fatigue_mean escalation - no_escalation = %.4f [%.4f, %.4f]\n", d.mean, d.low, d.high);
  EXPECT_GT(d.low, 0.0);
}

}  // namespace
}  // namespace coordsim::facts
