#ifndef FAZHI_SERVICES_CLI_JSON_ROWS_H_
#define FAZHI_SERVICES_CLI_JSON_ROWS_H_

// Reading records for bulk import from JSON files: either one JSON array of
// objects or JSON Lines (one object per line). Objects use the protobuf
// JSON mapping of the row message (e.g. "date": {"year": 2024, …},
// "kind": "STUDY_KIND_ALL_STAFF").

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace fazhi::cli {

// The JSON text of every record in `content`, in order.
absl::StatusOr<std::vector<std::string>> SplitJsonRecords(absl::string_view content);

// Parses one record into `message`; the error names the record.
absl::Status ParseJsonRecord(const std::string& json, size_t index,
                             google::protobuf::Message& message);

absl::StatusOr<std::string> ReadFile(const std::string& path);

// The records of an import file as JSON: CSV when the name ends in .csv
// (csv_rows.h), the first sheet of an XLSX workbook when it ends in .xlsx
// (the same row model, table_rows.h), otherwise a JSON array or JSON Lines.
absl::StatusOr<std::vector<std::string>> ReadImportRecords(
    const std::string& path, const google::protobuf::Descriptor& type);

// An import file read into rows of message type Row.
template <typename Row>
absl::StatusOr<std::vector<Row>> ReadImportFile(const std::string& path) {
  absl::StatusOr<std::vector<std::string>> records = ReadImportRecords(path, *Row::descriptor());
  if (!records.ok()) return records.status();
  std::vector<Row> rows(records->size());
  for (size_t i = 0; i < records->size(); ++i) {
    absl::Status parsed = ParseJsonRecord((*records)[i], i, rows[i]);
    if (!parsed.ok()) return parsed;
  }
  return rows;
}

}  // namespace fazhi::cli

#endif  // FAZHI_SERVICES_CLI_JSON_ROWS_H_
