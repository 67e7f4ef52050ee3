#include "services/cli/csv_rows.h"

#include <csv.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/cli/table_rows.h"

namespace fazhi::cli {
namespace {

struct Table {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> current;
};

void OnField(void* data, size_t size, void* table) {
  static_cast<Table*>(table)->current.emplace_back(static_cast<const char*>(data), size);
}

void OnRow(int, void* table) {
  auto* t = static_cast<Table*>(table);
  t->rows.push_back(std::move(t->current));
  t->current.clear();
}

}  // namespace

absl::StatusOr<std::vector<std::string>> CsvToJsonRecords(
    absl::string_view content, const google::protobuf::Descriptor& type) {
  // A UTF-8 byte-order mark (spreadsheet exports) is not part of the header.
  absl::ConsumePrefix(&content, "\xEF\xBB\xBF");
  csv_parser parser;
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0) {
    return absl::InternalError("cannot start the CSV parser");
  }
  Table table;
  const size_t parsed = csv_parse(&parser, content.data(), content.size(), OnField, OnRow, &table);
  const bool ok = parsed == content.size() && csv_fini(&parser, OnField, OnRow, &table) == 0;
  const int error = csv_error(&parser);
  csv_free(&parser);
  if (!ok) {
    return absl::InvalidArgumentError(
        absl::StrCat("CSV after row ", table.rows.size(), ": ", csv_strerror(error)));
  }
  return TableToJsonRecords(table.rows, type);
}

}  // namespace fazhi::cli
