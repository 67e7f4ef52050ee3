#include "services/report/content.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"

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
      return {{ContentItem::kHeadDuty, absl::StrCat("{{year}}年度", kHeadDutyWords)},
              {ContentItem::kMeasures, absl::StrCat("{{year}}年度", kMeasuresWords)},
              {ContentItem::kShortcomings,
               "{{year}}年度推进法治政府建设存在的不足、原因和整改情况"},
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
  return absl::StrReplaceAll(heading, {{"上一年度", "{{year}}年"}, {"下一年度", "{{next_year}}年"}});
}

std::string DocumentNumberProblem(absl::string_view number) {
  constexpr absl::string_view kExample = ", e.g. 鲁民〔2025〕3号";
  const size_t open = number.find("〔");
  const size_t close = number.find("〕");
  if (open == absl::string_view::npos || close == absl::string_view::npos || close < open) {
    return absl::StrCat("must put the year in 六角括号 〔〕, not [] or ()", kExample);
  }
  if (open == 0) return absl::StrCat("must begin with the organ's code (机关代字)", kExample);
  const absl::string_view year = number.substr(open + 3, close - open - 3);
  if (year.size() != 4 || !std::all_of(year.begin(), year.end(), absl::ascii_isdigit)) {
    return absl::StrCat("must give the year in full, four digits", kExample);
  }
  absl::string_view serial = number.substr(close + 3);
  if (!absl::ConsumeSuffix(&serial, "号")) return absl::StrCat("must end with 号", kExample);
  if (serial.empty() || !std::all_of(serial.begin(), serial.end(), absl::ascii_isdigit)) {
    return absl::StrCat("must number the document in Arabic digits, without 第", kExample);
  }
  if (serial[0] == '0') return absl::StrCat("must not pad the number with zeros", kExample);
  return "";
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
