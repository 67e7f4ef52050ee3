#include "absl/strings/string_view.h"
#include "services/common/validation.h"


#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "google/rpc/error_details.pb.h"
#include "services/common/grpc_status.h"

namespace fazhi {

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

int64_t Utf8Length(absl::string_view text) {
  int64_t count = 0;
  size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    size_t extra;
    uint32_t code_point;
    if (c < 0x80) {
      extra = 0;
      code_point = c;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1;
      code_point = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      code_point = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      code_point = c & 0x07;
    } else {
      return -1;
    }
    if (i + extra >= text.size()) return -1;  // truncated sequence
    for (size_t k = 1; k <= extra; ++k) {
      const auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0) != 0x80) return -1;
      code_point = (code_point << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    static constexpr uint32_t kMinForLength[] = {0, 0x80, 0x800, 0x10000};
    if (code_point < kMinForLength[extra] || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF)) {
      return -1;
    }
    i += extra + 1;
    ++count;
  }
  return count;
}

std::string TruncateUtf8(absl::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  static constexpr absl::string_view kMark = "…";
  if (max_bytes < kMark.size()) return "";
  size_t cut = max_bytes - kMark.size();
  // Back off continuation bytes to the start of the character they belong to.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return absl::StrCat(text.substr(0, cut), kMark);
}

bool IsAllowedTextCodePoint(uint32_t c) {
  if (c < 0x20) return c == '\t' || c == '\n' || c == '\r';
  if (c == 0x7F) return false;
  if (c >= 0xD800 && c <= 0xDFFF) return false;
  if (c == 0xFFFE || c == 0xFFFF) return false;
  if ((c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)) return false;
  return c <= 0x10FFFF;
}

namespace {

// The code point at text[*i] (valid UTF-8 checked before), advancing *i.
uint32_t NextCodePoint(absl::string_view text, size_t* i) {
  const auto c = static_cast<unsigned char>(text[*i]);
  size_t extra = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : 3;
  uint32_t code_point = extra == 0 ? c : extra == 1 ? (c & 0x1F) : extra == 2 ? (c & 0x0F) : (c & 0x07);
  for (size_t k = 1; k <= extra && *i + k < text.size(); ++k) {
    code_point = (code_point << 6) | (static_cast<unsigned char>(text[*i + k]) & 0x3F);
  }
  *i += extra + 1;
  return code_point;
}

}  // namespace

void FieldViolations::CheckText(absl::string_view field, absl::string_view value, size_t max_chars,
                                bool required, bool multiline) {
  const int64_t length = Utf8Length(value);
  if (length < 0) {
    Add(std::string(field), "must be valid UTF-8");
    return;
  }
  if (required && value.find_first_not_of(" \t\r\n") == absl::string_view::npos) {
    Add(std::string(field), "is required");
    return;
  }
  if (static_cast<size_t>(length) > max_chars) {
    Add(std::string(field), absl::StrCat("must be at most ", max_chars, " characters (got ", length, ")"));
    return;
  }
  for (size_t i = 0; i < value.size();) {
    const size_t at = i;
    const uint32_t c = NextCodePoint(value, &i);
    if (c < 0x20 || c == 0x7F) {
      if (multiline && (c == '\n' || c == '\t' || c == '\r')) continue;
      Add(std::string(field), "must not contain control characters");
      return;
    }
    if (!IsAllowedTextCodePoint(c)) {
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
    Add(std::string(field), absl::StrCat("must have at most ", max_items, " items (got ", values.size(), ")"));
    return;
  }
  for (size_t i = 0; i < values.size(); ++i) {
    CheckText(absl::StrCat(field, "[", i, "]"), values[i], max_chars, /*required=*/true);
  }
}

bool IsSet(const google::type::Date& date) {
  return date.year() != 0 || date.month() != 0 || date.day() != 0;
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
    Add(std::string(field),
        absl::StrCat("must be between ", kMinRecordYear, " and ", kMaxRecordYear, " (got ", year, ")"));
  }
}

void FieldViolations::CheckRange(absl::string_view field, int64_t value, int64_t min, int64_t max) {
  if (value < min || value > max) {
    Add(std::string(field), absl::StrCat("must be between ", min, " and ", max, " (got ", value, ")"));
  }
}

absl::CivilDay ToCivilDay(const google::type::Date& date) {
  return absl::CivilDay(date.year(), date.month(), date.day());
}

google::type::Date ToDate(absl::CivilDay day) {
  google::type::Date date;
  date.set_year(static_cast<int32_t>(day.year()));
  date.set_month(day.month());
  date.set_day(day.day());
  return date;
}

std::string FormatDate(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

bool ParseDate(absl::string_view text, absl::CivilDay* day) {
  int y, m, d;
  for (size_t i = 0; i < text.size(); ++i) {
    // Digits only: SimpleAtoi alone would take "+2" or " 2".
    if (i != 4 && i != 7 && (text[i] < '0' || text[i] > '9')) return false;
  }
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' ||
      !absl::SimpleAtoi(text.substr(0, 4), &y) || !absl::SimpleAtoi(text.substr(5, 2), &m) ||
      !absl::SimpleAtoi(text.substr(8, 2), &d)) {
    return false;
  }
  *day = absl::CivilDay(y, m, d);
  return day->year() == y && day->month() == m && day->day() == d;
}

}  // namespace fazhi
