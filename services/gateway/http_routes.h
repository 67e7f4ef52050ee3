#ifndef FAZHI_SERVICES_GATEWAY_HTTP_ROUTES_H_
#define FAZHI_SERVICES_GATEWAY_HTTP_ROUTES_H_

// The gateway's HTTP side: report downloads, and the web page with its
// JSON API (services/gateway/web/).

#include "services/common/auth/audit.h"
#include "services/common/auth/authenticator.h"
#include "services/common/http_server.h"
#include "services/common/server.h"
#include "services/gateway/gateway_service.h"

namespace fazhi::gateway {

// GET /orgs/{org}/reports/{year}.{docx|html|md|txt}: the composed report as a
// download (the same composition as ComposeReport). ?partial=1 allows a
// draft with missing backends marked. Each route authenticates the
// "Authorization: Bearer <API key>" header like the gRPC side and needs
// read on the organization; refusals are audited.
void AddDownloadRoutes(HttpServer& http, AnnualReportServiceImpl& service,
                       const auth::Authenticator& authenticator, auth::AuditLog& audit);

// The web page (GET /), its JSON API (/api/v1/…) and the spreadsheet
// downloads (sheet_routes.h), which call the gateway's RPCs through
// `server`'s in-process channel.
void AddWebRoutes(HttpServer& http, const Server& server, const auth::Authenticator& authenticator,
                  auth::AuditLog& audit);

}  // namespace fazhi::gateway

#endif  // FAZHI_SERVICES_GATEWAY_HTTP_ROUTES_H_
