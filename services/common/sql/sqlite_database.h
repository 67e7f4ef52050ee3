#ifndef FAZHI_SERVICES_COMMON_SQL_SQLITE_DATABASE_H_
#define FAZHI_SERVICES_COMMON_SQL_SQLITE_DATABASE_H_

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "services/common/sql/database.h"

namespace fazhi::sql {

struct SqliteOptions {
  // Readers run concurrently on their own connections (WAL); writers are
  // serialized by one in-process mutex before SQLite's own lock.
  int pool_size = 4;
  int busy_timeout_ms = 5000;
  // Page cache of the connection every write transaction of the process
  // uses (SQLite's default is 2 MiB a connection).
  int writer_cache_kib = 8 << 10;
  // WAL checkpoints. SQLite's default runs one inside the commit that takes
  // the WAL past 1000 pages, on the writer's time: that commit copies the
  // WAL into the database file and syncs it (an import spent a ninth of its
  // CPU there). Past `checkpoint_pages` a thread of the database's own
  // checkpoints instead (PASSIVE: readers and the writer go on); the writer
  // checkpoints itself only past `writer_checkpoint_pages`, so the WAL
  // stays bounded even when the thread falls behind. 0 turns the thread
  // off (SQLite's default behaviour at writer_checkpoint_pages).
  int checkpoint_pages = 1000;
  int writer_checkpoint_pages = 16000;
};

// SQLite driver: one file, WAL journal, synchronous=FULL (an acknowledged
// commit survives a crash of the process or the machine), foreign keys on,
// a prepared-statement cache per connection. One process at a time writes
// a file (a lock file beside it, `<file>-lock`, taken at the first write);
// that process's reads keep their snapshot from one read to the next until
// it writes again.
class SqliteDatabase : public Database {
 public:
  explicit SqliteDatabase(std::string path, SqliteOptions options = {});
  ~SqliteDatabase() override;

  absl::Status Open() override;
  Dialect dialect() const override { return Dialect::kSqlite; }
  std::string Describe() const override;
  absl::Status Transact(TxMode mode, absl::FunctionRef<absl::Status(Transaction&)> body) override;
  absl::Status WithMigrationLock(absl::FunctionRef<absl::Status()> body) override;
  // Once this process writes the file (and so no other can): a number made
  // at random for the process's life on the file, and its count of writes.
  std::optional<std::string> DataVersion() const override;

  class Connection;

  // Checkpoints the thread has run (tests).
  int64_t background_checkpoints() const;

 private:
  class Checkpointer;
  class FileState;
  std::unique_ptr<Connection> Acquire();
  void Release(std::unique_ptr<Connection> connection);
  absl::Status Read(TxMode mode, Connection& connection,
                    absl::FunctionRef<absl::Status(Transaction&)> body);
  absl::Status Write(absl::FunctionRef<absl::Status(Transaction&)> body);
  void EndStaleSnapshots();

  const std::string path_;
  const SqliteOptions options_;
  // Declared before the connections so that it outlives them: the
  // writer's WAL hook points at it.
  std::unique_ptr<Checkpointer> checkpointer_;
  // Shared with every database of the process on the same file; set by
  // Open. Declared before the connections, which end their snapshots first.
  std::shared_ptr<FileState> file_;
  std::mutex pool_mutex_;
  std::condition_variable pool_cv_;
  std::vector<std::unique_ptr<Connection>> idle_;
  std::atomic<bool> opened_{false};  // set once, under pool_mutex_
  // Serializes write transactions of this process (SQLite allows one writer).
  std::mutex write_mutex_;
  // Every write transaction's connection, under write_mutex_: nothing else
  // writes the file, so its page cache stays valid from one transaction to
  // the next. A write on a pooled connection found that connection's cache
  // stale (another had written since) and read the pages it needed again.
  std::unique_ptr<Connection> writer_;
};

}  // namespace fazhi::sql

#endif  // FAZHI_SERVICES_COMMON_SQL_SQLITE_DATABASE_H_
