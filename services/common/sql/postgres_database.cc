#include "services/common/sql/postgres_database.h"

#include <libpq-fe.h>
#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <functional>
#include <future>
#include <optional>
#include <thread>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/random/random.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "services/common/sql/columns.h"
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

// SQLSTATEs of a server that cannot go on serving this connection's writes:
// it turned read-only (a demoted primary), or is shutting down or starting.
bool IsFailoverState(absl::string_view sqlstate) {
  return sqlstate == "25006" || sqlstate == "57P01" || sqlstate == "57P02" || sqlstate == "57P03";
}

absl::Status ResultError(const PGresult* result, PGconn* conn, absl::string_view what) {
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const std::string sqlstate = state ? state : "";
  std::string message =
      absl::StrCat(what, ": ", result ? PQresultErrorMessage(result) : PQerrorMessage(conn));
  if (sqlstate == "23505") return absl::AlreadyExistsError(message);
  if (absl::StartsWith(sqlstate, "23")) return absl::FailedPreconditionError(message);
  if (sqlstate == "40001" || sqlstate == "40P01") return absl::AbortedError(message);
  if (sqlstate == "57014") return absl::DeadlineExceededError(message);
  if (absl::StartsWith(sqlstate, "08") || PQstatus(conn) != CONNECTION_OK ||
      IsFailoverState(sqlstate)) {
    return absl::UnavailableError(message);
  }
  return absl::InternalError(message);
}

bool IsSerializationFailure(const absl::Status& status) {
  return absl::IsAborted(status) && (absl::StrContains(status.message(), "could not serialize") ||
                                     absl::StrContains(status.message(), "deadlock"));
}

using ResultPtr = std::unique_ptr<PGresult, decltype(&PQclear)>;

// COPY data goes to libpq in pieces of about this size: a batch of any
// size needs no more memory than one piece beside its rows.
constexpr size_t kCopyChunkBytes = 64 << 10;
// Bulk writes of fewer rows than this read them from one JSON parameter
// (json_populate_recordset over the table's own row type: one prepared
// statement for any number of rows, the column types the table's); larger
// ones are COPYed into a temporary table, whose creation writes the
// catalogue in every transaction. Measured with psql, SERIALIZABLE batches
// into the sessions table, a batch: of 20 rows 1.8-2.0 ms from JSON against
// 3.5 ms through a temporary table, of 50 rows 3.9 against 4.8 ms, of 100
// rows 6.5-6.7 against 8.1-8.5 ms, of 500 rows 22-25 against 15.5 ms.
constexpr size_t kRowsForCopy = 100;
// Inserts of at least this many rows are first COPYed straight into their
// table (CopyIntoTable). Measured with psql, SERIALIZABLE transactions of
// sessions rows, each statement a round trip: 10 rows 0.84 ms against
// 0.79 from JSON, 20 rows 0.79 against 0.89, 50 rows 1.29 against 1.73,
// 99 rows 2.11 against 3.94, 500 rows 8.0 against 12.8 ms through a
// temporary table.
constexpr size_t kRowsForDirectCopy = 20;
// Runs of a prepared statement before it is prepared afresh (Run): at most
// two round trips and five plans per this many runs.
constexpr int64_t kRunsPerPreparation = 100;

// One value in COPY's text format: \N for NULL; backslash, newline,
// carriage return and tab escaped, everything else (UTF-8) as it is.
void AppendCopyText(const Value& value, std::string* out) {
  if (const auto* n = std::get_if<int64_t>(&value)) {
    absl::StrAppend(out, *n);
  } else if (const auto* d = std::get_if<double>(&value)) {
    absl::StrAppend(out, absl::StrFormat("%.17g", *d));
  } else if (const auto* s = std::get_if<std::string>(&value)) {
    // Runs that need no escape are appended whole: a province load formats
    // every byte of every row here.
    const absl::string_view text = *s;
    size_t run = 0;
    for (size_t i = 0; i < text.size(); ++i) {
      const char* escaped;
      switch (text[i]) {
        case '\\':
          escaped = "\\\\";
          break;
        case '\n':
          escaped = "\\n";
          break;
        case '\r':
          escaped = "\\r";
          break;
        case '\t':
          escaped = "\\t";
          break;
        default:
          continue;
      }
      out->append(text.data() + run, i - run);
      out->append(escaped);
      run = i + 1;
    }
    out->append(text.data() + run, text.size() - run);
  } else {
    out->append("\\N");
  }
}

// The rows as a JSON array of objects keyed by column, for
// json_populate_recordset; nullopt when a value has no JSON form that
// PostgreSQL reads back the same (a number that is not finite, text with
// a NUL).
std::optional<std::string> RowsAsJson(const BulkRows& rows) {
  const size_t width = rows.columns.size();
  std::string json = "[";
  for (size_t i = 0; i < rows.values.size(); ++i) {
    const size_t column = i % width;
    if (column == 0) json += i == 0 ? "{" : ",{";
    if (column > 0) json.push_back(',');
    AppendJsonString(rows.columns[column], &json);
    json.push_back(':');
    const Value& value = rows.values[i];
    if (const auto* n = std::get_if<int64_t>(&value)) {
      absl::StrAppend(&json, *n);
    } else if (const auto* d = std::get_if<double>(&value)) {
      if (!std::isfinite(*d)) return std::nullopt;
      absl::StrAppend(&json, absl::StrFormat("%.17g", *d));
    } else if (const auto* text = std::get_if<std::string>(&value)) {
      if (text->find('\0') != std::string::npos) return std::nullopt;
      AppendJsonString(*text, &json);
    } else {
      json += "null";
    }
    if (column + 1 == width) json.push_back('}');
  }
  json.push_back(']');
  return json;
}

}  // namespace

class PostgresDatabase::Connection : public Transaction {
 public:
  // `generation` is the pool's: once it moves on, this connection is
  // abandoned, even in the middle of a statement. A statement's answer is
  // awaited at most `answer_limit`.
  Connection(const std::atomic<int64_t>* generation, absl::Duration answer_limit)
      : generation_(generation), born_(generation->load()), answer_limit_(answer_limit) {}
  ~Connection() override {
    if (conn_ != nullptr) PQfinish(conn_);
  }

  absl::Status Connect(const std::string& url, const PostgresOptions& options) {
    // Defaults the URL may override (it comes last): a bounded connect per
    // host (a stalled server accepts TCP and never answers) and keepalives
    // that notice a vanished machine.
    const std::string connect_timeout =
        absl::StrCat(std::max<int64_t>(1, absl::ToInt64Seconds(options.connect_timeout)));
    const char* keys[] = {"connect_timeout",
                          "keepalives_idle",
                          "keepalives_interval",
                          "keepalives_count",
                          "tcp_user_timeout",
                          "dbname",
                          nullptr};
    const char* values[] = {connect_timeout.c_str(), "10", "3", "3", "20000", url.c_str(), nullptr};
    conn_ = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
    if (PQstatus(conn_) != CONNECTION_OK) {
      lost_ = true;
      return absl::UnavailableError(
          absl::StrCat("connect to ", RedactPostgresUrl(url), ": ", PQerrorMessage(conn_)));
    }
    return ExecuteScript(absl::StrFormat(
        "SET statement_timeout = %d; SET client_min_messages = warning; SET TIME ZONE 'UTC'",
        static_cast<int>(absl::ToInt64Milliseconds(options.statement_timeout))));
  }

  // A broken connection (server restart, failover, stall) is replaced
  // rather than reused.
  bool Healthy() const { return !lost() && PQstatus(conn_) == CONNECTION_OK; }
  // The connection broke, stalled, was abandoned or reached a server that
  // can no longer write: what ran on it may be run again on another.
  bool lost() const { return lost_ || generation_->load(std::memory_order_acquire) != born_; }

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
    absl::StatusOr<ResultPtr> result = Sent(PQsendQuery(conn_, std::string(sql).c_str()), "script");
    if (!result.ok() && spoiled_.ok()) spoiled_ = result.status();
    return result.status();
  }

  // One INSERT … SELECT … ON CONFLICT DO NOTHING from the rows (SourceOf):
  // the unique checks take no predicate locks (a look-up would, and
  // concurrent batches then fail to serialize), and skipped rows do not
  // spoil the transaction.
  absl::StatusOr<std::vector<std::string>> InsertRows(const BulkRows& rows,
                                                      absl::string_view returning) override {
    if (rows.size() == 0) return std::vector<std::string>();
    if (rows.size() >= kRowsForDirectCopy) {
      ASSIGN_OR_RETURN(std::optional<std::vector<std::string>> copied,
                       CopyIntoTable(rows, returning));
      if (copied.has_value()) return *std::move(copied);
    }
    ASSIGN_OR_RETURN(const BulkSource source, SourceOf(rows));
    const std::string columns = absl::StrJoin(rows.columns, ", ");
    ASSIGN_OR_RETURN(
        std::vector<Row> keys,
        Query(absl::StrCat("INSERT INTO ", rows.table, " (", columns, ") SELECT ", columns,
                           " FROM ", source.from, " ON CONFLICT DO NOTHING RETURNING ", returning),
              source.params));
    std::vector<std::string> inserted;
    inserted.reserve(keys.size());
    for (const Row& key : keys) inserted.push_back(key.Text(0));
    return inserted;
  }

  // One UPDATE from the rows (SourceOf).
  absl::StatusOr<int64_t> UpdateRows(const BulkRows& rows, size_t key_columns) override {
    if (rows.size() == 0) return 0;
    ASSIGN_OR_RETURN(const BulkSource source, SourceOf(rows));
    std::vector<std::string> sets, keys;
    for (size_t c = 0; c < rows.columns.size(); ++c) {
      const std::string& name = rows.columns[c];
      if (c < key_columns) {
        keys.push_back(absl::StrCat("t.", name, " = s.", name));
      } else {
        sets.push_back(absl::StrCat(name, " = s.", name));
      }
    }
    return Execute(
        absl::StrCat("UPDATE ", rows.table, " AS t SET ", absl::StrJoin(sets, ", "), " FROM ",
                     source.from, " AS s WHERE ", absl::StrJoin(keys, " AND ")),
        source.params);
  }

 private:
  // What a bulk statement reads its rows from: a FROM item and the
  // statement's parameters.
  struct BulkSource {
    std::string from;
    std::vector<Value> params;
  };
  // Few rows: from their JSON, one parameter; many: from a temporary table
  // they are COPYed into (kRowsForCopy).
  absl::StatusOr<BulkSource> SourceOf(const BulkRows& rows) {
    if (rows.size() < kRowsForCopy) {
      if (std::optional<std::string> json = RowsAsJson(rows)) {
        return BulkSource{absl::StrCat("json_populate_recordset(NULL::", rows.table, ", $1)"),
                          {Value(*std::move(json))}};
      }
    }
    ASSIGN_OR_RETURN(std::string temp, CopyToTemporaryTable(rows));
    return BulkSource{std::move(temp), {}};
  }

  absl::StatusOr<ResultPtr> Tracked(absl::StatusOr<ResultPtr> result) {
    if (!result.ok() && spoiled_.ok()) spoiled_ = result.status();
    return result;
  }

  // Many rows whose keys are all free (new records, an import's usual
  // case) go straight into the table with one COPY under a savepoint,
  // instead of INSERT … SELECT from JSON or a temporary table
  // (kRowsForDirectCopy). When a row breaks a constraint (a key taken) the
  // savepoint is rolled back and nullopt returned: the INSERT … ON
  // CONFLICT path then skips what is taken, or fails as it would have.
  // Returns the rows' `returning` column (nullopt when it is not one of
  // theirs).
  absl::StatusOr<std::optional<std::vector<std::string>>> CopyIntoTable(
      const BulkRows& rows, absl::string_view returning) {
    const auto at = std::find(rows.columns.begin(), rows.columns.end(), returning);
    if (at == rows.columns.end()) return std::nullopt;
    const std::string what = absl::StrCat("copy into ", rows.table);
    absl::Status status = CopyRows(absl::StrCat("SAVEPOINT fazhi_copy; COPY ", rows.table, " (",
                                                absl::StrJoin(rows.columns, ", "),
                                                ") FROM STDIN; RELEASE SAVEPOINT fazhi_copy"),
                                   rows, what);
    if (status.ok()) {
      const size_t width = rows.columns.size();
      std::vector<std::string> inserted;
      inserted.reserve(rows.size());
      for (size_t i = at - rows.columns.begin(); i < rows.values.size(); i += width) {
        const auto* key = std::get_if<std::string>(&rows.values[i]);
        inserted.push_back(key != nullptr ? *key : "");
      }
      return inserted;
    }
    if (!lost_ && (absl::IsAlreadyExists(status) || absl::IsFailedPrecondition(status))) {
      status =
          Sent(PQsendQuery(conn_, "ROLLBACK TO SAVEPOINT fazhi_copy; RELEASE SAVEPOINT fazhi_copy"),
               what)
              .status();
      if (status.ok()) return std::nullopt;
    }
    if (spoiled_.ok()) spoiled_ = status;
    return status;
  }

  // Runs `sql`, a script with one COPY … FROM STDIN of the rows' columns,
  // sending the rows in COPY's text format in pieces of kCopyChunkBytes.
  absl::Status CopyRows(const std::string& sql, const BulkRows& rows, absl::string_view what) {
    RETURN_IF_ERROR(Sent(PQsendQuery(conn_, sql.c_str()), what, /*copy_in=*/true).status());
    const size_t width = rows.columns.size();
    std::string chunk;
    chunk.reserve(kCopyChunkBytes + 4096);
    for (size_t i = 0; i < rows.values.size(); ++i) {
      AppendCopyText(rows.values[i], &chunk);
      chunk.push_back((i + 1) % width == 0 ? '\n' : '\t');
      if (chunk.size() >= kCopyChunkBytes) {
        if (PQputCopyData(conn_, chunk.data(), static_cast<int>(chunk.size())) != 1) {
          return Broken(what);
        }
        chunk.clear();
      }
    }
    if (!chunk.empty() && PQputCopyData(conn_, chunk.data(), static_cast<int>(chunk.size())) != 1) {
      return Broken(what);
    }
    return Sent(PQputCopyEnd(conn_, nullptr) == 1, what).status();
  }

  // Fills a temporary table with the rows' columns and returns its name.
  // The table is dropped when the transaction ends: a session that kept
  // one would drop it when it ends, in a transaction of its own whose
  // commit, on a primary cut off from its synchronous standby (a stalled
  // primary being demoted), waits for that standby and holds up the
  // demotion. The table's creation and the COPY go in one round trip.
  absl::StatusOr<std::string> CopyToTemporaryTable(const BulkRows& rows) {
    const std::string columns = absl::StrJoin(rows.columns, ", ");
    const std::string temp =
        absl::StrCat("fazhi_bulk_", rows.table, "_", absl::Hex(std::hash<std::string>{}(columns)));
    const std::string what = absl::StrCat("copy into ", temp);
    const std::string sql =
        absl::StrCat("CREATE TEMP TABLE IF NOT EXISTS ", temp, " ON COMMIT DROP AS SELECT ",
                     columns, " FROM ", rows.table, " WITH NO DATA; DELETE FROM ", temp, "; COPY ",
                     temp, " (", columns, ") FROM STDIN");
    const absl::Status status = CopyRows(sql, rows, what);
    if (!status.ok() && spoiled_.ok()) spoiled_ = status;
    if (!status.ok()) return status;
    return temp;
  }

  // Prepares `sql` once per connection, then executes it with text
  // parameters; the server infers their types from the statement.
  absl::StatusOr<ResultPtr> Run(absl::string_view sql, absl::Span<const Value> params) {
    auto it = prepared_.find(sql);
    // A statement is prepared afresh after kRunsPerPreparation runs.
    // PostgreSQL keeps planning a statement for each run while its generic
    // plan costs more than the average of all its custom plans so far; a
    // connection that ran it while a load grew the tables keeps that
    // average low and went on planning every run afterwards (a quarter of
    // its backend's time in GetDutySummary after the province load).
    if (it != prepared_.end() && ++it->second.runs > kRunsPerPreparation) {
      RETURN_IF_ERROR(Sent(PQsendQuery(conn_, absl::StrCat("DEALLOCATE ", it->second.name).c_str()),
                           "deallocate")
                          .status());
      prepared_.erase(it);
      it = prepared_.end();
    }
    if (it == prepared_.end()) {
      std::string name = absl::StrCat("s", statements_prepared_++);
      RETURN_IF_ERROR(Sent(PQsendPrepare(conn_, name.c_str(), std::string(sql).c_str(), 0, nullptr),
                           absl::StrCat("prepare ", sql))
                          .status());
      it = prepared_.emplace(std::string(sql), Prepared{std::move(name)}).first;
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
    return Sent(PQsendQueryPrepared(conn_, it->second.name.c_str(), static_cast<int>(params.size()),
                                    values.data(), nullptr, nullptr, 0),
                "statement");
  }

  // The answer to what PQsend* (returning `sent`) sent: the first error,
  // else the last result, as PQexec would give; with `copy_in`, the result
  // that starts a COPY FROM STDIN. Waits in short polls so a stalled server
  // or an abandoned pool cannot hold the caller for good.
  absl::StatusOr<ResultPtr> Sent(int sent, absl::string_view what, bool copy_in = false) {
    if (lost()) {
      lost_ = true;
      return absl::UnavailableError(absl::StrCat(what, ": the database connection was lost"));
    }
    if (!sent) return Broken(what);
    const absl::Time give_up = absl::Now() + answer_limit_;
    ResultPtr kept(nullptr, &PQclear);
    while (true) {
      while (PQisBusy(conn_)) {
        if (lost()) {
          lost_ = true;
          return absl::UnavailableError(absl::StrCat(
              what, ": abandoned, no writable database server answered (failover or stall)"));
        }
        if (absl::Now() >= give_up) {
          lost_ = true;
          return absl::UnavailableError(absl::StrCat(what,
                                                     ": no answer from the database server for ",
                                                     absl::FormatDuration(answer_limit_)));
        }
        pollfd fd{PQsocket(conn_), POLLIN, 0};
        if (poll(&fd, 1, 200) < 0 && errno != EINTR) return Broken(what);
        if (!PQconsumeInput(conn_)) return Broken(what);
      }
      PGresult* next = PQgetResult(conn_);
      if (next == nullptr) break;
      // The statements before a COPY in the same script succeeded (the
      // server stops at the first error).
      if (copy_in && PQresultStatus(next) == PGRES_COPY_IN) return ResultPtr(next, &PQclear);
      if (kept != nullptr && Failed(kept.get())) {
        PQclear(next);
      } else {
        kept.reset(next);
      }
    }
    if (kept == nullptr) return Broken(what);
    if (Failed(kept.get())) {
      const char* state = PQresultErrorField(kept.get(), PG_DIAG_SQLSTATE);
      if (PQstatus(conn_) != CONNECTION_OK || IsFailoverState(state ? state : "")) lost_ = true;
      return ResultError(kept.get(), conn_, what);
    }
    return kept;
  }

  static bool Failed(const PGresult* result) {
    const auto status = PQresultStatus(result);
    return status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK;
  }

  absl::Status Broken(absl::string_view what) {
    lost_ = true;
    return absl::UnavailableError(absl::StrCat(what, ": ", PQerrorMessage(conn_)));
  }

  PGconn* conn_ = nullptr;
  const std::atomic<int64_t>* const generation_;
  const int64_t born_;
  const absl::Duration answer_limit_;
  bool lost_ = false;
  struct Prepared {
    std::string name;
    int64_t runs = 0;
  };
  absl::flat_hash_map<std::string, Prepared> prepared_;
  int64_t statements_prepared_ = 0;
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

PostgresDatabase::PostgresDatabase(std::string url, std::string read_url, PostgresOptions options)
    : PostgresDatabase(std::move(url), options) {
  PostgresOptions read_options = options;
  read_options.read_only = true;
  stale_reads_ = std::make_unique<PostgresDatabase>(std::move(read_url), read_options);
}

PostgresDatabase::~PostgresDatabase() = default;

std::string PostgresDatabase::Describe() const {
  if (stale_reads_ == nullptr) return RedactPostgresUrl(url_);
  return absl::StrCat(RedactPostgresUrl(url_), " (stale reads: ", stale_reads_->Describe(), ")");
}

Database& PostgresDatabase::StaleReads() { return stale_reads_ != nullptr ? *stale_reads_ : *this; }

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
  available_.wait(lock,
                  [this] { return !idle_.empty() || open_connections_ < options_.pool_size; });
  while (!idle_.empty()) {
    auto connection = std::move(idle_.back());
    idle_.pop_back();
    if (connection->Healthy()) return connection;
    --open_connections_;
  }
  ++open_connections_;
  lock.unlock();
  auto connection =
      std::make_unique<Connection>(&generation_, options_.statement_timeout + options_.stall_grace);
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

absl::Status PostgresDatabase::CheckWritable() {
  // The read pool's check runs beside this one: each may wait a connect
  // timeout per host when a server stalls, and a stall is what they detect.
  std::future<absl::Status> stale_check;
  if (stale_reads_ != nullptr) {
    stale_check = std::async(std::launch::async, [this] { return stale_reads_->CheckWritable(); });
  }
  // A fresh connection, as a new client would get: the pooled ones may be
  // to a server that has just stalled.
  Connection probe(&generation_, options_.connect_timeout);
  absl::Status status = probe.Connect(url_, options_);
  if (status.ok()) {
    absl::StatusOr<std::vector<Row>> recovery = probe.Query("SELECT pg_is_in_recovery()", {});
    status = recovery.status();
    if (status.ok() && !recovery->empty() && (*recovery)[0].Bool(0) && !options_.read_only) {
      status = absl::UnavailableError("the database server is a standby (read-only)");
    }
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    failed_checks_ = status.ok() ? 0 : failed_checks_ + 1;
    // Twice in a row: what is in flight on the old connections waits for a
    // server that is gone or stalled; let it fail over (or fail) now.
    if (failed_checks_ == 2) AbandonConnections();
  }
  if (stale_check.valid()) stale_check.get().IgnoreError();
  return status;
}

absl::Status PostgresDatabase::TransactOnce(TxMode mode, bool exclusive,
                                            absl::FunctionRef<absl::Status(Transaction&)> body,
                                            bool& lost, bool& commit_sent) {
  absl::StatusOr<std::unique_ptr<Connection>> acquired = Acquire();
  if (!acquired.ok()) {
    lost = true;
    return acquired.status();
  }
  std::unique_ptr<Connection> connection = *std::move(acquired);
  connection->BeginTracking();
  absl::Status status;
  if (mode == TxMode::kSingleRead) {
    // Autocommit: the one statement is its own transaction and snapshot.
    SingleReadTransaction single(*connection);
    status = body(single);
  } else {
    // One round trip: BEGIN and the shared write gate in one script.
    static const std::string* const begin_shared = new std::string(
        absl::StrCat("BEGIN ISOLATION LEVEL SERIALIZABLE; SELECT pg_advisory_xact_lock_shared(",
                     kWriteGateKey, ")"));
    static const std::string* const lock_exclusive =
        new std::string(absl::StrCat("SELECT pg_advisory_lock(", kWriteGateKey, ")"));
    static const std::string* const unlock_exclusive =
        new std::string(absl::StrCat("SELECT pg_advisory_unlock(", kWriteGateKey, ")"));
    status = exclusive ? connection->ExecuteScript(*lock_exclusive) : absl::OkStatus();
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
      if (status.ok()) {
        commit_sent = true;
        status = connection->ExecuteScript("COMMIT");
      }
      if (status.ok() && hook != nullptr) hook->Committed();
      if (!status.ok()) connection->ExecuteScript("ROLLBACK").IgnoreError();
    }
    // A session lock outlives the transaction: give it back before the
    // connection returns to the pool (a broken connection took it along).
    if (exclusive) connection->ExecuteScript(*unlock_exclusive).IgnoreError();
  }
  lost = connection->lost();
  Release(std::move(connection));
  return status;
}

absl::Status PostgresDatabase::Transact(TxMode mode,
                                        absl::FunctionRef<absl::Status(Transaction&)> body) {
  if (options_.read_only && mode == TxMode::kReadWrite) {
    return absl::FailedPreconditionError("the stale-read pool (--db_read) does not write");
  }
  static thread_local absl::BitGen gen;
  std::optional<absl::Time> failing_since;
  int serialization_attempt = 0;
  for (int failover_attempt = 0;;) {
    bool lost = false;
    bool commit_sent = false;
    const bool exclusive = mode == TxMode::kReadWrite && serialization_attempt >= kExclusiveAfter;
    absl::Status status = TransactOnce(mode, exclusive, body, lost, commit_sent);
    if (status.ok()) return status;
    if (lost) {
      if (mode == TxMode::kReadWrite && commit_sent) {
        return MarkMayHaveCommitted(absl::UnavailableError(absl::StrCat(
            "the database connection was lost while committing, so this write may or may not "
            "have been saved; read it back (or repeat it with the same request_id) before "
            "writing it again: ",
            status.message())));
      }
      const absl::Time now = absl::Now();
      if (!failing_since.has_value()) failing_since = now;
      if (now - *failing_since >= options_.failover_wait) {
        return absl::UnavailableError(absl::StrCat(
            "no ", options_.read_only ? "" : "writable ", "database server answered for ",
            absl::FormatDuration(options_.failover_wait),
            " (a failover that did not finish, or the database is down); nothing was written: ",
            status.message()));
      }
      // Nothing committed: run it again on a new connection, which libpq
      // makes to whichever host is writable now.
      const int cap_ms = std::min(1000, 50 << std::min(failover_attempt++, 5));
      std::this_thread::sleep_for(
          std::chrono::milliseconds(absl::Uniform(gen, cap_ms / 2, cap_ms + 1)));
      continue;
    }
    if (!IsSerializationFailure(status) ||
        serialization_attempt >= options_.serialization_retries) {
      return status;
    }
    // Jittered, growing pause so the losers of a race do not collide again.
    const int cap_ms = std::min(200, 2 << serialization_attempt++);
    std::this_thread::sleep_for(std::chrono::milliseconds(absl::Uniform(gen, 1, cap_ms + 1)));
  }
}

absl::Status PostgresDatabase::WithMigrationLock(absl::FunctionRef<absl::Status()> body) {
  // A session-level advisory lock held on one pooled connection while the
  // migrations run on others: replicas starting together migrate in turn.
  ASSIGN_OR_RETURN(auto holder, Acquire());
  absl::Status status =
      holder->Query("SELECT pg_advisory_lock($1)", {Value(kMigrationLockKey)}).status();
  if (status.ok()) {
    status = body();
    holder->Query("SELECT pg_advisory_unlock($1)", {Value(kMigrationLockKey)})
        .status()
        .IgnoreError();
  }
  Release(std::move(holder));
  return status;
}

}  // namespace fazhi::sql
