#include "services/kernel/layout.h"

#include <set>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/kernel/placeholder.h"

namespace fazhi::kernel {
namespace {

std::vector<ContentItem> Items(const std::vector<LayoutEntry>& entries) {
  std::vector<ContentItem> items;
  for (const LayoutEntry& e : entries) items.push_back(e.item);
  return items;
}

TEST(LayoutTest, DefaultTitleNamesOrganAndYear) {
  EXPECT_EQ(DefaultTitle("鲁山县民政局", 2024), "鲁山县民政局关于2024年法治政府建设情况的报告");
}

TEST(LayoutTest, RegulationPresetKeepsTheRegulationsOrderAndWords) {
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

TEST(LayoutTest, HeadFirstPresetFollowsTheCountyPractice) {
  std::vector<LayoutEntry> entries = PresetEntries(LayoutPreset::kHeadFirst);
  EXPECT_THAT(Items(entries),
              ::testing::ElementsAre(ContentItem::kHeadDuty, ContentItem::kMeasures,
                                     ContentItem::kShortcomings, ContentItem::kNextYearPlan,
                                     ContentItem::kOther));
  EXPECT_EQ(entries[1].heading, "{{year}}年度推进法治政府建设的主要举措和成效");
  EXPECT_THAT(entries[2].heading, ::testing::HasSubstr("不足、原因和整改"));
}

TEST(LayoutTest, EveryPresetHasEachRequiredItemOnceAndValidTemplates) {
  for (LayoutPreset preset :
       {LayoutPreset::kRegulation, LayoutPreset::kYearPrefixed, LayoutPreset::kHeadFirst}) {
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

TEST(LayoutTest, NoPresetSaysNextOrLastYear) {
  for (LayoutPreset preset :
       {LayoutPreset::kRegulation, LayoutPreset::kYearPrefixed, LayoutPreset::kHeadFirst}) {
    for (const LayoutEntry& e : PresetEntries(preset)) {
      EXPECT_EQ(e.heading.find("一年度"), std::string::npos) << e.heading;
    }
  }
}

TEST(LayoutTest, WithYearsWritesTheRegulationsRelativeYearsAsYears) {
  EXPECT_EQ(WithYears("下一年度推进法治政府建设的初步安排"),
            "{{next_year}}年推进法治政府建设的初步安排");
  EXPECT_EQ(WithYears("上一年度推进法治政府建设存在的不足和原因"),
            "{{year}}年推进法治政府建设存在的不足和原因");
  EXPECT_EQ(WithYears("其他需要报告的情况"), "其他需要报告的情况");
}

}  // namespace
}  // namespace fazhi::kernel
