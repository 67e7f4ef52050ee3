#ifndef FAZHI_SERVICES_REPORT_LIFECYCLE_H_
#define FAZHI_SERVICES_REPORT_LIFECYCLE_H_

// The life of a report as a state machine. Pure logic: the store runs it
// inside the transaction that writes its result.
//
//   DRAFT ─Submit→ SUBMITTED ─Approve→ APPROVED ─Publish→ PUBLISHED
//   SUBMITTED, APPROVED ─Reject→ REJECTED;  DRAFT, REJECTED ─Submit→ SUBMITTED
//   DRAFT, REJECTED ─Edit→ DRAFT;  PUBLISHED ─CreateRevision→ DRAFT (revision+1)
//   DRAFT, REJECTED, never published ─Delete→ (gone)

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/report/model.h"

namespace fazhi::report {

enum class Step { kEdit, kSubmit, kApprove, kReject, kPublish, kCreateRevision, kDelete };

struct StepRequest {
  Step step = Step::kEdit;
  std::string method;  // the RPC, for the recorded transition
  std::string actor;
  std::string comment;
  absl::Time now;
  bool two_person_approval = false;  // the organization's rule
};

// Applies `request.step` to `report`: its state, lifecycle and revision
// numbers. FAILED_PRECONDITION with the reason when the step is not allowed
// in the report's state (or by the two-person rule); `report` is unchanged
// then. An edit's new content is the caller's to set after this succeeds.
absl::Status ApplyStep(Report& report, const StepRequest& request);

// "DRAFT", "SUBMITTED", …
absl::string_view StateName(ReportState state);

}  // namespace fazhi::report

#endif  // FAZHI_SERVICES_REPORT_LIFECYCLE_H_
