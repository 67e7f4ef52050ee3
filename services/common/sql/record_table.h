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
// the revision they expect and fail with ABORTED when it moved. Errors are
// worded by services/common/record_errors.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "services/common/record.h"
#include "services/common/record_errors.h"
#include "services/common/resource.h"
#include "services/common/sql/database.h"
#include "services/common/sql/transact.h"
#include "services/common/status_macros.h"

namespace fazhi::sql {

struct RecordTableSpec {
  std::string table;
  std::string noun;  // for messages, e.g. "session"
  std::vector<std::string> columns;
  // The collection of the records' names, orgs/{org}/{collection}/{id};
  // empty when a name is not of that form.
  std::string collection;
};

// No check beyond the table's own (see CreateIdempotent, Import).
struct NoRecordCheck {
  template <typename T>
  absl::Status operator()(Transaction&, const T&) const {
    return absl::OkStatus();
  }
};

// The unique column an import row is matched on, and the row's value in
// it; an empty value matches nothing.
struct ImportMatch {
  std::string column;
  std::string value;
};

// Matches import rows by their external id.
struct ByExternalId {
  template <typename T>
  ImportMatch operator()(const T& row) const {
    return {"external_id", row.external_id};
  }
};

inline int64_t ToMicros(absl::Time t) { return absl::ToUnixMicros(t); }
inline absl::Time FromMicros(int64_t micros) { return absl::FromUnixMicros(micros); }

template <typename T, typename Codec>
class RecordTable {
 public:
  // The statements' text is made once per table: building it again for
  // every call was a measurable share of a single-row read.
  static const std::string& SelectColumns() {
    static const std::string* const columns =
        new std::string(absl::StrCat("org, id, revision, create_time, update_time, ",
                                     absl::StrJoin(Codec::Spec().columns, ", ")));
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

  // The record's name for messages.
  static std::string Name(const std::string& org, const std::string& id) {
    const std::string& collection = Codec::Spec().collection;
    return collection.empty() ? absl::StrCat(OrgName(org), "/…/", id)
                              : ChildResourceName(org, collection, id);
  }

  static absl::StatusOr<T> Get(Transaction& tx, const std::string& org, const std::string& id) {
    static const std::string* const sql = new std::string(absl::StrCat(
        "SELECT ", SelectColumns(), " FROM ", Codec::Spec().table, " WHERE org = $1 AND id = $2"));
    ASSIGN_OR_RETURN(auto rows, tx.Query(*sql, {Value(org), Value(id)}));
    if (rows.empty()) return NotFoundError(Codec::Spec().noun, Name(org, id));
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
      for (size_t i = 1; i <= spec.columns.size() + 5; ++i)
        placeholders.push_back(absl::StrCat("$", i));
      return new std::string(absl::StrCat(
          "INSERT INTO ", spec.table, " (org, id, revision, create_time, update_time, ",
          absl::StrJoin(spec.columns, ", "), ") VALUES (", absl::StrJoin(placeholders, ", "), ")"));
    }();
    std::vector<Value> params = {Value(record.meta.org), Value(record.meta.id), Value(int64_t{1}),
                                 Value(ToMicros(now)), Value(ToMicros(now))};
    for (Value& v : Codec::Values(record)) params.push_back(std::move(v));
    absl::StatusOr<int64_t> inserted = tx.Execute(*sql, params);
    if (absl::IsAlreadyExists(inserted.status())) {
      return TakenError("the id or external id",
                        absl::StrCat("another ", spec.noun, " in ", OrgName(record.meta.org)));
    }
    RETURN_IF_ERROR(inserted.status());
    return record;
  }

  // Inserts `record` in its own transaction, honouring an idempotency key:
  // a retry returns what the first call stored. `check(tx, record)` runs
  // before the insert (unique keys, references the table cannot check).
  template <typename Check = NoRecordCheck>
  static absl::StatusOr<T> CreateIdempotent(Database& db, T record, const IdempotencyKey& key,
                                            Check check = {});

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
      return new std::string(
          absl::StrCat("UPDATE ", spec.table, " SET revision = revision + 1, update_time = $4, ",
                       absl::StrJoin(sets, ", "), " WHERE org = $1 AND id = $2 AND revision = $3"));
    }();
    std::vector<Value> params = {Value(record.meta.org), Value(record.meta.id),
                                 Value(expected_revision), Value(ToMicros(now))};
    for (Value& v : Codec::Values(record)) params.push_back(std::move(v));
    absl::StatusOr<int64_t> changed = tx.Execute(*sql, params);
    if (absl::IsAlreadyExists(changed.status())) {
      return TakenError("the external id", absl::StrCat("another ", spec.noun));
    }
    RETURN_IF_ERROR(changed.status());
    if (*changed == 0) {
      return StaleOrMissing(tx, record.meta.org, record.meta.id, expected_revision);
    }
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
            : tx.Execute(
                  absl::StrCat("DELETE FROM ", Codec::Spec().table, " WHERE org = $1 AND id = $2"),
                  {Value(org), Value(id)});
    RETURN_IF_ERROR(changed.status());
    if (*changed == 0) return StaleOrMissing(tx, org, id, expected_revision.value_or(0)).status();
    return absl::OkStatus();
  }

  // Get, Update and Delete, each in a transaction of its own.
  static absl::StatusOr<T> Get(Database& db, const std::string& org, const std::string& id) {
    return ReadOne<T>(db, [&](Transaction& tx) { return Get(tx, org, id); });
  }
  static absl::StatusOr<T> Update(Database& db, T record, int64_t expected_revision) {
    return Write<T>(
        db, [&](Transaction& tx) { return Update(tx, record, expected_revision, absl::Now()); });
  }
  static absl::Status Delete(Database& db, const std::string& org, const std::string& id,
                             std::optional<int64_t> expected_revision) {
    return db.Transact(TxMode::kReadWrite,
                       [&](Transaction& tx) { return Delete(tx, org, id, expected_revision); });
  }

  // The first record of `org` whose `column` is `value`.
  static absl::StatusOr<std::optional<T>> FindBy(Transaction& tx, const std::string& org,
                                                 const std::string& column,
                                                 const std::string& value) {
    ASSIGN_OR_RETURN(auto found, Select(tx, absl::StrCat("org = $1 AND ", column, " = $2"),
                                        {Value(org), Value(value)}, "id", 1));
    if (found.empty()) return std::optional<T>();
    return std::optional<T>(std::move(found[0]));
  }

  // TakenError when another record of the org holds `value` in the unique
  // `column` (`label` names it in the message); an empty value is free.
  // Checked before writing: a failed insert would spoil the transaction.
  static absl::Status CheckUnique(Transaction& tx, const T& record, const std::string& column,
                                  absl::string_view label, const std::string& value) {
    if (value.empty()) return absl::OkStatus();
    ASSIGN_OR_RETURN(
        auto rows,
        tx.Query(absl::StrCat("SELECT id FROM ", Codec::Spec().table, " WHERE org = $1 AND ",
                              column, " = $2 AND id <> $3 LIMIT 1"),
                 {Value(record.meta.org), Value(value), Value(record.meta.id)}));
    if (rows.empty()) return absl::OkStatus();
    return TakenError(absl::StrCat(label, " \"", value, "\""),
                      Name(record.meta.org, rows[0].Text(0)));
  }

  // Stores an import batch in one transaction, one outcome per row. A row
  // stands for the stored record `match(row)` finds: with UPSERT it
  // replaces it, with CREATE_ONLY it is refused; a row that matches none
  // is inserted. `check(tx, record)` runs before each write; its
  // ALREADY_EXISTS or FAILED_PRECONDITION refuses the row alone, any other
  // error the batch.
  template <typename Match = ByExternalId, typename Check = NoRecordCheck>
  static absl::StatusOr<std::vector<ImportOutcome>> Import(Database& db, const std::string& org,
                                                           std::vector<T> rows, ImportMode mode,
                                                           Match match = {}, Check check = {});

 private:
  static absl::StatusOr<T> StaleOrMissing(Transaction& tx, const std::string& org,
                                          const std::string& id, int64_t expected_revision) {
    ASSIGN_OR_RETURN(T current, Get(tx, org, id));
    return StaleEtagError(Codec::Spec().noun, expected_revision, current.meta.revision);
  }
};

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
absl::Status RememberRequest(Transaction& tx, const std::string& org, const std::string& request_id,
                             const RequestRecord& record, absl::Time now);

template <typename T, typename Codec>
template <typename Check>
absl::StatusOr<T> RecordTable<T, Codec>::CreateIdempotent(Database& db, T record,
                                                          const IdempotencyKey& key, Check check) {
  return Write<T>(db, [&](Transaction& tx) -> absl::StatusOr<T> {
    const std::string& org = record.meta.org;
    if (!key.request_id.empty()) {
      ASSIGN_OR_RETURN(auto previous, FindRequest(tx, org, key.request_id));
      if (previous.has_value()) {
        if (previous->fingerprint != key.fingerprint) return RequestIdReusedError();
        return Get(tx, org, previous->resource_id);
      }
    }
    RETURN_IF_ERROR(check(tx, record));
    const absl::Time now = absl::Now();
    ASSIGN_OR_RETURN(T stored, Insert(tx, record, now));
    if (!key.request_id.empty()) {
      RETURN_IF_ERROR(
          RememberRequest(tx, org, key.request_id, {key.fingerprint, stored.meta.id}, now));
    }
    return stored;
  });
}

template <typename T, typename Codec>
template <typename Match, typename Check>
absl::StatusOr<std::vector<ImportOutcome>> RecordTable<T, Codec>::Import(Database& db,
                                                                         const std::string& org,
                                                                         std::vector<T> rows,
                                                                         ImportMode mode,
                                                                         Match match, Check check) {
  std::vector<ImportOutcome> outcomes;
  RETURN_IF_ERROR(db.Transact(TxMode::kReadWrite, [&](Transaction& tx) -> absl::Status {
    outcomes.clear();  // a retried transaction starts again
    const absl::Time now = absl::Now();
    for (const T& row : rows) {
      T record = row;
      record.meta.org = org;
      ImportOutcome outcome;
      const ImportMatch key = match(record);
      std::optional<T> existing;
      if (!key.value.empty()) {
        ASSIGN_OR_RETURN(existing, FindBy(tx, org, key.column, key.value));
      }
      if (existing && mode == ImportMode::kCreateOnly) {
        outcome.status =
            TakenError(absl::StrCat(key.column, " \"", key.value, "\""),
                       Name(org, existing->meta.id), "import with mode UPSERT to replace it");
        outcomes.push_back(std::move(outcome));
        continue;
      }
      if (existing) {
        record.meta.id = existing->meta.id;
      } else if (record.meta.id.empty()) {
        record.meta.id = NewResourceId();
      }
      absl::Status keys = check(tx, record);
      if (absl::IsAlreadyExists(keys) || absl::IsFailedPrecondition(keys)) {
        outcome.status = keys;
        outcomes.push_back(std::move(outcome));
        continue;
      }
      RETURN_IF_ERROR(keys);
      if (existing) {
        ASSIGN_OR_RETURN(T updated, Update(tx, record, existing->meta.revision, now));
        outcome.id = updated.meta.id;
        outcome.replaced = true;
      } else {
        ASSIGN_OR_RETURN(T inserted, Insert(tx, record, now));
        outcome.id = inserted.meta.id;
      }
      outcomes.push_back(std::move(outcome));
    }
    return absl::OkStatus();
  }));
  return outcomes;
}

}  // namespace fazhi::sql

#endif  // FAZHI_SERVICES_COMMON_SQL_RECORD_TABLE_H_
