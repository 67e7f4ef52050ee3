#include "services/gateway/fill.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/gateway/sample_inputs.h"

namespace fazhi::gateway {
namespace {

using samples::SampleInputs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class FillTest : public ::testing::Test {
 protected:
  // The filled text; the test fails on any problem.
  std::string Filled(const std::string& text) {
    std::vector<TemplateProblem> problems;
    std::string out = FillTemplate(text, facts_, "report.preamble[0]", problems);
    EXPECT_THAT(problems, IsEmpty()) << text;
    return out;
  }

  const FactCatalogue facts_ = BuildFacts(SampleInputs());
};

TEST_F(FillTest, PlainTextAndBareValues) {
  EXPECT_EQ(Filled("没有占位符的段落。"), "没有占位符的段落。");
  EXPECT_EQ(Filled("全年组织集中学习{{study.sessions.all_staff}}次。"), "全年组织集中学习12次。");
  EXPECT_EQ(Filled("{{ year }}年，{{org.name}}"), "2024年，测试县民政局");
  EXPECT_EQ(Filled("累计{{study.staff_hours}}人·学时"), "累计656人·学时");
}

TEST_F(FillTest, ListsJoinWithDunhaoByDefault) {
  EXPECT_EQ(Filled("学习了{{study.laws}}等"), "学习了民法典、宪法、行政处罚法等");
  EXPECT_EQ(Filled("学习了{{study.laws | 顿号}}等"), "学习了民法典、宪法、行政处罚法等");
}

TEST_F(FillTest, CommaFilter) {
  EXPECT_EQ(Filled("{{study.laws|逗号}}"), "民法典，宪法，行政处罚法");
}

TEST_F(FillTest, BookTitleMarksWrapEachItem) {
  EXPECT_EQ(Filled("重点学习了{{study.laws | 书名号}}等法律"),
            "重点学习了《民法典》《宪法》《行政处罚法》等法律");
  // On an empty list it keeps the list's "无" rather than inventing marks.
  YearInputs in = SampleInputs();
  in.duty->clear_gaps();
  std::vector<TemplateProblem> problems;
  EXPECT_EQ(FillTemplate("{{duty.domains.without_legal_reviewer | 书名号}}", BuildFacts(in), "f",
                         problems),
            "无");
}

TEST_F(FillTest, ChineseNumerals) {
  EXPECT_EQ(Filled("集中学习{{study.sessions.all_staff | 中文数字}}次"), "集中学习十二次");
  EXPECT_EQ(Filled("{{study.leadership.quarters_covered|中文数字}}个季度"), "三个季度");
  EXPECT_EQ(Filled("{{study.publicity.leaflets | 中文数字}}"), "1100");  // beyond 999: digits
  EXPECT_EQ(Filled("{{study.oath.coverage | 中文数字}}"), "87%");        // not a number: as is
  EXPECT_EQ(Filled("{{study.sessions.pre_meeting | 中文数字}}"), "0");   // zero: digits
  EXPECT_EQ(Filled("{{study.laws | 中文数字}}"), "民法典、宪法、行政处罚法");  // not a number
}

TEST_F(FillTest, AnyOtherFilterIsAUnit) {
  EXPECT_EQ(Filled("持证执法人员仅{{duty.officers.valid | 人}}"), "持证执法人员仅5人");
  EXPECT_EQ(Filled("{{study.sessions.all_staff | 中文数字 | 次}}"), "十二次");
  // The unit follows the value whatever the order of the filters.
  EXPECT_EQ(Filled("{{study.sessions.all_staff | 次 | 中文数字}}"), "十二次");
  EXPECT_EQ(Filled("{{study.laws | 书名号 | 等}}"), "《民法典》《宪法》《行政处罚法》等");
}

// A fact as the catalogue would hold it, with the year before.
Fact Compared(double now, double before, bool on_record = true, const std::string& unit = "次") {
  Fact f;
  f.name = "study.all_staff.sessions";
  f.number = now;
  f.text = std::to_string(static_cast<int>(now));
  f.unit = unit;
  f.has_previous = true;
  f.previous_on_record = on_record;
  f.previous = before;
  return f;
}

TEST(YearOnYearTest, CountsInWords) {
  EXPECT_EQ(*ApplyFilters(Compared(12, 10), {"同比"}), "同比增加2次");
  EXPECT_EQ(*ApplyFilters(Compared(3, 4, true, "场"), {"同比"}), "同比减少1场");
  EXPECT_EQ(*ApplyFilters(Compared(7, 7), {"同比"}), "与上年持平");
  // A unit filter names the unit of the difference.
  EXPECT_EQ(*ApplyFilters(Compared(552, 460, true, "人次"), {"同比", "人次"}), "同比增加92人次");
}

TEST(YearOnYearTest, Percentages) {
  EXPECT_EQ(*ApplyFilters(Compared(7, 8), {"同比幅度"}), "同比下降12.5%");
  EXPECT_EQ(*ApplyFilters(Compared(12, 10), {"同比幅度"}), "同比增长20%");
  EXPECT_EQ(*ApplyFilters(Compared(10, 12), {"同比幅度"}), "同比下降16.7%");
  EXPECT_EQ(*ApplyFilters(Compared(5, 5), {"同比幅度"}), "与上年持平");
  // From nothing there is no percentage: the difference and the baseline.
  EXPECT_EQ(*ApplyFilters(Compared(2, 0), {"同比幅度"}), "同比增加2次（上年为0次）");
}

TEST(YearOnYearTest, AFirstYearSaysSoInsteadOfComparingWithZero) {
  EXPECT_EQ(*ApplyFilters(Compared(12, 0, /*on_record=*/false), {"同比"}), "上年无记录，不作同比");
  EXPECT_EQ(*ApplyFilters(Compared(12, 0, false), {"同比幅度"}), "上年无记录，不作同比");
  EXPECT_EQ(*ApplyFilters(Compared(12, 0, false), {"上年"}), "上年无记录");
  EXPECT_EQ(*ApplyFilters(Compared(12, 10), {"上年", "次"}), "10次");
}

TEST(YearOnYearTest, AFactWithoutAYearBeforeIsRefused) {
  Fact duty;
  duty.name = "duty.powers";
  duty.number = 30;
  duty.text = "30";
  absl::StatusOr<std::string> value = ApplyFilters(duty, {"同比"});
  ASSERT_FALSE(value.ok());
  EXPECT_EQ(value.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(value.status().message(), HasSubstr("duty.powers"));
}

TEST_F(FillTest, ComparisonsInATemplate) {
  YearInputs in = SampleInputs();
  in.study_previous = samples::SamplePreviousStudy();
  std::vector<TemplateProblem> problems;
  EXPECT_EQ(
      FillTemplate("集中学习{{study.all_staff.sessions}}次，{{study.all_staff.sessions|同比}}；"
                   "党组学法{{study.leadership.sessions | 同比幅度}}",
                   BuildFacts(in), "report.preamble[0]", problems),
      "集中学习12次，同比增加2次；党组学法同比下降25%");
  EXPECT_THAT(problems, IsEmpty());
  FillTemplate("执法事项{{duty.powers|同比}}", BuildFacts(in), "report.preamble[1]", problems);
  ASSERT_THAT(problems, ::testing::SizeIs(1));
  EXPECT_EQ(problems[0].field, "report.preamble[1]");
  EXPECT_THAT(problems[0].problem, HasSubstr("no value for the year before"));
}

TEST_F(FillTest, ApplyFiltersDirectly) {
  const Fact& places = *facts_.Find("study.publicity.places");
  EXPECT_EQ(*ApplyFilters(places, {}), "尧山广场、县救助站");
  EXPECT_EQ(*ApplyFilters(places, {"逗号"}), "尧山广场，县救助站");
  EXPECT_EQ(*ApplyFilters(*facts_.Find("next_year"), {"年"}), "2025年");
}

TEST_F(FillTest, EveryUnknownFactIsReportedWithTheField) {
  std::vector<TemplateProblem> problems;
  const std::string out = FillTemplate(
      "共{{study.no_such_fact}}次，{{duty.officers.valid}}人，{{nonsense.fact | 人}}。", facts_,
      "report.sections[0].items[0].paragraphs[1]", problems);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].field, "report.sections[0].items[0].paragraphs[1]");
  EXPECT_THAT(problems[0].problem, HasSubstr("unknown fact \"study.no_such_fact\""));
  EXPECT_THAT(problems[0].problem, HasSubstr("at character 2"));
  EXPECT_EQ(problems[1].field, "report.sections[0].items[0].paragraphs[1]");
  EXPECT_THAT(problems[1].problem, HasSubstr("unknown fact \"nonsense.fact\""));
  // The known fact is still filled.
  EXPECT_THAT(out, HasSubstr("5人"));
}

TEST_F(FillTest, ProblemsAccumulateAcrossFields) {
  std::vector<TemplateProblem> problems;
  FillTemplate("{{a.b}}", facts_, "report.title", problems);
  FillTemplate("{{c.d}}", facts_, "report.preamble[0]", problems);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].field, "report.title");
  EXPECT_EQ(problems[1].field, "report.preamble[0]");
}

TEST_F(FillTest, SyntaxErrorsAreProblemsAndLeaveTheTextAlone) {
  for (const std::string text : {"全年{{study.laws", "学习}}了", "{{ | 人}}", "{{Study.Laws}}"}) {
    std::vector<TemplateProblem> problems;
    EXPECT_EQ(FillTemplate(text, facts_, "report.shortcomings[1].cause", problems), text);
    ASSERT_EQ(problems.size(), 1u) << text;
    EXPECT_EQ(problems[0].field, "report.shortcomings[1].cause");
    EXPECT_THAT(problems[0].problem, HasSubstr("at character")) << text;
  }
}

TEST_F(FillTest, FactsOfAMissingBackendAreMarkedNotRefused) {
  YearInputs in = SampleInputs();
  in.study.reset();
  const FactCatalogue facts = BuildFacts(in);
  std::vector<TemplateProblem> problems;
  const std::string out = FillTemplate(
      "集中学习{{study.sessions.all_staff}}次，持证{{duty.officers.valid | "
      "人}}，{{study.anything}}。",
      facts, "f", problems, {"study"});
  EXPECT_THAT(problems, IsEmpty());
  EXPECT_EQ(out,
            "集中学习" + MissingMarker("study") + "次，持证5人，" + MissingMarker("study") + "。");
  EXPECT_EQ(MissingMarker("study"), "〔待补：study服务数据缺失〕");
}

TEST_F(FillTest, OnlyTheMissingBackendIsExcused) {
  YearInputs in = SampleInputs();
  in.study.reset();
  std::vector<TemplateProblem> problems;
  FillTemplate("{{study.sessions.all_staff}}{{duty.no_such}}", BuildFacts(in), "f", problems,
               {"study"});
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_THAT(problems[0].problem, HasSubstr("duty.no_such"));
  // "studyx" is not the study backend.
  problems.clear();
  FillTemplate("{{studyx.count}}", BuildFacts(in), "f", problems, {"study"});
  EXPECT_THAT(problems, ::testing::SizeIs(1));
}

}  // namespace
}  // namespace fazhi::gateway
