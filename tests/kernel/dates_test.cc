#include "services/kernel/dates.h"

#include "gtest/gtest.h"

namespace fazhi::kernel {
namespace {

TEST(DatesTest, TextRoundTrips) {
  absl::CivilDay day;
  ASSERT_TRUE(ParseDate("2024-12-04", &day));
  EXPECT_EQ(day, absl::CivilDay(2024, 12, 4));
  EXPECT_EQ(FormatDate(day), "2024-12-04");
  EXPECT_EQ(FormatDate(absl::CivilDay(990, 1, 2)), "0990-01-02");
  EXPECT_FALSE(ParseDate("2024-02-30", &day));
  EXPECT_FALSE(ParseDate("2024-2-3", &day));
  EXPECT_FALSE(ParseDate("2024-+2-29", &day));  // found by the names_and_tokens fuzzer
  EXPECT_FALSE(ParseDate("+024-02-29", &day));
  EXPECT_FALSE(ParseDate("2024/02/29", &day));
}

TEST(DatesTest, RecordYearsSpanTheServicesRange) {
  EXPECT_EQ(kMinRecordYear, 1990);
  EXPECT_EQ(kMaxRecordYear, 2100);
}

TEST(DatesTest, DayInChinaIsUtcPlusEight) {
  // 2025-02-28 17:00 UTC is already 1 March in China; 15:59 is not.
  EXPECT_EQ(
      DayInChina(absl::FromCivil(absl::CivilSecond(2025, 2, 28, 17, 0, 0), absl::UTCTimeZone())),
      absl::CivilDay(2025, 3, 1));
  EXPECT_EQ(
      DayInChina(absl::FromCivil(absl::CivilSecond(2025, 2, 28, 15, 59, 0), absl::UTCTimeZone())),
      absl::CivilDay(2025, 2, 28));
}

TEST(DatesTest, ClockOrTodayKeepsAGivenClockElseTellsTheDayInChina) {
  Clock fixed = ClockOrToday([] { return absl::CivilDay(2024, 6, 1); });
  EXPECT_EQ(fixed(), absl::CivilDay(2024, 6, 1));
  Clock today = ClockOrToday(nullptr);
  ASSERT_TRUE(today);
  const absl::CivilDay before = TodayInChina();
  const absl::CivilDay got = today();
  EXPECT_GE(got, before);
  EXPECT_LE(got, TodayInChina());
}

}  // namespace
}  // namespace fazhi::kernel
