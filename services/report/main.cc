// fazhi-report: organizations, report narrative and the report life cycle. Wiring
// only.

#include <cstdlib>
#include <iostream>

#include "services/common/config.h"
#include "services/common/logging.h"
#include "services/common/rpc.h"
#include "services/common/server.h"
#include "services/common/sql/database.h"
#include "services/common/sql/migrations.h"
#include "services/report/report_service.h"
#include "services/report/sql_report_store.h"
#include "spdlog/spdlog.h"

int main(int argc, char** argv) {
  fazhi::BlockTerminationSignals();
  auto config = fazhi::LoadServerConfig(
      argc, argv,
      {"report",
       "fazhi-report: organizations, report narrative and life cycle (法治政府建设年度报告)",
       "127.0.0.1:7103", "sqlite:report.db", "127.0.0.1:8103"});
  if (!config.ok()) {
    std::cerr << "fazhi-report: " << config.status().message() << "\n";
    return 2;
  }
  if (auto s = fazhi::InitLogging("report", config->log_format, config->log_level); !s.ok()) {
    std::cerr << "fazhi-report: " << s.message() << "\n";
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
  fazhi::CallHandler calls(server.readiness(), &policy, "report");
  fazhi::report::SqlReportStore store(db->get());
  fazhi::report::ReportServiceImpl service(&store, &calls);
  server.AddService(&service, fazhi::report::v1::ReportService::service_full_name());
  if (auto s = server.Start(); !s.ok()) {
    spdlog::critical("{}", s.message());
    return 1;
  }

  spdlog::info("opening {}", (*db)->Describe());
  absl::Status ready = (*db)->Open();
  if (ready.ok()) ready = fazhi::sql::ApplyMigrations(**db, fazhi::report::Migrations());
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
