#ifndef FAZHI_SERVICES_COMMON_SQL_POSTGRES_DATABASE_H_
#define FAZHI_SERVICES_COMMON_SQL_POSTGRES_DATABASE_H_

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
};

// PostgreSQL driver over libpq: a connection pool, statements prepared once
// per connection, read-write transactions at SERIALIZABLE (retried on
// serialization failures), read-only ones at REPEATABLE READ READ ONLY, and
// a session advisory lock around migrations. TLS and authentication come
// from the URL (e.g. ?sslmode=verify-full&sslrootcert=…).
class PostgresDatabase : public Database {
 public:
  explicit PostgresDatabase(std::string url, PostgresOptions options = {});
  ~PostgresDatabase() override;

  absl::Status Open() override;
  Dialect dialect() const override { return Dialect::kPostgres; }
  std::string Describe() const override;
  absl::Status Transact(TxMode mode,
                        absl::FunctionRef<absl::Status(Transaction&)> body) override;
  absl::Status WithMigrationLock(absl::FunctionRef<absl::Status()> body) override;

  class Connection;

 private:
  absl::StatusOr<std::unique_ptr<Connection>> Acquire();
  void Release(std::unique_ptr<Connection> connection);

  const std::string url_;
  const PostgresOptions options_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_connections_ = 0;
  bool opened_ = false;
};

// The URL with any password replaced by "***", for logs.
std::string RedactPostgresUrl(const std::string& url);

}  // namespace fazhi::sql

#endif  // FAZHI_SERVICES_COMMON_SQL_POSTGRES_DATABASE_H_
