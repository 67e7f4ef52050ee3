#ifndef FAZHI_SERVICES_COMMON_CONFIG_H_
#define FAZHI_SERVICES_COMMON_CONFIG_H_

// Configuration of a server binary: flags, each with an environment
// variable fallback (FAZHI_<FLAG IN CAPITALS>). Precedence: command line,
// then environment, then the service's default.

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace fazhi {

struct ServiceDefaults {
  std::string name;            // e.g. "study"; names the logger
  std::string usage;           // one line for --help
  std::string listen;          // e.g. "127.0.0.1:7101"
  std::string db;              // e.g. "sqlite:study.db"
  std::string http_listen;     // e.g. "127.0.0.1:8101"; "" for none
};

struct ServerConfig {
  std::string service;
  std::string listen;
  std::string db;
  std::string log_format;
  std::string log_level;
  absl::Duration shutdown_grace;
  int max_message_bytes;
  int max_concurrent_streams;  // per client connection
  int max_threads;             // of the gRPC server, over all connections
  std::string http_listen;
};

// Parses argv (after applying environment fallbacks) and validates the
// result. Exits on --help like any absl program.
absl::StatusOr<ServerConfig> LoadServerConfig(int argc, char** argv,
                                              const ServiceDefaults& defaults);

// Applies FAZHI_<NAME> environment variables to the registered flags
// `names`; used by LoadServerConfig and by other binaries with own flags.
absl::Status ApplyEnvironmentToFlags(const std::vector<std::string>& names);

}  // namespace fazhi

#endif  // FAZHI_SERVICES_COMMON_CONFIG_H_
