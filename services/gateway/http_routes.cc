#include "services/gateway/http_routes.h"

#include <httplib.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/resource.h"
#include "services/common/validation.h"
#include "services/gateway/access_rules.h"
#include "services/gateway/web/api_routes.h"
#include "services/gateway/web/page_routes.h"

namespace fazhi::gateway {
namespace {

void SendError(const absl::Status& status, httplib::Response& response) {
  response.status = HttpStatusOf(status.code());
  if (status.code() == absl::StatusCode::kUnauthenticated) {
    response.set_header("WWW-Authenticate", "Bearer");
  }
  response.set_content(std::string(status.message()) + "\n", "text/plain; charset=utf-8");
}

// Writes the audit record of a refused HTTP request.
void AuditRefusal(const httplib::Request& request, auth::AuditLog& audit,
                  const absl::StatusOr<auth::Principal>& who, const absl::Status& refused,
                  const std::string& org, const std::string& request_id) {
  auth::AuditRecord record;
  record.time = absl::Now();
  if (who.ok()) {
    record.caller = who->caller;
    record.credential = who->credential;
  }
  record.org = org;
  record.method = absl::StrCat("HTTP ", request.method, " ", request.path);
  record.resource = org.empty() ? "" : OrgName(org);
  record.outcome = absl::StatusCodeToString(refused.code());
  record.message = std::string(refused.message());
  record.request_id = request_id;
  record.peer = absl::StrCat(request.remote_addr, ":", request.remote_port);
  audit.Append(record).IgnoreError();
}

absl::StatusOr<auth::Principal> Authenticate(const httplib::Request& request,
                                             const auth::Authenticator& authenticator) {
  auth::PresentedCredentials presented;
  if (request.has_header("Authorization")) presented.authorization = request.get_header_value("Authorization");
  return authenticator.Authenticate(presented);
}

}  // namespace

int HttpStatusOf(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk: return 200;
    case absl::StatusCode::kInvalidArgument: return 400;
    case absl::StatusCode::kOutOfRange: return 400;
    case absl::StatusCode::kUnauthenticated: return 401;
    case absl::StatusCode::kPermissionDenied: return 403;
    case absl::StatusCode::kNotFound: return 404;
    case absl::StatusCode::kAlreadyExists: return 409;
    case absl::StatusCode::kAborted: return 409;
    case absl::StatusCode::kFailedPrecondition: return 409;
    case absl::StatusCode::kResourceExhausted: return 429;
    case absl::StatusCode::kCancelled: return 499;
    case absl::StatusCode::kUnimplemented: return 501;
    case absl::StatusCode::kUnavailable: return 503;
    case absl::StatusCode::kDeadlineExceeded: return 504;
    default: return 500;
  }
}

absl::StatusOr<auth::Principal> AuthenticateHttp(const httplib::Request& request,
                                                 const auth::Authenticator& authenticator,
                                                 auth::AuditLog& audit, const std::string& request_id) {
  absl::StatusOr<auth::Principal> who = Authenticate(request, authenticator);
  if (!who.ok()) AuditRefusal(request, audit, who, who.status(), "", request_id);
  return who;
}

absl::StatusOr<auth::Principal> AuthorizeHttp(const httplib::Request& request,
                                              const auth::Authenticator& authenticator,
                                              auth::AuditLog& audit, auth::Permission permission,
                                              const std::string& org, const std::string& request_id) {
  absl::StatusOr<auth::Principal> who = Authenticate(request, authenticator);
  absl::Status refused = who.status();
  if (who.ok() && !who->Can(permission, org)) {
    refused = absl::PermissionDeniedError(absl::StrCat("caller ", who->caller, " may not ",
                                                       auth::PermissionName(permission),
                                                       " organization ", org));
  }
  if (refused.ok()) return who;
  AuditRefusal(request, audit, who, refused, org, request_id);
  return refused;
}

void SetPrivateResponseHeaders(httplib::Response& response) {
  response.set_header("Cache-Control", "no-store");
  response.set_header("X-Content-Type-Options", "nosniff");
}

void AddDownloadRoutes(HttpServer& http, AnnualReportServiceImpl& service,
                       const auth::Authenticator& authenticator, auth::AuditLog& audit) {
  http.routes().Get(R"(/orgs/([a-z0-9-]+)/reports/(\d{4})\.(docx|html|md|txt))",
                    [&service, &authenticator, &audit](const httplib::Request& request,
                                                       httplib::Response& response) {
    const std::string org = request.matches[1];
    const std::string request_id = NewRequestId();
    response.set_header("X-Request-Id", request_id);
    SetPrivateResponseHeaders(response);
    absl::StatusOr<auth::Principal> who =
        AuthorizeHttp(request, authenticator, audit, auth::Permission::kRead, org, request_id);
    if (!who.ok()) return SendError(who.status(), response);
    int year = 0;
    absl::SimpleAtoi(std::string(request.matches[2]), &year);
    const std::string format = request.matches[3];
    FieldViolations v;
    if (!IsValidOrgId(org)) v.Add("org", "not an organization id");
    v.CheckYear("year", year, true);
    // A StatusOr must never be built from an OK status (absl aborts the
    // process): compose only a valid request.
    const absl::Status validation = v.ToStatus();
    absl::StatusOr<fazhi::gateway::v1::ComposedReport> composed =
        validation.ok() ? service.ComposeFor(org, year, {format}, request.has_param("partial"),
                                          std::nullopt,
                                          Forward{request_id, request.get_header_value("Authorization"), ""})
                     : absl::StatusOr<fazhi::gateway::v1::ComposedReport>(validation);
    if (!composed.ok()) return SendError(composed.status(), response);
    const auto& rendering = composed->renderings(0);
    response.set_header("Content-Disposition",
                        absl::StrCat("attachment; filename=\"", org, "-", year, ".", format, "\""));
    response.set_header("X-Content-SHA256", rendering.sha256());
    response.set_content(rendering.content(), rendering.media_type().c_str());
  });
}

void AddWebRoutes(HttpServer& http, const Server& server, const auth::Authenticator& authenticator,
                  auth::AuditLog& audit) {
  web::AddApiRoutes(http, server, authenticator, audit, AccessRules());
  web::AddPageRoutes(http);
}

}  // namespace fazhi::gateway
