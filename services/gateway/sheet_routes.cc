#include "services/gateway/sheet_routes.h"

#include <grpcpp/client_context.h>
#include <httplib.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "fazhi/gateway/v1/gateway.grpc.pb.h"
#include "services/common/proto_dates.h"
#include "services/common/resource.h"
#include "services/common/rpc.h"
#include "services/gateway/http_auth.h"
#include "services/gateway/workbooks.h"
#include "services/kernel/dates.h"
#include "services/sheets/import_sheets.h"

namespace fazhi::gateway {
namespace {

using Stub = fazhi::gateway::v1::AnnualReportService::Stub;

constexpr char kXlsxType[] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
// A dashboard over many organizations takes longest; the backends' own
// deadlines apply inside.
constexpr auto kCallDeadline = std::chrono::seconds(60);

struct Context {
  const Server& server;
  const auth::Authenticator& authenticator;
  auth::AuditLog& audit;
  auth::AccessRules rules;
};

void SendError(const absl::Status& status, httplib::Response& response) {
  response.status = HttpStatusOf(status.code());
  if (status.code() == absl::StatusCode::kUnauthenticated) {
    response.set_header("WWW-Authenticate", "Bearer");
  }
  response.set_content(std::string(status.message()) + "\n", "text/plain; charset=utf-8");
}

void SendWorkbook(const absl::StatusOr<std::string>& bytes, const std::string& filename,
                  httplib::Response& response) {
  if (!bytes.ok()) return SendError(bytes.status(), response);
  response.set_header("Content-Disposition",
                      absl::StrCat("attachment; filename=\"", filename, "\""));
  response.set_content(*bytes, kXlsxType);
}

// ?as_of=YYYY-MM-DD into `date`; absent leaves it unset.
absl::Status ReadAsOf(const httplib::Request& request, google::type::Date& date) {
  if (!request.has_param("as_of")) return absl::OkStatus();
  absl::CivilDay day;
  if (!kernel::ParseDate(request.get_param_value("as_of"), &day)) {
    return absl::InvalidArgumentError("as_of: not a date (YYYY-MM-DD)");
  }
  date = ToDate(day);
  return absl::OkStatus();
}

// Authenticates and checks `method`'s rule on `org`, then calls `rpc` with
// the caller's header through the in-process channel.
template <typename Request, typename Response>
absl::StatusOr<Response> Call(const Context& c, const std::string& method, const std::string& org,
                              const httplib::Request& http_request, const std::string& request_id,
                              grpc::Status (Stub::*rpc)(grpc::ClientContext*, const Request&,
                                                        Response*),
                              const Request& request) {
  auto rule = c.rules.find(method);
  if (rule == c.rules.end()) {
    return absl::PermissionDeniedError(absl::StrCat("no access rule for ", method));
  }
  absl::StatusOr<auth::Principal> who = AuthorizeHttp(http_request, c.authenticator, c.audit,
                                                      rule->second.permission, org, request_id);
  if (!who.ok()) return who.status();
  std::shared_ptr<grpc::Channel> channel = c.server.InProcessChannel();
  if (channel == nullptr) return absl::UnavailableError("the gateway is starting");
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + kCallDeadline);
  context.AddMetadata(kRequestIdHeader, request_id);
  context.AddMetadata(auth::kAuthorizationHeader, http_request.get_header_value("Authorization"));
  Response response;
  const grpc::Status status = ((*fazhi::gateway::v1::AnnualReportService::NewStub(channel)).*rpc)(
      &context, request, &response);
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
  }
  return response;
}

std::string StartResponse(httplib::Response& response) {
  std::string request_id = NewRequestId();
  response.set_header("X-Request-Id", request_id);
  SetPrivateResponseHeaders(response);
  return request_id;
}

// GET `pattern` (the organization and the year captured): `method` with
// the request `fill` completes (?as_of too), its answer as the workbook
// `make` writes, saved as "{org}-{year}{suffix}".
template <typename Request, typename Response>
void AddWorkbookRoute(
    HttpServer& http, std::shared_ptr<const Context> c, const std::string& pattern,
    const std::string& method,
    grpc::Status (Stub::*rpc)(grpc::ClientContext*, const Request&, Response*),
    std::function<void(const std::string&, const httplib::Request&, Request&)> fill,
    std::function<absl::StatusOr<std::string>(const Response&)> make, const std::string& suffix) {
  http.routes().Get(pattern, [=](const httplib::Request& http_request,
                                 httplib::Response& response) {
    const std::string request_id = StartResponse(response);
    const std::string org = http_request.matches[1];
    int year = 0;
    absl::SimpleAtoi(std::string(http_request.matches[2]), &year);
    Request request;
    request.set_year(year);
    fill(org, http_request, request);
    if (absl::Status s = ReadAsOf(http_request, *request.mutable_as_of()); !s.ok()) {
      return SendError(s, response);
    }
    absl::StatusOr<Response> answer = Call(*c, method, org, http_request, request_id, rpc, request);
    if (!answer.ok()) return SendError(answer.status(), response);
    SendWorkbook(make(*answer), absl::StrCat(org, "-", year, suffix), response);
  });
}

}  // namespace

void AddSheetRoutes(HttpServer& http, const Server& server,
                    const auth::Authenticator& authenticator, auth::AuditLog& audit,
                    const auth::AccessRules& rules) {
  auto c = std::make_shared<const Context>(Context{server, authenticator, audit, rules});
  AddWorkbookRoute<v1::GetDashboardRequest, v1::Dashboard>(
      http, c, R"(/orgs/([a-z0-9-]+)/dashboard/(\d{4})\.xlsx)", "GetDashboard", &Stub::GetDashboard,
      [](const std::string& org, const httplib::Request&, v1::GetDashboardRequest& request) {
        request.set_supervisor(OrgName(org));
      },
      DashboardWorkbook, "-dashboard.xlsx");
  AddWorkbookRoute<v1::GetFactsRequest, v1::FactCatalogue>(
      http, c, R"(/orgs/([a-z0-9-]+)/reports/(\d{4})/facts\.xlsx)", "GetFacts", &Stub::GetFacts,
      [](const std::string& org, const httplib::Request& http_request,
         v1::GetFactsRequest& request) {
        request.set_org(OrgName(org));
        request.set_allow_partial(http_request.has_param("partial"));
      },
      FactsWorkbook, "-facts.xlsx");

  // Made at each request (small, rarely asked for): a failure to write one, such
  // as a full temporary directory, is not kept.
  http.routes().Get(R"(/templates/([a-z]+)\.(csv|xlsx))", [](const httplib::Request& http_request,
                                                             httplib::Response& response) {
    const std::string kind = http_request.matches[1], format = http_request.matches[2];
    response.set_header("X-Content-Type-Options", "nosniff");
    const sheets::ImportSheet* sheet = sheets::FindImportSheet(kind);
    if (sheet == nullptr) {
      return SendError(absl::NotFoundError(absl::StrCat("no import template for ", kind)),
                       response);
    }
    absl::StatusOr<std::string> bytes =
        format == "csv" ? sheets::TemplateCsv(*sheet) : sheets::TemplateXlsx(*sheet);
    if (!bytes.ok()) return SendError(bytes.status(), response);
    response.set_header("Content-Disposition",
                        absl::StrCat("attachment; filename=\"", kind, ".", format, "\""));
    response.set_content(*bytes, format == "csv" ? "text/csv; charset=utf-8" : kXlsxType);
  });
}

}  // namespace fazhi::gateway
