#include "services/report/content.h"

#include <set>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/report/placeholder.h"

namespace fazhi::report {
namespace {

std::vector<ContentItem> Items(const std::vector<LayoutEntry>& entries) {
  std::vector<ContentItem> items;
  for (const LayoutEntry& e : entries) items.push_back(e.item);
  return items;
}

TEST(ContentTest, DefaultTitleNamesOrganAndYear) {
  EXPECT_EQ(DefaultTitle("鲁山县民政局", 2024), "鲁山县民政局关于2024年法治政府建设情况的报告");
}

TEST(ContentTest, DefaultDueDatesAreMarchAndAprilOfTheNextYear) {
  EXPECT_EQ(DefaultSubmitBefore(2024), absl::CivilDay(2025, 3, 1));
  EXPECT_EQ(DefaultPublishBefore(2024), absl::CivilDay(2025, 4, 1));
}

TEST(ContentTest, RegulationPresetKeepsTheRegulationsOrderAndWords) {
  std::vector<LayoutEntry> entries = PresetEntries(LayoutPreset::kRegulation);
  EXPECT_THAT(Items(entries),
              ::testing::ElementsAre(ContentItem::kMeasures, ContentItem::kShortcomings,
                                     ContentItem::kHeadDuty, ContentItem::kNextYearPlan,
                                     ContentItem::kOther));
  EXPECT_EQ(entries[0].heading, "{{year}}年推进法治政府建设的主要举措和成效");
  EXPECT_EQ(entries[3].heading, "{{next_year}}年推进法治政府建设的主要安排");
  EXPECT_EQ(entries[4].heading, "其他需要报告的情况");
  EXPECT_EQ(Items(PresetEntries(LayoutPreset::kUnspecified)), Items(entries));
}

TEST(ContentTest, HeadFirstPresetFollowsTheCountyPractice) {
  std::vector<LayoutEntry> entries = PresetEntries(LayoutPreset::kHeadFirst);
  EXPECT_THAT(Items(entries),
              ::testing::ElementsAre(ContentItem::kHeadDuty, ContentItem::kMeasures,
                                     ContentItem::kShortcomings, ContentItem::kNextYearPlan,
                                     ContentItem::kOther));
  EXPECT_EQ(entries[1].heading, "{{year}}年度推进法治政府建设的主要举措和成效");
  EXPECT_THAT(entries[2].heading, ::testing::HasSubstr("不足、原因和整改"));
}

TEST(ContentTest, EveryPresetHasEachRequiredItemOnceAndValidTemplates) {
  for (LayoutPreset preset : {LayoutPreset::kRegulation, LayoutPreset::kYearPrefixed,
                              LayoutPreset::kHeadFirst}) {
    std::multiset<ContentItem> items;
    for (const LayoutEntry& e : PresetEntries(preset)) {
      items.insert(e.item);
      EXPECT_TRUE(ParseTemplate(e.heading).ok()) << e.heading;
    }
    for (ContentItem required : kRequiredItems) EXPECT_EQ(items.count(required), 1u);
    EXPECT_LE(items.count(ContentItem::kOther), 1u);
  }
  EXPECT_TRUE(PresetEntries(LayoutPreset::kCustom).empty());
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

TEST(ContentTest, NoPresetSaysNextOrLastYear) {
  for (LayoutPreset preset : {LayoutPreset::kRegulation, LayoutPreset::kYearPrefixed,
                              LayoutPreset::kHeadFirst}) {
    for (const LayoutEntry& e : PresetEntries(preset)) {
      EXPECT_EQ(e.heading.find("一年度"), std::string::npos) << e.heading;
    }
  }
}

TEST(ContentTest, WithYearsWritesTheRegulationsRelativeYearsAsYears) {
  EXPECT_EQ(WithYears("下一年度推进法治政府建设的初步安排"), "{{next_year}}年推进法治政府建设的初步安排");
  EXPECT_EQ(WithYears("上一年度推进法治政府建设存在的不足和原因"),
            "{{year}}年推进法治政府建设存在的不足和原因");
  EXPECT_EQ(WithYears("其他需要报告的情况"), "其他需要报告的情况");
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
