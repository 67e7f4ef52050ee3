#ifndef FAZHI_SERVICES_REPORT_CONTENT_H_
#define FAZHI_SERVICES_REPORT_CONTENT_H_

// Defaults of a report's content and its 发文字号 rule (the built-in
// layouts are the kernel's, services/kernel/layout.h). Pure logic.

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/report/model.h"

namespace fazhi::report {

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
