#include "services/gateway/facts.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/gateway/sample_inputs.h"

namespace fazhi::gateway {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Optional;
using samples::SampleInputs;

// The fact, failing the test when the catalogue lacks it.
const Fact& Get(const FactCatalogue& c, const std::string& name) {
  const Fact* fact = c.Find(name);
  EXPECT_NE(fact, nullptr) << "no fact " << name;
  static const Fact kNone;
  return fact == nullptr ? kNone : *fact;
}

TEST(FactsTest, StudySessionCountsByKindWithUnitAndSource) {
  const FactCatalogue c = BuildFacts(SampleInputs());
  const Fact& all_staff = Get(c, "study.sessions.all_staff");
  EXPECT_EQ(all_staff.text, "12");
  EXPECT_THAT(all_staff.number, Optional(12.0));
  EXPECT_EQ(all_staff.unit, "次");
  EXPECT_EQ(all_staff.service, "study");
  EXPECT_EQ(all_staff.method, "GetStudySummary");
  EXPECT_EQ(all_staff.resource, "orgs/test-minzheng 2024");
  EXPECT_EQ(Get(c, "study.sessions.total").text, "20");
  EXPECT_EQ(Get(c, "study.sessions.leadership_group").text, "3");
  EXPECT_EQ(Get(c, "study.sessions.lecture").text, "2");
  EXPECT_EQ(Get(c, "study.sessions.constitutional_oath").text, "3");
  // A kind without sessions is a zero, not a missing fact.
  EXPECT_EQ(Get(c, "study.sessions.pre_meeting").text, "0");
  EXPECT_EQ(Get(c, "study.sessions.duty_statement").text, "0");
}

TEST(FactsTest, LeadershipQuartersFromTheQuarterTotals) {
  const FactCatalogue c = BuildFacts(SampleInputs());
  EXPECT_EQ(Get(c, "study.leadership.sessions").text, "3");
  EXPECT_EQ(Get(c, "study.leadership.quarters_covered").text, "3");
  const Fact& missed = Get(c, "study.leadership.quarters_missed");
  EXPECT_THAT(missed.items, ElementsAre("第三季度"));
  EXPECT_EQ(missed.text, "第三季度");
  EXPECT_FALSE(missed.number.has_value());
}

TEST(FactsTest, LawsKeepTheSummaryOrder) {
  const FactCatalogue c = BuildFacts(SampleInputs());
  const Fact& laws = Get(c, "study.laws");
  EXPECT_THAT(laws.items, ElementsAre("民法典", "宪法", "行政处罚法"));
  EXPECT_EQ(laws.text, "民法典、宪法、行政处罚法");
  EXPECT_EQ(Get(c, "study.laws.count").text, "3");
  EXPECT_EQ(Get(c, "study.laws.count").unit, "部");
}

TEST(FactsTest, PlanOathAndPublicity) {
  const FactCatalogue c = BuildFacts(SampleInputs());
  EXPECT_EQ(Get(c, "study.plan.adopted").text, "2024年2月28日");
  EXPECT_EQ(Get(c, "study.plan.fulfilled").text, "否");
  EXPECT_EQ(Get(c, "study.oath.takers").text, "40");
  EXPECT_EQ(Get(c, "study.oath.coverage").text, "87%");
  EXPECT_EQ(Get(c, "study.staff_hours").text, "655.5");
  EXPECT_EQ(Get(c, "study.head_attended").text, "15");
  EXPECT_EQ(Get(c, "study.minutes").text, "1800");
  EXPECT_EQ(Get(c, "study.publicity.events").text, "3");
  EXPECT_THAT(Get(c, "study.publicity.places").items, ElementsAre("尧山广场", "县救助站"));
  EXPECT_EQ(Get(c, "study.publicity.display_boards").text, "15");
  EXPECT_EQ(Get(c, "study.publicity.leaflets").text, "1100");
  EXPECT_EQ(Get(c, "study.publicity.people_reached").text, "580");
  EXPECT_EQ(Get(c, "study.publicity.people_reached").unit, "人次");
  EXPECT_THAT(Get(c, "study.publicity.laws").items, ElementsAre("民法典", "宪法"));
}

TEST(FactsTest, PlanFactsWithoutAPlan) {
  YearInputs in = SampleInputs();
  in.study->set_has_plan(false);
  in.study->clear_plan_adopted_date();
  const FactCatalogue c = BuildFacts(in);
  EXPECT_EQ(Get(c, "study.plan.adopted").text, "未制订");
  EXPECT_EQ(Get(c, "study.plan.fulfilled").text, "无计划");
}

TEST(FactsTest, DutyTotalsAndDomains) {
  const FactCatalogue c = BuildFacts(SampleInputs());
  const Fact& valid = Get(c, "duty.officers.valid");
  EXPECT_EQ(valid.text, "5");
  EXPECT_EQ(valid.unit, "人");
  EXPECT_EQ(valid.service, "duty");
  EXPECT_EQ(valid.method, "GetDutySummary");
  EXPECT_EQ(Get(c, "duty.officers").text, "9");  // established, not every record
  EXPECT_EQ(Get(c, "duty.officers.legal").text, "2");
  EXPECT_EQ(Get(c, "duty.powers").text, "10");
  EXPECT_EQ(Get(c, "duty.powers.staffed").text, "6");
  EXPECT_EQ(Get(c, "duty.powers.understaffed").text, "4");
  EXPECT_EQ(Get(c, "duty.powers.legal_review").text, "3");
  EXPECT_THAT(Get(c, "duty.domains").items, ElementsAre("养老服务", "婚姻登记", "殡葬"));
  const Fact& understaffed = Get(c, "duty.domains.understaffed");
  EXPECT_THAT(understaffed.items, ElementsAre("养老服务", "殡葬"));
  EXPECT_EQ(understaffed.text, "养老服务、殡葬");
  EXPECT_THAT(Get(c, "duty.domains.without_legal_reviewer").items, ElementsAre("殡葬"));
  // Expired and not valid count; merely expiring does not.
  EXPECT_EQ(Get(c, "duty.certificates.lapsed").text, "2");
  EXPECT_EQ(Get(c, "duty.training.short").text, "1");
  EXPECT_EQ(Get(c, "duty.training.required_hours").text, "60");
  EXPECT_EQ(Get(c, "duty.posts").text, "4");
}

TEST(FactsTest, AnEmptyListReadsAsNone) {
  YearInputs in = SampleInputs();
  in.duty->clear_gaps();
  const FactCatalogue c = BuildFacts(in);
  const Fact& none = Get(c, "duty.domains.without_legal_reviewer");
  EXPECT_THAT(none.items, IsEmpty());
  EXPECT_EQ(none.text, "无");
  EXPECT_EQ(Get(c, "duty.certificates.lapsed").text, "0");
}

TEST(FactsTest, GatewayAndOrganizationFacts) {
  const FactCatalogue c = BuildFacts(SampleInputs());
  EXPECT_EQ(Get(c, "year").text, "2024");
  EXPECT_EQ(Get(c, "next_year").text, "2025");
  EXPECT_EQ(Get(c, "year").service, "gateway");
  const Fact& name = Get(c, "org.name");
  EXPECT_EQ(name.text, "测试县民政局");
  EXPECT_EQ(name.service, "report");
  EXPECT_EQ(name.method, "GetOrganization");
  EXPECT_EQ(name.resource, "orgs/test-minzheng");
  EXPECT_EQ(Get(c, "org.region").text, "河南省平顶山市测试县");
}

TEST(FactsTest, AMissingBackendContributesNoFacts) {
  YearInputs in = SampleInputs();
  in.study.reset();
  const FactCatalogue c = BuildFacts(in);
  for (const auto& [name, fact] : c.facts()) {
    EXPECT_NE(name.rfind("study.", 0), 0u) << name;
  }
  EXPECT_NE(c.Find("duty.officers.valid"), nullptr);
  EXPECT_NE(c.Find("year"), nullptr);
}

TEST(FactsTest, CatalogueIsOrderedByName) {
  const FactCatalogue c = BuildFacts(SampleInputs());
  std::string previous;
  for (const auto& [name, fact] : c.facts()) {
    EXPECT_LT(previous, name);
    EXPECT_EQ(name, fact.name);
    EXPECT_FALSE(fact.description.empty()) << name;
    EXPECT_FALSE(fact.service.empty()) << name;
    previous = name;
  }
}

TEST(FactsTest, ChineseDatesAndQuarters) {
  EXPECT_EQ(ChineseDate(2025, 1, 15), "2025年1月15日");
  EXPECT_EQ(QuarterName(1), "第一季度");
  EXPECT_EQ(QuarterName(4), "第四季度");
}

}  // namespace
}  // namespace fazhi::gateway
