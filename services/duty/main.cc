// fazhi-duty: the enforcement-duty service. Wiring only.

#include <memory>

#include "services/common/service_main.h"
#include "services/duty/access_rules.h"
#include "services/duty/duty_service.h"
#include "services/duty/sql_duty_store.h"

int main(int argc, char** argv) {
  return fazhi::RunStoreService(
      argc, argv,
      {"duty", "fazhi-duty: enforcement duties (行政执法职责): powers, posts, officers, allocation",
       "127.0.0.1:7102", "sqlite:duty.db", "127.0.0.1:8102"},
      fazhi::duty::Migrations(), fazhi::duty::AccessRules(),
      [](fazhi::sql::Database* db, const fazhi::CallHandler* calls, fazhi::auth::AuditLog* audit) {
        auto store = std::make_shared<fazhi::duty::SqlDutyStore>(db);
        auto service = std::make_shared<fazhi::duty::DutyServiceImpl>(store.get(), calls);
        service->set_audit_log(audit);
        return fazhi::ServiceParts{store, service,
                                   fazhi::duty::v1::DutyService::service_full_name()};
      });
}
