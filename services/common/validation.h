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

// A field's path as a violation names it, made into a string only when one
// does: an import checks every field of every row, and the names of the
// fields that pass are never read. A path holds views of its parts, so it
// lives no longer than the expression that makes it.
//   "title"                               FieldPath("title")
//   "sessions[3].title"                   FieldPath("sessions[3].", "title")
//   "sessions[3].attendees[2].person_id"  FieldPath("sessions[3].", "attendees", 2, "person_id")
class FieldPath {
 public:
  // Implicit, as a string_view is: every check also takes a plain name.
  FieldPath(absl::string_view name) : name_(name) {}   // NOLINT(runtime/explicit)
  FieldPath(const char* name) : name_(name) {}         // NOLINT(runtime/explicit)
  FieldPath(const std::string& name) : name_(name) {}  // NOLINT(runtime/explicit)
  FieldPath(absl::string_view prefix, absl::string_view name) : prefix_(prefix), name_(name) {}
  FieldPath(absl::string_view prefix, absl::string_view name, int index, absl::string_view member)
      : prefix_(prefix), name_(name), member_(member), index_(index) {}

  std::string Format() const;

 private:
  absl::string_view prefix_, name_, member_;
  int index_ = -1;  // -1: no [index].member part
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
  void CheckText(const FieldPath& field, absl::string_view value, size_t max_chars,
                 bool required = false, bool multiline = false);
  // Checks a repeated text field (any sized range of strings: a vector, a
  // protobuf repeated field): at most max_items items, each non-empty
  // single-line text of at most max_chars characters.
  template <typename Texts>
  void CheckTextList(const FieldPath& field, const Texts& values, size_t max_items,
                     size_t max_chars) {
    if (static_cast<size_t>(values.size()) > max_items) {
      TooManyItems(field, static_cast<size_t>(values.size()), max_items);
      return;
    }
    size_t i = 0;
    for (const auto& value : values) CheckListItem(field, i++, value, max_chars);
  }
  void CheckTextList(const FieldPath& field, const std::vector<std::string>& values,
                     size_t max_items, size_t max_chars) {
    CheckTextList<std::vector<std::string>>(field, values, max_items, max_chars);
  }
  // A calendar date with a year in [kernel::kMinRecordYear,
  // kernel::kMaxRecordYear]; CheckYear the same years.
  void CheckDate(const FieldPath& field, const google::type::Date& date, bool required);
  void CheckYear(const FieldPath& field, int year, bool required);
  void CheckRange(const FieldPath& field, int64_t value, int64_t min, int64_t max);

 private:
  void TooManyItems(const FieldPath& field, size_t items, size_t max_items);
  void CheckListItem(const FieldPath& field, size_t index, absl::string_view value,
                     size_t max_chars);

  std::vector<Violation> violations_;
};

}  // namespace fazhi

#endif  // FAZHI_SERVICES_COMMON_VALIDATION_H_
