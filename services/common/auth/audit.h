#ifndef FAZHI_SERVICES_COMMON_AUTH_AUDIT_H_
#define FAZHI_SERVICES_COMMON_AUTH_AUDIT_H_

// The audit trail: every mutation and every denied call, kept by the
// service that owns the data (SqlAuditLog, table audit_records from
// migrations/0002_audit_records.sql) or, in the gateway, which owns none,
// written as JSON log lines (LogAuditLog).

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
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

// Bounds of what a record keeps of the caller's input (the resource a
// refused call named, the message quoting it).
inline constexpr size_t kMaxAuditFieldBytes = 512;
inline constexpr size_t kMaxAuditMessageBytes = 500;

// The record with every field cut to its bound on a character boundary.
AuditRecord Bounded(AuditRecord record);

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
  // Whether AppendIn can write a record inside a transaction of the
  // service's own database (so it commits with the change it records).
  virtual bool AppendsInTransaction() const { return false; }
  virtual absl::Status AppendIn(sql::Transaction& tx, const AuditRecord& record);
};

class SqlAuditLog : public AuditLog {
 public:
  explicit SqlAuditLog(sql::Database* db) : db_(db) {}
  absl::Status Append(const AuditRecord& record) override;
  absl::StatusOr<AuditPage> List(const AuditQuery& query) override;
  bool AppendsInTransaction() const override { return true; }
  absl::Status AppendIn(sql::Transaction& tx, const AuditRecord& record) override;

 private:
  sql::Database* db_;
};

// The audit record of one call, written inside the first read-write
// transaction the call commits: installed as the thread's sql::CommitHook
// while the call's handler runs, so a change and its record are stored
// together or not at all. `record()` makes the record when it is written
// (the call's organization may be known only by then: a stream's first
// message names it).
class AuditOnCommit : public sql::CommitHook {
 public:
  AuditOnCommit(AuditLog* log, std::function<AuditRecord()> record)
      : log_(log), record_(std::move(record)) {}
  absl::Status BeforeCommit(sql::Transaction& tx) override;
  void Committed() override { written_ = true; }
  // A transaction that carried the record has committed.
  bool written() const { return written_; }

 private:
  AuditLog* log_;
  std::function<AuditRecord()> record_;
  bool written_ = false;
};

// For a service without a database: one JSON line per record on the
// audit logger (AuditLogger(): its own sink, always on whatever
// --log_level says). List is UNIMPLEMENTED.
class LogAuditLog : public AuditLog {
 public:
  absl::Status Append(const AuditRecord& record) override;
  absl::StatusOr<AuditPage> List(const AuditQuery& query) override;
};

// The audit_records migration, to add to a service's own list.
const sql::Migration& AuditMigration();

}  // namespace fazhi::auth

#endif  // FAZHI_SERVICES_COMMON_AUTH_AUDIT_H_
