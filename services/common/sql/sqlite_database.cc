#include "services/common/sql/sqlite_database.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/random/random.h"
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

// What every SqliteDatabase of this process on one file shares: whether
// the process holds the file's writer lock, and how many write
// transactions it has ended since. Kept by the databases that use it.
class SqliteDatabase::FileState {
 public:
  explicit FileState(std::string path) : path_(std::move(path)), life_(RandomLife()) {}
  ~FileState() {
    if (lock_fd_ >= 0) close(lock_fd_);  // releases the lock
  }

  // The state of the file `path` names, shared with every database of the
  // process open on the same file (however the path is spelled).
  static absl::StatusOr<std::shared_ptr<FileState>> For(const std::string& path) {
    struct stat st;
    if (stat(path.c_str(), &st) != 0) {
      return absl::UnavailableError(absl::StrCat("stat ", path, ": ", std::strerror(errno)));
    }
    static std::mutex* const mu = new std::mutex;
    static auto* const states = new std::map<std::pair<dev_t, ino_t>, std::weak_ptr<FileState>>;
    std::lock_guard<std::mutex> lock(*mu);
    std::weak_ptr<FileState>& entry = (*states)[{st.st_dev, st.st_ino}];
    std::shared_ptr<FileState> state = entry.lock();
    if (state == nullptr) {
      state = std::make_shared<FileState>(path);
      entry = state;
    }
    return state;
  }

  // Takes the file's writer lock for the life of the process's databases on
  // it, or FAILED_PRECONDITION when another process holds it. A lock file
  // beside the database, never the database itself: closing any descriptor
  // of the database file would drop SQLite's own locks on it.
  absl::Status BecomeWriter() {
    if (sole_writer_.load(std::memory_order_acquire)) return absl::OkStatus();
    std::lock_guard<std::mutex> lock(mu_);
    if (sole_writer_.load(std::memory_order_relaxed)) return absl::OkStatus();
    const std::string lock_path = absl::StrCat(path_, "-lock");
    const int fd = open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
      return absl::UnavailableError(absl::StrCat("open ", lock_path, ": ", std::strerror(errno)));
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
      const int error = errno;
      close(fd);
      if (error == EWOULDBLOCK) {
        return absl::FailedPreconditionError(
            absl::StrCat("another process writes ", path_,
                         ": one process at a time serves a SQLite file (stop the other first)"));
      }
      return absl::UnavailableError(absl::StrCat("lock ", lock_path, ": ", std::strerror(error)));
    }
    lock_fd_ = fd;
    sole_writer_.store(true, std::memory_order_release);
    return absl::OkStatus();
  }

  // True once this process holds the writer lock: then every commit to the
  // file is one of this process's, counted in commits().
  bool sole_writer() const { return sole_writer_.load(std::memory_order_acquire); }
  uint64_t commits() const { return commits_.load(std::memory_order_acquire); }
  // After every write transaction, before its caller hears of the result.
  void WriteEnded() { commits_.fetch_add(1, std::memory_order_acq_rel); }
  // Names this state's life: counts of another life (an earlier process on
  // the file) never compare equal.
  const std::string& life() const { return life_; }

 private:
  static std::string RandomLife() {
    absl::BitGen random;
    return absl::StrCat(absl::Hex(absl::Uniform<uint64_t>(random), absl::kZeroPad16));
  }

  const std::string path_;
  const std::string life_;
  std::mutex mu_;
  int lock_fd_ = -1;
  std::atomic<bool> sole_writer_{false};
  std::atomic<uint64_t> commits_{0};
};

class SqliteDatabase::Connection : public Transaction {
 public:
  Connection() = default;
  ~Connection() override {
    if (snapshot_) EndSnapshot();
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

  // A read transaction kept open from one read to the next, and the
  // file's commit count read before it began (SqliteDatabase::Transact).
  bool has_snapshot() const { return snapshot_.has_value(); }
  uint64_t snapshot_commits() const { return *snapshot_; }
  absl::Status BeginSnapshot(uint64_t commits) {
    RETURN_IF_ERROR(Control("BEGIN DEFERRED"));
    snapshot_ = commits;
    return absl::OkStatus();
  }
  void EndSnapshot() {
    snapshot_.reset();
    Control("ROLLBACK").IgnoreError();  // a read-only transaction: ends it
  }

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
    // Every parameter is bound again below, so the last call's bindings
    // need no clearing.
    sqlite3_stmt* stmt = it->second.stmt;
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
        // Not copied: `params` outlive every step of this use, and the next
        // use binds every parameter afresh before it steps.
        rc = sqlite3_bind_text64(stmt, index, s->data(), s->size(), SQLITE_STATIC, SQLITE_UTF8);
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
  std::optional<uint64_t> snapshot_;
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

std::optional<std::string> SqliteDatabase::DataVersion() const {
  // Another process may write until this one holds the writer lock.
  if (file_ == nullptr || !file_->sole_writer()) return std::nullopt;
  return absl::StrCat(file_->life(), ".", file_->commits());
}

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
  checkpointer_->InstallOn(writer->handle());      // replaces SQLite's own checkpoints
  ASSIGN_OR_RETURN(file_, FileState::For(path_));  // the file exists now
  writer_ = std::move(writer);
  opened_.store(true, std::memory_order_release);
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
  if (!opened_.load(std::memory_order_acquire)) {
    return absl::FailedPreconditionError("database is not open");
  }
  if (mode == TxMode::kReadWrite) {
    absl::Status status = Write(body);
    EndStaleSnapshots();
    return status;
  }
  std::unique_ptr<Connection> connection = Acquire();
  absl::Status status = Read(mode, *connection, body);
  Release(std::move(connection));
  return status;
}

// Reads keep their connection's read transaction open for the next read
// while this process is the file's only writer and has not written since
// it began: beginning and ending a read transaction (the WAL's read lock,
// taken and dropped with fcntl under a mutex the readers share) cost a
// single-row read about a quarter of its CPU. The snapshot is exactly what
// a new transaction would see, because every commit to the file is this
// process's and counted: the count is read before the snapshot begins, and
// a write counts itself before its caller learns of it.
absl::Status SqliteDatabase::Read(TxMode mode, Connection& connection,
                                  absl::FunctionRef<absl::Status(Transaction&)> body) {
  const bool keep = file_->sole_writer();
  const uint64_t commits = file_->commits();
  if (connection.has_snapshot() && (!keep || connection.snapshot_commits() != commits)) {
    connection.EndSnapshot();
  }
  if (keep && !connection.has_snapshot()) RETURN_IF_ERROR(connection.BeginSnapshot(commits));
  // Without a kept snapshot a single statement runs on its own (autocommit)
  // and a longer read in a transaction of its own.
  const bool own_transaction = !keep && mode != TxMode::kSingleRead;
  if (own_transaction) RETURN_IF_ERROR(connection.Control("BEGIN DEFERRED"));
  connection.ClearFailure();
  absl::Status status;
  if (mode == TxMode::kSingleRead) {
    SingleReadTransaction single(connection);
    status = body(single);
  } else {
    status = body(connection);
  }
  if (status.ok() && (keep || own_transaction)) status = connection.spoiled();
  if (own_transaction) {
    if (status.ok()) status = connection.Control("COMMIT");
    if (!status.ok()) connection.Control("ROLLBACK").IgnoreError();
  } else if (keep && !status.ok()) {
    // A failed statement may have ended the transaction (SQLite rolls back
    // on some errors): begin afresh next time.
    connection.EndSnapshot();
  }
  connection.ClearFailure();
  return status;
}

absl::Status SqliteDatabase::Write(absl::FunctionRef<absl::Status(Transaction&)> body) {
  // The first write takes the file's writer lock: a second process writing
  // the file would make the kept snapshots above stale.
  RETURN_IF_ERROR(file_->BecomeWriter());
  std::lock_guard<std::mutex> write_lock(write_mutex_);
  std::unique_ptr<Connection> connection = std::move(writer_);
  // IMMEDIATE takes the write lock up front so a writer never fails midway
  // on a lock upgrade.
  absl::Status status = connection->Control("BEGIN IMMEDIATE");
  if (status.ok()) {
    status = body(*connection);
    // A body that swallowed a statement's failure still must not commit.
    if (status.ok()) status = connection->spoiled();
    CommitHook* hook = ThreadCommitHook();
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
    file_->WriteEnded();  // committed or not: a kept snapshot begins anew
  }
  writer_ = std::move(connection);
  return status;
}

// Idle connections' snapshots that a write made stale are ended at once,
// not at their next read: a snapshot still open keeps the WAL from being
// checkpointed past it, and an idle service might not read for long.
void SqliteDatabase::EndStaleSnapshots() {
  const uint64_t commits = file_->commits();
  std::lock_guard<std::mutex> lock(pool_mutex_);
  for (auto& connection : idle_) {
    if (connection->has_snapshot() && connection->snapshot_commits() != commits) {
      connection->EndSnapshot();
    }
  }
}

absl::Status SqliteDatabase::WithMigrationLock(absl::FunctionRef<absl::Status()> body) {
  // Each migration step re-reads the applied versions inside its own
  // BEGIN IMMEDIATE transaction, which already excludes other processes.
  return body();
}

}  // namespace fazhi::sql
