#ifndef FAZHI_SERVICES_GATEWAY_HTTP_ROUTES_H_
#define FAZHI_SERVICES_GATEWAY_HTTP_ROUTES_H_

// The gateway's HTTP side: report downloads, and the web page with its
// JSON API (services/gateway/web/).

#include "absl/status/status.h"
#include "services/common/auth/audit.h"
#include "services/common/auth/authenticator.h"
#include "services/common/http_server.h"
#include "services/common/server.h"
#include "services/gateway/gateway_service.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace fazhi::gateway {

// The HTTP status for a status code (the google.rpc mapping; a failed
// precondition is a conflict with the resource's state, 409).
int HttpStatusOf(absl::StatusCode code);

// Authenticates an HTTP request's "Authorization: Bearer <API key>"; a
// refusal is audited and returned as the status to send (401).
absl::StatusOr<auth::Principal> AuthenticateHttp(const httplib::Request& request,
                                                 const auth::Authenticator& authenticator,
                                                 auth::AuditLog& audit, const std::string& request_id);

// Authenticates like AuthenticateHttp and checks `permission` on `org`; a
// refusal is audited and returned as the status to send (401 or 403).
absl::StatusOr<auth::Principal> AuthorizeHttp(const httplib::Request& request,
                                              const auth::Authenticator& authenticator,
                                              auth::AuditLog& audit, auth::Permission permission,
                                              const std::string& org, const std::string& request_id);

// Headers of every response that carries a caller's data: never cached,
// never sniffed.
void SetPrivateResponseHeaders(httplib::Response& response);

// GET /orgs/{org}/reports/{year}.{docx|html|md|txt}: the composed report as a
// download (the same composition as ComposeReport). ?partial=1 allows a
// draft with missing backends marked. Each route authenticates the
// "Authorization: Bearer <API key>" header like the gRPC side and needs
// read on the organization; refusals are audited.
void AddDownloadRoutes(HttpServer& http, AnnualReportServiceImpl& service,
                       const auth::Authenticator& authenticator, auth::AuditLog& audit);

// The web page (GET /) and its JSON API (/api/v1/…), which calls the
// gateway's RPCs through `server`'s in-process channel.
void AddWebRoutes(HttpServer& http, const Server& server, const auth::Authenticator& authenticator,
                  auth::AuditLog& audit);

}  // namespace fazhi::gateway

#endif  // FAZHI_SERVICES_GATEWAY_HTTP_ROUTES_H_
