#include "services/gateway/http_routes.h"

#include <httplib.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
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

}  // namespace

void AddDownloadRoutes(HttpServer& http, AnnualReportServiceImpl& service) {
  http.routes().Get(R"(/orgs/([a-z0-9-]+)/reports/(\d{4})\.(docx|html|md|txt))",
                    [&service](const httplib::Request& request, httplib::Response& response) {
    const std::string org = request.matches[1];
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
                                          std::nullopt, Forward{NewRequestId()})
                     : absl::StatusOr<fazhi::gateway::v1::ComposedReport>(validation);
    if (!composed.ok()) {
      response.status = HttpStatusOf(composed.status().code());
      response.set_content(std::string(composed.status().message()) + "\n", "text/plain; charset=utf-8");
      return;
    }
    const auto& rendering = composed->renderings(0);
    response.set_header("Content-Disposition",
                        absl::StrCat("attachment; filename=\"", org, "-", year, ".", format, "\""));
    response.set_header("X-Content-SHA256", rendering.sha256());
    response.set_content(rendering.content(), rendering.media_type().c_str());
  });
}

}  // namespace fazhi::gateway
