#ifndef FAZHI_SERVICES_STUDY_STUDY_STORE_H_
#define FAZHI_SERVICES_STUDY_STUDY_STORE_H_

// Persistence of study records, behind an interface so the handlers and
// tests do not depend on SQL.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "services/common/record.h"
#include "services/study/model.h"

namespace fazhi::study {

using ::fazhi::IdempotencyKey;

// Filter for dated records (sessions, publicity events). `kind` is the
// enum's integer value; 0 means any.
struct DatedFilter {
  std::optional<absl::CivilDay> start;  // inclusive
  std::optional<absl::CivilDay> end;    // inclusive
  int kind = 0;
};

// Keyset position: the last (date, id) a page returned.
struct DatedPosition {
  absl::CivilDay date;
  std::string id;
};

// Everything the summary of one year needs, read in one snapshot.
struct YearRecords {
  std::vector<Session> sessions;
  std::vector<PublicityEvent> events;
  std::optional<StudyPlan> plan;
};

class StudyStore {
 public:
  virtual ~StudyStore() = default;

  // Names the data as it stands for conditional reads (sql::Database::
  // DataVersion); unset when the store cannot tell.
  virtual std::optional<std::string> DataVersion() const { return std::nullopt; }

  virtual absl::StatusOr<Session> GetSession(const std::string& org, const std::string& id) = 0;
  // Up to `limit` sessions after `after`, ordered by (date, id).
  virtual absl::StatusOr<std::vector<Session>> ListSessions(
      const std::string& org, const DatedFilter& filter, const std::optional<DatedPosition>& after,
      int limit) = 0;
  virtual absl::StatusOr<Session> CreateSession(Session session, const IdempotencyKey& key) = 0;
  // Replaces the session if its revision is still `expected_revision`.
  virtual absl::StatusOr<Session> UpdateSession(Session session, int64_t expected_revision) = 0;
  virtual absl::Status DeleteSession(const std::string& org, const std::string& id,
                                     std::optional<int64_t> expected_revision) = 0;
  // Stores a batch in one transaction. Rows whose external id exists are
  // ALREADY_EXISTS outcomes (create-only) or replace the old row (upsert).
  // Any other failure fails the whole batch and stores nothing.
  virtual absl::StatusOr<std::vector<ImportOutcome>> ImportSessions(const std::string& org,
                                                                    std::vector<Session> rows,
                                                                    ImportMode mode) = 0;

  virtual absl::StatusOr<PublicityEvent> GetEvent(const std::string& org,
                                                  const std::string& id) = 0;
  virtual absl::StatusOr<std::vector<PublicityEvent>> ListEvents(
      const std::string& org, const DatedFilter& filter, const std::optional<DatedPosition>& after,
      int limit) = 0;
  virtual absl::StatusOr<PublicityEvent> CreateEvent(PublicityEvent event,
                                                     const IdempotencyKey& key) = 0;
  virtual absl::StatusOr<PublicityEvent> UpdateEvent(PublicityEvent event,
                                                     int64_t expected_revision) = 0;
  virtual absl::Status DeleteEvent(const std::string& org, const std::string& id,
                                   std::optional<int64_t> expected_revision) = 0;
  virtual absl::StatusOr<std::vector<ImportOutcome>> ImportEvents(const std::string& org,
                                                                  std::vector<PublicityEvent> rows,
                                                                  ImportMode mode) = 0;

  virtual absl::StatusOr<StudyPlan> GetPlan(const std::string& org, int32_t year) = 0;
  // Up to `limit` plans with a year above `after_year`, by year.
  virtual absl::StatusOr<std::vector<StudyPlan>> ListPlans(const std::string& org,
                                                           int32_t after_year, int limit) = 0;
  // Creates the plan when `expected_revision` is empty (ALREADY_EXISTS if
  // one exists), otherwise replaces it if the revision still matches.
  virtual absl::StatusOr<StudyPlan> PutPlan(StudyPlan plan,
                                            std::optional<int64_t> expected_revision) = 0;
  virtual absl::Status DeletePlan(const std::string& org, int32_t year,
                                  std::optional<int64_t> expected_revision) = 0;

  virtual absl::StatusOr<YearRecords> LoadYear(const std::string& org, int32_t year) = 0;
};

}  // namespace fazhi::study

#endif  // FAZHI_SERVICES_STUDY_STUDY_STORE_H_
