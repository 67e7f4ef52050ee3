#include "services/common/sql/sqlite_database.h"

#include <sys/wait.h>
#include <unistd.h>

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
