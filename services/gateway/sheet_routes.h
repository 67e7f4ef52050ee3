#ifndef FAZHI_SERVICES_GATEWAY_SHEET_ROUTES_H_
#define FAZHI_SERVICES_GATEWAY_SHEET_ROUTES_H_

// Spreadsheet downloads on the gateway's HTTP side:
//
//   GET /orgs/{org}/dashboard/{year}.xlsx[?as_of=YYYY-MM-DD]
//       the supervisor's dashboard (GetDashboard; read on the supervisor)
//   GET /orgs/{org}/reports/{year}/facts.xlsx[?as_of=YYYY-MM-DD][&partial=1]
//       the report's facts with their sources (GetFacts; read on the org)
//   GET /templates/{sessions|events|powers|officers}.{xlsx|csv}
//       the import templates (no data, so no key: like the page itself)
//
// The two reports authenticate "Authorization: Bearer <API key>" and check
// the RPC's own access rule (refusals audited), then call that RPC through
// the server's in-process channel with the caller's header, so the
// handler, its validation and the backends' checks are the gRPC side's.

#include "services/common/auth/access.h"
#include "services/common/auth/audit.h"
#include "services/common/auth/authenticator.h"
#include "services/common/http_server.h"
#include "services/common/server.h"

namespace fazhi::gateway {

// `server`, `authenticator` and `audit` must outlive the HTTP side.
void AddSheetRoutes(HttpServer& http, const Server& server,
                    const auth::Authenticator& authenticator, auth::AuditLog& audit,
                    const auth::AccessRules& rules);

}  // namespace fazhi::gateway

#endif  // FAZHI_SERVICES_GATEWAY_SHEET_ROUTES_H_
