#include "services/gateway/render/gongwen.h"

#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace fazhi::render {
namespace {

using ::testing::ElementsAre;

int Chars(const std::string& line) {
  int n = 0;
  for (unsigned char c : line) n += (c & 0xC0) != 0x80;
  return n;
}

TEST(HalfWidthsTest, ChineseTwoAsciiOne) {
  EXPECT_EQ(HalfWidths("鲁山县民政局"), 12);
  EXPECT_EQ(HalfWidths("2025年1月15日"), 13);  // 7 digits, 3 characters
  EXPECT_EQ(HalfWidths(""), 0);
}

TEST(HalfWidthsTest, AMalformedByteIsAGlyphOfItsOwn) {
  // The kernel's decoder reads the text: every byte it refuses is one glyph
  // as wide as a Chinese character; what follows it is read afresh.
  EXPECT_EQ(HalfWidths("a\xff"), 3);
  EXPECT_EQ(HalfWidths("\xe6\xb0"), 4);  // a truncated 民: two stray bytes
  EXPECT_EQ(HalfWidths("\xe6\x61"), 3);
}

TEST(TitleLineTest, TwentyTwoPointCharactersOnTheTextBlock) {
  // 156 mm = 442.2 pt; a 22 pt character set 0.25 pt tight is 21.75 pt.
  EXPECT_EQ(kTitleLineChars, static_cast<int>(156 / 25.4 * 72 / 21.75));
  EXPECT_EQ(kLineChars, static_cast<int>(156 / 25.4 * 72 / 15.75));
}

TEST(BreakTitleTest, ShortTitleStaysOnOneLine) {
  EXPECT_THAT(BreakTitle("鲁山县民政局工作报告"), ElementsAre("鲁山县民政局工作报告"));
}

TEST(BreakTitleTest, BreaksAfterTheYearNotBeforeTheLastWords) {
  // 22 characters wide: "…建设情况 / 的报告" is what a greedy break gives.
  EXPECT_THAT(BreakTitle("鲁山县民政局关于2024年法治政府建设情况的报告", 20, "鲁山县民政局"),
              ElementsAre("鲁山县民政局关于2024年", "法治政府建设情况的报告"));
}

TEST(BreakTitleTest, NeverALastLineOfThreeCharactersOrFewer) {
  // 21 characters: one over the line; the greedy split leaves "告".
  const std::string title = "某某县市场监督管理局法治政府建设年度报告告";
  for (int max = 18; max <= 20; ++max) {
    std::vector<std::string> lines = BreakTitle(title, max);
    ASSERT_GE(lines.size(), 2u);
    EXPECT_GT(Chars(lines.back()), 3) << absl::StrJoin(lines, "|");
    EXPECT_EQ(absl::StrJoin(lines, ""), title);
  }
}

TEST(BreakTitleTest, LinesBalancedAndShapedAsTrapezoidOrDiamond) {
  const std::string title =
      "某某省某某市某某县人民政府办公室关于2024年度推进法治政府建设工作和党政主要负责人履行推进法治"
      "建设"
      "第一责任人职责情况的报告";
  std::vector<std::string> lines = BreakTitle(title, 20, "某某省某某市某某县人民政府办公室");
  ASSERT_EQ(lines.size(), 4u) << absl::StrJoin(lines, "|");
  EXPECT_EQ(absl::StrJoin(lines, ""), title);
  int shortest = 100, longest = 0;
  for (const auto& line : lines) {
    EXPECT_LE(HalfWidths(line), 40) << line;
    shortest = std::min(shortest, HalfWidths(line));
    longest = std::max(longest, HalfWidths(line));
  }
  EXPECT_LE(longest - shortest, 8) << absl::StrJoin(lines, "|");  // within four characters
  // No line narrower than both neighbours (an hourglass).
  for (size_t i = 1; i + 1 < lines.size(); ++i) {
    EXPECT_FALSE(HalfWidths(lines[i]) < HalfWidths(lines[i - 1]) - 1 &&
                 HalfWidths(lines[i]) < HalfWidths(lines[i + 1]) - 1)
        << absl::StrJoin(lines, "|");
  }
  EXPECT_EQ(lines[0].rfind("某某省某某市某某县人民政府办公室", 0), 0u)
      << "the organ's name is split";
}

TEST(BreakTitleTest, KeepsNumbersWholeAndClosingMarksOffLineStarts) {
  const std::string title = "关于《中华人民共和国行政处罚法》实施情况和20242025两年执法检查的报告";
  std::vector<std::string> lines = BreakTitle(title, 16);
  ASSERT_GE(lines.size(), 2u);
  for (const auto& line : lines) {
    EXPECT_NE(line.rfind("》", 0), 0u) << absl::StrJoin(lines, "|");
    EXPECT_FALSE(line.size() >= 3 && line.compare(line.size() - 3, 3, "《") == 0);
  }
  EXPECT_NE(absl::StrJoin(lines, "|").find("20242025"), std::string::npos)
      << absl::StrJoin(lines, "|");
}

TEST(BreakTitleTest, AuthorsNewlinesWin) {
  EXPECT_THAT(BreakTitle("鲁山县民政局\n关于2024年法治政府建设情况的报告\n"),
              ElementsAre("鲁山县民政局", "关于2024年法治政府建设情况的报告"));
}

TEST(LayOutSignatureTest, DateShorterThanSignature) {
  // 署名 of 8 characters, date of 6.5: 署名 two characters in from the right
  // edge, date starting two characters right of the 署名's start.
  const SignatureGeometry g = LayOutSignature(16, 13);
  EXPECT_EQ(g.signature_right, 4);
  EXPECT_EQ(g.signature_left, 56 - 4 - 16);
  EXPECT_EQ(g.date_left - g.signature_left, 4);
  EXPECT_EQ(g.date_right, 56 - g.date_left - 13);
  EXPECT_EQ(g.date_right, 3);
}

TEST(LayOutSignatureTest, DateLongerThanSignature) {
  // 鲁山县民政局 (6 characters) and 2025年1月15日 (6.5): the date ends two
  // characters in, and the 署名 moves left to start two characters before it.
  const SignatureGeometry g =
      LayOutSignature(HalfWidths("鲁山县民政局"), HalfWidths("2025年1月15日"));
  EXPECT_EQ(g.date_right, 4);
  EXPECT_EQ(g.date_left, 56 - 4 - 13);
  EXPECT_EQ(g.signature_left, g.date_left - 4);
  EXPECT_EQ(g.signature_right, 56 - g.signature_left - 12);
  EXPECT_EQ(g.signature_right, 9);  // 4.5 characters
}

TEST(LayOutSignatureTest, EqualLengthsKeepTheSignatureTwoIn) {
  const SignatureGeometry g = LayOutSignature(12, 12);
  EXPECT_EQ(g.signature_right, 4);
  EXPECT_EQ(g.date_right, 0);
}

TEST(LayOutSignatureTest, OnlyOneOfThem) {
  EXPECT_EQ(LayOutSignature(12, 0).signature_right, 4);
  const SignatureGeometry date_only = LayOutSignature(0, 15);
  EXPECT_EQ(date_only.date_right, 4);
  EXPECT_EQ(date_only.date_left, 56 - 4 - 15);
}

TEST(AddresseeLineTest, EndsWithOneFullWidthColon) {
  EXPECT_EQ(AddresseeLine("县委依法治县办"), "县委依法治县办：");
  EXPECT_EQ(AddresseeLine("县委、县政府："), "县委、县政府：");
  EXPECT_EQ(AddresseeLine(" 县政府: "), "县政府：");
  EXPECT_EQ(AddresseeLine(""), "");
}

TEST(OrganAboveTitleTest, OnlyWhenTheTitleLacksItAndThereIsNoHeader) {
  Document d;
  d.organ = "鲁山县民政局";
  d.title = "鲁山县民政局关于2024年法治政府建设情况的报告";
  EXPECT_FALSE(OrganAboveTitle(d));
  d.title = "关于2024年法治政府建设情况的报告";
  EXPECT_TRUE(OrganAboveTitle(d));
  d.document_number = "鲁民〔2025〕3号";
  EXPECT_TRUE(HasHeader(d));
  EXPECT_FALSE(OrganAboveTitle(d));  // the 版头 carries it
}

// The measurements made once for all renderers are those each renderer
// made for itself before.
TEST(LayOutTest, MeasuresOnceWhatEveryRendererUses) {
  Document d;
  d.organ = "鲁山县人民政府办公室";
  d.title = "鲁山县人民政府办公室关于2024年度推进法治政府建设情况的报告";
  d.addressee = " 县委、县政府: ";
  d.document_number = "鲁政办〔2025〕3号";
  d.signature = "鲁山县人民政府办公室";
  d.date = "2025年1月15日";
  const Layout layout = LayOut(d);
  EXPECT_TRUE(layout.has_header);
  EXPECT_FALSE(layout.organ_above_title);
  EXPECT_EQ(layout.title_lines, BreakTitle(d.title, kTitleLineChars, d.organ));
  EXPECT_GT(layout.title_lines.size(), 1u);
  EXPECT_EQ(layout.addressee_line, "县委、县政府：");
  EXPECT_EQ(layout.header_mark_halves, HalfWidths("鲁山县人民政府办公室文件"));
  EXPECT_EQ(layout.document_number_halves, HalfWidths(d.document_number));
  EXPECT_EQ(layout.signature_halves, 20);
  EXPECT_EQ(layout.date_halves, 13);
  const SignatureGeometry g = LayOutSignature(20, 13);
  EXPECT_EQ(layout.signature.signature_left, g.signature_left);
  EXPECT_EQ(layout.signature.date_left, g.date_left);
  EXPECT_EQ(layout.signature.long_date, g.long_date);

  d.document_number.clear();
  d.title = "关于2024年度法治政府建设情况的报告";
  const Layout plain = LayOut(d);
  EXPECT_FALSE(plain.has_header);
  EXPECT_TRUE(plain.organ_above_title);
  EXPECT_EQ(plain.header_mark_halves, 0);
}

}  // namespace
}  // namespace fazhi::render
