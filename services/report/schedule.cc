#include "services/report/schedule.h"

#include "services/kernel/dates.h"
#include "services/report/content.h"

namespace fazhi::report {
namespace {

// The day of `t`, when it happened on or before `as_of`.
std::optional<absl::CivilDay> DayIfBy(const std::optional<absl::Time>& t, absl::CivilDay as_of) {
  if (!t) return std::nullopt;
  const absl::CivilDay day = kernel::DayInChina(*t);
  if (day > as_of) return std::nullopt;
  return day;
}

}  // namespace

ReportTimeliness JudgeTimeliness(int year, const Report* report, absl::CivilDay as_of) {
  ReportTimeliness out;
  out.started = report != nullptr && kernel::DayInChina(report->meta.create_time) <= as_of;
  out.submit_before = out.started ? report->content.submit_before : DefaultSubmitBefore(year);
  out.publish_before = out.started ? report->content.publish_before : DefaultPublishBefore(year);
  if (!out.started) {
    out.reasons.push_back(OverdueReason::kNotStarted);
  } else {
    out.state = report->state;
    const Lifecycle& life = report->life;
    out.published_on = DayIfBy(life.first_publish_time, as_of);
    if (out.published_on) {
      out.submitted_on = DayIfBy(life.first_submit_time, as_of);
    } else if (report->state == ReportState::kSubmitted ||
               report->state == ReportState::kApproved) {
      out.submitted_on = DayIfBy(life.submit_time, as_of);
    } else if (life.first_submit_time) {
      // Published after the judging day, submitted before it.
      out.submitted_on = DayIfBy(life.first_submit_time, as_of);
    }
  }
  if (out.submitted_on) {
    if (*out.submitted_on >= out.submit_before)
      out.reasons.push_back(OverdueReason::kSubmittedLate);
  } else if (as_of >= out.submit_before) {
    out.reasons.push_back(OverdueReason::kSubmissionOverdue);
  }
  if (out.published_on) {
    if (*out.published_on >= out.publish_before) {
      out.reasons.push_back(OverdueReason::kPublishedLate);
    }
  } else if (as_of >= out.publish_before) {
    out.reasons.push_back(OverdueReason::kPublicationOverdue);
  }
  return out;
}

}  // namespace fazhi::report
