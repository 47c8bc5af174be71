// Docking with analytic results (MODEL.md §9): the commission's referral queue against the M/D/1 queue
// and Little's law; joint assessment's free-riding growing with team size (Holmström 1982). The T → 0
// corner of the choice rule is in models/society/choice_test.cpp.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <vector>

#include "society.hpp"
#include "society_support.hpp"

namespace coordsim::models::society {
namespace {

// With one case closed per step exactly (case hours = staff hours, every hour given to the queue at
// T → 0, no core work) and Poisson(λ) referrals per step, the number waiting after each step follows
// Q' = max(0, Q + A − 1), whose stationary mean is the M/D/1 queue length λ² / (2 (1 − λ)).
TEST(SocietyDocking, CommissionQueueMatchesMD1AndLittlesLaw) {
  auto scenario = county({"commission.referral=none", "commission.core_arrivals=0", "commission.case_hours=8",
                          "commission.staff_hours=8", "choice.commission_temperature=1e-6", "commission.w_referral=5"});
  const sim::Rng rng(17, 0);
  State s = generate(composition()->read(scenario.base), rng);
  const sim::ExecutionContext execution(1);
  const std::size_t phase = composition()->phase_index(kPhaseCommission);
  const double lambda = 0.7;
  const std::size_t steps = 200000, warmup = 1000, batches = 20;
  std::vector<double> batch(batches, 0.0);
  double queue_sum = 0.0, waits = 0.0;
  std::size_t arrived = 0;
  for (std::size_t step = 0; step < steps; ++step) {
    s.flows = Flows{};
    auto draw = rng.stream(step, 0, 999);
    const auto n = draw.poisson(lambda);
    for (std::int64_t k = 0; k < n; ++k) s.commission_queue.push_back({0, static_cast<std::int64_t>(step), 8.0});
    composition()->run_phase(phase, s, sim::StepContext{step, rng, execution});
    if (step < warmup) continue;
    const double q = static_cast<double>(s.commission_queue.size());
    queue_sum += q;
    batch[(step - warmup) * batches / (steps - warmup)] += q;
    arrived += static_cast<std::size_t>(n);
    waits += s.flows.wait_closed;
  }
  const double observed = queue_sum / static_cast<double>(steps - warmup);
  double mean_b = 0.0, var_b = 0.0;
  for (auto& b : batch) b /= static_cast<double>(steps - warmup) / batches;
  for (const double b : batch) mean_b += b / batches;
  for (const double b : batch) var_b += (b - mean_b) * (b - mean_b) / (batches - 1);
  const double se = std::sqrt(var_b / batches);
  const double theory = lambda * lambda / (2.0 * (1.0 - lambda));
  std::printf("commission queue: %.4f (batch SE %.4f), M/D/1 %.4f\n", observed, se, theory);
  RecordProperty("md1_queue", std::to_string(observed) + " ± " + std::to_string(se) + " vs " + std::to_string(theory));
  EXPECT_NEAR(observed, theory, 4.0 * se + 1e-3);
  // Little's law: cases waiting = arrival rate × mean wait before service (each closed case waited
  // `wait` steps counted from the step it arrived; the one in service is not waiting at the step's end).
  const double rate = static_cast<double>(arrived) / static_cast<double>(steps - warmup);
  const double mean_wait = waits / static_cast<double>(arrived);
  EXPECT_NEAR(observed, rate * mean_wait, 0.05 * observed);
}

// Joint assessment divides the shared outcome's weight over the participants: with more participants
// each owner's stake falls and on-time delivery falls faster with team size than under the
// cooperation-degree regime, which scores each owner on its own items.
TEST(SocietyDocking, JointAssessmentFreeRidingGrowsWithTeamSize) {
  auto run = [](const char* regime, int participants) {
    return Runs(county({std::string("tasks.regime=") + regime, "tasks.participants=" + std::to_string(participants)}),
                {"baseline"})
        .summary("baseline", "share_on_time");
  };
  const auto joint_small = run("joint", 4), joint_large = run("joint", 24);
  const auto coop_small = run("cooperation_degree", 4), coop_large = run("cooperation_degree", 24);
  std::vector<double> contrast;
  for (std::size_t r = 0; r < joint_small.size(); ++r)
    contrast.push_back((joint_large[r] - joint_small[r]) - (coop_large[r] - coop_small[r]));
  const auto joint_drop = sim::paired_difference(joint_large, joint_small);
  const auto c = sim::mean_interval(contrast);
  std::printf("joint: 24 - 4 participants %.4f [%.4f, %.4f]; minus cooperation's %.4f [%.4f, %.4f]\n", joint_drop.mean,
              joint_drop.low, joint_drop.high, c.mean, c.low, c.high);
  RecordProperty("free_riding_contrast", std::to_string(c.mean) + " [" + std::to_string(c.low) + ", " +
                                             std::to_string(c.high) + "]");
  EXPECT_LT(joint_drop.high, 0.0);
  EXPECT_LT(c.high, 0.0);
}

}  // namespace
}  // namespace coordsim::models::society
