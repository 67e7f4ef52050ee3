#ifndef FAZHI_SERVICES_REPORT_SQL_REPORT_STORE_H_
#define FAZHI_SERVICES_REPORT_SQL_REPORT_STORE_H_

#include <vector>

#include "services/common/sql/database.h"
#include "services/common/sql/migrations.h"
#include "services/report/report_store.h"

namespace fazhi::report {

// The report schema, embedded from services/report/migrations/.
const std::vector<sql::Migration>& Migrations();

// ReportStore over the SQL interface; runs on any driver.
class SqlReportStore : public ReportStore {
 public:
  // `db` must be open and migrated, and outlive the store.
  explicit SqlReportStore(sql::Database* db);

  std::optional<std::string> DataVersion() const override { return db_->DataVersion(); }

  absl::StatusOr<Organization> GetOrganization(const std::string& id) override;
  absl::StatusOr<std::vector<Organization>> ListOrganizations(const std::string& supervisor,
                                                              const std::string& after_id,
                                                              int limit) override;
  absl::StatusOr<Organization> CreateOrganization(Organization org, HistoryEntry history) override;
  absl::StatusOr<Organization> UpdateOrganization(Organization org, int64_t expected_revision,
                                                  HistoryEntry history) override;
  absl::Status DeleteOrganization(const std::string& id, std::optional<int64_t> expected_revision,
                                  HistoryEntry history) override;

  absl::StatusOr<Report> GetReport(const std::string& org, int32_t year) override;
  absl::StatusOr<OrganizationYear> GetOrganizationYear(const std::string& org,
                                                       int32_t year) override;
  absl::StatusOr<std::vector<Report>> ListReports(const std::string& org, int32_t after_year,
                                                  int limit) override;
  absl::StatusOr<Report> CreateReport(Report report, const ReportChange& prepare,
                                      HistoryEntry history) override;
  absl::StatusOr<Report> ChangeReport(const std::string& org, int32_t year,
                                      std::optional<int64_t> expected_revision,
                                      const ReportChange& change, HistoryEntry history) override;
  absl::StatusOr<Report> PublishReport(const std::string& org, int32_t year,
                                       std::optional<int64_t> expected_revision,
                                       const ReportChange& change, std::vector<Document> documents,
                                       HistoryEntry history) override;
  absl::Status DeleteReport(const std::string& org, int32_t year,
                            std::optional<int64_t> expected_revision, const ReportChange& check,
                            HistoryEntry history) override;

  absl::StatusOr<Revision> GetRevision(const std::string& org, int32_t year,
                                       int32_t number) override;
  absl::StatusOr<std::vector<Revision>> ListRevisions(const std::string& org, int32_t year,
                                                      int32_t after_number, int limit) override;
  absl::StatusOr<Document> GetDocument(const std::string& org, int32_t year, int32_t number,
                                       const std::string& format) override;

  absl::StatusOr<std::vector<SupervisedReport>> LoadSupervised(const std::string& supervisor,
                                                               int32_t year) override;

  absl::StatusOr<std::vector<HistoryEntry>> ListHistory(const std::string& org,
                                                        const std::string& resource,
                                                        int64_t after_sequence, int limit) override;

 private:
  sql::Database* db_;
};

}  // namespace fazhi::report

#endif  // FAZHI_SERVICES_REPORT_SQL_REPORT_STORE_H_
