#ifndef FAZHI_SERVICES_COMMON_HTTP_JSON_ROUTE_TABLE_H_
#define FAZHI_SERVICES_COMMON_HTTP_JSON_ROUTE_TABLE_H_

// The HTTP routes of RPCs, read from the google.api.http annotations of
// their service descriptors at start-up.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "services/common/http_json/path_template.h"

namespace fazhi::http_json {

struct Route {
  std::string http_method;  // "GET", "POST", "PATCH", "PUT" or "DELETE"
  PathTemplate path;
  // "*", a top-level field of the request, or empty.
  std::string body_field;
  const google::protobuf::MethodDescriptor* method = nullptr;
  // Which of the caller's targets serves it (the order of Add).
  size_t target = 0;
};

// The annotated route of `method`; NOT_FOUND when it has none,
// INVALID_ARGUMENT when the annotation is malformed (a bad template, a
// variable or body naming no field of the request).
absl::StatusOr<Route> RouteOf(const google::protobuf::MethodDescriptor& method);
// The annotated route, then one per additional_bindings entry (e.g.
// ComposeReport: GET with query parameters, POST with a body carrying a draft).
absl::StatusOr<std::vector<Route>> RoutesOf(const google::protobuf::MethodDescriptor& method);

class RouteTable {
 public:
  // Adds the routes of every RPC of `service`. A route another service's
  // RPC already has (same HTTP method, same shape) stays with the first:
  // the skipped RPCs' full names are returned. An RPC without a valid
  // annotation fails the whole call.
  absl::StatusOr<std::vector<std::string>> Add(const google::protobuf::ServiceDescriptor& service,
                                               size_t target);

  struct Match {
    const Route* route = nullptr;
    std::vector<PathBinding> bindings;
  };
  std::optional<Match> Find(absl::string_view http_method, absl::string_view path) const;
  // The methods that have a route matching `path`, e.g. "GET, DELETE".
  std::string MethodsAt(absl::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace fazhi::http_json

#endif  // FAZHI_SERVICES_COMMON_HTTP_JSON_ROUTE_TABLE_H_
