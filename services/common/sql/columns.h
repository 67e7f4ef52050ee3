#ifndef FAZHI_SERVICES_COMMON_SQL_COLUMNS_H_
#define FAZHI_SERVICES_COMMON_SQL_COLUMNS_H_

// Portable column encodings every store uses: lists as JSON text, dates as
// 'YYYY-MM-DD' text, optional text as NULL, booleans as 0/1.

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "services/common/sql/database.h"

namespace fazhi::sql {

std::string ListToJson(const std::vector<std::string>& items);
// Non-strings and malformed JSON read as an empty list.
std::vector<std::string> ListFromJson(const std::string& text);
// The day a stored 'YYYY-MM-DD' names (1970-01-01 when malformed).
absl::CivilDay DayFromText(const std::string& text);
// "" is stored as NULL (so unique indexes ignore it).
Value OptionalText(const std::string& text);
inline Value Bool(bool b) { return Value(int64_t{b ? 1 : 0}); }

}  // namespace fazhi::sql

#endif  // FAZHI_SERVICES_COMMON_SQL_COLUMNS_H_
