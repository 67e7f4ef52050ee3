#include "services/common/http_json/json_routes.h"

#include <httplib.h>

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "services/common/auth/authenticator.h"
#include "services/common/http_json/generic_call.h"
#include "services/common/http_json/http_status.h"
#include "services/common/http_json/request_binding.h"
#include "services/common/http_json/route_table.h"
#include "services/common/resource.h"
#include "services/common/rpc.h"
#include "spdlog/spdlog.h"

namespace fazhi::http_json {
namespace {

using google::protobuf::Message;

// A composition with every rendering takes milliseconds, a dashboard over
// many organizations longer; an import as long as its body may take.
constexpr absl::Duration kCallDeadline = absl::Seconds(60);
constexpr absl::Duration kStreamDeadline = absl::Seconds(HttpServer::kStreamedRequestSeconds);
// One JSON line is one request message: at most a message's worth.
constexpr size_t kMaxLineBytes = 4 << 20;
constexpr char kSecurityPolicy[] = "default-src 'none'; frame-ancestors 'none'";

struct Routes {
  RouteTable table;
  std::vector<JsonTarget> targets;
};

std::string ToJson(const Message& message, bool print_zeros = true) {
  google::protobuf::util::JsonPrintOptions options;
  // Zero counts and false flags are data: print them.
  options.always_print_primitive_fields = print_zeros;
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

// The google.rpc.Status of a failure in JSON: the server's details
// (`details_bytes`, a serialized google.rpc.Status) and the request id.
void SendStatus(httplib::Response& response, grpc::StatusCode code, const std::string& message,
                const std::string& request_id, const std::string& details_bytes = "") {
  google::rpc::Status status;
  if (!details_bytes.empty()) status.ParseFromString(details_bytes);
  status.set_code(code);
  status.set_message(message);
  google::rpc::RequestInfo info;
  info.set_request_id(request_id);
  status.add_details()->PackFrom(info);
  const auto absl_code = static_cast<absl::StatusCode>(code);
  if (absl_code == absl::StatusCode::kUnauthenticated) {
    response.set_header("WWW-Authenticate", "Bearer");
  }
  response.status = HttpStatusOf(absl_code);
  response.set_content(ToJson(status, /*print_zeros=*/false), "application/json; charset=utf-8");
}

void SendStatus(httplib::Response& response, const absl::Status& status,
                const std::string& request_id) {
  SendStatus(response, static_cast<grpc::StatusCode>(status.code()), std::string(status.message()),
             request_id);
}

void SendAnswer(httplib::Response& response, const grpc::Status& status, const Message& answer,
                const std::string& request_id) {
  if (!status.ok()) {
    return SendStatus(response, status.error_code(), status.error_message(), request_id,
                      status.error_details());
  }
  response.status = 200;
  response.set_content(ToJson(answer), "application/json; charset=utf-8");
}

bool IsJson(const httplib::Request& request) {
  const std::string type = absl::AsciiStrToLower(request.get_header_value("Content-Type"));
  return absl::StartsWith(type, "application/json") ||
         absl::StartsWith(type, "application/x-ndjson") ||
         absl::StartsWith(type, "application/jsonl");
}

std::unique_ptr<Message> NewMessage(const google::protobuf::Descriptor* type) {
  const Message* prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(type);
  return std::unique_ptr<Message>(prototype->New());
}

// The metadata a gRPC client of the caller's would send: their key, and
// the request id every log line and audit record of the call carries.
std::vector<std::pair<std::string, std::string>> MetadataOf(const httplib::Request& request,
                                                            const std::string& request_id) {
  std::vector<std::pair<std::string, std::string>> metadata = {{kRequestIdHeader, request_id}};
  if (request.has_header("Authorization")) {
    metadata.emplace_back(auth::kAuthorizationHeader, request.get_header_value("Authorization"));
  }
  return metadata;
}

QueryParameters QueryOf(const httplib::Request& request) {
  return QueryParameters(request.params.begin(), request.params.end());
}

// A client stream: each non-empty line of the body is one request message,
// written into the call as it arrives.
void ServeStream(const Route& route, const RouteTable::Match& match, GenericCall& call,
                 const httplib::ContentReader& reader, const std::string& request_id,
                 httplib::Response& response) {
  std::unique_ptr<Message> message = NewMessage(route.method->input_type());
  std::string pending;
  int line = 0;
  absl::Status refused;
  bool ended = false;  // the server ended the call: stop sending
  auto send_line = [&](absl::string_view text) {
    ++line;
    if (absl::StripAsciiWhitespace(text).empty()) return true;
    absl::Status bound = BindRequest({"*", text, {}, match.bindings}, *message);
    if (!bound.ok()) {
      refused = absl::InvalidArgumentError(
          absl::StrCat("line ", line, ": ", bound.message(),
                       line > 1 ? " (the lines before it were sent: their batches stand)" : ""));
      return false;
    }
    if (!call.Write(*message)) ended = true;
    return !ended;
  };
  reader([&](const char* data, size_t length) {
    pending.append(data, length);
    size_t start = 0;
    for (size_t newline; (newline = pending.find('\n', start)) != std::string::npos;
         start = newline + 1) {
      if (!send_line(absl::string_view(pending).substr(start, newline - start))) return false;
    }
    pending.erase(0, start);
    if (pending.size() > kMaxLineBytes) {
      refused = absl::InvalidArgumentError(
          absl::StrCat("line ", line + 1, " is longer than ", kMaxLineBytes, " bytes"));
      return false;
    }
    return true;
  });
  if (refused.ok() && !ended && !pending.empty()) send_line(pending);
  if (!refused.ok()) {
    call.Cancel();
    return SendStatus(response, refused, request_id);
  }
  std::unique_ptr<Message> answer = NewMessage(route.method->output_type());
  SendAnswer(response, call.Finish(*answer), *answer, request_id);
}

void Serve(const Routes& routes, const httplib::Request& request, httplib::Response& response,
           const httplib::ContentReader* reader) {
  const std::string request_id = NewRequestId();
  response.set_header("X-Request-Id", request_id);
  SetPrivateResponseHeaders(response);
  response.set_header("Content-Security-Policy", kSecurityPolicy);
  const std::optional<RouteTable::Match> match = routes.table.Find(request.method, request.path);
  if (!match) {
    const std::string allowed = routes.table.MethodsAt(request.path);
    if (allowed.empty()) {
      return SendStatus(response, grpc::StatusCode::NOT_FOUND,
                        absl::StrCat("no route ", request.method, " ", request.path), request_id);
    }
    SendStatus(response, grpc::StatusCode::UNIMPLEMENTED,
               absl::StrCat(request.path, " takes ", allowed, ", not ", request.method),
               request_id);
    response.status = 405;
    response.set_header("Allow", allowed);
    return;
  }
  const Route& route = *match->route;
  const JsonTarget& target = routes.targets[route.target];
  if (target.admit) {
    if (absl::Status admitted = target.admit(request, request_id); !admitted.ok()) {
      return SendStatus(response, admitted, request_id);
    }
  }
  if (reader != nullptr && request.has_header("Content-Length") &&
      request.get_header_value("Content-Length") != "0" && !IsJson(request)) {
    return SendStatus(
        response,
        absl::InvalidArgumentError("the body must be JSON (Content-Type: application/json, or "
                                   "application/x-ndjson for JSON Lines)"),
        request_id);
  }
  std::shared_ptr<grpc::Channel> channel = target.channel();
  if (channel == nullptr) {
    return SendStatus(response, absl::UnavailableError("the service is starting"), request_id);
  }
  const std::string method =
      absl::StrCat("/", target.service->full_name(), "/", route.method->name());
  const std::vector<std::pair<std::string, std::string>> metadata = MetadataOf(request, request_id);
  if (route.method->client_streaming()) {
    GenericCall call(channel, method, metadata, kStreamDeadline);
    return ServeStream(route, *match, call, *reader, request_id, response);
  }
  std::string body;
  if (reader != nullptr) {
    (*reader)([&](const char* data, size_t length) {
      body.append(data, length);
      return true;
    });
  }
  std::unique_ptr<Message> message = NewMessage(route.method->input_type());
  if (absl::Status bound =
          BindRequest({route.body_field, body, QueryOf(request), match->bindings}, *message);
      !bound.ok()) {
    return SendStatus(response, bound, request_id);
  }
  GenericCall call(channel, method, metadata, kCallDeadline);
  call.Write(*message);
  std::unique_ptr<Message> answer = NewMessage(route.method->output_type());
  SendAnswer(response, call.Finish(*answer), *answer, request_id);
}

}  // namespace

const google::protobuf::ServiceDescriptor* ServiceNamed(const std::string& full_name) {
  return google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(full_name);
}

absl::Status AddJsonRoutes(HttpServer& http, std::vector<JsonTarget> targets) {
  auto routes = std::make_shared<Routes>();
  for (size_t i = 0; i < targets.size(); ++i) {
    absl::StatusOr<std::vector<std::string>> skipped = routes->table.Add(*targets[i].service, i);
    if (!skipped.ok()) return skipped.status();
    for (const std::string& rpc : *skipped) {
      spdlog::info("HTTP/JSON: {} shares its route with an RPC served before it, which answers it",
                   rpc);
    }
  }
  routes->targets = std::move(targets);
  const std::shared_ptr<const Routes> served = routes;
  http.routes().Get(R"(/v1/.*)",
                    [served](const httplib::Request& request, httplib::Response& response) {
                      Serve(*served, request, response, nullptr);
                    });
  const auto with_body = [served](const httplib::Request& request, httplib::Response& response,
                                  const httplib::ContentReader& reader) {
    Serve(*served, request, response, &reader);
  };
  http.routes().Post(R"(/v1/.*)", with_body);
  http.routes().Patch(R"(/v1/.*)", with_body);
  http.routes().Put(R"(/v1/.*)", with_body);
  http.routes().Delete(R"(/v1/.*)", with_body);
  http.HandleDeletes([served](const httplib::Request& request, httplib::Response& response) {
    if (!absl::StartsWith(request.path, "/v1/")) return false;
    Serve(*served, request, response, nullptr);
    return true;
  });
  http.AllowStreamedBodies([served](const httplib::Request& request) {
    if (request.method != "POST" || !absl::StartsWith(request.path, "/v1/")) return false;
    const std::optional<RouteTable::Match> match = served->table.Find("POST", request.path);
    return match && match->route->method->client_streaming();
  });
  return absl::OkStatus();
}

}  // namespace fazhi::http_json
