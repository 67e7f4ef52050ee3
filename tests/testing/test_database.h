#ifndef FAZHI_TESTS_TESTING_TEST_DATABASE_H_
#define FAZHI_TESTS_TESTING_TEST_DATABASE_H_

// A fresh, empty database per test on either driver, for contract tests
// that must hold on both. PostgreSQL tests need FAZHI_TEST_POSTGRES_URL
// (an admin URL of a throwaway server; scripts/with-postgres.sh sets it):
// each test gets its own database, dropped afterwards.

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "services/common/sql/database.h"
#include "tests/testing/temp_dir.h"

namespace fazhi::testing {

enum class Driver { kSqlite, kPostgres };

std::string DriverName(Driver driver);

// For INSTANTIATE_TEST_SUITE_P(..., ::testing::Values(kSqlite, kPostgres),
// DriverParamName).
template <typename Info>
std::string DriverParamName(const Info& info) {
  return DriverName(info.param);
}

// Whether the PostgreSQL variant can run here; when it cannot and
// FAZHI_REQUIRE_POSTGRES is set, that is a failure, not a skip.
bool PostgresAvailable();
bool PostgresRequired();

class TestDatabase {
 public:
  static absl::StatusOr<std::unique_ptr<TestDatabase>> Create(Driver driver);
  ~TestDatabase();

  // A new connection pool (or file handle) on the same database, as a
  // second process would open it. Not opened yet.
  std::unique_ptr<sql::Database> OpenAnother() const;
  // The database, opened.
  sql::Database& db() { return *db_; }
  const std::string& url() const { return url_; }
  Driver driver() const { return driver_; }

  // Makes inserts into `table` fail when `column` = `value`, standing in for
  // a store failure in the middle of a batch.
  absl::Status FailInsertsWhere(const std::string& table, const std::string& column,
                                const std::string& value);

 private:
  TestDatabase() = default;

  Driver driver_ = Driver::kSqlite;
  TempDir dir_;
  std::string url_;
  std::string admin_url_;
  std::string database_name_;
  std::unique_ptr<sql::Database> db_;
};

}  // namespace fazhi::testing

// In a parameterized fixture's SetUp: skip (or fail, in CI) when the driver
// cannot run here, otherwise create the database into `holder`.
#define FAZHI_SETUP_TEST_DATABASE(driver, holder)                                     \
  do {                                                                                \
    if ((driver) == ::fazhi::testing::Driver::kPostgres &&                            \
        !::fazhi::testing::PostgresAvailable()) {                                     \
      if (::fazhi::testing::PostgresRequired()) {                                     \
        FAIL() << "FAZHI_REQUIRE_POSTGRES is set but FAZHI_TEST_POSTGRES_URL is not"; \
      }                                                                               \
      GTEST_SKIP() << "PostgreSQL variant: set FAZHI_TEST_POSTGRES_URL "              \
                      "(bash scripts/with-postgres.sh ctest does)";                   \
    }                                                                                 \
    auto created = ::fazhi::testing::TestDatabase::Create(driver);                    \
    ASSERT_TRUE(created.ok()) << created.status();                                    \
    (holder) = std::move(created).value();                                            \
  } while (false)

#endif  // FAZHI_TESTS_TESTING_TEST_DATABASE_H_
