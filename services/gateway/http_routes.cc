#include "services/gateway/http_routes.h"

#include <httplib.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/resource.h"
#include "services/common/validation.h"
#include "services/gateway/access_rules.h"
#include "services/gateway/http_auth.h"
#include "services/gateway/sheet_routes.h"
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

}  // namespace

void AddDownloadRoutes(HttpServer& http, AnnualReportServiceImpl& service,
                       const auth::Authenticator& authenticator, auth::AuditLog& audit) {
  http.routes().Get(
      R"(/orgs/([a-z0-9-]+)/reports/(\d{4})\.(docx|html|md|txt))",
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
            validation.ok()
                ? service.ComposeFor(
                      org, year, {format}, request.has_param("partial"), std::nullopt,
                      Forward{request_id, request.get_header_value("Authorization"), ""})
                : absl::StatusOr<fazhi::gateway::v1::ComposedReport>(validation);
        if (!composed.ok()) return SendError(composed.status(), response);
        const auto& rendering = composed->renderings(0);
        response.set_header("Content-Disposition", absl::StrCat("attachment; filename=\"", org, "-",
                                                                year, ".", format, "\""));
        response.set_header("X-Content-SHA256", rendering.sha256());
        response.set_content(rendering.content(), rendering.media_type().c_str());
      });
}

void AddWebRoutes(HttpServer& http, const Server& server, const auth::Authenticator& authenticator,
                  auth::AuditLog& audit) {
  web::AddApiRoutes(http, server, authenticator, audit, AccessRules());
  AddSheetRoutes(http, server, authenticator, audit, AccessRules());
  web::AddPageRoutes(http);
}

}  // namespace fazhi::gateway
