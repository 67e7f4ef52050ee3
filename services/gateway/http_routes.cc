#include "services/gateway/http_routes.h"

#include <httplib.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/resource.h"
#include "services/common/validation.h"

namespace fazhi::gateway {
namespace {

int HttpStatusOf(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kInvalidArgument: return 400;
    case absl::StatusCode::kNotFound: return 404;
    case absl::StatusCode::kFailedPrecondition: return 409;
    case absl::StatusCode::kPermissionDenied: return 403;
    case absl::StatusCode::kUnauthenticated: return 401;
    case absl::StatusCode::kDeadlineExceeded: return 504;
    case absl::StatusCode::kUnavailable: return 503;
    default: return 500;
  }
}

void SendError(const absl::Status& status, httplib::Response& response) {
  response.status = HttpStatusOf(status.code());
  if (status.code() == absl::StatusCode::kUnauthenticated) {
    response.set_header("WWW-Authenticate", "Bearer");
  }
  response.set_content(std::string(status.message()) + "\n", "text/plain; charset=utf-8");
}

}  // namespace

absl::StatusOr<auth::Principal> AuthorizeHttp(const httplib::Request& request,
                                              const auth::Authenticator& authenticator,
                                              auth::AuditLog& audit, auth::Permission permission,
                                              const std::string& org, const std::string& request_id) {
  auth::PresentedCredentials presented;
  if (request.has_header("Authorization")) presented.authorization = request.get_header_value("Authorization");
  absl::StatusOr<auth::Principal> who = authenticator.Authenticate(presented);
  absl::Status refused = who.status();
  if (who.ok() && !who->Can(permission, org)) {
    refused = absl::PermissionDeniedError(absl::StrCat("caller ", who->caller, " may not ",
                                                       auth::PermissionName(permission),
                                                       " organization ", org));
  }
  if (refused.ok()) return who;
  auth::AuditRecord record;
  record.time = absl::Now();
  if (who.ok()) {
    record.caller = who->caller;
    record.credential = who->credential;
  }
  record.org = org;
  record.method = absl::StrCat("HTTP ", request.method, " ", request.path);
  record.resource = OrgName(org);
  record.outcome = absl::StatusCodeToString(refused.code());
  record.message = std::string(refused.message());
  record.request_id = request_id;
  record.peer = absl::StrCat(request.remote_addr, ":", request.remote_port);
  audit.Append(record).IgnoreError();
  return refused;
}

void AddDownloadRoutes(HttpServer& http, AnnualReportServiceImpl& service,
                       const auth::Authenticator& authenticator, auth::AuditLog& audit) {
  http.routes().Get(R"(/orgs/([a-z0-9-]+)/reports/(\d{4})\.(docx|html|md|txt))",
                    [&service, &authenticator, &audit](const httplib::Request& request,
                                                       httplib::Response& response) {
    const std::string org = request.matches[1];
    const std::string request_id = NewRequestId();
    response.set_header("X-Request-Id", request_id);
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

}  // namespace fazhi::gateway
