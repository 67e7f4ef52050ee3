#include "services/sheets/xlsx_reader.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/sheets/xlsx_test_files.h"

namespace fazhi::sheets {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::Workbook;

// Style 0 General, 1 built-in date (14), 2 a custom Chinese date, 3 a
// number whose quoted "d" is no date, 4 a time (no date).
constexpr char kStyles[] =
    "<numFmts count=\"2\"><numFmt numFmtId=\"164\" "
    "formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;\"/>"
    "<numFmt numFmtId=\"165\" formatCode=\"0.00&quot;d&quot;\"/></numFmts>"
    "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
    "<cellXfs count=\"5\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/>"
    "<xf numFmtId=\"165\"/><xf numFmtId=\"20\"/></cellXfs>";

constexpr char kShared[] =
    "<si><t>日期</t></si>"
    "<si><r><t>标</t></r><r><rPr><b/></rPr><t>题</t></r><rPh sb=\"0\" "
    "eb=\"1\"><t>ダイ</t></rPh></si>"
    "<si><t xml:space=\"preserve\"> 两端空格 </t></si>";

TEST(XlsxReaderTest, SharedAndInlineStringsNumbersDatesGapsAndEmptyCells) {
  const std::string bytes = Workbook(
      "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
      "<c r=\"D1\" t=\"inlineStr\"><is><t>备注</t></is></c></row>"
      "<row r=\"2\"><c r=\"A2\" s=\"1\"><v>45359</v></c>"
      "<c r=\"B2\" t=\"inlineStr\"><is><r><t>党组</t></r><r><t>学法</t></r></is></c>"
      "<c r=\"C2\"><v>45</v></c><c r=\"D2\"><v>12.5</v></c><c r=\"E2\" s=\"2\"><v>45630</v></c>"
      "<c r=\"F2\" s=\"3\"><v>3</v></c><c r=\"G2\" s=\"4\"><v>0.5</v></c>"
      "<c r=\"H2\" t=\"b\"><v>1</v></c><c r=\"I2\" t=\"e\"><v>#N/A</v></c>"
      "<c r=\"J2\" t=\"str\"><f>A1</f><v>x</v></c><c r=\"K2\" t=\"s\"><v>2</v></c></row>"
      "<row r=\"4\"><c t=\"inlineStr\"><is><t>a</t></is></c><c/><c><v>0.30000000000000004</v></c>"
      "<c><v>1E-3</v></c></row>"
      "<row r=\"5\"><c r=\"B5\" s=\"2\"/></row>",
      kShared, kStyles);
  absl::StatusOr<Table> table = ReadXlsxSheet(bytes);
  ASSERT_TRUE(table.ok()) << table.status();
  ASSERT_EQ(table->size(), 4u);  // row 5 holds only an empty cell
  EXPECT_THAT((*table)[0], ElementsAre("日期", "标题", "", "备注"));
  EXPECT_THAT((*table)[1], ElementsAre("2024-03-08", "党组学法", "45", "12.5", "2024-12-04", "3",
                                       "0.5", "TRUE", "#N/A", "x", " 两端空格 "));
  EXPECT_TRUE((*table)[2].empty());  // row 3 is not in the file
  EXPECT_THAT((*table)[3], ElementsAre("a", "", "0.3", "0.001"));
}

TEST(XlsxReaderTest, SerialDatesInBothDateSystems) {
  EXPECT_EQ(SerialDate(1, false), "1900-01-01");
  EXPECT_EQ(SerialDate(59, false), "1900-02-28");
  EXPECT_EQ(SerialDate(60, false), "1900-02-29");
  EXPECT_EQ(SerialDate(61, false), "1900-03-01");
  EXPECT_EQ(SerialDate(45359.75, false), "2024-03-08");
  EXPECT_EQ(SerialDate(0, true), "1904-01-01");
  EXPECT_EQ(SerialDate(43897, true), "2024-03-08");

  const std::string bytes = Workbook("<row r=\"1\"><c r=\"A1\" s=\"1\"><v>43897</v></c></row>", "",
                                     kStyles, "<workbookPr date1904=\"1\"/>");
  absl::StatusOr<Table> table = ReadXlsxSheet(bytes);
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_THAT((*table)[0], ElementsAre("2024-03-08"));
}

TEST(XlsxReaderTest, ASheetByName) {
  const std::string bytes = Workbook("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>");
  absl::StatusOr<Table> notes = ReadXlsxSheet(bytes, "说明");
  ASSERT_TRUE(notes.ok()) << notes.status();
  EXPECT_THAT((*notes)[0], ElementsAre("说明"));
  absl::StatusOr<Table> missing = ReadXlsxSheet(bytes, "汇总");
  EXPECT_THAT(std::string(missing.status().message()), HasSubstr("no sheet named \"汇总\""));
}

TEST(XlsxReaderTest, BadFilesSayWhatIsWrong) {
  auto message = [](const std::string& bytes) {
    absl::StatusOr<Table> table = ReadXlsxSheet(bytes);
    EXPECT_FALSE(table.ok());
    EXPECT_EQ(table.status().code(), absl::StatusCode::kInvalidArgument);
    return std::string(table.status().message());
  };
  EXPECT_THAT(message(""), HasSubstr("not an XLSX file (the file is empty)"));
  EXPECT_THAT(message("date,title\n2024-03-08,x\n"),
              HasSubstr("not an XLSX file (not a ZIP archive"));
  EXPECT_THAT(message(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(600, '\0')),
              HasSubstr("Excel 97-2003 workbook (.xls)"));
  EXPECT_THAT(message(testing::Zip({{"word/document.xml", "<w/>"}})),
              HasSubstr("not an XLSX workbook: no xl/workbook.xml"));
  EXPECT_THAT(message(Workbook("<row r=\"1\"><c r=\"A1\"><v>1</v></row>")),
              HasSubstr("xl/worksheets/sheet1.xml: not well-formed XML at line 1"));
  EXPECT_THAT(message(Workbook("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>5</v></c></row>", kShared)),
              HasSubstr("shared string 5 does not exist"));
  EXPECT_THAT(message(Workbook("<row r=\"2\"><c r=\"A1\"><v>1</v></c></row>")),
              HasSubstr("cell reference \"A1\" in row 2"));
}

}  // namespace
}  // namespace fazhi::sheets
