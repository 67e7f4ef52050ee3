#ifndef FAZHI_SERVICES_REPORT_FINDING_KINDS_H_
#define FAZHI_SERVICES_REPORT_FINDING_KINDS_H_

// The kinds of finding the gateway derives from the records. An
// organization may give its own 原因 and 整改 per kind
// (Organization.finding_remedies), so the report service checks the names
// and the gateway uses the same list.

#include "absl/strings/string_view.h"

namespace fazhi::report {

inline constexpr absl::string_view kFindingKinds[] = {
    "study.leadership.quarter_missed",
    "study.plan.missing",
    "study.plan.late",
    "study.plan.rule",
    "study.plan.laws_not_studied",
    "study.oath.coverage",
    "duty.staff_short",
    "duty.no_legal_reviewer",
    "duty.at_capacity",
    "duty.not_allocated",
    "duty.certificates.lapsed",
    "duty.training.short",
};

inline bool IsFindingKind(absl::string_view kind) {
  for (absl::string_view k : kFindingKinds) {
    if (k == kind) return true;
  }
  return false;
}

}  // namespace fazhi::report

#endif  // FAZHI_SERVICES_REPORT_FINDING_KINDS_H_
