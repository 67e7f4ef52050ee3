#ifndef FAZHI_SERVICES_GATEWAY_WEB_API_ROUTES_H_
#define FAZHI_SERVICES_GATEWAY_WEB_API_ROUTES_H_

// The JSON API of the web page. Each route maps 1:1 onto an RPC of
// fazhi.gateway.v1.AnnualReportService, takes and returns the very same
// messages in the protobuf JSON mapping, and is served by calling that RPC
// through the server's in-process channel with the caller's Authorization
// header as metadata: the same access rules, validation, handler,
// forwarding of the caller to the backends, and logs as a gRPC client gets.
// Before that call the route checks the rule itself (AuthorizeHttp), so a
// refusal is audited with the browser's address.
//
//   POST /api/v1/compose     ComposeReport   ComposeReportRequest → ComposedReport
//   POST /api/v1/facts       GetFacts        GetFactsRequest      → FactCatalogue
//   POST /api/v1/dashboard   GetDashboard    GetDashboardRequest  → Dashboard
//   POST /api/v1/publish     PublishReport   PublishReportRequest → PublishReportResponse
//   POST /api/v1/approve     ApproveReport   ApproveReportRequest → fazhi.report.v1.Report
//   POST /api/v1/reject      RejectReport    RejectReportRequest  → fazhi.report.v1.Report
//   GET  /api/v1/whoami      the caller's name and roles, so the page offers
//                            only what they allow (no RPC: the gateway's own
//                            authentication answers it)
//
// A failure is {"error": {"code": HTTP status, "status": "PERMISSION_DENIED",
// "message": the server's message, "details": [google.rpc.BadRequest …]}}.
// Responses are never cached.

#include "services/common/auth/access.h"
#include "services/common/auth/audit.h"
#include "services/common/auth/authenticator.h"
#include "services/common/http_server.h"
#include "services/common/server.h"

namespace fazhi::gateway::web {

// `server`, `authenticator` and `audit` must outlive the HTTP side.
void AddApiRoutes(HttpServer& http, const Server& server, const auth::Authenticator& authenticator,
                  auth::AuditLog& audit, auth::AccessRules rules);

}  // namespace fazhi::gateway::web

#endif  // FAZHI_SERVICES_GATEWAY_WEB_API_ROUTES_H_
