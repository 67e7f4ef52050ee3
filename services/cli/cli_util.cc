#include "services/cli/cli_util.h"

#include <chrono>
#include <cstdlib>
#include <iostream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"
#include "services/common/grpc_status.h"

namespace fazhi::cli {

int Usage(const std::string& problem) {
  std::cerr << "fazhi: " << problem << " (see fazhi --help)\n";
  return kExitUsage;
}

std::string Flag(const Flags& flags, const std::string& name, const std::string& fallback) {
  auto it = flags.find(name);
  return it == flags.end() ? fallback : it->second;
}

std::string Target(const Flags& flags, const char* env, const std::string& fallback) {
  if (auto it = flags.find("target"); it != flags.end()) return it->second;
  const char* value = std::getenv(env);
  return value && *value ? value : fallback;
}

std::shared_ptr<grpc::Channel> Connect(const std::string& target) {
  return grpc::CreateChannel(target, grpc::InsecureChannelCredentials());
}

std::string Describe(const grpc::Status& status) {
  std::string text =
      absl::StrCat(absl::StatusCodeToString(static_cast<absl::StatusCode>(status.error_code())),
                   ": ", status.error_message());
  google::rpc::BadRequest bad_request;
  if (ReadDetail(FromGrpcStatus(status), bad_request)) {
    for (const auto& fv : bad_request.field_violations()) {
      absl::StrAppend(&text, "\n  ", fv.field(), ": ", fv.description());
    }
  }
  return text;
}

void SetDeadline(grpc::ClientContext& context, int seconds) {
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(seconds));
}

}  // namespace fazhi::cli
