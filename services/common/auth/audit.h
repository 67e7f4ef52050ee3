#ifndef FAZHI_SERVICES_COMMON_AUTH_AUDIT_H_
#define FAZHI_SERVICES_COMMON_AUTH_AUDIT_H_

// The audit trail: every mutation and every denied call, kept by the
// service that owns the data (SqlAuditLog, table audit_records from
// migrations/0002_audit_records.sql) or, in the gateway, which owns none,
// written as JSON log lines (LogAuditLog).

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "fazhi/type/v1/audit.pb.h"
#include "services/common/sql/database.h"
#include "services/common/sql/migrations.h"

namespace fazhi::auth {

struct AuditRecord {
  absl::Time time;
  std::string caller;
  std::string credential;
  std::string org;
  std::string method;
  std::string resource;
  std::string outcome;
  std::string message;
  std::string request_id;
  std::string peer;
};

struct AuditQuery {
  std::optional<std::vector<std::string>> orgs;  // nullopt: every organization
  std::string caller;                            // empty: any
  bool denied_only = false;
  int limit = 100;
  // Keyset position: records strictly older than (time, id).
  std::optional<std::pair<std::string, std::string>> before;
};

struct AuditPage {
  std::vector<AuditRecord> records;
  // Position of the last record when more may follow.
  std::optional<std::pair<std::string, std::string>> next;
};

class AuditLog {
 public:
  virtual ~AuditLog() = default;
  virtual absl::Status Append(const AuditRecord& record) = 0;
  virtual absl::StatusOr<AuditPage> List(const AuditQuery& query) = 0;
};

class SqlAuditLog : public AuditLog {
 public:
  explicit SqlAuditLog(sql::Database* db) : db_(db) {}
  absl::Status Append(const AuditRecord& record) override;
  absl::StatusOr<AuditPage> List(const AuditQuery& query) override;

 private:
  sql::Database* db_;
};

// For a service without a database: one JSON line per record on the
// "audit" logger. List is UNIMPLEMENTED.
class LogAuditLog : public AuditLog {
 public:
  absl::Status Append(const AuditRecord& record) override;
  absl::StatusOr<AuditPage> List(const AuditQuery& query) override;
};

// The audit_records migration, to add to a service's own list.
const sql::Migration& AuditMigration();

// The ListAuditRecords handler body every data-owning service shares: checks
// the request, limits the rows to the organizations the current caller may
// audit, pages newest first.
absl::Status ListAuditRecords(AuditLog& log, const fazhi::type::v1::ListAuditRecordsRequest& request,
                              fazhi::type::v1::ListAuditRecordsResponse* response);

}  // namespace fazhi::auth

#endif  // FAZHI_SERVICES_COMMON_AUTH_AUDIT_H_
