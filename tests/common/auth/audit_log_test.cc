// The audit table's contract, on both drivers: filters, newest first,
// keyset pages.

#include <gtest/gtest.h>

#include <thread>

#include "absl/time/clock.h"
#include "services/common/auth/audit.h"
#include "services/common/sql/migrations.h"
#include "services/common/status_macros.h"
#include "tests/testing/test_database.h"

namespace fazhi::auth {
namespace {

class SqlAuditLogTest : public ::testing::TestWithParam<fazhi::testing::Driver> {
 protected:
  void SetUp() override {
    FAZHI_SETUP_TEST_DATABASE(GetParam(), test_);
    ASSERT_TRUE(sql::ApplyMigrations(test_->db(), {AuditMigration()}).ok());
    log_ = std::make_unique<SqlAuditLog>(&test_->db());
  }

  AuditRecord Record(const std::string& org, const std::string& caller, const std::string& outcome,
                     int second) {
    AuditRecord r;
    r.time = absl::FromUnixSeconds(1764000000 + second);
    r.caller = caller;
    r.credential = "key:0011223344556677";
    r.org = org;
    r.method = "CreateSession";
    r.resource = "orgs/" + org;
    r.outcome = outcome;
    r.request_id = "req-" + std::to_string(second);
    r.peer = "ipv4:127.0.0.1:5000";
    return r;
  }

  std::unique_ptr<fazhi::testing::TestDatabase> test_;
  std::unique_ptr<SqlAuditLog> log_;
};

TEST_P(SqlAuditLogTest, FiltersAndPagesNewestFirst) {
  for (int i = 0; i < 7; ++i) {
    ASSERT_TRUE(log_->Append(Record(i % 2 ? "org-a" : "org-b", i < 5 ? "alice" : "bob",
                                    i == 3 ? "PERMISSION_DENIED" : "OK", i))
                    .ok());
  }
  AuditQuery all;
  all.limit = 3;
  absl::StatusOr<AuditPage> page = log_->List(all);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->records.size(), 3u);
  EXPECT_EQ(page->records[0].request_id, "req-6");
  EXPECT_EQ(page->records[2].request_id, "req-4");
  EXPECT_EQ(page->records[0].time, absl::FromUnixSeconds(1764000006));
  ASSERT_TRUE(page->next.has_value());
  all.before = page->next;
  page = log_->List(all);
  ASSERT_EQ(page->records.size(), 3u);
  EXPECT_EQ(page->records[0].request_id, "req-3");
  all.before = page->next;
  page = log_->List(all);
  ASSERT_EQ(page->records.size(), 1u);
  EXPECT_FALSE(page->next.has_value());

  AuditQuery org_a;
  org_a.orgs = std::vector<std::string>{"org-a"};
  EXPECT_EQ(log_->List(org_a)->records.size(), 3u);
  org_a.orgs = std::vector<std::string>{};
  EXPECT_EQ(log_->List(org_a)->records.size(), 0u);  // no organization: nothing
  AuditQuery bob;
  bob.caller = "bob";
  EXPECT_EQ(log_->List(bob)->records.size(), 2u);
  AuditQuery denied;
  denied.denied_only = true;
  page = log_->List(denied);
  ASSERT_EQ(page->records.size(), 1u);
  EXPECT_EQ(page->records[0].outcome, "PERMISSION_DENIED");
  EXPECT_EQ(page->records[0].peer, "ipv4:127.0.0.1:5000");
}

TEST_P(SqlAuditLogTest, ACallsRecordCommitsWithItsChangeOrNotAtAll) {
  sql::Database& db = test_->db();
  ASSERT_TRUE(db.Transact(sql::TxMode::kReadWrite, [](sql::Transaction& tx) {
                  return tx.ExecuteScript("CREATE TABLE t (k TEXT PRIMARY KEY)");
                }).ok());
  auto insert = [&db](const std::string& key, absl::Status outcome) {
    return db.Transact(sql::TxMode::kReadWrite, [&](sql::Transaction& tx) -> absl::Status {
      RETURN_IF_ERROR(tx.Execute("INSERT INTO t (k) VALUES ($1)", {sql::Value(key)}).status());
      return outcome;
    });
  };
  auto records = [&] {
    auto page = log_->List({});
    EXPECT_TRUE(page.ok()) << page.status();
    return page.ok() ? page->records.size() : size_t{0};
  };
  auto rows = [&db] {
    int64_t n = -1;
    EXPECT_TRUE(db.Transact(sql::TxMode::kReadOnly, [&](sql::Transaction& tx) -> absl::Status {
                    ASSIGN_OR_RETURN(auto r, tx.Query("SELECT COUNT(*) FROM t"));
                    n = r.at(0).Int(0);
                    return absl::OkStatus();
                  }).ok());
    return n;
  };

  AuditOnCommit hook(log_.get(), [&] { return Record("org-a", "alice", "OK", 1); });
  sql::CommitHook* previous = sql::SetThreadCommitHook(&hook);
  // A change that fails rolls its record back with it.
  EXPECT_FALSE(insert("x", absl::AbortedError("changed meanwhile")).ok());
  EXPECT_FALSE(hook.written());
  EXPECT_EQ(records(), 0u);
  // Reads carry no record.
  EXPECT_EQ(rows(), 0);
  EXPECT_EQ(records(), 0u);
  // The first committed change carries the record; later ones of the same
  // call do not add another.
  ASSERT_TRUE(insert("a", absl::OkStatus()).ok());
  EXPECT_TRUE(hook.written());
  EXPECT_EQ(records(), 1u);
  ASSERT_TRUE(insert("b", absl::OkStatus()).ok());
  EXPECT_EQ(records(), 1u);
  // Another thread's changes never carry this call's record.
  AuditOnCommit other(log_.get(), [&] { return Record("org-a", "alice", "OK", 2); });
  sql::SetThreadCommitHook(&other);
  std::thread([&] { ASSERT_TRUE(insert("c", absl::OkStatus()).ok()); }).join();
  EXPECT_FALSE(other.written());
  sql::SetThreadCommitHook(previous);
  ASSERT_TRUE(insert("d", absl::OkStatus()).ok());
  EXPECT_EQ(records(), 1u);
  EXPECT_EQ(rows(), 4);

  // A record that cannot be written fails the change: no change without its record.
  struct FailingLog : AuditLog {
    absl::Status Append(const AuditRecord&) override { return absl::OkStatus(); }
    absl::StatusOr<AuditPage> List(const AuditQuery&) override { return AuditPage{}; }
    bool AppendsInTransaction() const override { return true; }
    absl::Status AppendIn(sql::Transaction&, const AuditRecord&) override {
      return absl::UnavailableError("audit table unavailable");
    }
  } failing;
  AuditOnCommit refused(&failing, [&] { return Record("org-a", "alice", "OK", 3); });
  sql::SetThreadCommitHook(&refused);
  EXPECT_EQ(insert("e", absl::OkStatus()).code(), absl::StatusCode::kUnavailable);
  sql::SetThreadCommitHook(previous);
  EXPECT_FALSE(refused.written());
  EXPECT_EQ(rows(), 4);
}

INSTANTIATE_TEST_SUITE_P(
    Drivers, SqlAuditLogTest,
    ::testing::Values(fazhi::testing::Driver::kSqlite, fazhi::testing::Driver::kPostgres),
    fazhi::testing::DriverParamName<::testing::TestParamInfo<fazhi::testing::Driver>>);

}  // namespace
}  // namespace fazhi::auth
