#include "services/report/content.h"

#include "absl/strings/str_cat.h"

namespace fazhi::report {
namespace {

// Headings in the regulation's words (《法治政府建设与责任落实督察工作规定》).
constexpr char kMeasuresWords[] = "推进法治政府建设的主要举措和成效";
constexpr char kShortcomingsWords[] = "推进法治政府建设存在的不足和原因";
constexpr char kHeadDutyWords[] =
    "党政主要负责人履行推进法治建设第一责任人职责，加强法治政府建设的有关情况";
constexpr char kPlanWords[] = "推进法治政府建设的主要安排";
constexpr char kOtherWords[] = "其他需要报告的情况";

}  // namespace

std::vector<LayoutEntry> PresetEntries(LayoutPreset preset) {
  switch (preset) {
    case LayoutPreset::kUnspecified:
    case LayoutPreset::kRegulation:
      return {{ContentItem::kMeasures, absl::StrCat("上一年度", kMeasuresWords)},
              {ContentItem::kShortcomings, absl::StrCat("上一年度", kShortcomingsWords)},
              {ContentItem::kHeadDuty, absl::StrCat("上一年度", kHeadDutyWords)},
              {ContentItem::kNextYearPlan, absl::StrCat("下一年度", kPlanWords)},
              {ContentItem::kOther, kOtherWords}};
    case LayoutPreset::kYearPrefixed:
      return {{ContentItem::kMeasures, absl::StrCat("{{year}}年度", kMeasuresWords)},
              {ContentItem::kShortcomings, absl::StrCat("{{year}}年度", kShortcomingsWords)},
              {ContentItem::kHeadDuty, absl::StrCat("{{year}}年度", kHeadDutyWords)},
              {ContentItem::kNextYearPlan, absl::StrCat("{{next_year}}年度", kPlanWords)},
              {ContentItem::kOther, kOtherWords}};
    case LayoutPreset::kHeadFirst:
      // The head's duty leads; shortcomings come with their rectification.
      return {{ContentItem::kHeadDuty, absl::StrCat("{{year}}年度", kHeadDutyWords)},
              {ContentItem::kMeasures, absl::StrCat("{{year}}年度", kMeasuresWords)},
              {ContentItem::kShortcomings,
               "{{year}}年度推进法治政府建设存在的不足、原因和整改情况"},
              {ContentItem::kNextYearPlan, "下一年度推进法治政府建设的初步安排"},
              {ContentItem::kOther, kOtherWords}};
    case LayoutPreset::kCustom:
      return {};
  }
  return {};
}

std::string DefaultTitle(absl::string_view org_full_name, int year) {
  return absl::StrCat(org_full_name, "关于", year, "年法治政府建设情况的报告");
}

absl::CivilDay DefaultSubmitBefore(int year) { return absl::CivilDay(year + 1, 3, 1); }
absl::CivilDay DefaultPublishBefore(int year) { return absl::CivilDay(year + 1, 4, 1); }

void ApplyContentDefaults(ReportContent& content, absl::string_view org_full_name, int year) {
  if (content.title.empty()) content.title = DefaultTitle(org_full_name, year);
  if (content.layout.preset == LayoutPreset::kUnspecified) {
    content.layout.preset = LayoutPreset::kRegulation;
  }
  if (content.layout.preset != LayoutPreset::kCustom) {
    content.layout.entries = PresetEntries(content.layout.preset);
  }
}

}  // namespace fazhi::report
