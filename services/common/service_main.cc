#include "services/common/service_main.h"

#include <iostream>

#include "services/common/logging.h"
#include "services/common/server.h"
#include "spdlog/spdlog.h"

namespace fazhi {

int RunStoreService(int argc, char** argv, const ServiceDefaults& defaults,
                    const std::vector<sql::Migration>& migrations, const MakeService& make) {
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
  auto db = sql::CreateDatabase(config->db);
  if (!db.ok()) {
    spdlog::critical("{}", db.status().message());
    return 2;
  }

  Server server({config->listen, config->shutdown_grace, config->max_message_bytes, config->http_listen,
                 config->max_concurrent_streams, config->max_threads});
  AllowAllPolicy policy;
  CallHandler calls(server.readiness(), &policy, defaults.name);
  ServiceParts parts = make(db->get(), &calls);
  server.AddService(parts.service.get(), parts.full_name);
  if (auto s = server.Start(); !s.ok()) {
    spdlog::critical("{}", s.message());
    return 1;
  }

  spdlog::info("opening {}", (*db)->Describe());
  absl::Status ready = (*db)->Open();
  if (ready.ok()) ready = sql::ApplyMigrations(**db, migrations);
  if (!ready.ok()) {
    spdlog::critical("store not ready: {}", ready.ToString());
    server.Drain();
    return 1;
  }
  server.MarkServing();

  const int signal = WaitForTerminationSignal();
  spdlog::info("signal {} received", signal);
  server.Drain();
  return 0;
}

}  // namespace fazhi
