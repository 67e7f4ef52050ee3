#include "services/common/auth/audit.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "nlohmann/json.hpp"
#include "services/common/logging.h"
#include "services/common/resource.h"
#include "services/common/status_macros.h"
#include "services/common/validation.h"
#include "services/kernel/utf8.h"
#include "spdlog/spdlog.h"

namespace fazhi::auth {
namespace audit_sql {
// Embedded at build time from migrations/ (cmake/FazhiEmbed.cmake).
const std::vector<sql::Migration>& Migrations();
}  // namespace audit_sql
namespace {

using sql::Value;

constexpr char kTimeFormat[] = "%Y-%m-%dT%H:%M:%E6SZ";

std::string FormatAuditTime(absl::Time t) {
  return absl::FormatTime(kTimeFormat, t, absl::UTCTimeZone());
}

}  // namespace

AuditRecord Bounded(AuditRecord r) {
  // A refused caller chooses the resource and much of the message: keep a
  // bounded prefix, cut on a character boundary so it stays valid UTF-8.
  r.caller = kernel::TruncateUtf8(r.caller, 200);
  r.credential = kernel::TruncateUtf8(r.credential, 100);
  r.org = kernel::TruncateUtf8(r.org, 64);
  r.method = kernel::TruncateUtf8(r.method, 100);
  r.resource = kernel::TruncateUtf8(r.resource, kMaxAuditFieldBytes);
  r.outcome = kernel::TruncateUtf8(r.outcome, 40);
  r.message = kernel::TruncateUtf8(r.message, kMaxAuditMessageBytes);
  r.request_id = kernel::TruncateUtf8(r.request_id, 64);
  r.peer = kernel::TruncateUtf8(r.peer, kMaxAuditFieldBytes);
  return r;
}

const sql::Migration& AuditMigration() { return audit_sql::Migrations().at(0); }

absl::Status AuditLog::AppendIn(sql::Transaction&, const AuditRecord&) {
  return absl::UnimplementedError("this audit log does not write inside transactions");
}

absl::Status SqlAuditLog::AppendIn(sql::Transaction& tx, const AuditRecord& record) {
  const AuditRecord r = Bounded(record);
  return tx
      .Execute(
          "INSERT INTO audit_records (id, time, caller, credential, org, method, resource, "
          "outcome, message, request_id, peer) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
          "$11)",
          {Value(NewResourceId()), Value(FormatAuditTime(r.time)), Value(r.caller),
           Value(r.credential), Value(r.org), Value(r.method), Value(r.resource), Value(r.outcome),
           Value(r.message), Value(r.request_id), Value(r.peer)})
      .status();
}

absl::Status SqlAuditLog::Append(const AuditRecord& r) {
  return db_->Transact(sql::TxMode::kReadWrite,
                       [&](sql::Transaction& tx) { return AppendIn(tx, r); });
}

absl::Status AuditOnCommit::BeforeCommit(sql::Transaction& tx) {
  if (written_) return absl::OkStatus();  // one record per call
  return log_->AppendIn(tx, record_());
}

absl::StatusOr<AuditPage> SqlAuditLog::List(const AuditQuery& query) {
  std::vector<Value> params;
  std::vector<std::string> where;
  auto param = [&](Value v) {
    params.push_back(std::move(v));
    return absl::StrCat("$", params.size());
  };
  if (query.orgs) {
    if (query.orgs->empty()) return AuditPage{};
    std::vector<std::string> placeholders;
    for (const std::string& org : *query.orgs) placeholders.push_back(param(Value(org)));
    where.push_back(absl::StrCat("org IN (", absl::StrJoin(placeholders, ", "), ")"));
  }
  if (!query.caller.empty()) where.push_back(absl::StrCat("caller = ", param(Value(query.caller))));
  if (query.denied_only) where.push_back("outcome IN ('UNAUTHENTICATED', 'PERMISSION_DENIED')");
  if (query.before) {
    const std::string t = param(Value(query.before->first));
    const std::string id = param(Value(query.before->second));
    where.push_back(absl::StrCat("(time < ", t, " OR (time = ", t, " AND id < ", id, "))"));
  }
  const std::string sql = absl::StrCat(
      "SELECT id, time, caller, credential, org, method, resource, outcome, message, request_id, "
      "peer FROM audit_records",
      where.empty() ? "" : absl::StrCat(" WHERE ", absl::StrJoin(where, " AND ")),
      " ORDER BY time DESC, id DESC LIMIT ", query.limit + 1);
  std::vector<sql::Row> rows;
  RETURN_IF_ERROR(db_->Transact(sql::TxMode::kReadOnly, [&](sql::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(rows, tx.Query(sql, params));
    return absl::OkStatus();
  }));
  AuditPage page;
  for (size_t i = 0; i < rows.size() && static_cast<int>(i) < query.limit; ++i) {
    const sql::Row& row = rows[i];
    AuditRecord r;
    std::string error;
    absl::ParseTime(kTimeFormat, row.Text(1), &r.time, &error);
    r.caller = row.Text(2);
    r.credential = row.Text(3);
    r.org = row.Text(4);
    r.method = row.Text(5);
    r.resource = row.Text(6);
    r.outcome = row.Text(7);
    r.message = row.Text(8);
    r.request_id = row.Text(9);
    r.peer = row.Text(10);
    // Records stored before the bounds (or cut mid-character) still list.
    page.records.push_back(Bounded(std::move(r)));
    if (static_cast<int>(rows.size()) > query.limit && static_cast<int>(i) + 1 == query.limit) {
      page.next = std::make_pair(row.Text(1), row.Text(0));
    }
  }
  return page;
}

absl::Status LogAuditLog::Append(const AuditRecord& record) {
  const AuditRecord r = Bounded(record);
  nlohmann::json line = {{"audit", true},          {"time", FormatAuditTime(r.time)},
                         {"caller", r.caller},     {"credential", r.credential},
                         {"org", r.org},           {"method", r.method},
                         {"resource", r.resource}, {"outcome", r.outcome},
                         {"message", r.message},   {"request_id", r.request_id},
                         {"peer", r.peer}};
  // Never throws on bytes that are not UTF-8: an audit line must not fail
  // the call it records.
  AuditLogger().info("audit {}",
                     line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  return absl::OkStatus();
}

absl::StatusOr<AuditPage> LogAuditLog::List(const AuditQuery&) {
  return absl::UnimplementedError(
      "this service keeps no audit table; its audit records are in its log");
}

}  // namespace fazhi::auth
