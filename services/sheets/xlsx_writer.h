#ifndef FAZHI_SERVICES_SHEETS_XLSX_WRITER_H_
#define FAZHI_SERVICES_SHEETS_XLSX_WRITER_H_

// Writing XLSX workbooks (libxlsxwriter): tables with a bold, frozen
// header, column widths, numbers as numbers and dates as dates, so a
// spreadsheet sorts and sums them without conversion.

#include <string>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"

namespace fazhi::sheets {

// One cell: empty, text, a number or a date (shown as yyyy-mm-dd).
using Cell = std::variant<std::monostate, std::string, double, absl::CivilDay>;

struct Column {
  std::string header;
  double width = 12;  // in characters; a CJK character takes about 2
  // Cells typed into this column later stay text ("@"): codes and ids
  // such as 001234 keep their leading zeros.
  bool text = false;
};

struct Sheet {
  std::string name;   // the tab, at most 31 characters, none of []:*?/\ .
  std::string title;  // a bold line above the header naming what it is; none when empty
  std::vector<Column> columns;
  std::vector<std::vector<Cell>> rows;
  int frozen_columns = 0;  // columns that stay in view when scrolling right
};

// The workbook's bytes. `title` goes into the document properties.
absl::StatusOr<std::string> WriteWorkbook(const std::vector<Sheet>& sheets,
                                          const std::string& title);

}  // namespace fazhi::sheets

#endif  // FAZHI_SERVICES_SHEETS_XLSX_WRITER_H_
