#ifndef FAZHI_SERVICES_COMMON_SQL_RECORD_TABLE_H_
#define FAZHI_SERVICES_COMMON_SQL_RECORD_TABLE_H_

// Generic persistence for tenant-scoped records: one table per record type
// with the columns (org, id, revision, create_time, update_time, <data…>),
// primary key (org, id). A Codec<T> describes the data columns:
//
//   struct Codec {
//     static const RecordTableSpec& Spec();
//     static std::vector<Value> Values(const T&);          // Spec().columns order
//     static T FromRow(const Row&, size_t first_column);   // data columns
//   };
//
// and T has a `RecordMeta meta` member. Optimistic concurrency: writes name
// the revision they expect and fail with ABORTED when it moved.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "services/common/record.h"
#include "services/common/sql/database.h"
#include "services/common/status_macros.h"

namespace fazhi::sql {

struct RecordTableSpec {
  std::string table;
  std::string noun;  // for messages, e.g. "session"
  std::vector<std::string> columns;
};

inline int64_t ToMicros(absl::Time t) { return absl::ToUnixMicros(t); }
inline absl::Time FromMicros(int64_t micros) { return absl::FromUnixMicros(micros); }

template <typename T, typename Codec>
class RecordTable {
 public:
  // The statements' text is made once per table: building it again for
  // every call was a measurable share of a single-row read.
  static const std::string& SelectColumns() {
    static const std::string* const columns = new std::string(absl::StrCat(
        "org, id, revision, create_time, update_time, ", absl::StrJoin(Codec::Spec().columns, ", ")));
    return *columns;
  }

  static T FromRow(const Row& row) {
    T record = Codec::FromRow(row, 5);
    record.meta.org = row.Text(0);
    record.meta.id = row.Text(1);
    record.meta.revision = row.Int(2);
    record.meta.create_time = FromMicros(row.Int(3));
    record.meta.update_time = FromMicros(row.Int(4));
    return record;
  }

  static absl::StatusOr<T> Get(Transaction& tx, const std::string& org, const std::string& id) {
    static const std::string* const sql = new std::string(absl::StrCat(
        "SELECT ", SelectColumns(), " FROM ", Codec::Spec().table, " WHERE org = $1 AND id = $2"));
    ASSIGN_OR_RETURN(auto rows, tx.Query(*sql, {Value(org), Value(id)}));
    if (rows.empty()) {
      return absl::NotFoundError(absl::StrCat(Codec::Spec().noun, " orgs/", org, "/…/", id,
                                              " does not exist"));
    }
    return FromRow(rows[0]);
  }

  // Rows matching `where` (SQL over the columns, parameters from $1 in
  // `params`), in `order_by` order, at most `limit`.
  static absl::StatusOr<std::vector<T>> Select(Transaction& tx, const std::string& where,
                                               const std::vector<Value>& params,
                                               const std::string& order_by, int limit) {
    std::string sql = absl::StrCat("SELECT ", SelectColumns(), " FROM ", Codec::Spec().table,
                                   " WHERE ", where, " ORDER BY ", order_by);
    if (limit > 0) absl::StrAppend(&sql, " LIMIT ", limit);
    ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
    std::vector<T> records;
    records.reserve(rows.size());
    for (const Row& row : rows) records.push_back(FromRow(row));
    return records;
  }

  // Inserts with revision 1 and both times `now`; ALREADY_EXISTS when the
  // id (or another unique column) is taken.
  static absl::StatusOr<T> Insert(Transaction& tx, T record, absl::Time now) {
    record.meta.revision = 1;
    record.meta.create_time = now;
    record.meta.update_time = now;
    const auto& spec = Codec::Spec();
    static const std::string* const sql = [&spec] {
      std::vector<std::string> placeholders;
      for (size_t i = 1; i <= spec.columns.size() + 5; ++i) placeholders.push_back(absl::StrCat("$", i));
      return new std::string(absl::StrCat("INSERT INTO ", spec.table,
                                          " (org, id, revision, create_time, update_time, ",
                                          absl::StrJoin(spec.columns, ", "), ") VALUES (",
                                          absl::StrJoin(placeholders, ", "), ")"));
    }();
    std::vector<Value> params = {Value(record.meta.org), Value(record.meta.id), Value(int64_t{1}),
                                 Value(ToMicros(now)), Value(ToMicros(now))};
    for (Value& v : Codec::Values(record)) params.push_back(std::move(v));
    absl::StatusOr<int64_t> inserted = tx.Execute(*sql, params);
    if (absl::IsAlreadyExists(inserted.status())) {
      return absl::AlreadyExistsError(
          absl::StrCat("a ", spec.noun, " with this id or external id already exists in orgs/",
                       record.meta.org));
    }
    RETURN_IF_ERROR(inserted.status());
    return record;
  }

  // Inserts `record` in its own transaction, honouring an idempotency key:
  // a retry returns what the first call stored.
  static absl::StatusOr<T> CreateIdempotent(Database& db, T record, const IdempotencyKey& key);

  // Replaces the data columns of an existing record whose revision is
  // `expected_revision`; bumps the revision.
  static absl::StatusOr<T> Update(Transaction& tx, T record, int64_t expected_revision,
                                  absl::Time now) {
    const auto& spec = Codec::Spec();
    static const std::string* const sql = [&spec] {
      std::vector<std::string> sets;
      for (size_t i = 0; i < spec.columns.size(); ++i) {
        sets.push_back(absl::StrCat(spec.columns[i], " = $", i + 5));
      }
      return new std::string(absl::StrCat("UPDATE ", spec.table,
                                          " SET revision = revision + 1, update_time = $4, ",
                                          absl::StrJoin(sets, ", "),
                                          " WHERE org = $1 AND id = $2 AND revision = $3"));
    }();
    std::vector<Value> params = {Value(record.meta.org), Value(record.meta.id),
                                 Value(expected_revision), Value(ToMicros(now))};
    for (Value& v : Codec::Values(record)) params.push_back(std::move(v));
    absl::StatusOr<int64_t> changed = tx.Execute(*sql, params);
    if (absl::IsAlreadyExists(changed.status())) {
      return absl::AlreadyExistsError(
          absl::StrCat("another ", spec.noun, " already has this external id"));
    }
    RETURN_IF_ERROR(changed.status());
    if (*changed == 0) return StaleOrMissing(tx, record.meta.org, record.meta.id);
    return Get(tx, record.meta.org, record.meta.id);
  }

  // Deletes; with an expected revision, only if it still matches.
  static absl::Status Delete(Transaction& tx, const std::string& org, const std::string& id,
                             std::optional<int64_t> expected_revision) {
    absl::StatusOr<int64_t> changed =
        expected_revision.has_value()
            ? tx.Execute(absl::StrCat("DELETE FROM ", Codec::Spec().table,
                                      " WHERE org = $1 AND id = $2 AND revision = $3"),
                         {Value(org), Value(id), Value(*expected_revision)})
            : tx.Execute(absl::StrCat("DELETE FROM ", Codec::Spec().table,
                                      " WHERE org = $1 AND id = $2"),
                         {Value(org), Value(id)});
    RETURN_IF_ERROR(changed.status());
    if (*changed == 0) return StaleOrMissing(tx, org, id).status();
    return absl::OkStatus();
  }

 private:
  static absl::StatusOr<T> StaleOrMissing(Transaction& tx, const std::string& org,
                                          const std::string& id) {
    ASSIGN_OR_RETURN(T current, Get(tx, org, id));
    return absl::AbortedError(absl::StrCat(
        "the ", Codec::Spec().noun, " changed since it was read (its etag is now W/\"",
        current.meta.revision, "\"); read it again and retry"));
  }
};

// Runs `body(tx)`, which returns StatusOr<Result>, in one transaction and
// returns its value.
template <typename Result, typename Body>
absl::StatusOr<Result> TransactValue(Database& db, TxMode mode, Body body) {
  Result result;
  RETURN_IF_ERROR(db.Transact(mode, [&](Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(result, body(tx));
    return absl::OkStatus();
  }));
  return result;
}

// Idempotency keys (AIP-155): the first create with a request id records
// the resource it made; a retry finds it. Each service's schema has the
// table:  request_ids(org, request_id, fingerprint, resource_id, created_at),
// primary key (org, request_id).
struct RequestRecord {
  std::string fingerprint;
  std::string resource_id;
};

absl::StatusOr<std::optional<RequestRecord>> FindRequest(Transaction& tx, const std::string& org,
                                                         const std::string& request_id);
absl::Status RememberRequest(Transaction& tx, const std::string& org,
                             const std::string& request_id, const RequestRecord& record,
                             absl::Time now);

template <typename T, typename Codec>
absl::StatusOr<T> RecordTable<T, Codec>::CreateIdempotent(Database& db, T record,
                                                          const IdempotencyKey& key) {
  return TransactValue<T>(db, TxMode::kReadWrite, [&](Transaction& tx) -> absl::StatusOr<T> {
    const std::string& org = record.meta.org;
    if (!key.request_id.empty()) {
      ASSIGN_OR_RETURN(auto previous, FindRequest(tx, org, key.request_id));
      if (previous.has_value()) {
        if (previous->fingerprint != key.fingerprint) {
          return absl::AlreadyExistsError(
              "request_id was already used for a different request; use a new request_id");
        }
        return Get(tx, org, previous->resource_id);
      }
    }
    const absl::Time now = absl::Now();
    ASSIGN_OR_RETURN(T stored, Insert(tx, record, now));
    if (!key.request_id.empty()) {
      RETURN_IF_ERROR(RememberRequest(tx, org, key.request_id, {key.fingerprint, stored.meta.id}, now));
    }
    return stored;
  });
}

}  // namespace fazhi::sql

#endif  // FAZHI_SERVICES_COMMON_SQL_RECORD_TABLE_H_
