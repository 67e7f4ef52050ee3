#include "services/common/sql/sqlite_database.h"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "services/common/status_macros.h"
#include "spdlog/spdlog.h"

namespace fazhi::sql {
namespace {

absl::Status SqliteError(sqlite3* db, int rc, absl::string_view what) {
  std::string message = absl::StrCat(what, ": ", db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT: {
      int extended = db ? sqlite3_extended_errcode(db) : rc;
      if (extended == SQLITE_CONSTRAINT_UNIQUE || extended == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return absl::AlreadyExistsError(message);
      }
      return absl::FailedPreconditionError(message);
    }
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
      return absl::UnavailableError(message);
    default:
      return absl::InternalError(message);
  }
}

// SQLite's memory statistics take a process-wide mutex around every
// allocation, which two threads reading at once fought over (futex calls
// in a small read's profile); nothing here reads the statistics. Must run
// before the library initializes, so before the first connection opens.
void TurnOffMemoryStatistics() {
  static const int once = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)once;  // SQLITE_MISUSE if something initialized SQLite earlier: harmless
}

}  // namespace

class SqliteDatabase::Connection : public Transaction {
 public:
  Connection() = default;
  ~Connection() override {
    for (auto& [sql, prepared] : statements_) sqlite3_finalize(prepared.stmt);
    if (db_ != nullptr) sqlite3_close_v2(db_);
  }

  // `cache_kib`: this connection's page cache, when not SQLite's default.
  absl::Status Open(const std::string& path, const SqliteOptions& options, int cache_kib = 0) {
    TurnOffMemoryStatistics();
    int rc =
        sqlite3_open_v2(path.c_str(), &db_,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) return SqliteError(db_, rc, absl::StrCat("open ", path));
    sqlite3_busy_timeout(db_, options.busy_timeout_ms);
    sqlite3_extended_result_codes(db_, 1);
    RETURN_IF_ERROR(
        RawScript("PRAGMA journal_mode=WAL;"
                  "PRAGMA synchronous=FULL;"
                  "PRAGMA foreign_keys=ON;"));
    if (cache_kib > 0)
      RETURN_IF_ERROR(RawScript(absl::StrCat("PRAGMA cache_size=-", cache_kib, ";")));
    return absl::OkStatus();
  }

  sqlite3* handle() { return db_; }

  // Starts, ends or abandons a transaction (not subject to the spoiling
  // rule). Prepared once per connection like every statement: compiling
  // BEGIN and COMMIT again for every transaction cost a single-row read a
  // measurable share of its time.
  absl::Status Control(const char* sql) {
    spoiled_ = absl::OkStatus();
    return ExecuteOnce(sql, {}).status();
  }

  // The first failure of the current transaction, if any.
  const absl::Status& spoiled() const { return spoiled_; }
  // For statements outside a transaction (kSingleRead): one failure must
  // not spoil the next caller's statement.
  void ClearFailure() { spoiled_ = absl::OkStatus(); }

  absl::StatusOr<int64_t> Execute(absl::string_view sql, absl::Span<const Value> params) override {
    RETURN_IF_ERROR(spoiled_);
    absl::StatusOr<int64_t> result = ExecuteOnce(sql, params);
    Spoil(result.status());
    return result;
  }

  absl::StatusOr<std::vector<Row>> Query(absl::string_view sql,
                                         absl::Span<const Value> params) override {
    RETURN_IF_ERROR(spoiled_);
    absl::StatusOr<std::vector<Row>> result = QueryOnce(sql, params);
    Spoil(result.status());
    return result;
  }

  absl::Status ExecuteScript(absl::string_view sql) override {
    RETURN_IF_ERROR(spoiled_);
    absl::Status result = RawScript(sql);
    Spoil(result);
    return result;
  }

 private:
  void Spoil(const absl::Status& status) {
    if (!status.ok() && spoiled_.ok()) {
      spoiled_ = absl::Status(status.code(),
                              absl::StrCat("the transaction already failed: ", status.message()));
    }
  }

  absl::StatusOr<int64_t> ExecuteOnce(absl::string_view sql, absl::Span<const Value> params) {
    ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql, params));
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    }
    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE) return SqliteError(db_, rc, "execute");
    return sqlite3_changes64(db_);
  }

  absl::StatusOr<std::vector<Row>> QueryOnce(absl::string_view sql,
                                             absl::Span<const Value> params) {
    ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql, params));
    std::vector<Row> rows;
    const int columns = sqlite3_column_count(stmt);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      std::vector<Value> values;
      values.reserve(columns);
      for (int c = 0; c < columns; ++c) {
        switch (sqlite3_column_type(stmt, c)) {
          case SQLITE_INTEGER:
            values.emplace_back(static_cast<int64_t>(sqlite3_column_int64(stmt, c)));
            break;
          case SQLITE_FLOAT:
            values.emplace_back(sqlite3_column_double(stmt, c));
            break;
          case SQLITE_NULL:
            values.emplace_back(std::monostate{});
            break;
          default: {
            const auto* text = reinterpret_cast<const char*>(sqlite3_column_blob(stmt, c));
            values.emplace_back(std::string(text ? text : "", sqlite3_column_bytes(stmt, c)));
          }
        }
      }
      rows.emplace_back(std::move(values));
    }
    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE) return SqliteError(db_, rc, "query");
    return rows;
  }

  absl::Status RawScript(absl::string_view sql) {
    std::string script(sql);
    char* error = nullptr;
    int rc = sqlite3_exec(db_, script.c_str(), nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
      absl::Status status = SqliteError(db_, rc, absl::StrCat("script: ", error ? error : ""));
      sqlite3_free(error);
      return status;
    }
    return absl::OkStatus();
  }

  // A prepared statement and, for each of its parameters, the position in
  // `params` its $N names, worked out once: SQLite finds a parameter's name
  // by a linear search, which made binding a multi-row INSERT's thousand
  // parameters by name quadratic.
  struct Prepared {
    sqlite3_stmt* stmt = nullptr;
    std::vector<int> positions;
  };

  // Returns the cached statement for `sql`, reset and bound to `params`.
  // $N in the text binds params[N-1], wherever and however often it occurs.
  absl::StatusOr<sqlite3_stmt*> Prepare(absl::string_view sql, absl::Span<const Value> params) {
    auto it = statements_.find(sql);
    if (it == statements_.end()) {
      Prepared prepared;
      int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                  SQLITE_PREPARE_PERSISTENT, &prepared.stmt, nullptr);
      if (rc != SQLITE_OK) return SqliteError(db_, rc, absl::StrCat("prepare ", sql));
      const int declared = sqlite3_bind_parameter_count(prepared.stmt);
      for (int index = 1; index <= declared; ++index) {
        const char* name = sqlite3_bind_parameter_name(prepared.stmt, index);
        int position = 0;
        if (name == nullptr || name[0] != '$' || !absl::SimpleAtoi(name + 1, &position) ||
            position < 1) {
          sqlite3_finalize(prepared.stmt);
          return absl::InternalError(
              absl::StrCat("statement parameter ", name ? name : "?", " is not $N: ", sql));
        }
        prepared.positions.push_back(position);
      }
      it = statements_.emplace(std::string(sql), std::move(prepared)).first;
    }
    sqlite3_stmt* stmt = it->second.stmt;
    sqlite3_clear_bindings(stmt);
    const std::vector<int>& positions = it->second.positions;
    for (size_t i = 0; i < positions.size(); ++i) {
      const int index = static_cast<int>(i) + 1;
      const int position = positions[i];
      if (position > static_cast<int>(params.size())) {
        return absl::InternalError(
            absl::StrCat("statement parameter $", position, " has no value: ", sql));
      }
      const Value& value = params[position - 1];
      int rc = SQLITE_OK;
      if (const auto* n = std::get_if<int64_t>(&value)) {
        rc = sqlite3_bind_int64(stmt, index, *n);
      } else if (const auto* d = std::get_if<double>(&value)) {
        rc = sqlite3_bind_double(stmt, index, *d);
      } else if (const auto* s = std::get_if<std::string>(&value)) {
        rc = sqlite3_bind_text64(stmt, index, s->data(), s->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
      } else {
        rc = sqlite3_bind_null(stmt, index);
      }
      if (rc != SQLITE_OK) return SqliteError(db_, rc, "bind");
    }
    return stmt;
  }

  sqlite3* db_ = nullptr;
  absl::flat_hash_map<std::string, Prepared> statements_;
  absl::Status spoiled_;  // the first failure in the current transaction
};

// The WAL's checkpoints on a thread and connection of their own; the
// writer's WAL hook wakes it after a commit that leaves the WAL long.
class SqliteDatabase::Checkpointer {
 public:
  // `own` is the thread's connection; without one (checkpoint_pages 0) no
  // thread runs and the writer checkpoints past writer_checkpoint_pages.
  Checkpointer(std::unique_ptr<Connection> own, const SqliteOptions& options)
      : own_(std::move(own)),
        start_pages_(own_ ? options.checkpoint_pages : 0),
        writer_pages_(std::max(options.writer_checkpoint_pages, 1)) {
    if (own_) thread_ = std::thread([this] { Run(); });
  }

  ~Checkpointer() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_one();
    if (thread_.joinable()) thread_.join();
  }

  void InstallOn(sqlite3* writer) { sqlite3_wal_hook(writer, &Checkpointer::Hook, this); }
  int64_t done() const { return done_.load(); }

 private:
  // Called by SQLite after every commit of the writer with the WAL's length.
  static int Hook(void* self, sqlite3* db, const char* schema, int pages) {
    auto* checkpointer = static_cast<Checkpointer*>(self);
    if (pages >= checkpointer->writer_pages_) {
      // The thread fell behind (or a reader held the WAL): bound it here.
      sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    } else if (checkpointer->start_pages_ > 0 && pages >= checkpointer->start_pages_) {
      {
        std::lock_guard<std::mutex> lock(checkpointer->mu_);
        checkpointer->wanted_ = true;
      }
      checkpointer->cv_.notify_one();
    }
    return SQLITE_OK;
  }

  void Run() {
    std::unique_lock<std::mutex> lock(mu_);
    while (true) {
      cv_.wait(lock, [this] { return wanted_ || stop_; });
      if (stop_) return;
      wanted_ = false;
      lock.unlock();
      // PASSIVE never waits: what a reader still needs stays in the WAL for
      // the next round. SQLITE_BUSY means another checkpoint ran meanwhile.
      const int rc = sqlite3_wal_checkpoint_v2(own_->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                               nullptr, nullptr);
      if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
        spdlog::warn("sqlite: background checkpoint failed: {}", sqlite3_errstr(rc));
      }
      done_.fetch_add(1);
      lock.lock();
    }
  }

  std::unique_ptr<Connection> own_;
  const int start_pages_;
  const int writer_pages_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool wanted_ = false;
  bool stop_ = false;
  std::atomic<int64_t> done_{0};
  std::thread thread_;  // started once the rest is ready
};

SqliteDatabase::SqliteDatabase(std::string path, SqliteOptions options)
    : path_(std::move(path)), options_(options) {}

SqliteDatabase::~SqliteDatabase() = default;

int64_t SqliteDatabase::background_checkpoints() const {
  return checkpointer_ ? checkpointer_->done() : 0;
}

std::string SqliteDatabase::Describe() const { return absl::StrCat("sqlite:", path_); }

absl::Status SqliteDatabase::Open() {
  std::lock_guard<std::mutex> lock(pool_mutex_);
  if (opened_) return absl::OkStatus();
  for (int i = 0; i < std::max(1, options_.pool_size); ++i) {
    auto connection = std::make_unique<Connection>();
    RETURN_IF_ERROR(connection->Open(path_, options_));
    idle_.push_back(std::move(connection));
  }
  auto writer = std::make_unique<Connection>();
  RETURN_IF_ERROR(writer->Open(path_, options_, options_.writer_cache_kib));
  std::unique_ptr<Connection> own;
  if (options_.checkpoint_pages > 0) {
    own = std::make_unique<Connection>();
    RETURN_IF_ERROR(own->Open(path_, options_));
  }
  checkpointer_ = std::make_unique<Checkpointer>(std::move(own), options_);
  checkpointer_->InstallOn(writer->handle());  // replaces SQLite's own checkpoints
  writer_ = std::move(writer);
  opened_ = true;
  return absl::OkStatus();
}

std::unique_ptr<SqliteDatabase::Connection> SqliteDatabase::Acquire() {
  std::unique_lock<std::mutex> lock(pool_mutex_);
  pool_cv_.wait(lock, [this] { return !idle_.empty(); });
  auto connection = std::move(idle_.back());
  idle_.pop_back();
  return connection;
}

void SqliteDatabase::Release(std::unique_ptr<Connection> connection) {
  {
    std::lock_guard<std::mutex> lock(pool_mutex_);
    idle_.push_back(std::move(connection));
  }
  pool_cv_.notify_one();
}

absl::Status SqliteDatabase::Transact(TxMode mode,
                                      absl::FunctionRef<absl::Status(Transaction&)> body) {
  {
    std::lock_guard<std::mutex> lock(pool_mutex_);
    if (!opened_) return absl::FailedPreconditionError("database is not open");
  }
  if (mode == TxMode::kSingleRead) {
    std::unique_ptr<Connection> connection = Acquire();
    connection->ClearFailure();
    SingleReadTransaction single(*connection);
    absl::Status status = body(single);
    connection->ClearFailure();
    Release(std::move(connection));
    return status;
  }
  std::unique_lock<std::mutex> write_lock(write_mutex_, std::defer_lock);
  std::unique_ptr<Connection> connection;
  if (mode == TxMode::kReadWrite) {
    write_lock.lock();
    connection = std::move(writer_);
  } else {
    connection = Acquire();
  }
  // IMMEDIATE takes the write lock up front so a writer never fails midway
  // on a lock upgrade; readers see one snapshot for the whole transaction.
  absl::Status status =
      connection->Control(mode == TxMode::kReadWrite ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
  if (status.ok()) {
    status = body(*connection);
    // A body that swallowed a statement's failure still must not commit.
    if (status.ok()) status = connection->spoiled();
    CommitHook* hook = mode == TxMode::kReadWrite ? ThreadCommitHook() : nullptr;
    if (status.ok() && hook != nullptr) status = hook->BeforeCommit(*connection);
    if (status.ok()) status = connection->spoiled();
    if (status.ok()) {
      status = connection->Control("COMMIT");
      if (status.ok() && hook != nullptr) hook->Committed();
    }
    if (!status.ok()) {
      // Fails harmlessly when COMMIT already ended the transaction.
      connection->Control("ROLLBACK").IgnoreError();
    }
  }
  if (mode == TxMode::kReadWrite) {
    writer_ = std::move(connection);
  } else {
    Release(std::move(connection));
  }
  return status;
}

absl::Status SqliteDatabase::WithMigrationLock(absl::FunctionRef<absl::Status()> body) {
  // Each migration step re-reads the applied versions inside its own
  // BEGIN IMMEDIATE transaction, which already excludes other processes.
  return body();
}

}  // namespace fazhi::sql
