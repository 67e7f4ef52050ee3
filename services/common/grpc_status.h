#ifndef FAZHI_SERVICES_COMMON_GRPC_STATUS_H_
#define FAZHI_SERVICES_COMMON_GRPC_STATUS_H_

// absl::Status ↔ grpc::Status at the handler edge. Payloads whose type URL
// is a protobuf type URL (e.g. google.rpc.BadRequest attached by
// FieldViolations) travel as google.rpc.Status details in
// grpc-status-details-bin.

#include <grpcpp/support/status.h>

#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace fazhi {

inline constexpr absl::string_view kTypeUrlPrefix = "type.googleapis.com/";

grpc::Status ToGrpcStatus(const absl::Status& status);
absl::Status FromGrpcStatus(const grpc::Status& status);

// Attaches `detail` to `status` as a payload keyed by its type URL.
void AttachDetail(absl::Status& status, const google::protobuf::Message& detail);

// Reads the payload of type M from `status`, if any.
template <typename M>
bool ReadDetail(const absl::Status& status, M& out) {
  auto payload = status.GetPayload(std::string(kTypeUrlPrefix) + M::descriptor()->full_name());
  return payload.has_value() && out.ParseFromString(std::string(*payload));
}

}  // namespace fazhi

#endif  // FAZHI_SERVICES_COMMON_GRPC_STATUS_H_
