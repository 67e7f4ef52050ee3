#include "services/common/sql/sqlite_database.h"

#include <sys/wait.h>
#include <unistd.h>

#include <thread>
#include <vector>

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
    ASSERT_TRUE(db_->Transact(TxMode::kReadWrite, [](Transaction& tx) {
                     return tx.ExecuteScript(
                         "CREATE TABLE t (k TEXT PRIMARY KEY, n BIGINT, d DOUBLE PRECISION, s TEXT)");
                   }).ok());
  }

  int64_t Count() {
    int64_t count = -1;
    EXPECT_TRUE(db_->Transact(TxMode::kReadOnly, [&](Transaction& tx) -> absl::Status {
                     ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT COUNT(*) FROM t"));
                     count = rows[0].Int(0);
                     return absl::OkStatus();
                   }).ok());
    return count;
  }

  fazhi::testing::TempDir dir_;
  std::unique_ptr<SqliteDatabase> db_;
};

TEST_F(SqliteDatabaseTest, BindsDollarParametersByNumberInAnyOrder) {
  ASSERT_TRUE(db_->Transact(TxMode::kReadWrite, [](Transaction& tx) {
                   return tx.Execute("INSERT INTO t (s, k, n, d) VALUES ($3, $1, $2, $2 * 1.5)",
                                     {Value("key"), Value(int64_t{4}), Value("民法典")})
                       .status();
                 }).ok());
  std::vector<Row> rows;
  ASSERT_TRUE(db_->Transact(TxMode::kReadOnly, [&](Transaction& tx) -> absl::Status {
                   ASSIGN_OR_RETURN(rows, tx.Query("SELECT k, n, d, s, NULL FROM t WHERE k = $1",
                                                   {Value("key")}));
                   return absl::OkStatus();
                 }).ok());
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Text(0), "key");
  EXPECT_EQ(rows[0].Int(1), 4);
  EXPECT_DOUBLE_EQ(rows[0].Double(2), 6.0);
  EXPECT_EQ(rows[0].Text(3), "民法典");
  EXPECT_TRUE(rows[0].IsNull(4));
}

TEST_F(SqliteDatabaseTest, FailedBodyRollsBackEverything) {
  absl::Status status = db_->Transact(TxMode::kReadWrite, [](Transaction& tx) -> absl::Status {
    RETURN_IF_ERROR(tx.Execute("INSERT INTO t (k) VALUES ('a')").status());
    RETURN_IF_ERROR(tx.Execute("INSERT INTO t (k) VALUES ('b')").status());
    return absl::InternalError("changed my mind");
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal);
  EXPECT_EQ(Count(), 0);
}

TEST_F(SqliteDatabaseTest, UniqueViolationIsAlreadyExistsAndRollsBack) {
  absl::Status status = db_->Transact(TxMode::kReadWrite, [](Transaction& tx) -> absl::Status {
    RETURN_IF_ERROR(tx.Execute("INSERT INTO t (k) VALUES ('a')").status());
    return tx.Execute("INSERT INTO t (k) VALUES ('a')").status();
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Count(), 0);
}

TEST_F(SqliteDatabaseTest, ConcurrentWritersAllCommit) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([this, t] {
      for (int i = 0; i < 50; ++i) {
        absl::Status s = db_->Transact(TxMode::kReadWrite, [&](Transaction& tx) {
          return tx.Execute("INSERT INTO t (k, n) VALUES ($1, $2)",
                            {Value(std::to_string(t) + "-" + std::to_string(i)), Value(int64_t{i})})
              .status();
        });
        EXPECT_TRUE(s.ok()) << s;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(Count(), 400);
}

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
    bool ok = db.Open().ok() && db.Transact(TxMode::kReadWrite, [](Transaction& tx) {
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
  ASSERT_TRUE(reopened.Transact(TxMode::kReadOnly, [&](Transaction& tx) -> absl::Status {
                         ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT COUNT(*) FROM t WHERE k = 'acked'"));
                         count = rows[0].Int(0);
                         return absl::OkStatus();
                       }).ok());
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
  EXPECT_EQ(CreateDatabase("postgresql://localhost/db").status().code(),
            absl::StatusCode::kUnimplemented);
}

}  // namespace
}  // namespace fazhi::sql
