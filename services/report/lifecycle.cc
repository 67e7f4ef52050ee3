#include "services/report/lifecycle.h"

#include "absl/strings/str_cat.h"

namespace fazhi::report {
namespace {

using State = ReportState;

absl::Status NotAllowed(std::string reason) {
  return absl::FailedPreconditionError(std::move(reason));
}

// Why `step` is not allowed on `report`, or OK.
absl::Status Check(const Report& report, const StepRequest& request) {
  const State state = report.state;
  const absl::string_view name = StateName(state);
  switch (request.step) {
    case Step::kEdit:
      if (state == State::kDraft || state == State::kRejected) return absl::OkStatus();
      if (state == State::kPublished) {
        return NotAllowed(absl::StrCat("revision ", report.revision,
                                       " is PUBLISHED and never changes; CreateRevision starts a "
                                       "correction that can be edited"));
      }
      return NotAllowed(absl::StrCat("the report is ", name,
                                     " and cannot be edited; only DRAFT or REJECTED reports can "
                                     "(RejectReport sends it back)"));
    case Step::kSubmit:
      if (state == State::kDraft || state == State::kRejected) return absl::OkStatus();
      return NotAllowed(
          absl::StrCat("only a DRAFT or REJECTED report can be submitted; this one is ", name));
    case Step::kApprove:
      if (state != State::kSubmitted) {
        return NotAllowed(
            absl::StrCat("only a SUBMITTED report can be approved; this one is ", name));
      }
      if (request.two_person_approval && request.actor == report.life.submitted_by) {
        return NotAllowed(
            absl::StrCat("the organization requires two people: \"", request.actor,
                         "\" submitted this report and may not approve it; another person must"));
      }
      return absl::OkStatus();
    case Step::kReject:
      if (state == State::kSubmitted || state == State::kApproved) return absl::OkStatus();
      return NotAllowed(
          absl::StrCat("only a SUBMITTED or APPROVED report can be rejected; this one is ", name));
    case Step::kPublish:
      if (state == State::kApproved) return absl::OkStatus();
      if (state == State::kDraft || state == State::kRejected) {
        return NotAllowed(absl::StrCat("a ", name,
                                       " report cannot be published: submit it and have it "
                                       "approved first"));
      }
      if (state == State::kSubmitted) {
        return NotAllowed(
            "the report is SUBMITTED and awaits approval; only an APPROVED report "
            "can be published");
      }
      return NotAllowed(absl::StrCat("revision ", report.revision,
                                     " is already PUBLISHED; a correction needs CreateRevision"));
    case Step::kCreateRevision:
      if (state == State::kPublished) return absl::OkStatus();
      return NotAllowed(absl::StrCat(
          "only a PUBLISHED report can be corrected by a new revision; this one is ", name,
          " (revision ", report.revision, "), which can still be edited or rejected"));
    case Step::kDelete:
      if (report.published_revision > 0) {
        return NotAllowed(absl::StrCat("the report was published (revision ",
                                       report.published_revision,
                                       ") and stays on record; it cannot be deleted"));
      }
      if (state == State::kDraft || state == State::kRejected) return absl::OkStatus();
      return NotAllowed(
          absl::StrCat("the report is ", name, "; only a DRAFT or REJECTED report can be deleted"));
  }
  return absl::InternalError("unknown step");
}

State NextState(const Report& report, Step step) {
  switch (step) {
    case Step::kEdit:
      return State::kDraft;
    case Step::kSubmit:
      return State::kSubmitted;
    case Step::kApprove:
      return State::kApproved;
    case Step::kReject:
      return State::kRejected;
    case Step::kPublish:
      return State::kPublished;
    case Step::kCreateRevision:
      return State::kDraft;
    case Step::kDelete:
      return report.state;
  }
  return report.state;
}

}  // namespace

absl::string_view StateName(ReportState state) {
  switch (state) {
    case State::kUnspecified:
      return "UNSPECIFIED";
    case State::kDraft:
      return "DRAFT";
    case State::kSubmitted:
      return "SUBMITTED";
    case State::kApproved:
      return "APPROVED";
    case State::kPublished:
      return "PUBLISHED";
    case State::kRejected:
      return "REJECTED";
  }
  return "UNKNOWN";
}

absl::Status ApplyStep(Report& report, const StepRequest& request) {
  if (absl::Status allowed = Check(report, request); !allowed.ok()) return allowed;
  const State from = report.state;
  const State to = NextState(report, request.step);
  Lifecycle& life = report.life;
  switch (request.step) {
    case Step::kEdit:
    case Step::kDelete:
      break;
    case Step::kSubmit:
      life.submitted_by = request.actor;
      life.submit_time = request.now;
      life.approved_by.clear();
      life.approve_time.reset();
      break;
    case Step::kApprove:
      life.approved_by = request.actor;
      life.approve_time = request.now;
      break;
    case Step::kReject:
      life.approved_by.clear();
      life.approve_time.reset();
      break;
    case Step::kPublish:
      life.published_by = request.actor;
      life.publish_time = request.now;
      if (!life.first_publish_time) {
        life.first_publish_time = request.now;
        life.first_submit_time = life.submit_time;
      }
      report.published_revision = report.revision;
      break;
    case Step::kCreateRevision:
      report.revision += 1;
      report.correction_reason = request.comment;
      life.submitted_by.clear();
      life.submit_time.reset();
      life.approved_by.clear();
      life.approve_time.reset();
      break;
  }
  if (from != to) {
    report.state = to;
    life.last_transition =
        Transition{request.method, request.actor, request.now, request.comment, from, to};
  }
  return absl::OkStatus();
}

}  // namespace fazhi::report
