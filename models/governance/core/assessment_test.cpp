// Assessment regimes (MODEL.md §4.3): the w_assess term of an item's utility.
#include "assessment.hpp"

#include <gtest/gtest.h>

#include "governance_support.hpp"

namespace coordsim::models::governance {
namespace {

AssessmentParameters regime(Regime r) {
  AssessmentParameters a = Parameters::read(testing::parameters()).assessment;
  a.regime = r;
  a.weight_lead = 1.0;
  a.weight_cooperation = 0.7;
  a.weight_lead_evaluates = 0.8;
  a.weight_joint = 0.4;
  return a;
}

TEST(Assessment, OutcomeOnlyScoresOnlyTheLead) {
  const auto a = regime(Regime::OutcomeOnly);
  EXPECT_EQ(assessment_weight(a, false, 0.35), 0.0);
  EXPECT_EQ(assessment_weight(a, false, 0.95), 0.0);
  EXPECT_EQ(assessment_weight(a, true, 0.35), 1.0);
}

TEST(Assessment, CooperationDegreeScoresEveryOwner) {
  const auto a = regime(Regime::CooperationDegree);
  EXPECT_EQ(assessment_weight(a, false, 0.35), 0.7);
  EXPECT_EQ(assessment_weight(a, false, 0.95), 0.7);  // independent of who leads
}

TEST(Assessment, LeadEvaluatesWeighsByTheLeadsRank) {
  const auto a = regime(Regime::LeadEvaluates);
  EXPECT_GT(assessment_weight(a, false, 0.35), 0.0);
  EXPECT_GT(assessment_weight(a, false, 0.9), assessment_weight(a, false, 0.35));
  EXPECT_DOUBLE_EQ(assessment_weight(a, false, 0.5), 0.4);
}

TEST(Assessment, JointSharesTheOutcome) {
  const auto a = regime(Regime::Joint);
  EXPECT_EQ(assessment_weight(a, false, 0.35), 0.4);
  EXPECT_EQ(assessment_weight(a, true, 0.35), 1.0);
}

Regime read_regime(const std::string& name) {
  sim::ParamSet set(schema());
  set.set("assessment.regime", name);
  return Parameters::read(set).assessment.regime;
}

TEST(Assessment, ReadsEveryRegimeName) {
  EXPECT_EQ(read_regime("outcome_only"), Regime::OutcomeOnly);
  EXPECT_EQ(read_regime("cooperation_degree"), Regime::CooperationDegree);
  EXPECT_EQ(read_regime("lead_evaluates"), Regime::LeadEvaluates);
  EXPECT_EQ(read_regime("joint"), Regime::Joint);
  EXPECT_THROW(read_regime("promotion"), std::invalid_argument);
}

}  // namespace
}  // namespace coordsim::models::governance
