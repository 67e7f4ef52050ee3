#include "services/sheets/import_sheets.h"

#include "absl/strings/str_split.h"
#include "fazhi/duty/v1/duty.pb.h"
#include "fazhi/study/v1/study.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/sheets/xlsx_reader.h"

namespace fazhi::sheets {
namespace {

using ::testing::ElementsAre;
using ::testing::StartsWith;

TEST(ImportSheetsTest, HeadersNameFieldsInEitherLanguage) {
  const auto& session = *fazhi::study::v1::Session::descriptor();
  EXPECT_EQ(FieldPathOfHeader(session, "date"), "date");
  EXPECT_EQ(FieldPathOfHeader(session, " 日期 "), "date");
  EXPECT_EQ(FieldPathOfHeader(session, "日期（date）"), "date");
  EXPECT_EQ(FieldPathOfHeader(session, "Date (date)"), "date");
  EXPECT_EQ(FieldPathOfHeader(session, "时长（分钟）"), "duration_minutes");
  EXPECT_EQ(FieldPathOfHeader(session, "时长（分钟）（duration_minutes）"), "duration_minutes");
  EXPECT_EQ(FieldPathOfHeader(*fazhi::duty::v1::Officer::descriptor(), "执法证号"),
            "certificate.number");
  EXPECT_EQ(FieldPathOfHeader(session, "不认识"), "不认识");
}

TEST(ImportSheetsTest, EnumValuesByTheirChineseNames) {
  const auto& kind = *fazhi::study::v1::StudyKind_descriptor();
  EXPECT_EQ(EnumValueOfLabel(kind, "集中学习"), "STUDY_KIND_ALL_STAFF");
  EXPECT_EQ(EnumValueOfLabel(kind, " 党组（中心组）学法 "), "STUDY_KIND_LEADERSHIP_GROUP");
  // Another enum's name is none of this one's.
  EXPECT_EQ(EnumValueOfLabel(kind, "行政处罚"), "");
  EXPECT_EQ(EnumValueOfLabel(*fazhi::duty::v1::PowerType_descriptor(), "行政处罚"),
            "POWER_TYPE_PENALTY");
  EXPECT_THAT(EnumLabels(*fazhi::duty::v1::CertificateStatus_descriptor()),
              ElementsAre("有效", "暂扣", "吊销或注销"));
}

TEST(ImportSheetsTest, XlsxTemplateSaysWhatEachColumnTakes) {
  absl::StatusOr<std::string> xlsx = TemplateXlsx(*FindImportSheet("officers"));
  ASSERT_TRUE(xlsx.ok()) << xlsx.status();
  absl::StatusOr<Table> hints = ReadXlsxSheet(*xlsx, "填写说明");
  ASSERT_TRUE(hints.ok()) << hints.status();
  ASSERT_GE(hints->size(), 3u);
  EXPECT_THAT((*hints)[1], ElementsAre("列", "填写", "示例"));
  bool status_hint = false;
  for (const auto& row : *hints) {
    if (!row.empty() && row[0] == "证件状态（certificate.status）") {
      EXPECT_EQ(row[1], "填其一：有效、暂扣、吊销或注销（或英文值名）");
      status_hint = true;
    }
  }
  EXPECT_TRUE(status_hint);
}

TEST(ImportSheetsTest, EveryKindHasATemplate) {
  for (const char* kind : {"sessions", "events", "powers", "officers"}) {
    EXPECT_NE(FindImportSheet(kind), nullptr) << kind;
  }
  EXPECT_EQ(FindImportSheet("plans"), nullptr);
  EXPECT_EQ(ImportSheetFor(*fazhi::duty::v1::Power::descriptor())->kind, "powers");
}

// The XLSX template reads back as the CSV template's cells: typed dates and
// numbers come back as the CSV spells them.
TEST(ImportSheetsTest, XlsxTemplateReadsAsTheCsvTemplate) {
  for (const ImportSheet& sheet : ImportSheets()) {
    const std::string csv = TemplateCsv(sheet);
    ASSERT_THAT(csv, StartsWith("\xEF\xBB\xBF"));
    std::vector<std::string> lines = absl::StrSplit(csv.substr(3), "\r\n", absl::SkipEmpty());
    ASSERT_EQ(lines.size(), 2u) << sheet.kind;
    absl::StatusOr<std::string> xlsx = TemplateXlsx(sheet);
    ASSERT_TRUE(xlsx.ok()) << xlsx.status();
    absl::StatusOr<Table> table = ReadXlsxSheet(*xlsx);
    ASSERT_TRUE(table.ok()) << table.status();
    ASSERT_EQ(table->size(), 2u) << sheet.kind;
    std::vector<std::string> header = (*table)[0], sample = (*table)[1];
    sample.resize(header.size());
    for (size_t c = 0; c < sheet.columns.size(); ++c) {
      EXPECT_EQ(header[c], HeaderOf(sheet.columns[c]));
      EXPECT_EQ(sample[c], sheet.columns[c].sample) << sheet.kind << " " << header[c];
    }
    EXPECT_EQ(lines[0].find("日期（date）") != std::string::npos,
              sheet.kind == "sessions" || sheet.kind == "events");
  }
}

}  // namespace
}  // namespace fazhi::sheets
