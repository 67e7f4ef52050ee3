#include "services/report/sql_report_store.h"

#include <map>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/names.h"
#include "services/common/record_errors.h"
#include "services/common/resource.h"
#include "services/common/sql/record_table.h"
#include "services/common/status_macros.h"
#include "services/kernel/digest.h"
#include "services/report/sql_report_rows.h"

namespace fazhi::report {
namespace {

using sql::Row;
using sql::Transaction;
using sql::TxMode;
using sql::Value;

using OrganizationTable = sql::RecordTable<Organization, OrganizationCodec>;
using ReportTable = sql::RecordTable<Report, ReportCodec>;

// ---------------------------------------------------------------------------
// Shared steps.

// The entry numbered one past the organization's last, in one statement
// (a write's round trips are most of its time).
absl::Status AppendHistory(Transaction& tx, const HistoryEntry& entry, absl::Time now) {
  return tx
      .Execute(
          "INSERT INTO history (org, sequence, time, actor, method, resource, comment, "
          "from_state, to_state, revision, request_id) "
          "SELECT CAST($1 AS TEXT), COALESCE(MAX(sequence), 0) + 1, CAST($2 AS BIGINT), "
          "CAST($3 AS TEXT), CAST($4 AS TEXT), CAST($5 AS TEXT), CAST($6 AS TEXT), "
          "CAST($7 AS BIGINT), CAST($8 AS BIGINT), CAST($9 AS BIGINT), CAST($10 AS TEXT) "
          "FROM history WHERE org = $1",
          {Value(entry.org), Value(sql::ToMicros(now)), Value(entry.actor), Value(entry.method),
           Value(entry.resource), Value(entry.comment),
           Value(int64_t{static_cast<int>(entry.from_state)}),
           Value(int64_t{static_cast<int>(entry.to_state)}), Value(int64_t{entry.revision}),
           Value(entry.request_id)})
      .status();
}

absl::StatusOr<Organization> GetOrganizationIn(Transaction& tx, const std::string& id) {
  absl::StatusOr<Organization> org = OrganizationTable::Get(tx, id, id);
  if (absl::IsNotFound(org.status())) {
    return absl::NotFoundError(absl::StrCat("organization orgs/", id, " does not exist"));
  }
  return org;
}

absl::StatusOr<Report> GetReportIn(Transaction& tx, const std::string& org, int32_t year) {
  absl::StatusOr<Report> report = ReportTable::Get(tx, org, absl::StrCat(year));
  if (absl::IsNotFound(report.status())) {
    return absl::NotFoundError(
        absl::StrCat("report ", ReportName{org, year}.Format(), " does not exist"));
  }
  return report;
}

// ALREADY_EXISTS when another organization holds the credit code. Checked
// before writing: a failed insert would spoil the transaction.
absl::Status CheckCreditCodeFree(Transaction& tx, const Organization& org) {
  if (org.credit_code.empty()) return absl::OkStatus();
  ASSIGN_OR_RETURN(auto rows,
                   tx.Query("SELECT id FROM organizations WHERE credit_code = $1 AND id <> $2",
                            {Value(org.credit_code), Value(org.meta.id)}));
  if (rows.empty()) return absl::OkStatus();
  return absl::AlreadyExistsError(absl::StrCat("credit code ", org.credit_code,
                                               " is already registered to orgs/", rows[0].Text(0)));
}

absl::Status WriteSupervisors(Transaction& tx, const Organization& org) {
  RETURN_IF_ERROR(
      tx.Execute("DELETE FROM organization_supervisors WHERE org = $1", {Value(org.meta.id)})
          .status());
  for (const std::string& supervisor : org.supervisors) {
    RETURN_IF_ERROR(
        tx.Execute("INSERT INTO organization_supervisors (org, supervisor) VALUES ($1, $2)",
                   {Value(org.meta.id), Value(supervisor)})
            .status());
  }
  return absl::OkStatus();
}

// Loads the report and its organization, runs `change`, stores the result
// and its history entry.
absl::StatusOr<Report> ChangeIn(Transaction& tx, const std::string& org_id, int32_t year,
                                std::optional<int64_t> expected, const ReportChange& change,
                                HistoryEntry history, absl::Time now) {
  ASSIGN_OR_RETURN(Report report, GetReportIn(tx, org_id, year));
  RETURN_IF_ERROR(CheckExpectedRevision("report", expected, report.meta.revision));
  ASSIGN_OR_RETURN(Organization org, GetOrganizationIn(tx, org_id));
  const ReportState from = report.state;
  const int64_t revision = report.meta.revision;
  RETURN_IF_ERROR(change(org, report, now));
  ASSIGN_OR_RETURN(Report stored, ReportTable::Update(tx, report, revision, now));
  history.org = org_id;
  history.resource = ReportName{org_id, year}.Format();
  history.from_state = from;
  history.to_state = stored.state;
  history.revision = stored.revision;
  RETURN_IF_ERROR(AppendHistory(tx, history, now));
  return stored;
}

constexpr char kRevisionColumns[] =
    "org, year, revision, published_by, publish_time, comment, correction_reason, report, "
    "superseded_by, supersede_time";

absl::StatusOr<Revision> RevisionFromRow(Transaction& tx, const Row& row) {
  Revision r;
  r.org = row.Text(0);
  r.year = static_cast<int32_t>(row.Int(1));
  r.number = static_cast<int32_t>(row.Int(2));
  r.published_by = row.Text(3);
  r.publish_time = sql::FromMicros(row.Int(4));
  r.comment = row.Text(5);
  r.correction_reason = row.Text(6);
  r.report = SnapshotFrom(row.Text(7));
  r.superseded_by = static_cast<int32_t>(row.Int(8));
  if (!row.IsNull(9)) r.supersede_time = sql::FromMicros(row.Int(9));
  ASSIGN_OR_RETURN(auto docs,
                   tx.Query("SELECT format, media_type, size_bytes, sha256 "
                            "FROM report_documents "
                            "WHERE org = $1 AND year = $2 AND revision = $3 "
                            "ORDER BY format",
                            {Value(r.org), Value(int64_t{r.year}), Value(int64_t{r.number})}));
  for (const Row& d : docs) {
    Document doc;
    doc.format = d.Text(0);
    doc.media_type = d.Text(1);
    doc.size_bytes = d.Int(2);
    doc.sha256 = d.Text(3);
    r.documents.push_back(std::move(doc));
  }
  return r;
}

using sql::Read;
using sql::ReadOne;
using sql::Write;

}  // namespace

SqlReportStore::SqlReportStore(sql::Database* db) : db_(db) {}

// ---------------------------------------------------------------------------
// Organizations.

absl::StatusOr<Organization> SqlReportStore::GetOrganization(const std::string& id) {
  return ReadOne<Organization>(*db_, [&](Transaction& tx) { return GetOrganizationIn(tx, id); });
}

absl::StatusOr<std::vector<Organization>> SqlReportStore::ListOrganizations(
    const std::string& supervisor, const std::string& after_id, int limit) {
  return Read<std::vector<Organization>>(*db_, [&](Transaction& tx) {
    // An organization's row has org = id (every write sets both), so the
    // range and the order are on org, where the primary key (org, id)
    // serves them; on id, or with "org = id" spelled out (which PostgreSQL
    // takes for a rare condition), every page read and sorted the whole
    // table.
    if (supervisor.empty()) {
      return OrganizationTable::Select(tx, "org > $1", {Value(after_id)}, "org", limit);
    }
    return OrganizationTable::Select(
        tx, "org > $1 AND org IN (SELECT org FROM organization_supervisors WHERE supervisor = $2)",
        {Value(after_id), Value(supervisor)}, "org", limit);
  });
}

absl::StatusOr<Organization> SqlReportStore::CreateOrganization(Organization org,
                                                                HistoryEntry history) {
  org.meta.org = org.meta.id;
  return Write<Organization>(*db_, [&](Transaction& tx) -> absl::StatusOr<Organization> {
    absl::StatusOr<Organization> existing = OrganizationTable::Get(tx, org.meta.id, org.meta.id);
    if (existing.ok()) {
      return absl::AlreadyExistsError(
          absl::StrCat("organization orgs/", org.meta.id, " already exists"));
    }
    if (!absl::IsNotFound(existing.status())) return existing.status();
    RETURN_IF_ERROR(CheckCreditCodeFree(tx, org));
    const absl::Time now = absl::Now();
    ASSIGN_OR_RETURN(Organization stored, OrganizationTable::Insert(tx, org, now));
    RETURN_IF_ERROR(WriteSupervisors(tx, stored));
    HistoryEntry entry = history;
    entry.org = org.meta.id;
    entry.resource = OrgName(org.meta.id);
    RETURN_IF_ERROR(AppendHistory(tx, entry, now));
    return stored;
  });
}

absl::StatusOr<Organization> SqlReportStore::UpdateOrganization(Organization org,
                                                                int64_t expected_revision,
                                                                HistoryEntry history) {
  org.meta.org = org.meta.id;
  return Write<Organization>(*db_, [&](Transaction& tx) -> absl::StatusOr<Organization> {
    ASSIGN_OR_RETURN(Organization current, GetOrganizationIn(tx, org.meta.id));
    RETURN_IF_ERROR(
        CheckExpectedRevision("organization", expected_revision, current.meta.revision));
    RETURN_IF_ERROR(CheckCreditCodeFree(tx, org));
    const absl::Time now = absl::Now();
    ASSIGN_OR_RETURN(Organization stored,
                     OrganizationTable::Update(tx, org, expected_revision, now));
    RETURN_IF_ERROR(WriteSupervisors(tx, stored));
    HistoryEntry entry = history;
    entry.org = org.meta.id;
    entry.resource = OrgName(org.meta.id);
    RETURN_IF_ERROR(AppendHistory(tx, entry, now));
    return stored;
  });
}

absl::Status SqlReportStore::DeleteOrganization(const std::string& id,
                                                std::optional<int64_t> expected_revision,
                                                HistoryEntry history) {
  return db_->Transact(TxMode::kReadWrite, [&](Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(Organization current, GetOrganizationIn(tx, id));
    RETURN_IF_ERROR(
        CheckExpectedRevision("organization", expected_revision, current.meta.revision));
    ASSIGN_OR_RETURN(auto reports,
                     tx.Query("SELECT COUNT(*) FROM reports WHERE org = $1", {Value(id)}));
    if (reports.at(0).Int(0) > 0) {
      return absl::FailedPreconditionError(absl::StrCat(
          OrgName(id), " has ", reports[0].Int(0),
          " report(s); reports stay on record, so the organization cannot be deleted"));
    }
    RETURN_IF_ERROR(OrganizationTable::Delete(tx, id, id, current.meta.revision));
    RETURN_IF_ERROR(
        tx.Execute("DELETE FROM organization_supervisors WHERE org = $1", {Value(id)}).status());
    history.org = id;
    history.resource = OrgName(id);
    return AppendHistory(tx, history, absl::Now());
  });
}

// ---------------------------------------------------------------------------
// Reports.

absl::StatusOr<Report> SqlReportStore::GetReport(const std::string& org, int32_t year) {
  return ReadOne<Report>(*db_, [&](Transaction& tx) { return GetReportIn(tx, org, year); });
}

absl::StatusOr<ReportStore::OrganizationYear> SqlReportStore::GetOrganizationYear(
    const std::string& org, int32_t year) {
  return Read<OrganizationYear>(*db_, [&](Transaction& tx) -> absl::StatusOr<OrganizationYear> {
    OrganizationYear found;
    ASSIGN_OR_RETURN(found.organization, GetOrganizationIn(tx, org));
    absl::StatusOr<Report> report = GetReportIn(tx, org, year);
    if (report.ok()) {
      found.report = *std::move(report);
    } else if (!absl::IsNotFound(report.status())) {
      return report.status();
    }
    return found;
  });
}

absl::StatusOr<std::vector<Report>> SqlReportStore::ListReports(const std::string& org,
                                                                int32_t after_year, int limit) {
  return ReadOne<std::vector<Report>>(db_->StaleReads(), [&](Transaction& tx) {
    return ReportTable::Select(tx, "org = $1 AND year > $2",
                               {Value(org), Value(int64_t{after_year})}, "year", limit);
  });
}

absl::StatusOr<Report> SqlReportStore::CreateReport(Report report, const ReportChange& prepare,
                                                    HistoryEntry history) {
  report.meta.id = absl::StrCat(report.year);
  return Write<Report>(*db_, [&](Transaction& tx) -> absl::StatusOr<Report> {
    Report record = report;  // a retry starts again from the caller's copy
    ASSIGN_OR_RETURN(Organization org, GetOrganizationIn(tx, record.meta.org));
    absl::StatusOr<Report> existing = ReportTable::Get(tx, record.meta.org, record.meta.id);
    if (existing.ok()) {
      return absl::AlreadyExistsError(
          absl::StrCat("report ", ReportName{record.meta.org, record.year}.Format(),
                       " already exists; update it"));
    }
    if (!absl::IsNotFound(existing.status())) return existing.status();
    const absl::Time now = absl::Now();
    RETURN_IF_ERROR(prepare(org, record, now));
    ASSIGN_OR_RETURN(Report stored, ReportTable::Insert(tx, record, now));
    HistoryEntry entry = history;
    entry.org = stored.meta.org;
    entry.resource = ReportName{stored.meta.org, stored.year}.Format();
    entry.to_state = stored.state;
    entry.revision = stored.revision;
    RETURN_IF_ERROR(AppendHistory(tx, entry, now));
    return stored;
  });
}

absl::StatusOr<Report> SqlReportStore::ChangeReport(const std::string& org, int32_t year,
                                                    std::optional<int64_t> expected_revision,
                                                    const ReportChange& change,
                                                    HistoryEntry history) {
  return Write<Report>(*db_, [&](Transaction& tx) {
    return ChangeIn(tx, org, year, expected_revision, change, history, absl::Now());
  });
}

absl::StatusOr<Report> SqlReportStore::PublishReport(const std::string& org, int32_t year,
                                                     std::optional<int64_t> expected_revision,
                                                     const ReportChange& change,
                                                     std::vector<Document> documents,
                                                     HistoryEntry history) {
  for (Document& doc : documents) {
    doc.sha256 = kernel::Sha256Hex(doc.content);
    doc.size_bytes = static_cast<int64_t>(doc.content.size());
  }
  return Write<Report>(*db_, [&](Transaction& tx) -> absl::StatusOr<Report> {
    const absl::Time now = absl::Now();
    ASSIGN_OR_RETURN(Report published,
                     ChangeIn(tx, org, year, expected_revision, change, history, now));
    if (published.state != ReportState::kPublished) {
      return absl::InternalError("the publish change did not publish the report");
    }
    const int64_t number = published.revision;
    RETURN_IF_ERROR(tx.Execute(absl::StrCat("INSERT INTO report_revisions (", kRevisionColumns,
                                            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, NULL)"),
                               {Value(org), Value(int64_t{year}), Value(number),
                                Value(published.life.published_by),
                                Value(sql::ToMicros(published.life.publish_time.value_or(now))),
                                Value(history.comment), Value(published.correction_reason),
                                Value(SnapshotJson(published))})
                        .status());
    for (const Document& doc : documents) {
      RETURN_IF_ERROR(
          tx.Execute("INSERT INTO report_documents (org, year, revision, format, media_type, "
                     "size_bytes, sha256, content) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                     {Value(org), Value(int64_t{year}), Value(number), Value(doc.format),
                      Value(doc.media_type), Value(doc.size_bytes), Value(doc.sha256),
                      Value(absl::Base64Escape(doc.content))})
              .status());
    }
    // The revisions before this one are superseded now.
    RETURN_IF_ERROR(
        tx.Execute("UPDATE report_revisions SET superseded_by = $4, supersede_time = $5 "
                   "WHERE org = $1 AND year = $2 AND revision < $3 "
                   "AND superseded_by = 0",
                   {Value(org), Value(int64_t{year}), Value(number), Value(number),
                    Value(sql::ToMicros(now))})
            .status());
    return published;
  });
}

absl::Status SqlReportStore::DeleteReport(const std::string& org, int32_t year,
                                          std::optional<int64_t> expected_revision,
                                          const ReportChange& check, HistoryEntry history) {
  return db_->Transact(TxMode::kReadWrite, [&](Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(Report report, GetReportIn(tx, org, year));
    RETURN_IF_ERROR(CheckExpectedRevision("report", expected_revision, report.meta.revision));
    ASSIGN_OR_RETURN(Organization organization, GetOrganizationIn(tx, org));
    const absl::Time now = absl::Now();
    Report copy = report;
    RETURN_IF_ERROR(check(organization, copy, now));
    RETURN_IF_ERROR(ReportTable::Delete(tx, org, report.meta.id, report.meta.revision));
    HistoryEntry entry = history;
    entry.org = org;
    entry.resource = ReportName{org, year}.Format();
    entry.from_state = report.state;
    entry.revision = report.revision;
    return AppendHistory(tx, entry, now);
  });
}

// ---------------------------------------------------------------------------
// Revisions and documents.

absl::StatusOr<Revision> SqlReportStore::GetRevision(const std::string& org, int32_t year,
                                                     int32_t number) {
  return Read<Revision>(*db_, [&](Transaction& tx) -> absl::StatusOr<Revision> {
    ASSIGN_OR_RETURN(auto rows,
                     tx.Query(absl::StrCat("SELECT ", kRevisionColumns,
                                           " FROM report_revisions WHERE org = $1 "
                                           "AND year = $2 AND revision = $3"),
                              {Value(org), Value(int64_t{year}), Value(int64_t{number})}));
    if (rows.empty()) {
      return absl::NotFoundError(
          absl::StrCat("revision ", RevisionName{org, year, number}.Format(),
                       " does not exist (only published revisions are kept as revisions)"));
    }
    return RevisionFromRow(tx, rows[0]);
  });
}

absl::StatusOr<std::vector<Revision>> SqlReportStore::ListRevisions(const std::string& org,
                                                                    int32_t year,
                                                                    int32_t after_number,
                                                                    int limit) {
  return Read<std::vector<Revision>>(
      *db_, [&](Transaction& tx) -> absl::StatusOr<std::vector<Revision>> {
        std::string sql = absl::StrCat("SELECT ", kRevisionColumns,
                                       " FROM report_revisions WHERE org = $1 AND year = $2 "
                                       "AND revision > $3 ORDER BY revision");
        if (limit > 0) absl::StrAppend(&sql, " LIMIT ", limit);
        ASSIGN_OR_RETURN(auto rows, tx.Query(sql, {Value(org), Value(int64_t{year}),
                                                   Value(int64_t{after_number})}));
        std::vector<Revision> revisions;
        for (const Row& row : rows) {
          ASSIGN_OR_RETURN(Revision r, RevisionFromRow(tx, row));
          revisions.push_back(std::move(r));
        }
        return revisions;
      });
}

absl::StatusOr<Document> SqlReportStore::GetDocument(const std::string& org, int32_t year,
                                                     int32_t number, const std::string& format) {
  return Read<Document>(*db_, [&](Transaction& tx) -> absl::StatusOr<Document> {
    ASSIGN_OR_RETURN(
        auto rows,
        tx.Query("SELECT media_type, size_bytes, sha256, content FROM report_documents "
                 "WHERE org = $1 AND year = $2 AND revision = $3 AND format = $4",
                 {Value(org), Value(int64_t{year}), Value(int64_t{number}), Value(format)}));
    const std::string name = DocumentName{org, year, number, format}.Format();
    if (rows.empty())
      return absl::NotFoundError(absl::StrCat("document ", name, " does not exist"));
    Document doc;
    doc.format = format;
    doc.media_type = rows[0].Text(0);
    doc.size_bytes = rows[0].Int(1);
    doc.sha256 = rows[0].Text(2);
    if (!absl::Base64Unescape(rows[0].Text(3), &doc.content) ||
        static_cast<int64_t>(doc.content.size()) != doc.size_bytes ||
        kernel::Sha256Hex(doc.content) != doc.sha256) {
      return absl::DataLossError(
          absl::StrCat("document ", name, " no longer matches its stored SHA-256"));
    }
    return doc;
  });
}

// ---------------------------------------------------------------------------
// Supervision and history.

absl::StatusOr<std::vector<SupervisedReport>> SqlReportStore::LoadSupervised(
    const std::string& supervisor, int32_t year) {
  return Read<std::vector<SupervisedReport>>(
      db_->StaleReads(), [&](Transaction& tx) -> absl::StatusOr<std::vector<SupervisedReport>> {
        constexpr char kSupervised[] =
            " IN (SELECT org FROM organization_supervisors WHERE supervisor = $1)";
        ASSIGN_OR_RETURN(auto orgs, OrganizationTable::Select(tx, absl::StrCat("org", kSupervised),
                                                              {Value(supervisor)}, "org", 0));
        ASSIGN_OR_RETURN(auto reports,
                         ReportTable::Select(tx, absl::StrCat("year = $2 AND org", kSupervised),
                                             {Value(supervisor), Value(int64_t{year})}, "org", 0));
        std::map<std::string, Report> by_org;
        for (Report& r : reports) by_org.emplace(r.meta.org, std::move(r));
        std::vector<SupervisedReport> out;
        for (Organization& o : orgs) {
          SupervisedReport entry;
          auto it = by_org.find(o.meta.id);
          if (it != by_org.end()) entry.report = std::move(it->second);
          entry.organization = std::move(o);
          out.push_back(std::move(entry));
        }
        return out;
      });
}

absl::StatusOr<std::vector<HistoryEntry>> SqlReportStore::ListHistory(const std::string& org,
                                                                      const std::string& resource,
                                                                      int64_t after_sequence,
                                                                      int limit) {
  return Read<std::vector<HistoryEntry>>(
      db_->StaleReads(), [&](Transaction& tx) -> absl::StatusOr<std::vector<HistoryEntry>> {
        std::string sql =
            "SELECT org, sequence, time, actor, method, resource, comment, from_state, to_state, "
            "revision, request_id FROM history WHERE org = $1 AND sequence > $2";
        std::vector<Value> params = {Value(org), Value(after_sequence)};
        if (!resource.empty()) {
          absl::StrAppend(&sql, " AND (resource = $3 OR resource LIKE $4)");
          params.push_back(Value(resource));
          params.push_back(Value(absl::StrCat(resource, "/%")));
        }
        absl::StrAppend(&sql, " ORDER BY sequence");
        if (limit > 0) absl::StrAppend(&sql, " LIMIT ", limit);
        ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
        std::vector<HistoryEntry> entries;
        for (const Row& row : rows) {
          HistoryEntry e;
          e.org = row.Text(0);
          e.sequence = row.Int(1);
          e.time = sql::FromMicros(row.Int(2));
          e.actor = row.Text(3);
          e.method = row.Text(4);
          e.resource = row.Text(5);
          e.comment = row.Text(6);
          e.from_state = static_cast<ReportState>(row.Int(7));
          e.to_state = static_cast<ReportState>(row.Int(8));
          e.revision = static_cast<int32_t>(row.Int(9));
          e.request_id = row.Text(10);
          entries.push_back(std::move(e));
        }
        return entries;
      });
}

}  // namespace fazhi::report
