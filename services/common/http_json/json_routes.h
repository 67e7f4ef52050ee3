#ifndef FAZHI_SERVICES_COMMON_HTTP_JSON_JSON_ROUTES_H_
#define FAZHI_SERVICES_COMMON_HTTP_JSON_JSON_ROUTES_H_

// HTTP/JSON for every RPC (AIP-127): the routes of the services'
// google.api.http annotations, served on a process's HTTP side by calling
// the RPC on a channel (the server's in-process one, or the gateway's to a
// backend) with the caller's Authorization header and a request id as
// metadata, so the RPC's own policy, validation, handler and audit answer.
//
//   request   path variables, query parameters and body in the protobuf JSON
//             mapping (request_binding.h); a client stream (an import) takes
//             JSON Lines, one request message per line, written into the call
//             as the lines arrive
//   answer    200 and the response message in JSON, or the HTTP status of
//             the code (http_status.h) and the google.rpc.Status in JSON:
//             code, message, details (BadRequest field violations, and a
//             RequestInfo with the request id)

#include <grpcpp/channel.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "google/protobuf/descriptor.h"
#include "services/common/http_server.h"

namespace fazhi::http_json {

struct JsonTarget {
  const google::protobuf::ServiceDescriptor* service = nullptr;
  // The channel its calls go to; null while it is not ready (UNAVAILABLE).
  std::function<std::shared_ptr<grpc::Channel>()> channel;
  // Optional: checks the caller before the call (the gateway forwarding to
  // a backend authenticates the caller itself first); a refusal is the
  // answer.
  std::function<absl::Status(const httplib::Request&, const std::string& request_id)> admit;
};

// Serves every annotated RPC of `targets` on `http` (before Start). A route
// two targets share goes to the first (logged). Fails on an RPC without a
// valid annotation.
absl::Status AddJsonRoutes(HttpServer& http, std::vector<JsonTarget> targets);

// The services of the generated descriptor pool by full name, e.g.
// "fazhi.study.v1.StudyService"; null when not linked in.
const google::protobuf::ServiceDescriptor* ServiceNamed(const std::string& full_name);

}  // namespace fazhi::http_json

#endif  // FAZHI_SERVICES_COMMON_HTTP_JSON_JSON_ROUTES_H_
