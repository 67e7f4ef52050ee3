#ifndef FAZHI_SERVICES_SHEETS_XLSX_READER_H_
#define FAZHI_SERVICES_SHEETS_XLSX_READER_H_

// Reading one sheet of an XLSX workbook (Office Open XML, ECMA-376) as
// text cells, the way a CSV export of it would read: shared and inline
// strings as written, numbers without float noise (45, 12.5), cells with a
// date format as YYYY-MM-DD (1900 or 1904 date system), booleans as
// TRUE/FALSE, a formula's cached value.
//
// Debian 12 packages no XLSX reader (no libxlsxio or OpenXLSX; freexl 1.0
// reads only .xls), so the package is opened with libzip, already used for
// DOCX, and its XML streamed through expat: a SAX parser that never builds
// the sheet as a tree, keeps no external entities and bounds entity
// expansion (billion laughs).

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace fazhi::sheets {

// rows[r][c] is the cell in sheet row r + 1, column c + 1 (A = 0). Rows
// end at their last non-empty cell; an empty row in between is an empty
// vector, so row numbers stay the sheet's.
using Table = std::vector<std::vector<std::string>>;

// The first sheet in the workbook's order, or the one named `sheet`.
// Errors say what is wrong with the file ("not an XLSX file …").
absl::StatusOr<Table> ReadXlsxSheet(absl::string_view bytes, absl::string_view sheet = "");

// "YYYY-MM-DD" of a date serial: days since 1899-12-30 (Excel's 1900
// system, whose 1900-02-29 never was) or since 1904-01-01.
std::string SerialDate(double serial, bool date1904);

}  // namespace fazhi::sheets

#endif  // FAZHI_SERVICES_SHEETS_XLSX_READER_H_
