#include "services/common/sql/migrations.h"

#include <thread>

#include "gtest/gtest.h"
#include "services/common/sql/sqlite_database.h"
#include "services/common/status_macros.h"
#include "tests/testing/temp_dir.h"

namespace fazhi::sql {
namespace {

const std::vector<Migration> kV1 = {
    {1, "create", "CREATE TABLE a (x BIGINT); CREATE INDEX a_x ON a (x);"},
};
const std::vector<Migration> kV2 = {
    {1, "create", "CREATE TABLE a (x BIGINT); CREATE INDEX a_x ON a (x);"},
    {2, "add_b", "CREATE TABLE b (y TEXT);"},
};

TEST(MigrationsTest, AppliesInOrderOnceAndUpgrades) {
  fazhi::testing::TempDir dir;
  SqliteDatabase db(dir.File("m.db"));
  ASSERT_TRUE(db.Open().ok());
  EXPECT_EQ(*SchemaVersion(db), 0);
  ASSERT_TRUE(ApplyMigrations(db, kV1).ok());
  EXPECT_EQ(*SchemaVersion(db), 1);
  ASSERT_TRUE(ApplyMigrations(db, kV1).ok());  // again: nothing to do
  ASSERT_TRUE(ApplyMigrations(db, kV2).ok());
  EXPECT_EQ(*SchemaVersion(db), 2);
  EXPECT_TRUE(db.Transact(TxMode::kReadOnly, [](Transaction& tx) {
                  return tx.Query("SELECT y FROM b").status();
                }).ok());
}

TEST(MigrationsTest, RefusesADatabaseFromANewerRelease) {
  fazhi::testing::TempDir dir;
  SqliteDatabase db(dir.File("m.db"));
  ASSERT_TRUE(db.Open().ok());
  ASSERT_TRUE(ApplyMigrations(db, kV2).ok());
  absl::Status status = ApplyMigrations(db, kV1);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
}

TEST(MigrationsTest, FailedMigrationLeavesNoTrace) {
  fazhi::testing::TempDir dir;
  SqliteDatabase db(dir.File("m.db"));
  ASSERT_TRUE(db.Open().ok());
  std::vector<Migration> broken = kV1;
  broken.push_back({2, "broken", "CREATE TABLE c (z TEXT); THIS IS NOT SQL;"});
  EXPECT_FALSE(ApplyMigrations(db, broken).ok());
  EXPECT_EQ(*SchemaVersion(db), 1);
  EXPECT_FALSE(db.Transact(TxMode::kReadOnly, [](Transaction& tx) {
                   return tx.Query("SELECT z FROM c").status();
                 }).ok());
}

TEST(MigrationsTest, ConcurrentStartersMigrateOnce) {
  fazhi::testing::TempDir dir;
  std::vector<std::thread> starters;
  std::atomic<int> failures{0};
  for (int i = 0; i < 4; ++i) {
    starters.emplace_back([&] {
      SqliteDatabase db(dir.File("m.db"));  // one "process" each
      if (!db.Open().ok() || !ApplyMigrations(db, kV2).ok()) ++failures;
    });
  }
  for (auto& t : starters) t.join();
  EXPECT_EQ(failures, 0);
  SqliteDatabase db(dir.File("m.db"));
  ASSERT_TRUE(db.Open().ok());
  int64_t rows = 0;
  ASSERT_TRUE(db.Transact(TxMode::kReadOnly, [&](Transaction& tx) -> absl::Status {
                  ASSIGN_OR_RETURN(auto r, tx.Query("SELECT COUNT(*) FROM schema_migrations"));
                  rows = r[0].Int(0);
                  return absl::OkStatus();
                }).ok());
  EXPECT_EQ(rows, 2);
}

}  // namespace
}  // namespace fazhi::sql
