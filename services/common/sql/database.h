#ifndef FAZHI_SERVICES_COMMON_SQL_DATABASE_H_
#define FAZHI_SERVICES_COMMON_SQL_DATABASE_H_

// The small SQL interface every store is written against. A driver (SQLite
// now, PostgreSQL later) implements Database and Transaction; stores never
// see which one they run on.
//
// SQL text uses PostgreSQL-style positional parameters ($1, $2, …), which
// both drivers accept, and only portable syntax: TEXT/BIGINT/DOUBLE
// PRECISION columns, INSERT … ON CONFLICT, no AUTOINCREMENT.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace fazhi::sql {

// A parameter or column value. NULL is std::monostate.
using Value = std::variant<std::monostate, int64_t, double, std::string>;

inline Value Null() { return std::monostate{}; }

// One result row. Accessors coerce NULL to the zero value.
class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}

  size_t size() const { return values_.size(); }
  bool IsNull(size_t i) const { return std::holds_alternative<std::monostate>(values_[i]); }
  int64_t Int(size_t i) const;
  double Double(size_t i) const;
  bool Bool(size_t i) const { return Int(i) != 0; }
  // Text of a TEXT column; numbers are formatted.
  std::string Text(size_t i) const;
  const Value& operator[](size_t i) const { return values_[i]; }

 private:
  std::vector<Value> values_;
};

enum class TxMode {
  kReadOnly,
  kReadWrite,
  // One SELECT and nothing else, without BEGIN and COMMIT: a single
  // statement sees one consistent snapshot by itself, and on PostgreSQL
  // the two saved round trips are most of a one-record read. A second
  // statement or a write is refused (FAILED_PRECONDITION).
  kSingleRead,
};

// Rows of one table written in bulk (an import batch): `values` holds
// `columns.size()` values for each row, row after row.
struct BulkRows {
  std::string table;
  std::vector<std::string> columns;
  std::vector<Value> values;

  size_t size() const { return columns.empty() ? 0 : values.size() / columns.size(); }
};

// Statements run inside one transaction. Errors map to absl codes:
// unique/primary key violations → ALREADY_EXISTS, lock or connection
// trouble → UNAVAILABLE, anything else → INTERNAL.
//
// A statement that fails spoils its transaction on every driver (as
// PostgreSQL does): later statements fail too, and the body must return an
// error. So check first (e.g. SELECT for a duplicate) rather than try an
// insert and carry on after its failure.
class Transaction {
 public:
  virtual ~Transaction() = default;

  // Runs one statement; returns the number of rows it changed.
  virtual absl::StatusOr<int64_t> Execute(absl::string_view sql,
                                          absl::Span<const Value> params = {}) = 0;
  // Runs one query and returns all its rows.
  virtual absl::StatusOr<std::vector<Row>> Query(absl::string_view sql,
                                                 absl::Span<const Value> params = {}) = 0;
  // Runs a script of several statements without parameters (migrations).
  virtual absl::Status ExecuteScript(absl::string_view sql) = 0;

  // Inserts the rows whose unique keys are free and skips the others (ON
  // CONFLICT DO NOTHING); returns the values in column `returning` of the
  // rows inserted, in any order. In as few round trips as the driver can:
  // here, INSERTs of many rows each; PostgreSQL's driver COPYs many rows
  // straight into the table when none is taken, else into a temporary
  // table and inserts from it in one statement. Skipping
  // takes no read locks: concurrent SERIALIZABLE batches of other keys do
  // not conflict, as they would after a look-up of the same keys.
  virtual absl::StatusOr<std::vector<std::string>> InsertRows(const BulkRows& rows,
                                                              absl::string_view returning);
  // Replaces the other columns of the stored rows that the first
  // `key_columns` columns find; returns the number of rows changed. Here
  // one UPDATE a row; PostgreSQL's driver COPYs the rows into a temporary
  // table and updates from it in one statement.
  virtual absl::StatusOr<int64_t> UpdateRows(const BulkRows& rows, size_t key_columns);
};

enum class Dialect {
  kSqlite,
  kPostgres,
};

// SQL for the set of strings that parameter $`param` holds as a JSON array
// (`column IN <set>`): one statement text, prepared once, for a list of
// any length.
std::string JsonTextSet(Dialect dialect, int param);

// The transaction a kSingleRead body sees: one SELECT, passed to the
// driver's connection.
class SingleReadTransaction : public Transaction {
 public:
  explicit SingleReadTransaction(Transaction& connection) : connection_(connection) {}
  absl::StatusOr<int64_t> Execute(absl::string_view sql, absl::Span<const Value> params) override;
  absl::StatusOr<std::vector<Row>> Query(absl::string_view sql,
                                         absl::Span<const Value> params) override;
  absl::Status ExecuteScript(absl::string_view sql) override;

 private:
  Transaction& connection_;
  bool used_ = false;
};

// Work added to the current thread's read-write transactions just before
// they commit, so that it commits or rolls back with them: the audit record
// of the call that makes the change. Installed by the caller for the
// length of one call; a driver may run BeforeCommit again when it retries
// a transaction.
class CommitHook {
 public:
  virtual ~CommitHook() = default;
  // Inside the transaction, after its body succeeded; an error rolls the
  // transaction back.
  virtual absl::Status BeforeCommit(Transaction& tx) = 0;
  // The transaction BeforeCommit ran in has committed.
  virtual void Committed() = 0;
};

// The current thread's hook (null: none). Set returns the previous one.
CommitHook* ThreadCommitHook();
CommitHook* SetThreadCommitHook(CommitHook* hook);

class Database {
 public:
  virtual ~Database() = default;

  // Opens the file or connects; called once before any Transact.
  virtual absl::Status Open() = 0;
  virtual Dialect dialect() const = 0;
  // A description safe to log (no passwords).
  virtual std::string Describe() const = 0;

  // Runs `body` in a transaction: commits when it returns OK, rolls back
  // otherwise. A driver may run `body` again after a serialization failure,
  // so `body` must only touch the transaction and its own locals. Returns
  // body's error, or the commit's.
  virtual absl::Status Transact(TxMode mode,
                                absl::FunctionRef<absl::Status(Transaction&)> body) = 0;

  // Runs `body` holding a lock that other processes migrating the same
  // database also take (SQLite: the write lock; PostgreSQL: an advisory
  // lock), so concurrent replicas migrate once.
  virtual absl::Status WithMigrationLock(absl::FunctionRef<absl::Status()> body) = 0;

  // Where reads that may lag the latest commits by a little go: list pages
  // and dashboard summaries, which a standby can serve (--db_read). Without
  // a read URL, this database. Read-only modes only.
  virtual Database& StaleReads() { return *this; }
  // Whether a writable server answers now, within a few seconds; health is
  // NOT_SERVING while it fails. A driver may drop its connections then.
  virtual absl::Status CheckWritable() { return absl::OkStatus(); }
  // A name for the data as it stands: a read that began after this was
  // taken sees every write it names, and the name changes with every later
  // write (also one of another process). Answers carry it so a caller can
  // ask "changed since?" without a read (answer_etag.h). Unset when the
  // driver cannot tell (PostgreSQL: any replica may write).
  virtual std::optional<std::string> DataVersion() const { return std::nullopt; }
};

// Whether a failed write may have committed all the same (its COMMIT got no
// answer): callers must not say it was not stored.
bool MayHaveCommitted(const absl::Status& status);
absl::Status MarkMayHaveCommitted(absl::Status status);

// Opens a database from a URL: "sqlite:PATH" (PATH may be relative) or
// "postgresql://…" (libpq connection URI, possibly multi-host), with an
// optional second PostgreSQL URL for StaleReads. Does not connect yet.
absl::StatusOr<std::unique_ptr<Database>> CreateDatabase(absl::string_view url,
                                                         absl::string_view read_url = "");

}  // namespace fazhi::sql

#endif  // FAZHI_SERVICES_COMMON_SQL_DATABASE_H_
