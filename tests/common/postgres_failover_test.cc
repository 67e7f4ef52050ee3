// The PostgreSQL driver through a failover's symptoms, on one throwaway
// server: connections killed under it, a COMMIT without an answer, a server
// that turned read-only, no server at all, and the stale-read pool. (The
// failover itself, on pg_auto_failover, is tests/reliability/failover_test.py.)

#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "services/common/sql/postgres_database.h"
#include "services/common/status_macros.h"
#include "tests/testing/test_database.h"

namespace fazhi::sql {
namespace {

using fazhi::testing::Driver;

class PostgresFailoverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    FAZHI_SETUP_TEST_DATABASE(Driver::kPostgres, test_);
    ASSERT_TRUE(test_->db()
                    .Transact(TxMode::kReadWrite,
                              [](Transaction& tx) {
                                return tx.ExecuteScript("CREATE TABLE t (k TEXT PRIMARY KEY)");
                              })
                    .ok());
  }

  // A driver of its own with one pooled connection, so the next call
  // reuses the connection a test killed.
  std::unique_ptr<PostgresDatabase> Open(absl::Duration failover_wait = absl::Seconds(10)) {
    PostgresOptions options;
    options.pool_size = 1;
    options.failover_wait = failover_wait;
    auto db = std::make_unique<PostgresDatabase>(test_->url(), options);
    EXPECT_TRUE(db->Open().ok());
    return db;
  }

  static int64_t Scalar(Database& db, const std::string& sql) {
    int64_t value = -1;
    EXPECT_TRUE(db.Transact(TxMode::kSingleRead, [&](Transaction& tx) -> absl::Status {
                    ASSIGN_OR_RETURN(auto rows, tx.Query(sql, {}));
                    value = rows.at(0).Int(0);
                    return absl::OkStatus();
                  }).ok());
    return value;
  }

  void Terminate(int64_t pid) {
    ASSERT_TRUE(
        test_->db()
            .Transact(TxMode::kSingleRead,
                      [&](Transaction& tx) {
                        return tx.Query("SELECT pg_terminate_backend($1)", {Value(pid)}).status();
                      })
            .ok());
  }

  std::unique_ptr<fazhi::testing::TestDatabase> test_;
};

TEST_F(PostgresFailoverTest, ReadOnAKilledPooledConnectionRunsAgainOnANewOne) {
  auto db = Open();
  const int64_t first = Scalar(*db, "SELECT pg_backend_pid()");
  Terminate(first);
  const int64_t second = Scalar(*db, "SELECT pg_backend_pid()");
  EXPECT_GT(second, 0);
  EXPECT_NE(second, first);
}

TEST_F(PostgresFailoverTest, WriteWhoseConnectionDiedBeforeCommitRunsAgainOnce) {
  auto db = Open();
  int attempts = 0;
  absl::Status status = db->Transact(TxMode::kReadWrite, [&](Transaction& tx) -> absl::Status {
    ++attempts;
    RETURN_IF_ERROR(tx.Execute("INSERT INTO t (k) VALUES ('once')", {}).status());
    if (attempts == 1) {
      // The connection dies before COMMIT is sent: certainly not committed.
      return tx.Query("SELECT pg_terminate_backend(pg_backend_pid())", {}).status();
    }
    return absl::OkStatus();
  });
  EXPECT_TRUE(status.ok()) << status;
  EXPECT_EQ(attempts, 2);
  EXPECT_EQ(Scalar(*db, "SELECT count(*) FROM t WHERE k = 'once'"), 1);
}

TEST_F(PostgresFailoverTest, BulkInsertOnAConnectionThatDiedRunsAgainOnce) {
  auto db = Open();
  const BulkRows rows{"t", {"k"}, {Value("bulk-1"), Value("bulk-2")}};
  int attempts = 0;
  absl::Status status = db->Transact(TxMode::kReadWrite, [&](Transaction& tx) -> absl::Status {
    if (++attempts == 1) {
      ASSIGN_OR_RETURN(auto pid, tx.Query("SELECT pg_backend_pid()", {}));
      // Killed from another connection and waited for: the insert finds the
      // connection gone, before anything could have committed.
      EXPECT_TRUE(test_->db()
                      .Transact(TxMode::kSingleRead,
                                [&](Transaction& other) {
                                  return other
                                      .Query("SELECT pg_terminate_backend($1, 5000)",
                                             {Value(pid.at(0).Int(0))})
                                      .status();
                                })
                      .ok());
    }
    return tx.InsertRows(rows, "k").status();
  });
  EXPECT_TRUE(status.ok()) << status;
  EXPECT_EQ(attempts, 2);
  EXPECT_EQ(Scalar(*db, "SELECT count(*) FROM t WHERE k LIKE 'bulk-%'"), 2);
}

TEST_F(PostgresFailoverTest, CommitWithoutAnAnswerIsUnavailableAndNotRepeated) {
  // A deferred trigger kills the session inside COMMIT: the client cannot
  // know whether it committed, so the driver must not run it again.
  ASSERT_TRUE(
      test_->db()
          .Transact(
              TxMode::kReadWrite,
              [](Transaction& tx) {
                return tx.ExecuteScript(
                    "CREATE TABLE doomed (k TEXT);"
                    "CREATE FUNCTION die() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    "PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NULL; END $$;"
                    "CREATE CONSTRAINT TRIGGER die AFTER INSERT ON doomed DEFERRABLE INITIALLY "
                    "DEFERRED FOR EACH ROW EXECUTE FUNCTION die()");
              })
          .ok());
  auto db = Open();
  int attempts = 0;
  absl::Status status = db->Transact(TxMode::kReadWrite, [&](Transaction& tx) {
    ++attempts;
    return tx.Execute("INSERT INTO doomed (k) VALUES ('x')", {}).status();
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
  EXPECT_TRUE(absl::StrContains(status.message(), "may or may not have been saved")) << status;
  EXPECT_TRUE(MayHaveCommitted(status));
  EXPECT_EQ(attempts, 1);
  // The pool recovers by itself.
  EXPECT_EQ(Scalar(*db, "SELECT count(*) FROM doomed"), 0);
}

TEST_F(PostgresFailoverTest, ReadOnlyServerIsRetriedThenUnavailable) {
  // A demoted primary answers every write with read_only_sql_transaction.
  ASSERT_TRUE(
      test_->db()
          .Transact(TxMode::kReadWrite,
                    [&](Transaction& tx) {
                      return tx.ExecuteScript(
                          "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET "
                          "default_transaction_read_only = on', current_database()); END $$");
                    })
          .ok());
  auto db = Open(absl::Milliseconds(600));
  int attempts = 0;
  absl::Status status = db->Transact(TxMode::kReadWrite, [&](Transaction& tx) {
    ++attempts;
    return tx.Execute("INSERT INTO t (k) VALUES ('never')", {}).status();
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
  EXPECT_TRUE(absl::StrContains(status.message(), "no writable database server")) << status;
  EXPECT_GT(attempts, 1);  // each on a new connection: the read-only one is dropped
  // Reads still work there.
  EXPECT_EQ(Scalar(*db, "SELECT count(*) FROM t"), 0);
}

TEST_F(PostgresFailoverTest, NoServerAtAllIsUnavailableWithinTheFailoverWait) {
  PostgresOptions options;
  options.failover_wait = absl::Milliseconds(500);
  options.connect_timeout = absl::Seconds(1);
  // Port 1 on loopback: nothing listens there.
  PostgresDatabase db("postgresql://postgres@127.0.0.1:1/none", options);
  EXPECT_EQ(db.CheckWritable().code(), absl::StatusCode::kUnavailable);
  absl::Status status =
      db.Transact(TxMode::kReadOnly, [](Transaction&) { return absl::OkStatus(); });
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
  EXPECT_TRUE(absl::StrContains(status.message(), "database server answered")) << status;
}

TEST_F(PostgresFailoverTest, CheckWritableAnswersForAPrimary) {
  auto db = Open();
  EXPECT_TRUE(db->CheckWritable().ok());
  // Abandoned connections after two failed checks are not this case: the
  // pooled connection still serves.
  EXPECT_GT(Scalar(*db, "SELECT pg_backend_pid()"), 0);
}

TEST_F(PostgresFailoverTest, StaleReadsRunOnTheReadPoolAndRefuseWrites) {
  PostgresDatabase db(test_->url(), test_->url() + "?application_name=fazhi_stale");
  ASSERT_TRUE(db.Open().ok());
  EXPECT_NE(&db.StaleReads(), static_cast<Database*>(&db));
  std::string application;
  ASSERT_TRUE(db.StaleReads()
                  .Transact(TxMode::kSingleRead,
                            [&](Transaction& tx) -> absl::Status {
                              ASSIGN_OR_RETURN(
                                  auto rows,
                                  tx.Query("SELECT current_setting('application_name')", {}));
                              application = rows.at(0).Text(0);
                              return absl::OkStatus();
                            })
                  .ok());
  EXPECT_EQ(application, "fazhi_stale");
  EXPECT_EQ(db.StaleReads()
                .Transact(TxMode::kReadWrite, [](Transaction&) { return absl::OkStatus(); })
                .code(),
            absl::StatusCode::kFailedPrecondition);
  // Without a read URL, stale reads go to the database itself.
  PostgresDatabase plain(test_->url());
  EXPECT_EQ(&plain.StaleReads(), static_cast<Database*>(&plain));
}

TEST(CreateDatabaseTest, AReadUrlNeedsPostgresOnBothSides) {
  EXPECT_EQ(CreateDatabase("sqlite:x.db", "postgresql://h/db").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CreateDatabase("postgresql://h/db", "sqlite:x.db").status().code(),
            absl::StatusCode::kInvalidArgument);
  auto db = CreateDatabase("postgresql://h1:5432,h2:5432/db?target_session_attrs=read-write",
                           "postgresql://h1:5432,h2:5432/db?target_session_attrs=prefer-standby");
  ASSERT_TRUE(db.ok()) << db.status();
  EXPECT_NE(&(*db)->StaleReads(), db->get());
  EXPECT_TRUE(absl::StrContains((*db)->Describe(), "stale reads: postgresql://h1:5432,h2:5432"));
}

}  // namespace
}  // namespace fazhi::sql
