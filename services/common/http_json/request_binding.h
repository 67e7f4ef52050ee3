#ifndef FAZHI_SERVICES_COMMON_HTTP_JSON_REQUEST_BINDING_H_
#define FAZHI_SERVICES_COMMON_HTTP_JSON_REQUEST_BINDING_H_

// How an HTTP request becomes an RPC's request message (AIP-127, the
// google.api.http rules): the body is the whole message (body "*"), one
// field of it (body "session"), or nothing; path variables set the fields
// they name, and, unless the body is the whole message, query parameters
// set any other field by its dotted name (proto or JSON spelling):
// ?page_size=10, ?start_date=2024-01-01 or ?start_date.year=2024,
// ?update_mask=title,notes; a repeated field by repeating the parameter.
// Path variables win over the body.

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "services/common/http_json/path_template.h"

namespace fazhi::http_json {

using QueryParameters = std::vector<std::pair<std::string, std::string>>;

struct RequestParts {
  // "*", a top-level field's name, or empty (no body).
  std::string body_field;
  absl::string_view body;
  QueryParameters query;
  std::vector<PathBinding> path;
};

// Fills `request` (cleared first) from `parts` in the protobuf JSON
// mapping. INVALID_ARGUMENT names what does not fit: an unknown
// parameter, a value of the wrong type, a body that is not the JSON of
// its message.
absl::Status BindRequest(const RequestParts& parts, google::protobuf::Message& request);

}  // namespace fazhi::http_json

#endif  // FAZHI_SERVICES_COMMON_HTTP_JSON_REQUEST_BINDING_H_
