#ifndef FAZHI_SERVICES_COMMON_CLIENT_TLS_H_
#define FAZHI_SERVICES_COMMON_CLIENT_TLS_H_

// Channel credentials of a client (the gateway towards its backends, the
// CLI, the tools): plaintext, TLS verified by a CA file, or mTLS with a
// client certificate.

#include <grpcpp/channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/channel_arguments.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace fazhi {

struct ClientTls {
  std::string ca_file;      // PEM roots that verify the server; empty: plaintext
  std::string cert_file;    // PEM client certificate (mTLS); optional
  std::string key_file;     // its private key
  std::string server_name;  // expected name in the server's certificate, if
                            // not the target's host (e.g. behind a proxy)
};

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ChannelCredentialsFor(
    const ClientTls& tls);

// Adds the server-name override of `tls`, if any, to `args`.
void ApplyServerName(const ClientTls& tls, grpc::ChannelArguments& args);

// How a client reaches a service: transport and API key.
struct ClientSettings {
  ClientTls tls;
  std::string api_key;  // sent as "authorization: Bearer KEY" on every call
};

// Client settings from the environment: FAZHI_API_KEY (or the first line
// of the file FAZHI_API_KEY_FILE), FAZHI_CA_FILE, FAZHI_CLIENT_CERT_FILE,
// FAZHI_CLIENT_KEY_FILE, FAZHI_SERVER_NAME.
absl::StatusOr<ClientSettings> ClientSettingsFromEnvironment();

// A channel that sends the API key, if any, on every call (an interceptor,
// so it also works over plaintext on loopback).
absl::StatusOr<std::shared_ptr<grpc::Channel>> CreateClientChannel(
    const std::string& target, const ClientSettings& settings,
    grpc::ChannelArguments args = grpc::ChannelArguments());

// The whole of a file, or INVALID_ARGUMENT naming `what`.
absl::StatusOr<std::string> ReadPemFile(const std::string& path, const std::string& what);

}  // namespace fazhi

#endif  // FAZHI_SERVICES_COMMON_CLIENT_TLS_H_
