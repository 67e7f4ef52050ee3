#include "services/common/sql/sqlite_database.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/common/status_macros.h"
#include "tests/testing/temp_dir.h"

namespace fazhi::sql {
namespace {

class SqliteDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<SqliteDatabase>(dir_.File("test.db"));
    ASSERT_TRUE(db_->Open().ok());
    ASSERT_TRUE(
        db_->Transact(
               TxMode::kReadWrite,
               [](Transaction& tx) {
                 return tx.ExecuteScript(
                     "CREATE TABLE t (k TEXT PRIMARY KEY, n BIGINT, d DOUBLE PRECISION, s TEXT)");
               })
            .ok());
  }

  fazhi::testing::TempDir dir_;
  std::unique_ptr<SqliteDatabase> db_;
};

TEST_F(SqliteDatabaseTest, CommittedWriteSurvivesKillOfTheProcess) {
  // A child process commits, reports it, and is killed before any clean
  // shutdown; the parent then finds the row.
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  const std::string path = dir_.File("test.db");
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    SqliteDatabase db(path);
    bool ok =
        db.Open().ok() && db.Transact(TxMode::kReadWrite, [](Transaction& tx) {
                              return tx.Execute("INSERT INTO t (k) VALUES ('acked')").status();
                            }).ok();
    char byte = ok ? '1' : '0';
    (void)!write(pipe_fds[1], &byte, 1);
    pause();  // wait to be killed
    _exit(0);
  }
  char byte = 0;
  ASSERT_EQ(read(pipe_fds[0], &byte, 1), 1);
  ASSERT_EQ(byte, '1');
  kill(child, SIGKILL);
  int wstatus;
  waitpid(child, &wstatus, 0);

  SqliteDatabase reopened(path);
  ASSERT_TRUE(reopened.Open().ok());
  int64_t count = 0;
  ASSERT_TRUE(reopened
                  .Transact(TxMode::kReadOnly,
                            [&](Transaction& tx) -> absl::Status {
                              ASSIGN_OR_RETURN(
                                  auto rows, tx.Query("SELECT COUNT(*) FROM t WHERE k = 'acked'"));
                              count = rows[0].Int(0);
                              return absl::OkStatus();
                            })
                  .ok());
  EXPECT_EQ(count, 1);
}

// Commits `count` transactions of about 8 KiB each (two pages or more).
absl::Status WriteRows(SqliteDatabase& db, int from, int count) {
  for (int i = from; i < from + count; ++i) {
    RETURN_IF_ERROR(db.Transact(TxMode::kReadWrite, [&](Transaction& tx) {
      return tx
          .Execute("INSERT INTO t (k, s) VALUES ($1, $2)",
                   {Value(absl::StrCat("k", i)), Value(std::string(8000, 'x'))})
          .status();
    }));
  }
  return absl::OkStatus();
}

absl::Status CreateTable(SqliteDatabase& db) {
  return db.Transact(TxMode::kReadWrite, [](Transaction& tx) {
    return tx.ExecuteScript("CREATE TABLE t (k TEXT PRIMARY KEY, s TEXT)");
  });
}

// Until a checkpoint, committed pages live in the WAL only; the database
// file grows when they are copied into it.
TEST(SqliteCheckpointTest, TheWalIsCheckpointedOnTheDatabasesOwnThread) {
  fazhi::testing::TempDir dir;
  const std::string path = dir.File("c.db");
  SqliteOptions options;
  options.checkpoint_pages = 20;
  SqliteDatabase db(path, options);
  ASSERT_TRUE(db.Open().ok());
  ASSERT_TRUE(CreateTable(db).ok());
  const auto before = std::filesystem::file_size(path);
  ASSERT_TRUE(WriteRows(db, 0, 40).ok());  // ~80 pages: past 20, far from 16000
  // Waited for, not timed: the thread runs when it is scheduled.
  for (int i = 0; i < 1000 && db.background_checkpoints() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_GT(db.background_checkpoints(), 0);
  // The last commits (under 20 pages) may stay in the WAL; without the
  // thread nothing would reach the file (SQLite waits for 1000 pages).
  for (int i = 0; i < 1000 && std::filesystem::file_size(path) < before + 20 * 8000; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_GE(std::filesystem::file_size(path), before + 20 * 8000);
  // What was checkpointed reads back whole, through the pool's readers.
  ASSERT_TRUE(WriteRows(db, 40, 5).ok());
  absl::Status read = db.Transact(TxMode::kReadOnly, [](Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT COUNT(*), SUM(LENGTH(s)) FROM t"));
    EXPECT_EQ(rows[0].Int(0), 45);
    EXPECT_EQ(rows[0].Int(1), 45 * 8000);
    return absl::OkStatus();
  });
  EXPECT_TRUE(read.ok()) << read;
}

// Without the thread, the writer checkpoints in its commit once the WAL is
// past writer_checkpoint_pages: the file has grown when the commit returns.
TEST(SqliteCheckpointTest, TheWriterCheckpointsItselfPastItsBound) {
  fazhi::testing::TempDir dir;
  const std::string path = dir.File("w.db");
  SqliteOptions options;
  options.checkpoint_pages = 0;
  options.writer_checkpoint_pages = 20;
  SqliteDatabase db(path, options);
  ASSERT_TRUE(db.Open().ok());
  ASSERT_TRUE(CreateTable(db).ok());
  const auto before = std::filesystem::file_size(path);
  ASSERT_TRUE(WriteRows(db, 0, 40).ok());
  EXPECT_GE(std::filesystem::file_size(path), before + 20 * 8000);  // a tail may stay
  EXPECT_EQ(db.background_checkpoints(), 0);
}

// The rows of t as `depth` readers see them at once: each read holds its
// pooled connection while the next one runs, so every connection of a pool
// of `depth` answers (a lone reader would get the same connection back).
absl::StatusOr<std::vector<int64_t>> CountsOfNestedReaders(SqliteDatabase& db, int depth) {
  std::vector<int64_t> counts;
  std::function<absl::Status(int)> read = [&](int left) -> absl::Status {
    if (left == 0) return absl::OkStatus();
    return db.Transact(TxMode::kSingleRead, [&](Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT COUNT(*) FROM t"));
      counts.push_back(rows[0].Int(0));
      return read(left - 1);
    });
  };
  RETURN_IF_ERROR(read(depth));
  return counts;
}

// Reads keep their snapshot between calls once the process writes the
// file; every write must still be seen by every pooled connection's next
// read, as if each read began afresh.
TEST(SqliteKeptSnapshotTest, EveryReaderSeesEveryWriteOfTheProcess) {
  fazhi::testing::TempDir dir;
  SqliteOptions options;
  options.pool_size = 4;
  SqliteDatabase db(dir.File("k.db"), options);
  ASSERT_TRUE(db.Open().ok());
  ASSERT_TRUE(CreateTable(db).ok());
  for (int written = 1; written <= 30; ++written) {
    ASSERT_TRUE(db.Transact(TxMode::kReadWrite, [&](Transaction& tx) {
                    return tx
                        .Execute("INSERT INTO t (k) VALUES ($1)", {Value(absl::StrCat(written))})
                        .status();
                  }).ok());
    for (int again = 0; again < 2; ++again) {  // the second time from kept snapshots
      auto counts = CountsOfNestedReaders(db, 4);
      ASSERT_TRUE(counts.ok()) << counts.status();
      EXPECT_EQ(*counts, std::vector<int64_t>(4, written)) << "after write " << written;
    }
    // A multi-statement read sees one snapshot, the current one.
    ASSERT_TRUE(db.Transact(TxMode::kReadOnly, [&](Transaction& tx) -> absl::Status {
                    ASSIGN_OR_RETURN(auto first, tx.Query("SELECT COUNT(*) FROM t"));
                    ASSIGN_OR_RETURN(auto second,
                                     tx.Query("SELECT MAX(CAST(k AS INTEGER)) FROM t"));
                    EXPECT_EQ(first[0].Int(0), written);
                    EXPECT_EQ(second[0].Int(0), written);
                    return absl::OkStatus();
                  }).ok());
  }
  // A failed write (rolled back) changes nothing and breaks no reader.
  EXPECT_FALSE(db.Transact(TxMode::kReadWrite, [](Transaction& tx) {
                   return tx.Execute("INSERT INTO t (k) VALUES ('1')").status();  // taken
                 }).ok());
  auto counts = CountsOfNestedReaders(db, 4);
  ASSERT_TRUE(counts.ok()) << counts.status();
  EXPECT_EQ(*counts, std::vector<int64_t>(4, 30));
}

// Two databases of one process on the same file (spelled differently)
// share the count of its writes.
TEST(SqliteKeptSnapshotTest, DatabasesOfOneProcessOnOneFileSeeEachOthersWrites) {
  fazhi::testing::TempDir dir;
  SqliteDatabase writer(dir.File("s.db"));
  ASSERT_TRUE(writer.Open().ok());
  ASSERT_TRUE(CreateTable(writer).ok());
  SqliteDatabase reader(dir.path() + "/./s.db");
  ASSERT_TRUE(reader.Open().ok());
  for (int written = 1; written <= 10; ++written) {
    auto before = CountsOfNestedReaders(reader, 2);
    ASSERT_TRUE(before.ok()) << before.status();
    EXPECT_EQ(*before, std::vector<int64_t>(2, written - 1));
    ASSERT_TRUE(WriteRows(writer, written, 1).ok());
    auto after = CountsOfNestedReaders(reader, 2);
    ASSERT_TRUE(after.ok()) << after.status();
    EXPECT_EQ(*after, std::vector<int64_t>(2, written));
  }
}

// Another holder of the file's writer lock (here a second open file
// description of the lock file, as another process would have) refuses
// this process's writes with a clear error, and its reads then begin
// afresh each time; the lock freed, writing works.
TEST(SqliteKeptSnapshotTest, AWriterElsewhereRefusesWritesHere) {
  fazhi::testing::TempDir dir;
  const std::string path = dir.File("l.db");
  {
    SqliteDatabase setup(path);
    ASSERT_TRUE(setup.Open().ok());
    ASSERT_TRUE(CreateTable(setup).ok());
  }
  const int other = open((path + "-lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  ASSERT_GE(other, 0);
  ASSERT_EQ(flock(other, LOCK_EX | LOCK_NB), 0);

  SqliteDatabase db(path);
  ASSERT_TRUE(db.Open().ok());
  absl::Status refused = WriteRows(db, 0, 1);
  EXPECT_EQ(db.DataVersion(), std::nullopt);  // another writes: no name for the data
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition) << refused;
  EXPECT_NE(refused.message().find("another process writes"), std::string::npos) << refused;
  // What the other writer commits, this process's readers see at once.
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
  for (int written = 1; written <= 3; ++written) {
    ASSERT_EQ(sqlite3_exec(raw, absl::StrCat("INSERT INTO t (k) VALUES ('o", written, "')").c_str(),
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    auto counts = CountsOfNestedReaders(db, 2);
    ASSERT_TRUE(counts.ok()) << counts.status();
    EXPECT_EQ(*counts, std::vector<int64_t>(2, written));
  }
  sqlite3_close(raw);

  EXPECT_EQ(db.DataVersion(), std::nullopt);
  close(other);  // the other writer is gone
  EXPECT_TRUE(WriteRows(db, 10, 1).ok());
  EXPECT_NE(db.DataVersion(), std::nullopt);
  auto counts = CountsOfNestedReaders(db, 2);
  ASSERT_TRUE(counts.ok()) << counts.status();
  EXPECT_EQ(*counts, std::vector<int64_t>(2, 4));
}

// The data's name (for conditional reads) changes with every write of the
// process, also through another database on the file, never with a read,
// and a later life on the file (a restarted service) never repeats one.
TEST(SqliteDataVersionTest, ChangesWithEveryWriteAndOnlyThen) {
  fazhi::testing::TempDir dir;
  const std::string path = dir.File("v.db");
  std::set<std::string> seen;
  {
    SqliteDatabase db(path);
    ASSERT_TRUE(db.Open().ok());
    EXPECT_EQ(db.DataVersion(), std::nullopt);  // not yet the file's writer
    ASSERT_TRUE(CreateTable(db).ok());
    const std::optional<std::string> created = db.DataVersion();
    ASSERT_TRUE(created.has_value());
    seen.insert(*created);
    ASSERT_TRUE(CountsOfNestedReaders(db, 2).ok());
    EXPECT_EQ(db.DataVersion(), created);
    for (int i = 0; i < 5; ++i) {
      ASSERT_TRUE(WriteRows(db, i, 1).ok());
      ASSERT_TRUE(db.DataVersion().has_value());
      EXPECT_TRUE(seen.insert(*db.DataVersion()).second) << *db.DataVersion();
    }
    SqliteDatabase second(dir.path() + "/./v.db");
    ASSERT_TRUE(second.Open().ok());
    EXPECT_EQ(second.DataVersion(), db.DataVersion());
    ASSERT_TRUE(WriteRows(second, 10, 1).ok());
    EXPECT_EQ(second.DataVersion(), db.DataVersion());
    EXPECT_TRUE(seen.insert(*db.DataVersion()).second);
  }
  SqliteDatabase again(path);
  ASSERT_TRUE(again.Open().ok());
  ASSERT_TRUE(WriteRows(again, 20, 1).ok());
  ASSERT_TRUE(again.DataVersion().has_value());
  EXPECT_TRUE(seen.insert(*again.DataVersion()).second) << *again.DataVersion();
}

// Snapshots kept by idle connections end when a write makes them stale:
// otherwise they would hold the WAL, and a checkpoint could not empty it.
TEST(SqliteKeptSnapshotTest, IdleSnapshotsDoNotHoldTheWal) {
  fazhi::testing::TempDir dir;
  const std::string path = dir.File("w.db");
  SqliteOptions options;
  options.pool_size = 4;
  options.checkpoint_pages = 0;  // no checkpoint but the one below
  SqliteDatabase db(path, options);
  ASSERT_TRUE(db.Open().ok());
  ASSERT_TRUE(CreateTable(db).ok());
  ASSERT_TRUE(WriteRows(db, 0, 10).ok());
  ASSERT_TRUE(CountsOfNestedReaders(db, 4).ok());  // four snapshots kept, idle
  ASSERT_TRUE(WriteRows(db, 10, 10).ok());
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
  // A read first, so that this connection knows the file is in WAL mode.
  ASSERT_EQ(sqlite3_exec(raw, "SELECT COUNT(*) FROM t", nullptr, nullptr, nullptr), SQLITE_OK);
  int log_frames = -1, checkpointed = -1;
  // A checkpoint copies the WAL only up to the oldest snapshot a reader
  // still holds: all of it when no reader holds one from before the writes.
  EXPECT_EQ(sqlite3_wal_checkpoint_v2(raw, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log_frames,
                                      &checkpointed),
            SQLITE_OK)
      << sqlite3_errmsg(raw);
  sqlite3_close(raw);
  EXPECT_GT(log_frames, 20);
  EXPECT_EQ(checkpointed, log_frames);
  auto counts = CountsOfNestedReaders(db, 4);
  ASSERT_TRUE(counts.ok()) << counts.status();
  EXPECT_EQ(*counts, std::vector<int64_t>(4, 20));
}

TEST(SqliteOpenTest, UnwritableDirectoryIsUnavailable) {
  SqliteDatabase db("/proc/no-such-dir/x.db");
  absl::Status status = db.Open();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
}

TEST(CreateDatabaseTest, ParsesUrls) {
  EXPECT_TRUE(CreateDatabase("sqlite:x.db").ok());
  EXPECT_EQ(CreateDatabase("sqlite:").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CreateDatabase("mysql://x").status().code(), absl::StatusCode::kInvalidArgument);
  auto postgres = CreateDatabase("postgresql://fazhi:secret@localhost/db");
  ASSERT_TRUE(postgres.ok());
  EXPECT_EQ((*postgres)->dialect(), Dialect::kPostgres);
  EXPECT_EQ((*postgres)->Describe(), "postgresql://fazhi:***@localhost/db");
}

}  // namespace
}  // namespace fazhi::sql
