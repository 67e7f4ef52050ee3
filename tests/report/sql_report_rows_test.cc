// The report store's row mapping against rows earlier versions wrote.

#include "services/report/sql_report_rows.h"

#include <string>
#include <tuple>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/report/earlier_rows.h"

namespace fazhi::report {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Optional;
using ::testing::Pair;

// Data column positions, Spec().columns order.
constexpr size_t kSupervisors = 2, kContacts = 4, kRemedies = 6;
constexpr size_t kContent = 5, kLifecycle = 9;

std::string Text(const sql::Value& value) { return std::get<std::string>(value); }

std::vector<sql::Value> WithJson(std::vector<sql::Value> values,
                                 std::vector<std::pair<size_t, std::string>> json) {
  for (auto& [column, text] : json) values[column] = sql::Value(text);
  return values;
}

TEST(SqlReportRowsTest, ColumnsAreWrittenAsEarlierVersionsWroteThem) {
  const std::vector<sql::Value> org = OrganizationCodec::Values(RichOrganization());
  EXPECT_EQ(Text(org[kSupervisors]), kEarlierSupervisors);
  EXPECT_EQ(Text(org[kContacts]), kEarlierContacts);
  EXPECT_EQ(Text(org[kRemedies]), kEarlierRemedies);
  const std::vector<sql::Value> empty_org = OrganizationCodec::Values(Organization{});
  for (size_t column : {kSupervisors, kContacts, kRemedies}) {
    EXPECT_EQ(Text(empty_org[column]), "[]");
  }

  const std::vector<sql::Value> report = ReportCodec::Values(RichReport());
  EXPECT_EQ(Text(report[kContent]), kEarlierContent);
  EXPECT_EQ(Text(report[kLifecycle]), kEarlierLifecycle);
  const std::vector<sql::Value> empty_report = ReportCodec::Values(Report{});
  EXPECT_EQ(Text(empty_report[kContent]), kEarlierEmptyContent);
  EXPECT_EQ(Text(empty_report[kLifecycle]), kEarlierEmptyLifecycle);

  EXPECT_EQ(SnapshotJson(RichReport()), EarlierSnapshot());
  EXPECT_EQ(SnapshotJson(Report{}), EarlierEmptySnapshot());
}

TEST(SqlReportRowsTest, AnEarlierOrganizationRowReadsEveryField) {
  const std::vector<sql::Value> row =
      WithJson(OrganizationCodec::Values(RichOrganization()), {{kSupervisors, kEarlierSupervisors},
                                                               {kContacts, kEarlierContacts},
                                                               {kRemedies, kEarlierRemedies}});
  const Organization o = OrganizationCodec::FromRow(sql::Row(row), 0);
  EXPECT_EQ(OrganizationCodec::Values(o), row);  // nothing lost on the way back
  EXPECT_THAT(o.supervisors, ElementsAre("yifazhixian", "shi-minzheng"));
  ASSERT_EQ(o.contacts.size(), 2u);
  EXPECT_EQ(o.contacts[1].name, "李\"四\"");
  EXPECT_EQ(o.contacts[1].email, "a\\b@example.org");
  ASSERT_EQ(o.finding_remedies.size(), 3u);
  const FindingRemedy& remedy = o.finding_remedies[0];
  EXPECT_EQ(remedy.cause, "编制所限，“执法”岗位空缺\n第二行");
  EXPECT_EQ(std::tuple(remedy.due_year, remedy.due_month, remedy.due_day), std::tuple(0, 9, 30));
  EXPECT_EQ(o.finding_remedies[1].due_year, 2025);
  EXPECT_EQ(o.finding_remedies[2].cause, "\x01\x1f tab\t");
  EXPECT_EQ(o.credit_code, "11410423005703518N");
  EXPECT_TRUE(o.two_person_approval);
}

TEST(SqlReportRowsTest, AnEarlierReportRowReadsEveryField) {
  const std::vector<sql::Value> row =
      WithJson(ReportCodec::Values(RichReport()),
               {{kContent, kEarlierContent}, {kLifecycle, kEarlierLifecycle}});
  const Report r = ReportCodec::FromRow(sql::Row(row), 0);
  EXPECT_EQ(ReportCodec::Values(r), row);
  const ReportContent& c = r.content;
  EXPECT_EQ(c.layout.preset, LayoutPreset::kCustom);
  ASSERT_EQ(c.layout.entries.size(), 2u);
  EXPECT_EQ(c.layout.entries[0].item, ContentItem::kHeadDuty);
  ASSERT_EQ(c.sections.size(), 2u);
  EXPECT_THAT(c.sections[0].items[0].paragraphs,
              ElementsAre("共{{study.sessions.all_staff}}次", "back\\slash"));
  EXPECT_THAT(c.sections[1].items, IsEmpty());
  ASSERT_EQ(c.shortcomings.size(), 2u);
  EXPECT_THAT(c.shortcomings[0].due_date, Optional(absl::CivilDay(2025, 6, 30)));
  EXPECT_EQ(c.shortcomings[1].due_date, std::nullopt);
  EXPECT_EQ(c.shortcomings[0].status, RectificationStatus::kInProgress);
  ASSERT_EQ(c.plan_items.size(), 2u);
  EXPECT_THAT(c.plan_items[1].due_date, Optional(absl::CivilDay(2025, 12, 31)));
  EXPECT_EQ(c.signatory.title, "局长");
  EXPECT_THAT(c.report_date, Optional(absl::CivilDay(2025, 2, 20)));
  EXPECT_EQ(c.document_number, "鲁民〔2025〕3号");
  EXPECT_THAT(c.preamble, ElementsAre("开头第一段", "第二段\r\n"));
  EXPECT_THAT(c.suppressed_findings, ElementsAre("study.lecture.short"));
  EXPECT_THAT(c.suppression_reasons, IsEmpty());  // from before reasons were stored
  EXPECT_THAT(r.life.submit_time, Optional(absl::FromUnixMicros(1739000000000001)));
  EXPECT_EQ(r.life.first_publish_time, std::nullopt);
  ASSERT_TRUE(r.life.last_transition.has_value());
  EXPECT_EQ(r.life.last_transition->comment, "发布\n说明");
  EXPECT_EQ(r.life.last_transition->time, absl::FromUnixMicros(1739200000000003));
  EXPECT_EQ(r.life.last_transition->to, ReportState::kPublished);

  const Report empty = ReportCodec::FromRow(
      sql::Row(WithJson(ReportCodec::Values(Report{}),
                        {{kContent, kEarlierEmptyContent}, {kLifecycle, kEarlierEmptyLifecycle}})),
      0);
  EXPECT_EQ(empty.content.layout.preset, LayoutPreset::kRegulation);
  EXPECT_EQ(empty.content.report_date, std::nullopt);
  EXPECT_FALSE(empty.life.last_transition.has_value());
  EXPECT_EQ(empty.life.submit_time, std::nullopt);
}

TEST(SqlReportRowsTest, SuppressionReasonsRoundTripInRowsAndSnapshots) {
  Report r = RichReport();
  r.content.suppression_reasons = {{"study.lecture.short", "已在\"督查\"中说明"}};
  const Report row = ReportCodec::FromRow(sql::Row(ReportCodec::Values(r)), 0);
  EXPECT_THAT(row.content.suppression_reasons,
              ElementsAre(Pair("study.lecture.short", "已在\"督查\"中说明")));
  EXPECT_EQ(ReportCodec::Values(row), ReportCodec::Values(r));
  EXPECT_EQ(SnapshotFrom(SnapshotJson(r)).content.suppression_reasons,
            r.content.suppression_reasons);
}

TEST(SqlReportRowsTest, AnEarlierSnapshotReadsEveryField) {
  const Report r = SnapshotFrom(EarlierSnapshot());
  EXPECT_EQ(SnapshotJson(r), EarlierSnapshot());
  EXPECT_EQ(r.meta.org, "minzheng");
  EXPECT_EQ(r.meta.revision, 7);
  EXPECT_EQ(r.meta.create_time, absl::FromUnixMicros(1735689600123456));
  EXPECT_EQ(r.state, ReportState::kPublished);
  EXPECT_EQ(r.content.title, "鲁山县民政局关于2024年法治政府建设情况的报告");
  EXPECT_EQ(r.content.submit_before, absl::CivilDay(2025, 2, 25));
  EXPECT_EQ(r.correction_reason, "更正\"学习\"次数");
  EXPECT_EQ(r.life.published_by, "office");
  EXPECT_EQ(SnapshotJson(SnapshotFrom(EarlierEmptySnapshot())), EarlierEmptySnapshot());
}

TEST(SqlReportRowsTest, OlderShapesAndDamagedJsonReadAsTheyAlwaysDid) {
  std::vector<sql::Value> row = ReportCodec::Values(Report{});
  // Content from before document_number and suppressed_findings, without a
  // layout: the missing layout reads as preset 0, not the default.
  row[kContent] = sql::Value(R"({"preamble":["a"],"signatory":{"name":"张三"}})");
  row[kLifecycle] = sql::Value(R"({"submitted_by":"clerk","submit_time":"soon",)"
                               R"("last_transition":"none"})");
  Report r = ReportCodec::FromRow(sql::Row(row), 0);
  EXPECT_EQ(r.content.layout.preset, LayoutPreset::kUnspecified);
  EXPECT_THAT(r.content.preamble, ElementsAre("a"));
  EXPECT_EQ(r.content.signatory.name, "张三");
  EXPECT_EQ(r.content.document_number, "");
  EXPECT_THAT(r.content.suppressed_findings, IsEmpty());
  EXPECT_EQ(r.life.submitted_by, "clerk");
  EXPECT_EQ(r.life.submit_time, std::nullopt);
  EXPECT_FALSE(r.life.last_transition.has_value());

  // Damaged JSON reads as the defaults.
  row[kContent] = sql::Value("{\"preamble\":[");
  row[kLifecycle] = sql::Value("[]");
  r = ReportCodec::FromRow(sql::Row(row), 0);
  EXPECT_EQ(r.content.layout.preset, LayoutPreset::kRegulation);
  EXPECT_THAT(r.content.preamble, IsEmpty());
  EXPECT_EQ(r.life.submitted_by, "");
  EXPECT_EQ(SnapshotFrom("not json").year, 0);

  // A due day that is not [year, month, day] is none.
  std::vector<sql::Value> org = OrganizationCodec::Values(Organization{});
  org[kRemedies] =
      sql::Value(R"([{"finding":"a","due":[2025,4]},{"finding":"b","due":"2025-04-30"}])");
  const Organization o = OrganizationCodec::FromRow(sql::Row(org), 0);
  ASSERT_EQ(o.finding_remedies.size(), 2u);
  EXPECT_EQ(o.finding_remedies[0].finding, "a");
  EXPECT_EQ(o.finding_remedies[0].due_month, 0);
  EXPECT_EQ(o.finding_remedies[1].due_month, 0);
}

}  // namespace
}  // namespace fazhi::report
