#ifndef FAZHI_SERVICES_GATEWAY_WORKBOOKS_H_
#define FAZHI_SERVICES_GATEWAY_WORKBOOKS_H_

// The supervisor's dashboard and a report's facts as XLSX workbooks, for
// the people who keep their overviews in Excel: Chinese headers, a title
// naming the organization and year, numbers as numbers, dates as dates.
// Pure: made from the RPCs' answers (GetDashboard, GetFacts).

#include <string>

#include "absl/status/statusor.h"
#include "fazhi/gateway/v1/gateway.pb.h"
#include "services/sheets/xlsx_writer.h"

namespace fazhi::gateway {

// Sheet 1: one row per supervised organization; sheet 2: understaffed
// powers per enforcement domain.
std::vector<sheets::Sheet> DashboardSheets(const v1::Dashboard& dashboard);
// One row per fact, in the catalogue's order.
std::vector<sheets::Sheet> FactsSheets(const v1::FactCatalogue& catalogue);

absl::StatusOr<std::string> DashboardWorkbook(const v1::Dashboard& dashboard);
absl::StatusOr<std::string> FactsWorkbook(const v1::FactCatalogue& catalogue);

// "已报送，待审核" for REPORT_STATE_SUBMITTED, as the web page says it.
std::string ReportStateName(fazhi::report::v1::ReportState state);

}  // namespace fazhi::gateway

#endif  // FAZHI_SERVICES_GATEWAY_WORKBOOKS_H_
