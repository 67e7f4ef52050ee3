#ifndef FAZHI_SERVICES_COMMON_SQL_POSTGRES_DATABASE_H_
#define FAZHI_SERVICES_COMMON_SQL_POSTGRES_DATABASE_H_

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "services/common/sql/database.h"

namespace fazhi::sql {

struct PostgresOptions {
  int pool_size = 8;
  // Every statement is cancelled after this long (SET statement_timeout).
  absl::Duration statement_timeout = absl::Seconds(30);
  // A write transaction that loses a serialization race is run again up to
  // this many times, with a short, jittered, growing pause.
  int serialization_retries = 12;
  // Failover: a transaction whose connection broke, or found the server
  // read-only (a demoted primary), before it could have committed runs
  // again on a new connection (libpq picks the writable host of a
  // multi-host URL) until this long after it first failed; then UNAVAILABLE.
  absl::Duration failover_wait = absl::Seconds(30);
  // A statement whose answer has not come this long after
  // statement_timeout (the server is stalled, or its machine is gone) is
  // given up, its connection dropped.
  absl::Duration stall_grace = absl::Seconds(5);
  // Bounds CheckWritable's connection and query; also libpq's
  // connect_timeout per host unless the URL sets one.
  absl::Duration connect_timeout = absl::Seconds(3);
  // Only reads, on a pool of its own (StaleReads of the primary's driver).
  bool read_only = false;
};

// PostgreSQL driver over libpq: a connection pool, statements prepared once
// per connection, read-write transactions at SERIALIZABLE (retried on
// serialization failures), read-only ones at REPEATABLE READ READ ONLY, and
// a session advisory lock around migrations. TLS and authentication come
// from the URL (e.g. ?sslmode=verify-full&sslrootcert=…).
//
// High availability: the URL may name several hosts
// (postgresql://h1:p1,h2:p2/db?target_session_attrs=read-write). A broken
// connection, or one to a server that turned read-only, is dropped, never
// pooled again; when CheckWritable finds no writable server, every pooled
// and in-flight connection of before is abandoned (a stalled server would
// otherwise hold them until TCP gives up). Reads and writes that certainly
// did not commit are retried for failover_wait; a write whose COMMIT got no
// answer fails UNAVAILABLE saying it may have been saved.
class PostgresDatabase : public Database {
 public:
  explicit PostgresDatabase(std::string url, PostgresOptions options = {});
  // With a second URL for stale reads (e.g. target_session_attrs=prefer-standby).
  PostgresDatabase(std::string url, std::string read_url, PostgresOptions options = {});
  ~PostgresDatabase() override;

  absl::Status Open() override;
  Dialect dialect() const override { return Dialect::kPostgres; }
  std::string Describe() const override;
  absl::Status Transact(TxMode mode, absl::FunctionRef<absl::Status(Transaction&)> body) override;
  absl::Status WithMigrationLock(absl::FunctionRef<absl::Status()> body) override;
  Database& StaleReads() override;
  absl::Status CheckWritable() override;

  class Connection;

 private:
  absl::StatusOr<std::unique_ptr<Connection>> Acquire();
  void Release(std::unique_ptr<Connection> connection);
  // One try of `body`; `commit_sent` says whether COMMIT went out.
  absl::Status TransactOnce(TxMode mode, bool exclusive,
                            absl::FunctionRef<absl::Status(Transaction&)> body, bool& lost,
                            bool& commit_sent);
  // Connections opened before the last bump are dropped, in flight or idle.
  void AbandonConnections() { generation_.fetch_add(1, std::memory_order_acq_rel); }

  const std::string url_;
  const PostgresOptions options_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_connections_ = 0;
  bool opened_ = false;
  std::atomic<int64_t> generation_{0};
  int failed_checks_ = 0;  // CheckWritable's, in a row
  std::unique_ptr<PostgresDatabase> stale_reads_;
};

// The URL with any password replaced by "***", for logs.
std::string RedactPostgresUrl(const std::string& url);

}  // namespace fazhi::sql

#endif  // FAZHI_SERVICES_COMMON_SQL_POSTGRES_DATABASE_H_
