#include "services/common/sql/record_table.h"

namespace fazhi::sql {

absl::StatusOr<std::optional<RequestRecord>> FindRequest(Transaction& tx, const std::string& org,
                                                         const std::string& request_id) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT fingerprint, resource_id FROM request_ids "
                                       "WHERE org = $1 AND request_id = $2",
                                       {Value(org), Value(request_id)}));
  if (rows.empty()) return std::optional<RequestRecord>();
  return std::optional<RequestRecord>(RequestRecord{rows[0].Text(0), rows[0].Text(1)});
}

absl::Status RememberRequest(Transaction& tx, const std::string& org, const std::string& request_id,
                             const RequestRecord& record, absl::Time now) {
  return tx
      .Execute(
          "INSERT INTO request_ids (org, request_id, fingerprint, resource_id, created_at) "
          "VALUES ($1, $2, $3, $4, $5)",
          {Value(org), Value(request_id), Value(record.fingerprint), Value(record.resource_id),
           Value(ToMicros(now))})
      .status();
}

}  // namespace fazhi::sql
