#ifndef FAZHI_SERVICES_COMMON_CONFIG_H_
#define FAZHI_SERVICES_COMMON_CONFIG_H_

// Configuration of a server binary: flags, each with an environment
// variable fallback (FAZHI_<FLAG IN CAPITALS>). Precedence: command line,
// then environment, then the service's default.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace fazhi {

struct ServiceDefaults {
  std::string name;         // e.g. "study"; names the logger
  std::string usage;        // one line for --help
  std::string listen;       // e.g. "127.0.0.1:7101"
  std::string db;           // e.g. "sqlite:study.db"
  std::string http_listen;  // e.g. "127.0.0.1:8101"; "" for none
};

// Transport security of a listening endpoint (gRPC and HTTP sides).
struct TlsFiles {
  std::string cert_file;             // PEM certificate chain; empty: plaintext
  std::string key_file;              // PEM private key
  std::string client_ca_file;        // PEM CA that verifies client certificates
  bool require_client_cert = false;  // mTLS: refuse clients without one
};

// Who may call, and over what.
struct SecurityConfig {
  std::string keys_file;
  bool insecure_dev_mode = false;
  bool allow_plaintext = false;
  TlsFiles tls;
};

struct ServerConfig {
  std::string service;
  std::string listen;
  std::string db;
  std::string db_read;               // optional, for Database::StaleReads
  absl::Duration db_check_interval;  // of Database::CheckWritable; 0: never
  std::string log_format;
  std::string log_level;
  absl::Duration shutdown_grace;
  int max_message_bytes;
  int max_concurrent_streams;  // per client connection
  int max_threads;             // of the gRPC server, over all connections
  std::string http_listen;
  SecurityConfig security;
};

// Whether HOST:PORT names a loopback host.
bool IsLoopbackAddress(const std::string& address);

// Checks the security flags against the listen addresses: credentials
// (keys file, or development mode on loopback only) and transport (TLS
// files, or plaintext asked for explicitly).
absl::Status CheckSecurity(const SecurityConfig& security,
                           const std::vector<std::string>& listen_addresses);

// Reads the security flags (after ApplyEnvironmentToFlags).
SecurityConfig SecurityFromFlags();
// Their names, for ApplyEnvironmentToFlags.
const std::vector<std::string>& SecurityFlagNames();

// Parses argv (after applying environment fallbacks) and validates the
// result. Exits on --help like any absl program.
absl::StatusOr<ServerConfig> LoadServerConfig(int argc, char** argv,
                                              const ServiceDefaults& defaults);

// Applies FAZHI_<NAME> environment variables to the registered flags
// `names`; used by LoadServerConfig and by other binaries with own flags.
absl::Status ApplyEnvironmentToFlags(const std::vector<std::string>& names);

}  // namespace fazhi

#endif  // FAZHI_SERVICES_COMMON_CONFIG_H_
