#include "services/cli/csv_rows.h"

#include "fazhi/duty/v1/duty.pb.h"
#include "fazhi/study/v1/study.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/cli/json_rows.h"

namespace fazhi::cli {
namespace {

using ::testing::HasSubstr;

TEST(CsvToJsonRecordsTest, TypedCellsListsDatesAndEnums) {
  const std::string csv =
      "\xEF\xBB\xBF"
      "date,kind,title,laws,duration_minutes,headAttended,external_id\n"
      "2024-03-08,STUDY_KIND_LEADERSHIP_GROUP,\"党组会议学法，第一季度\","
      "民法典；行政处罚法、行政许可法,45,是,x-1\n"
      "2024/12/04,6,宪法宣誓,宪法,30,false,\n";
  auto records = CsvToJsonRecords(csv, *fazhi::study::v1::Session::descriptor());
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 2u);
  fazhi::study::v1::Session first, second;
  ASSERT_TRUE(ParseJsonRecord((*records)[0], 0, first).ok());
  ASSERT_TRUE(ParseJsonRecord((*records)[1], 1, second).ok());
  EXPECT_EQ(first.date().month(), 3);
  EXPECT_EQ(first.kind(), fazhi::study::v1::STUDY_KIND_LEADERSHIP_GROUP);
  EXPECT_EQ(first.title(), "党组会议学法，第一季度");
  EXPECT_THAT(first.laws(), ::testing::ElementsAre("民法典", "行政处罚法", "行政许可法"));
  EXPECT_EQ(first.duration_minutes(), 45);
  EXPECT_TRUE(first.head_attended());
  EXPECT_EQ(first.external_id(), "x-1");
  EXPECT_EQ(second.date().day(), 4);
  EXPECT_EQ(second.kind(), fazhi::study::v1::STUDY_KIND_CONSTITUTIONAL_OATH);
  EXPECT_FALSE(second.head_attended());
}

TEST(CsvToJsonRecordsTest, ChineseHeadersAndEnumNames) {
  const std::string csv =
      "日期,类型（kind）,主题 (title),时长（分钟）\n"
      "2024-03-08,集中学习,民法典专题,90\n"
      "2024-03-09,学法考试（不对）,x,30\n";
  auto records = CsvToJsonRecords(csv, *fazhi::study::v1::Session::descriptor());
  ASSERT_TRUE(records.ok()) << records.status();
  fazhi::study::v1::Session session;
  ASSERT_TRUE(ParseJsonRecord((*records)[0], 0, session).ok()) << (*records)[0];
  EXPECT_EQ(session.kind(), fazhi::study::v1::STUDY_KIND_ALL_STAFF);
  EXPECT_EQ(session.title(), "民法典专题");
  EXPECT_EQ(session.duration_minutes(), 90);
  // An unknown name stays as written, and the JSON parse names it.
  fazhi::study::v1::Session unknown;
  EXPECT_FALSE(ParseJsonRecord((*records)[1], 1, unknown).ok());
}

TEST(CsvToJsonRecordsTest, DottedHeadersFillNestedMessages) {
  const std::string csv =
      "person_id,display_name,certificate.number,certificate.expiry_date,domains\n"
      "p1,张三,HN-000123,2026-06-30,殡葬;慈善\n";
  auto records = CsvToJsonRecords(csv, *fazhi::duty::v1::Officer::descriptor());
  ASSERT_TRUE(records.ok()) << records.status();
  fazhi::duty::v1::Officer officer;
  ASSERT_TRUE(ParseJsonRecord((*records)[0], 0, officer).ok()) << (*records)[0];
  EXPECT_EQ(officer.certificate().number(), "HN-000123");
  EXPECT_EQ(officer.domains_size(), 2);
}

TEST(CsvToJsonRecordsTest, ErrorsNameRowAndColumn) {
  auto bad_date =
      CsvToJsonRecords("date,title\n2024-13-01,x\n", *fazhi::study::v1::Session::descriptor());
  EXPECT_THAT(std::string(bad_date.status().message()), HasSubstr("row 2, column \"date\""));
  auto bad_column =
      CsvToJsonRecords("no_such,title\n1,x\n", *fazhi::study::v1::Session::descriptor());
  EXPECT_THAT(std::string(bad_column.status().message()), HasSubstr("no field \"no_such\""));
  auto bad_quotes =
      CsvToJsonRecords("title\n\"unclosed\n", *fazhi::study::v1::Session::descriptor());
  EXPECT_FALSE(bad_quotes.ok());
}

}  // namespace
}  // namespace fazhi::cli
