#include "services/report/validate.h"

#include <map>
#include <set>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/common/resource.h"
#include "services/kernel/dates.h"
#include "services/kernel/digest.h"
#include "services/kernel/layout.h"
#include "services/kernel/placeholder.h"
#include "services/report/content.h"
#include "services/report/credit_code.h"
#include "services/report/finding_kinds.h"

namespace fazhi::report {

using kernel::kMaxRecordYear;
using kernel::kMinRecordYear;

namespace {

std::string F(absl::string_view prefix, absl::string_view field) {
  return absl::StrCat(prefix, field);
}

std::string At(absl::string_view field, int index) { return absl::StrCat(field, "[", index, "]"); }

// suppression_reasons["study.lecture.short"], as a map entry is named in AIP-193.
std::string ReasonField(absl::string_view prefix, absl::string_view id) {
  return absl::StrCat(prefix, "suppression_reasons[\"", id, "\"]");
}

// CheckText; true when it found nothing wrong, so later checks may look
// deeper.
bool CheckTextOk(FieldViolations& v, absl::string_view field, absl::string_view text,
                 size_t max_chars, bool required) {
  const size_t before = v.violations().size();
  v.CheckText(field, text, max_chars, required);
  return v.violations().size() == before;
}

void CheckPhone(absl::string_view field, absl::string_view phone, FieldViolations& v) {
  if (phone.empty() || !CheckTextOk(v, field, phone, kMaxPhoneChars, false)) return;
  int digits = 0;
  for (char c : phone) {
    if (absl::ascii_isdigit(c)) {
      ++digits;
    } else if (c != ' ' && c != '+' && c != '-' && c != '(' && c != ')') {
      v.Add(std::string(field), "may hold only digits, spaces and + - ( )");
      return;
    }
  }
  if (digits < 5) v.Add(std::string(field), "needs at least 5 digits");
}

void CheckEmail(absl::string_view field, absl::string_view email, FieldViolations& v) {
  if (email.empty() || !CheckTextOk(v, field, email, kMaxEmailChars, false)) return;
  const size_t at = email.find('@');
  bool ok =
      at != absl::string_view::npos && at > 0 && email.find('@', at + 1) == absl::string_view::npos;
  if (ok) {
    const absl::string_view domain = email.substr(at + 1);
    const size_t dot = domain.rfind('.');
    ok = dot != absl::string_view::npos && dot > 0 && dot + 1 < domain.size();
  }
  for (char c : email) ok = ok && c > 0x20 && c < 0x7F;
  if (!ok) v.Add(std::string(field), "must be an e-mail address like name@example.org");
}

bool IsFindingIdChar(char c) {
  return (c >= 'a' && c <= 'z') || absl::ascii_isdigit(c) || c == '.' || c == '_' || c == ':' ||
         c == '-';
}

void CheckParagraphs(absl::string_view field,
                     const google::protobuf::RepeatedPtrField<std::string>& paragraphs,
                     size_t max_items, FieldViolations& v) {
  if (paragraphs.size() > static_cast<int>(max_items)) {
    v.Add(std::string(field), absl::StrCat("must have at most ", max_items, " paragraphs (got ",
                                           paragraphs.size(), ")"));
    return;
  }
  for (int i = 0; i < paragraphs.size(); ++i) {
    CheckTemplate(At(field, i), paragraphs[i], kMaxParagraphChars, /*required=*/true, v);
  }
}

bool ValidItem(int item) {
  return item != v1::CONTENT_ITEM_UNSPECIFIED && v1::ContentItem_IsValid(item);
}

// The content items of the layout the report will have.
std::set<int> LayoutItems(const v1::Layout& layout) {
  std::set<int> items;
  if (layout.preset() == v1::LAYOUT_PRESET_CUSTOM) {
    for (const auto& e : layout.entries()) items.insert(e.item());
  } else {
    for (const LayoutEntry& e : kernel::PresetEntries(static_cast<LayoutPreset>(layout.preset()))) {
      items.insert(static_cast<int>(e.item));
    }
  }
  return items;
}

void ValidateLayout(const v1::Layout& layout, absl::string_view field, FieldViolations& v) {
  if (!v1::LayoutPreset_IsValid(layout.preset())) {
    v.Add(F(field, ".preset"), absl::StrCat("unknown preset ", layout.preset()));
    return;
  }
  // A preset's entries are the server's; whatever was sent is replaced.
  if (layout.preset() != v1::LAYOUT_PRESET_CUSTOM) return;
  const std::string entries = F(field, ".entries");
  if (layout.entries_size() > 5) {
    v.Add(entries, "a layout has at most 5 entries, one per content item");
    return;
  }
  std::map<int, int> seen;
  for (int i = 0; i < layout.entries_size(); ++i) {
    const auto& e = layout.entries(i);
    const std::string at = At(entries, i);
    if (!ValidItem(e.item())) {
      v.Add(at + ".item",
            absl::StrCat("must be one of the ContentItem values (got ", e.item(), ")"));
    } else if (seen[e.item()]++ > 0) {
      v.Add(at + ".item", absl::StrCat(v1::ContentItem_Name(e.item()), " is listed twice"));
    }
    CheckTemplate(at + ".heading", e.heading(), kMaxHeadingChars, /*required=*/true, v);
  }
  std::vector<std::string> missing;
  for (ContentItem required : kernel::kRequiredItems) {
    const int item = static_cast<int>(required);
    if (seen[item] == 0) missing.push_back(v1::ContentItem_Name(item));
  }
  if (!missing.empty()) {
    v.Add(entries, absl::StrCat("lacks ", absl::StrJoin(missing, ", "),
                                ": every layout has each required content item once"));
  }
}

// A full date, or month and day with year 0 ("in the year after the report
// year"; 29 February is refused then, as not every year has one).
void CheckDueDay(const std::string& field, const google::type::Date& d, FieldViolations& v) {
  if (d.year() == 0) {
    // A common year's month lengths: 29 February is not in every year.
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (d.month() < 1 || d.month() > 12 || d.day() < 1 || d.day() > kDays[d.month() - 1]) {
      v.Add(field, "must be a valid month and day when the year is 0");
    }
    return;
  }
  v.CheckDate(field, d, /*required=*/true);
}

}  // namespace

void CheckTemplate(absl::string_view field, absl::string_view text, size_t max_chars, bool required,
                   FieldViolations& v) {
  if (!CheckTextOk(v, field, text, max_chars, required)) return;
  kernel::ParsedTemplate parsed = kernel::ParseTemplate(text);
  if (!parsed.ok()) v.Add(std::string(field), kernel::DescribeTemplateError(*parsed.error));
}

void CheckActor(absl::string_view actor, FieldViolations& v) {
  v.CheckText("actor", actor, kMaxActorChars, /*required=*/true);
}

void CheckComment(absl::string_view comment, bool required, FieldViolations& v) {
  v.CheckText("comment", comment, kMaxCommentChars, required, /*multiline=*/true);
}

void ValidateOrganization(const v1::Organization& o, absl::string_view prefix,
                          absl::string_view self_id, FieldViolations& v) {
  v.CheckText(F(prefix, "full_name"), o.full_name(), kMaxFullNameChars, /*required=*/true);
  v.CheckText(F(prefix, "region"), o.region(), kMaxRegionChars);
  v.CheckText(F(prefix, "addressee"), o.addressee(), kMaxAddresseeChars);
  const std::string supervisors = F(prefix, "supervisors");
  if (o.supervisors_size() > static_cast<int>(kMaxSupervisors)) {
    v.Add(supervisors, absl::StrCat("must have at most ", kMaxSupervisors, " entries"));
  } else {
    std::set<std::string> seen;
    for (int i = 0; i < o.supervisors_size(); ++i) {
      std::optional<std::string> slug = ParseOrgName(o.supervisors(i), At(supervisors, i), v);
      if (!slug) continue;
      if (*slug == self_id) {
        v.Add(At(supervisors, i), "an organization does not supervise itself");
      } else if (!seen.insert(*slug).second) {
        v.Add(At(supervisors, i), absl::StrCat(o.supervisors(i), " is listed twice"));
      }
    }
  }
  if (!o.credit_code().empty()) {
    const std::string field = F(prefix, "credit_code");
    if (CheckTextOk(v, field, o.credit_code(), 32, false)) {
      const std::string problem = CreditCodeProblem(NormalizeCreditCode(o.credit_code()));
      if (!problem.empty()) v.Add(field, problem);
    }
  }
  const std::string contacts = F(prefix, "contacts");
  if (o.contacts_size() > static_cast<int>(kMaxContacts)) {
    v.Add(contacts, absl::StrCat("must have at most ", kMaxContacts, " entries"));
  } else {
    for (int i = 0; i < o.contacts_size(); ++i) {
      const auto& c = o.contacts(i);
      const std::string at = At(contacts, i);
      v.CheckText(at + ".name", c.name(), kMaxPersonChars, /*required=*/true);
      CheckPhone(at + ".phone", c.phone(), v);
      CheckEmail(at + ".email", c.email(), v);
    }
  }
  const std::string remedies = F(prefix, "finding_remedies");
  if (o.finding_remedies_size() > static_cast<int>(kMaxFindingRemedies)) {
    v.Add(remedies, absl::StrCat("must have at most ", kMaxFindingRemedies, " entries"));
    return;
  }
  std::set<std::string> kinds;
  for (int i = 0; i < o.finding_remedies_size(); ++i) {
    const auto& r = o.finding_remedies(i);
    const std::string at = At(remedies, i);
    if (!IsFindingKind(r.finding())) {
      v.Add(at + ".finding",
            absl::StrCat("must be a kind of finding (", absl::StrJoin(kFindingKinds, ", "), ")"));
    } else if (!kinds.insert(r.finding()).second) {
      v.Add(at + ".finding", absl::StrCat(r.finding(), " is listed twice"));
    }
    CheckTemplate(at + ".cause", r.cause(), kMaxShortcomingChars, /*required=*/false, v);
    CheckTemplate(at + ".rectification", r.rectification(), kMaxShortcomingChars, false, v);
    v.CheckText(at + ".owner", r.owner(), kMaxOwnerChars);
    if (r.has_due_date()) CheckDueDay(at + ".due_date", r.due_date(), v);
  }
}

void ValidateReportContent(const v1::Report& r, absl::string_view prefix, FieldViolations& v) {
  CheckTemplate(F(prefix, "title"), r.title(), kMaxTitleChars, /*required=*/false, v);
  ValidateLayout(r.layout(), F(prefix, "layout"), v);
  CheckParagraphs(F(prefix, "preamble"), r.preamble(), kMaxPreambleParagraphs, v);

  const std::string sections = F(prefix, "sections");
  const std::set<int> in_layout = LayoutItems(r.layout());
  if (r.sections_size() > 5) {
    v.Add(sections, "a report has at most 5 sections, one per content item");
  } else {
    std::set<int> seen;
    for (int i = 0; i < r.sections_size(); ++i) {
      const auto& s = r.sections(i);
      const std::string at = At(sections, i);
      if (!ValidItem(s.item())) {
        v.Add(at + ".item",
              absl::StrCat("must be one of the ContentItem values (got ", s.item(), ")"));
      } else if (!seen.insert(s.item()).second) {
        v.Add(at + ".item", absl::StrCat(v1::ContentItem_Name(s.item()),
                                         " has two sections; put its items in one"));
      } else if (!in_layout.count(s.item())) {
        v.Add(at + ".item",
              absl::StrCat(v1::ContentItem_Name(s.item()), " is not in the report's layout"));
      }
      if (s.items_size() > static_cast<int>(kMaxSectionItems)) {
        v.Add(at + ".items", absl::StrCat("must have at most ", kMaxSectionItems, " items"));
        continue;
      }
      for (int k = 0; k < s.items_size(); ++k) {
        const auto& item = s.items(k);
        const std::string item_at = At(at + ".items", k);
        CheckTemplate(item_at + ".heading", item.heading(), kMaxHeadingChars, false, v);
        CheckParagraphs(item_at + ".paragraphs", item.paragraphs(), kMaxParagraphs, v);
        if (item.heading().empty() && item.paragraphs().empty()) {
          v.Add(item_at, "an item needs a heading or paragraphs");
        }
      }
    }
  }

  const std::string shortcomings = F(prefix, "shortcomings");
  if (r.shortcomings_size() > static_cast<int>(kMaxEntries)) {
    v.Add(shortcomings, absl::StrCat("must have at most ", kMaxEntries, " entries"));
  } else {
    for (int i = 0; i < r.shortcomings_size(); ++i) {
      const auto& s = r.shortcomings(i);
      const std::string at = At(shortcomings, i);
      CheckTemplate(at + ".problem", s.problem(), kMaxShortcomingChars, /*required=*/true, v);
      CheckTemplate(at + ".cause", s.cause(), kMaxShortcomingChars, false, v);
      CheckTemplate(at + ".rectification", s.rectification(), kMaxShortcomingChars, false, v);
      v.CheckText(at + ".owner", s.owner(), kMaxOwnerChars);
      v.CheckDate(at + ".due_date", s.due_date(), /*required=*/false);
      if (!v1::RectificationStatus_IsValid(s.status())) {
        v.Add(at + ".status", absl::StrCat("unknown status ", s.status()));
      }
    }
  }

  const std::string plan = F(prefix, "plan_items");
  if (r.plan_items_size() > static_cast<int>(kMaxEntries)) {
    v.Add(plan, absl::StrCat("must have at most ", kMaxEntries, " entries"));
  } else {
    for (int i = 0; i < r.plan_items_size(); ++i) {
      const auto& p = r.plan_items(i);
      const std::string at = At(plan, i);
      CheckTemplate(at + ".heading", p.heading(), kMaxHeadingChars, /*required=*/true, v);
      CheckParagraphs(at + ".paragraphs", p.paragraphs(), kMaxParagraphs, v);
      v.CheckText(at + ".owner", p.owner(), kMaxOwnerChars);
      v.CheckDate(at + ".due_date", p.due_date(), /*required=*/false);
    }
  }

  v.CheckText(F(prefix, "signatory.name"), r.signatory().name(), kMaxPersonChars);
  v.CheckText(F(prefix, "signatory.title"), r.signatory().title(), kMaxPersonChars);
  if (!r.document_number().empty() &&
      CheckTextOk(v, F(prefix, "document_number"), r.document_number(), kMaxDocumentNumberChars,
                  false)) {
    const std::string problem = DocumentNumberProblem(r.document_number());
    if (!problem.empty()) v.Add(F(prefix, "document_number"), problem);
  }
  v.CheckDate(F(prefix, "report_date"), r.report_date(), /*required=*/false);
  v.CheckDate(F(prefix, "due_dates.submit_before"), r.due_dates().submit_before(), false);
  v.CheckDate(F(prefix, "due_dates.publish_before"), r.due_dates().publish_before(), false);

  const std::string suppressed = F(prefix, "suppressed_findings");
  if (r.suppressed_findings_size() > static_cast<int>(kMaxSuppressions)) {
    v.Add(suppressed, absl::StrCat("must have at most ", kMaxSuppressions, " entries"));
  } else {
    std::set<std::string> seen;
    for (int i = 0; i < r.suppressed_findings_size(); ++i) {
      const std::string& id = r.suppressed_findings(i);
      bool ok = !id.empty() && id.size() <= kMaxFindingIdChars;
      for (char c : id) ok = ok && IsFindingIdChar(c);
      if (!ok) {
        v.Add(At(suppressed, i),
              absl::StrCat("a finding id is 1-", kMaxFindingIdChars, " of a-z, 0-9 and . _ : -"));
      } else if (!seen.insert(id).second) {
        v.Add(At(suppressed, i), absl::StrCat("\"", id, "\" is listed twice"));
      }
    }
  }
  const std::set<std::string> ids(r.suppressed_findings().begin(), r.suppressed_findings().end());
  for (const auto& [id, reason] : r.suppression_reasons()) {
    const std::string at = ReasonField(prefix, id);
    if (ids.count(id) == 0) {
      v.Add(at, "a reason is kept only for a finding in suppressed_findings");
    } else {
      v.CheckText(at, reason, kMaxSuppressionReasonChars, /*required=*/true);
    }
  }
}

void CheckNewSuppressionsHaveReasons(const std::vector<std::string>& before,
                                     const v1::Report& report, absl::string_view prefix,
                                     FieldViolations& v) {
  const std::set<std::string> old(before.begin(), before.end());
  for (const std::string& id : report.suppressed_findings()) {
    if (old.count(id) == 0 && report.suppression_reasons().count(id) == 0) {
      v.Add(ReasonField(prefix, id), "a newly suppressed finding needs a reason");
    }
  }
}

void ValidateDocuments(const google::protobuf::RepeatedPtrField<v1::DocumentUpload>& documents,
                       FieldViolations& v) {
  if (documents.empty()) {
    v.Add("documents", "publishing needs at least one rendered document");
    return;
  }
  if (documents.size() > kMaxDocuments) {
    v.Add("documents",
          absl::StrCat("at most ", kMaxDocuments, " documents (got ", documents.size(), ")"));
    return;
  }
  std::set<std::string> formats;
  for (int i = 0; i < documents.size(); ++i) {
    const auto& d = documents[i];
    const std::string at = At("documents", i);
    bool format_ok = !d.format().empty() && d.format().size() <= kMaxFormatChars;
    for (char c : d.format())
      format_ok = format_ok && ((c >= 'a' && c <= 'z') || absl::ascii_isdigit(c));
    if (!format_ok) {
      v.Add(at + ".format", "must be 1-16 of a-z and 0-9, e.g. docx");
    } else if (!formats.insert(d.format()).second) {
      v.Add(at + ".format", absl::StrCat("\"", d.format(), "\" is given twice"));
    }
    const std::string& media = d.media_type();
    const absl::string_view essence = absl::string_view(media).substr(0, media.find(';'));
    const size_t slash = essence.find('/');
    bool media_ok = !media.empty() && media.size() <= kMaxMediaTypeChars &&
                    slash != absl::string_view::npos && slash > 0 && slash + 1 < essence.size();
    for (char c : media) media_ok = media_ok && c >= 0x20 && c < 0x7F;
    for (char c : essence) media_ok = media_ok && c != ' ';
    if (!media_ok) v.Add(at + ".media_type", "must be a media type like text/html");
    if (d.content().empty()) {
      v.Add(at + ".content", "is empty");
    } else if (d.content().size() > kMaxDocumentBytes) {
      v.Add(at + ".content", absl::StrCat("must be at most ", kMaxDocumentBytes,
                                          " bytes (3 MiB; got ", d.content().size(), ")"));
    } else if (!d.sha256().empty()) {
      const std::string given = absl::AsciiStrToLower(d.sha256());
      if (!kernel::IsSha256Hex(given)) {
        v.Add(at + ".sha256", "must be 64 hex characters");
      } else if (given != kernel::Sha256Hex(d.content())) {
        v.Add(at + ".sha256", "does not match the content: it was changed on the way");
      }
    }
  }
}

void CheckMaskNamesNoOutputOnly(const google::protobuf::FieldMask& mask,
                                const std::vector<std::string>& output_only, FieldViolations& v) {
  for (int i = 0; i < mask.paths_size(); ++i) {
    for (const std::string& field : output_only) {
      if (mask.paths(i) == field) {
        v.Add(absl::StrCat("update_mask.paths[", i, "]"),
              absl::StrCat("\"", field, "\" is output only"));
      }
    }
  }
}

}  // namespace fazhi::report
