// The audit table's contract, on both drivers: filters, newest first,
// keyset pages.

#include <gtest/gtest.h>

#include "absl/time/clock.h"
#include "services/common/auth/audit.h"
#include "services/common/sql/migrations.h"
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

INSTANTIATE_TEST_SUITE_P(Drivers, SqlAuditLogTest,
                         ::testing::Values(fazhi::testing::Driver::kSqlite,
                                           fazhi::testing::Driver::kPostgres),
                         fazhi::testing::DriverParamName<
                             ::testing::TestParamInfo<fazhi::testing::Driver>>);

}  // namespace
}  // namespace fazhi::auth
