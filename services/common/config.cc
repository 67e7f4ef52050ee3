#include "services/common/config.h"

#include <cstdlib>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

ABSL_FLAG(std::string, listen, "",
          "Address to serve gRPC on, HOST:PORT (port 0 picks a free one). Env FAZHI_LISTEN.");
ABSL_FLAG(std::string, http_listen, "-",
          "Address of the HTTP side (/healthz, /metrics), HOST:PORT; empty turns it off. "
          "Env FAZHI_HTTP_LISTEN.");
ABSL_FLAG(std::string, db, "",
          "Database URL: sqlite:PATH (default) or postgresql://… Env FAZHI_DB.");
ABSL_FLAG(std::string, log_format, "text", "Log format: text or json. Env FAZHI_LOG_FORMAT.");
ABSL_FLAG(std::string, log_level, "info",
          "Log level: trace, debug, info, warn, error, off. Env FAZHI_LOG_LEVEL.");
ABSL_FLAG(absl::Duration, shutdown_grace, absl::Seconds(10),
          "How long in-flight calls may run after SIGTERM before they are cancelled. "
          "Env FAZHI_SHUTDOWN_GRACE.");
ABSL_FLAG(int, max_message_bytes, 4 << 20,
          "Largest request or response message in bytes. Env FAZHI_MAX_MESSAGE_BYTES.");
ABSL_FLAG(int, max_concurrent_streams, 100,
          "Calls one client connection may have in flight at once (HTTP/2 "
          "SETTINGS_MAX_CONCURRENT_STREAMS); more wait in the client. Env FAZHI_MAX_CONCURRENT_STREAMS.");
ABSL_FLAG(int, max_threads, 256,
          "Threads the gRPC server may use for calls in flight, over all connections; a call "
          "beyond gets RESOURCE_EXHAUSTED at once. Env FAZHI_MAX_THREADS.");

namespace fazhi {

absl::Status ApplyEnvironmentToFlags(const std::vector<std::string>& names) {
  for (const std::string& name : names) {
    const std::string env_name = absl::StrCat("FAZHI_", absl::AsciiStrToUpper(name));
    const char* value = std::getenv(env_name.c_str());
    if (value == nullptr || *value == '\0') continue;
    absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
    if (flag == nullptr) return absl::InternalError(absl::StrCat("no flag named ", name));
    std::string error;
    if (!flag->ParseFrom(value, &error)) {
      return absl::InvalidArgumentError(absl::StrCat(env_name, ": ", error));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<ServerConfig> LoadServerConfig(int argc, char** argv,
                                              const ServiceDefaults& defaults) {
  absl::SetProgramUsageMessage(defaults.usage);
  absl::Status env = ApplyEnvironmentToFlags(
      {"listen", "http_listen", "db", "log_format", "log_level", "shutdown_grace", "max_message_bytes",
       "max_concurrent_streams", "max_threads"});
  // Parse even when the environment was bad, so --help still works.
  std::vector<char*> rest = absl::ParseCommandLine(argc, argv);
  if (!env.ok()) return env;
  if (rest.size() > 1) {
    return absl::InvalidArgumentError(absl::StrCat("unexpected argument \"", rest[1], "\""));
  }
  ServerConfig config;
  config.service = defaults.name;
  config.listen = absl::GetFlag(FLAGS_listen);
  if (config.listen.empty()) config.listen = defaults.listen;
  config.http_listen = absl::GetFlag(FLAGS_http_listen);
  if (config.http_listen == "-") config.http_listen = defaults.http_listen;
  config.db = absl::GetFlag(FLAGS_db);
  if (config.db.empty()) config.db = defaults.db;
  config.log_format = absl::GetFlag(FLAGS_log_format);
  config.log_level = absl::GetFlag(FLAGS_log_level);
  config.shutdown_grace = absl::GetFlag(FLAGS_shutdown_grace);
  config.max_message_bytes = absl::GetFlag(FLAGS_max_message_bytes);
  config.max_concurrent_streams = absl::GetFlag(FLAGS_max_concurrent_streams);
  config.max_threads = absl::GetFlag(FLAGS_max_threads);

  if (config.listen.find(':') == std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("listen: \"", config.listen, "\" must be HOST:PORT"));
  }
  if (config.shutdown_grace < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("shutdown_grace: must not be negative");
  }
  if (config.max_message_bytes < 1024 || config.max_message_bytes > (64 << 20)) {
    return absl::InvalidArgumentError("max_message_bytes: must be between 1024 and 67108864");
  }
  if (config.max_concurrent_streams < 1) {
    return absl::InvalidArgumentError("max_concurrent_streams: must be at least 1");
  }
  // The server needs a few threads of its own besides those serving calls.
  if (config.max_threads < 4) return absl::InvalidArgumentError("max_threads: must be at least 4");
  return config;
}

}  // namespace fazhi
