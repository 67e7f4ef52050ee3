#include "services/common/sql/sqlite_database.h"

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

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
