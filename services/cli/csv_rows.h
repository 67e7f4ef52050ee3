#ifndef FAZHI_SERVICES_CLI_CSV_ROWS_H_
#define FAZHI_SERVICES_CLI_CSV_ROWS_H_

// Import files as CSV (RFC 4180, parsed by libcsv), the shape departments
// keep their registers in: a header row, then one record per row, mapped
// as table_rows.h says (the same rows as an XLSX sheet).

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
