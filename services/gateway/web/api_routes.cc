#include "services/gateway/web/api_routes.h"

#include <grpcpp/client_context.h>
#include <httplib.h>

#include <chrono>
#include <memory>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "fazhi/gateway/v1/gateway.grpc.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/status.pb.h"
#include "nlohmann/json.hpp"
#include "services/common/resource.h"
#include "services/common/rpc.h"
#include "services/gateway/http_auth.h"

namespace fazhi::gateway::web {
namespace {

using Stub = fazhi::gateway::v1::AnnualReportService::Stub;

// Composing with every rendering takes milliseconds; a dashboard over many
// organizations longer. The backends' own deadlines apply inside.
constexpr auto kCallDeadline = std::chrono::seconds(60);
// Requests are a few fields; anything larger is not one of ours.
constexpr size_t kMaxRequestBytes = 64 * 1024;
constexpr char kApiSecurityPolicy[] = "default-src 'none'; frame-ancestors 'none'";

struct Api {
  const Server& server;
  const auth::Authenticator& authenticator;
  auth::AuditLog& audit;
  auth::AccessRules rules;
};

std::string Dump(const nlohmann::json& json) {
  // Replace, never throw on, bytes that are not UTF-8 (a message quoting
  // a caller's input).
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void SendJson(httplib::Response& response, int status, const std::string& body) {
  response.status = status;
  response.set_content(body, "application/json; charset=utf-8");
}

// The error body: the status code's name, the server's message, and the
// google.rpc.Status details (BadRequest field violations) when there are.
void SendError(httplib::Response& response, absl::StatusCode code, absl::string_view message,
               const std::string& status_details = "") {
  nlohmann::json details = nlohmann::json::array();
  google::rpc::Status rpc_status;
  if (!status_details.empty() && rpc_status.ParseFromString(status_details)) {
    std::string json;
    if (google::protobuf::util::MessageToJsonString(rpc_status, &json).ok()) {
      nlohmann::json parsed = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
      if (parsed.is_object() && parsed.contains("details")) details = parsed["details"];
    }
  }
  if (code == absl::StatusCode::kUnauthenticated) response.set_header("WWW-Authenticate", "Bearer");
  const int http_status = HttpStatusOf(code);
  SendJson(response, http_status,
           Dump({{"error",
                  {{"code", http_status},
                   {"status", absl::StatusCodeToString(code)},
                   {"message", std::string(message)},
                   {"details", details}}}}));
}

void SendError(httplib::Response& response, const absl::Status& status) {
  SendError(response, status.code(), status.message());
}

std::string ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  // Zero counts and false flags are data on a dashboard: print them.
  options.always_print_primitive_fields = true;
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

std::string StartResponse(httplib::Response& response) {
  std::string request_id = NewRequestId();
  response.set_header("X-Request-Id", request_id);
  SetPrivateResponseHeaders(response);
  response.set_header("Content-Security-Policy", kApiSecurityPolicy);
  return request_id;
}

// Reads the body into `request` and checks the method's access rule on
// the organization it names, as the gRPC side's policy does (which checks
// again). A request whose organization field is malformed only needs a
// valid caller here: the policy and the handler's validation then name
// the field.
absl::Status Admit(const Api& api, const std::string& method, const httplib::Request& http_request,
                   const std::string& request_id, google::protobuf::Message& request) {
  const std::string content_type =
      absl::AsciiStrToLower(http_request.get_header_value("Content-Type"));
  if (!absl::StartsWith(content_type, "application/json")) {
    return absl::InvalidArgumentError("the body must be JSON (Content-Type: application/json)");
  }
  if (http_request.body.size() > kMaxRequestBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("the body is larger than ", kMaxRequestBytes, " bytes"));
  }
  // Who first: an unknown caller learns nothing about the request format.
  absl::StatusOr<auth::Principal> who =
      AuthenticateHttp(http_request, api.authenticator, api.audit, request_id);
  if (!who.ok()) return who.status();
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto parsed = google::protobuf::util::JsonStringToMessage(
      http_request.body.empty() ? "{}" : http_request.body, &request, options);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("the body is not a ",
                                                   request.GetDescriptor()->full_name(),
                                                   " in JSON: ", std::string(parsed.message())));
  }
  auto rule = api.rules.find(method);
  if (rule == api.rules.end()) {
    return absl::PermissionDeniedError(absl::StrCat("no access rule for ", method));
  }
  absl::StatusOr<auth::RequestTarget> target = auth::TargetOf(request, rule->second);
  if (!target.ok()) return absl::OkStatus();
  return AuthorizeHttp(http_request, api.authenticator, api.audit, rule->second.permission,
                       target->org, request_id)
      .status();
}

template <typename Request, typename Response>
using StubMethod = grpc::Status (Stub::*)(grpc::ClientContext*, const Request&, Response*);

// POST `path`: the RPC `method` with the JSON body as its request.
template <typename Request, typename Response>
void AddRpcRoute(HttpServer& http, const std::shared_ptr<const Api>& api, const std::string& path,
                 const std::string& method, StubMethod<Request, Response> rpc) {
  http.routes().Post(path, [api, method, rpc](const httplib::Request& http_request,
                                              httplib::Response& http_response) {
    const std::string request_id = StartResponse(http_response);
    Request request;
    if (absl::Status admitted = Admit(*api, method, http_request, request_id, request);
        !admitted.ok()) {
      return SendError(http_response, admitted);
    }
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + kCallDeadline);
    context.AddMetadata(kRequestIdHeader, request_id);
    // The caller's own key, as a gRPC client would send it; the handler
    // forwards it to the backends, which check it again.
    if (http_request.has_header("Authorization")) {
      context.AddMetadata(auth::kAuthorizationHeader,
                          http_request.get_header_value("Authorization"));
    }
    std::shared_ptr<grpc::Channel> channel = api->server.InProcessChannel();
    if (channel == nullptr) {
      return SendError(http_response, absl::UnavailableError("the gateway is starting"));
    }
    std::unique_ptr<Stub> stub = fazhi::gateway::v1::AnnualReportService::NewStub(channel);
    Response response;
    const grpc::Status status = ((*stub).*rpc)(&context, request, &response);
    if (!status.ok()) {
      return SendError(http_response, static_cast<absl::StatusCode>(status.error_code()),
                       status.error_message(), status.error_details());
    }
    SendJson(http_response, 200, ToJson(response));
  });
}

}  // namespace

void AddApiRoutes(HttpServer& http, const Server& server, const auth::Authenticator& authenticator,
                  auth::AuditLog& audit, auth::AccessRules rules) {
  auto api = std::make_shared<const Api>(Api{server, authenticator, audit, std::move(rules)});
  AddRpcRoute(http, api, "/api/v1/compose", "ComposeReport", &Stub::ComposeReport);
  AddRpcRoute(http, api, "/api/v1/facts", "GetFacts", &Stub::GetFacts);
  AddRpcRoute(http, api, "/api/v1/dashboard", "GetDashboard", &Stub::GetDashboard);
  AddRpcRoute(http, api, "/api/v1/publish", "PublishReport", &Stub::PublishReport);
  AddRpcRoute(http, api, "/api/v1/approve", "ApproveReport", &Stub::ApproveReport);
  AddRpcRoute(http, api, "/api/v1/reject", "RejectReport", &Stub::RejectReport);

  http.routes().Get("/api/v1/whoami", [api](const httplib::Request& http_request,
                                            httplib::Response& http_response) {
    const std::string request_id = StartResponse(http_response);
    absl::StatusOr<auth::Principal> who =
        AuthenticateHttp(http_request, api->authenticator, api->audit, request_id);
    if (!who.ok()) return SendError(http_response, who.status());
    nlohmann::json roles = nlohmann::json::array();
    for (const auth::RoleBinding& binding : who->bindings) {
      roles.push_back(
          {{"role", std::string(auth::RoleName(binding.role))}, {"orgs", binding.orgs}});
    }
    SendJson(http_response, 200, Dump({{"caller", who->caller}, {"roles", roles}}));
  });

  // Anything else under /api/ is a JSON 404, not the page.
  const auto not_found = [](const httplib::Request& http_request,
                            httplib::Response& http_response) {
    StartResponse(http_response);
    SendError(http_response, absl::StatusCode::kNotFound,
              absl::StrCat("no API route ", http_request.method, " ", http_request.path));
  };
  http.routes().Get(R"(/api/.*)", not_found);
  http.routes().Post(R"(/api/.*)", not_found);
}

}  // namespace fazhi::gateway::web
