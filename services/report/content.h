#ifndef FAZHI_SERVICES_REPORT_CONTENT_H_
#define FAZHI_SERVICES_REPORT_CONTENT_H_

// Defaults and built-in layouts of a report's content. Pure logic.

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/report/model.h"

namespace fazhi::report {

// The items every layout has exactly once; kOther is optional.
inline constexpr ContentItem kRequiredItems[] = {ContentItem::kMeasures, ContentItem::kShortcomings,
                                                 ContentItem::kHeadDuty, ContentItem::kNextYearPlan};

// The entries of a built-in preset (empty for kCustom); kUnspecified is
// kRegulation.
std::vector<LayoutEntry> PresetEntries(LayoutPreset preset);

// "鲁山县民政局关于2024年法治政府建设情况的报告".
std::string DefaultTitle(absl::string_view org_full_name, int year);

// A heading template with the regulation's 上一年度/下一年度 written as the
// report's years ({{year}}年, {{next_year}}年): a report names its years.
// For layouts stored before the presets said so, and for custom ones.
std::string WithYears(absl::string_view heading);

// What is wrong with a 发文字号 (GB/T 9704-2012 §7.2.4), or empty when it
// is right: the organ's code, the year in full in 六角括号 〔〕, the
// number in Arabic digits without leading zeros or 第, then 号, e.g.
// 鲁民〔2025〕3号.
std::string DocumentNumberProblem(absl::string_view number);

// Due dates are exclusive: on time means before the day. Defaults: 1 March
// and 1 April of the year after the report year.
absl::CivilDay DefaultSubmitBefore(int year);
absl::CivilDay DefaultPublishBefore(int year);

// Fills what an author may leave out: the title, a preset's entries (an
// unspecified preset becomes kRegulation). Due dates are filled by the
// caller that knows whether they were given.
void ApplyContentDefaults(ReportContent& content, absl::string_view org_full_name, int year);

}  // namespace fazhi::report

#endif  // FAZHI_SERVICES_REPORT_CONTENT_H_
