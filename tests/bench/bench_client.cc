#include "tests/bench/bench_client.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"
#include "services/common/grpc_status.h"

namespace fazhi::bench {

std::shared_ptr<grpc::Channel> Connect(const std::string& target, int index) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 << 20);
  // Channels with different arguments do not share a subchannel.
  args.SetInt("fazhi.bench_channel", index);
  return grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args);
}

void PrepareCall(grpc::ClientContext& context, absl::Duration deadline) {
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::microseconds(absl::ToInt64Microseconds(deadline)));
}

std::string Describe(const grpc::Status& status) {
  std::string text =
      absl::StrCat(absl::StatusCodeToString(static_cast<absl::StatusCode>(status.error_code())),
                   ": ", status.error_message());
  google::rpc::BadRequest bad_request;
  if (ReadDetail(FromGrpcStatus(status), bad_request)) {
    int shown = 0;
    for (const auto& fv : bad_request.field_violations()) {
      if (++shown > 5) break;
      absl::StrAppend(&text, "\n  ", fv.field(), ": ", fv.description());
    }
  }
  return text;
}

}  // namespace fazhi::bench
