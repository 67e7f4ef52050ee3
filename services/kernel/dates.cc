#include "services/kernel/dates.h"

#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"

namespace fazhi::kernel {

std::string FormatDate(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

bool ParseDate(absl::string_view text, absl::CivilDay* day) {
  int y, m, d;
  for (size_t i = 0; i < text.size(); ++i) {
    // Digits only: SimpleAtoi alone would take "+2" or " 2".
    if (i != 4 && i != 7 && (text[i] < '0' || text[i] > '9')) return false;
  }
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' ||
      !absl::SimpleAtoi(text.substr(0, 4), &y) || !absl::SimpleAtoi(text.substr(5, 2), &m) ||
      !absl::SimpleAtoi(text.substr(8, 2), &d)) {
    return false;
  }
  *day = absl::CivilDay(y, m, d);
  return day->year() == y && day->month() == m && day->day() == d;
}

absl::CivilDay DayInChina(absl::Time t) {
  static const absl::TimeZone kChina = absl::FixedTimeZone(8 * 60 * 60);
  return absl::ToCivilDay(t, kChina);
}

absl::CivilDay TodayInChina() { return DayInChina(absl::Now()); }

Clock ClockOrToday(Clock clock) { return clock ? std::move(clock) : Clock(TodayInChina); }

}  // namespace fazhi::kernel
