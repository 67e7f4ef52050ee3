#include "services/gateway/findings.h"

#include <algorithm>
#include <iterator>
#include <set>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/report/finding_kinds.h"
#include "tests/gateway/sample_inputs.h"

namespace fazhi::gateway {
namespace {

namespace v1 = fazhi::gateway::v1;
namespace sv1 = fazhi::study::v1;
namespace dv1 = fazhi::duty::v1;
using samples::SampleInputs;
using ::testing::Each;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::UnorderedElementsAre;

std::vector<Finding> OfType(const std::vector<Finding>& all, v1::FindingType type) {
  std::vector<Finding> out;
  std::copy_if(all.begin(), all.end(), std::back_inserter(out),
               [type](const Finding& f) { return f.type == type; });
  return out;
}

// A copy: callers often pass a temporary list.
Finding One(const std::vector<Finding>& all, v1::FindingType type) {
  for (const Finding& f : all) {
    if (f.type == type) return f;
  }
  ADD_FAILURE() << "no finding of type " << v1::FindingType_Name(type);
  return Finding();
}

std::vector<std::string> Ids(const std::vector<Finding>& all) {
  std::vector<std::string> ids;
  for (const Finding& f : all) ids.push_back(f.id);
  return ids;
}

TEST(FindingsTest, MissedLeadershipQuartersAreOneFindingWithTheirDistribution) {
  YearInputs in = SampleInputs();
  const auto one = OfType(DeriveFindings(in, {}), v1::FINDING_TYPE_LEADERSHIP_QUARTER_MISSED);
  ASSERT_THAT(one, SizeIs(1));
  EXPECT_EQ(one[0].id, "study.leadership.quarter_missed");
  EXPECT_EQ(one[0].kind, "study.leadership.quarter_missed");
  EXPECT_EQ(one[0].text, "第三季度未开展党组（中心组）学法，未做到每季度至少学法一次");
  EXPECT_EQ(one[0].cause, "全年党组（中心组）学法3次，均安排在第一、第二、第四季度，未按季度分布");
  EXPECT_EQ(one[0].owner, "办公室");
  EXPECT_EQ(one[0].due, absl::CivilDay(2025, 3, 31));
  EXPECT_THAT(one[0].evidence,
              ElementsAre(HasSubstr("study GetStudySummary orgs/test-minzheng 2024")));
  EXPECT_THAT(one[0].records, SizeIs(3));  // the leadership sessions held
  EXPECT_FALSE(one[0].suppressed);

  in.study->add_leadership_quarters_missed(4);
  const auto two = OfType(DeriveFindings(in, {}), v1::FINDING_TYPE_LEADERSHIP_QUARTER_MISSED);
  ASSERT_THAT(two, SizeIs(1));
  EXPECT_EQ(two[0].text, "第三、第四季度未开展党组（中心组）学法，未做到每季度至少学法一次");
  EXPECT_THAT(two[0].evidence, SizeIs(2));
}

TEST(FindingsTest, APlanRuleMissedNamesItsPeriodsAndCounts) {
  const auto found =
      OfType(DeriveFindings(SampleInputs(), {}), v1::FINDING_TYPE_PLAN_TARGET_MISSED);
  // The satisfied lecture rule gives nothing.
  ASSERT_THAT(found, SizeIs(1));
  EXPECT_EQ(found[0].id, "study.plan.rule.3.1");  // ALL_STAFF, MONTH
  EXPECT_EQ(found[0].kind, "study.plan.rule");
  EXPECT_EQ(found[0].text, "学法计划要求每月至少开展1次集中学习，7月、8月未达到");
  EXPECT_EQ(found[0].cause, "符合要求的集中学习：7月0次，8月0次");
  EXPECT_THAT(found[0].evidence[0], HasSubstr("periods_missed 7,8"));
}

TEST(FindingsTest, AQuarterlyRuleNamesQuartersAndItsMinimumLength) {
  YearInputs in = SampleInputs();
  auto* rule = in.study->add_rules();
  rule->mutable_rule()->set_kind(sv1::STUDY_KIND_LEADERSHIP_GROUP);
  rule->mutable_rule()->set_period(sv1::RULE_PERIOD_QUARTER);
  rule->mutable_rule()->set_min_sessions(1);
  rule->mutable_rule()->set_min_minutes(30);
  for (int n : {1, 1, 0, 1}) rule->add_counts(n);
  rule->add_periods_missed(3);
  const auto found = OfType(DeriveFindings(in, {}), v1::FINDING_TYPE_PLAN_TARGET_MISSED);
  ASSERT_THAT(found, SizeIs(2));
  EXPECT_EQ(found[1].id, "study.plan.rule.1.2");
  EXPECT_EQ(found[1].text,
            "学法计划要求每季度至少开展1次党组（中心组）学法（每次不少于30分钟），第三季度未达到");
  EXPECT_EQ(found[1].cause, "符合要求的党组（中心组）学法：第三季度0次");
}

TEST(FindingsTest, NoPlanAndALatePlan) {
  YearInputs in = SampleInputs();
  in.study->set_has_plan(false);
  auto found = DeriveFindings(in, {});
  auto plan = OfType(found, v1::FINDING_TYPE_STUDY_PLAN);
  ASSERT_THAT(plan, SizeIs(1));
  EXPECT_EQ(plan[0].id, "study.plan.missing");
  EXPECT_EQ(plan[0].text, "未制订2024年度学法计划");
  // Without a plan its rules and the oath coverage are not judged.
  EXPECT_THAT(OfType(found, v1::FINDING_TYPE_PLAN_TARGET_MISSED), IsEmpty());
  EXPECT_THAT(OfType(found, v1::FINDING_TYPE_OATH_COVERAGE), IsEmpty());

  in = SampleInputs();
  in.study->set_plan_adopted_in_first_quarter(false);
  *in.study->mutable_plan_adopted_date() = samples::Day(2024, 5, 6);
  plan = OfType(DeriveFindings(in, {}), v1::FINDING_TYPE_STUDY_PLAN);
  ASSERT_THAT(plan, SizeIs(1));
  EXPECT_EQ(plan[0].id, "study.plan.late");
  EXPECT_EQ(plan[0].cause, "学法计划于2024年5月6日制订，晚于第一季度");
  EXPECT_THAT(plan[0].records, ElementsAre("orgs/test-minzheng/studyPlans/2024"));
}

TEST(FindingsTest, PlannedLawsNotStudied) {
  YearInputs in = SampleInputs();
  EXPECT_THAT(OfType(DeriveFindings(in, {}), v1::FINDING_TYPE_PLANNED_LAWS_NOT_STUDIED), IsEmpty());
  in.study->add_planned_laws_not_studied("慈善法");
  in.study->add_planned_laws_not_studied("行政复议法");
  const Finding f = One(DeriveFindings(in, {}), v1::FINDING_TYPE_PLANNED_LAWS_NOT_STUDIED);
  EXPECT_EQ(f.text, "学法计划列明的《慈善法》《行政复议法》全年未安排学习");
}

TEST(FindingsTest, OathCoverageBelowFull) {
  const Finding f = One(DeriveFindings(SampleInputs(), {}), v1::FINDING_TYPE_OATH_COVERAGE);
  EXPECT_EQ(f.id, "study.oath.coverage");
  EXPECT_EQ(f.text, "宪法宣誓覆盖率为87%，未做到应宣尽宣");
  EXPECT_EQ(f.cause, "应宣誓46人，实际宣誓40人");
  EXPECT_THAT(f.records, SizeIs(3));  // the oath sessions

  YearInputs in = SampleInputs();
  in.study->set_oath_coverage_percent(100);
  in.study->set_oath_takers(46);
  EXPECT_THAT(OfType(DeriveFindings(in, {}), v1::FINDING_TYPE_OATH_COVERAGE), IsEmpty());
}

TEST(FindingsTest, PowersShortOfCertifiedOfficersAreOneSentenceWithTheCausePerDomain) {
  const auto found =
      OfType(DeriveFindings(SampleInputs(), {}), v1::FINDING_TYPE_POWER_UNDERSTAFFED);
  ASSERT_THAT(found, SizeIs(1));
  const Finding& f = found[0];
  EXPECT_EQ(f.id, "duty.staff_short");
  // 养老服务 2 + 殡葬 2 (the understaffed one counted once, the unassigned
  // one with it); 慈善, 社会救助 and 婚姻登记 have other causes.
  EXPECT_EQ(f.text,
            "养老服务、殡葬2个领域共4项执法事项持有效执法证的执法人员不足两人，不能落实两人以上执法"
            "的要求");
  EXPECT_EQ(f.cause,
            "养老服务领域具备执法资格的在编在岗人员仅1人；殡葬领域具备执法资格的2人中持有效执法证的"
            "仅1人");
  EXPECT_EQ(f.owner, "人事部门");
  EXPECT_EQ(f.due, absl::CivilDay(2025, 6, 30));
  EXPECT_THAT(f.records, UnorderedElementsAre("orgs/test-minzheng/powers/p000117001000",
                                              "orgs/test-minzheng/powers/p000117002000",
                                              "orgs/test-minzheng/powers/p000217009000",
                                              "orgs/test-minzheng/powers/p000217010000"));
  ASSERT_THAT(f.evidence, SizeIs(4));
  EXPECT_THAT(f.evidence, Each(HasSubstr("duty GetDutySummary orgs/test-minzheng 2024")));
  EXPECT_THAT(f.evidence, Each(Not(HasSubstr("000617001000"))));
}

TEST(FindingsTest, ShortPowersThatAlsoLackALegalReviewerAreSaidToInTheCause) {
  YearInputs in = SampleInputs();
  for (const char* code : {"000217009000", "000217010000", "000117001000"}) {
    auto* p = in.duty->add_powers();
    p->set_power(std::string("orgs/test-minzheng/powers/p") + code);
    p->set_needs_legal_review(true);
  }
  in.duty->mutable_domains(0)->set_legally_qualified_officers(1);  // 养老服务 has a reviewer
  const Finding f = One(DeriveFindings(in, {}), v1::FINDING_TYPE_POWER_UNDERSTAFFED);
  EXPECT_THAT(f.cause, ::testing::EndsWith(
                           "；其中2项需法制审核的事项所在领域也没有具备法律职业资格的执法人员"));
  // Still one cause per power: they are counted here, not as lacking a reviewer.
  EXPECT_THAT(f.records, SizeIs(4));
}

TEST(FindingsTest, OneDomainReadsWithoutACount) {
  YearInputs in = SampleInputs();
  auto* gaps = in.duty->mutable_gaps();
  gaps->erase(std::remove_if(gaps->begin(), gaps->end(),
                             [](const dv1::Gap& g) { return g.domain() == "养老服务"; }),
              gaps->end());
  const Finding f = One(DeriveFindings(in, {}), v1::FINDING_TYPE_POWER_UNDERSTAFFED);
  EXPECT_EQ(f.text,
            "殡葬领域2项执法事项持有效执法证的执法人员不足两人，不能落实两人以上执法的要求");
}

TEST(FindingsTest, TwoValidHoldersWithoutALegalReviewerAreNeverShortOfTwo) {
  const auto all = DeriveFindings(SampleInputs(), {});
  for (const Finding& f : OfType(all, v1::FINDING_TYPE_POWER_UNDERSTAFFED)) {
    EXPECT_THAT(f.text, Not(HasSubstr("慈善")));
  }
  const Finding f = One(all, v1::FINDING_TYPE_NO_LEGAL_REVIEWER);
  EXPECT_EQ(f.id, "duty.no_legal_reviewer");
  EXPECT_EQ(f.text, "慈善领域1项需法制审核的执法事项没有具备法律职业资格的执法人员，尚未落实到人");
  EXPECT_EQ(
      f.cause,
      "上述领域持有效执法证的执法人员（慈善领域2人）均不具备法律职业资格，无人可承担法制审核");
  EXPECT_EQ(f.owner, "法制工作机构");
  EXPECT_THAT(f.records, ElementsAre("orgs/test-minzheng/powers/p000617001000"));
}

TEST(FindingsTest, AtCapacityAndNotAllocatedAreTheirOwnCauses) {
  const auto all = DeriveFindings(SampleInputs(), {});
  const Finding capacity = One(all, v1::FINDING_TYPE_STAFF_AT_CAPACITY);
  EXPECT_EQ(capacity.id, "duty.at_capacity");
  EXPECT_EQ(capacity.text, "社会救助领域1项执法事项未能配足执法人员");
  EXPECT_EQ(capacity.cause, "社会救助领域具备执法资格的执法人员均已达到最大承办量");
  const Finding idle = One(all, v1::FINDING_TYPE_POWER_NOT_ALLOCATED);
  EXPECT_EQ(idle.id, "duty.not_allocated");
  EXPECT_EQ(idle.text, "婚姻登记领域1项执法事项尚未落实到执法人员");
  EXPECT_THAT(idle.records, ElementsAre("orgs/test-minzheng/powers/p000917001000"));
}

TEST(FindingsTest, LapsedCertificatesButNotExpiringOnes) {
  const Finding f = One(DeriveFindings(SampleInputs(), {}), v1::FINDING_TYPE_CERTIFICATE_LAPSED);
  EXPECT_EQ(f.id, "duty.certificates.lapsed");
  EXPECT_EQ(f.text, "2名执法人员的执法证已过期或失效，涉及养老服务、殡葬领域");
  EXPECT_EQ(f.cause, "1个执法证于2024年6月30日到期后未换领新证；1个执法证被暂扣、注销或尚未生效");
  ASSERT_THAT(f.evidence, SizeIs(2));
  EXPECT_THAT(f.evidence[0], HasSubstr("张三 执法证4104231002018001"));
  EXPECT_THAT(f.evidence[1], HasSubstr("李四"));
  EXPECT_THAT(f.evidence, Each(Not(HasSubstr("王五"))));
  EXPECT_THAT(f.records, ElementsAre("orgs/test-minzheng/officers/o4104231002018001",
                                     "orgs/test-minzheng/officers/o4104231002018002"));
}

TEST(FindingsTest, TrainingShort) {
  const Finding f = One(DeriveFindings(SampleInputs(), {}), v1::FINDING_TYPE_TRAINING_SHORT);
  EXPECT_EQ(f.text, "1名持证执法人员年度培训学时未达到60学时的要求");
  EXPECT_EQ(f.cause, "上述人员全年培训分别为24学时");
  EXPECT_THAT(f.evidence[0], HasSubstr("赵六 培训24学时，要求60学时"));
}

TEST(FindingsTest, StudyFindingsComeBeforeDutyFindings) {
  const auto found = DeriveFindings(SampleInputs(), {});
  EXPECT_THAT(
      Ids(found),
      ElementsAre("study.leadership.quarter_missed", "study.plan.rule.3.1", "study.oath.coverage",
                  "duty.staff_short", "duty.no_legal_reviewer", "duty.at_capacity",
                  "duty.not_allocated", "duty.certificates.lapsed", "duty.training.short"));
}

TEST(FindingsTest, SuppressionById) {
  const auto all = DeriveFindings(SampleInputs(), {});
  const auto found = DeriveFindings(
      SampleInputs(), {"study.leadership.quarter_missed", "duty.staff_short", "no.such.finding"});
  ASSERT_EQ(found.size(), all.size());  // suppressed findings are listed, flagged
  int suppressed = 0;
  for (const Finding& f : found) {
    const bool expected = f.id == "study.leadership.quarter_missed" || f.id == "duty.staff_short";
    EXPECT_EQ(f.suppressed, expected) << f.id;
    suppressed += f.suppressed ? 1 : 0;
  }
  EXPECT_EQ(suppressed, 2);
}

TEST(FindingsTest, TheOrganizationsOwnRemedyReplacesTheDefaultsFieldByField) {
  YearInputs in = SampleInputs();
  auto* remedy = in.organization->add_finding_remedies();
  remedy->set_finding("duty.staff_short");
  remedy->set_cause("编制所限，{{org.name}}执法岗位长期空缺");
  remedy->set_owner("政策法规股");
  remedy->mutable_due_date()->set_month(9);  // year 0: the year after the report's
  remedy->mutable_due_date()->set_day(30);
  auto* other = in.organization->add_finding_remedies();
  other->set_finding("duty.training.short");
  *other->mutable_due_date() = samples::Day(2025, 4, 30);
  const auto found = DeriveFindings(in, {});
  const Finding f = One(found, v1::FINDING_TYPE_POWER_UNDERSTAFFED);
  EXPECT_EQ(f.cause, "编制所限，{{org.name}}执法岗位长期空缺");  // filled when composed
  EXPECT_EQ(
      f.rectification,
      "通过招录、调配补充执法人员，组织符合条件的在编人员参加执法资格考试，执法证到期前及时换证");
  EXPECT_EQ(f.owner, "政策法规股");
  EXPECT_EQ(f.due, absl::CivilDay(2025, 9, 30));
  EXPECT_EQ(f.remedy_field, "organization.finding_remedies[0]");
  const Finding training = One(found, v1::FINDING_TYPE_TRAINING_SHORT);
  EXPECT_EQ(training.due, absl::CivilDay(2025, 4, 30));
  EXPECT_EQ(training.owner, "人事部门");
  EXPECT_EQ(One(found, v1::FINDING_TYPE_NO_LEGAL_REVIEWER).remedy_field, "");
}

// The kinds an organization may word its own remedy for are the report
// service's list: every kind derived here must be on it.
TEST(FindingsTest, EveryKindIsOneTheReportServiceAcceptsRemediesFor) {
  YearInputs in = SampleInputs();
  in.study->add_planned_laws_not_studied("慈善法");
  in.study->set_plan_adopted_in_first_quarter(false);
  std::set<std::string> kinds;
  for (const Finding& f : DeriveFindings(in, {})) kinds.insert(f.kind);
  in.study->set_has_plan(false);
  for (const Finding& f : DeriveFindings(in, {})) kinds.insert(f.kind);
  EXPECT_EQ(kinds.size(), std::size(fazhi::report::kFindingKinds));
  for (const std::string& kind : kinds) EXPECT_TRUE(fazhi::report::IsFindingKind(kind)) << kind;
}

TEST(FindingsTest, AMissingBackendProvesNothing) {
  YearInputs in = SampleInputs();
  in.study.reset();
  in.duty.reset();
  EXPECT_THAT(DeriveFindings(in, {}), IsEmpty());
}

}  // namespace
}  // namespace fazhi::gateway
