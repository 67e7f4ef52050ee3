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
