#ifndef FAZHI_SERVICES_REPORT_VALIDATE_H_
#define FAZHI_SERVICES_REPORT_VALIDATE_H_

// Field rules of the report service. Each function adds one violation per
// bad field, its path prefixed with `prefix` (e.g. "report.").

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "fazhi/report/v1/report.pb.h"
#include "google/protobuf/field_mask.pb.h"
#include "services/common/names.h"
#include "services/common/validation.h"

namespace fazhi::report {

inline constexpr size_t kMaxFullNameChars = 100;
inline constexpr size_t kMaxRegionChars = 100;
inline constexpr size_t kMaxAddresseeChars = 100;
inline constexpr size_t kMaxDocumentNumberChars = 50;
inline constexpr size_t kMaxSupervisors = 20;
inline constexpr size_t kMaxContacts = 20;
inline constexpr size_t kMaxFindingRemedies = 30;
inline constexpr size_t kMaxPersonChars = 64;
inline constexpr size_t kMaxPhoneChars = 32;
inline constexpr size_t kMaxEmailChars = 254;
inline constexpr size_t kMaxTitleChars = 200;
inline constexpr size_t kMaxHeadingChars = 200;
inline constexpr size_t kMaxParagraphChars = 5000;
inline constexpr size_t kMaxParagraphs = 100;
inline constexpr size_t kMaxPreambleParagraphs = 20;
inline constexpr size_t kMaxSectionItems = 50;
inline constexpr size_t kMaxEntries = 50;  // shortcomings, plan items
inline constexpr size_t kMaxShortcomingChars = 2000;
inline constexpr size_t kMaxOwnerChars = 100;
inline constexpr size_t kMaxSuppressions = 200;
inline constexpr size_t kMaxFindingIdChars = 128;
inline constexpr size_t kMaxSuppressionReasonChars = 200;
inline constexpr size_t kMaxActorChars = 64;
inline constexpr size_t kMaxCommentChars = 2000;
inline constexpr int kMaxDocuments = 8;
inline constexpr size_t kMaxDocumentBytes = 3 << 20;
inline constexpr size_t kMaxMediaTypeChars = 127;

// `self_id` is the organization's own slug (a supervisor may not be it).
void ValidateOrganization(const v1::Organization& org, absl::string_view prefix,
                          absl::string_view self_id, FieldViolations& v);

// Everything an author writes in a report (the fields UpdateReport may
// change); output-only fields are not looked at.
void ValidateReportContent(const v1::Report& report, absl::string_view prefix, FieldViolations& v);

// Each id that `report` suppresses and `before` did not must have a reason
// (ids suppressed before reasons were stored keep going without one).
void CheckNewSuppressionsHaveReasons(const std::vector<std::string>& before,
                                     const v1::Report& report, absl::string_view prefix,
                                     FieldViolations& v);

// Text that may hold placeholders: CheckText's rules, then the placeholder
// syntax; a syntax error names the character position.
void CheckTemplate(absl::string_view field, absl::string_view text, size_t max_chars, bool required,
                   FieldViolations& v);

void CheckActor(absl::string_view actor, FieldViolations& v);
void CheckComment(absl::string_view comment, bool required, FieldViolations& v);

void ValidateDocuments(const google::protobuf::RepeatedPtrField<v1::DocumentUpload>& documents,
                       FieldViolations& v);

// Mask paths that name an output-only field of Report or Organization.
void CheckMaskNamesNoOutputOnly(const google::protobuf::FieldMask& mask,
                                const std::vector<std::string>& output_only, FieldViolations& v);

}  // namespace fazhi::report

#endif  // FAZHI_SERVICES_REPORT_VALIDATE_H_
