#include "services/common/sql/migrations.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/common/status_macros.h"

namespace fazhi::sql {
namespace {

constexpr char kCreateTable[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version BIGINT PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " applied_at TEXT NOT NULL)";

absl::StatusOr<int> MaxVersion(Transaction& tx) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
  return static_cast<int>(rows.at(0).Int(0));
}

}  // namespace

absl::StatusOr<int> SchemaVersion(Database& db) {
  int version = 0;
  RETURN_IF_ERROR(db.Transact(TxMode::kReadWrite, [&](Transaction& tx) -> absl::Status {
    RETURN_IF_ERROR(tx.ExecuteScript(kCreateTable));
    ASSIGN_OR_RETURN(version, MaxVersion(tx));
    return absl::OkStatus();
  }));
  return version;
}

namespace {

absl::Status BelongsElsewhere(const std::string& owner, const std::string& service) {
  return absl::FailedPreconditionError(
      absl::StrCat("this database belongs to the ", owner, " service; give ", service,
                   " a database of its own (services never share one)"));
}

}  // namespace

absl::Status ClaimDatabase(Database& db, const std::string& service) {
  if (db.dialect() == Dialect::kSqlite) {
    // Read first: another service's SQLite file is named as such even while
    // that service runs and holds the file for writing.
    std::string owner;
    RETURN_IF_ERROR(db.Transact(TxMode::kReadOnly, [&](Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(
          auto tables,
          tx.Query("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $1",
                   {Value(std::string("schema_owner"))}));
      if (tables.at(0).Int(0) == 0) return absl::OkStatus();
      ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT service FROM schema_owner"));
      if (!rows.empty()) owner = rows.at(0).Text(0);
      return absl::OkStatus();
    }));
    if (!owner.empty() && owner != service) return BelongsElsewhere(owner, service);
  }
  return db.WithMigrationLock([&]() -> absl::Status {
    return db.Transact(TxMode::kReadWrite, [&](Transaction& tx) -> absl::Status {
      RETURN_IF_ERROR(
          tx.ExecuteScript("CREATE TABLE IF NOT EXISTS schema_owner (service TEXT PRIMARY KEY)"));
      ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT service FROM schema_owner"));
      if (rows.empty()) {
        return tx.Execute("INSERT INTO schema_owner (service) VALUES ($1)", {Value(service)})
            .status();
      }
      const std::string owner = rows.at(0).Text(0);
      if (owner == service) return absl::OkStatus();
      return BelongsElsewhere(owner, service);
    });
  });
}

absl::Status ApplyMigrations(Database& db, const std::vector<Migration>& migrations) {
  std::vector<Migration> ordered = migrations;
  std::sort(ordered.begin(), ordered.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  const int newest_known = ordered.empty() ? 0 : ordered.back().version;
  for (size_t i = 1; i < ordered.size(); ++i) {
    // Two files with one number: the second would be skipped silently.
    if (ordered[i].version == ordered[i - 1].version) {
      return absl::InternalError(absl::StrCat("two migrations have version ", ordered[i].version,
                                              ": ", ordered[i - 1].name, " and ", ordered[i].name));
    }
  }
  return db.WithMigrationLock([&]() -> absl::Status {
    for (const Migration& migration : ordered) {
      RETURN_IF_ERROR(db.Transact(TxMode::kReadWrite, [&](Transaction& tx) -> absl::Status {
        RETURN_IF_ERROR(tx.ExecuteScript(kCreateTable));
        ASSIGN_OR_RETURN(int current, MaxVersion(tx));
        if (current > newest_known) {
          return absl::FailedPreconditionError(absl::StrCat(
              "database schema is at version ", current, " but this binary knows only up to ",
              newest_known, "; run a newer release"));
        }
        if (migration.version <= current) return absl::OkStatus();
        absl::Status applied = tx.ExecuteScript(migration.sql);
        if (!applied.ok()) {
          return absl::Status(applied.code(),
                              absl::StrCat("migration ", migration.version, "_", migration.name,
                                           ": ", applied.message()));
        }
        return tx
            .Execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                {Value(int64_t{migration.version}), Value(migration.name),
                 Value(absl::FormatTime(absl::RFC3339_sec, absl::Now(), absl::UTCTimeZone()))})
            .status();
      }));
    }
    return absl::OkStatus();
  });
}

}  // namespace fazhi::sql
