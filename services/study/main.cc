// fazhi-study: the law-study records service. Wiring only.

#include <memory>

#include "services/common/service_main.h"
#include "services/study/access_rules.h"
#include "services/study/sql_study_store.h"
#include "services/study/study_service.h"

int main(int argc, char** argv) {
  return fazhi::RunStoreService(
      argc, argv,
      {"study", "fazhi-study: law-study (学法) and publicity (普法) records service",
       "127.0.0.1:7101", "sqlite:study.db", "127.0.0.1:8101"},
      fazhi::study::Migrations(), fazhi::study::AccessRules(),
      [](fazhi::sql::Database* db, const fazhi::CallHandler* calls, fazhi::auth::AuditLog* audit) {
        auto store = std::make_shared<fazhi::study::SqlStudyStore>(db);
        auto service = std::make_shared<fazhi::study::StudyServiceImpl>(store.get(), calls);
        service->set_audit_log(audit);
        return fazhi::ServiceParts{store, service,
                                   fazhi::study::v1::StudyService::service_full_name()};
      });
}
