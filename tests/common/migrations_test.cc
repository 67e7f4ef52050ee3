#include "services/common/sql/migrations.h"

#include <thread>

#include "gtest/gtest.h"
#include "services/common/status_macros.h"
#include "tests/testing/test_database.h"

namespace fazhi::sql {
namespace {

using fazhi::testing::Driver;

const std::vector<Migration> kV1 = {
    {1, "create", "CREATE TABLE a (x BIGINT); CREATE INDEX a_x ON a (x);"},
};
const std::vector<Migration> kV2 = {
    {1, "create", "CREATE TABLE a (x BIGINT); CREATE INDEX a_x ON a (x);"},
    {2, "add_b", "CREATE TABLE b (y TEXT);"},
};

class MigrationsTest : public ::testing::TestWithParam<Driver> {
 protected:
  void SetUp() override { FAZHI_SETUP_TEST_DATABASE(GetParam(), test_); }
  Database& db() { return test_->db(); }
  std::unique_ptr<fazhi::testing::TestDatabase> test_;
};

TEST_P(MigrationsTest, AppliesInOrderOnceAndUpgrades) {
  EXPECT_EQ(*SchemaVersion(db()), 0);
  ASSERT_TRUE(ApplyMigrations(db(), kV1).ok());
  EXPECT_EQ(*SchemaVersion(db()), 1);
  ASSERT_TRUE(ApplyMigrations(db(), kV1).ok());  // again: nothing to do
  ASSERT_TRUE(ApplyMigrations(db(), kV2).ok());
  EXPECT_EQ(*SchemaVersion(db()), 2);
  EXPECT_TRUE(db().Transact(TxMode::kReadOnly,
                            [](Transaction& tx) { return tx.Query("SELECT y FROM b").status(); })
                  .ok());
}

TEST_P(MigrationsTest, OneServicePerDatabase) {
  ASSERT_TRUE(ClaimDatabase(db(), "study").ok());
  ASSERT_TRUE(ClaimDatabase(db(), "study").ok());  // a restart, a replica
  const absl::Status other = ClaimDatabase(db(), "duty");
  EXPECT_EQ(other.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(other.message().find("belongs to the study service"), absl::string_view::npos) << other;
}

TEST_P(MigrationsTest, RefusesADatabaseFromANewerRelease) {
  ASSERT_TRUE(ApplyMigrations(db(), kV2).ok());
  EXPECT_EQ(ApplyMigrations(db(), kV1).code(), absl::StatusCode::kFailedPrecondition);
}

TEST_P(MigrationsTest, FailedMigrationLeavesNoTrace) {
  std::vector<Migration> broken = kV1;
  broken.push_back({2, "broken", "CREATE TABLE c (z TEXT); THIS IS NOT SQL;"});
  EXPECT_FALSE(ApplyMigrations(db(), broken).ok());
  EXPECT_EQ(*SchemaVersion(db()), 1);
  EXPECT_FALSE(db().Transact(TxMode::kReadOnly,
                             [](Transaction& tx) { return tx.Query("SELECT z FROM c").status(); })
                   .ok());
}

TEST_P(MigrationsTest, ConcurrentStartersMigrateOnce) {
  std::vector<std::thread> starters;
  std::atomic<int> failures{0};
  for (int i = 0; i < 4; ++i) {
    starters.emplace_back([&] {
      auto replica = test_->OpenAnother();  // one "process" each
      if (!replica->Open().ok() || !ApplyMigrations(*replica, kV2).ok()) ++failures;
    });
  }
  for (auto& t : starters) t.join();
  EXPECT_EQ(failures, 0);
  int64_t rows = 0;
  ASSERT_TRUE(db().Transact(TxMode::kReadOnly,
                            [&](Transaction& tx) -> absl::Status {
                              ASSIGN_OR_RETURN(auto r,
                                               tx.Query("SELECT COUNT(*) FROM schema_migrations"));
                              rows = r[0].Int(0);
                              return absl::OkStatus();
                            })
                  .ok());
  EXPECT_EQ(rows, 2);
}

INSTANTIATE_TEST_SUITE_P(Drivers, MigrationsTest,
                         ::testing::Values(Driver::kSqlite, Driver::kPostgres),
                         fazhi::testing::DriverParamName<::testing::TestParamInfo<Driver>>);

}  // namespace
}  // namespace fazhi::sql
