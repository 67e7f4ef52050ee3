#include "services/common/sql/postgres_database.h"

#include <libpq-fe.h>

#include <chrono>
#include <thread>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/random/random.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/common/status_macros.h"

namespace fazhi::sql {
namespace {

// Type OIDs from pg_type.h; stable across PostgreSQL releases.
constexpr Oid kInt2 = 21, kInt4 = 23, kInt8 = 20, kFloat4 = 700, kFloat8 = 701, kNumeric = 1700,
              kBool = 16;

// Any 64-bit key works; this one names fazhi's schema migrations.
constexpr int64_t kMigrationLockKey = 0x66617a6869;  // "fazhi"
// Every read-write transaction holds this advisory lock shared; one that
// lost kExclusiveAfter serialization races takes it exclusively, before
// its BEGIN (so its snapshot is taken once the other writers are done),
// and so runs with no other writer of the database (any replica) beside
// it. A long transaction (an import batch) among a stream of short writers
// to the same rows could otherwise lose every retry.
constexpr int64_t kWriteGateKey = 0x66617a6877;  // "fazhw"
constexpr int kExclusiveAfter = 3;

absl::Status ResultError(const PGresult* result, PGconn* conn, absl::string_view what) {
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const std::string sqlstate = state ? state : "";
  std::string message = absl::StrCat(what, ": ", result ? PQresultErrorMessage(result) : PQerrorMessage(conn));
  if (sqlstate == "23505") return absl::AlreadyExistsError(message);
  if (absl::StartsWith(sqlstate, "23")) return absl::FailedPreconditionError(message);
  if (sqlstate == "40001" || sqlstate == "40P01") return absl::AbortedError(message);
  if (sqlstate == "57014") return absl::DeadlineExceededError(message);
  if (absl::StartsWith(sqlstate, "08") || PQstatus(conn) != CONNECTION_OK) {
    return absl::UnavailableError(message);
  }
  return absl::InternalError(message);
}

bool IsSerializationFailure(const absl::Status& status) {
  return absl::IsAborted(status) &&
         (absl::StrContains(status.message(), "could not serialize") ||
          absl::StrContains(status.message(), "deadlock"));
}

using ResultPtr = std::unique_ptr<PGresult, decltype(&PQclear)>;

}  // namespace

class PostgresDatabase::Connection : public Transaction {
 public:
  ~Connection() override {
    if (conn_ != nullptr) PQfinish(conn_);
  }

  absl::Status Connect(const std::string& url, const PostgresOptions& options) {
    conn_ = PQconnectdb(url.c_str());
    if (PQstatus(conn_) != CONNECTION_OK) {
      return absl::UnavailableError(
          absl::StrCat("connect to ", RedactPostgresUrl(url), ": ", PQerrorMessage(conn_)));
    }
    return ExecuteScript(absl::StrFormat(
        "SET statement_timeout = %d; SET client_min_messages = warning; SET TIME ZONE 'UTC'",
        static_cast<int>(absl::ToInt64Milliseconds(options.statement_timeout))));
  }

  // A broken connection (server restart) is replaced rather than reused.
  bool Healthy() const { return PQstatus(conn_) == CONNECTION_OK; }

  // The first failure of the current transaction (PostgreSQL ignores every
  // later statement), cleared when a transaction begins.
  const absl::Status& spoiled() const { return spoiled_; }
  void BeginTracking() { spoiled_ = absl::OkStatus(); }

  absl::StatusOr<int64_t> Execute(absl::string_view sql, absl::Span<const Value> params) override {
    ASSIGN_OR_RETURN(ResultPtr result, Tracked(Run(sql, params)));
    const char* affected = PQcmdTuples(result.get());
    int64_t changed = 0;
    if (affected != nullptr && *affected != '\0') absl::SimpleAtoi(affected, &changed);
    return changed;
  }

  absl::StatusOr<std::vector<Row>> Query(absl::string_view sql,
                                         absl::Span<const Value> params) override {
    ASSIGN_OR_RETURN(ResultPtr result, Tracked(Run(sql, params)));
    const int rows = PQntuples(result.get());
    const int columns = PQnfields(result.get());
    std::vector<Row> out;
    out.reserve(rows);
    for (int r = 0; r < rows; ++r) {
      std::vector<Value> values;
      values.reserve(columns);
      for (int c = 0; c < columns; ++c) {
        if (PQgetisnull(result.get(), r, c)) {
          values.emplace_back(std::monostate{});
          continue;
        }
        const char* text = PQgetvalue(result.get(), r, c);
        const Oid type = PQftype(result.get(), c);
        if (type == kInt2 || type == kInt4 || type == kInt8) {
          int64_t n = 0;
          absl::SimpleAtoi(text, &n);
          values.emplace_back(n);
        } else if (type == kFloat4 || type == kFloat8 || type == kNumeric) {
          double d = 0;
          absl::SimpleAtod(text, &d);
          values.emplace_back(d);
        } else if (type == kBool) {
          values.emplace_back(int64_t{text[0] == 't' ? 1 : 0});
        } else {
          values.emplace_back(std::string(text, PQgetlength(result.get(), r, c)));
        }
      }
      out.emplace_back(std::move(values));
    }
    return out;
  }

  absl::Status ExecuteScript(absl::string_view sql) override {
    ResultPtr result(PQexec(conn_, std::string(sql).c_str()), &PQclear);
    const auto status = PQresultStatus(result.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      absl::Status error = ResultError(result.get(), conn_, "script");
      if (spoiled_.ok()) spoiled_ = error;
      return error;
    }
    return absl::OkStatus();
  }

 private:
  absl::StatusOr<ResultPtr> Tracked(absl::StatusOr<ResultPtr> result) {
    if (!result.ok() && spoiled_.ok()) spoiled_ = result.status();
    return result;
  }

  // Prepares `sql` once per connection, then executes it with text
  // parameters; the server infers their types from the statement.
  absl::StatusOr<ResultPtr> Run(absl::string_view sql, absl::Span<const Value> params) {
    auto it = prepared_.find(sql);
    if (it == prepared_.end()) {
      std::string name = absl::StrCat("s", prepared_.size());
      ResultPtr prepared(PQprepare(conn_, name.c_str(), std::string(sql).c_str(), 0, nullptr), &PQclear);
      if (PQresultStatus(prepared.get()) != PGRES_COMMAND_OK) {
        return ResultError(prepared.get(), conn_, absl::StrCat("prepare ", sql));
      }
      it = prepared_.emplace(std::string(sql), std::move(name)).first;
    }
    std::vector<std::string> texts(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (size_t i = 0; i < params.size(); ++i) {
      const Value& v = params[i];
      if (const auto* n = std::get_if<int64_t>(&v)) {
        texts[i] = absl::StrCat(*n);
      } else if (const auto* d = std::get_if<double>(&v)) {
        texts[i] = absl::StrFormat("%.17g", *d);
      } else if (const auto* s = std::get_if<std::string>(&v)) {
        texts[i] = *s;
      } else {
        continue;  // NULL
      }
      values[i] = texts[i].c_str();
    }
    ResultPtr result(PQexecPrepared(conn_, it->second.c_str(), static_cast<int>(params.size()),
                                    values.data(), nullptr, nullptr, 0),
                     &PQclear);
    const auto status = PQresultStatus(result.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      return ResultError(result.get(), conn_, "statement");
    }
    return result;
  }

  PGconn* conn_ = nullptr;
  absl::flat_hash_map<std::string, std::string> prepared_;
  absl::Status spoiled_;
};

std::string RedactPostgresUrl(const std::string& url) {
  // postgresql://user:password@host/db → postgresql://user:***@host/db
  const auto scheme = url.find("://");
  const auto at = url.find('@');
  if (scheme == std::string::npos || at == std::string::npos) return url;
  const auto colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

PostgresDatabase::PostgresDatabase(std::string url, PostgresOptions options)
    : url_(std::move(url)), options_(options) {}

PostgresDatabase::~PostgresDatabase() = default;

std::string PostgresDatabase::Describe() const { return RedactPostgresUrl(url_); }

absl::Status PostgresDatabase::Open() {
  ASSIGN_OR_RETURN(auto connection, Acquire());
  {
    std::lock_guard<std::mutex> lock(mutex_);
    opened_ = true;
  }
  Release(std::move(connection));
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<PostgresDatabase::Connection>> PostgresDatabase::Acquire() {
  std::unique_lock<std::mutex> lock(mutex_);
  available_.wait(lock, [this] { return !idle_.empty() || open_connections_ < options_.pool_size; });
  if (!idle_.empty()) {
    auto connection = std::move(idle_.back());
    idle_.pop_back();
    if (connection->Healthy()) return connection;
    --open_connections_;
  }
  ++open_connections_;
  lock.unlock();
  auto connection = std::make_unique<Connection>();
  absl::Status connected = connection->Connect(url_, options_);
  if (!connected.ok()) {
    lock.lock();
    --open_connections_;
    available_.notify_one();
    return connected;
  }
  return connection;
}

void PostgresDatabase::Release(std::unique_ptr<Connection> connection) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (connection->Healthy()) {
      idle_.push_back(std::move(connection));
    } else {
      --open_connections_;
    }
  }
  available_.notify_one();
}

absl::Status PostgresDatabase::Transact(TxMode mode,
                                        absl::FunctionRef<absl::Status(Transaction&)> body) {
  if (mode == TxMode::kSingleRead) {
    // Autocommit: the one statement is its own transaction and snapshot.
    ASSIGN_OR_RETURN(auto connection, Acquire());
    connection->BeginTracking();
    SingleReadTransaction single(*connection);
    absl::Status status = body(single);
    Release(std::move(connection));
    return status;
  }
  for (int attempt = 0;; ++attempt) {
    ASSIGN_OR_RETURN(auto connection, Acquire());
    connection->BeginTracking();
    // One round trip: BEGIN and the shared write gate in one script.
    static const std::string* const begin_shared = new std::string(absl::StrCat(
        "BEGIN ISOLATION LEVEL SERIALIZABLE; SELECT pg_advisory_xact_lock_shared(", kWriteGateKey, ")"));
    static const std::string* const lock_exclusive =
        new std::string(absl::StrCat("SELECT pg_advisory_lock(", kWriteGateKey, ")"));
    static const std::string* const unlock_exclusive =
        new std::string(absl::StrCat("SELECT pg_advisory_unlock(", kWriteGateKey, ")"));
    const bool exclusive = mode == TxMode::kReadWrite && attempt >= kExclusiveAfter;
    absl::Status status = exclusive ? connection->ExecuteScript(*lock_exclusive) : absl::OkStatus();
    if (status.ok()) {
      status = connection->ExecuteScript(mode != TxMode::kReadWrite
                                             ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
                                         : exclusive ? "BEGIN ISOLATION LEVEL SERIALIZABLE"
                                                     : begin_shared->c_str());
    }
    if (status.ok()) {
      status = body(*connection);
      // A body that swallowed a statement's failure must not report success:
      // COMMIT of a failed PostgreSQL transaction silently rolls back.
      if (status.ok()) status = connection->spoiled();
      CommitHook* hook = mode == TxMode::kReadWrite ? ThreadCommitHook() : nullptr;
      if (status.ok() && hook != nullptr) status = hook->BeforeCommit(*connection);
      if (status.ok()) status = connection->spoiled();
      if (status.ok()) status = connection->ExecuteScript("COMMIT");
      if (status.ok() && hook != nullptr) hook->Committed();
      if (!status.ok()) connection->ExecuteScript("ROLLBACK").IgnoreError();
    }
    // A session lock outlives the transaction: give it back before the
    // connection returns to the pool (a broken connection took it along).
    if (exclusive) connection->ExecuteScript(*unlock_exclusive).IgnoreError();
    Release(std::move(connection));
    if (!IsSerializationFailure(status) || attempt >= options_.serialization_retries) return status;
    // Jittered, growing pause so the losers of a race do not collide again.
    static thread_local absl::BitGen gen;
    const int cap_ms = std::min(200, 2 << attempt);
    std::this_thread::sleep_for(std::chrono::milliseconds(absl::Uniform(gen, 1, cap_ms + 1)));
  }
}

absl::Status PostgresDatabase::WithMigrationLock(absl::FunctionRef<absl::Status()> body) {
  // A session-level advisory lock held on one pooled connection while the
  // migrations run on others: replicas starting together migrate in turn.
  ASSIGN_OR_RETURN(auto holder, Acquire());
  absl::Status status = holder->Query("SELECT pg_advisory_lock($1)", {Value(kMigrationLockKey)}).status();
  if (status.ok()) {
    status = body();
    holder->Query("SELECT pg_advisory_unlock($1)", {Value(kMigrationLockKey)}).status().IgnoreError();
  }
  Release(std::move(holder));
  return status;
}

}  // namespace fazhi::sql
