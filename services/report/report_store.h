#ifndef FAZHI_SERVICES_REPORT_REPORT_STORE_H_
#define FAZHI_SERVICES_REPORT_REPORT_STORE_H_

// Persistence of organizations, reports, published revisions and the
// history, behind an interface so the handlers do not depend on SQL.
//
// Every mutation takes the HistoryEntry that records it (actor, method,
// comment, request id; the store fills in sequence, time, resource, states
// and revision) and writes both in one transaction: a change is never
// stored without its history entry, nor the other way round.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/report/model.h"

namespace fazhi::report {

// A change of a stored report, run inside the store's write transaction on
// the report as stored and its organization. It must only touch its
// arguments (a driver may run it again on a retry). An error aborts the
// change and is returned as is.
using ReportChange =
    std::function<absl::Status(const Organization& org, Report& report, absl::Time now)>;

// An organization a supervisor oversees, with its report of the year.
struct SupervisedReport {
  Organization organization;
  std::optional<Report> report;
};

class ReportStore {
 public:
  virtual ~ReportStore() = default;

  // Names the data as it stands for conditional reads (sql::Database::
  // DataVersion); unset when the store cannot tell.
  virtual std::optional<std::string> DataVersion() const { return std::nullopt; }

  virtual absl::StatusOr<Organization> GetOrganization(const std::string& id) = 0;
  // Up to `limit` organizations with an id above `after_id`, by id; only
  // those `supervisor` oversees when it is not empty.
  virtual absl::StatusOr<std::vector<Organization>> ListOrganizations(const std::string& supervisor,
                                                                      const std::string& after_id,
                                                                      int limit) = 0;
  // ALREADY_EXISTS when the id or the credit code is taken.
  virtual absl::StatusOr<Organization> CreateOrganization(Organization org,
                                                          HistoryEntry history) = 0;
  // Replaces the organization if its revision is still `expected_revision`.
  virtual absl::StatusOr<Organization> UpdateOrganization(Organization org,
                                                          int64_t expected_revision,
                                                          HistoryEntry history) = 0;
  // FAILED_PRECONDITION while the organization has reports.
  virtual absl::Status DeleteOrganization(const std::string& id,
                                          std::optional<int64_t> expected_revision,
                                          HistoryEntry history) = 0;

  virtual absl::StatusOr<Report> GetReport(const std::string& org, int32_t year) = 0;
  // The organization and its report of `year` (unset when not started), read
  // in one snapshot. NOT_FOUND only when the organization does not exist.
  struct OrganizationYear {
    Organization organization;
    std::optional<Report> report;
  };
  virtual absl::StatusOr<OrganizationYear> GetOrganizationYear(const std::string& org,
                                                               int32_t year) = 0;
  // Up to `limit` reports with a year above `after_year`, by year.
  virtual absl::StatusOr<std::vector<Report>> ListReports(const std::string& org,
                                                          int32_t after_year, int limit) = 0;
  // Inserts `report` after `prepare` completed it from its organization
  // (e.g. the default title). NOT_FOUND when the organization does not
  // exist, ALREADY_EXISTS when the year has a report.
  virtual absl::StatusOr<Report> CreateReport(Report report, const ReportChange& prepare,
                                              HistoryEntry history) = 0;
  // Runs `change` on the stored report and stores the result. ABORTED when
  // `expected_revision` is set and the report moved on.
  virtual absl::StatusOr<Report> ChangeReport(const std::string& org, int32_t year,
                                              std::optional<int64_t> expected_revision,
                                              const ReportChange& change, HistoryEntry history) = 0;
  // ChangeReport for publication: `change` makes the report PUBLISHED; the
  // store then freezes it with `documents` (sha256 and size filled in) as
  // revision report.revision and marks the revision before it superseded.
  virtual absl::StatusOr<Report> PublishReport(const std::string& org, int32_t year,
                                               std::optional<int64_t> expected_revision,
                                               const ReportChange& change,
                                               std::vector<Document> documents,
                                               HistoryEntry history) = 0;
  // Deletes the report when `check` allows it.
  virtual absl::Status DeleteReport(const std::string& org, int32_t year,
                                    std::optional<int64_t> expected_revision,
                                    const ReportChange& check, HistoryEntry history) = 0;

  // A published revision; its documents without their content.
  virtual absl::StatusOr<Revision> GetRevision(const std::string& org, int32_t year,
                                               int32_t number) = 0;
  virtual absl::StatusOr<std::vector<Revision>> ListRevisions(const std::string& org, int32_t year,
                                                              int32_t after_number, int limit) = 0;
  // The document with its content, checked against its stored SHA-256
  // (DATA_LOSS when they differ).
  virtual absl::StatusOr<Document> GetDocument(const std::string& org, int32_t year, int32_t number,
                                               const std::string& format) = 0;

  // Every organization `supervisor` oversees, by id, with its report of
  // `year`, read in one snapshot.
  virtual absl::StatusOr<std::vector<SupervisedReport>> LoadSupervised(
      const std::string& supervisor, int32_t year) = 0;

  // Up to `limit` entries of `org` after `after_sequence`, oldest first;
  // only those of `resource` and the resources under it when it is set.
  virtual absl::StatusOr<std::vector<HistoryEntry>> ListHistory(const std::string& org,
                                                                const std::string& resource,
                                                                int64_t after_sequence,
                                                                int limit) = 0;
};

}  // namespace fazhi::report

#endif  // FAZHI_SERVICES_REPORT_REPORT_STORE_H_
