#ifndef FAZHI_SERVICES_KERNEL_DATES_H_
#define FAZHI_SERVICES_KERNEL_DATES_H_

// Days as the services keep and judge them: the years a record may carry,
// the stored "YYYY-MM-DD" form, and the day it is in China (UTC+8), where
// every due date falls.

#include <functional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace fazhi::kernel {

// Oldest and newest years a record date may carry.
inline constexpr int kMinRecordYear = 1990;
inline constexpr int kMaxRecordYear = 2100;

// "YYYY-MM-DD", the form dates are stored in.
std::string FormatDate(absl::CivilDay day);
// Exactly "YYYY-MM-DD" naming a calendar day; false otherwise.
bool ParseDate(absl::string_view text, absl::CivilDay* day);

// The civil day of `t` in China (UTC+8).
absl::CivilDay DayInChina(absl::Time t);
absl::CivilDay TodayInChina();

// What a service asks for "today"; tests hand in a fixed day.
using Clock = std::function<absl::CivilDay()>;

// `clock`, or TodayInChina when it is empty.
Clock ClockOrToday(Clock clock);

}  // namespace fazhi::kernel

#endif  // FAZHI_SERVICES_KERNEL_DATES_H_
