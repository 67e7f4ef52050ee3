#include "services/report/content.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/kernel/layout.h"

namespace fazhi::report {

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
  if (content.title.empty()) content.title = kernel::DefaultTitle(org_full_name, year);
  if (content.layout.preset == LayoutPreset::kUnspecified) {
    content.layout.preset = LayoutPreset::kRegulation;
  }
  if (content.layout.preset != LayoutPreset::kCustom) {
    content.layout.entries = kernel::PresetEntries(content.layout.preset);
  }
}

}  // namespace fazhi::report
