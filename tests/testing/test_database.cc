#include "tests/testing/test_database.h"

#include <libpq-fe.h>

#include <cstdlib>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/common/sql/sqlite_database.h"
#include "services/common/status_macros.h"

namespace fazhi::testing {
namespace {

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

// postgresql://…/postgres → postgresql://…/<database>
std::string WithDatabase(const std::string& admin_url, const std::string& database) {
  const auto slash = admin_url.rfind('/');
  const auto query = admin_url.find('?', slash);
  return admin_url.substr(0, slash + 1) + database +
         (query == std::string::npos ? "" : admin_url.substr(query));
}

// CREATE/DROP DATABASE cannot run inside a transaction, so they go straight
// through libpq rather than through Database::Transact.
absl::Status Admin(const std::string& admin_url, const std::string& statement) {
  PGconn* conn = PQconnectdb(admin_url.c_str());
  absl::Status status;
  if (PQstatus(conn) != CONNECTION_OK) {
    status = absl::UnavailableError(PQerrorMessage(conn));
  } else {
    PGresult* result = PQexec(conn, statement.c_str());
    if (PQresultStatus(result) != PGRES_COMMAND_OK) {
      status = absl::InternalError(absl::StrCat(statement, ": ", PQresultErrorMessage(result)));
    }
    PQclear(result);
  }
  PQfinish(conn);
  return status;
}

}  // namespace

std::string DriverName(Driver driver) { return driver == Driver::kSqlite ? "sqlite" : "postgres"; }

bool PostgresAvailable() { return !Env("FAZHI_TEST_POSTGRES_URL").empty(); }
bool PostgresRequired() { return !Env("FAZHI_REQUIRE_POSTGRES").empty(); }

absl::StatusOr<std::unique_ptr<TestDatabase>> TestDatabase::Create(Driver driver) {
  std::unique_ptr<TestDatabase> test(new TestDatabase());
  test->driver_ = driver;
  if (driver == Driver::kSqlite) {
    test->url_ = "sqlite:" + test->dir_.File("test.db");
  } else {
    test->admin_url_ = Env("FAZHI_TEST_POSTGRES_URL");
    absl::BitGen gen;
    test->database_name_ = absl::StrFormat("fazhi_test_%016x", absl::Uniform<uint64_t>(gen));
    RETURN_IF_ERROR(Admin(test->admin_url_, "CREATE DATABASE " + test->database_name_));
    test->url_ = WithDatabase(test->admin_url_, test->database_name_);
  }
  test->db_ = test->OpenAnother();
  RETURN_IF_ERROR(test->db_->Open());
  return test;
}

TestDatabase::~TestDatabase() {
  db_.reset();  // close the pool before dropping
  if (!database_name_.empty()) {
    Admin(admin_url_, "DROP DATABASE IF EXISTS " + database_name_ + " WITH (FORCE)").IgnoreError();
  }
}

std::unique_ptr<sql::Database> TestDatabase::OpenAnother() const {
  return std::move(sql::CreateDatabase(url_)).value();
}

absl::Status TestDatabase::FailInsertsWhere(const std::string& table, const std::string& column,
                                            const std::string& value) {
  return db_->Transact(sql::TxMode::kReadWrite, [&](sql::Transaction& tx) {
    if (driver_ == Driver::kSqlite) {
      return tx.ExecuteScript(absl::StrCat(
          "CREATE TRIGGER fail_", table, " BEFORE INSERT ON ", table, " WHEN NEW.", column, " = '",
          value, "' BEGIN SELECT RAISE(ABORT, 'injected failure'); END;"));
    }
    return tx.ExecuteScript(absl::StrCat(
        "CREATE FUNCTION fail_", table, "() RETURNS trigger AS $f$ BEGIN IF NEW.", column, " = '",
        value,
        "' THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $f$ LANGUAGE plpgsql;",
        "CREATE TRIGGER fail_", table, " BEFORE INSERT ON ", table,
        " FOR EACH ROW EXECUTE FUNCTION fail_", table, "();"));
  });
}

}  // namespace fazhi::testing
