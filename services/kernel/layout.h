#ifndef FAZHI_SERVICES_KERNEL_LAYOUT_H_
#define FAZHI_SERVICES_KERNEL_LAYOUT_H_

// The layout vocabulary of a report (its content items and the built-in
// presets of headings) and its default title: what the report service
// stores and the gateway composes with. Pure logic.

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace fazhi::kernel {

// Values match fazhi.report.v1.ContentItem.
enum class ContentItem {
  kUnspecified = 0,
  kMeasures = 1,
  kShortcomings = 2,
  kHeadDuty = 3,
  kNextYearPlan = 4,
  kOther = 5,
};

// Values match fazhi.report.v1.LayoutPreset.
enum class LayoutPreset {
  kUnspecified = 0,
  kRegulation = 1,
  kYearPrefixed = 2,
  kHeadFirst = 3,
  kCustom = 4,
};

struct LayoutEntry {
  ContentItem item = ContentItem::kUnspecified;
  std::string heading;  // template, without its number
};

// The items every layout has exactly once; kOther is optional.
inline constexpr ContentItem kRequiredItems[] = {ContentItem::kMeasures, ContentItem::kShortcomings,
                                                 ContentItem::kHeadDuty,
                                                 ContentItem::kNextYearPlan};

// The entries of a built-in preset (empty for kCustom); kUnspecified is
// kRegulation.
std::vector<LayoutEntry> PresetEntries(LayoutPreset preset);

// "鲁山县民政局关于2024年法治政府建设情况的报告".
std::string DefaultTitle(absl::string_view org_full_name, int year);

// A heading template with the regulation's 上一年度/下一年度 written as the
// report's years ({{year}}年, {{next_year}}年): a report names its years.
// For layouts stored before the presets said so, and for custom ones.
std::string WithYears(absl::string_view heading);

}  // namespace fazhi::kernel

#endif  // FAZHI_SERVICES_KERNEL_LAYOUT_H_
