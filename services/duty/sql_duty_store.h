#ifndef FAZHI_SERVICES_DUTY_SQL_DUTY_STORE_H_
#define FAZHI_SERVICES_DUTY_SQL_DUTY_STORE_H_

#include <vector>

#include "services/common/sql/database.h"
#include "services/common/sql/migrations.h"
#include "services/duty/duty_store.h"

namespace fazhi::duty {

// The duty schema, embedded from services/duty/migrations/.
const std::vector<sql::Migration>& Migrations();

// How ImportPowers and ImportOfficers store a batch: in bulk (their
// checks done for the whole batch at once), or row by row, each row's
// checks reading what the earlier rows wrote; the second is what the
// first is tested against.
enum class ImportPath { kBulk, kRowByRow };

// DutyStore over the SQL interface; runs on any driver.
class SqlDutyStore : public DutyStore {
 public:
  // `db` must be open and migrated, and outlive the store.
  explicit SqlDutyStore(sql::Database* db, ImportPath import_path = ImportPath::kBulk);

  std::optional<std::string> DataVersion() const override { return db_->DataVersion(); }

  absl::StatusOr<Power> GetPower(const std::string& org, const std::string& id) override;
  absl::StatusOr<std::vector<Power>> ListPowers(const std::string& org, const PowerFilter& filter,
                                                const std::string& after_code, int limit) override;
  absl::StatusOr<Power> CreatePower(Power power, const IdempotencyKey& key) override;
  absl::StatusOr<Power> UpdatePower(Power power, int64_t expected_revision) override;
  absl::Status DeletePower(const std::string& org, const std::string& id,
                           std::optional<int64_t> expected_revision) override;
  absl::StatusOr<std::vector<ImportOutcome>> ImportPowers(const std::string& org,
                                                          std::vector<Power> rows,
                                                          ImportMode mode) override;

  absl::StatusOr<Post> GetPost(const std::string& org, const std::string& id) override;
  absl::StatusOr<std::vector<Post>> ListPosts(const std::string& org, const std::string& domain,
                                              const std::string& after_id, int limit) override;
  absl::StatusOr<Post> CreatePost(Post post, const IdempotencyKey& key) override;
  absl::StatusOr<Post> UpdatePost(Post post, int64_t expected_revision) override;
  absl::Status DeletePost(const std::string& org, const std::string& id,
                          std::optional<int64_t> expected_revision) override;

  absl::StatusOr<Officer> GetOfficer(const std::string& org, const std::string& id) override;
  absl::StatusOr<std::vector<Officer>> ListOfficers(const std::string& org,
                                                    const OfficerFilter& filter,
                                                    const std::string& after_person_id,
                                                    int limit) override;
  absl::StatusOr<Officer> CreateOfficer(Officer officer, const IdempotencyKey& key) override;
  absl::StatusOr<Officer> UpdateOfficer(Officer officer, int64_t expected_revision) override;
  absl::Status DeleteOfficer(const std::string& org, const std::string& id,
                             std::optional<int64_t> expected_revision) override;
  absl::StatusOr<std::vector<ImportOutcome>> ImportOfficers(const std::string& org,
                                                            std::vector<Officer> rows,
                                                            ImportMode mode) override;

  absl::StatusOr<Assignment> GetAssignment(const std::string& org, const std::string& id) override;
  absl::StatusOr<std::vector<Assignment>> ListAssignments(
      const std::string& org, const AssignmentFilter& filter,
      const std::optional<AssignmentPosition>& after, int limit) override;
  absl::StatusOr<Assignment> CreateAssignment(Assignment assignment,
                                              const AssignmentCheck& check) override;
  absl::StatusOr<Assignment> UpdateAssignment(Assignment assignment, int64_t expected_revision,
                                              const AssignmentCheck& check) override;
  absl::Status DeleteAssignment(const std::string& org, const std::string& id,
                                std::optional<int64_t> expected_revision) override;

  absl::StatusOr<DutySnapshot> LoadSnapshot(const std::string& org) override;
  absl::StatusOr<DutySnapshot> LoadCoverageSnapshot(const std::string& org) override;
  absl::Status ApplyPlan(const std::string& org, const PlanFunction& plan) override;

 private:
  sql::Database* db_;
  ImportPath import_path_;
};

}  // namespace fazhi::duty

#endif  // FAZHI_SERVICES_DUTY_SQL_DUTY_STORE_H_
