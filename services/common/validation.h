#ifndef FAZHI_SERVICES_COMMON_VALIDATION_H_
#define FAZHI_SERVICES_COMMON_VALIDATION_H_

// Collects every bad field of a request so the caller hears about all of
// them at once, as INVALID_ARGUMENT with google.rpc.BadRequest details.

#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "google/type/date.pb.h"

namespace fazhi {

// Oldest and newest years a record date may carry.
inline constexpr int kMinRecordYear = 1990;
inline constexpr int kMaxRecordYear = 2100;

struct Violation {
  std::string field;
  std::string description;
};

class FieldViolations {
 public:
  void Add(std::string field, std::string description);
  bool empty() const { return violations_.empty(); }
  const std::vector<Violation>& violations() const { return violations_; }

  // OK when empty; otherwise INVALID_ARGUMENT listing the fields in the
  // message and as BadRequest.FieldViolation details.
  absl::Status ToStatus() const;

  // Checks for text: valid UTF-8, no control characters except newline and
  // tab when multiline, only code points IsAllowedTextCodePoint admits, at
  // most max_chars characters, present if required.
  void CheckText(absl::string_view field, absl::string_view value, size_t max_chars,
                 bool required = false, bool multiline = false);
  // Checks a repeated text field: at most max_items items, each non-empty
  // single-line text of at most max_chars characters.
  void CheckTextList(absl::string_view field, const std::vector<std::string>& values,
                     size_t max_items, size_t max_chars);
  // A calendar date with a year in [kMinRecordYear, kMaxRecordYear].
  void CheckDate(absl::string_view field, const google::type::Date& date, bool required);
  void CheckYear(absl::string_view field, int year, bool required);
  void CheckRange(absl::string_view field, int64_t value, int64_t min, int64_t max);

 private:
  std::vector<Violation> violations_;
};

// Number of Unicode code points, or -1 for invalid UTF-8.
int64_t Utf8Length(absl::string_view text);

// At most `max_bytes` bytes of `text`, cut on a character boundary and
// marked with "…" when cut, so a bounded copy of a caller's text stays
// valid UTF-8 (protobuf and JSON refuse a split character).
std::string TruncateUtf8(absl::string_view text, size_t max_bytes);

// Whether a code point may stand in stored text: XML 1.0's Char production
// (no C0 controls but tab, newline and carriage return, no U+FFFE/U+FFFF,
// no surrogates) and no bidirectional embeddings, overrides or isolates
// (U+202A–U+202E, U+2066–U+2069), which make a document read otherwise
// than it is stored.
bool IsAllowedTextCodePoint(uint32_t code_point);

bool IsSet(const google::type::Date& date);
// The date as an absl::CivilDay; `date` must have passed CheckDate.
absl::CivilDay ToCivilDay(const google::type::Date& date);
google::type::Date ToDate(absl::CivilDay day);
// "YYYY-MM-DD", the form dates are stored in.
std::string FormatDate(absl::CivilDay day);
bool ParseDate(absl::string_view text, absl::CivilDay* day);

}  // namespace fazhi

#endif  // FAZHI_SERVICES_COMMON_VALIDATION_H_
