#ifndef FAZHI_SERVICES_COMMON_SQL_MIGRATIONS_H_
#define FAZHI_SERVICES_COMMON_SQL_MIGRATIONS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "services/common/sql/database.h"

namespace fazhi::sql {

// One versioned schema step, embedded from a service's migrations/NNNN_name.sql.
struct Migration {
  int version;
  std::string name;
  std::string sql;
};

// Applies the migrations not yet recorded in schema_migrations, in version
// order, each in its own transaction together with its record. Safe when
// several processes start at once. Fails when the database records a
// version this binary does not know (a newer binary migrated it).
absl::Status ApplyMigrations(Database& db, const std::vector<Migration>& migrations);

// Records `service` as the owner of the database, or fails with
// FAILED_PRECONDITION naming the owner when another service has it: two
// services' schemas in one database break each other (schema_migrations
// counts one sequence of versions, and both have audit_records). A
// database migrated before owners were recorded is claimed by the first
// service that starts on it. Run before ApplyMigrations.
absl::Status ClaimDatabase(Database& db, const std::string& service);

// Highest applied version, 0 for an empty database.
absl::StatusOr<int> SchemaVersion(Database& db);

}  // namespace fazhi::sql

#endif  // FAZHI_SERVICES_COMMON_SQL_MIGRATIONS_H_
