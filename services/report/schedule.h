#ifndef FAZHI_SERVICES_REPORT_SCHEDULE_H_
#define FAZHI_SERVICES_REPORT_SCHEDULE_H_

// Whether an organization's report of a year is on time, as a supervisor
// (依法治县办, the department one level up) sees it on a given day. Pure
// logic.
//
// Due dates are exclusive ("before 1 March"). A report counts as submitted
// on the day (China time, UTC+8) of the submission that led to its first
// publication, or of the submission in force while it awaits approval; it
// counts as published on the day of its first publication. Corrections do
// not move either. Events after the judging day are not counted, so a past
// day is judged as it looked then.

#include <optional>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/report/model.h"

namespace fazhi::report {

// Values match fazhi.report.v1.OverdueReason.
enum class OverdueReason {
  kNotStarted = 1,
  kSubmissionOverdue = 2,
  kSubmittedLate = 3,
  kPublicationOverdue = 4,
  kPublishedLate = 5,
};

struct ReportTimeliness {
  bool started = false;
  ReportState state = ReportState::kUnspecified;  // the current state
  absl::CivilDay submit_before;
  absl::CivilDay publish_before;
  std::optional<absl::CivilDay> submitted_on;
  std::optional<absl::CivilDay> published_on;
  std::vector<OverdueReason> reasons;  // empty: on time so far
};

// `report` is null when the organization has no report of `year`.
ReportTimeliness JudgeTimeliness(int year, const Report* report, absl::CivilDay as_of);

}  // namespace fazhi::report

#endif  // FAZHI_SERVICES_REPORT_SCHEDULE_H_
