// fazhi-report: organizations, report narrative and the report life cycle. Wiring
// only.

#include <memory>

#include "services/common/service_main.h"
#include "services/report/access_rules.h"
#include "services/report/report_service.h"
#include "services/report/sql_report_store.h"

int main(int argc, char** argv) {
  return fazhi::RunStoreService(
      argc, argv,
      {"report",
       "fazhi-report: organizations, report narrative and life cycle (法治政府建设年度报告)",
       "127.0.0.1:7103", "sqlite:report.db", "127.0.0.1:8103"},
      fazhi::report::Migrations(), fazhi::report::AccessRules(),
      [](fazhi::sql::Database* db, const fazhi::CallHandler* calls, fazhi::auth::AuditLog* audit) {
        auto store = std::make_shared<fazhi::report::SqlReportStore>(db);
        auto service = std::make_shared<fazhi::report::ReportServiceImpl>(store.get(), calls);
        service->set_audit_log(audit);
        return fazhi::ServiceParts{store, service,
                                   fazhi::report::v1::ReportService::service_full_name()};
      });
}
