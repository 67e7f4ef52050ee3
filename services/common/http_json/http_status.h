#ifndef FAZHI_SERVICES_COMMON_HTTP_JSON_HTTP_STATUS_H_
#define FAZHI_SERVICES_COMMON_HTTP_JSON_HTTP_STATUS_H_

// What every HTTP answer carrying a caller's data shares: the HTTP status
// of a status code, and the headers that keep it private.

#include "absl/status/status.h"

namespace httplib {
struct Response;
}  // namespace httplib

namespace fazhi {

// The HTTP status for a status code (the google.rpc mapping; a failed
// precondition is a conflict with the resource's state, 409, like a stale
// etag, ABORTED).
int HttpStatusOf(absl::StatusCode code);

// Headers of every response that carries a caller's data: never cached,
// never sniffed.
void SetPrivateResponseHeaders(httplib::Response& response);

}  // namespace fazhi

#endif  // FAZHI_SERVICES_COMMON_HTTP_JSON_HTTP_STATUS_H_
