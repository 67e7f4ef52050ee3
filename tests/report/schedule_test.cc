#include "services/report/schedule.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/report/content.h"

namespace fazhi::report {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using R = OverdueReason;

const absl::TimeZone kChina = absl::FixedTimeZone(8 * 3600);

absl::Time At(int y, int m, int d, int hour = 10) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hour, 0, 0), kChina);
}

Report NewReport(int year, absl::Time created) {
  Report r;
  r.year = year;
  r.meta.create_time = created;
  r.content.submit_before = DefaultSubmitBefore(year);
  r.content.publish_before = DefaultPublishBefore(year);
  return r;
}

TEST(ScheduleTest, NotStartedIsListedAndOverdueOnceDue) {
  ReportTimeliness before = JudgeTimeliness(2024, nullptr, absl::CivilDay(2025, 2, 28));
  EXPECT_FALSE(before.started);
  EXPECT_THAT(before.reasons, ElementsAre(R::kNotStarted));
  EXPECT_EQ(before.submit_before, absl::CivilDay(2025, 3, 1));
  // "Before 1 March": on 1 March it is overdue.
  EXPECT_THAT(JudgeTimeliness(2024, nullptr, absl::CivilDay(2025, 3, 1)).reasons,
              ElementsAre(R::kNotStarted, R::kSubmissionOverdue));
  EXPECT_THAT(JudgeTimeliness(2024, nullptr, absl::CivilDay(2025, 4, 1)).reasons,
              ElementsAre(R::kNotStarted, R::kSubmissionOverdue, R::kPublicationOverdue));
}

TEST(ScheduleTest, DraftPastTheDueDateIsOverdue) {
  Report draft = NewReport(2024, At(2025, 1, 5));
  EXPECT_THAT(JudgeTimeliness(2024, &draft, absl::CivilDay(2025, 2, 1)).reasons, IsEmpty());
  ReportTimeliness late = JudgeTimeliness(2024, &draft, absl::CivilDay(2025, 3, 2));
  EXPECT_TRUE(late.started);
  EXPECT_EQ(late.state, ReportState::kDraft);
  EXPECT_THAT(late.reasons, ElementsAre(R::kSubmissionOverdue));
}

TEST(ScheduleTest, OnTimeSubmissionAndPublication) {
  Report r = NewReport(2024, At(2025, 1, 5));
  r.state = ReportState::kPublished;
  r.life.submit_time = At(2025, 2, 20);
  r.life.first_submit_time = At(2025, 2, 20);
  r.life.first_publish_time = At(2025, 3, 25);
  ReportTimeliness t = JudgeTimeliness(2024, &r, absl::CivilDay(2025, 6, 1));
  EXPECT_THAT(t.reasons, IsEmpty());
  EXPECT_EQ(t.submitted_on, absl::CivilDay(2025, 2, 20));
  EXPECT_EQ(t.published_on, absl::CivilDay(2025, 3, 25));
}

TEST(ScheduleTest, SubmittedButNotPublishedInTime) {
  Report r = NewReport(2024, At(2025, 1, 5));
  r.state = ReportState::kApproved;
  r.life.submit_time = At(2025, 2, 27);
  EXPECT_THAT(JudgeTimeliness(2024, &r, absl::CivilDay(2025, 4, 2)).reasons,
              ElementsAre(R::kPublicationOverdue));
}

TEST(ScheduleTest, LateEventsAreReportedAsLate) {
  Report r = NewReport(2024, At(2025, 1, 5));
  r.state = ReportState::kPublished;
  r.life.first_submit_time = At(2025, 3, 1);  // the due day itself is late
  r.life.first_publish_time = At(2025, 4, 3);
  EXPECT_THAT(JudgeTimeliness(2024, &r, absl::CivilDay(2025, 5, 1)).reasons,
              ElementsAre(R::kSubmittedLate, R::kPublishedLate));
}

TEST(ScheduleTest, ARejectedSubmissionDoesNotCount) {
  Report r = NewReport(2024, At(2025, 1, 5));
  r.state = ReportState::kRejected;
  r.life.submit_time = At(2025, 2, 10);  // sent back: not in force
  EXPECT_THAT(JudgeTimeliness(2024, &r, absl::CivilDay(2025, 3, 5)).reasons,
              ElementsAre(R::kSubmissionOverdue));
}

TEST(ScheduleTest, ACorrectionKeepsTheFirstPublication) {
  Report r = NewReport(2024, At(2025, 1, 5));
  r.state = ReportState::kDraft;  // revision 2 in the works
  r.revision = 2;
  r.published_revision = 1;
  r.life.first_submit_time = At(2025, 2, 10);
  r.life.first_publish_time = At(2025, 3, 10);
  EXPECT_THAT(JudgeTimeliness(2024, &r, absl::CivilDay(2025, 9, 1)).reasons, IsEmpty());
}

TEST(ScheduleTest, PerReportDueDatesWin) {
  Report r = NewReport(2024, At(2025, 1, 5));
  r.content.submit_before = absl::CivilDay(2025, 2, 15);
  EXPECT_THAT(JudgeTimeliness(2024, &r, absl::CivilDay(2025, 2, 16)).reasons,
              ElementsAre(R::kSubmissionOverdue));
}

TEST(ScheduleTest, APastDayIsJudgedAsItWas) {
  Report r = NewReport(2024, At(2025, 3, 10));  // started late
  r.state = ReportState::kPublished;
  r.life.first_submit_time = At(2025, 3, 20);
  r.life.first_publish_time = At(2025, 3, 30);
  // On 5 March it did not exist yet.
  EXPECT_THAT(JudgeTimeliness(2024, &r, absl::CivilDay(2025, 3, 5)).reasons,
              ElementsAre(R::kNotStarted, R::kSubmissionOverdue));
  // On 25 March it was submitted (late) but not yet published.
  ReportTimeliness t = JudgeTimeliness(2024, &r, absl::CivilDay(2025, 3, 25));
  EXPECT_THAT(t.reasons, ElementsAre(R::kSubmittedLate));
  EXPECT_EQ(t.published_on, std::nullopt);
}

}  // namespace
}  // namespace fazhi::report
