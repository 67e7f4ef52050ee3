#include "services/common/names.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/kernel/dates.h"

namespace fazhi {

namespace {

// A report year written canonically ("2024", not "02024") within the
// record years.
bool ParseReportYear(absl::string_view text, int32_t* year) {
  return absl::SimpleAtoi(text, year) && *year >= kernel::kMinRecordYear &&
         *year <= kernel::kMaxRecordYear && absl::StrCat(*year) == text;
}

}  // namespace

std::optional<std::string> OrgOfName(absl::string_view name, bool allow_every) {
  // Every call's authorization asks this: no split into parts.
  if (!absl::ConsumePrefix(&name, "orgs/")) return std::nullopt;
  const absl::string_view org = name.substr(0, name.find('/'));
  if (!IsValidOrgId(org) && !(allow_every && org == "-")) return std::nullopt;
  return std::string(org);
}

std::string StudyPlanName::Format() const {
  return ChildResourceName(org, "studyPlans", absl::StrCat(year));
}

std::optional<StudyPlanName> StudyPlanName::Parse(absl::string_view name, absl::string_view field,
                                                  FieldViolations& v) {
  auto parsed = ParseChildName(name, "studyPlans", field, v);
  if (!parsed) return std::nullopt;
  int32_t year = 0;
  if (!absl::SimpleAtoi(parsed->id, &year) || year < kernel::kMinRecordYear ||
      year > kernel::kMaxRecordYear) {
    v.Add(std::string(field),
          absl::StrCat("the plan id must be a year between ", kernel::kMinRecordYear, " and ",
                       kernel::kMaxRecordYear));
    return std::nullopt;
  }
  return StudyPlanName{parsed->org, year};
}

std::string ReportName::Format() const { return absl::StrCat(OrgName(org), "/reports/", year); }

std::optional<ReportName> ReportName::Parse(absl::string_view name, absl::string_view field,
                                            FieldViolations& v) {
  const std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  int32_t year = 0;
  if (name.empty()) {
    v.Add(std::string(field), "is required (orgs/{org}/reports/{year})");
  } else if (parts.size() != 4 || parts[0] != "orgs" || !IsValidOrgId(parts[1]) ||
             parts[2] != "reports" || !ParseReportYear(parts[3], &year)) {
    v.Add(std::string(field),
          absl::StrCat("must be orgs/{org}/reports/{year} with a year between ",
                       kernel::kMinRecordYear, " and ", kernel::kMaxRecordYear));
  } else {
    return ReportName{std::string(parts[1]), year};
  }
  return std::nullopt;
}

std::string RevisionName::Format() const {
  return absl::StrCat(report().Format(), "/revisions/", revision);
}

std::optional<RevisionName> RevisionName::Parse(absl::string_view name, absl::string_view field,
                                                FieldViolations& v) {
  const std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  int32_t year = 0, revision = 0;
  if (parts.size() != 6 || parts[0] != "orgs" || !IsValidOrgId(parts[1]) || parts[2] != "reports" ||
      !ParseReportYear(parts[3], &year) || parts[4] != "revisions" ||
      !absl::SimpleAtoi(parts[5], &revision) || revision < 1 ||
      absl::StrCat(revision) != parts[5]) {
    v.Add(std::string(field), "must be orgs/{org}/reports/{year}/revisions/{revision}");
    return std::nullopt;
  }
  return RevisionName{std::string(parts[1]), year, revision};
}

std::string DocumentName::Format() const {
  return absl::StrCat(revision_name().Format(), "/documents/", format);
}

std::optional<DocumentName> DocumentName::Parse(absl::string_view name, absl::string_view field,
                                                FieldViolations& v) {
  constexpr absl::string_view kDocuments = "/documents/";
  const size_t split = name.rfind(kDocuments);
  FieldViolations inner;
  std::optional<RevisionName> revision;
  absl::string_view format;
  if (split != absl::string_view::npos) {
    revision = RevisionName::Parse(name.substr(0, split), field, inner);
    format = name.substr(split + kDocuments.size());
  }
  bool format_ok = !format.empty() && format.size() <= kMaxFormatChars;
  for (char c : format) format_ok = format_ok && (absl::ascii_islower(c) || absl::ascii_isdigit(c));
  if (!revision || !format_ok) {
    v.Add(std::string(field),
          "must be orgs/{org}/reports/{year}/revisions/{revision}/documents/{format}");
    return std::nullopt;
  }
  return DocumentName{revision->org, revision->year, revision->revision, std::string(format)};
}

}  // namespace fazhi
