#include "services/common/validation.h"

#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "google/rpc/error_details.pb.h"
#include "services/common/grpc_status.h"
#include "services/common/proto_dates.h"
#include "services/kernel/dates.h"
#include "services/kernel/utf8.h"

namespace fazhi {

using kernel::kMaxRecordYear;
using kernel::kMinRecordYear;

void FieldViolations::Add(std::string field, std::string description) {
  violations_.push_back({std::move(field), std::move(description)});
}

absl::Status FieldViolations::ToStatus() const {
  if (violations_.empty()) return absl::OkStatus();
  google::rpc::BadRequest bad_request;
  std::vector<std::string> parts;
  for (const Violation& v : violations_) {
    auto* fv = bad_request.add_field_violations();
    fv->set_field(v.field);
    fv->set_description(v.description);
    parts.push_back(absl::StrCat(v.field, ": ", v.description));
  }
  absl::Status status =
      absl::InvalidArgumentError(absl::StrCat("invalid request: ", absl::StrJoin(parts, "; ")));
  AttachDetail(status, bad_request);
  return status;
}

namespace {

// What is wrong with a text field's value, or nullopt. In this order: not
// UTF-8, required but blank, too long, a character not allowed here (the
// first). One pass over the text: an import checks every row's texts.
std::optional<std::string> TextProblem(absl::string_view value, size_t max_chars, bool required,
                                       bool multiline) {
  int64_t length = 0;
  std::optional<std::pair<uint32_t, size_t>> refused;  // the first: code point, byte
  for (size_t i = 0; i < value.size(); ++length) {
    const size_t at = i;
    uint32_t c = static_cast<unsigned char>(value[i]);
    if (c >= 0x20 && c < 0x7F) {  // printable ASCII: allowed everywhere
      ++i;
      continue;
    }
    if (c < 0x80) {
      ++i;
    } else {
      const size_t bytes = kernel::DecodeUtf8At(value, i, &c);
      if (bytes == 0) return "must be valid UTF-8";
      i += bytes;
    }
    if (refused) continue;
    const bool line_break = c == '\n' || c == '\t' || c == '\r';
    if (multiline && line_break) continue;
    if (c < 0x20 || c == 0x7F || !kernel::IsAllowedTextCodePoint(c)) refused.emplace(c, at);
  }
  if (required && value.find_first_not_of(" \t\r\n") == absl::string_view::npos) {
    return "is required";
  }
  if (static_cast<size_t>(length) > max_chars) {
    return absl::StrCat("must be at most ", max_chars, " characters (got ", length, ")");
  }
  if (!refused) return std::nullopt;
  const auto [c, at] = *refused;
  if (c < 0x20 || c == 0x7F) return "must not contain control characters";
  return absl::StrFormat(
      "must not contain U+%04X (at byte %d): not allowed in XML 1.0 or a bidirectional override", c,
      at);
}

}  // namespace

std::string FieldPath::Format() const {
  if (index_ < 0) return absl::StrCat(prefix_, name_);
  return absl::StrCat(prefix_, name_, "[", index_, "].", member_);
}

void FieldViolations::CheckText(const FieldPath& field, absl::string_view value, size_t max_chars,
                                bool required, bool multiline) {
  if (auto problem = TextProblem(value, max_chars, required, multiline)) {
    Add(field.Format(), *std::move(problem));
  }
}

void FieldViolations::TooManyItems(const FieldPath& field, size_t items, size_t max_items) {
  Add(field.Format(), absl::StrCat("must have at most ", max_items, " items (got ", items, ")"));
}

void FieldViolations::CheckListItem(const FieldPath& field, size_t index, absl::string_view value,
                                    size_t max_chars) {
  if (auto problem = TextProblem(value, max_chars, /*required=*/true, false)) {
    Add(absl::StrCat(field.Format(), "[", index, "]"), *std::move(problem));
  }
}

void FieldViolations::CheckDate(const FieldPath& field, const google::type::Date& date,
                                bool required) {
  if (!IsSet(date)) {
    if (required) Add(field.Format(), "is required");
    return;
  }
  if (date.year() < kMinRecordYear || date.year() > kMaxRecordYear) {
    Add(field.Format(), absl::StrCat("year must be between ", kMinRecordYear, " and ",
                                     kMaxRecordYear, " (got ", date.year(), ")"));
    return;
  }
  const absl::CivilDay day(date.year(), date.month(), date.day());
  if (date.month() < 1 || date.month() > 12 || date.day() < 1 || day.month() != date.month() ||
      day.day() != date.day()) {
    Add(field.Format(), absl::StrFormat("%04d-%02d-%02d is not a calendar date", date.year(),
                                        date.month(), date.day()));
  }
}

void FieldViolations::CheckYear(const FieldPath& field, int year, bool required) {
  if (year == 0) {
    if (required) Add(field.Format(), "is required");
    return;
  }
  if (year < kMinRecordYear || year > kMaxRecordYear) {
    Add(field.Format(), absl::StrCat("must be between ", kMinRecordYear, " and ", kMaxRecordYear,
                                     " (got ", year, ")"));
  }
}

void FieldViolations::CheckRange(const FieldPath& field, int64_t value, int64_t min, int64_t max) {
  if (value < min || value > max) {
    Add(field.Format(), absl::StrCat("must be between ", min, " and ", max, " (got ", value, ")"));
  }
}

}  // namespace fazhi
