#include "services/duty/convert.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "services/common/proto_dates.h"
#include "services/common/resource.h"
#include "services/duty/validate.h"

namespace fazhi::duty {
namespace {

using google::protobuf::util::TimeUtil;

google::protobuf::Timestamp ToTimestamp(absl::Time t) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

template <typename P>
void SetTimes(const RecordMeta& meta, P& proto) {
  proto.set_etag(MakeEtag(meta.revision));
  *proto.mutable_create_time() = ToTimestamp(meta.create_time);
  *proto.mutable_update_time() = ToTimestamp(meta.update_time);
}

std::vector<std::string> ToVector(const google::protobuf::RepeatedPtrField<std::string>& items) {
  return std::vector<std::string>(items.begin(), items.end());
}

template <typename R>
void Assign(const std::vector<std::string>& items, R* field) {
  field->Assign(items.begin(), items.end());
}

// The last segment of a validated resource name; "" for "".
std::string IdOf(const std::string& name) {
  const auto slash = name.rfind('/');
  return slash == std::string::npos ? name : name.substr(slash + 1);
}

std::string Ref(const std::string& org, absl::string_view collection, const std::string& id) {
  return id.empty() ? std::string() : ChildResourceName(org, collection, id);
}

void FillPlanned(const std::string& org, const DutySnapshot& s, const PlannedOfficer& planned,
                 v1::PlannedOfficer* out) {
  const Officer& o = s.officers[planned.officer];
  out->set_officer(ChildResourceName(org, "officers", o.meta.id));
  out->set_display_name(o.display_name);
  out->set_role(static_cast<v1::AssignmentRole>(planned.role));
  out->set_origin(static_cast<v1::AssignmentOrigin>(planned.origin));
  out->set_legal_qualification(o.legal_qualification);
  out->set_kept(planned.kept);
}

void FillTotals(const DutyTotals& t, v1::DutyTotals* out) {
  out->set_powers(t.powers);
  for (const auto& [type, count] : t.powers_by_type) {
    auto* c = out->add_powers_by_type();
    c->set_type(static_cast<v1::PowerType>(type));
    c->set_powers(count);
  }
  for (const auto& [domain, count] : t.powers_by_domain) {
    auto* c = out->add_powers_by_domain();
    c->set_domain(domain);
    c->set_powers(count);
  }
  out->set_powers_needing_legal_review(t.powers_needing_legal_review);
  out->set_staffed_powers(t.staffed_powers);
  out->set_assignments(t.assignments);
  out->set_officers(t.officers);
  out->set_established_officers(t.established_officers);
  out->set_certified_officers(t.certified_officers);
  out->set_legally_qualified_officers(t.legally_qualified_officers);
  out->set_certified_legally_qualified_officers(t.certified_legally_qualified_officers);
  out->set_posts(t.posts);
  out->set_training_year(t.training_year);
  out->set_training_hours(t.training_hours);
  out->set_officers_meeting_training(t.officers_meeting_training);
  out->set_required_training_hours(t.required_training_hours);
  out->set_training_officers(t.training_officers);
}

template <typename Out>
void FillDomainsAndGaps(const std::string& org, const CoverageReport& r, Out* out) {
  for (const DomainCoverage& d : r.domains) {
    auto* c = out->add_domains();
    c->set_domain(d.domain);
    c->set_powers(d.powers);
    c->set_powers_needing_legal_review(d.powers_needing_legal_review);
    c->set_staffed_powers(d.staffed_powers);
    c->set_officers(d.officers);
    c->set_valid_certified_officers(d.valid_certified_officers);
    c->set_legally_qualified_officers(d.legally_qualified_officers);
  }
  for (const Gap& g : r.gaps) {
    auto* c = out->add_gaps();
    c->set_type(static_cast<v1::GapType>(g.type));
    c->set_domain(g.domain);
    c->set_power(Ref(org, "powers", g.power_id));
    c->set_power_code(g.power_code);
    c->set_power_name(g.power_name);
    c->set_officer(Ref(org, "officers", g.officer_id));
    c->set_officer_name(g.officer_name);
    c->set_certificate_number(g.certificate_number);
    if (g.date) *c->mutable_date() = ToDate(*g.date);
    c->set_days(g.days);
    c->set_required(g.required);
    c->set_actual(g.actual);
    c->set_detail(g.detail);
    c->set_reason(static_cast<v1::UnstaffedReason>(g.reason));
  }
  for (const auto& [type, count] : r.gap_counts) {
    auto* c = out->add_gap_counts();
    c->set_type(static_cast<v1::GapType>(type));
    c->set_count(count);
  }
}

}  // namespace

Power FromProto(const v1::Power& p) {
  Power power;
  power.code = p.code();
  power.item_name = p.item_name();
  power.sub_item_name = p.sub_item_name();
  power.type = static_cast<PowerType>(p.type());
  power.domain = p.domain();
  power.setting_basis = ToVector(p.setting_basis());
  power.implementing_basis = ToVector(p.implementing_basis());
  power.implementing_unit = p.implementing_unit();
  for (const auto& s : p.stages()) power.stages.push_back({s.stage(), s.duty()});
  power.accountability_cases = ToVector(p.accountability_cases());
  power.required_officers = p.required_officers();
  power.needs_legal_review = p.needs_legal_review();
  power.post_id = IdOf(p.post());
  power.external_id = p.external_id();
  power.notes = p.notes();
  return power;
}

v1::Power ToProto(const Power& power) {
  v1::Power p;
  const std::string& org = power.meta.org;
  p.set_name(ChildResourceName(org, "powers", power.meta.id));
  p.set_code(power.code);
  p.set_item_name(power.item_name);
  p.set_sub_item_name(power.sub_item_name);
  p.set_type(static_cast<v1::PowerType>(power.type));
  p.set_domain(power.domain);
  Assign(power.setting_basis, p.mutable_setting_basis());
  Assign(power.implementing_basis, p.mutable_implementing_basis());
  p.set_implementing_unit(power.implementing_unit);
  for (const ResponsibilityStage& s : power.stages) {
    auto* out = p.add_stages();
    out->set_stage(s.stage);
    out->set_duty(s.duty);
  }
  Assign(power.accountability_cases, p.mutable_accountability_cases());
  p.set_required_officers(power.required_officers);
  p.set_needs_legal_review(power.needs_legal_review);
  p.set_post(Ref(org, "posts", power.post_id));
  p.set_external_id(power.external_id);
  p.set_notes(power.notes);
  SetTimes(power.meta, p);
  return p;
}

Post FromProto(const v1::Post& p) {
  Post post;
  post.display_name = p.display_name();
  post.unit = p.unit();
  post.domains = ToVector(p.domains());
  post.standards = p.standards();
  post.procedures = p.procedures();
  post.capacity = p.capacity();
  post.notes = p.notes();
  return post;
}

v1::Post ToProto(const Post& post) {
  v1::Post p;
  p.set_name(ChildResourceName(post.meta.org, "posts", post.meta.id));
  p.set_display_name(post.display_name);
  p.set_unit(post.unit);
  Assign(post.domains, p.mutable_domains());
  p.set_standards(post.standards);
  p.set_procedures(post.procedures);
  p.set_capacity(post.capacity);
  p.set_notes(post.notes);
  SetTimes(post.meta, p);
  return p;
}

Officer FromProto(const v1::Officer& p) {
  Officer o;
  o.person_id = p.person_id();
  o.display_name = p.display_name();
  o.post_id = IdOf(p.post());
  if (!p.certificate().number().empty()) {
    o.certificate.number = p.certificate().number();
    o.certificate.issued = ToCivilDay(p.certificate().issued_date());
    o.certificate.expiry = ToCivilDay(p.certificate().expiry_date());
    o.certificate.status = static_cast<CertificateStatus>(p.certificate().status());
  }
  o.domains = ToVector(p.domains());
  o.legal_qualification = p.legal_qualification();
  for (const auto& t : p.training()) o.training.push_back({t.year(), t.hours()});
  o.max_load = p.max_load();
  o.established = p.established();
  o.external_id = p.external_id();
  o.notes = p.notes();
  return o;
}

v1::Officer ToProto(const Officer& o) {
  v1::Officer p;
  const std::string& org = o.meta.org;
  p.set_name(ChildResourceName(org, "officers", o.meta.id));
  p.set_person_id(o.person_id);
  p.set_display_name(o.display_name);
  p.set_post(Ref(org, "posts", o.post_id));
  if (o.certificate.present()) {
    auto* c = p.mutable_certificate();
    c->set_number(o.certificate.number);
    *c->mutable_issued_date() = ToDate(o.certificate.issued);
    *c->mutable_expiry_date() = ToDate(o.certificate.expiry);
    c->set_status(static_cast<v1::CertificateStatus>(o.certificate.status));
  }
  Assign(o.domains, p.mutable_domains());
  p.set_legal_qualification(o.legal_qualification);
  for (const TrainingHours& t : o.training) {
    auto* out = p.add_training();
    out->set_year(t.year);
    out->set_hours(t.hours);
  }
  p.set_max_load(o.max_load);
  p.set_established(o.established);
  p.set_external_id(o.external_id);
  p.set_notes(o.notes);
  SetTimes(o.meta, p);
  return p;
}

Assignment FromProto(const v1::Assignment& p) {
  Assignment a;
  a.role =
      p.role() == v1::ASSIGNMENT_ROLE_LEAD ? AssignmentRole::kLead : AssignmentRole::kAssistant;
  a.origin = p.origin() == v1::ASSIGNMENT_ORIGIN_COMPUTED ? AssignmentOrigin::kComputed
                                                          : AssignmentOrigin::kPinned;
  a.notes = p.notes();
  return a;
}

v1::Assignment ToProto(const Assignment& a) {
  v1::Assignment p;
  const std::string& org = a.meta.org;
  p.set_name(FormatAssignmentName(org, a.power_id, a.officer_id));
  p.set_officer(ChildResourceName(org, "officers", a.officer_id));
  p.set_role(static_cast<v1::AssignmentRole>(a.role));
  p.set_origin(static_cast<v1::AssignmentOrigin>(a.origin));
  p.set_post(Ref(org, "posts", a.post_id));
  p.set_notes(a.notes);
  SetTimes(a.meta, p);
  return p;
}

v1::AllocateDutiesResponse ToProto(const std::string& org, absl::CivilDay as_of,
                                   const DutySnapshot& s, const AllocationPlan& plan,
                                   bool committed) {
  v1::AllocateDutiesResponse r;
  r.set_parent(OrgName(org));
  *r.mutable_as_of() = ToDate(as_of);
  r.set_committed(committed);
  for (const PowerPlan& pp : plan.staffed) {
    const Power& power = s.powers[pp.power];
    auto* out = r.add_allocations();
    out->set_power(ChildResourceName(org, "powers", power.meta.id));
    out->set_code(power.code);
    out->set_item_name(power.DisplayName());
    out->set_domain(power.domain);
    for (const PlannedOfficer& o : pp.officers) FillPlanned(org, s, o, out->add_officers());
  }
  for (const UnstaffedPower& u : plan.unstaffed) {
    const Power& power = s.powers[u.power];
    auto* out = r.add_unstaffed();
    out->set_power(ChildResourceName(org, "powers", power.meta.id));
    out->set_code(power.code);
    out->set_item_name(power.DisplayName());
    out->set_domain(power.domain);
    out->set_reason(static_cast<v1::UnstaffedReason>(u.reason));
    out->set_detail(u.detail);
    out->set_required_officers(u.required);
    out->set_qualified_officers(u.qualified);
    out->set_eligible_officers(u.eligible);
    out->set_eligible_legal_officers(u.eligible_legal);
    for (const PlannedOfficer& o : u.pinned) FillPlanned(org, s, o, out->add_officers());
  }
  std::vector<size_t> order;
  for (size_t o = 0; o < s.officers.size(); ++o) {
    if (plan.loads[o] > 0) order.push_back(o);
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return plan.loads[a] > plan.loads[b]; });
  for (size_t o : order) {
    auto* out = r.add_loads();
    out->set_officer(ChildResourceName(org, "officers", s.officers[o].meta.id));
    out->set_display_name(s.officers[o].display_name);
    out->set_load(plan.loads[o]);
    out->set_max_load(s.officers[o].MaxLoad());
  }
  const AllocationStats& st = plan.stats;
  auto* stats = r.mutable_stats();
  stats->set_powers(st.powers);
  stats->set_staffed_powers(st.staffed_powers);
  stats->set_unstaffed_powers(st.unstaffed_powers);
  stats->set_assignments(st.assignments);
  stats->set_kept(st.kept);
  stats->set_added(st.added);
  stats->set_removed(st.removed);
  stats->set_max_load(st.max_load);
  stats->set_min_load(st.min_load);
  stats->set_load_sum_of_squares(st.load_sum_of_squares);
  stats->set_officers_used(st.officers_used);
  stats->set_eligible_officers(st.eligible_officers);
  r.set_method(AllocationMethod());
  return r;
}

namespace {

template <typename Out>
void FillPowers(const std::string& org, const DutySnapshot& s, const CoverageReport& report,
                Out* out) {
  for (const PowerCoverage& pc : report.powers) {
    const Power& power = s.powers[pc.power];
    auto* p = out->add_powers();
    p->set_power(ChildResourceName(org, "powers", power.meta.id));
    p->set_code(power.code);
    p->set_item_name(power.item_name);
    p->set_sub_item_name(power.sub_item_name);
    p->set_type(static_cast<v1::PowerType>(power.type));
    p->set_domain(power.domain);
    p->set_required_officers(pc.required);
    p->set_needs_legal_review(power.needs_legal_review);
    p->set_assigned_officers(pc.assigned);
    p->set_valid_certified_officers(pc.valid_certified);
    p->set_legally_qualified_officers(pc.legally_qualified);
    p->set_lead(Ref(org, "officers", pc.lead_id));
    for (const std::string& id : pc.officer_ids)
      p->add_officers(ChildResourceName(org, "officers", id));
    p->set_staffed(pc.staffed);
  }
}

}  // namespace

void ToProto(const std::string& org, const DutySnapshot& s, const CoverageReport& report,
             v1::Coverage* out) {
  out->set_org(OrgName(org));
  *out->mutable_as_of() = ToDate(report.as_of);
  FillTotals(report.totals, out->mutable_totals());
  FillDomainsAndGaps(org, report, out);
  FillPowers(org, s, report, out);
}

void ToProto(const std::string& org, int32_t year, const DutySnapshot& s,
             const CoverageReport& report, bool include_records, v1::DutySummary* out) {
  out->set_org(OrgName(org));
  out->set_year(year);
  *out->mutable_as_of() = ToDate(report.as_of);
  FillTotals(report.totals, out->mutable_totals());
  FillDomainsAndGaps(org, report, out);
  if (!include_records) return;
  FillPowers(org, s, report, out);
  for (const OfficerStanding& standing : report.officers) {
    const Officer& o = s.officers[standing.officer];
    auto* p = out->add_officers();
    p->set_officer(ChildResourceName(org, "officers", o.meta.id));
    p->set_display_name(o.display_name);
    p->set_established(o.established);
    p->set_certified(standing.certified);
    p->set_legal_qualification(o.legal_qualification);
    p->set_training_hours(standing.training_hours);
    p->set_training_applies(standing.training_applies);
    for (const std::string& d : o.domains) p->add_domains(d);
  }
}

}  // namespace fazhi::duty
