#include "services/report/content.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace fazhi::report {
namespace {

TEST(ContentTest, DefaultDueDatesAreMarchAndAprilOfTheNextYear) {
  EXPECT_EQ(DefaultSubmitBefore(2024), absl::CivilDay(2025, 3, 1));
  EXPECT_EQ(DefaultPublishBefore(2024), absl::CivilDay(2025, 4, 1));
}

TEST(ContentTest, DefaultsFillTitleAndPresetButKeepCustomEntries) {
  ReportContent content;
  content.layout.preset = LayoutPreset::kUnspecified;
  content.layout.entries = {{ContentItem::kOther, "ignored for presets"}};
  ApplyContentDefaults(content, "鲁山县市场监督管理局", 2025);
  EXPECT_EQ(content.title, "鲁山县市场监督管理局关于2025年法治政府建设情况的报告");
  EXPECT_EQ(content.layout.preset, LayoutPreset::kRegulation);
  EXPECT_EQ(content.layout.entries.size(), 5u);

  ReportContent custom;
  custom.title = "自拟标题";
  custom.layout.preset = LayoutPreset::kCustom;
  custom.layout.entries = {{ContentItem::kNextYearPlan, "明年打算"}};
  ApplyContentDefaults(custom, "某局", 2025);
  EXPECT_EQ(custom.title, "自拟标题");
  ASSERT_EQ(custom.layout.entries.size(), 1u);
  EXPECT_EQ(custom.layout.entries[0].heading, "明年打算");
}

TEST(ContentTest, DocumentNumberFollowsGbT9704) {
  EXPECT_EQ(DocumentNumberProblem("鲁民〔2025〕3号"), "");
  EXPECT_EQ(DocumentNumberProblem("鲁山县民政局〔2025〕120号"), "");
  EXPECT_THAT(DocumentNumberProblem("鲁民[2025]3号"), ::testing::HasSubstr("〔〕"));
  EXPECT_THAT(DocumentNumberProblem("鲁民（2025）3号"), ::testing::HasSubstr("〔〕"));
  EXPECT_THAT(DocumentNumberProblem("〔2025〕3号"), ::testing::HasSubstr("机关代字"));
  EXPECT_THAT(DocumentNumberProblem("鲁民〔25〕3号"), ::testing::HasSubstr("four digits"));
  EXPECT_THAT(DocumentNumberProblem("鲁民〔2025〕03号"), ::testing::HasSubstr("zeros"));
  EXPECT_THAT(DocumentNumberProblem("鲁民〔2025〕第3号"), ::testing::HasSubstr("第"));
  EXPECT_THAT(DocumentNumberProblem("鲁民〔2025〕3"), ::testing::HasSubstr("号"));
}

}  // namespace
}  // namespace fazhi::report
