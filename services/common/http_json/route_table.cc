#include "services/common/http_json/route_table.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/api/annotations.pb.h"

namespace fazhi::http_json {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

// The field `dotted_path` names in `type`, through singular messages.
const FieldDescriptor* FieldAt(const Descriptor& type, absl::string_view dotted_path) {
  const Descriptor* message = &type;
  const FieldDescriptor* field = nullptr;
  for (absl::string_view name : absl::StrSplit(dotted_path, '.')) {
    if (message == nullptr) return nullptr;
    field = message->FindFieldByName(std::string(name));
    if (field == nullptr) return nullptr;
    message = field->is_repeated() ? nullptr : field->message_type();
  }
  return field;
}

absl::StatusOr<Route> RouteFrom(const google::protobuf::MethodDescriptor& method,
                                const google::api::HttpRule& rule) {
  Route route;
  route.method = &method;
  std::string text;
  switch (rule.pattern_case()) {
    case google::api::HttpRule::kGet:
      route.http_method = "GET", text = rule.get();
      break;
    case google::api::HttpRule::kPost:
      route.http_method = "POST", text = rule.post();
      break;
    case google::api::HttpRule::kPatch:
      route.http_method = "PATCH", text = rule.patch();
      break;
    case google::api::HttpRule::kPut:
      route.http_method = "PUT", text = rule.put();
      break;
    case google::api::HttpRule::kDelete:
      route.http_method = "DELETE", text = rule.delete_();
      break;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat(method.full_name(), ": only get, post, patch, put and delete routes"));
  }
  auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat(method.full_name(), " route ", text, ": ", why));
  };
  absl::StatusOr<PathTemplate> path = PathTemplate::Parse(text);
  if (!path.ok()) return bad(path.status().message());
  route.path = *std::move(path);
  const Descriptor& request = *method.input_type();
  for (const std::string& field_path : route.path.FieldPaths()) {
    const FieldDescriptor* field = FieldAt(request, field_path);
    if (field == nullptr || field->is_repeated() || field->message_type() != nullptr) {
      return bad(absl::StrCat(field_path, " is not a singular scalar field of the request"));
    }
  }
  route.body_field = rule.body();
  if (!route.body_field.empty() && route.body_field != "*" &&
      request.FindFieldByName(route.body_field) == nullptr) {
    return bad(absl::StrCat("body ", route.body_field, " is not a field of the request"));
  }
  if (method.client_streaming() && route.body_field != "*") {
    return bad("a client stream takes its messages whole: body \"*\"");
  }
  if (method.server_streaming()) return bad("server streams have no HTTP route");
  return route;
}

}  // namespace

absl::StatusOr<std::vector<Route>> RoutesOf(const google::protobuf::MethodDescriptor& method) {
  if (!method.options().HasExtension(google::api::http)) {
    return absl::NotFoundError(absl::StrCat(method.full_name(), " has no google.api.http route"));
  }
  const google::api::HttpRule& rule = method.options().GetExtension(google::api::http);
  std::vector<Route> routes;
  absl::StatusOr<Route> first = RouteFrom(method, rule);
  if (!first.ok()) return first.status();
  routes.push_back(*std::move(first));
  for (const google::api::HttpRule& more : rule.additional_bindings()) {
    absl::StatusOr<Route> route = RouteFrom(method, more);
    if (!route.ok()) return route.status();
    routes.push_back(*std::move(route));
  }
  return routes;
}

absl::StatusOr<Route> RouteOf(const google::protobuf::MethodDescriptor& method) {
  absl::StatusOr<std::vector<Route>> routes = RoutesOf(method);
  if (!routes.ok()) return routes.status();
  return routes->front();
}

absl::StatusOr<std::vector<std::string>> RouteTable::Add(
    const google::protobuf::ServiceDescriptor& service, size_t target) {
  std::vector<std::string> skipped;
  for (int i = 0; i < service.method_count(); ++i) {
    absl::StatusOr<std::vector<Route>> routes = RoutesOf(*service.method(i));
    if (!routes.ok()) return routes.status();
    bool skip = false;
    for (Route& route : *routes) {
      route.target = target;
      bool taken = false;
      for (const Route& other : routes_) {
        taken = taken || (other.http_method == route.http_method &&
                          other.path.Shape() == route.path.Shape());
      }
      if (taken) {
        skip = true;
      } else {
        routes_.push_back(std::move(route));
      }
    }
    if (skip) skipped.push_back(service.method(i)->full_name());
  }
  return skipped;
}

std::optional<RouteTable::Match> RouteTable::Find(absl::string_view http_method,
                                                  absl::string_view path) const {
  // Custom methods first: "orgs/a/reports/2024:submit" is not a report
  // named "2024:submit".
  for (const bool verbs : {true, false}) {
    for (const Route& route : routes_) {
      if (route.http_method != http_method || route.path.has_verb() != verbs) continue;
      if (auto bindings = route.path.Match(path)) return Match{&route, *std::move(bindings)};
    }
  }
  return std::nullopt;
}

std::string RouteTable::MethodsAt(absl::string_view path) const {
  std::vector<std::string> methods;
  for (const Route& route : routes_) {
    if (route.path.Match(path) &&
        std::find(methods.begin(), methods.end(), route.http_method) == methods.end()) {
      methods.push_back(route.http_method);
    }
  }
  return absl::StrJoin(methods, ", ");
}

}  // namespace fazhi::http_json
