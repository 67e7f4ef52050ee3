#ifndef FAZHI_SERVICES_DUTY_MODEL_H_
#define FAZHI_SERVICES_DUTY_MODEL_H_

// The duty service's records as plain C++ values: what the store keeps and
// the allocation and coverage logic read. No protobuf, no SQL.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "services/common/record.h"

namespace fazhi::duty {

using ::fazhi::RecordMeta;

// 《行政处罚法》第四十二条: enforcement by no fewer than two officers.
inline constexpr int kMinOfficersPerPower = 2;
inline constexpr int kDefaultMaxLoad = 30;
inline constexpr int kDefaultExpiringWithinDays = 90;
inline constexpr int kDefaultRequiredTrainingHours = 60;

// Values match fazhi.duty.v1.PowerType.
enum class PowerType {
  kUnspecified = 0,
  kLicensing = 1,
  kPenalty = 2,
  kCoercion = 3,
  kLevy = 4,
  kPayment = 5,
  kInspection = 6,
  kConfirmation = 7,
  kReward = 8,
  kAdjudication = 9,
  kOther = 10,
};
inline constexpr int kPowerTypeCount = 11;

// Values match fazhi.duty.v1.CertificateStatus.
enum class CertificateStatus { kUnspecified = 0, kValid = 1, kSuspended = 2, kRevoked = 3 };

// Values match fazhi.duty.v1.AssignmentRole / AssignmentOrigin.
enum class AssignmentRole { kUnspecified = 0, kLead = 1, kAssistant = 2 };
enum class AssignmentOrigin { kUnspecified = 0, kPinned = 1, kComputed = 2 };

struct ResponsibilityStage {
  std::string stage;
  std::string duty;
};

struct Power {
  RecordMeta meta;
  std::string code;
  std::string item_name;
  std::string sub_item_name;
  PowerType type = PowerType::kUnspecified;
  std::string domain;
  std::vector<std::string> setting_basis;
  std::vector<std::string> implementing_basis;
  std::string implementing_unit;
  std::vector<ResponsibilityStage> stages;
  std::vector<std::string> accountability_cases;
  int32_t required_officers = 0;  // 0: the default
  bool needs_legal_review = false;
  std::string post_id;  // empty: any post
  std::string external_id;
  std::string notes;

  // Officers it needs: never fewer than two.
  int32_t RequiredOfficers() const {
    return required_officers < kMinOfficersPerPower ? kMinOfficersPerPower : required_officers;
  }
  // "大项 / 子项" as one display name.
  std::string DisplayName() const {
    return sub_item_name.empty() ? item_name : item_name + "（" + sub_item_name + "）";
  }
};

struct Post {
  RecordMeta meta;
  std::string display_name;
  std::string unit;
  std::vector<std::string> domains;
  std::string standards;
  std::string procedures;
  int32_t capacity = 0;
  std::string notes;
};

struct Certificate {
  std::string number;  // empty: no certificate
  absl::CivilDay issued;
  absl::CivilDay expiry;
  CertificateStatus status = CertificateStatus::kUnspecified;

  bool present() const { return !number.empty(); }
  // Valid on `day`: status VALID and issued <= day <= expiry.
  bool ValidOn(absl::CivilDay day) const {
    return present() && status == CertificateStatus::kValid && issued <= day && day <= expiry;
  }
};

struct TrainingHours {
  int32_t year = 0;
  int32_t hours = 0;
};

struct Officer {
  RecordMeta meta;
  std::string person_id;
  std::string display_name;
  std::string post_id;
  Certificate certificate;
  std::vector<std::string> domains;
  bool legal_qualification = false;
  std::vector<TrainingHours> training;
  int32_t max_load = 0;  // 0: the default
  bool established = false;
  std::string external_id;
  std::string notes;

  int32_t MaxLoad() const { return max_load > 0 ? max_load : kDefaultMaxLoad; }
  int32_t TrainingHoursIn(int32_t year) const {
    for (const TrainingHours& t : training) {
      if (t.year == year) return t.hours;
    }
    return 0;
  }
  bool QualifiedFor(const std::string& domain) const {
    for (const std::string& d : domains) {
      if (d == domain) return true;
    }
    return false;
  }
};

// meta.id is "{power_id}~{officer_id}".
struct Assignment {
  RecordMeta meta;
  std::string power_id;
  std::string officer_id;
  AssignmentRole role = AssignmentRole::kAssistant;
  AssignmentOrigin origin = AssignmentOrigin::kPinned;
  std::string post_id;
  std::string notes;
};

inline std::string AssignmentId(const std::string& power_id, const std::string& officer_id) {
  return power_id + "~" + officer_id;
}

// Everything allocation and coverage read, taken in one snapshot.
struct DutySnapshot {
  std::vector<Power> powers;            // ordered by code
  std::vector<Post> posts;              // ordered by id
  std::vector<Officer> officers;        // ordered by person_id
  std::vector<Assignment> assignments;  // ordered by (power_id, officer_id)
};

}  // namespace fazhi::duty

#endif  // FAZHI_SERVICES_DUTY_MODEL_H_
