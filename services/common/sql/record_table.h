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
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "services/common/record.h"
#include "services/common/record_errors.h"
#include "services/common/resource.h"
#include "services/common/sql/columns.h"
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

// What an import with checks checks of each row, so that its bulk path
// (RecordTable::ImportKeyed) can check a whole batch at once: the unique
// columns, the one a row without an external id is matched on, and a
// record of another table the row refers to by id.
template <typename T>
struct ImportKeys {
  struct Unique {
    std::string column;
    std::string label;  // names the column in messages
    const std::string& (*value)(const T&);
  };
  // Checked in this order; "external_id" is one of them.
  std::vector<Unique> unique;
  // The index in `unique` of the column a row without an external id is
  // matched on.
  size_t fallback_match = 0;
  // The table `reference(row)` names a record of (none when empty), and
  // the row's refusal when that record does not exist.
  std::string referenced_table;
  const std::string& (*reference)(const T&) = nullptr;
  absl::Status (*missing)(const std::string& org, const std::string& id) = nullptr;
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

  // Insert of every record, in bulk (Transaction::InsertRows); when a key
  // of one is taken, Insert's error, and the transaction is spoilt.
  static absl::Status InsertAll(Transaction& tx, const std::vector<T>& records, absl::Time now) {
    if (records.empty()) return absl::OkStatus();
    BulkRows rows{Codec::Spec().table, InsertColumns(), {}};
    rows.values.reserve(records.size() * rows.columns.size());
    for (const T& record : records) {
      rows.values.insert(rows.values.end(),
                         {Value(record.meta.org), Value(record.meta.id), Value(int64_t{1}),
                          Value(ToMicros(now)), Value(ToMicros(now))});
      for (Value& v : Codec::Values(record)) rows.values.push_back(std::move(v));
    }
    ASSIGN_OR_RETURN(std::vector<std::string> inserted, tx.InsertRows(rows, "id"));
    if (inserted.size() != records.size()) {
      return TakenError(
          "the id or external id",
          absl::StrCat("another ", Codec::Spec().noun, " in ", OrgName(records[0].meta.org)));
    }
    return absl::OkStatus();
  }

  // Update of every record from its meta.revision, read in this
  // transaction, in bulk (Transaction::UpdateRows).
  static absl::Status UpdateAll(Transaction& tx, const std::vector<T>& records, absl::Time now) {
    BulkRows rows{Codec::Spec().table, UpdateColumns(), {}};
    for (const T& record : records) {
      rows.values.insert(rows.values.end(),
                         {Value(record.meta.org), Value(record.meta.id),
                          Value(record.meta.revision + 1), Value(ToMicros(now))});
      for (Value& v : Codec::Values(record)) rows.values.push_back(std::move(v));
    }
    return ReplaceFound(tx, rows);
  }

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
  // error the batch. Rows are taken in order: a row whose external id an
  // earlier row of the batch introduced stands for that row's record.
  //
  // Matched by external id and without a check, the batch is written in
  // bulk (ImportInBulk); a check may read what earlier rows wrote, so
  // then every row is looked up and written before the next is checked.
  template <typename Match = ByExternalId, typename Check = NoRecordCheck>
  static absl::StatusOr<std::vector<ImportOutcome>> Import(Database& db, const std::string& org,
                                                           std::vector<T> rows, ImportMode mode,
                                                           Match match = {}, Check check = {});

  // Import with the checks `keys` describes, with the outcomes and stored
  // rows of Import row by row (a row matched on its external id, else on
  // the fallback column; refused with ALREADY_EXISTS when another record
  // holds one of its unique values, with `missing` when its reference is
  // not stored), in bulk: the rows are encoded before the transaction
  // opens; inside it one query finds the stored records holding any of
  // the batch's unique values and the referenced records, the rows are
  // resolved in order against those and the batch's own earlier rows in
  // memory, then the replaced records are written with UpdateRows and the
  // new ones with InsertRows. Returns nullopt, having written nothing, when
  // a unique value moves from one stored record to another: one UPDATE of
  // many rows could trip over the value's old holder, so that batch is for
  // the row-by-row path.
  static absl::StatusOr<std::optional<std::vector<ImportOutcome>>> ImportKeyed(
      Database& db, const std::string& org, const std::vector<T>& rows, ImportMode mode,
      const ImportKeys<T>& keys);

 private:
  static const std::vector<std::string>& InsertColumns() {
    static const std::vector<std::string>* const columns = [] {
      auto* all =
          new std::vector<std::string>{"org", "id", "revision", "create_time", "update_time"};
      all->insert(all->end(), Codec::Spec().columns.begin(), Codec::Spec().columns.end());
      return all;
    }();
    return *columns;
  }
  static const std::vector<std::string>& UpdateColumns() {
    static const std::vector<std::string>* const columns = [] {
      auto* all = new std::vector<std::string>{"org", "id", "revision", "update_time"};
      all->insert(all->end(), Codec::Spec().columns.begin(), Codec::Spec().columns.end());
      return all;
    }();
    return *columns;
  }
  static absl::Status IdTakenError(const std::string& org) {
    return TakenError("the id or external id",
                      absl::StrCat("another ", Codec::Spec().noun, " in ", OrgName(org)));
  }
  // Replaces the records of `updates` (UpdateColumns), which the batch's
  // look-up found stored, in one transaction with it.
  static absl::Status ReplaceFound(Transaction& tx, const BulkRows& updates) {
    if (updates.size() == 0) return absl::OkStatus();
    ASSIGN_OR_RETURN(int64_t changed, tx.UpdateRows(updates, 2));
    // A stored record cannot have gone since the look-up, and a driver
    // that lets it must not pass.
    if (changed != static_cast<int64_t>(updates.size())) {
      return absl::AbortedError(absl::StrCat("an import batch found ", updates.size(), " ",
                                             Codec::Spec().noun, "s to replace but replaced ",
                                             changed, "; retry the batch"));
    }
    return absl::OkStatus();
  }

  // Import's bulk path, with the outcomes the row-by-row path gives. The
  // rows are grouped by external id and encoded before the transaction
  // opens; inside it, every record is inserted unless its external id is
  // stored (Transaction::InsertRows skips it), one query finds the stored
  // records of those skipped, and UPSERT replaces them with UpdateRows
  // (each row of a record bumps its revision once).
  static absl::StatusOr<std::vector<ImportOutcome>> ImportInBulk(Database& db,
                                                                 const std::string& org,
                                                                 std::vector<T> rows,
                                                                 ImportMode mode);

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
  if constexpr (std::is_same_v<Match, ByExternalId> && std::is_same_v<Check, NoRecordCheck>) {
    return ImportInBulk(db, org, std::move(rows), mode);
  }
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

template <typename T, typename Codec>
absl::StatusOr<std::vector<ImportOutcome>> RecordTable<T, Codec>::ImportInBulk(
    Database& db, const std::string& org, std::vector<T> rows, ImportMode mode) {
  const auto& spec = Codec::Spec();
  const std::vector<std::string>* const insert_columns = &InsertColumns();
  const std::vector<std::string>* const update_columns = &UpdateColumns();
  const std::string lookup =
      absl::StrCat("SELECT external_id, id, revision FROM ", spec.table,
                   " WHERE org = $1 AND external_id IN ", JsonTextSet(db.dialect(), 2));
  const bool upsert = mode == ImportMode::kUpsert;

  // Before the transaction: the records the batch writes, each with its
  // rows in order (rows with one external id stand for one record), and
  // the columns each record gets: with CREATE_ONLY its first row's (the
  // others are refused), with UPSERT its last row's.
  std::vector<std::vector<size_t>> records;
  {
    absl::flat_hash_map<absl::string_view, size_t> by_external_id;
    for (size_t i = 0; i < rows.size(); ++i) {
      rows[i].meta.org = org;
      const std::string& external_id = rows[i].external_id;
      if (!external_id.empty()) {
        auto [it, added] = by_external_id.try_emplace(external_id, records.size());
        if (!added) {
          records[it->second].push_back(i);
          continue;
        }
      }
      records.push_back({i});
    }
  }
  // Every record offered as new, its columns moved in (the rows' own are
  // not read again): the database skips those whose external id is
  // stored. Built once, before the transaction opens; a retried
  // transaction offers the same rows and ids.
  const absl::Time now = absl::Now();
  const size_t width = insert_columns->size();
  const size_t meta_columns = width - spec.columns.size();  // org, id, revision, times
  std::vector<std::string> ids;
  ids.reserve(records.size());
  BulkRows inserts{spec.table, *insert_columns, {}};
  inserts.values.reserve(records.size() * width);
  for (const auto& of : records) {
    const std::string& given = rows[of[0]].meta.id;
    ids.push_back(given.empty() ? NewResourceId() : given);
    inserts.values.insert(
        inserts.values.end(),
        {Value(org), Value(ids.back()), Value(static_cast<int64_t>(upsert ? of.size() : 1)),
         Value(ToMicros(now)), Value(ToMicros(now))});
    for (Value& v : Codec::Values(rows[upsert ? of.back() : of[0]])) {
      inserts.values.push_back(std::move(v));
    }
  }
  auto external_id_of = [&](size_t record) -> const std::string& {
    return rows[records[record][0]].external_id;
  };
  auto id_taken = [&] { return IdTakenError(org); };

  std::vector<ImportOutcome> outcomes;
  RETURN_IF_ERROR(db.Transact(TxMode::kReadWrite, [&](Transaction& tx) -> absl::Status {
    outcomes.assign(rows.size(), ImportOutcome{});  // a retried transaction starts again
    ASSIGN_OR_RETURN(std::vector<std::string> inserted, tx.InsertRows(inserts, "id"));
    const absl::flat_hash_set<absl::string_view> is_new(inserted.begin(), inserted.end());

    // One look-up for the skipped ones: the stored records they stand for.
    std::string skipped = "[";
    for (size_t r = 0; r < records.size(); ++r) {
      if (is_new.contains(ids[r])) continue;
      // Without an external id only the id can have been taken.
      if (external_id_of(r).empty()) return id_taken();
      if (skipped.size() > 1) skipped.push_back(',');
      AppendJsonString(external_id_of(r), &skipped);
    }
    skipped.push_back(']');
    absl::flat_hash_map<std::string, std::pair<std::string, int64_t>> stored;
    if (skipped.size() > 2) {
      ASSIGN_OR_RETURN(auto found, tx.Query(lookup, {Value(org), Value(skipped)}));
      for (const Row& row : found)
        stored.emplace(row.Text(0), std::make_pair(row.Text(1), row.Int(2)));
    }

    BulkRows updates{spec.table, *update_columns, {}};
    for (size_t r = 0; r < records.size(); ++r) {
      const std::vector<size_t>& of = records[r];
      const bool made = is_new.contains(ids[r]);
      std::string id = ids[r];
      int64_t revision = 0;
      if (!made) {
        auto found = stored.find(external_id_of(r));
        if (found == stored.end()) return id_taken();  // the id, not the external id
        std::tie(id, revision) = found->second;
      }
      // A row is refused, or stands for `id`, as row by row it would.
      for (size_t k = 0; k < of.size(); ++k) {
        ImportOutcome& outcome = outcomes[of[k]];
        if (made && k == 0) {
          outcome.id = id;
        } else if (!upsert) {
          outcome.status = TakenError(absl::StrCat("external_id \"", external_id_of(r), "\""),
                                      Name(org, id), "import with mode UPSERT to replace it");
        } else {
          outcome.id = id;
          outcome.replaced = true;
        }
      }
      if (made || !upsert) continue;
      updates.values.insert(
          updates.values.end(),
          {Value(org), Value(id), Value(revision + static_cast<int64_t>(of.size())),
           Value(ToMicros(now))});
      const auto record_columns = inserts.values.begin() + r * width;
      updates.values.insert(updates.values.end(), record_columns + meta_columns,
                            record_columns + width);
    }
    return ReplaceFound(tx, updates);
  }));
  return outcomes;
}

template <typename T, typename Codec>
absl::StatusOr<std::optional<std::vector<ImportOutcome>>> RecordTable<T, Codec>::ImportKeyed(
    Database& db, const std::string& org, const std::vector<T>& rows, ImportMode mode,
    const ImportKeys<T>& keys) {
  const auto& spec = Codec::Spec();
  const bool upsert = mode == ImportMode::kUpsert;
  const size_t unique_count = keys.unique.size();
  size_t external_id_key = keys.fallback_match;
  for (size_t u = 0; u < unique_count; ++u) {
    if (keys.unique[u].column == "external_id") external_id_key = u;
  }

  // Before the transaction: every row's columns, and the look-up of the
  // stored records holding the batch's unique values (one branch a
  // column, so each uses its index) and of the records it refers to.
  std::vector<std::vector<Value>> columns;
  columns.reserve(rows.size());
  for (const T& row : rows) columns.push_back(Codec::Values(row));
  std::vector<Value> params = {Value(org)};
  auto add_set = [&](auto value_of) {
    std::string set = "[";
    for (const T& row : rows) {
      const std::string& value = value_of(row);
      if (value.empty()) continue;
      if (set.size() > 1) set.push_back(',');
      AppendJsonString(value, &set);
    }
    set.push_back(']');
    params.push_back(Value(std::move(set)));
    return JsonTextSet(db.dialect(), static_cast<int>(params.size()));
  };
  std::string held_columns, nulls;
  for (const auto& u : keys.unique) {
    absl::StrAppend(&held_columns, ", ", u.column);
    absl::StrAppend(&nulls, ", NULL");
  }
  std::vector<std::string> selects;
  for (const auto& u : keys.unique) {
    selects.push_back(absl::StrCat("SELECT 0, id, revision", held_columns, " FROM ", spec.table,
                                   " WHERE org = $1 AND ", u.column, " IN ", add_set(u.value)));
  }
  std::string lookup = absl::StrJoin(selects, " UNION ");
  if (!keys.referenced_table.empty()) {
    absl::StrAppend(&lookup, " UNION ALL SELECT 1, id, 0", nulls, " FROM ", keys.referenced_table,
                    " WHERE org = $1 AND id IN ", add_set(keys.reference));
  }

  // A record the batch resolves rows against: stored (found by the
  // look-up) or new.
  struct Held {
    std::string id;
    int64_t revision = 0;             // stored; 0 when new
    std::vector<std::string> values;  // in the unique columns
    int64_t writes = 0;               // rows of the batch stored into it
    size_t last_row = 0;
  };
  std::vector<ImportOutcome> outcomes;
  bool moves = false;
  RETURN_IF_ERROR(db.Transact(TxMode::kReadWrite, [&](Transaction& tx) -> absl::Status {
    outcomes.assign(rows.size(), ImportOutcome{});  // a retried transaction starts again
    moves = false;
    const absl::Time now = absl::Now();
    ASSIGN_OR_RETURN(std::vector<Row> found, tx.Query(lookup, params));
    std::vector<Held> held;
    absl::flat_hash_set<std::string> ids, referenced;
    std::vector<absl::flat_hash_map<std::string, size_t>> holder(unique_count);
    auto hold = [&](size_t index, bool holds) {
      for (size_t u = 0; u < unique_count; ++u) {
        const std::string& value = held[index].values[u];
        if (value.empty()) continue;
        if (holds) {
          holder[u][value] = index;
        } else {
          holder[u].erase(value);
        }
      }
    };
    for (const Row& row : found) {
      if (row.Int(0) == 1) {
        referenced.insert(row.Text(1));
        continue;
      }
      held.push_back(Held{row.Text(1), row.Int(2), {}});
      for (size_t u = 0; u < unique_count; ++u) held.back().values.push_back(row.Text(3 + u));
      ids.insert(held.back().id);
      hold(held.size() - 1, true);
    }
    const size_t stored = held.size();
    const auto stored_holder = holder;

    // The rows in order, as row by row: match, refuse, check, store.
    for (size_t i = 0; i < rows.size(); ++i) {
      const T& row = rows[i];
      ImportOutcome& outcome = outcomes[i];
      const size_t m = row.external_id.empty() ? keys.fallback_match : external_id_key;
      const std::string& key = keys.unique[m].value(row);
      std::optional<size_t> existing;
      if (auto it = holder[m].find(key); !key.empty() && it != holder[m].end()) {
        existing = it->second;
      }
      if (existing && !upsert) {
        outcome.status =
            TakenError(absl::StrCat(keys.unique[m].column, " \"", key, "\""),
                       Name(org, held[*existing].id), "import with mode UPSERT to replace it");
        continue;
      }
      const std::string id = existing              ? held[*existing].id
                             : row.meta.id.empty() ? NewResourceId()
                                                   : row.meta.id;
      for (size_t u = 0; u < unique_count && outcome.status.ok(); ++u) {
        const std::string& value = keys.unique[u].value(row);
        auto it = holder[u].find(value);
        if (value.empty() || it == holder[u].end() || held[it->second].id == id) continue;
        outcome.status = TakenError(absl::StrCat(keys.unique[u].label, " \"", value, "\""),
                                    Name(org, held[it->second].id));
      }
      if (outcome.status.ok() && !keys.referenced_table.empty()) {
        const std::string& reference = keys.reference(row);
        if (!reference.empty() && !referenced.contains(reference)) {
          outcome.status = keys.missing(org, reference);
        }
      }
      if (!outcome.status.ok()) continue;
      size_t index = held.size();
      if (existing) {
        index = *existing;
        hold(index, false);
        outcome.replaced = true;
      } else {
        // Row by row, the insert of a taken id fails the batch.
        if (!ids.insert(id).second) return IdTakenError(org);
        held.push_back(Held{id});
      }
      Held& record = held[index];
      record.values.clear();
      for (const auto& u : keys.unique) record.values.push_back(u.value(row));
      ++record.writes;
      record.last_row = i;
      hold(index, true);
      outcome.id = id;
    }

    // Each record once, with its last row's columns and a revision for
    // every row stored into it.
    BulkRows updates{spec.table, UpdateColumns(), {}};
    BulkRows inserts{spec.table, InsertColumns(), {}};
    for (size_t r = 0; r < held.size(); ++r) {
      const Held& record = held[r];
      if (record.writes == 0) continue;
      BulkRows& into = r < stored ? updates : inserts;
      if (r < stored) {
        for (size_t u = 0; u < unique_count; ++u) {
          auto it = stored_holder[u].find(record.values[u]);
          if (it != stored_holder[u].end() && it->second != r) moves = true;
        }
        into.values.insert(into.values.end(),
                           {Value(org), Value(record.id), Value(record.revision + record.writes),
                            Value(ToMicros(now))});
      } else {
        into.values.insert(into.values.end(), {Value(org), Value(record.id), Value(record.writes),
                                               Value(ToMicros(now)), Value(ToMicros(now))});
      }
      const std::vector<Value>& data = columns[record.last_row];
      into.values.insert(into.values.end(), data.begin(), data.end());
    }
    if (moves) return absl::OkStatus();
    // The replaced records first: a value a stored record gave up may be
    // a new record's.
    RETURN_IF_ERROR(ReplaceFound(tx, updates));
    if (inserts.size() == 0) return absl::OkStatus();
    ASSIGN_OR_RETURN(std::vector<std::string> inserted, tx.InsertRows(inserts, "id"));
    if (inserted.size() != inserts.size()) return IdTakenError(org);
    return absl::OkStatus();
  }));
  if (moves) return std::optional<std::vector<ImportOutcome>>();
  return std::optional<std::vector<ImportOutcome>>(std::move(outcomes));
}

}  // namespace fazhi::sql

#endif  // FAZHI_SERVICES_COMMON_SQL_RECORD_TABLE_H_
