// One row model, two readers: an XLSX sheet imports as the CSV of the same
// rows does, records and errors alike.

#include "fazhi/duty/v1/duty.pb.h"
#include "fazhi/study/v1/study.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/cli/csv_rows.h"
#include "services/cli/json_rows.h"
#include "services/cli/table_rows.h"
#include "services/sheets/import_sheets.h"
#include "services/sheets/xlsx_reader.h"
#include "services/sheets/xlsx_writer.h"

namespace fazhi::cli {
namespace {

absl::StatusOr<std::vector<std::string>> XlsxRecords(const std::string& bytes,
                                                     const google::protobuf::Descriptor& type) {
  absl::StatusOr<sheets::Table> table = sheets::ReadXlsxSheet(bytes);
  if (!table.ok()) return table.status();
  return TableToJsonRecords(*table, type);
}

TEST(XlsxRowsTest, TemplatesImportAsTheirCsv) {
  for (const sheets::ImportSheet& sheet : sheets::ImportSheets()) {
    absl::StatusOr<std::string> xlsx = sheets::TemplateXlsx(sheet);
    ASSERT_TRUE(xlsx.ok()) << xlsx.status();
    auto from_xlsx = XlsxRecords(*xlsx, *sheet.type);
    auto from_csv = CsvToJsonRecords(sheets::TemplateCsv(sheet), *sheet.type);
    ASSERT_TRUE(from_xlsx.ok()) << sheet.kind << ": " << from_xlsx.status();
    ASSERT_TRUE(from_csv.ok()) << sheet.kind << ": " << from_csv.status();
    ASSERT_EQ(from_xlsx->size(), 1u) << sheet.kind;
    EXPECT_EQ(*from_xlsx, *from_csv) << sheet.kind;
  }
  // The sample officer as the service will get it.
  const sheets::ImportSheet& officers = *sheets::FindImportSheet("officers");
  auto records = XlsxRecords(*sheets::TemplateXlsx(officers), *officers.type);
  fazhi::duty::v1::Officer officer;
  ASSERT_TRUE(ParseJsonRecord((*records)[0], 0, officer).ok()) << (*records)[0];
  EXPECT_EQ(officer.display_name(), "张三");
  EXPECT_EQ(officer.certificate().expiry_date().year(), 2028);
  EXPECT_EQ(officer.certificate().status(), fazhi::duty::v1::CERTIFICATE_STATUS_VALID);
  EXPECT_THAT(officer.domains(), ::testing::ElementsAre("社会组织", "殡葬"));
  EXPECT_TRUE(officer.established());
  EXPECT_EQ(officer.max_load(), 30);
  // The samples name enum values in Chinese.
  const sheets::ImportSheet& sessions = *sheets::FindImportSheet("sessions");
  records = XlsxRecords(*sheets::TemplateXlsx(sessions), *sessions.type);
  fazhi::study::v1::Session session;
  ASSERT_TRUE(ParseJsonRecord((*records)[0], 0, session).ok()) << (*records)[0];
  EXPECT_EQ(session.kind(), fazhi::study::v1::STUDY_KIND_LEADERSHIP_GROUP);
  EXPECT_EQ(session.date().day(), 8);
}

TEST(XlsxRowsTest, ABadRowGivesTheSameErrorAsCsv) {
  const sheets::Sheet sheet{"学法记录",
                            "",
                            {{"日期（date）"}, {"主题（title）"}, {"时长（分钟）"}},
                            {{absl::CivilDay(2024, 3, 8), std::string("党组学法"), 60.0},
                             {std::string("2024-13-01"), std::string("集中学习"), 30.0}},
                            0};
  absl::StatusOr<std::string> xlsx = sheets::WriteWorkbook({sheet}, "");
  ASSERT_TRUE(xlsx.ok()) << xlsx.status();
  const auto& type = *fazhi::study::v1::Session::descriptor();
  auto from_xlsx = XlsxRecords(*xlsx, type);
  auto from_csv = CsvToJsonRecords(
      "日期（date）,主题（title）,时长（分钟）\n2024-03-08,党组学法,60\n2024-13-01,集中学习,30\n",
      type);
  ASSERT_FALSE(from_xlsx.ok());
  EXPECT_EQ(from_xlsx.status(), from_csv.status());
  EXPECT_EQ(from_xlsx.status().message(),
            "row 3, column \"日期（date）\": not a date (YYYY-MM-DD)");
}

}  // namespace
}  // namespace fazhi::cli
