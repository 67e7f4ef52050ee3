#ifndef FAZHI_SERVICES_DUTY_COVERAGE_H_
#define FAZHI_SERVICES_DUTY_COVERAGE_H_

// Who covers which power on a day, the organization's totals, and every gap
// with its evidence. Pure logic: the duty numbers the annual report quotes
// come from here. Also the rules a hand-made assignment must meet.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "services/duty/allocate.h"
#include "services/duty/duty_store.h"
#include "services/duty/model.h"

namespace fazhi::duty {

// Values match fazhi.duty.v1.GapType.
enum class GapType {
  kUnspecified = 0,
  kUnderstaffedPower = 1,
  kDomainWithoutLegalReviewer = 2,
  kCertificateExpired = 3,
  kCertificateExpiring = 4,
  kTrainingHoursShort = 5,
  kPowerUnassigned = 6,
  kCertificateNotValid = 7,
  kPowerWithoutLegalReviewer = 8,
};

struct Gap {
  GapType type = GapType::kUnspecified;
  std::string domain;
  std::string power_id;
  std::string power_code;
  std::string power_name;
  std::string officer_id;
  std::string officer_name;
  std::string officer_person_id;  // for ordering
  std::string certificate_number;
  std::optional<absl::CivilDay> date;
  int32_t days = 0;
  int32_t required = 0;
  int32_t actual = 0;
  std::string detail;
  // Power gaps: why the power cannot be lawfully staffed (the same diagnosis
  // the allocator gives), or kNotAllocated when eligible officers have room.
  UnstaffedReason reason = UnstaffedReason::kUnspecified;
};

struct PowerCoverage {
  size_t power;  // index into the snapshot
  int32_t required = 0;
  int32_t assigned = 0;
  int32_t valid_certified = 0;
  int32_t legally_qualified = 0;
  std::string lead_id;
  std::vector<std::string> officer_ids;
  bool staffed = false;
};

struct DomainCoverage {
  std::string domain;
  int32_t powers = 0;
  int32_t powers_needing_legal_review = 0;
  int32_t staffed_powers = 0;
  int32_t officers = 0;
  int32_t valid_certified_officers = 0;
  int32_t legally_qualified_officers = 0;
};

struct DutyTotals {
  int32_t powers = 0;
  std::vector<std::pair<PowerType, int32_t>> powers_by_type;      // enum order
  std::vector<std::pair<std::string, int32_t>> powers_by_domain;  // by domain
  int32_t powers_needing_legal_review = 0;
  int32_t staffed_powers = 0;
  int32_t assignments = 0;
  int32_t officers = 0;
  int32_t established_officers = 0;
  int32_t certified_officers = 0;
  int32_t legally_qualified_officers = 0;
  int32_t certified_legally_qualified_officers = 0;
  int32_t posts = 0;
  // Training applies to enforcement officers: established staff with a
  // certificate valid on the day. Their hours in the training year, and how
  // many of them meet the requirement.
  int32_t training_year = 0;
  int32_t training_officers = 0;
  int64_t training_hours = 0;
  int32_t officers_meeting_training = 0;
  int32_t required_training_hours = 0;
};

struct CoverageOptions {
  absl::CivilDay as_of;
  int32_t training_year = 0;  // 0: the year of as_of
  int32_t expiring_within_days = kDefaultExpiringWithinDays;
  int32_t required_training_hours = kDefaultRequiredTrainingHours;
};

// Where one officer stands on the day: the records behind the officer counts.
struct OfficerStanding {
  size_t officer;          // index into the snapshot
  bool certified = false;  // certificate valid on the day
  bool training_applies = false;
  int32_t training_hours = 0;
};

struct CoverageReport {
  absl::CivilDay as_of;
  std::vector<OfficerStanding> officers;  // snapshot order
  DutyTotals totals;
  std::vector<DomainCoverage> domains;  // by domain
  std::vector<PowerCoverage> powers;    // by code
  std::vector<Gap> gaps;                // by type, then domain and code, or person id
  std::vector<std::pair<GapType, int32_t>> gap_counts;  // enum order
};

CoverageReport Cover(const DutySnapshot& snapshot, const CoverageOptions& options);

// The day a summary of `year` is taken on when the caller names none: the
// last day of the year, or `today` while the year is still running.
absl::CivilDay DefaultAsOf(int32_t year, absl::CivilDay today);

// Why `officer` may not be pinned to `power` on `today`: FAILED_PRECONDITION
// listing every reason (certificate, domain, staff status, post, load).
absl::Status CheckEligibleByHand(const AssignmentContext& context, absl::CivilDay today);
// A power has at most one lead: FAILED_PRECONDITION naming the lead it has.
absl::Status CheckSingleLead(const AssignmentContext& context, const Assignment& assignment);

}  // namespace fazhi::duty

#endif  // FAZHI_SERVICES_DUTY_COVERAGE_H_
