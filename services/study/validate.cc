#include "services/study/validate.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"

namespace fazhi::study {
namespace {

// A field of the record at `prefix` ("" or "sessions[3]."); its name is
// made only for a violation.
FieldPath F(absl::string_view prefix, absl::string_view field) { return {prefix, field}; }

void CheckExternalId(const FieldPath& field, absl::string_view id, FieldViolations& v) {
  if (id.empty()) return;
  v.CheckText(field, id, kMaxExternalIdChars);
  if (id.find(' ') != absl::string_view::npos) v.Add(field.Format(), "must not contain spaces");
}

void CheckLaws(const FieldPath& field, const google::protobuf::RepeatedPtrField<std::string>& laws,
               FieldViolations& v) {
  v.CheckTextList(field, laws, kMaxLaws, kMaxLawChars);
  for (int i = 0; i < laws.size(); ++i) {
    if (!laws[i].empty() && NormalizeLawName(laws[i]).empty()) {
      v.Add(absl::StrCat(field.Format(), "[", i, "]"), "names no law");
    }
  }
}

}  // namespace

std::string NormalizeLawName(absl::string_view law) {
  law = absl::StripAsciiWhitespace(law);
  absl::ConsumePrefix(&law, "《");
  absl::ConsumeSuffix(&law, "》");
  return std::string(absl::StripAsciiWhitespace(law));
}

void ValidateSession(const v1::Session& s, absl::string_view prefix, FieldViolations& v) {
  v.CheckDate(F(prefix, "date"), s.date(), /*required=*/true);
  if (s.kind() == v1::STUDY_KIND_UNSPECIFIED || !v1::StudyKind_IsValid(s.kind())) {
    v.Add(F(prefix, "kind").Format(),
          absl::StrCat("must be one of the StudyKind values (got ", s.kind(), ")"));
  }
  v.CheckText(F(prefix, "title"), s.title(), kMaxTitleChars, /*required=*/true);
  CheckLaws(F(prefix, "laws"), s.laws(), v);
  v.CheckRange(F(prefix, "duration_minutes"), s.duration_minutes(), 1, kMaxMinutes);
  v.CheckText(F(prefix, "location"), s.location(), kMaxPlaceChars);
  if (s.attendees_size() > static_cast<int>(kMaxAttendees)) {
    v.Add(F(prefix, "attendees").Format(),
          absl::StrCat("must have at most ", kMaxAttendees, " entries"));
  } else {
    // Views of the request's own strings: nothing copied per attendee.
    absl::flat_hash_set<absl::string_view> people;
    people.reserve(s.attendees_size());
    for (int i = 0; i < s.attendees_size(); ++i) {
      const auto& a = s.attendees(i);
      const FieldPath person_id(prefix, "attendees", i, "person_id");
      v.CheckText(person_id, a.person_id(), kMaxPersonChars);
      v.CheckText(FieldPath(prefix, "attendees", i, "display_name"), a.display_name(),
                  kMaxPersonChars);
      if (a.person_id().empty() && a.display_name().empty()) {
        v.Add(person_id.Format(), "a named attendee needs a person_id or display_name");
      }
      if (!a.person_id().empty() && !people.insert(a.person_id()).second) {
        v.Add(person_id.Format(), absl::StrCat("\"", a.person_id(), "\" is listed twice"));
      }
    }
  }
  v.CheckRange(F(prefix, "attendee_count"), s.attendee_count(), 0, kMaxCount);
  if (s.attendee_count() > 0 && s.attendee_count() < s.attendees_size()) {
    v.Add(F(prefix, "attendee_count").Format(),
          absl::StrCat("is ", s.attendee_count(), " but ", s.attendees_size(),
                       " attendees are named"));
  }
  CheckExternalId(F(prefix, "external_id"), s.external_id(), v);
  v.CheckTextList(F(prefix, "evidence"), s.evidence(), kMaxEvidence, kMaxEvidenceChars);
  v.CheckText(F(prefix, "notes"), s.notes(), kMaxNotesChars, false, /*multiline=*/true);
}

void ValidateEvent(const v1::PublicityEvent& e, absl::string_view prefix, FieldViolations& v) {
  v.CheckDate(F(prefix, "date"), e.date(), /*required=*/true);
  if (e.kind() == v1::PUBLICITY_KIND_UNSPECIFIED || !v1::PublicityKind_IsValid(e.kind())) {
    v.Add(F(prefix, "kind").Format(),
          absl::StrCat("must be one of the PublicityKind values (got ", e.kind(), ")"));
  }
  v.CheckText(F(prefix, "title"), e.title(), kMaxTitleChars, /*required=*/true);
  v.CheckText(F(prefix, "place"), e.place(), kMaxPlaceChars, /*required=*/true);
  CheckLaws(F(prefix, "laws"), e.laws(), v);
  v.CheckRange(F(prefix, "display_boards"), e.display_boards(), 0, kMaxCount);
  v.CheckRange(F(prefix, "leaflets"), e.leaflets(), 0, kMaxCount);
  v.CheckRange(F(prefix, "people_reached"), e.people_reached(), 0, kMaxCount);
  v.CheckRange(F(prefix, "consultations"), e.consultations(), 0, kMaxCount);
  CheckExternalId(F(prefix, "external_id"), e.external_id(), v);
  v.CheckTextList(F(prefix, "evidence"), e.evidence(), kMaxEvidence, kMaxEvidenceChars);
  v.CheckText(F(prefix, "notes"), e.notes(), kMaxNotesChars, false, /*multiline=*/true);
}

void ValidatePlan(const v1::StudyPlan& p, absl::string_view prefix, FieldViolations& v) {
  v.CheckDate(F(prefix, "adopted_date"), p.adopted_date(), /*required=*/false);
  v.CheckText(F(prefix, "title"), p.title(), kMaxTitleChars);
  if (p.rules_size() > static_cast<int>(kMaxRules)) {
    v.Add(F(prefix, "rules").Format(), absl::StrCat("must have at most ", kMaxRules, " rules"));
  } else {
    for (int i = 0; i < p.rules_size(); ++i) {
      const auto& r = p.rules(i);
      const std::string at = absl::StrCat(prefix, "rules[", i, "].");
      if (r.kind() == v1::STUDY_KIND_UNSPECIFIED || !v1::StudyKind_IsValid(r.kind())) {
        v.Add(at + "kind", "must be one of the StudyKind values");
      }
      if (r.period() == v1::RULE_PERIOD_UNSPECIFIED || !v1::RulePeriod_IsValid(r.period())) {
        v.Add(at + "period", "must be MONTH, QUARTER or YEAR");
      }
      v.CheckRange(at + "min_sessions", r.min_sessions(), 1, 1000);
      v.CheckRange(at + "min_minutes", r.min_minutes(), 0, kMaxMinutes);
    }
  }
  v.CheckRange(F(prefix, "eligible_staff"), p.eligible_staff(), 0, kMaxCount);
  CheckLaws(F(prefix, "planned_laws"), p.planned_laws(), v);
  v.CheckText(F(prefix, "notes"), p.notes(), kMaxNotesChars, false, /*multiline=*/true);
}

}  // namespace fazhi::study
