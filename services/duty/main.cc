// fazhi-duty: the enforcement-duty service. Wiring only.

#include <cstdlib>
#include <iostream>

#include "services/common/config.h"
#include "services/common/logging.h"
#include "services/common/rpc.h"
#include "services/common/server.h"
#include "services/common/sql/database.h"
#include "services/common/sql/migrations.h"
#include "services/duty/sql_duty_store.h"
#include "services/duty/duty_service.h"
#include "spdlog/spdlog.h"

int main(int argc, char** argv) {
  fazhi::BlockTerminationSignals();
  auto config = fazhi::LoadServerConfig(
      argc, argv,
      {"duty", "fazhi-duty: enforcement duties (行政执法职责): powers, posts, officers, allocation",
       "127.0.0.1:7102", "sqlite:duty.db", "127.0.0.1:8102"});
  if (!config.ok()) {
    std::cerr << "fazhi-duty: " << config.status().message() << "\n";
    return 2;
  }
  if (auto s = fazhi::InitLogging("duty", config->log_format, config->log_level); !s.ok()) {
    std::cerr << "fazhi-duty: " << s.message() << "\n";
    return 2;
  }
  auto db = fazhi::sql::CreateDatabase(config->db);
  if (!db.ok()) {
    spdlog::critical("{}", db.status().message());
    return 2;
  }

  fazhi::Server server(
      {config->listen, config->shutdown_grace, config->max_message_bytes, config->http_listen});
  fazhi::AllowAllPolicy policy;
  fazhi::CallHandler calls(server.readiness(), &policy, "duty");
  fazhi::duty::SqlDutyStore store(db->get());
  fazhi::duty::DutyServiceImpl service(&store, &calls);
  server.AddService(&service, fazhi::duty::v1::DutyService::service_full_name());
  if (auto s = server.Start(); !s.ok()) {
    spdlog::critical("{}", s.message());
    return 1;
  }

  spdlog::info("opening {}", (*db)->Describe());
  absl::Status ready = (*db)->Open();
  if (ready.ok()) ready = fazhi::sql::ApplyMigrations(**db, fazhi::duty::Migrations());
  if (!ready.ok()) {
    spdlog::critical("store not ready: {}", ready.ToString());
    server.Drain();
    return 1;
  }
  server.MarkServing();

  const int signal = fazhi::WaitForTerminationSignal();
  spdlog::info("signal {} received", signal);
  server.Drain();
  return 0;
}
