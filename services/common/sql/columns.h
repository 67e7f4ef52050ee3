#ifndef FAZHI_SERVICES_COMMON_SQL_COLUMNS_H_
#define FAZHI_SERVICES_COMMON_SQL_COLUMNS_H_

// Portable column encodings every store uses: lists as JSON text, dates as
// 'YYYY-MM-DD' text, optional text as NULL, booleans as 0/1.
//
// The JSON columns are written by hand (a quoted string per item) and read
// with simdjson: building nlohmann's DOM took half of a one-record read and
// a fifth of a bulk import.

#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/common/sql/database.h"

namespace simdjson::dom {
class object;
}

namespace fazhi::sql {

std::string ListToJson(const std::vector<std::string>& items);
// Non-strings and malformed JSON read as an empty list.
std::vector<std::string> ListFromJson(const std::string& text);

// `text` as a JSON string literal, quotes included, appended to `out`.
void AppendJsonString(absl::string_view text, std::string* out);

// One object of a stored JSON array; a member that is missing or of
// another type reads as the fallback.
class JsonObject {
 public:
  explicit JsonObject(const simdjson::dom::object& object) : object_(object) {}
  std::string Text(std::string_view key, std::string_view fallback = "") const;
  bool Bool(std::string_view key, bool fallback = false) const;
  int64_t Int(std::string_view key, int64_t fallback = 0) const;

 private:
  const simdjson::dom::object& object_;
};

// Calls `each` for every object of the JSON array `text` (other elements
// are skipped); malformed JSON or a non-array calls it for none.
void ForEachJsonObject(const std::string& text, absl::FunctionRef<void(const JsonObject&)> each);

// The day a stored 'YYYY-MM-DD' names (1970-01-01 when malformed).
absl::CivilDay DayFromText(const std::string& text);
// "" is stored as NULL (so unique indexes ignore it).
Value OptionalText(const std::string& text);
inline Value Bool(bool b) { return Value(int64_t{b ? 1 : 0}); }

}  // namespace fazhi::sql

#endif  // FAZHI_SERVICES_COMMON_SQL_COLUMNS_H_
