#ifndef FAZHI_SERVICES_CLI_CSV_ROWS_H_
#define FAZHI_SERVICES_CLI_CSV_ROWS_H_

// Import files as CSV (RFC 4180, parsed by libcsv), the shape departments
// keep their registers in. The header row names fields of the row message
// by their proto or JSON name ("duration_minutes" or "durationMinutes").
// Cells become the record's JSON (then parsed like a JSON import):
//   numbers and booleans as such; enums by value name ("STUDY_KIND_ALL_STAFF")
//   or number; dates as YYYY-MM-DD; lists split on ";", "；" or "、";
//   a dotted header ("certificate.number") fills a nested message.
// Empty cells are left out.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"

namespace fazhi::cli {

// One JSON object per data row, for `type`; errors name the row and column.
absl::StatusOr<std::vector<std::string>> CsvToJsonRecords(absl::string_view content,
                                                          const google::protobuf::Descriptor& type);

}  // namespace fazhi::cli

#endif  // FAZHI_SERVICES_CLI_CSV_ROWS_H_
