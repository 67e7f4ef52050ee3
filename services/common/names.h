#ifndef FAZHI_SERVICES_COMMON_NAMES_H_
#define FAZHI_SERVICES_COMMON_NAMES_H_

// Resource names (AIP-122) with more parts than an org and an id, as
// types: Format() writes one, Parse() reads a caller's text and names the
// field when it is malformed. Nothing builds or cuts a name by hand.
//
//   orgs/{org}/studyPlans/{year}
//   orgs/{org}/reports/{year}
//   orgs/{org}/reports/{year}/revisions/{revision}
//   orgs/{org}/reports/{year}/revisions/{revision}/documents/{format}
//
// orgs/{org} and orgs/{org}/{collection}/{id} are resource.h's (included).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "services/common/resource.h"
#include "services/common/validation.h"

namespace fazhi {

// The parent that lists across every organization the caller may read
// (AIP-159).
inline constexpr absl::string_view kEveryOrgName = "orgs/-";

// Formats are short lowercase words: docx, html, md, txt.
inline constexpr size_t kMaxFormatChars = 16;

// The org a resource name belongs to: "lushan-minzheng" for
// "orgs/lushan-minzheng" and for every name below it; none for anything
// else. With `allow_every`, "orgs/-" (every organization, AIP-159) gives
// "-".
std::optional<std::string> OrgOfName(absl::string_view name, bool allow_every = false);

struct StudyPlanName {
  std::string org;
  int32_t year = 0;

  std::string Format() const;
  static std::optional<StudyPlanName> Parse(absl::string_view name, absl::string_view field,
                                            FieldViolations& v);
};

struct ReportName {
  std::string org;
  int32_t year = 0;

  std::string Format() const;
  static std::optional<ReportName> Parse(absl::string_view name, absl::string_view field,
                                         FieldViolations& v);
};

struct RevisionName {
  std::string org;
  int32_t year = 0;
  int32_t revision = 0;

  ReportName report() const { return {org, year}; }
  std::string Format() const;
  static std::optional<RevisionName> Parse(absl::string_view name, absl::string_view field,
                                           FieldViolations& v);
};

struct DocumentName {
  std::string org;
  int32_t year = 0;
  int32_t revision = 0;
  std::string format;

  RevisionName revision_name() const { return {org, year, revision}; }
  std::string Format() const;
  static std::optional<DocumentName> Parse(absl::string_view name, absl::string_view field,
                                           FieldViolations& v);
};

}  // namespace fazhi

#endif  // FAZHI_SERVICES_COMMON_NAMES_H_
