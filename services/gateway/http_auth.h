#ifndef FAZHI_SERVICES_GATEWAY_HTTP_AUTH_H_
#define FAZHI_SERVICES_GATEWAY_HTTP_AUTH_H_

// What every route of the gateway's HTTP side shares, the downloads
// (http_routes) and the web page's JSON API (web/api_routes): who the
// caller is, what they may do, and how a status becomes an HTTP answer.

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/common/auth/audit.h"
#include "services/common/auth/authenticator.h"

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
                                                 auth::AuditLog& audit,
                                                 const std::string& request_id);

// Authenticates like AuthenticateHttp and checks `permission` on `org`; a
// refusal is audited and returned as the status to send (401 or 403).
absl::StatusOr<auth::Principal> AuthorizeHttp(const httplib::Request& request,
                                              const auth::Authenticator& authenticator,
                                              auth::AuditLog& audit, auth::Permission permission,
                                              const std::string& org,
                                              const std::string& request_id);

// Headers of every response that carries a caller's data: never cached,
// never sniffed.
void SetPrivateResponseHeaders(httplib::Response& response);

}  // namespace fazhi::gateway

#endif  // FAZHI_SERVICES_GATEWAY_HTTP_AUTH_H_
