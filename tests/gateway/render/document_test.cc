#include "services/gateway/render/document.h"

#include "gtest/gtest.h"

namespace fazhi::render {
namespace {

TEST(ChineseNumeralTest, CountsLikeAPerson) {
  EXPECT_EQ(ChineseNumeral(1), "一");
  EXPECT_EQ(ChineseNumeral(9), "九");
  EXPECT_EQ(ChineseNumeral(10), "十");
  EXPECT_EQ(ChineseNumeral(11), "十一");
  EXPECT_EQ(ChineseNumeral(20), "二十");
  EXPECT_EQ(ChineseNumeral(35), "三十五");
  EXPECT_EQ(ChineseNumeral(100), "一百");
  EXPECT_EQ(ChineseNumeral(101), "一百零一");
  EXPECT_EQ(ChineseNumeral(110), "一百一十");
  EXPECT_EQ(ChineseNumeral(999), "九百九十九");
}

TEST(NumberHeadingsTest, LevelsRestartUnderTheirParent) {
  Document d;
  auto heading = [&](int level) { d.body.push_back({BlockKind::kHeading, level, "", "h"}); };
  heading(1);
  heading(2);
  heading(2);
  d.body.push_back({BlockKind::kParagraph, 0, "", "text"});
  heading(3);
  heading(1);
  heading(2);
  for (int i = 0; i < 10; ++i) heading(1);
  NumberHeadings(d);
  EXPECT_EQ(d.body[0].number, "一、");
  EXPECT_EQ(d.body[1].number, "（一）");
  EXPECT_EQ(d.body[2].number, "（二）");
  EXPECT_EQ(d.body[3].number, "");
  EXPECT_EQ(d.body[4].number, "1.");
  EXPECT_EQ(d.body[5].number, "二、");
  EXPECT_EQ(d.body[6].number, "（一）");
  EXPECT_EQ(d.body.back().number, "十二、");
}

TEST(HeadingLabelTest, FourLevels) {
  EXPECT_EQ(HeadingLabel(1, 3), "三、");
  EXPECT_EQ(HeadingLabel(2, 3), "（三）");
  EXPECT_EQ(HeadingLabel(3, 3), "3.");
  EXPECT_EQ(HeadingLabel(4, 3), "（3）");
}

}  // namespace
}  // namespace fazhi::render
