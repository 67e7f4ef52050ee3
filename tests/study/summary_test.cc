#include "services/study/summary.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace fazhi::study {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

Session MakeSession(absl::CivilDay date, StudyKind kind, int minutes, int count,
                    std::vector<std::string> laws = {}) {
  Session s;
  s.date = date;
  s.kind = kind;
  s.title = "t";
  s.duration_minutes = minutes;
  s.attendee_count = count;
  s.laws = std::move(laws);
  return s;
}

PublicityEvent MakeEvent(absl::CivilDay date, PublicityKind kind, std::string place, int people,
                         std::vector<std::string> laws = {}) {
  PublicityEvent e;
  e.date = date;
  e.kind = kind;
  e.place = std::move(place);
  e.people_reached = people;
  e.display_boards = 2;
  e.leaflets = 100;
  e.laws = std::move(laws);
  return e;
}

const absl::CivilDay kYearEnd(2024, 12, 31);

TEST(SummarizeTest, EmptyYearIsAllZerosAndEveryQuarterMissed) {
  YearSummary s = Summarize("org", 2024, kYearEnd, {}, {}, nullptr);
  EXPECT_EQ(s.total_sessions, 0);
  EXPECT_EQ(s.staff_minutes, 0);
  EXPECT_EQ(s.staff_hours, 0);
  EXPECT_THAT(s.by_kind, IsEmpty());
  ASSERT_EQ(s.by_quarter.size(), 4u);
  EXPECT_THAT(s.leadership_quarters_missed, ElementsAre(1, 2, 3, 4));
  EXPECT_FALSE(s.has_plan);
  EXPECT_EQ(s.publicity.events, 0);
  EXPECT_EQ(s.oath_coverage_percent, 0);
}

TEST(SummarizeTest, CountsByKindQuarterStaffHoursAndMissedQuarters) {
  std::vector<Session> sessions = {
      MakeSession(absl::CivilDay(2024, 2, 1), StudyKind::kLeadershipGroup, 45, 9, {"民法典"}),
      MakeSession(absl::CivilDay(2024, 5, 1), StudyKind::kLeadershipGroup, 30, 9,
                  {"民法典", "行政许可法"}),
      MakeSession(absl::CivilDay(2024, 11, 1), StudyKind::kLeadershipGroup, 30, 9, {"行政处罚法"}),
      MakeSession(absl::CivilDay(2024, 3, 5), StudyKind::kAllStaff, 90, 40, {"民法典"}),
      MakeSession(absl::CivilDay(2023, 3, 5), StudyKind::kAllStaff, 90, 40),  // other year: ignored
  };
  sessions[0].head_attended = true;
  YearSummary s = Summarize("org", 2024, kYearEnd, sessions, {}, nullptr);
  EXPECT_EQ(s.total_sessions, 4);
  EXPECT_EQ(s.total_minutes, 45 + 30 + 30 + 90);
  EXPECT_EQ(s.staff_minutes, 45 * 9 + 30 * 9 + 30 * 9 + 90 * 40);
  EXPECT_DOUBLE_EQ(s.staff_hours, 75.8);  // 4545 / 60 = 75.75 → 75.8
  EXPECT_EQ(s.head_attended_sessions, 1);
  ASSERT_EQ(s.by_kind.size(), 2u);
  EXPECT_EQ(s.by_kind[0].kind, StudyKind::kLeadershipGroup);
  EXPECT_EQ(s.by_kind[0].sessions, 3);
  EXPECT_THAT(s.by_kind[0].sessions_by_quarter, ElementsAre(1, 1, 0, 1));
  EXPECT_EQ(s.by_kind[1].kind, StudyKind::kAllStaff);
  EXPECT_THAT(s.leadership_quarters_missed, ElementsAre(3));
  EXPECT_EQ(s.by_quarter[0].sessions, 2);
  EXPECT_EQ(s.by_quarter[0].leadership_group_sessions, 1);
  ASSERT_EQ(s.laws.size(), 3u);
  EXPECT_EQ(s.laws[0].law, "民法典");
  EXPECT_EQ(s.laws[0].sessions, 3);
}

TEST(SummarizeTest, EachKindKeepsItsAttendancesLawsAndSessions) {
  std::vector<Session> sessions = {
      MakeSession(absl::CivilDay(2024, 11, 1), StudyKind::kLeadershipGroup, 30, 9, {"行政处罚法"}),
      MakeSession(absl::CivilDay(2024, 2, 1), StudyKind::kLeadershipGroup, 45, 7, {"民法典"}),
      MakeSession(absl::CivilDay(2024, 5, 1), StudyKind::kLeadershipGroup, 30, 8,
                  {"行政许可法", "民法典"}),
      MakeSession(absl::CivilDay(2024, 3, 5), StudyKind::kAllStaff, 90, 40, {"宪法"}),
      MakeSession(absl::CivilDay(2024, 4, 5), StudyKind::kAllStaff, 60, 0, {"宪法"}),
  };
  for (size_t i = 0; i < sessions.size(); ++i) sessions[i].meta.id = "s" + std::to_string(i);
  // No head count: the named attendees count.
  sessions[4].attendees = {{"p1", "甲", true}, {"p2", "乙", false}};
  YearSummary s = Summarize("org", 2024, kYearEnd, sessions, {}, nullptr);
  ASSERT_EQ(s.by_kind.size(), 2u);
  const KindTotal& leadership = s.by_kind[0];
  EXPECT_EQ(leadership.attendances, 9 + 7 + 8);
  // 民法典 twice first; then in the order first studied (行政许可法 in May
  // before 行政处罚法 in November), not the year's order.
  EXPECT_THAT(leadership.laws, ElementsAre("民法典", "行政许可法", "行政处罚法"));
  EXPECT_THAT(leadership.session_ids, ElementsAre("s1", "s2", "s0"));  // by date
  const KindTotal& all_staff = s.by_kind[1];
  EXPECT_EQ(all_staff.attendances, 40 + 2);
  EXPECT_THAT(all_staff.laws, ElementsAre("宪法"));
  EXPECT_EQ(s.attendances, 24 + 42);
  EXPECT_TRUE(s.has_records);
}

TEST(SummarizeTest, AYearWithoutAnyRecordHasNone) {
  EXPECT_FALSE(Summarize("org", 2024, kYearEnd, {}, {}, nullptr).has_records);
  StudyPlan plan;
  EXPECT_TRUE(Summarize("org", 2024, kYearEnd, {}, {}, &plan).has_records);
  std::vector<PublicityEvent> events = {
      MakeEvent(absl::CivilDay(2024, 12, 4), PublicityKind::kConstitutionDay, "广场", 100)};
  EXPECT_TRUE(Summarize("org", 2024, kYearEnd, {}, events, nullptr).has_records);
  // Another year's records are no record of this one.
  EXPECT_FALSE(
      Summarize("org", 2023, absl::CivilDay(2023, 12, 31), {}, events, nullptr).has_records);
}

TEST(SummarizeTest, QuartersNotYetOverAreNotMissed) {
  std::vector<Session> sessions = {
      MakeSession(absl::CivilDay(2024, 2, 1), StudyKind::kLeadershipGroup, 45, 9)};
  YearSummary s = Summarize("org", 2024, absl::CivilDay(2024, 8, 15), sessions, {}, nullptr);
  EXPECT_THAT(s.leadership_quarters_missed, ElementsAre(2));
  // The last day of a quarter counts as due.
  s = Summarize("org", 2024, absl::CivilDay(2024, 9, 30), sessions, {}, nullptr);
  EXPECT_THAT(s.leadership_quarters_missed, ElementsAre(2, 3));
}

TEST(CheckRuleTest, MonthlyRuleWithMinimumMinutes) {
  std::vector<Session> sessions;
  for (int month = 1; month <= 12; ++month) {
    if (month == 7) continue;  // July skipped
    sessions.push_back(MakeSession(absl::CivilDay(2024, month, 10), StudyKind::kPreMeeting, 30, 5));
  }
  sessions.push_back(
      MakeSession(absl::CivilDay(2024, 8, 20), StudyKind::kPreMeeting, 10, 5));  // too short
  StudyRule rule{StudyKind::kPreMeeting, RulePeriod::kMonth, 1, 20};
  RuleCompliance c = CheckRule(rule, 2024, kYearEnd, sessions);
  EXPECT_THAT(c.periods_missed, ElementsAre(7));
  EXPECT_EQ(c.counts[7], 1);  // August: only the long one counts
  EXPECT_FALSE(c.satisfied);

  c = CheckRule(rule, 2024, absl::CivilDay(2024, 6, 30), sessions);
  EXPECT_TRUE(c.satisfied);
  EXPECT_THAT(c.periods_pending, ElementsAre(7));
}

TEST(CheckRuleTest, YearlyRuleNeedsTheCount) {
  std::vector<Session> sessions = {
      MakeSession(absl::CivilDay(2024, 4, 1), StudyKind::kLecture, 60, 30)};
  StudyRule rule{StudyKind::kLecture, RulePeriod::kYear, 2, 0};
  RuleCompliance c = CheckRule(rule, 2024, kYearEnd, sessions);
  EXPECT_THAT(c.counts, ElementsAre(1));
  EXPECT_THAT(c.periods_missed, ElementsAre(1));
}

TEST(SummarizeTest, PlanFulfilmentOathCoverageAndPlannedLaws) {
  std::vector<Session> sessions;
  for (int q = 0; q < 4; ++q) {
    sessions.push_back(MakeSession(absl::CivilDay(2024, q * 3 + 1, 15), StudyKind::kLeadershipGroup,
                                   40, 8, {"民法典"}));
  }
  Session oath = MakeSession(absl::CivilDay(2024, 12, 4), StudyKind::kConstitutionalOath, 20, 0);
  oath.attendees = {{"p1", "甲", true}, {"p2", "乙", false}};
  sessions.push_back(oath);
  Session oath_again =
      MakeSession(absl::CivilDay(2024, 12, 5), StudyKind::kConstitutionalOath, 20, 0);
  oath_again.attendees = {{"p2", "乙", false}, {"p3", "丙", false}};
  sessions.push_back(oath_again);
  sessions.push_back(
      MakeSession(absl::CivilDay(2024, 12, 6), StudyKind::kConstitutionalOath, 20, 5));  // unnamed

  StudyPlan plan;
  plan.year = 2024;
  plan.has_adopted_date = true;
  plan.adopted_date = absl::CivilDay(2024, 2, 20);
  plan.rules = {{StudyKind::kLeadershipGroup, RulePeriod::kQuarter, 1, 30}};
  plan.eligible_staff = 10;
  plan.planned_laws = {"民法典", "老年人权益保障法"};

  YearSummary s = Summarize("org", 2024, kYearEnd, sessions, {}, &plan);
  EXPECT_TRUE(s.has_plan);
  EXPECT_TRUE(s.plan_adopted_in_first_quarter);
  EXPECT_TRUE(s.plan_fulfilled);
  EXPECT_THAT(s.planned_laws_not_studied, ElementsAre("老年人权益保障法"));
  EXPECT_EQ(s.oath_sessions, 3);
  EXPECT_EQ(s.oath_takers, 3 + 5);  // p1, p2, p3 once each, plus 5 unnamed
  EXPECT_DOUBLE_EQ(s.oath_coverage_percent, 80.0);

  plan.eligible_staff = 4;  // more takers than staff: capped
  EXPECT_DOUBLE_EQ(Summarize("org", 2024, kYearEnd, sessions, {}, &plan).oath_coverage_percent,
                   100);
}

TEST(SummarizeTest, PublicityTotalsPlacesAndLaws) {
  std::vector<PublicityEvent> events = {
      MakeEvent(absl::CivilDay(2024, 12, 4), PublicityKind::kConstitutionDay, "尧山广场", 300,
                {"宪法"}),
      MakeEvent(absl::CivilDay(2024, 6, 1), PublicityKind::kServiceSite, "县救助站", 40,
                {"民法典"}),
      MakeEvent(absl::CivilDay(2024, 6, 8), PublicityKind::kServiceSite, "婚姻登记处", 60,
                {"民法典"}),
      MakeEvent(absl::CivilDay(2024, 9, 8), PublicityKind::kServiceSite, "婚姻登记处", 20,
                {"民法典"}),
      MakeEvent(absl::CivilDay(2025, 1, 8), PublicityKind::kServiceSite, "婚姻登记处",
                20),  // other year
  };
  YearSummary s = Summarize("org", 2024, kYearEnd, {}, events, nullptr);
  EXPECT_EQ(s.publicity.events, 4);
  EXPECT_EQ(s.publicity.people_reached, 420);
  EXPECT_EQ(s.publicity.display_boards, 8);
  EXPECT_EQ(s.publicity.leaflets, 400);
  ASSERT_EQ(s.publicity.places.size(), 3u);
  EXPECT_EQ(s.publicity.places[0].place, "婚姻登记处");
  EXPECT_EQ(s.publicity.places[0].events, 2);
  EXPECT_EQ(s.publicity.places[0].people_reached, 80);
  ASSERT_EQ(s.publicity.by_kind.size(), 2u);
  EXPECT_EQ(s.publicity.by_kind[1].second, 3);
  EXPECT_THAT(s.publicity.laws, ElementsAre("宪法", "民法典"));
  ASSERT_EQ(s.laws.size(), 2u);
  EXPECT_EQ(s.laws[0].law, "民法典");
  EXPECT_EQ(s.laws[0].publicity_events, 3);
}

TEST(DefaultAsOfTest, RunningYearUsesToday) {
  EXPECT_EQ(DefaultAsOf(2024, absl::CivilDay(2026, 3, 1)), absl::CivilDay(2024, 12, 31));
  EXPECT_EQ(DefaultAsOf(2026, absl::CivilDay(2026, 3, 1)), absl::CivilDay(2026, 3, 1));
}

}  // namespace
}  // namespace fazhi::study
