#ifndef FAZHI_SERVICES_STUDY_SQL_STUDY_STORE_H_
#define FAZHI_SERVICES_STUDY_SQL_STUDY_STORE_H_

#include <vector>

#include "services/common/sql/database.h"
#include "services/common/sql/migrations.h"
#include "services/study/study_store.h"

namespace fazhi::study {

// The study schema, embedded from services/study/migrations/.
const std::vector<sql::Migration>& Migrations();

// StudyStore over the SQL interface; runs on any driver.
class SqlStudyStore : public StudyStore {
 public:
  // `db` must be open and migrated, and outlive the store.
  explicit SqlStudyStore(sql::Database* db);

  std::optional<std::string> DataVersion() const override { return db_->DataVersion(); }

  absl::StatusOr<Session> GetSession(const std::string& org, const std::string& id) override;
  absl::StatusOr<std::vector<Session>> ListSessions(const std::string& org,
                                                    const DatedFilter& filter,
                                                    const std::optional<DatedPosition>& after,
                                                    int limit) override;
  absl::StatusOr<Session> CreateSession(Session session, const IdempotencyKey& key) override;
  absl::StatusOr<Session> UpdateSession(Session session, int64_t expected_revision) override;
  absl::Status DeleteSession(const std::string& org, const std::string& id,
                             std::optional<int64_t> expected_revision) override;
  absl::StatusOr<std::vector<ImportOutcome>> ImportSessions(const std::string& org,
                                                            std::vector<Session> rows,
                                                            ImportMode mode) override;

  absl::StatusOr<PublicityEvent> GetEvent(const std::string& org, const std::string& id) override;
  absl::StatusOr<std::vector<PublicityEvent>> ListEvents(const std::string& org,
                                                         const DatedFilter& filter,
                                                         const std::optional<DatedPosition>& after,
                                                         int limit) override;
  absl::StatusOr<PublicityEvent> CreateEvent(PublicityEvent event,
                                             const IdempotencyKey& key) override;
  absl::StatusOr<PublicityEvent> UpdateEvent(PublicityEvent event,
                                             int64_t expected_revision) override;
  absl::Status DeleteEvent(const std::string& org, const std::string& id,
                           std::optional<int64_t> expected_revision) override;
  absl::StatusOr<std::vector<ImportOutcome>> ImportEvents(const std::string& org,
                                                          std::vector<PublicityEvent> rows,
                                                          ImportMode mode) override;

  absl::StatusOr<StudyPlan> GetPlan(const std::string& org, int32_t year) override;
  absl::StatusOr<std::vector<StudyPlan>> ListPlans(const std::string& org, int32_t after_year,
                                                   int limit) override;
  absl::StatusOr<StudyPlan> PutPlan(StudyPlan plan,
                                    std::optional<int64_t> expected_revision) override;
  absl::Status DeletePlan(const std::string& org, int32_t year,
                          std::optional<int64_t> expected_revision) override;

  absl::StatusOr<YearRecords> LoadYear(const std::string& org, int32_t year) override;

 private:
  sql::Database* db_;
};

}  // namespace fazhi::study

#endif  // FAZHI_SERVICES_STUDY_SQL_STUDY_STORE_H_
