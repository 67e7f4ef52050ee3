#include "services/common/validation.h"

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

void FieldViolations::CheckText(absl::string_view field, absl::string_view value, size_t max_chars,
                                bool required, bool multiline) {
  const int64_t length = kernel::Utf8Length(value);
  if (length < 0) {
    Add(std::string(field), "must be valid UTF-8");
    return;
  }
  if (required && value.find_first_not_of(" \t\r\n") == absl::string_view::npos) {
    Add(std::string(field), "is required");
    return;
  }
  if (static_cast<size_t>(length) > max_chars) {
    Add(std::string(field),
        absl::StrCat("must be at most ", max_chars, " characters (got ", length, ")"));
    return;
  }
  for (size_t i = 0; i < value.size();) {
    const size_t at = i;
    uint32_t c = 0;
    i += kernel::DecodeUtf8At(value, i, &c);  // never 0: the length above checked the text
    if (c < 0x20 || c == 0x7F) {
      if (multiline && (c == '\n' || c == '\t' || c == '\r')) continue;
      Add(std::string(field), "must not contain control characters");
      return;
    }
    if (!kernel::IsAllowedTextCodePoint(c)) {
      Add(std::string(field),
          absl::StrFormat("must not contain U+%04X (at byte %d): not allowed in XML 1.0 or a "
                          "bidirectional override",
                          c, at));
      return;
    }
  }
}

void FieldViolations::CheckTextList(absl::string_view field, const std::vector<std::string>& values,
                                    size_t max_items, size_t max_chars) {
  if (values.size() > max_items) {
    Add(std::string(field),
        absl::StrCat("must have at most ", max_items, " items (got ", values.size(), ")"));
    return;
  }
  for (size_t i = 0; i < values.size(); ++i) {
    CheckText(absl::StrCat(field, "[", i, "]"), values[i], max_chars, /*required=*/true);
  }
}

void FieldViolations::CheckDate(absl::string_view field, const google::type::Date& date,
                                bool required) {
  if (!IsSet(date)) {
    if (required) Add(std::string(field), "is required");
    return;
  }
  if (date.year() < kMinRecordYear || date.year() > kMaxRecordYear) {
    Add(std::string(field), absl::StrCat("year must be between ", kMinRecordYear, " and ",
                                         kMaxRecordYear, " (got ", date.year(), ")"));
    return;
  }
  const absl::CivilDay day(date.year(), date.month(), date.day());
  if (date.month() < 1 || date.month() > 12 || date.day() < 1 || day.month() != date.month() ||
      day.day() != date.day()) {
    Add(std::string(field), absl::StrFormat("%04d-%02d-%02d is not a calendar date", date.year(),
                                            date.month(), date.day()));
  }
}

void FieldViolations::CheckYear(absl::string_view field, int year, bool required) {
  if (year == 0) {
    if (required) Add(std::string(field), "is required");
    return;
  }
  if (year < kMinRecordYear || year > kMaxRecordYear) {
    Add(std::string(field), absl::StrCat("must be between ", kMinRecordYear, " and ",
                                         kMaxRecordYear, " (got ", year, ")"));
  }
}

void FieldViolations::CheckRange(absl::string_view field, int64_t value, int64_t min, int64_t max) {
  if (value < min || value > max) {
    Add(std::string(field),
        absl::StrCat("must be between ", min, " and ", max, " (got ", value, ")"));
  }
}

}  // namespace fazhi
