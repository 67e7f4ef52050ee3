#include "services/common/config.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstdlib>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"

ABSL_FLAG(std::string, listen, "",
          "Address to serve gRPC on, HOST:PORT (port 0 picks a free one). Env FAZHI_LISTEN.");
ABSL_FLAG(std::string, http_listen, "-",
          "Address of the HTTP side (/healthz, /metrics), HOST:PORT; empty turns it off. "
          "Env FAZHI_HTTP_LISTEN.");
ABSL_FLAG(std::string, db, "",
          "Database URL: sqlite:PATH (default) or postgresql://… Env FAZHI_DB.");
ABSL_FLAG(std::string, db_read, "",
          "Optional PostgreSQL URL for reads that may lag a little (list pages, dashboard "
          "summaries), e.g. the same hosts with target_session_attrs=prefer-standby; see "
          "docs/postgres-ha.md. Env FAZHI_DB_READ.");
ABSL_FLAG(absl::Duration, db_check_interval, absl::Seconds(1),
          "How often the service checks that a writable database server answers (health "
          "NOT_SERVING while none does); 0 turns it off. Env FAZHI_DB_CHECK_INTERVAL.");
ABSL_FLAG(std::string, log_format, "text", "Log format: text or json. Env FAZHI_LOG_FORMAT.");
ABSL_FLAG(std::string, log_level, "info",
          "Log level: trace, debug, info, warn, error, off. Env FAZHI_LOG_LEVEL.");
ABSL_FLAG(absl::Duration, shutdown_grace, absl::Seconds(10),
          "How long in-flight calls may run after SIGTERM before they are cancelled. "
          "Env FAZHI_SHUTDOWN_GRACE.");
ABSL_FLAG(int, max_message_bytes, 4 << 20,
          "Largest request or response message in bytes. Env FAZHI_MAX_MESSAGE_BYTES.");
ABSL_FLAG(
    int, max_concurrent_streams, 100,
    "Calls one client connection may have in flight at once (HTTP/2 "
    "SETTINGS_MAX_CONCURRENT_STREAMS); more wait in the client. Env FAZHI_MAX_CONCURRENT_STREAMS.");
ABSL_FLAG(int, max_threads, 256,
          "Threads the gRPC server may use for calls in flight, over all connections; a call "
          "beyond gets RESOURCE_EXHAUSTED at once. Env FAZHI_MAX_THREADS.");

ABSL_FLAG(std::string, keys_file, "",
          "JSON file of callers, roles and API key hashes (see `fazhi keys`); re-read on "
          "SIGHUP. Env FAZHI_KEYS_FILE.");
ABSL_FLAG(bool, insecure_dev_mode, false,
          "Local development only: calls without credentials act as an admin of every "
          "organization. Refused unless every listen address is loopback. "
          "Env FAZHI_INSECURE_DEV_MODE.");
ABSL_FLAG(bool, allow_plaintext, false,
          "Serve without TLS (no --tls_cert_file). Env FAZHI_ALLOW_PLAINTEXT.");
ABSL_FLAG(std::string, tls_cert_file, "",
          "PEM certificate chain for TLS on the gRPC and HTTP sides. Env FAZHI_TLS_CERT_FILE.");
ABSL_FLAG(std::string, tls_key_file, "",
          "PEM private key of --tls_cert_file. Env FAZHI_TLS_KEY_FILE.");
ABSL_FLAG(std::string, tls_client_ca_file, "",
          "PEM CA bundle that verifies client certificates; callers are then also known by "
          "their certificate names. Env FAZHI_TLS_CLIENT_CA_FILE.");
ABSL_FLAG(bool, tls_require_client_cert, false,
          "Refuse TLS clients without a verified certificate (mTLS, e.g. backends behind the "
          "gateway). Env FAZHI_TLS_REQUIRE_CLIENT_CERT.");

namespace fazhi {

const std::vector<std::string>& SecurityFlagNames() {
  static const auto* const kNames = new std::vector<std::string>{
      "keys_file",    "insecure_dev_mode",  "allow_plaintext",        "tls_cert_file",
      "tls_key_file", "tls_client_ca_file", "tls_require_client_cert"};
  return *kNames;
}

SecurityConfig SecurityFromFlags() {
  SecurityConfig security;
  security.keys_file = absl::GetFlag(FLAGS_keys_file);
  security.insecure_dev_mode = absl::GetFlag(FLAGS_insecure_dev_mode);
  security.allow_plaintext = absl::GetFlag(FLAGS_allow_plaintext);
  security.tls.cert_file = absl::GetFlag(FLAGS_tls_cert_file);
  security.tls.key_file = absl::GetFlag(FLAGS_tls_key_file);
  security.tls.client_ca_file = absl::GetFlag(FLAGS_tls_client_ca_file);
  security.tls.require_client_cert = absl::GetFlag(FLAGS_tls_require_client_cert);
  return security;
}

bool IsLoopbackAddress(const std::string& address) {
  std::string host = address.substr(0, address.rfind(':'));
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  // The address itself, never a name that starts like one: a name is
  // resolved again when the server binds, and "127.evil.example" may
  // resolve anywhere. Only "localhost" is taken by name.
  if (host == "localhost") return true;
  in_addr v4;
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6;
  if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) return IN6_IS_ADDR_LOOPBACK(&v6);
  return false;
}

absl::Status CheckSecurity(const SecurityConfig& security,
                           const std::vector<std::string>& listen_addresses) {
  if (security.keys_file.empty() && !security.insecure_dev_mode) {
    return absl::InvalidArgumentError(
        "no credentials configured: pass --keys_file=FILE (create it with `fazhi keys create`), "
        "or --insecure_dev_mode for local development");
  }
  if (security.insecure_dev_mode) {
    for (const std::string& address : listen_addresses) {
      if (!address.empty() && !IsLoopbackAddress(address)) {
        return absl::InvalidArgumentError(
            absl::StrCat("insecure_dev_mode: refused because ", address,
                         " is not a loopback address; development mode is local only"));
      }
    }
  }
  const TlsFiles& tls = security.tls;
  if (tls.cert_file.empty() != tls.key_file.empty()) {
    return absl::InvalidArgumentError("tls_cert_file and tls_key_file go together");
  }
  if (tls.cert_file.empty() && !security.allow_plaintext) {
    return absl::InvalidArgumentError(
        "no TLS certificate: pass --tls_cert_file and --tls_key_file, or --allow_plaintext");
  }
  if (tls.cert_file.empty() && (!tls.client_ca_file.empty() || tls.require_client_cert)) {
    return absl::InvalidArgumentError("client certificates need TLS: pass --tls_cert_file");
  }
  if (tls.require_client_cert && tls.client_ca_file.empty()) {
    return absl::InvalidArgumentError("tls_require_client_cert needs --tls_client_ca_file");
  }
  return absl::OkStatus();
}

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
  std::vector<std::string> flag_names = {"listen",
                                         "http_listen",
                                         "db",
                                         "log_format",
                                         "log_level",
                                         "shutdown_grace",
                                         "max_message_bytes",
                                         "max_concurrent_streams",
                                         "max_threads",
                                         "db_read",
                                         "db_check_interval"};
  flag_names.insert(flag_names.end(), SecurityFlagNames().begin(), SecurityFlagNames().end());
  absl::Status env = ApplyEnvironmentToFlags(flag_names);
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
  config.db_read = absl::GetFlag(FLAGS_db_read);
  config.db_check_interval = absl::GetFlag(FLAGS_db_check_interval);
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
  config.security = SecurityFromFlags();
  RETURN_IF_ERROR(CheckSecurity(config.security, {config.listen, config.http_listen}));
  return config;
}

}  // namespace fazhi
