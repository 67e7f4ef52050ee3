#include "services/sheets/xlsx_writer.h"

#include <zip.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/sheets/xlsx_reader.h"

namespace fazhi::sheets {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// One part of a ZIP archive, or "" when it is not there.
std::string Part(const std::string& bytes, const std::string& path) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  zip_t* archive = zip_open_from_source(source, ZIP_RDONLY, &error);
  std::string content;
  zip_stat_t stat;
  if (archive != nullptr && zip_stat(archive, path.c_str(), 0, &stat) == 0) {
    content.resize(stat.size);
    zip_file_t* file = zip_fopen(archive, path.c_str(), 0);
    zip_fread(file, content.data(), stat.size);
    zip_fclose(file);
  }
  if (archive != nullptr) zip_discard(archive);
  return content;
}

Sheet Sample() {
  return Sheet{"看板",
               "县法治办 监督看板：2024年度",
               {{"单位", 28}, {"报送截止", 12}, {"学法次数", 10}, {"编号", 10, /*text=*/true}},
               {{std::string("民政局"), absl::CivilDay(2025, 3, 31), 12.0, std::string("001")},
                {std::string("司法局"), std::monostate(), 2.5, std::monostate()}},
               1};
}

TEST(XlsxWriterTest, ReadsBackAsWritten) {
  absl::StatusOr<std::string> bytes = WriteWorkbook({Sample()}, "监督看板");
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  absl::StatusOr<Table> table = ReadXlsxSheet(*bytes);
  ASSERT_TRUE(table.ok()) << table.status();
  ASSERT_EQ(table->size(), 4u);
  EXPECT_THAT((*table)[0], ElementsAre("县法治办 监督看板：2024年度"));
  EXPECT_THAT((*table)[1], ElementsAre("单位", "报送截止", "学法次数", "编号"));
  EXPECT_THAT((*table)[2], ElementsAre("民政局", "2025-03-31", "12", "001"));
  EXPECT_THAT((*table)[3], ElementsAre("司法局", "", "2.5"));
}

TEST(XlsxWriterTest, HeaderBoldAndFrozenWidthsAndTypedCells) {
  absl::StatusOr<std::string> bytes = WriteWorkbook({Sample()}, "监督看板");
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  const std::string sheet = Part(*bytes, "xl/worksheets/sheet1.xml");
  // Frozen below the header (row 2) and right of the first column.
  EXPECT_THAT(sheet, HasSubstr("xSplit=\"1\" ySplit=\"2\" topLeftCell=\"B3\""));
  EXPECT_THAT(sheet, HasSubstr("state=\"frozen\""));
  EXPECT_THAT(sheet, HasSubstr("<col min=\"1\" max=\"1\" width=\"28.7109375\""));
  EXPECT_THAT(sheet, HasSubstr("<mergeCell ref=\"A1:D1\"/>"));
  // Numbers and dates are numbers (no t="s"), the date serial 45747.
  EXPECT_THAT(sheet, HasSubstr("<c r=\"C3\"><v>12</v></c>"));
  EXPECT_THAT(sheet, ::testing::ContainsRegex("<c r=\"B3\" s=\"[0-9]+\"><v>45747</v></c>"));
  EXPECT_THAT(Part(*bytes, "xl/styles.xml"), HasSubstr("formatCode=\"yyyy-mm-dd\""));
  EXPECT_THAT(Part(*bytes, "xl/styles.xml"), HasSubstr("<b/>"));
  EXPECT_THAT(Part(*bytes, "docProps/core.xml"), HasSubstr("<dc:title>监督看板</dc:title>"));
}

TEST(XlsxWriterTest, ABadSheetNameIsAnError) {
  Sheet sheet = Sample();
  sheet.name = "a/b";
  absl::StatusOr<std::string> bytes = WriteWorkbook({sheet}, "");
  EXPECT_FALSE(bytes.ok());
  EXPECT_THAT(std::string(bytes.status().message()), HasSubstr("bad sheet name a/b"));
}

}  // namespace
}  // namespace fazhi::sheets
