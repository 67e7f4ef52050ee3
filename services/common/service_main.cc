#include "services/common/service_main.h"

#include <iostream>
#include <thread>

#include "absl/synchronization/notification.h"
#include "services/common/http_json/json_routes.h"
#include "services/common/logging.h"
#include "services/common/server.h"
#include "spdlog/spdlog.h"

namespace fazhi {

std::unique_ptr<auth::Authenticator> StartAuthenticator(const SecurityConfig& security) {
  auto authenticator =
      auth::Authenticator::Create({security.keys_file, security.insecure_dev_mode});
  if (!authenticator.ok()) {
    spdlog::critical("{}", authenticator.status().message());
    return nullptr;
  }
  if (security.insecure_dev_mode) {
    spdlog::warn(
        "INSECURE DEVELOPMENT MODE: calls without credentials act as admin of every "
        "organization; loopback only, never in production");
  }
  const auto [callers, keys] = (*authenticator)->Size();
  spdlog::info("keys file {}: {} callers, {} valid API keys",
               security.keys_file.empty() ? "(none)" : security.keys_file, callers, keys);
  return *std::move(authenticator);
}

void ReloadKeys(auth::Authenticator& authenticator) {
  if (absl::Status s = authenticator.Reload(); !s.ok()) {
    spdlog::error("SIGHUP: keys file not reloaded, the previous keys stay in use: {}", s.message());
    return;
  }
  const auto [callers, keys] = authenticator.Size();
  spdlog::info("SIGHUP: keys file reloaded: {} callers, {} valid API keys", callers, keys);
}

namespace {

// Health follows the database: NOT_SERVING while no writable server answers
// (a failover under way), SERVING again once one does.
class StoreWatch {
 public:
  StoreWatch(sql::Database* db, Server* server, absl::Duration interval) {
    if (interval <= absl::ZeroDuration()) return;
    thread_ = std::thread([this, db, server, interval] {
      while (!stop_.WaitForNotificationWithTimeout(interval)) {
        absl::Status writable = db->CheckWritable();
        if (!writable.ok() && !stop_.HasBeenNotified()) {
          spdlog::debug("database check: {}", writable.message());
        }
        if (!stop_.HasBeenNotified()) server->SetStoreReachable(writable.ok());
      }
    });
  }
  ~StoreWatch() { Stop(); }
  void Stop() {
    if (!thread_.joinable()) return;
    stop_.Notify();
    thread_.join();
  }

 private:
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace

int RunStoreService(int argc, char** argv, const ServiceDefaults& defaults,
                    const std::vector<sql::Migration>& service_migrations, auth::AccessRules rules,
                    const MakeService& make) {
  BlockTerminationSignals();  // before any thread exists
  const std::string program = "fazhi-" + defaults.name;
  auto config = LoadServerConfig(argc, argv, defaults);
  if (!config.ok()) {
    std::cerr << program << ": " << config.status().message() << "\n";
    return 2;
  }
  if (auto s = InitLogging(defaults.name, config->log_format, config->log_level); !s.ok()) {
    std::cerr << program << ": " << s.message() << "\n";
    return 2;
  }
  auto db = sql::CreateDatabase(config->db, config->db_read);
  if (!db.ok()) {
    spdlog::critical("{}", db.status().message());
    return 2;
  }

  std::unique_ptr<auth::Authenticator> authenticator = StartAuthenticator(config->security);
  if (authenticator == nullptr) return 2;
  std::vector<sql::Migration> migrations = service_migrations;
  migrations.push_back(auth::AuditMigration());

  Server server({config->listen, config->shutdown_grace, config->max_message_bytes,
                 config->http_listen, config->max_concurrent_streams, config->max_threads,
                 config->security.tls});
  auth::SqlAuditLog audit(db->get());
  auth::AuthPolicy policy(authenticator.get(), std::move(rules), &audit);
  CallHandler calls(server.readiness(), &policy, defaults.name);
  ServiceParts parts = make(db->get(), &calls, &audit);
  server.AddService(parts.service.get(), parts.full_name);
  if (server.http() != nullptr) {
    // HTTP/JSON for every RPC, through the server's own policy and handlers.
    const absl::Status routed = http_json::AddJsonRoutes(
        *server.http(), {{http_json::ServiceNamed(parts.full_name),
                          [&server] { return server.InProcessChannel(); }}});
    if (!routed.ok()) {
      spdlog::critical("{}", routed.message());
      return 1;
    }
  }
  if (auto s = server.Start(); !s.ok()) {
    spdlog::critical("{}", s.message());
    return 1;
  }

  spdlog::info("opening {}", (*db)->Describe());
  absl::Status ready = (*db)->Open();
  if (ready.ok()) ready = sql::ClaimDatabase(**db, defaults.name);
  if (ready.ok()) ready = sql::ApplyMigrations(**db, migrations);
  if (!ready.ok()) {
    spdlog::critical("store not ready: {}", ready.ToString());
    server.Drain();
    return 1;
  }
  server.MarkServing();
  StoreWatch watch(db->get(), &server, config->db_check_interval);

  const int signal = WaitForTerminationSignal([&] { ReloadKeys(*authenticator); });
  spdlog::info("signal {} received", signal);
  watch.Stop();
  server.Drain();
  return 0;
}

}  // namespace fazhi
