#ifndef FAZHI_SERVICES_CLI_TABLE_ROWS_H_
#define FAZHI_SERVICES_CLI_TABLE_ROWS_H_

// The one row model of the import files that are tables, CSV (csv_rows.h)
// and XLSX (sheets/xlsx_reader.h): a header row naming fields of the row
// message, then one record per row. A header cell names a field by its
// proto or JSON name ("duration_minutes", "durationMinutes"), by its
// Chinese header in the import template ("时长（分钟）"), or by both
// ("时长（分钟）（duration_minutes）"; sheets/import_sheets.h). Cells become
// the record's JSON (then parsed like a JSON import):
//   numbers and booleans (true/false, 1/0, 是/否) as such; enums by value
//   name ("STUDY_KIND_ALL_STAFF"), Chinese name ("集中学习") or number; dates as YYYY-MM-DD (or
//   YYYY/MM/DD); lists split on ";", "；" or "、"; a dotted header
//   ("certificate.number") fills a nested message.
// Empty cells are left out, and a row of empty cells is no record.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/descriptor.h"

namespace fazhi::cli {

// One JSON object per data row of `table` (its first row the header), for
// `type`. An error names the row as the file numbers it (the header is row
// 1) and the column by its header: "row 3, column \"日期\": not a date".
absl::StatusOr<std::vector<std::string>> TableToJsonRecords(
    const std::vector<std::vector<std::string>>& table, const google::protobuf::Descriptor& type);

}  // namespace fazhi::cli

#endif  // FAZHI_SERVICES_CLI_TABLE_ROWS_H_
