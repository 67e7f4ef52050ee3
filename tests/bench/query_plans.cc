// fazhi-query-plans: the query plans of the statements the stores really
// run for one organization's year — what composing its report reads (study
// LoadYear, duty LoadCoverageSnapshot, report organization and report), a keyset
// page of every List, the supervisor dashboard, and an import batch's
// statements — on a database the services filled (e.g. by fazhi-generate).
//
// The stores run against a recording wrapper of the database; every
// statement they send is then explained on the same database with the same
// parameters (SQLite: EXPLAIN QUERY PLAN; PostgreSQL: EXPLAIN). A plan step
// that reads a whole table or index (SQLite "SCAN", PostgreSQL "Seq Scan")
// is marked FULL SCAN; a sort outside an index is marked SORT. Writes run in
// transactions that are rolled back. With --analyze (PostgreSQL) every
// SELECT is run as well, and its plan shows what it read: rows, heap
// fetches of an index-only scan, shared buffers hit and read.
//
// A SQLite file that a running service writes is refused here (the rolled-
// back import is a write, and one process at a time writes a SQLite file):
// give it a copy (`sqlite3 FILE ".backup COPY"`), as bench-province.sh does.
//
//   fazhi-query-plans --study_db=sqlite:study.db --duty_db=sqlite:duty.db
//       --report_db=sqlite:report.db --org=c001-minzheng --year=2024

#include <cstdio>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/common/sql/database.h"
#include "services/common/status_macros.h"
#include "services/duty/sql_duty_store.h"
#include "services/report/sql_report_store.h"
#include "services/study/sql_study_store.h"

ABSL_FLAG(std::string, study_db, "", "study database URL (empty: skip)");
ABSL_FLAG(std::string, duty_db, "", "duty database URL (empty: skip)");
ABSL_FLAG(std::string, report_db, "", "report database URL (empty: skip)");
ABSL_FLAG(std::string, org, "c001-minzheng", "organization slug");
ABSL_FLAG(std::string, supervisor, "c001-yifazhi", "supervisor slug for the dashboard query");
ABSL_FLAG(int, year, 2024, "report year");
ABSL_FLAG(bool, fail_on_scan, false, "exit 1 when a plan has a full scan");
ABSL_FLAG(bool, analyze, false,
          "PostgreSQL: run each SELECT too (EXPLAIN (ANALYZE, BUFFERS)): rows, heap fetches, "
          "buffers hit and read, time");

namespace {

using fazhi::sql::Database;
using fazhi::sql::Row;
using fazhi::sql::Transaction;
using fazhi::sql::TxMode;
using fazhi::sql::Value;

struct Statement {
  std::string sql;
  std::vector<Value> params;
  std::string purpose;  // the store call that sent it
};

// Passes everything through and notes each statement.
class RecordingTransaction : public Transaction {
 public:
  RecordingTransaction(Transaction& inner, std::vector<Statement>& log, const std::string& purpose)
      : inner_(inner), log_(log), purpose_(purpose) {}
  absl::StatusOr<int64_t> Execute(absl::string_view sql, absl::Span<const Value> params) override {
    Note(sql, params);
    return inner_.Execute(sql, params);
  }
  absl::StatusOr<std::vector<Row>> Query(absl::string_view sql,
                                         absl::Span<const Value> params) override {
    Note(sql, params);
    return inner_.Query(sql, params);
  }
  absl::Status ExecuteScript(absl::string_view sql) override { return inner_.ExecuteScript(sql); }

 private:
  void Note(absl::string_view sql, absl::Span<const Value> params) {
    log_.push_back({std::string(sql), std::vector<Value>(params.begin(), params.end()), purpose_});
  }
  Transaction& inner_;
  std::vector<Statement>& log_;
  const std::string& purpose_;
};

// A Database whose transactions are recorded; with `roll_back` set, every
// write transaction is rolled back after its body ran.
class RecordingDatabase : public Database {
 public:
  explicit RecordingDatabase(Database* inner) : inner_(inner) {}
  absl::Status Open() override { return inner_->Open(); }
  fazhi::sql::Dialect dialect() const override { return inner_->dialect(); }
  std::string Describe() const override { return inner_->Describe(); }
  absl::Status Transact(TxMode mode, absl::FunctionRef<absl::Status(Transaction&)> body) override {
    absl::Status body_status;
    bool ran = false;  // a transaction refused before its body is no success
    absl::Status status = inner_->Transact(mode, [&](Transaction& tx) -> absl::Status {
      ran = true;
      RecordingTransaction recording(tx, log_, purpose_);
      body_status = body(recording);
      if (body_status.ok() && mode == TxMode::kReadWrite)
        return absl::AbortedError("rolled back on purpose");
      return body_status;
    });
    return ran && mode == TxMode::kReadWrite && body_status.ok() ? absl::OkStatus() : status;
  }
  absl::Status WithMigrationLock(absl::FunctionRef<absl::Status()> body) override {
    return inner_->WithMigrationLock(body);
  }

  void set_purpose(std::string purpose) { purpose_ = std::move(purpose); }
  const std::vector<Statement>& log() const { return log_; }

 private:
  Database* inner_;
  std::vector<Statement> log_;
  std::string purpose_;
};

std::string Literal(const Value& v) {
  if (const auto* n = std::get_if<int64_t>(&v)) return absl::StrCat(*n);
  if (const auto* d = std::get_if<double>(&v)) return absl::StrCat(*d);
  if (const auto* s = std::get_if<std::string>(&v))
    return absl::StrCat("'", absl::StrReplaceAll(*s, {{"'", "''"}}), "'");
  return "NULL";
}

// $N → the literal of params[N-1], highest N first so $1 never eats $12.
std::string Inline(const Statement& s) {
  std::string sql = s.sql;
  for (size_t i = s.params.size(); i >= 1; --i) {
    sql = absl::StrReplaceAll(sql, {{absl::StrCat("$", i), Literal(s.params[i - 1])}});
  }
  return sql;
}

// "SELECT org, id, … FROM t" → "SELECT … FROM t": the column lists are long.
std::string Short(const std::string& sql) {
  if (!absl::StartsWith(sql, "SELECT ")) return sql.size() > 160 ? sql.substr(0, 157) + "…" : sql;
  const size_t from = sql.find(" FROM ");
  if (from == std::string::npos || from < 60) return sql;
  return absl::StrCat("SELECT … ", sql.substr(from + 1));
}

struct Counts {
  int statements = 0, scans = 0, sorts = 0;
};

absl::Status Explain(Database& db, const std::vector<Statement>& log, Counts& counts) {
  std::map<std::string, bool> seen;
  std::string purpose;
  for (const Statement& s : log) {
    if (seen[s.sql]) continue;
    seen[s.sql] = true;
    if (s.purpose != purpose) {
      purpose = s.purpose;
      std::printf("-- %s\n", purpose.c_str());
    }
    ++counts.statements;
    std::printf("   %s\n", Short(s.sql).c_str());
    std::vector<std::string> lines;
    absl::Status status = db.Transact(TxMode::kReadOnly, [&](Transaction& tx) -> absl::Status {
      if (db.dialect() == fazhi::sql::Dialect::kSqlite) {
        ASSIGN_OR_RETURN(auto rows, tx.Query(absl::StrCat("EXPLAIN QUERY PLAN ", s.sql), s.params));
        for (const Row& r : rows) lines.push_back(r.Text(3));
      } else {
        // Only a read may run: the plans are explained in a read-only transaction.
        const bool analyze = absl::GetFlag(FLAGS_analyze) && absl::StartsWith(s.sql, "SELECT");
        ASSIGN_OR_RETURN(auto rows,
                         tx.Query(absl::StrCat(analyze ? "EXPLAIN (ANALYZE, BUFFERS) " : "EXPLAIN ",
                                               Inline(s))));
        for (const Row& r : rows) lines.push_back(r.Text(0));
      }
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    bool scan = false, sort = false;
    for (const std::string& line : lines) {
      const absl::string_view step =
          absl::StripLeadingAsciiWhitespace(absl::StripPrefix(line, "->"));
      // A scan of json_each is of a parameter's list (an import's
      // external ids), not of a table.
      const bool full = (absl::StartsWith(absl::StripLeadingAsciiWhitespace(line), "SCAN ") &&
                         !absl::StrContains(line, "SCAN json_each")) ||
                        absl::StrContains(line, "Seq Scan");
      const bool sorts = absl::StrContains(line, "TEMP B-TREE") ||
                         absl::StartsWith(absl::StripLeadingAsciiWhitespace(step), "Sort");
      scan = scan || full;
      sort = sort || sorts;
      std::printf("      %s%s\n", line.c_str(),
                  full    ? "   <-- FULL SCAN"
                  : sorts ? "   <-- SORT"
                          : "");
    }
    counts.scans += scan ? 1 : 0;
    counts.sorts += sort ? 1 : 0;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Database>> OpenDb(const std::string& url) {
  ASSIGN_OR_RETURN(auto db, fazhi::sql::CreateDatabase(url));
  RETURN_IF_ERROR(db->Open());
  return db;
}

// Runs the study store's reads (and an import, rolled back) for org/year.
absl::Status Study(const std::string& url, const std::string& org, int year, Counts& counts) {
  ASSIGN_OR_RETURN(auto db, OpenDb(url));
  RecordingDatabase recording(db.get());
  fazhi::study::SqlStudyStore store(&recording);
  recording.set_purpose(absl::StrCat("study GetStudySummary: LoadYear(", org, ", ", year, ")"));
  ASSIGN_OR_RETURN(auto records, store.LoadYear(org, year));
  recording.set_purpose("study ListSessions: first page, then the page after it (keyset)");
  ASSIGN_OR_RETURN(auto page, store.ListSessions(org, {}, std::nullopt, 100));
  if (!page.empty()) {
    fazhi::study::DatedPosition after{page.back().date, page.back().meta.id};
    RETURN_IF_ERROR(store.ListSessions(org, {}, after, 100).status());
  }
  recording.set_purpose("study ListPublicityEvents: the page after the first (keyset)");
  ASSIGN_OR_RETURN(auto events, store.ListEvents(org, {}, std::nullopt, 5));
  if (!events.empty()) {
    fazhi::study::DatedPosition after{events.back().date, events.back().meta.id};
    RETURN_IF_ERROR(store.ListEvents(org, {}, after, 5).status());
  }
  if (!records.sessions.empty()) {
    recording.set_purpose(
        "study ImportSessions: a row whose external id is taken, its insert skipped and its "
        "record looked up (rolled back)");
    RETURN_IF_ERROR(
        store.ImportSessions(org, {records.sessions.front()}, fazhi::ImportMode::kCreateOnly)
            .status());
  }
  return Explain(*db, recording.log(), counts);
}

absl::Status Duty(const std::string& url, const std::string& org, Counts& counts) {
  ASSIGN_OR_RETURN(auto db, OpenDb(url));
  RecordingDatabase recording(db.get());
  fazhi::duty::SqlDutyStore store(&recording);
  recording.set_purpose(
      absl::StrCat("duty GetDutySummary / GetCoverage: LoadCoverageSnapshot(", org, ")"));
  RETURN_IF_ERROR(store.LoadCoverageSnapshot(org).status());
  // Statements already shown are not repeated: what is left is AllocateDuties' whole assignments.
  recording.set_purpose(absl::StrCat("duty AllocateDuties: LoadSnapshot(", org, ")"));
  ASSIGN_OR_RETURN(auto snapshot, store.LoadSnapshot(org));
  recording.set_purpose(
      "duty ListPowers / ListOfficers / ListAssignments: the page after the first");
  if (!snapshot.powers.empty())
    RETURN_IF_ERROR(store.ListPowers(org, {}, snapshot.powers.front().code, 10).status());
  if (!snapshot.officers.empty()) {
    RETURN_IF_ERROR(store.ListOfficers(org, {}, snapshot.officers.front().person_id, 10).status());
  }
  if (!snapshot.assignments.empty()) {
    const auto& a = snapshot.assignments.front();
    fazhi::duty::AssignmentPosition after{a.power_id, a.officer_id};
    RETURN_IF_ERROR(store.ListAssignments(org, {}, after, 10).status());
  }
  return Explain(*db, recording.log(), counts);
}

absl::Status Report(const std::string& url, const std::string& org, const std::string& supervisor,
                    int year, Counts& counts) {
  ASSIGN_OR_RETURN(auto db, OpenDb(url));
  RecordingDatabase recording(db.get());
  fazhi::report::SqlReportStore store(&recording);
  recording.set_purpose("report GetOrganization, GetReport (the gateway's fan-out)");
  RETURN_IF_ERROR(store.GetOrganization(org).status());
  RETURN_IF_ERROR(store.GetReport(org, year).status());
  recording.set_purpose(
      "report ListOrganizations (all, and by supervisor), ListReports, ListHistory");
  RETURN_IF_ERROR(store.ListOrganizations("", org, 50).status());
  RETURN_IF_ERROR(store.ListOrganizations(supervisor, "", 50).status());
  RETURN_IF_ERROR(store.ListReports(org, year - 3, 50).status());
  RETURN_IF_ERROR(store.ListHistory(org, "", 1, 50).status());
  recording.set_purpose(
      absl::StrCat("report GetDashboard / ListOverdueReports: LoadSupervised(", supervisor, ")"));
  RETURN_IF_ERROR(store.LoadSupervised(supervisor, year).status());
  return Explain(*db, recording.log(), counts);
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage("query plans of the statements the stores run");
  absl::ParseCommandLine(argc, argv);
  const std::string org = absl::GetFlag(FLAGS_org);
  const int year = absl::GetFlag(FLAGS_year);
  Counts counts;
  struct Part {
    const char* name;
    std::string url;
    std::function<absl::Status(const std::string&)> run;
  };
  const std::vector<Part> parts = {
      {"study", absl::GetFlag(FLAGS_study_db),
       [&](const std::string& u) { return Study(u, org, year, counts); }},
      {"duty", absl::GetFlag(FLAGS_duty_db),
       [&](const std::string& u) { return Duty(u, org, counts); }},
      {"report", absl::GetFlag(FLAGS_report_db),
       [&](const std::string& u) {
         return Report(u, org, absl::GetFlag(FLAGS_supervisor), year, counts);
       }},
  };
  for (const Part& part : parts) {
    if (part.url.empty()) continue;
    std::printf("== %s store (%s)\n", part.name,
                absl::StartsWith(part.url, "sqlite:") ? "SQLite" : "PostgreSQL");
    if (absl::Status status = part.run(part.url); !status.ok()) {
      std::cerr << "fazhi-query-plans: " << part.name << ": " << status << "\n";
      return 1;
    }
  }
  std::printf("%d statements explained: %d with a full scan, %d with a sort outside an index\n",
              counts.statements, counts.scans, counts.sorts);
  return absl::GetFlag(FLAGS_fail_on_scan) && counts.scans > 0 ? 1 : 0;
}
