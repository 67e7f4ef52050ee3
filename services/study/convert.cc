#include "services/study/convert.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/util/time_util.h"
#include "services/common/proto_dates.h"
#include "services/common/resource.h"
#include "services/study/validate.h"

namespace fazhi::study {
namespace {

using google::protobuf::util::TimeUtil;

google::protobuf::Timestamp ToTimestamp(absl::Time t) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

template <typename P>
void SetMeta(const RecordMeta& meta, absl::string_view collection, P& proto) {
  proto.set_name(ChildResourceName(meta.org, collection, meta.id));
  proto.set_etag(MakeEtag(meta.revision));
  *proto.mutable_create_time() = ToTimestamp(meta.create_time);
  *proto.mutable_update_time() = ToTimestamp(meta.update_time);
}

std::vector<std::string> ToVector(const google::protobuf::RepeatedPtrField<std::string>& items) {
  return std::vector<std::string>(items.begin(), items.end());
}

std::vector<std::string> Laws(const google::protobuf::RepeatedPtrField<std::string>& items) {
  std::vector<std::string> laws;
  for (const std::string& law : items) laws.push_back(NormalizeLawName(law));
  return laws;
}

template <typename R>
void Assign(const std::vector<std::string>& items, R* field) {
  field->Assign(items.begin(), items.end());
}

}  // namespace

Session FromProto(const v1::Session& p) {
  Session s;
  s.date = ToCivilDay(p.date());
  s.kind = static_cast<StudyKind>(p.kind());
  s.title = p.title();
  s.laws = Laws(p.laws());
  s.duration_minutes = p.duration_minutes();
  s.location = p.location();
  // With named attendees the head's presence follows from them; the flag
  // speaks only for head-count-only records.
  s.head_attended = p.attendees().empty() && p.head_attended();
  s.attendees.reserve(p.attendees_size());
  for (const auto& a : p.attendees()) {
    s.attendees.push_back(Attendee{a.person_id(), a.display_name(), a.is_head()});
    if (a.is_head()) s.head_attended = true;
  }
  s.attendee_count = p.attendee_count();
  s.external_id = p.external_id();
  s.evidence = ToVector(p.evidence());
  s.notes = p.notes();
  return s;
}

v1::Session ToProto(const Session& s) {
  v1::Session p;
  SetMeta(s.meta, "sessions", p);
  *p.mutable_date() = ToDate(s.date);
  p.set_kind(static_cast<v1::StudyKind>(s.kind));
  p.set_title(s.title);
  Assign(s.laws, p.mutable_laws());
  p.set_duration_minutes(s.duration_minutes);
  p.set_location(s.location);
  for (const Attendee& a : s.attendees) {
    auto* out = p.add_attendees();
    out->set_person_id(a.person_id);
    out->set_display_name(a.display_name);
    out->set_is_head(a.is_head);
  }
  p.set_attendee_count(s.attendee_count);
  p.set_head_attended(s.head_attended);
  p.set_external_id(s.external_id);
  Assign(s.evidence, p.mutable_evidence());
  p.set_notes(s.notes);
  return p;
}

PublicityEvent FromProto(const v1::PublicityEvent& p) {
  PublicityEvent e;
  e.date = ToCivilDay(p.date());
  e.kind = static_cast<PublicityKind>(p.kind());
  e.title = p.title();
  e.place = p.place();
  e.laws = Laws(p.laws());
  e.display_boards = p.display_boards();
  e.leaflets = p.leaflets();
  e.people_reached = p.people_reached();
  e.consultations = p.consultations();
  e.external_id = p.external_id();
  e.evidence = ToVector(p.evidence());
  e.notes = p.notes();
  return e;
}

v1::PublicityEvent ToProto(const PublicityEvent& e) {
  v1::PublicityEvent p;
  SetMeta(e.meta, "publicityEvents", p);
  *p.mutable_date() = ToDate(e.date);
  p.set_kind(static_cast<v1::PublicityKind>(e.kind));
  p.set_title(e.title);
  p.set_place(e.place);
  Assign(e.laws, p.mutable_laws());
  p.set_display_boards(e.display_boards);
  p.set_leaflets(e.leaflets);
  p.set_people_reached(e.people_reached);
  p.set_consultations(e.consultations);
  p.set_external_id(e.external_id);
  Assign(e.evidence, p.mutable_evidence());
  p.set_notes(e.notes);
  return p;
}

StudyPlan FromProto(const v1::StudyPlan& p) {
  StudyPlan plan;
  plan.has_adopted_date = IsSet(p.adopted_date());
  if (plan.has_adopted_date) plan.adopted_date = ToCivilDay(p.adopted_date());
  plan.title = p.title();
  for (const auto& r : p.rules()) {
    plan.rules.push_back(StudyRule{static_cast<StudyKind>(r.kind()),
                                   static_cast<RulePeriod>(r.period()), r.min_sessions(),
                                   r.min_minutes()});
  }
  plan.eligible_staff = p.eligible_staff();
  plan.planned_laws = Laws(p.planned_laws());
  plan.notes = p.notes();
  return plan;
}

v1::StudyPlan ToProto(const StudyPlan& plan) {
  v1::StudyPlan p;
  SetMeta(plan.meta, "studyPlans", p);
  if (plan.has_adopted_date) *p.mutable_adopted_date() = ToDate(plan.adopted_date);
  p.set_title(plan.title);
  for (const StudyRule& r : plan.rules) {
    auto* out = p.add_rules();
    out->set_kind(static_cast<v1::StudyKind>(r.kind));
    out->set_period(static_cast<v1::RulePeriod>(r.period));
    out->set_min_sessions(r.min_sessions);
    out->set_min_minutes(r.min_minutes);
  }
  p.set_eligible_staff(plan.eligible_staff);
  Assign(plan.planned_laws, p.mutable_planned_laws());
  p.set_notes(plan.notes);
  return p;
}

v1::StudySummary ToProto(const YearSummary& s, bool include_records) {
  v1::StudySummary p;
  p.set_org(OrgName(s.org));
  p.set_year(s.year);
  *p.mutable_as_of() = ToDate(s.as_of);
  p.set_total_sessions(s.total_sessions);
  p.set_total_minutes(s.total_minutes);
  p.set_staff_minutes(s.staff_minutes);
  p.set_staff_hours(s.staff_hours);
  p.set_head_attended_sessions(s.head_attended_sessions);
  for (const KindTotal& k : s.by_kind) {
    auto* out = p.add_by_kind();
    out->set_kind(static_cast<v1::StudyKind>(k.kind));
    out->set_sessions(k.sessions);
    out->set_minutes(k.minutes);
    out->set_staff_minutes(k.staff_minutes);
    for (int32_t n : k.sessions_by_quarter) out->add_sessions_by_quarter(n);
    out->set_head_attended_sessions(k.head_attended_sessions);
    out->set_attendances(k.attendances);
    Assign(k.laws, out->mutable_laws());
    if (include_records) {
      for (const std::string& id : k.session_ids) {
        out->add_session_names(ChildResourceName(s.org, "sessions", id));
      }
      for (const std::string& id : k.head_attended_session_ids) {
        out->add_head_attended_session_names(ChildResourceName(s.org, "sessions", id));
      }
    }
  }
  for (const QuarterTotal& q : s.by_quarter) {
    auto* out = p.add_by_quarter();
    out->set_quarter(q.quarter);
    out->set_sessions(q.sessions);
    out->set_leadership_group_sessions(q.leadership_group_sessions);
  }
  for (int32_t q : s.leadership_quarters_missed) p.add_leadership_quarters_missed(q);
  for (const LawTotal& l : s.laws) {
    auto* out = p.add_laws();
    out->set_law(l.law);
    out->set_sessions(l.sessions);
    out->set_publicity_events(l.publicity_events);
  }
  p.set_has_plan(s.has_plan);
  if (s.plan_adopted_date) *p.mutable_plan_adopted_date() = ToDate(*s.plan_adopted_date);
  p.set_plan_adopted_in_first_quarter(s.plan_adopted_in_first_quarter);
  for (const RuleCompliance& r : s.rules) {
    auto* out = p.add_rules();
    out->mutable_rule()->set_kind(static_cast<v1::StudyKind>(r.rule.kind));
    out->mutable_rule()->set_period(static_cast<v1::RulePeriod>(r.rule.period));
    out->mutable_rule()->set_min_sessions(r.rule.min_sessions);
    out->mutable_rule()->set_min_minutes(r.rule.min_minutes);
    for (int32_t n : r.counts) out->add_counts(n);
    for (int32_t n : r.periods_missed) out->add_periods_missed(n);
    for (int32_t n : r.periods_pending) out->add_periods_pending(n);
    out->set_satisfied(r.satisfied);
  }
  p.set_plan_fulfilled(s.plan_fulfilled);
  Assign(s.planned_laws_not_studied, p.mutable_planned_laws_not_studied());
  p.set_oath_sessions(s.oath_sessions);
  p.set_oath_takers(s.oath_takers);
  p.set_eligible_staff(s.eligible_staff);
  p.set_oath_coverage_percent(s.oath_coverage_percent);

  auto* pub = p.mutable_publicity();
  pub->set_events(s.publicity.events);
  for (const auto& [kind, count] : s.publicity.by_kind) {
    auto* out = pub->add_by_kind();
    out->set_kind(static_cast<v1::PublicityKind>(kind));
    out->set_events(count);
  }
  for (const PlaceTotal& place : s.publicity.places) {
    auto* out = pub->add_places();
    out->set_place(place.place);
    out->set_events(place.events);
    out->set_people_reached(place.people_reached);
  }
  pub->set_display_boards(s.publicity.display_boards);
  pub->set_leaflets(s.publicity.leaflets);
  pub->set_people_reached(s.publicity.people_reached);
  pub->set_consultations(s.publicity.consultations);
  Assign(s.publicity.laws, pub->mutable_laws());
  if (include_records) {
    for (const std::string& id : s.publicity.event_ids) {
      pub->add_event_names(ChildResourceName(s.org, "publicityEvents", id));
    }
  }
  p.set_attendances(s.attendances);
  p.set_has_records(s.has_records);
  return p;
}

}  // namespace fazhi::study
