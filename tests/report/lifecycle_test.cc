#include "services/report/lifecycle.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace fazhi::report {
namespace {

using ::testing::HasSubstr;

const absl::Time kT0 = absl::FromUnixSeconds(1735689600);  // 2025-01-01 00:00 UTC

StepRequest Do(Step step, const std::string& actor, int minutes = 0, bool two_person = false,
               const std::string& comment = "") {
  StepRequest r;
  r.step = step;
  r.method = "Test";
  r.actor = actor;
  r.comment = comment;
  r.now = kT0 + absl::Minutes(minutes);
  r.two_person_approval = two_person;
  return r;
}

absl::StatusCode CodeOf(Report& report, Step step) {
  return ApplyStep(report, Do(step, "someone")).code();
}

TEST(LifecycleTest, HappyPathRecordsWhoAndWhen) {
  Report r;
  ASSERT_TRUE(ApplyStep(r, Do(Step::kSubmit, "clerk", 1)).ok());
  EXPECT_EQ(r.state, ReportState::kSubmitted);
  EXPECT_EQ(r.life.submitted_by, "clerk");
  EXPECT_EQ(r.life.submit_time, kT0 + absl::Minutes(1));
  ASSERT_TRUE(ApplyStep(r, Do(Step::kApprove, "head", 2, true, "同意")).ok());
  EXPECT_EQ(r.state, ReportState::kApproved);
  EXPECT_EQ(r.life.approved_by, "head");
  ASSERT_TRUE(r.life.last_transition.has_value());
  EXPECT_EQ(r.life.last_transition->comment, "同意");
  EXPECT_EQ(r.life.last_transition->from, ReportState::kSubmitted);
  EXPECT_EQ(r.life.last_transition->to, ReportState::kApproved);
  ASSERT_TRUE(ApplyStep(r, Do(Step::kPublish, "office", 3)).ok());
  EXPECT_EQ(r.state, ReportState::kPublished);
  EXPECT_EQ(r.published_revision, 1);
  EXPECT_EQ(r.life.first_publish_time, kT0 + absl::Minutes(3));
  EXPECT_EQ(r.life.first_submit_time, kT0 + absl::Minutes(1));
}

TEST(LifecycleTest, WrongStepsAreFailedPreconditionAndChangeNothing) {
  Report draft;
  const Report before = draft;
  EXPECT_EQ(CodeOf(draft, Step::kApprove), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CodeOf(draft, Step::kReject), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CodeOf(draft, Step::kCreateRevision), absl::StatusCode::kFailedPrecondition);
  absl::Status publish = ApplyStep(draft, Do(Step::kPublish, "x"));
  EXPECT_EQ(publish.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(publish.message(), HasSubstr("DRAFT report cannot be published"));
  EXPECT_EQ(draft.state, before.state);
  EXPECT_FALSE(draft.life.last_transition.has_value());

  Report submitted;
  ASSERT_TRUE(ApplyStep(submitted, Do(Step::kSubmit, "a")).ok());
  EXPECT_EQ(CodeOf(submitted, Step::kSubmit), absl::StatusCode::kFailedPrecondition);
  absl::Status edit = ApplyStep(submitted, Do(Step::kEdit, "a"));
  EXPECT_EQ(edit.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(edit.message(), HasSubstr("SUBMITTED and cannot be edited"));
  EXPECT_THAT(ApplyStep(submitted, Do(Step::kPublish, "a")).message(),
              HasSubstr("awaits approval"));
  EXPECT_EQ(CodeOf(submitted, Step::kDelete), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(submitted.state, ReportState::kSubmitted);
}

TEST(LifecycleTest, TwoPersonRuleRefusesSelfApprovalOnlyWhenRequired) {
  Report r;
  ASSERT_TRUE(ApplyStep(r, Do(Step::kSubmit, "zhang")).ok());
  absl::Status self = ApplyStep(r, Do(Step::kApprove, "zhang", 1, /*two_person=*/true));
  EXPECT_EQ(self.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(self.message(), HasSubstr("two people"));
  EXPECT_EQ(r.state, ReportState::kSubmitted);
  EXPECT_TRUE(ApplyStep(r, Do(Step::kApprove, "li", 1, true)).ok());

  Report single;
  ASSERT_TRUE(ApplyStep(single, Do(Step::kSubmit, "zhang")).ok());
  EXPECT_TRUE(ApplyStep(single, Do(Step::kApprove, "zhang", 1, /*two_person=*/false)).ok());
}

TEST(LifecycleTest, RejectSendsBackAndAnEditMakesItADraft) {
  Report r;
  ASSERT_TRUE(ApplyStep(r, Do(Step::kSubmit, "a")).ok());
  ASSERT_TRUE(ApplyStep(r, Do(Step::kApprove, "b")).ok());
  ASSERT_TRUE(ApplyStep(r, Do(Step::kReject, "c", 5, false, "保密审查未通过")).ok());
  EXPECT_EQ(r.state, ReportState::kRejected);
  EXPECT_TRUE(r.life.approved_by.empty());  // the approval is no longer in force
  EXPECT_EQ(r.life.last_transition->comment, "保密审查未通过");
  ASSERT_TRUE(ApplyStep(r, Do(Step::kEdit, "a", 6)).ok());
  EXPECT_EQ(r.state, ReportState::kDraft);
  EXPECT_EQ(r.life.last_transition->from, ReportState::kRejected);
  // A rejected report may also be resubmitted as it is.
  Report again;
  ASSERT_TRUE(ApplyStep(again, Do(Step::kSubmit, "a")).ok());
  ASSERT_TRUE(ApplyStep(again, Do(Step::kReject, "b")).ok());
  EXPECT_TRUE(ApplyStep(again, Do(Step::kSubmit, "a")).ok());
}

TEST(LifecycleTest, EditOfADraftIsNoTransition) {
  Report r;
  ASSERT_TRUE(ApplyStep(r, Do(Step::kEdit, "a")).ok());
  EXPECT_EQ(r.state, ReportState::kDraft);
  EXPECT_FALSE(r.life.last_transition.has_value());
}

TEST(LifecycleTest, RevisionCorrectsAPublishedReportWithoutMovingTheObligation) {
  Report r;
  ASSERT_TRUE(ApplyStep(r, Do(Step::kSubmit, "a", 1)).ok());
  ASSERT_TRUE(ApplyStep(r, Do(Step::kApprove, "b", 2)).ok());
  ASSERT_TRUE(ApplyStep(r, Do(Step::kPublish, "b", 3)).ok());
  absl::Status edit = ApplyStep(r, Do(Step::kEdit, "a"));
  EXPECT_THAT(edit.message(), HasSubstr("never changes"));
  EXPECT_THAT(ApplyStep(r, Do(Step::kDelete, "a")).message(), HasSubstr("stays on record"));

  ASSERT_TRUE(ApplyStep(r, Do(Step::kCreateRevision, "a", 10, false, "更正数据")).ok());
  EXPECT_EQ(r.state, ReportState::kDraft);
  EXPECT_EQ(r.revision, 2);
  EXPECT_EQ(r.published_revision, 1);
  EXPECT_EQ(r.correction_reason, "更正数据");
  EXPECT_TRUE(r.life.submitted_by.empty());
  ASSERT_TRUE(ApplyStep(r, Do(Step::kSubmit, "a", 11)).ok());
  ASSERT_TRUE(ApplyStep(r, Do(Step::kApprove, "b", 12)).ok());
  ASSERT_TRUE(ApplyStep(r, Do(Step::kPublish, "b", 13)).ok());
  EXPECT_EQ(r.published_revision, 2);
  EXPECT_EQ(r.life.publish_time, kT0 + absl::Minutes(13));
  EXPECT_EQ(r.life.first_publish_time, kT0 + absl::Minutes(3));
  EXPECT_EQ(r.life.first_submit_time, kT0 + absl::Minutes(1));
  EXPECT_EQ(CodeOf(r, Step::kPublish), absl::StatusCode::kFailedPrecondition);
}

TEST(LifecycleTest, OnlyUnpublishedDraftsCanBeDeleted) {
  Report draft;
  EXPECT_TRUE(ApplyStep(draft, Do(Step::kDelete, "a")).ok());
  Report rejected;
  ASSERT_TRUE(ApplyStep(rejected, Do(Step::kSubmit, "a")).ok());
  ASSERT_TRUE(ApplyStep(rejected, Do(Step::kReject, "b")).ok());
  EXPECT_TRUE(ApplyStep(rejected, Do(Step::kDelete, "a")).ok());
  Report correction;
  correction.revision = 2;
  correction.published_revision = 1;
  EXPECT_EQ(CodeOf(correction, Step::kDelete), absl::StatusCode::kFailedPrecondition);
}

TEST(LifecycleTest, StateNames) {
  EXPECT_EQ(StateName(ReportState::kDraft), "DRAFT");
  EXPECT_EQ(StateName(ReportState::kRejected), "REJECTED");
}

}  // namespace
}  // namespace fazhi::report
