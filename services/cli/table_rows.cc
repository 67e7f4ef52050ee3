#include "services/cli/table_rows.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "nlohmann/json.hpp"
#include "services/common/field_mask.h"
#include "services/kernel/dates.h"
#include "services/sheets/import_sheets.h"

namespace fazhi::cli {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using Json = nlohmann::json;

// The JSON value of one cell for a scalar (non-repeated) field.
absl::StatusOr<Json> CellValue(const FieldDescriptor& field, absl::string_view cell) {
  cell = absl::StripAsciiWhitespace(cell);
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
    case FieldDescriptor::CPPTYPE_INT64:
    case FieldDescriptor::CPPTYPE_UINT32:
    case FieldDescriptor::CPPTYPE_UINT64: {
      int64_t n;
      if (!absl::SimpleAtoi(cell, &n)) return absl::InvalidArgumentError("not a whole number");
      return Json(n);
    }
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT: {
      double d;
      if (!absl::SimpleAtod(cell, &d)) return absl::InvalidArgumentError("not a number");
      return Json(d);
    }
    case FieldDescriptor::CPPTYPE_BOOL: {
      const std::string lower = absl::AsciiStrToLower(cell);
      if (lower == "true" || lower == "1" || cell == "是") return Json(true);
      if (lower == "false" || lower == "0" || cell == "否") return Json(false);
      return absl::InvalidArgumentError("not a yes/no value (true/false, 1/0, 是/否)");
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      int n;
      if (absl::SimpleAtoi(cell, &n)) return Json(n);
      // A Chinese name ("集中学习") or the value's name, checked when the
      // JSON is parsed.
      if (std::string value = sheets::EnumValueOfLabel(*field.enum_type(), cell); !value.empty()) {
        return Json(value);
      }
      return Json(std::string(cell));
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      if (field.message_type()->full_name() == "google.type.Date") {
        absl::CivilDay day;
        if (!kernel::ParseDate(absl::StrReplaceAll(cell, {{"/", "-"}}), &day)) {
          return absl::InvalidArgumentError("not a date (YYYY-MM-DD)");
        }
        return Json{{"year", day.year()}, {"month", day.month()}, {"day", day.day()}};
      }
      return absl::InvalidArgumentError(
          "a message column needs a dotted header, e.g. field.subfield");
    default:
      return Json(std::string(cell));
  }
}

// Sets `path` (dotted) of `object` from one cell.
absl::Status SetCell(const Descriptor& type, absl::string_view path, absl::string_view cell,
                     Json& object) {
  const std::vector<absl::string_view> parts = absl::StrSplit(path, absl::MaxSplits('.', 1));
  const FieldDescriptor* field = FieldByProtoOrJsonName(type, parts[0]);
  if (field == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("no field \"", parts[0], "\" in ", type.name()));
  }
  Json& slot = object[field->json_name()];
  if (parts.size() == 2) {
    if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE || field->is_repeated()) {
      return absl::InvalidArgumentError(absl::StrCat("\"", parts[0], "\" has no subfields"));
    }
    if (!slot.is_object()) slot = Json::object();
    return SetCell(*field->message_type(), parts[1], cell, slot);
  }
  if (field->is_repeated()) {
    slot = Json::array();
    const std::string normalized = absl::StrReplaceAll(cell, {{"；", ";"}, {"、", ";"}});
    for (absl::string_view item : absl::StrSplit(normalized, ';', absl::SkipWhitespace())) {
      absl::StatusOr<Json> value = CellValue(*field, item);
      if (!value.ok()) return value.status();
      slot.push_back(*value);
    }
    return absl::OkStatus();
  }
  absl::StatusOr<Json> value = CellValue(*field, cell);
  if (!value.ok()) return value.status();
  slot = *value;
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<std::string>> TableToJsonRecords(
    const std::vector<std::vector<std::string>>& table, const Descriptor& type) {
  if (table.empty()) return std::vector<std::string>();
  const std::vector<std::string>& header = table.front();
  std::vector<std::string> paths;
  for (const std::string& cell : header) paths.push_back(sheets::FieldPathOfHeader(type, cell));
  std::vector<std::string> records;
  for (size_t r = 1; r < table.size(); ++r) {
    const auto& row = table[r];
    Json object = Json::object();
    for (size_t c = 0; c < row.size() && c < header.size(); ++c) {
      if (absl::StripAsciiWhitespace(row[c]).empty()) continue;
      absl::Status set = SetCell(type, paths[c], row[c], object);
      if (!set.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("row ", r + 1, ", column \"", header[c], "\": ", set.message()));
      }
    }
    if (!object.empty()) records.push_back(object.dump());
  }
  return records;
}

}  // namespace fazhi::cli
