#include "services/gateway/findings.h"

#include <algorithm>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/gateway/sample_inputs.h"

namespace fazhi::gateway {
namespace {

namespace v1 = fazhi::gateway::v1;
namespace sv1 = fazhi::study::v1;
using ::testing::AllOf;
using ::testing::Each;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using samples::SampleInputs;

std::vector<Finding> OfType(const std::vector<Finding>& all, v1::FindingType type) {
  std::vector<Finding> out;
  std::copy_if(all.begin(), all.end(), std::back_inserter(out),
               [type](const Finding& f) { return f.type == type; });
  return out;
}

std::vector<std::string> Ids(const std::vector<Finding>& all) {
  std::vector<std::string> ids;
  for (const Finding& f : all) ids.push_back(f.id);
  return ids;
}

TEST(FindingsTest, AMissedLeadershipQuarter) {
  const auto found = OfType(DeriveFindings(SampleInputs(), {}), v1::FINDING_TYPE_LEADERSHIP_QUARTER_MISSED);
  ASSERT_THAT(found, SizeIs(1));
  EXPECT_EQ(found[0].id, "study.leadership.quarter_missed.q3");
  EXPECT_EQ(found[0].text, "第三季度未开展党组（中心组）学法，未做到每季度至少学法一次。");
  ASSERT_THAT(found[0].evidence, SizeIs(1));
  EXPECT_THAT(found[0].evidence[0],
              AllOf(HasSubstr("study GetStudySummary orgs/test-minzheng 2024"), HasSubstr("第三季度")));
  EXPECT_FALSE(found[0].suppressed);
}

TEST(FindingsTest, EveryMissedQuarterIsItsOwnFinding) {
  YearInputs in = SampleInputs();
  in.study->add_leadership_quarters_missed(4);
  const auto found = OfType(DeriveFindings(in, {}), v1::FINDING_TYPE_LEADERSHIP_QUARTER_MISSED);
  EXPECT_THAT(Ids(found), ElementsAre("study.leadership.quarter_missed.q3",
                                      "study.leadership.quarter_missed.q4"));
}

TEST(FindingsTest, APlanRuleMissedNamesItsPeriods) {
  const auto found = OfType(DeriveFindings(SampleInputs(), {}), v1::FINDING_TYPE_PLAN_TARGET_MISSED);
  // The satisfied lecture rule gives nothing.
  ASSERT_THAT(found, SizeIs(1));
  EXPECT_EQ(found[0].id, "study.plan.rule.3.1");  // ALL_STAFF, MONTH
  EXPECT_EQ(found[0].text, "学法计划要求每月至少开展1次集中学习，7月、8月未达到。");
  ASSERT_THAT(found[0].evidence, SizeIs(1));
  EXPECT_THAT(found[0].evidence[0], HasSubstr("periods_missed 7,8"));
}

TEST(FindingsTest, AQuarterlyRuleNamesQuarters) {
  YearInputs in = SampleInputs();
  auto* rule = in.study->add_rules();
  rule->mutable_rule()->set_kind(sv1::STUDY_KIND_LEADERSHIP_GROUP);
  rule->mutable_rule()->set_period(sv1::RULE_PERIOD_QUARTER);
  rule->mutable_rule()->set_min_sessions(1);
  rule->add_periods_missed(3);
  const auto found = OfType(DeriveFindings(in, {}), v1::FINDING_TYPE_PLAN_TARGET_MISSED);
  ASSERT_THAT(found, SizeIs(2));
  EXPECT_EQ(found[1].id, "study.plan.rule.1.2");
  EXPECT_EQ(found[1].text, "学法计划要求每季度至少开展1次党组（中心组）学法，第三季度未达到。");
}

TEST(FindingsTest, NoPlanAndALatePlan) {
  YearInputs in = SampleInputs();
  in.study->set_has_plan(false);
  auto found = DeriveFindings(in, {});
  auto plan = OfType(found, v1::FINDING_TYPE_STUDY_PLAN);
  ASSERT_THAT(plan, SizeIs(1));
  EXPECT_EQ(plan[0].id, "study.plan.missing");
  EXPECT_THAT(plan[0].text, HasSubstr("2024年度学法计划"));
  // Without a plan its rules and the oath coverage are not judged.
  EXPECT_THAT(OfType(found, v1::FINDING_TYPE_PLAN_TARGET_MISSED), IsEmpty());
  EXPECT_THAT(OfType(found, v1::FINDING_TYPE_OATH_COVERAGE), IsEmpty());

  in = SampleInputs();
  in.study->set_plan_adopted_in_first_quarter(false);
  plan = OfType(DeriveFindings(in, {}), v1::FINDING_TYPE_STUDY_PLAN);
  ASSERT_THAT(plan, SizeIs(1));
  EXPECT_EQ(plan[0].id, "study.plan.late");
}

TEST(FindingsTest, OathCoverageBelowFull) {
  auto found = OfType(DeriveFindings(SampleInputs(), {}), v1::FINDING_TYPE_OATH_COVERAGE);
  ASSERT_THAT(found, SizeIs(1));
  EXPECT_EQ(found[0].id, "study.oath.coverage");
  EXPECT_EQ(found[0].text, "宪法宣誓覆盖率为87%，应宣誓46人，实际40人。");

  YearInputs in = SampleInputs();
  in.study->set_oath_coverage_percent(100);
  in.study->set_oath_takers(46);
  EXPECT_THAT(OfType(DeriveFindings(in, {}), v1::FINDING_TYPE_OATH_COVERAGE), IsEmpty());
}

TEST(FindingsTest, UnderstaffedPowersGroupedByDomain) {
  const auto found = OfType(DeriveFindings(SampleInputs(), {}), v1::FINDING_TYPE_POWER_UNDERSTAFFED);
  ASSERT_THAT(found, SizeIs(2));
  std::vector<std::string> texts = {found[0].text, found[1].text};
  EXPECT_THAT(texts, ::testing::UnorderedElementsAre(
                         "养老服务领域有2项执法事项持有效执法证的执法人员不足两人，执法力量薄弱。",
                         // The unassigned power counts with the understaffed one.
                         "殡葬领域有2项执法事项持有效执法证的执法人员不足两人，执法力量薄弱。"));
  for (const Finding& f : found) {
    EXPECT_THAT(f.id, ::testing::MatchesRegex("duty\\.understaffed\\.d-[0-9a-f]{8}"));
    ASSERT_THAT(f.evidence, SizeIs(2));
    EXPECT_THAT(f.evidence, Each(HasSubstr("duty GetDutySummary orgs/test-minzheng 2024")));
  }
  EXPECT_NE(found[0].id, found[1].id);
  const Finding& elderly = found[0].text.rfind("养老服务", 0) == 0 ? found[0] : found[1];
  EXPECT_THAT(elderly.evidence[0], HasSubstr("000117001000"));
  EXPECT_THAT(elderly.evidence[0], HasSubstr("有效持证执法人员1人，需2人"));
  EXPECT_THAT(elderly.evidence[1], HasSubstr("000117002000"));
  // Ids are stable: the same domain gives the same id in another year.
  YearInputs other = SampleInputs();
  other.year = 2025;
  const auto again = OfType(DeriveFindings(other, {}), v1::FINDING_TYPE_POWER_UNDERSTAFFED);
  EXPECT_EQ(Ids(again), Ids(found));
}

TEST(FindingsTest, DomainWithoutLegalReviewer) {
  const auto found = OfType(DeriveFindings(SampleInputs(), {}), v1::FINDING_TYPE_NO_LEGAL_REVIEWER);
  ASSERT_THAT(found, SizeIs(1));
  EXPECT_THAT(found[0].id, ::testing::StartsWith("duty.no_legal_reviewer.d-"));
  EXPECT_THAT(found[0].text, ::testing::StartsWith("殡葬领域没有具备法律职业资格"));
  EXPECT_THAT(found[0].evidence[0], HasSubstr("殡葬领域无具备法律职业资格的持证执法人员"));
}

TEST(FindingsTest, LapsedCertificatesButNotExpiringOnes) {
  const auto found = OfType(DeriveFindings(SampleInputs(), {}), v1::FINDING_TYPE_CERTIFICATE_LAPSED);
  ASSERT_THAT(found, SizeIs(1));
  EXPECT_EQ(found[0].id, "duty.certificates.lapsed");
  EXPECT_EQ(found[0].text, "有2名执法人员的执法证已过期或失效，未及时换证。");
  ASSERT_THAT(found[0].evidence, SizeIs(2));
  EXPECT_THAT(found[0].evidence[0], HasSubstr("张三 执法证4104231002018001"));
  EXPECT_THAT(found[0].evidence[1], HasSubstr("李四"));
  for (const auto& e : found[0].evidence) EXPECT_THAT(e, ::testing::Not(HasSubstr("王五")));
}

TEST(FindingsTest, TrainingShort) {
  const auto found = OfType(DeriveFindings(SampleInputs(), {}), v1::FINDING_TYPE_TRAINING_SHORT);
  ASSERT_THAT(found, SizeIs(1));
  EXPECT_EQ(found[0].text, "有1名执法人员年度培训学时未达到60学时的要求。");
  EXPECT_THAT(found[0].evidence[0], HasSubstr("赵六 培训24学时，要求60学时"));
}

TEST(FindingsTest, StudyFindingsComeBeforeDutyFindings) {
  const auto found = DeriveFindings(SampleInputs(), {});
  ASSERT_THAT(found, SizeIs(8));
  EXPECT_EQ(found.front().id, "study.leadership.quarter_missed.q3");
  bool in_duty = false;
  for (const Finding& f : found) {
    const bool duty = f.id.rfind("duty.", 0) == 0;
    EXPECT_TRUE(duty || !in_duty) << f.id << " after a duty finding";
    in_duty = in_duty || duty;
  }
}

TEST(FindingsTest, SuppressionById) {
  const auto all = DeriveFindings(SampleInputs(), {});
  std::string understaffed_id;
  for (const Finding& f : all) {
    if (f.type == v1::FINDING_TYPE_POWER_UNDERSTAFFED) understaffed_id = f.id;
  }
  const auto found = DeriveFindings(
      SampleInputs(), {"study.leadership.quarter_missed.q3", understaffed_id, "no.such.finding"});
  ASSERT_EQ(found.size(), all.size());  // suppressed findings are listed, flagged
  int suppressed = 0;
  for (const Finding& f : found) {
    const bool expected = f.id == "study.leadership.quarter_missed.q3" || f.id == understaffed_id;
    EXPECT_EQ(f.suppressed, expected) << f.id;
    suppressed += f.suppressed ? 1 : 0;
  }
  EXPECT_EQ(suppressed, 2);
}

TEST(FindingsTest, AMissingBackendProvesNothing) {
  YearInputs in = SampleInputs();
  in.study.reset();
  in.duty.reset();
  EXPECT_THAT(DeriveFindings(in, {}), IsEmpty());
}

}  // namespace
}  // namespace fazhi::gateway
