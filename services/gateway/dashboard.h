#ifndef FAZHI_SERVICES_GATEWAY_DASHBOARD_H_
#define FAZHI_SERVICES_GATEWAY_DASHBOARD_H_

// The supervisor's dashboard: one row per supervised organization from the
// summaries the backends returned for its year. Pure logic.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "fazhi/gateway/v1/gateway.pb.h"
#include "fazhi/report/v1/report.pb.h"
#include "services/gateway/compose.h"

namespace fazhi::gateway {

// What the dashboard is made of: the organizations in their order, and
// for each (same index) its fetched year or why it could not be fetched.
struct DashboardInputs {
  std::string supervisor;
  int year = 0;
  absl::CivilDay as_of;
  std::vector<fazhi::report::v1::Organization> organizations;
  std::vector<absl::StatusOr<ComposeInput>> years;
  fazhi::report::v1::ListOverdueReportsResponse overdue;
};

fazhi::gateway::v1::Dashboard BuildDashboard(const DashboardInputs& inputs);

}  // namespace fazhi::gateway

#endif  // FAZHI_SERVICES_GATEWAY_DASHBOARD_H_
