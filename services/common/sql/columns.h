#ifndef FAZHI_SERVICES_COMMON_SQL_COLUMNS_H_
#define FAZHI_SERVICES_COMMON_SQL_COLUMNS_H_

// Portable column encodings every store uses: lists and nested values as
// JSON text, dates as 'YYYY-MM-DD' text, optional text as NULL, booleans as
// 0/1.
//
// The JSON columns are written by hand (a quoted string per item) and read
// with simdjson: building nlohmann's DOM took half of a one-record read and
// a fifth of a bulk import. Inside JSON, dates are 'YYYY-MM-DD' strings and
// times Unix microseconds, either null when absent.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
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

// One stored JSON object, or an object within one; a member that is
// missing or of another type reads as the fallback (or empty, or nullopt).
class JsonObject {
 public:
  explicit JsonObject(const simdjson::dom::object& object) : object_(&object) {}
  std::string Text(std::string_view key, std::string_view fallback = "") const;
  bool Bool(std::string_view key, bool fallback = false) const;
  int64_t Int(std::string_view key, int64_t fallback = 0) const;
  // The strings (integers) of an array member; other elements are skipped.
  std::vector<std::string> Texts(std::string_view key) const;
  std::vector<int64_t> Ints(std::string_view key) const;
  // A 'YYYY-MM-DD' member; nullopt when null, malformed or not a day.
  std::optional<absl::CivilDay> Day(std::string_view key) const;
  // A Unix-microseconds member; nullopt when null or not an integer.
  std::optional<absl::Time> Time(std::string_view key) const;

  // Calls `read` with the object member `key`; one that is missing or of
  // another type reads as an empty object, so `read` still runs and finds
  // every member at its fallback. Returns whether the member was an object.
  bool Object(std::string_view key, absl::FunctionRef<void(const JsonObject&)> read) const;
  // Calls `each` for every object of the array member `key` (other
  // elements are skipped).
  void ForEachObject(std::string_view key, absl::FunctionRef<void(const JsonObject&)> each) const;

 private:
  JsonObject() = default;  // the empty object

  const simdjson::dom::object* object_ = nullptr;
};

// Calls `read` with the JSON object `text`; malformed JSON or another
// value calls it not at all and returns false.
bool ReadJsonObject(const std::string& text, absl::FunctionRef<void(const JsonObject&)> read);

// Calls `each` for every object of the JSON array `text` (other elements
// are skipped); malformed JSON or a non-array calls it for none.
void ForEachJsonObject(const std::string& text, absl::FunctionRef<void(const JsonObject&)> each);

// Writes one JSON object, the counterpart of JsonObject. Members come out
// in the byte order of their keys, whatever order they were added in: that
// is the order nlohmann::json (whose objects are sorted maps) wrote, so a
// row written by an earlier version and written again keeps its bytes. A
// key added twice keeps its last value.
class JsonObjectWriter {
 public:
  JsonObjectWriter& Text(std::string_view key, absl::string_view value);
  JsonObjectWriter& Int(std::string_view key, int64_t value);
  JsonObjectWriter& Bool(std::string_view key, bool value);
  JsonObjectWriter& Null(std::string_view key);
  JsonObjectWriter& Texts(std::string_view key, const std::vector<std::string>& values);
  JsonObjectWriter& Ints(std::string_view key, absl::Span<const int64_t> values);
  // 'YYYY-MM-DD', or null when absent.
  JsonObjectWriter& Day(std::string_view key, const std::optional<absl::CivilDay>& day);
  // Unix microseconds, or null when absent.
  JsonObjectWriter& Time(std::string_view key, const std::optional<absl::Time>& time);
  JsonObjectWriter& Object(std::string_view key, const JsonObjectWriter& object);
  // An array of one object per item, filled by `write(item, object)`.
  template <typename T, typename Write>
  JsonObjectWriter& Objects(std::string_view key, const std::vector<T>& items, Write write);

  std::string ToJson() const;

 private:
  JsonObjectWriter& Put(std::string_view key, std::string json);

  std::map<std::string, std::string, std::less<>> members_;  // key → its value's JSON
};

// A JSON array of one object per item, filled by `write(item, object)`:
// the column of a repeated nested record.
template <typename T, typename Write>
std::string ObjectsToJson(const std::vector<T>& items, Write write) {
  std::string json = "[";
  for (const T& item : items) {
    if (json.size() > 1) json.push_back(',');
    JsonObjectWriter object;
    write(item, object);
    json.append(object.ToJson());
  }
  json.push_back(']');
  return json;
}

template <typename T, typename Write>
JsonObjectWriter& JsonObjectWriter::Objects(std::string_view key, const std::vector<T>& items,
                                            Write write) {
  return Put(key, ObjectsToJson(items, write));
}

// The day a stored 'YYYY-MM-DD' names (1970-01-01 when malformed).
absl::CivilDay DayFromText(const std::string& text);
// "" is stored as NULL (so unique indexes ignore it).
Value OptionalText(const std::string& text);
inline Value Bool(bool b) { return Value(int64_t{b ? 1 : 0}); }

}  // namespace fazhi::sql

#endif  // FAZHI_SERVICES_COMMON_SQL_COLUMNS_H_
