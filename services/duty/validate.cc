#include "services/duty/validate.h"

#include <set>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/proto_dates.h"
#include "services/common/resource.h"

namespace fazhi::duty {
namespace {

// A field of the record at `prefix` ("" or "powers[3]."); its name is made
// only for a violation.
FieldPath F(absl::string_view prefix, absl::string_view field) { return {prefix, field}; }

bool AllOf(absl::string_view text, absl::string_view extra) {
  for (char c : text) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    extra.find(c) != absl::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

void CheckExternalId(const FieldPath& field, absl::string_view id, FieldViolations& v) {
  if (id.empty()) return;
  v.CheckText(field, id, kMaxExternalIdChars);
  if (id.find(' ') != absl::string_view::npos) v.Add(field.Format(), "must not contain spaces");
}

void CheckDomains(const FieldPath& field,
                  const google::protobuf::RepeatedPtrField<std::string>& domains,
                  FieldViolations& v) {
  v.CheckTextList(field, domains, kMaxDomains, kMaxDomainChars);
  absl::flat_hash_set<absl::string_view> seen;
  seen.reserve(domains.size());
  for (int i = 0; i < domains.size(); ++i) {
    if (!seen.insert(domains[i]).second) {
      v.Add(absl::StrCat(field.Format(), "[", i, "]"),
            absl::StrCat("\"", domains[i], "\" is listed twice"));
    }
  }
}

}  // namespace

bool IsValidPowerCode(absl::string_view code) {
  return !code.empty() && code.size() <= kMaxCodeChars && AllOf(code, "-_.");
}

bool IsValidCertificateNumber(absl::string_view number) {
  return number.size() >= 4 && number.size() <= 32 && AllOf(number, "-");
}

std::optional<std::string> ParseReference(const std::string& name, absl::string_view collection,
                                          const std::string& org, absl::string_view field,
                                          FieldViolations& v) {
  if (name.empty()) return std::string();
  FieldViolations local;
  auto parsed = ParseChildName(name, collection, field, local);
  if (!parsed) {
    v.Add(std::string(field),
          absl::StrCat("must be orgs/{org}/", collection, "/{id} (got \"", name, "\")"));
    return std::nullopt;
  }
  if (!org.empty() && parsed->org != org) {
    v.Add(std::string(field), absl::StrCat("must name a ", collection, " resource of orgs/", org));
    return std::nullopt;
  }
  return parsed->id;
}

void ValidatePower(const v1::Power& p, absl::string_view prefix, const std::string& org,
                   FieldViolations& v) {
  if (p.code().empty()) {
    v.Add(F(prefix, "code").Format(), "is required (权力编码)");
  } else if (!IsValidPowerCode(p.code())) {
    v.Add(F(prefix, "code").Format(),
          absl::StrCat("must be 1-", kMaxCodeChars, " of A-Z, a-z, 0-9, '-', '_' and '.' (got \"",
                       p.code().substr(0, 80), "\")"));
  }
  v.CheckText(F(prefix, "item_name"), p.item_name(), kMaxNameChars, /*required=*/true);
  v.CheckText(F(prefix, "sub_item_name"), p.sub_item_name(), kMaxNameChars);
  if (p.type() == v1::POWER_TYPE_UNSPECIFIED || !v1::PowerType_IsValid(p.type())) {
    v.Add(F(prefix, "type").Format(),
          absl::StrCat("must be one of the PowerType values (got ", p.type(), ")"));
  }
  v.CheckText(F(prefix, "domain"), p.domain(), kMaxDomainChars, /*required=*/true);
  v.CheckTextList(F(prefix, "setting_basis"), p.setting_basis(), kMaxBasisItems, kMaxBasisChars);
  v.CheckTextList(F(prefix, "implementing_basis"), p.implementing_basis(), kMaxBasisItems,
                  kMaxBasisChars);
  v.CheckText(F(prefix, "implementing_unit"), p.implementing_unit(), kMaxUnitChars);
  if (p.stages_size() > static_cast<int>(kMaxStages)) {
    v.Add(F(prefix, "stages").Format(), absl::StrCat("must have at most ", kMaxStages, " stages"));
  } else {
    for (int i = 0; i < p.stages_size(); ++i) {
      v.CheckText(FieldPath(prefix, "stages", i, "stage"), p.stages(i).stage(), kMaxStageChars,
                  /*required=*/true);
      v.CheckText(FieldPath(prefix, "stages", i, "duty"), p.stages(i).duty(), kMaxDutyChars, false,
                  /*multiline=*/true);
    }
  }
  v.CheckTextList(F(prefix, "accountability_cases"), p.accountability_cases(), kMaxBasisItems,
                  kMaxBasisChars);
  if (p.required_officers() != 0 &&
      (p.required_officers() < 2 || p.required_officers() > kMaxRequiredOfficers)) {
    v.Add(F(prefix, "required_officers").Format(),
          absl::StrCat("must be 0 (the default, 2) or 2-", kMaxRequiredOfficers,
                       ": enforcement needs at least two officers (《行政处罚法》第四十二条) (got ",
                       p.required_officers(), ")"));
  }
  ParseReference(p.post(), "posts", org, F(prefix, "post").Format(), v);
  CheckExternalId(F(prefix, "external_id"), p.external_id(), v);
  v.CheckText(F(prefix, "notes"), p.notes(), kMaxNotesChars, false, /*multiline=*/true);
}

void ValidatePost(const v1::Post& p, absl::string_view prefix, FieldViolations& v) {
  v.CheckText(F(prefix, "display_name"), p.display_name(), kMaxNameChars, /*required=*/true);
  v.CheckText(F(prefix, "unit"), p.unit(), kMaxUnitChars);
  CheckDomains(F(prefix, "domains"), p.domains(), v);
  v.CheckText(F(prefix, "standards"), p.standards(), kMaxTextChars, false, /*multiline=*/true);
  v.CheckText(F(prefix, "procedures"), p.procedures(), kMaxTextChars, false, /*multiline=*/true);
  v.CheckRange(F(prefix, "capacity"), p.capacity(), 1, kMaxCapacity);
  v.CheckText(F(prefix, "notes"), p.notes(), kMaxNotesChars, false, /*multiline=*/true);
}

void ValidateOfficer(const v1::Officer& o, absl::string_view prefix, const std::string& org,
                     FieldViolations& v) {
  v.CheckText(F(prefix, "person_id"), o.person_id(), kMaxPersonChars, /*required=*/true);
  if (o.person_id().find(' ') != std::string::npos)
    v.Add(F(prefix, "person_id").Format(), "must not contain spaces");
  v.CheckText(F(prefix, "display_name"), o.display_name(), kMaxPersonChars, /*required=*/true);
  auto post = ParseReference(o.post(), "posts", org, F(prefix, "post").Format(), v);
  if (post && !post->empty() && !o.established()) {
    v.Add(F(prefix, "post").Format(),
          "only established staff (在编在岗) may hold an enforcement post");
  }

  const v1::Certificate& c = o.certificate();
  const std::string cert = absl::StrCat(prefix, "certificate.");
  if (c.number().empty()) {
    if (IsSet(c.issued_date())) v.Add(cert + "issued_date", "is set without a certificate number");
    if (IsSet(c.expiry_date())) v.Add(cert + "expiry_date", "is set without a certificate number");
    if (c.status() != v1::CERTIFICATE_STATUS_UNSPECIFIED) {
      v.Add(cert + "status", "is set without a certificate number");
    }
  } else {
    if (!IsValidCertificateNumber(c.number())) {
      v.Add(cert + "number", absl::StrCat("must be 4-32 of A-Z, a-z, 0-9 and '-' (got \"",
                                          c.number().substr(0, 80), "\")"));
    }
    FieldViolations dates;
    dates.CheckDate(cert + "issued_date", c.issued_date(), /*required=*/true);
    dates.CheckDate(cert + "expiry_date", c.expiry_date(), /*required=*/true);
    if (dates.empty() && ToCivilDay(c.expiry_date()) <= ToCivilDay(c.issued_date())) {
      dates.Add(cert + "expiry_date", "must be after certificate.issued_date");
    }
    for (const Violation& d : dates.violations()) v.Add(d.field, d.description);
    if (c.status() == v1::CERTIFICATE_STATUS_UNSPECIFIED ||
        !v1::CertificateStatus_IsValid(c.status())) {
      v.Add(cert + "status",
            absl::StrCat("must be VALID, SUSPENDED or REVOKED (got ", c.status(), ")"));
    }
  }

  CheckDomains(F(prefix, "domains"), o.domains(), v);
  if (o.training_size() > static_cast<int>(kMaxTrainingEntries)) {
    v.Add(F(prefix, "training").Format(),
          absl::StrCat("must have at most ", kMaxTrainingEntries, " entries"));
  } else {
    std::set<int> years;
    for (int i = 0; i < o.training_size(); ++i) {
      const FieldPath year(prefix, "training", i, "year");
      v.CheckYear(year, o.training(i).year(), /*required=*/true);
      v.CheckRange(FieldPath(prefix, "training", i, "hours"), o.training(i).hours(), 0,
                   kMaxTrainingHours);
      if (o.training(i).year() != 0 && !years.insert(o.training(i).year()).second) {
        v.Add(year.Format(), absl::StrCat(o.training(i).year(), " is listed twice"));
      }
    }
  }
  v.CheckRange(F(prefix, "max_load"), o.max_load(), 0, kMaxLoad);
  CheckExternalId(F(prefix, "external_id"), o.external_id(), v);
  v.CheckText(F(prefix, "notes"), o.notes(), kMaxNotesChars, false, /*multiline=*/true);
}

void ValidateAssignment(const v1::Assignment& a, absl::string_view prefix, FieldViolations& v) {
  if (!v1::AssignmentRole_IsValid(a.role())) {
    v.Add(F(prefix, "role").Format(),
          absl::StrCat("must be LEAD or ASSISTANT (got ", a.role(), ")"));
  }
  if (!v1::AssignmentOrigin_IsValid(a.origin())) {
    v.Add(F(prefix, "origin").Format(),
          absl::StrCat("must be PINNED or COMPUTED (got ", a.origin(), ")"));
  }
  v.CheckText(F(prefix, "notes"), a.notes(), kMaxNotesChars, false, /*multiline=*/true);
}

std::optional<AssignmentName> ParseAssignmentName(absl::string_view name, absl::string_view field,
                                                  FieldViolations& v) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (name.empty()) {
    v.Add(std::string(field), "is required (orgs/{org}/powers/{power}/assignments/{officer})");
  } else if (parts.size() != 6 || parts[0] != "orgs" || !IsValidOrgId(parts[1]) ||
             parts[2] != "powers" || !IsValidResourceId(parts[3]) || parts[4] != "assignments" ||
             !IsValidResourceId(parts[5])) {
    v.Add(std::string(field), "must be orgs/{org}/powers/{power}/assignments/{officer}");
  } else {
    return AssignmentName{std::string(parts[1]), std::string(parts[3]), std::string(parts[5])};
  }
  return std::nullopt;
}

std::string FormatAssignmentName(const std::string& org, const std::string& power_id,
                                 const std::string& officer_id) {
  return absl::StrCat(ChildResourceName(org, "powers", power_id), "/assignments/", officer_id);
}

}  // namespace fazhi::duty
