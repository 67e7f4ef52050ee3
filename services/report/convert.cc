#include "services/report/convert.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "google/protobuf/util/time_util.h"
#include "services/common/names.h"
#include "services/common/proto_dates.h"
#include "services/common/resource.h"
#include "services/kernel/narrative_fields.h"
#include "services/kernel/placeholder.h"
#include "services/report/content.h"
#include "services/report/credit_code.h"

namespace fazhi::report {
namespace {

using google::protobuf::util::TimeUtil;

google::protobuf::Timestamp ToTimestamp(absl::Time t) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

void SetTime(const std::optional<absl::Time>& t, google::protobuf::Timestamp* out) {
  if (t) *out = ToTimestamp(*t);
}

std::optional<absl::CivilDay> OptionalDay(const google::type::Date& date) {
  if (!IsSet(date)) return std::nullopt;
  return ToCivilDay(date);
}

void SetDay(const std::optional<absl::CivilDay>& day, google::type::Date* out) {
  if (day) *out = ToDate(*day);
}

template <typename R>
std::vector<std::string> ToVector(const R& items) {
  return std::vector<std::string>(items.begin(), items.end());
}

template <typename R>
void Assign(const std::vector<std::string>& items, R* field) {
  field->Assign(items.begin(), items.end());
}

v1::ReportState StateToProto(ReportState s) { return static_cast<v1::ReportState>(s); }

}  // namespace

Organization FromProto(const v1::Organization& p) {
  Organization o;
  o.full_name = p.full_name();
  o.region = p.region();
  for (const std::string& name : p.supervisors()) {
    o.supervisors.push_back(OrgOfName(name).value_or(name));
  }
  o.credit_code = NormalizeCreditCode(p.credit_code());
  for (const auto& c : p.contacts()) o.contacts.push_back({c.name(), c.phone(), c.email()});
  o.two_person_approval = p.two_person_approval();
  for (const auto& r : p.finding_remedies()) {
    o.finding_remedies.push_back({r.finding(), r.cause(), r.rectification(), r.owner(),
                                  r.due_date().year(), r.due_date().month(), r.due_date().day()});
  }
  o.addressee = p.addressee();
  return o;
}

v1::Organization ToProto(const Organization& o) {
  v1::Organization p;
  p.set_name(OrgName(o.meta.id));
  p.set_full_name(o.full_name);
  p.set_region(o.region);
  for (const std::string& s : o.supervisors) p.add_supervisors(OrgName(s));
  p.set_credit_code(o.credit_code);
  for (const Contact& c : o.contacts) {
    auto* out = p.add_contacts();
    out->set_name(c.name);
    out->set_phone(c.phone);
    out->set_email(c.email);
  }
  p.set_two_person_approval(o.two_person_approval);
  for (const FindingRemedy& r : o.finding_remedies) {
    auto* out = p.add_finding_remedies();
    out->set_finding(r.finding);
    out->set_cause(r.cause);
    out->set_rectification(r.rectification);
    out->set_owner(r.owner);
    if (r.due_month != 0) {
      out->mutable_due_date()->set_year(r.due_year);
      out->mutable_due_date()->set_month(r.due_month);
      out->mutable_due_date()->set_day(r.due_day);
    }
  }
  p.set_addressee(o.addressee);
  p.set_etag(MakeEtag(o.meta.revision));
  *p.mutable_create_time() = ToTimestamp(o.meta.create_time);
  *p.mutable_update_time() = ToTimestamp(o.meta.update_time);
  return p;
}

ReportContent ContentFromProto(const v1::Report& p, int year) {
  ReportContent c;
  c.title = p.title();
  c.layout.preset = static_cast<LayoutPreset>(p.layout().preset());
  for (const auto& e : p.layout().entries()) {
    c.layout.entries.push_back({static_cast<ContentItem>(e.item()), e.heading()});
  }
  c.preamble = ToVector(p.preamble());
  for (const auto& s : p.sections()) {
    Section section;
    section.item = static_cast<ContentItem>(s.item());
    for (const auto& i : s.items())
      section.items.push_back({i.heading(), ToVector(i.paragraphs())});
    c.sections.push_back(std::move(section));
  }
  for (const auto& s : p.shortcomings()) {
    RectificationStatus status = static_cast<RectificationStatus>(s.status());
    if (status == RectificationStatus::kUnspecified) status = RectificationStatus::kOpen;
    c.shortcomings.push_back(
        {s.problem(), s.cause(), s.rectification(), s.owner(), OptionalDay(s.due_date()), status});
  }
  for (const auto& i : p.plan_items()) {
    c.plan_items.push_back(
        {i.heading(), ToVector(i.paragraphs()), i.owner(), OptionalDay(i.due_date())});
  }
  c.signatory = {p.signatory().name(), p.signatory().title()};
  c.report_date = OptionalDay(p.report_date());
  c.document_number = p.document_number();
  c.submit_before = OptionalDay(p.due_dates().submit_before()).value_or(DefaultSubmitBefore(year));
  c.publish_before =
      OptionalDay(p.due_dates().publish_before()).value_or(DefaultPublishBefore(year));
  c.suppressed_findings = ToVector(p.suppressed_findings());
  c.suppression_reasons.insert(p.suppression_reasons().begin(), p.suppression_reasons().end());
  return c;
}

namespace {

void WarnAboutNumbers(const std::string& field, const std::string& text, v1::Report& p) {
  for (const kernel::TypedNumber& n : kernel::HandTypedNumbers(text)) {
    auto* w = p.add_warnings();
    w->set_field(field);
    w->set_description(
        absl::StrCat("at character ", n.position, ": the number \"", n.text,
                     "\" is typed by hand and no record proves it; quote a fact ({{…}}) instead"));
  }
}

}  // namespace

void AddNarrativeWarnings(v1::Report& p) {
  p.clear_warnings();
  // Adding warnings leaves the narrative fields (and references to them) be.
  const v1::Report& narrative = p;
  kernel::ForEachNarrativeField(narrative, [&](const std::string& field, const std::string& text) {
    WarnAboutNumbers(field, text, p);
  });
}

v1::Report ToProto(const Report& r) {
  v1::Report p;
  const ReportContent& c = r.content;
  p.set_name(ReportName{r.meta.org, r.year}.Format());
  p.set_year(r.year);
  p.set_title(c.title);
  p.mutable_layout()->set_preset(static_cast<v1::LayoutPreset>(c.layout.preset));
  for (const LayoutEntry& e : c.layout.entries) {
    auto* out = p.mutable_layout()->add_entries();
    out->set_item(static_cast<v1::ContentItem>(e.item));
    out->set_heading(e.heading);
  }
  Assign(c.preamble, p.mutable_preamble());
  for (const Section& s : c.sections) {
    auto* section = p.add_sections();
    section->set_item(static_cast<v1::ContentItem>(s.item));
    for (const SectionItem& i : s.items) {
      auto* item = section->add_items();
      item->set_heading(i.heading);
      Assign(i.paragraphs, item->mutable_paragraphs());
    }
  }
  for (const Shortcoming& s : c.shortcomings) {
    auto* out = p.add_shortcomings();
    out->set_problem(s.problem);
    out->set_cause(s.cause);
    out->set_rectification(s.rectification);
    out->set_owner(s.owner);
    SetDay(s.due_date, out->mutable_due_date());
    out->set_status(static_cast<v1::RectificationStatus>(s.status));
  }
  for (const PlanItem& i : c.plan_items) {
    auto* out = p.add_plan_items();
    out->set_heading(i.heading);
    Assign(i.paragraphs, out->mutable_paragraphs());
    out->set_owner(i.owner);
    SetDay(i.due_date, out->mutable_due_date());
  }
  if (!c.signatory.name.empty() || !c.signatory.title.empty()) {
    p.mutable_signatory()->set_name(c.signatory.name);
    p.mutable_signatory()->set_title(c.signatory.title);
  }
  SetDay(c.report_date, p.mutable_report_date());
  p.set_document_number(c.document_number);
  *p.mutable_due_dates()->mutable_submit_before() = ToDate(c.submit_before);
  *p.mutable_due_dates()->mutable_publish_before() = ToDate(c.publish_before);
  Assign(c.suppressed_findings, p.mutable_suppressed_findings());
  p.mutable_suppression_reasons()->insert(c.suppression_reasons.begin(),
                                          c.suppression_reasons.end());

  p.set_state(StateToProto(r.state));
  p.set_revision(r.revision);
  p.set_published_revision(r.published_revision);
  p.set_correction_reason(r.correction_reason);
  const Lifecycle& l = r.life;
  auto* life = p.mutable_lifecycle();
  life->set_submitted_by(l.submitted_by);
  SetTime(l.submit_time, life->mutable_submit_time());
  life->set_approved_by(l.approved_by);
  SetTime(l.approve_time, life->mutable_approve_time());
  life->set_published_by(l.published_by);
  SetTime(l.publish_time, life->mutable_publish_time());
  SetTime(l.first_submit_time, life->mutable_first_submit_time());
  SetTime(l.first_publish_time, life->mutable_first_publish_time());
  if (l.last_transition) {
    auto* t = life->mutable_last_transition();
    t->set_method(l.last_transition->method);
    t->set_actor(l.last_transition->actor);
    *t->mutable_time() = ToTimestamp(l.last_transition->time);
    t->set_comment(l.last_transition->comment);
    t->set_from_state(StateToProto(l.last_transition->from));
    t->set_to_state(StateToProto(l.last_transition->to));
  }
  p.set_etag(MakeEtag(r.meta.revision));
  *p.mutable_create_time() = ToTimestamp(r.meta.create_time);
  *p.mutable_update_time() = ToTimestamp(r.meta.update_time);
  AddNarrativeWarnings(p);
  return p;
}

v1::Document ToProto(const Document& d, const RevisionName& revision, bool with_content) {
  v1::Document p;
  p.set_name(DocumentName{revision.org, revision.year, revision.revision, d.format}.Format());
  p.set_format(d.format);
  p.set_media_type(d.media_type);
  p.set_size_bytes(d.size_bytes);
  p.set_sha256(d.sha256);
  if (with_content) p.set_content(d.content);
  return p;
}

v1::ReportRevision ToProto(const Revision& r) {
  v1::ReportRevision p;
  const RevisionName name{r.org, r.year, r.number};
  p.set_name(name.Format());
  p.set_revision(r.number);
  *p.mutable_report() = ToProto(r.report);
  for (const Document& d : r.documents) *p.add_documents() = ToProto(d, name, false);
  p.set_published_by(r.published_by);
  *p.mutable_publish_time() = ToTimestamp(r.publish_time);
  p.set_comment(r.comment);
  p.set_correction_reason(r.correction_reason);
  p.set_superseded_by(r.superseded_by);
  SetTime(r.supersede_time, p.mutable_supersede_time());
  return p;
}

v1::HistoryEntry ToProto(const HistoryEntry& e) {
  v1::HistoryEntry p;
  p.set_sequence(e.sequence);
  *p.mutable_time() = ToTimestamp(e.time);
  p.set_actor(e.actor);
  p.set_method(e.method);
  p.set_resource(e.resource);
  p.set_comment(e.comment);
  p.set_from_state(StateToProto(e.from_state));
  p.set_to_state(StateToProto(e.to_state));
  p.set_revision(e.revision);
  p.set_request_id(e.request_id);
  return p;
}

v1::OverdueReport ToProto(const Organization& org, int year, const ReportTimeliness& t) {
  v1::OverdueReport p;
  p.set_organization(OrgName(org.meta.id));
  p.set_full_name(org.full_name);
  if (t.started) p.set_report(ReportName{org.meta.id, year}.Format());
  p.set_state(StateToProto(t.state));
  *p.mutable_submit_before() = ToDate(t.submit_before);
  *p.mutable_publish_before() = ToDate(t.publish_before);
  SetDay(t.submitted_on, p.mutable_submitted_on());
  SetDay(t.published_on, p.mutable_published_on());
  for (OverdueReason reason : t.reasons) p.add_reasons(static_cast<v1::OverdueReason>(reason));
  return p;
}

}  // namespace fazhi::report
