#ifndef FAZHI_SERVICES_COMMON_AUTH_AUTHENTICATOR_H_
#define FAZHI_SERVICES_COMMON_AUTH_AUTHENTICATOR_H_

// Turns what a call presents (an API key, a verified client certificate,
// a delegate's x-fazhi-on-behalf-of) into a Principal, from the keys file.
// The file is re-read on Reload (SIGHUP); a bad file keeps the old one.

#include <grpcpp/server_context.h>

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "services/common/auth/keys_file.h"
#include "services/common/auth/principal.h"

namespace fazhi::auth {

inline constexpr char kAuthorizationHeader[] = "authorization";
inline constexpr char kOnBehalfOfHeader[] = "x-fazhi-on-behalf-of";

// What a call presented, read off gRPC metadata or HTTP headers.
struct PresentedCredentials {
  std::optional<std::string> authorization;    // the header's value
  std::vector<std::string> certificate_names;  // verified by the TLS layer
  std::optional<std::string> on_behalf_of;
};

PresentedCredentials CredentialsOf(const grpc::ServerContextBase& context);

class Authenticator {
 public:
  // Without a keys file (development mode only) every call without
  // credentials is the development principal.
  struct Options {
    std::string keys_file;
    bool development_mode = false;
  };
  static absl::StatusOr<std::unique_ptr<Authenticator>> Create(const Options& options);
  // For tests: from an already parsed file.
  Authenticator(KeysFile file, bool development_mode);

  // Re-reads the keys file; on failure keeps the keys in use and says why.
  absl::Status Reload();

  absl::StatusOr<Principal> Authenticate(const PresentedCredentials& presented) const;
  absl::StatusOr<Principal> Authenticate(const grpc::ServerContextBase& context) const {
    return Authenticate(CredentialsOf(context));
  }

  // Counts for the log: callers and valid keys.
  std::pair<int, int> Size() const;

 private:
  struct Index {
    KeysFile file;
    absl::flat_hash_map<std::string, std::pair<const CallerEntry*, const KeyEntry*>> keys;
    absl::flat_hash_map<std::string, const CallerEntry*> certificates;
  };
  static std::shared_ptr<const Index> BuildIndex(KeysFile file);
  std::shared_ptr<const Index> Current() const;
  static Principal PrincipalOf(const CallerEntry& caller, std::string credential);

  Options options_;
  mutable std::mutex mu_;
  std::shared_ptr<const Index> index_;
};

}  // namespace fazhi::auth

#endif  // FAZHI_SERVICES_COMMON_AUTH_AUTHENTICATOR_H_
