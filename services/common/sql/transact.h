#ifndef FAZHI_SERVICES_COMMON_SQL_TRANSACT_H_
#define FAZHI_SERVICES_COMMON_SQL_TRANSACT_H_

// The transactions every store runs its bodies in: `body(tx)` returns
// StatusOr<Result>, and its value is the call's.

#include "absl/status/statusor.h"
#include "services/common/sql/database.h"
#include "services/common/status_macros.h"

namespace fazhi::sql {

// Runs `body(tx)` in one transaction of `mode` and returns its value.
template <typename Result, typename Body>
absl::StatusOr<Result> TransactValue(Database& db, TxMode mode, Body body) {
  Result result;
  RETURN_IF_ERROR(db.Transact(mode, [&](Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(result, body(tx));
    return absl::OkStatus();
  }));
  return result;
}

// A read of several statements that must see one snapshot.
template <typename Result, typename Body>
absl::StatusOr<Result> Read(Database& db, Body body) {
  return TransactValue<Result>(db, TxMode::kReadOnly, body);
}

// A body of one SELECT: no BEGIN and COMMIT around it.
template <typename Result, typename Body>
absl::StatusOr<Result> ReadOne(Database& db, Body body) {
  return TransactValue<Result>(db, TxMode::kSingleRead, body);
}

template <typename Result, typename Body>
absl::StatusOr<Result> Write(Database& db, Body body) {
  return TransactValue<Result>(db, TxMode::kReadWrite, body);
}

}  // namespace fazhi::sql

#endif  // FAZHI_SERVICES_COMMON_SQL_TRANSACT_H_
