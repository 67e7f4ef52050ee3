#ifndef FAZHI_SERVICES_GATEWAY_HTTP_ROUTES_H_
#define FAZHI_SERVICES_GATEWAY_HTTP_ROUTES_H_

#include "services/common/auth/audit.h"
#include "services/common/auth/authenticator.h"
#include "services/common/http_server.h"
#include "services/gateway/gateway_service.h"

namespace httplib {
struct Request;
}  // namespace httplib

namespace fazhi::gateway {

// GET /orgs/{org}/reports/{year}.{docx|html|md|txt}: the composed report as a
// download (the same composition as ComposeReport). ?partial=1 allows a
// draft with missing backends marked.
// Authenticates an HTTP request's "Authorization: Bearer <API key>" and
// checks `permission` on `org`; a refusal is audited and returned as the
// status to send (401 or 403).
absl::StatusOr<auth::Principal> AuthorizeHttp(const httplib::Request& request,
                                              const auth::Authenticator& authenticator,
                                              auth::AuditLog& audit, auth::Permission permission,
                                              const std::string& org, const std::string& request_id);

// Each route authenticates the "Authorization: Bearer <API key>" header
// like the gRPC side and needs read on the organization; refusals are
// audited.
void AddDownloadRoutes(HttpServer& http, AnnualReportServiceImpl& service,
                       const auth::Authenticator& authenticator, auth::AuditLog& audit);

}  // namespace fazhi::gateway

#endif  // FAZHI_SERVICES_GATEWAY_HTTP_ROUTES_H_
