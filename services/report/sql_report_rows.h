#ifndef FAZHI_SERVICES_REPORT_SQL_REPORT_ROWS_H_
#define FAZHI_SERVICES_REPORT_SQL_REPORT_ROWS_H_

// How the report store's records sit in SQL rows: the data columns of the
// organizations and reports tables (codecs for sql::RecordTable) and the
// snapshot a published revision keeps. Nested values are JSON in the shape
// and byte order earlier versions wrote, so existing rows read the same
// and a record written again keeps its bytes.

#include <string>
#include <vector>

#include "services/common/sql/database.h"
#include "services/common/sql/record_table.h"
#include "services/report/model.h"

namespace fazhi::report {

struct OrganizationCodec {
  static const sql::RecordTableSpec& Spec();
  static std::vector<sql::Value> Values(const Organization& o);
  static Organization FromRow(const sql::Row& row, size_t first_column);
};

struct ReportCodec {
  static const sql::RecordTableSpec& Spec();
  static std::vector<sql::Value> Values(const Report& r);
  static Report FromRow(const sql::Row& row, size_t first_column);
};

// A report frozen in a revision: every field, row metadata included.
std::string SnapshotJson(const Report& r);
// Malformed JSON reads as a default Report.
Report SnapshotFrom(const std::string& json);

}  // namespace fazhi::report

#endif  // FAZHI_SERVICES_REPORT_SQL_REPORT_ROWS_H_
