#ifndef FAZHI_SERVICES_STUDY_VALIDATE_H_
#define FAZHI_SERVICES_STUDY_VALIDATE_H_

// Field rules of the study records. Each function adds one violation per
// bad field, its path prefixed with `prefix` (e.g. "session.").

#include <string_view>

#include "absl/strings/string_view.h"
#include "fazhi/study/v1/study.pb.h"
#include "services/common/validation.h"

namespace fazhi::study {

inline constexpr size_t kMaxTitleChars = 200;
inline constexpr size_t kMaxPlaceChars = 200;
inline constexpr size_t kMaxLaws = 50;
inline constexpr size_t kMaxLawChars = 100;
inline constexpr size_t kMaxAttendees = 5000;
inline constexpr size_t kMaxPersonChars = 64;
inline constexpr size_t kMaxExternalIdChars = 128;
inline constexpr size_t kMaxEvidence = 50;
inline constexpr size_t kMaxEvidenceChars = 1000;
inline constexpr size_t kMaxNotesChars = 10000;
inline constexpr int kMaxMinutes = 24 * 60;
inline constexpr int kMaxCount = 10000000;
inline constexpr size_t kMaxRules = 50;

void ValidateSession(const v1::Session& session, absl::string_view prefix, FieldViolations& v);
void ValidateEvent(const v1::PublicityEvent& event, absl::string_view prefix, FieldViolations& v);
void ValidatePlan(const v1::StudyPlan& plan, absl::string_view prefix, FieldViolations& v);

// "民法典", " 《民法典》 " and "《民法典》" all name the same law.
std::string NormalizeLawName(absl::string_view law);

}  // namespace fazhi::study

#endif  // FAZHI_SERVICES_STUDY_VALIDATE_H_
