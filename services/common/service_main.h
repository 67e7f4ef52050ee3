#ifndef FAZHI_SERVICES_COMMON_SERVICE_MAIN_H_
#define FAZHI_SERVICES_COMMON_SERVICE_MAIN_H_

// The life of a store-backed service process, shared by every main.cc:
// configuration, logging, database, server (NOT_SERVING), migrations,
// SERVING, and the drain on SIGTERM/SIGINT.

#include <grpcpp/impl/codegen/service_type.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "services/common/auth/access.h"
#include "services/common/config.h"
#include "services/common/rpc.h"
#include "services/common/sql/database.h"
#include "services/common/sql/migrations.h"

namespace fazhi {

// What a service contributes: its store and its handlers over the database.
struct ServiceParts {
  std::shared_ptr<void> store;
  std::shared_ptr<grpc::Service> service;
  std::string full_name;  // e.g. "fazhi.study.v1.StudyService"
};

using MakeService =
    std::function<ServiceParts(sql::Database* db, const CallHandler* calls, auth::AuditLog* audit)>;

// Runs until a termination signal; returns the process exit code. Every
// call is authenticated and checked against `rules`; mutations and denied
// calls go to the audit_records table (its migration is added here).
int RunStoreService(int argc, char** argv, const ServiceDefaults& defaults,
                    const std::vector<sql::Migration>& migrations, auth::AccessRules rules,
                    const MakeService& make);

// The authenticator for the security flags, logging what it loaded (and a
// warning in development mode); null after logging why it cannot start.
std::unique_ptr<auth::Authenticator> StartAuthenticator(const SecurityConfig& security);
// Re-reads the keys file; for WaitForTerminationSignal's SIGHUP.
void ReloadKeys(auth::Authenticator& authenticator);

}  // namespace fazhi

#endif  // FAZHI_SERVICES_COMMON_SERVICE_MAIN_H_
