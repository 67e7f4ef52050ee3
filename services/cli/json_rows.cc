#include "services/cli/json_rows.h"

#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/protobuf/util/json_util.h"
#include "nlohmann/json.hpp"
#include "services/cli/csv_rows.h"
#include "services/cli/table_rows.h"
#include "services/sheets/xlsx_reader.h"

namespace fazhi::cli {

absl::StatusOr<std::vector<std::string>> SplitJsonRecords(absl::string_view content) {
  absl::string_view trimmed = absl::StripAsciiWhitespace(content);
  std::vector<std::string> records;
  if (absl::StartsWith(trimmed, "[")) {
    nlohmann::json array = nlohmann::json::parse(trimmed.begin(), trimmed.end(), nullptr, false);
    if (array.is_discarded() || !array.is_array()) {
      return absl::InvalidArgumentError("the file starts with '[' but is not a JSON array");
    }
    for (const auto& item : array) records.push_back(item.dump());
    return records;
  }
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(content, '\n')) {
    ++line_number;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || absl::StartsWith(line, "#")) continue;
    records.emplace_back(line);
  }
  return records;
}

absl::Status ParseJsonRecord(const std::string& json, size_t index,
                             google::protobuf::Message& message) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  auto status = google::protobuf::util::JsonStringToMessage(json, &message, options);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("record ", index, ": ", std::string(status.message())));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> ReadImportRecords(
    const std::string& path, const google::protobuf::Descriptor& type) {
  absl::StatusOr<std::string> content = ReadFile(path);
  if (!content.ok()) return content.status();
  if (absl::EndsWithIgnoreCase(path, ".csv")) return CsvToJsonRecords(*content, type);
  if (absl::EndsWithIgnoreCase(path, ".xlsx")) {
    // The first sheet, through the same row model as CSV.
    absl::StatusOr<sheets::Table> table = sheets::ReadXlsxSheet(*content);
    if (!table.ok()) return table.status();
    return TableToJsonRecords(*table, type);
  }
  return SplitJsonRecords(*content);
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace fazhi::cli
