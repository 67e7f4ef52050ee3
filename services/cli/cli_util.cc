#include "services/cli/cli_util.h"

#include <chrono>
#include <cstdlib>
#include <iostream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"
#include "services/common/client_tls.h"
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

namespace {

ClientSettings& Settings() {
  static ClientSettings* settings = new ClientSettings();
  return *settings;
}

}  // namespace

absl::Status ConfigureClient(const Flags& flags) {
  absl::StatusOr<ClientSettings> settings = ClientSettingsFromEnvironment();
  if (!settings.ok()) return settings.status();
  if (flags.count("api_key")) {
    return absl::InvalidArgumentError(
        "--api_key is not accepted (it would show in the process list): set FAZHI_API_KEY or "
        "--api_key_file");
  }
  if (auto file = Flag(flags, "api_key_file"); !file.empty()) {
    absl::StatusOr<std::string> text = ReadPemFile(file, "--api_key_file");
    if (!text.ok()) return text.status();
    settings->api_key = text->substr(0, text->find_first_of("\r\n"));
  }
  settings->tls.ca_file = Flag(flags, "ca_file", settings->tls.ca_file);
  settings->tls.cert_file = Flag(flags, "client_cert_file", settings->tls.cert_file);
  settings->tls.key_file = Flag(flags, "client_key_file", settings->tls.key_file);
  settings->tls.server_name = Flag(flags, "server_name", settings->tls.server_name);
  if (absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
          ChannelCredentialsFor(settings->tls);
      !credentials.ok()) {
    return credentials.status();
  }
  Settings() = *std::move(settings);
  return absl::OkStatus();
}

std::shared_ptr<grpc::Channel> Connect(const std::string& target) {
  // ConfigureClient checked the files, so this cannot fail.
  return *CreateClientChannel(target, Settings());
}

std::shared_ptr<grpc::Channel> ConnectRetryingQuickly(const std::string& target) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 500);
  return *CreateClientChannel(target, Settings(), args);
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
