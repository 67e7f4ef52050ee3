#ifndef FAZHI_SERVICES_COMMON_VALIDATION_H_
#define FAZHI_SERVICES_COMMON_VALIDATION_H_

// Collects every bad field of a request so the caller hears about all of
// them at once, as INVALID_ARGUMENT with google.rpc.BadRequest details.

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/type/date.pb.h"

namespace fazhi {

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
  // tab when multiline, only code points kernel::IsAllowedTextCodePoint
  // admits, at most max_chars characters, present if required.
  void CheckText(absl::string_view field, absl::string_view value, size_t max_chars,
                 bool required = false, bool multiline = false);
  // Checks a repeated text field: at most max_items items, each non-empty
  // single-line text of at most max_chars characters.
  void CheckTextList(absl::string_view field, const std::vector<std::string>& values,
                     size_t max_items, size_t max_chars);
  // A calendar date with a year in [kernel::kMinRecordYear,
  // kernel::kMaxRecordYear]; CheckYear the same years.
  void CheckDate(absl::string_view field, const google::type::Date& date, bool required);
  void CheckYear(absl::string_view field, int year, bool required);
  void CheckRange(absl::string_view field, int64_t value, int64_t min, int64_t max);

 private:
  std::vector<Violation> violations_;
};

}  // namespace fazhi

#endif  // FAZHI_SERVICES_COMMON_VALIDATION_H_
