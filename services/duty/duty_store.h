#ifndef FAZHI_SERVICES_DUTY_DUTY_STORE_H_
#define FAZHI_SERVICES_DUTY_DUTY_STORE_H_

// Persistence of the duty records, behind an interface so the handlers and
// tests do not depend on SQL.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/record.h"
#include "services/duty/model.h"

namespace fazhi::duty {

using ::fazhi::IdempotencyKey;

// Filters; empty strings and zero mean any.
struct PowerFilter {
  std::string domain;
  int type = 0;
  std::string post_id;
};

struct OfficerFilter {
  std::string domain;
  int certificate_status = 0;
  std::string post_id;
};

struct AssignmentFilter {
  std::string power_id;  // empty: every power
  std::string officer_id;
  int origin = 0;
};

// Keyset position of an assignment list.
struct AssignmentPosition {
  std::string power_id;
  std::string officer_id;
};

// What a hand-made assignment is checked against, read in the transaction
// that stores it.
struct AssignmentContext {
  Power power;
  Officer officer;
  // Every assignment of the officer (their load) and of the power.
  std::vector<Assignment> officer_assignments;
  std::vector<Assignment> power_assignments;
};
using AssignmentCheck = std::function<absl::Status(const AssignmentContext&)>;

// The assignments an allocation writes: computed ones to store (kept ones
// are updated in place) and ids of computed ones to delete.
struct AssignmentChanges {
  std::vector<Assignment> computed;
  std::vector<std::string> removed;
};
using PlanFunction = std::function<absl::StatusOr<AssignmentChanges>(const DutySnapshot&)>;

class DutyStore {
 public:
  virtual ~DutyStore() = default;

  // Names the data as it stands for conditional reads (sql::Database::
  // DataVersion); unset when the store cannot tell.
  virtual std::optional<std::string> DataVersion() const { return std::nullopt; }

  virtual absl::StatusOr<Power> GetPower(const std::string& org, const std::string& id) = 0;
  // Up to `limit` powers with a code above `after_code`, by code.
  virtual absl::StatusOr<std::vector<Power>> ListPowers(const std::string& org,
                                                        const PowerFilter& filter,
                                                        const std::string& after_code,
                                                        int limit) = 0;
  // ALREADY_EXISTS when the id, code or external id is taken;
  // FAILED_PRECONDITION when the named post does not exist.
  virtual absl::StatusOr<Power> CreatePower(Power power, const IdempotencyKey& key) = 0;
  virtual absl::StatusOr<Power> UpdatePower(Power power, int64_t expected_revision) = 0;
  // FAILED_PRECONDITION while assignments reference it.
  virtual absl::Status DeletePower(const std::string& org, const std::string& id,
                                   std::optional<int64_t> expected_revision) = 0;
  // One transaction; rows match by external id, else by code. Per-row
  // outcomes for taken keys and missing posts; other failures fail all.
  virtual absl::StatusOr<std::vector<ImportOutcome>> ImportPowers(const std::string& org,
                                                                  std::vector<Power> rows,
                                                                  ImportMode mode) = 0;

  virtual absl::StatusOr<Post> GetPost(const std::string& org, const std::string& id) = 0;
  virtual absl::StatusOr<std::vector<Post>> ListPosts(const std::string& org,
                                                      const std::string& domain,
                                                      const std::string& after_id, int limit) = 0;
  virtual absl::StatusOr<Post> CreatePost(Post post, const IdempotencyKey& key) = 0;
  virtual absl::StatusOr<Post> UpdatePost(Post post, int64_t expected_revision) = 0;
  // FAILED_PRECONDITION while officers or powers reference it.
  virtual absl::Status DeletePost(const std::string& org, const std::string& id,
                                  std::optional<int64_t> expected_revision) = 0;

  virtual absl::StatusOr<Officer> GetOfficer(const std::string& org, const std::string& id) = 0;
  // Up to `limit` officers with a person id above `after_person_id`.
  virtual absl::StatusOr<std::vector<Officer>> ListOfficers(const std::string& org,
                                                            const OfficerFilter& filter,
                                                            const std::string& after_person_id,
                                                            int limit) = 0;
  virtual absl::StatusOr<Officer> CreateOfficer(Officer officer, const IdempotencyKey& key) = 0;
  virtual absl::StatusOr<Officer> UpdateOfficer(Officer officer, int64_t expected_revision) = 0;
  virtual absl::Status DeleteOfficer(const std::string& org, const std::string& id,
                                     std::optional<int64_t> expected_revision) = 0;
  // Rows match by external id, else by person id.
  virtual absl::StatusOr<std::vector<ImportOutcome>> ImportOfficers(const std::string& org,
                                                                    std::vector<Officer> rows,
                                                                    ImportMode mode) = 0;

  virtual absl::StatusOr<Assignment> GetAssignment(const std::string& org,
                                                   const std::string& id) = 0;
  // Ordered by (power id, officer id).
  virtual absl::StatusOr<std::vector<Assignment>> ListAssignments(
      const std::string& org, const AssignmentFilter& filter,
      const std::optional<AssignmentPosition>& after, int limit) = 0;
  // Reads the power and officer (NOT_FOUND when missing), runs `check` and
  // stores the assignment, in one transaction.
  virtual absl::StatusOr<Assignment> CreateAssignment(Assignment assignment,
                                                      const AssignmentCheck& check) = 0;
  virtual absl::StatusOr<Assignment> UpdateAssignment(Assignment assignment,
                                                      int64_t expected_revision,
                                                      const AssignmentCheck& check) = 0;
  virtual absl::Status DeleteAssignment(const std::string& org, const std::string& id,
                                        std::optional<int64_t> expected_revision) = 0;

  // Every power, post, officer and assignment of the organization.
  virtual absl::StatusOr<DutySnapshot> LoadSnapshot(const std::string& org) = 0;
  // The snapshot coverage reads (Cover): the same, but of each assignment
  // only its id, power, officer and role; the rest of it keeps its defaults.
  virtual absl::StatusOr<DutySnapshot> LoadCoverageSnapshot(const std::string& org) = 0;
  // Reads the snapshot, runs `plan` on it and applies its changes, in one
  // write transaction: all of the plan or none of it.
  virtual absl::Status ApplyPlan(const std::string& org, const PlanFunction& plan) = 0;
};

}  // namespace fazhi::duty

#endif  // FAZHI_SERVICES_DUTY_DUTY_STORE_H_
