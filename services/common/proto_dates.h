#ifndef FAZHI_SERVICES_COMMON_PROTO_DATES_H_
#define FAZHI_SERVICES_COMMON_PROTO_DATES_H_

// google.type.Date, the API's date, to and from absl::CivilDay, the day
// the services compute with (services/kernel/dates.h).

#include "absl/time/civil_time.h"
#include "google/type/date.pb.h"

namespace fazhi {

bool IsSet(const google::type::Date& date);
// The date as an absl::CivilDay; `date` must have passed CheckDate.
absl::CivilDay ToCivilDay(const google::type::Date& date);
google::type::Date ToDate(absl::CivilDay day);

}  // namespace fazhi

#endif  // FAZHI_SERVICES_COMMON_PROTO_DATES_H_
