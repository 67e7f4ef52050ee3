#include "services/common/sql/database.h"

#include <algorithm>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "services/common/sql/postgres_database.h"
#include "services/common/sql/sqlite_database.h"
#include "services/common/status_macros.h"

namespace fazhi::sql {

int64_t Row::Int(size_t i) const {
  const Value& v = values_[i];
  if (const auto* n = std::get_if<int64_t>(&v)) return *n;
  if (const auto* d = std::get_if<double>(&v)) return static_cast<int64_t>(*d);
  int64_t parsed = 0;
  if (const auto* s = std::get_if<std::string>(&v))
    return absl::SimpleAtoi(*s, &parsed) ? parsed : 0;
  return 0;
}

double Row::Double(size_t i) const {
  const Value& v = values_[i];
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* n = std::get_if<int64_t>(&v)) return static_cast<double>(*n);
  double parsed = 0;
  if (const auto* s = std::get_if<std::string>(&v))
    return absl::SimpleAtod(*s, &parsed) ? parsed : 0;
  return 0;
}

std::string Row::Text(size_t i) const {
  const Value& v = values_[i];
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* n = std::get_if<int64_t>(&v)) return std::to_string(*n);
  if (const auto* d = std::get_if<double>(&v)) return absl::StrCat(*d);
  return "";
}

namespace {
thread_local CommitHook* thread_commit_hook = nullptr;
}  // namespace

CommitHook* ThreadCommitHook() { return thread_commit_hook; }

CommitHook* SetThreadCommitHook(CommitHook* hook) {
  CommitHook* previous = thread_commit_hook;
  thread_commit_hook = hook;
  return previous;
}

namespace {

// Rows per INSERT, largest first: a batch takes few statements, and each
// size is one statement text (prepared once per connection).
constexpr size_t kRowsPerInsert[] = {64, 8, 1};
// SQLite's default limit of parameters in one statement.
constexpr size_t kMaxParameters = 32766;

std::string MultiRowInsert(const BulkRows& rows, size_t count, absl::string_view returning) {
  std::string sql = absl::StrCat("INSERT INTO ", rows.table, " (",
                                 absl::StrJoin(rows.columns, ", "), ") VALUES ");
  size_t param = 1;
  for (size_t r = 0; r < count; ++r) {
    sql += r == 0 ? "(" : ", (";
    for (size_t c = 0; c < rows.columns.size(); ++c)
      absl::StrAppend(&sql, c ? ", $" : "$", param++);
    sql += ')';
  }
  absl::StrAppend(&sql, " ON CONFLICT DO NOTHING RETURNING ", returning);
  return sql;
}

}  // namespace

absl::StatusOr<std::vector<std::string>> Transaction::InsertRows(const BulkRows& rows,
                                                                 absl::string_view returning) {
  const size_t width = rows.columns.size();
  const absl::Span<const Value> values(rows.values);
  std::vector<std::string> inserted;
  size_t done = 0;
  for (size_t per : kRowsPerInsert) {
    per = std::max<size_t>(1, std::min(per, kMaxParameters / std::max<size_t>(1, width)));
    if (rows.size() - done < per) continue;
    const std::string sql = MultiRowInsert(rows, per, returning);
    for (; rows.size() - done >= per; done += per) {
      ASSIGN_OR_RETURN(std::vector<Row> keys,
                       Query(sql, values.subspan(done * width, per * width)));
      for (const Row& key : keys) inserted.push_back(key.Text(0));
    }
  }
  return inserted;
}

absl::StatusOr<int64_t> Transaction::UpdateRows(const BulkRows& rows, size_t key_columns) {
  std::vector<std::string> sets, keys;
  for (size_t c = 0; c < rows.columns.size(); ++c) {
    (c < key_columns ? keys : sets).push_back(absl::StrCat(rows.columns[c], " = $", c + 1));
  }
  const std::string sql = absl::StrCat("UPDATE ", rows.table, " SET ", absl::StrJoin(sets, ", "),
                                       " WHERE ", absl::StrJoin(keys, " AND "));
  const size_t width = rows.columns.size();
  const absl::Span<const Value> values(rows.values);
  int64_t changed = 0;
  for (size_t r = 0; r < rows.size(); ++r) {
    ASSIGN_OR_RETURN(int64_t n, Execute(sql, values.subspan(r * width, width)));
    changed += n;
  }
  return changed;
}

std::string JsonTextSet(Dialect dialect, int param) {
  return dialect == Dialect::kSqlite
             ? absl::StrCat("(SELECT value FROM json_each($", param, "))")
             : absl::StrCat("(SELECT json_array_elements_text($", param, "::json))");
}

absl::StatusOr<int64_t> SingleReadTransaction::Execute(absl::string_view sql,
                                                       absl::Span<const Value>) {
  return absl::FailedPreconditionError(
      absl::StrCat("a single-statement read cannot write: ", sql.substr(0, 60)));
}

absl::StatusOr<std::vector<Row>> SingleReadTransaction::Query(absl::string_view sql,
                                                              absl::Span<const Value> params) {
  if (used_) {
    return absl::FailedPreconditionError(
        absl::StrCat("a single-statement read ran a second statement: ", sql.substr(0, 60)));
  }
  if (!absl::StartsWithIgnoreCase(absl::StripLeadingAsciiWhitespace(sql), "SELECT")) {
    return absl::FailedPreconditionError(
        absl::StrCat("a single-statement read runs only SELECT: ", sql.substr(0, 60)));
  }
  used_ = true;
  return connection_.Query(sql, params);
}

absl::Status SingleReadTransaction::ExecuteScript(absl::string_view sql) {
  return Execute(sql, {}).status();
}

namespace {
constexpr char kMayHaveCommittedPayload[] = "type.fazhi/sql.MayHaveCommitted";
}  // namespace

bool MayHaveCommitted(const absl::Status& status) {
  return status.GetPayload(kMayHaveCommittedPayload).has_value();
}

absl::Status MarkMayHaveCommitted(absl::Status status) {
  status.SetPayload(kMayHaveCommittedPayload, absl::Cord("1"));
  return status;
}

absl::StatusOr<std::unique_ptr<Database>> CreateDatabase(absl::string_view url,
                                                         absl::string_view read_url) {
  const bool postgres =
      absl::StartsWith(url, "postgresql://") || absl::StartsWith(url, "postgres://");
  if (!read_url.empty()) {
    if (!postgres || !(absl::StartsWith(read_url, "postgresql://") ||
                       absl::StartsWith(read_url, "postgres://"))) {
      return absl::InvalidArgumentError(
          "db_read: a read URL needs PostgreSQL for both --db and --db_read (postgresql://…)");
    }
    return std::unique_ptr<Database>(
        std::make_unique<PostgresDatabase>(std::string(url), std::string(read_url)));
  }
  if (absl::StartsWith(url, "sqlite:")) {
    std::string path(url.substr(7));
    if (path.empty())
      return absl::InvalidArgumentError("db: sqlite URL needs a path, e.g. sqlite:study.db");
    return std::unique_ptr<Database>(std::make_unique<SqliteDatabase>(path));
  }
  if (postgres) {
    return std::unique_ptr<Database>(std::make_unique<PostgresDatabase>(std::string(url)));
  }
  return absl::InvalidArgumentError(absl::StrCat("db: unsupported database URL \"", url,
                                                 "\"; use sqlite:PATH or postgresql://…"));
}

}  // namespace fazhi::sql
