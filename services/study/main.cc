// fazhi-study: the law-study records service. Wiring only.

#include <cstdlib>
#include <iostream>

#include "services/common/config.h"
#include "services/common/logging.h"
#include "services/common/rpc.h"
#include "services/common/server.h"
#include "services/common/sql/database.h"
#include "services/common/sql/migrations.h"
#include "services/study/sql_study_store.h"
#include "services/study/study_service.h"
#include "spdlog/spdlog.h"

int main(int argc, char** argv) {
  fazhi::BlockTerminationSignals();
  auto config = fazhi::LoadServerConfig(
      argc, argv,
      {"study", "fazhi-study: law-study (学法) and publicity (普法) records service",
       "127.0.0.1:7101", "sqlite:study.db", "127.0.0.1:8101"});
  if (!config.ok()) {
    std::cerr << "fazhi-study: " << config.status().message() << "\n";
    return 2;
  }
  if (auto s = fazhi::InitLogging("study", config->log_format, config->log_level); !s.ok()) {
    std::cerr << "fazhi-study: " << s.message() << "\n";
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
  fazhi::CallHandler calls(server.readiness(), &policy, "study");
  fazhi::study::SqlStudyStore store(db->get());
  fazhi::study::StudyServiceImpl service(&store, &calls);
  server.AddService(&service, fazhi::study::v1::StudyService::service_full_name());
  if (auto s = server.Start(); !s.ok()) {
    spdlog::critical("{}", s.message());
    return 1;
  }

  spdlog::info("opening {}", (*db)->Describe());
  absl::Status ready = (*db)->Open();
  if (ready.ok()) ready = fazhi::sql::ApplyMigrations(**db, fazhi::study::Migrations());
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
