#include "services/gateway/facts.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/gateway/sample_inputs.h"

namespace fazhi::gateway {
namespace {

using samples::SampleInputs;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Optional;
namespace sv1 = fazhi::study::v1;

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
  EXPECT_EQ(Get(c, "study.staff_hours").text, "656");  // whole 人·学时
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
  EXPECT_EQ(Get(c, "duty.powers").text, "13");
  EXPECT_EQ(Get(c, "duty.powers.staffed").text, "6");
  EXPECT_EQ(Get(c, "duty.powers.understaffed").text, "7");
  EXPECT_EQ(Get(c, "duty.powers.legal_review").text, "3");
  EXPECT_THAT(Get(c, "duty.domains").items,
              ElementsAre("养老服务", "婚姻登记", "慈善", "殡葬", "社会救助"));
  const Fact& understaffed = Get(c, "duty.domains.understaffed");
  EXPECT_THAT(understaffed.items, ElementsAre("养老服务", "婚姻登记", "慈善", "殡葬", "社会救助"));
  EXPECT_THAT(Get(c, "duty.domains.without_legal_reviewer").items,
              ElementsAre("殡葬", "慈善", "养老服务"));
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

TEST(FactsTest, EachKindOfStudyHasItsOwnScopedFacts) {
  const FactCatalogue c = BuildFacts(SampleInputs());
  // The leadership group's own sessions, hours, attendances and laws, not
  // the year's.
  EXPECT_EQ(Get(c, "study.leadership.sessions").text, "3");
  EXPECT_EQ(Get(c, "study.leadership.hours").text, "2");  // 135 minutes
  EXPECT_EQ(Get(c, "study.leadership.hours").unit, "学时");
  EXPECT_EQ(Get(c, "study.leadership.attendances").text, "21");
  EXPECT_EQ(Get(c, "study.leadership.attendances").unit, "人次");
  EXPECT_EQ(Get(c, "study.leadership.head_attended").text, "3");
  EXPECT_THAT(Get(c, "study.leadership.laws").items, ElementsAre("民法典", "行政处罚法"));
  EXPECT_EQ(Get(c, "study.leadership.laws.count").text, "2");
  EXPECT_EQ(Get(c, "study.all_staff.hours").text, "18");  // 1080 minutes
  EXPECT_EQ(Get(c, "study.all_staff.attendances").text, "540");
  EXPECT_THAT(Get(c, "study.all_staff.laws").items, ElementsAre("民法典", "宪法"));
  EXPECT_EQ(Get(c, "study.lecture.hours").text, "4");  // 220 minutes: 3.67, whole 学时
  EXPECT_EQ(Get(c, "study.oath.hours").text, "6");     // 365 minutes: 6.08
  EXPECT_EQ(Get(c, "study.pre_meeting.attendances").text, "0");
  EXPECT_THAT(Get(c, "study.pre_meeting.laws").items, IsEmpty());
  EXPECT_EQ(Get(c, "study.attendances").text, "697");
  EXPECT_EQ(Get(c, "study.hours").text, "30");  // 1800 minutes
  // The old per-kind names still read the same numbers.
  EXPECT_EQ(Get(c, "study.sessions.leadership_group").text,
            Get(c, "study.leadership.sessions").text);
}

TEST(FactsTest, EveryStudyNumberNamesTheRecordsBehindIt) {
  const FactCatalogue c = BuildFacts(SampleInputs());
  EXPECT_THAT(Get(c, "study.leadership.sessions").records,
              ElementsAre("orgs/test-minzheng/sessions/LEADERSHIP_GROUP-1",
                          "orgs/test-minzheng/sessions/LEADERSHIP_GROUP-2",
                          "orgs/test-minzheng/sessions/LEADERSHIP_GROUP-3"));
  EXPECT_EQ(Get(c, "study.sessions.total").records.size(), 20u);
  EXPECT_EQ(Get(c, "study.publicity.leaflets").records.size(), 3u);
  EXPECT_EQ(Get(c, "study.plan.adopted").records,
            std::vector<std::string>{"orgs/test-minzheng/studyPlans/2024"});
  EXPECT_THAT(Get(c, "duty.certificates.lapsed").records,
              ElementsAre("orgs/test-minzheng/officers/o4104231002018001",
                          "orgs/test-minzheng/officers/o4104231002018002"));
}

TEST(FactsTest, TheYearBeforeForStudyFactsOnly) {
  YearInputs in = SampleInputs();
  EXPECT_FALSE(Get(BuildFacts(in), "study.all_staff.sessions").has_previous);
  in.study_previous = samples::SamplePreviousStudy();
  const FactCatalogue c = BuildFacts(in);
  const Fact& all_staff = Get(c, "study.all_staff.sessions");
  EXPECT_TRUE(all_staff.has_previous);
  EXPECT_TRUE(all_staff.previous_on_record);
  EXPECT_EQ(all_staff.previous, 10);
  EXPECT_EQ(Get(c, "study.leadership.attendances").previous, 28);
  EXPECT_EQ(Get(c, "study.pre_meeting.sessions").previous, 0);  // a kind absent both years
  EXPECT_EQ(Get(c, "study.publicity.events").previous, 1);
  // Lists and text have no comparison; duty facts have no year before.
  EXPECT_FALSE(Get(c, "study.laws").has_previous);
  EXPECT_FALSE(Get(c, "duty.officers.valid").has_previous);
  EXPECT_FALSE(Get(c, "year").has_previous);

  in.study_previous = sv1::StudySummary();  // nothing on record that year
  const FactCatalogue first = BuildFacts(in);
  EXPECT_TRUE(Get(first, "study.all_staff.sessions").has_previous);
  EXPECT_FALSE(Get(first, "study.all_staff.sessions").previous_on_record);
}

// The facts on one kind's sessions hold one list of their names, not a copy
// each.
TEST(FactsTest, FactsOnTheSameRecordsShareOneList) {
  const FactCatalogue c = BuildFacts(SampleInputs());
  const RecordNames& sessions = Get(c, "study.leadership.sessions").records;
  const RecordNames& hours = Get(c, "study.leadership.hours").records;
  ASSERT_EQ(sessions.size(), 3u);
  EXPECT_EQ(&sessions.list(), &hours.list());
  EXPECT_EQ(&Get(c, "study.sessions.total").records.list(),
            &Get(c, "study.attendances").records.list());
  EXPECT_NE(&sessions.list(), &Get(c, "study.sessions.total").records.list());
  EXPECT_TRUE(Get(c, "study.laws").records.empty());
  EXPECT_EQ(RecordNames({"a", "b"}), (std::vector<std::string>{"a", "b"}));
  EXPECT_FALSE(RecordNames({"a"}) == RecordNames({"b"}));
}

TEST(FactsTest, ANumbersOnlyCatalogueKeepsNumbersAndTheirNamesAlone) {
  FactCatalogue c = FactCatalogue::NumbersOnly();
  Fact source;
  source.service = "study";
  c.AddNumber("n", 3, "次", "次数", source).records = {"orgs/a/sessions/1"};
  c.AddText("t", "是", "是否", source).records = {"orgs/a/studyPlans/2024"};
  c.AddList("l", {"甲", "乙"}, "列表", source);
  EXPECT_EQ(c.facts().size(), 1u);
  const Fact& n = Get(c, "n");
  EXPECT_THAT(n.number, Optional(3.0));
  EXPECT_EQ(n.name, "n");
  EXPECT_EQ(n.text, "");
  EXPECT_EQ(n.service, "");
  EXPECT_EQ(c.Find("t"), nullptr);
  EXPECT_EQ(c.Find("l"), nullptr);
}

TEST(FactsTest, ChineseDatesAndQuarters) {
  EXPECT_EQ(ChineseDate(2025, 1, 15), "2025年1月15日");
  EXPECT_EQ(QuarterName(1), "第一季度");
  EXPECT_EQ(QuarterName(4), "第四季度");
}

}  // namespace
}  // namespace fazhi::gateway
