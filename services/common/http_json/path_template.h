#ifndef FAZHI_SERVICES_COMMON_HTTP_JSON_PATH_TEMPLATE_H_
#define FAZHI_SERVICES_COMMON_HTTP_JSON_PATH_TEMPLATE_H_

// The path templates of google.api.http annotations (google/api/http.proto):
//
//   Template = "/" Segments [ ":" Verb ]
//   Segment  = "*" | "**" | LITERAL | "{" FieldPath [ "=" Segments ] "}"
//
// e.g. "/v1/{name=orgs/*/sessions/*}" or "/v1/{parent=orgs/*}/sessions:import".
// A variable without a pattern matches one segment; "**" matches the rest
// of the path and may only come last.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace fazhi::http_json {

// A matched variable: its field path ("session.name") and the text it
// matched ("orgs/a/sessions/b").
using PathBinding = std::pair<std::string, std::string>;

class PathTemplate {
 public:
  static absl::StatusOr<PathTemplate> Parse(absl::string_view text);

  // The variables' values when `path` (already percent-decoded) matches.
  std::optional<std::vector<PathBinding>> Match(absl::string_view path) const;

  // The template as written.
  const std::string& text() const { return text_; }
  // The template with each variable replaced by its pattern
  // ("/v1/orgs/*/sessions/*"): two templates with the same shape match the
  // same paths.
  std::string Shape() const;
  bool has_verb() const { return !verb_.empty(); }
  // The field paths of the variables, in order.
  std::vector<std::string> FieldPaths() const;

 private:
  struct Variable {
    std::string field_path;
    size_t first = 0;  // segments [first, end)
    size_t end = 0;
  };

  std::string text_;
  std::vector<std::string> segments_;  // a literal, "*" or "**"
  std::vector<Variable> variables_;
  std::string verb_;
};

}  // namespace fazhi::http_json

#endif  // FAZHI_SERVICES_COMMON_HTTP_JSON_PATH_TEMPLATE_H_
