#ifndef FAZHI_SERVICES_DUTY_VALIDATE_H_
#define FAZHI_SERVICES_DUTY_VALIDATE_H_

// Field rules of the duty records. Each function adds one violation per bad
// field, its path prefixed with `prefix` (e.g. "power.").

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "fazhi/duty/v1/duty.pb.h"
#include "services/common/validation.h"

namespace fazhi::duty {

inline constexpr size_t kMaxCodeChars = 64;
inline constexpr size_t kMaxNameChars = 200;
inline constexpr size_t kMaxDomainChars = 50;
inline constexpr size_t kMaxUnitChars = 100;
inline constexpr size_t kMaxBasisItems = 50;
inline constexpr size_t kMaxBasisChars = 1000;
inline constexpr size_t kMaxStages = 20;
inline constexpr size_t kMaxStageChars = 50;
inline constexpr size_t kMaxDutyChars = 2000;
inline constexpr size_t kMaxDomains = 50;
inline constexpr size_t kMaxPersonChars = 64;
inline constexpr size_t kMaxExternalIdChars = 128;
inline constexpr size_t kMaxNotesChars = 10000;
inline constexpr size_t kMaxTextChars = 20000;
inline constexpr size_t kMaxTrainingEntries = 100;
inline constexpr int kMaxRequiredOfficers = 50;
inline constexpr int kMaxLoad = 1000;
inline constexpr int kMaxCapacity = 1000;
inline constexpr int kMaxTrainingHours = 2000;
inline constexpr int kMaxExpiringWithinDays = 3650;

// `org`, when known, is the organization names must point into.
void ValidatePower(const v1::Power& power, absl::string_view prefix, const std::string& org,
                   FieldViolations& v);
void ValidatePost(const v1::Post& post, absl::string_view prefix, FieldViolations& v);
void ValidateOfficer(const v1::Officer& officer, absl::string_view prefix, const std::string& org,
                     FieldViolations& v);
void ValidateAssignment(const v1::Assignment& assignment, absl::string_view prefix,
                        FieldViolations& v);

// 权力编码 and 行政执法证 numbers.
bool IsValidPowerCode(absl::string_view code);
bool IsValidCertificateNumber(absl::string_view number);

struct AssignmentName {
  std::string org;
  std::string power_id;
  std::string officer_id;
};
// orgs/{org}/powers/{power}/assignments/{officer}
std::optional<AssignmentName> ParseAssignmentName(absl::string_view name, absl::string_view field,
                                                  FieldViolations& v);
std::string FormatAssignmentName(const std::string& org, const std::string& power_id,
                                 const std::string& officer_id);

// The id of `name` (orgs/{org}/{collection}/{id}) when it is in `org`;
// empty `name` gives an empty id.
std::optional<std::string> ParseReference(const std::string& name, absl::string_view collection,
                                          const std::string& org, absl::string_view field,
                                          FieldViolations& v);

}  // namespace fazhi::duty

#endif  // FAZHI_SERVICES_DUTY_VALIDATE_H_
