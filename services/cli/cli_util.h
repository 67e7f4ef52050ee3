#ifndef FAZHI_SERVICES_CLI_CLI_UTIL_H_
#define FAZHI_SERVICES_CLI_CLI_UTIL_H_

// Small pieces every `fazhi` subcommand shares.

#include <grpcpp/grpcpp.h>

#include <map>
#include <memory>
#include <string>

#include "absl/status/status.h"

namespace fazhi::cli {

// --name=value flags of one command line.
using Flags = std::map<std::string, std::string>;

// Exit codes.
inline constexpr int kExitOk = 0;
inline constexpr int kExitRowsRejected = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitCallFailed = 3;

// Prints the problem and a pointer to --help; returns kExitUsage.
int Usage(const std::string& problem);

std::string Flag(const Flags& flags, const std::string& name, const std::string& fallback = "");

// --target, else the environment variable `env`, else `fallback`.
std::string Target(const Flags& flags, const char* env, const std::string& fallback);

// Reads the client's credentials and transport settings: the environment
// (FAZHI_API_KEY, FAZHI_API_KEY_FILE, FAZHI_CA_FILE, FAZHI_CLIENT_CERT_FILE,
// FAZHI_CLIENT_KEY_FILE, FAZHI_SERVER_NAME), overridden by --api_key_file,
// --ca_file, --client_cert_file, --client_key_file, --server_name.
absl::Status ConfigureClient(const Flags& flags);

// A channel with the configured credentials.
std::shared_ptr<grpc::Channel> Connect(const std::string& target);
// The same for waiting on a server that is starting: gRPC's default
// reconnect back-off (1 s, growing) would make a server that came up a
// moment after the first attempt wait seconds to be seen.
std::shared_ptr<grpc::Channel> ConnectRetryingQuickly(const std::string& target);

// The status as a person reads it: code, message, and every bad field.
std::string Describe(const grpc::Status& status);

void SetDeadline(grpc::ClientContext& context, int seconds);

}  // namespace fazhi::cli

#endif  // FAZHI_SERVICES_CLI_CLI_UTIL_H_
