#include "services/kernel/layout.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace fazhi::kernel {
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
      // The regulation's 上一年度/下一年度, written as the years they are.
      return {{ContentItem::kMeasures, absl::StrCat("{{year}}年", kMeasuresWords)},
              {ContentItem::kShortcomings, absl::StrCat("{{year}}年", kShortcomingsWords)},
              {ContentItem::kHeadDuty, absl::StrCat("{{year}}年", kHeadDutyWords)},
              {ContentItem::kNextYearPlan, absl::StrCat("{{next_year}}年", kPlanWords)},
              {ContentItem::kOther, kOtherWords}};
    case LayoutPreset::kYearPrefixed:
      return {{ContentItem::kMeasures, absl::StrCat("{{year}}年度", kMeasuresWords)},
              {ContentItem::kShortcomings, absl::StrCat("{{year}}年度", kShortcomingsWords)},
              {ContentItem::kHeadDuty, absl::StrCat("{{year}}年度", kHeadDutyWords)},
              {ContentItem::kNextYearPlan, absl::StrCat("{{next_year}}年度", kPlanWords)},
              {ContentItem::kOther, kOtherWords}};
    case LayoutPreset::kHeadFirst:
      // The head's duty leads; shortcomings come with their rectification.
      return {
          {ContentItem::kHeadDuty, absl::StrCat("{{year}}年度", kHeadDutyWords)},
          {ContentItem::kMeasures, absl::StrCat("{{year}}年度", kMeasuresWords)},
          {ContentItem::kShortcomings, "{{year}}年度推进法治政府建设存在的不足、原因和整改情况"},
          {ContentItem::kNextYearPlan, "{{next_year}}年推进法治政府建设的初步安排"},
          {ContentItem::kOther, kOtherWords}};
    case LayoutPreset::kCustom:
      return {};
  }
  return {};
}

std::string DefaultTitle(absl::string_view org_full_name, int year) {
  return absl::StrCat(org_full_name, "关于", year, "年法治政府建设情况的报告");
}

std::string WithYears(absl::string_view heading) {
  return absl::StrReplaceAll(heading,
                             {{"上一年度", "{{year}}年"}, {"下一年度", "{{next_year}}年"}});
}

}  // namespace fazhi::kernel
