#ifndef FAZHI_SERVICES_GATEWAY_HTTP_AUTH_H_
#define FAZHI_SERVICES_GATEWAY_HTTP_AUTH_H_

// What every route of the gateway's HTTP side shares, the downloads
// (http_routes) and the web page's JSON API (web/api_routes): who the
// caller is and what they may do; how a status becomes an HTTP answer is
// common/http_json/http_status.h.

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/common/auth/audit.h"
#include "services/common/auth/authenticator.h"
#include "services/common/http_json/http_status.h"  // HttpStatusOf, SetPrivateResponseHeaders

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace fazhi::gateway {

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

}  // namespace fazhi::gateway

#endif  // FAZHI_SERVICES_GATEWAY_HTTP_AUTH_H_
