#ifndef FAZHI_TESTS_GATEWAY_SAMPLE_INPUTS_H_
#define FAZHI_TESTS_GATEWAY_SAMPLE_INPUTS_H_

// Hand-built answers of the study, duty and report services for one
// organization's year, with numbers chosen so every fact and finding the
// gateway derives from them can be checked exactly.

#include <string>

#include "fazhi/duty/v1/duty.pb.h"
#include "fazhi/report/v1/report.pb.h"
#include "fazhi/study/v1/study.pb.h"
#include "services/gateway/facts.h"

namespace fazhi::gateway::samples {

namespace sv1 = fazhi::study::v1;
namespace dv1 = fazhi::duty::v1;
namespace rv1 = fazhi::report::v1;

inline google::type::Date Day(int y, int m, int d) {
  google::type::Date date;
  date.set_year(y);
  date.set_month(m);
  date.set_day(d);
  return date;
}

// 20 sessions: 3 leadership-group (none in Q3), 12 all-staff, 2 lectures,
// 3 oath; a plan adopted in February whose monthly all-staff rule missed
// July and August; 40 of 46 staff took the oath.
inline sv1::StudySummary SampleStudy() {
  sv1::StudySummary s;
  s.set_org("orgs/test-minzheng");
  s.set_year(2024);
  *s.mutable_as_of() = Day(2024, 12, 31);
  s.set_total_sessions(20);
  s.set_total_minutes(1800);
  s.set_staff_minutes(39330);
  s.set_staff_hours(655.5);
  s.set_head_attended_sessions(15);
  // Per kind: sessions, minutes, attendances (人次), head attended.
  for (auto [kind, sessions, minutes, attendances, head] :
       {std::tuple{sv1::STUDY_KIND_LEADERSHIP_GROUP, 3, 135, 21, 3},
        std::tuple{sv1::STUDY_KIND_ALL_STAFF, 12, 1080, 540, 10},
        std::tuple{sv1::STUDY_KIND_LECTURE, 2, 220, 96, 1},
        std::tuple{sv1::STUDY_KIND_CONSTITUTIONAL_OATH, 3, 365, 40, 1}}) {
    auto* total = s.add_by_kind();
    total->set_kind(kind);
    total->set_sessions(sessions);
    total->set_minutes(minutes);
    total->set_attendances(attendances);
    total->set_head_attended_sessions(head);
    for (int i = 1; i <= sessions; ++i) {
      total->add_session_names("orgs/test-minzheng/sessions/" +
                               sv1::StudyKind_Name(kind).substr(11) + "-" + std::to_string(i));
    }
  }
  // The leadership group studied two laws, the民法典 twice.
  s.mutable_by_kind(0)->add_laws("民法典");
  s.mutable_by_kind(0)->add_laws("行政处罚法");
  s.mutable_by_kind(1)->add_laws("民法典");
  s.mutable_by_kind(1)->add_laws("宪法");
  s.set_attendances(697);
  s.set_has_records(true);
  for (auto [quarter, sessions, leadership] :
       {std::tuple{1, 6, 1}, std::tuple{2, 5, 1}, std::tuple{3, 4, 0}, std::tuple{4, 5, 1}}) {
    auto* q = s.add_by_quarter();
    q->set_quarter(quarter);
    q->set_sessions(sessions);
    q->set_leadership_group_sessions(leadership);
  }
  s.add_leadership_quarters_missed(3);
  for (auto [law, sessions] :
       {std::pair{"民法典", 8}, std::pair{"宪法", 5}, std::pair{"行政处罚法", 2}}) {
    auto* l = s.add_laws();
    l->set_law(law);
    l->set_sessions(sessions);
  }
  s.set_has_plan(true);
  *s.mutable_plan_adopted_date() = Day(2024, 2, 28);
  s.set_plan_adopted_in_first_quarter(true);
  {
    auto* rule = s.add_rules();
    rule->mutable_rule()->set_kind(sv1::STUDY_KIND_ALL_STAFF);
    rule->mutable_rule()->set_period(sv1::RULE_PERIOD_MONTH);
    rule->mutable_rule()->set_min_sessions(1);
    for (int month = 1; month <= 12; ++month) rule->add_counts(month == 7 || month == 8 ? 0 : 1);
    rule->add_periods_missed(7);
    rule->add_periods_missed(8);
    rule->set_satisfied(false);
  }
  {
    auto* rule = s.add_rules();
    rule->mutable_rule()->set_kind(sv1::STUDY_KIND_LECTURE);
    rule->mutable_rule()->set_period(sv1::RULE_PERIOD_YEAR);
    rule->mutable_rule()->set_min_sessions(2);
    rule->set_satisfied(true);
  }
  s.set_plan_fulfilled(false);
  s.set_oath_sessions(3);
  s.set_oath_takers(40);
  s.set_eligible_staff(46);
  s.set_oath_coverage_percent(87.0);
  auto* p = s.mutable_publicity();
  p->set_events(3);
  for (auto [place, events] : {std::pair{"尧山广场", 2}, std::pair{"县救助站", 1}}) {
    auto* pl = p->add_places();
    pl->set_place(place);
    pl->set_events(events);
  }
  p->set_display_boards(15);
  p->set_leaflets(1100);
  p->set_people_reached(580);
  p->set_consultations(74);
  p->add_laws("民法典");
  p->add_laws("宪法");
  for (int i = 1; i <= 3; ++i)
    p->add_event_names("orgs/test-minzheng/publicityEvents/e" + std::to_string(i));
  return s;
}

// The year before: 10 all-staff sessions, 4 leadership-group ones, 2
// lectures, 1 publicity event.
inline sv1::StudySummary SamplePreviousStudy() {
  sv1::StudySummary s;
  s.set_org("orgs/test-minzheng");
  s.set_year(2023);
  s.set_total_sessions(16);
  s.set_has_records(true);
  for (auto [kind, sessions, attendances] : {std::tuple{sv1::STUDY_KIND_LEADERSHIP_GROUP, 4, 28},
                                             std::tuple{sv1::STUDY_KIND_ALL_STAFF, 10, 400},
                                             std::tuple{sv1::STUDY_KIND_LECTURE, 2, 80}}) {
    auto* total = s.add_by_kind();
    total->set_kind(kind);
    total->set_sessions(sessions);
    total->set_attendances(attendances);
  }
  s.mutable_publicity()->set_events(1);
  return s;
}

inline dv1::Gap PowerGap(dv1::GapType type, const std::string& domain, const std::string& code,
                         int actual, dv1::UnstaffedReason reason) {
  dv1::Gap gap;
  gap.set_type(type);
  gap.set_domain(domain);
  gap.set_power("orgs/test-minzheng/powers/p" + code);
  gap.set_power_code(code);
  gap.set_power_name(code + "事项");
  gap.set_required(2);
  gap.set_actual(actual);
  gap.set_reason(reason);
  return gap;
}

inline dv1::Gap OfficerGap(dv1::GapType type, const std::string& name,
                           const std::string& certificate) {
  dv1::Gap gap;
  gap.set_type(type);
  gap.set_officer("orgs/test-minzheng/officers/o" + certificate);
  gap.set_officer_name(name);
  gap.set_certificate_number(certificate);
  gap.set_detail("执法证" + certificate);
  return gap;
}

// 13 powers in six domains, 6 staffed. Why the others are not:
//   养老服务 (2 powers): one established officer qualified for it at all;
//   殡葬 (1 power understaffed, 1 unassigned): two qualified, one valid
//     certificate — and no legal reviewer either;
//   慈善 (1 power unassigned): two valid certificate holders, but it needs
//     法制审核 and neither is legally qualified (never "不足两人");
//   社会救助 (1): everyone eligible is at maximum load;
//   婚姻登记 (1): eligible officers have room, it was never allocated.
// 9 established officers, 5 with a valid certificate; one certificate
// expired, one suspended, one merely expiring; one officer short of
// training.
inline dv1::DutySummary SampleDuty() {
  dv1::DutySummary d;
  d.set_org("orgs/test-minzheng");
  d.set_year(2024);
  auto* t = d.mutable_totals();
  t->set_powers(13);
  t->set_staffed_powers(6);
  t->set_powers_needing_legal_review(3);
  t->set_officers(11);
  t->set_established_officers(9);
  t->set_certified_officers(5);
  t->set_legally_qualified_officers(2);
  t->set_posts(4);
  t->set_training_officers(5);
  t->set_training_hours(500);
  t->set_required_training_hours(60);
  for (auto [domain, powers, staffed, officers, valid, legal] :
       {std::tuple{"养老服务", 4, 2, 1, 1, 0}, std::tuple{"婚姻登记", 4, 3, 3, 3, 1},
        std::tuple{"慈善", 1, 0, 2, 2, 0}, std::tuple{"殡葬", 2, 0, 2, 1, 0},
        std::tuple{"社会救助", 2, 1, 2, 2, 1}}) {
    auto* dc = d.add_domains();
    dc->set_domain(domain);
    dc->set_powers(powers);
    dc->set_staffed_powers(staffed);
    dc->set_officers(officers);
    dc->set_valid_certified_officers(valid);
    dc->set_legally_qualified_officers(legal);
  }
  *d.add_gaps() = PowerGap(dv1::GAP_TYPE_UNDERSTAFFED_POWER, "养老服务", "000117001000", 1,
                           dv1::UNSTAFFED_REASON_NO_QUALIFIED_OFFICER);
  *d.add_gaps() = PowerGap(dv1::GAP_TYPE_UNDERSTAFFED_POWER, "养老服务", "000117002000", 0,
                           dv1::UNSTAFFED_REASON_NO_QUALIFIED_OFFICER);
  *d.add_gaps() = PowerGap(dv1::GAP_TYPE_UNDERSTAFFED_POWER, "殡葬", "000217009000", 1,
                           dv1::UNSTAFFED_REASON_CERTIFICATES_NOT_VALID);
  // The same power once more: one power, one cause.
  *d.add_gaps() = PowerGap(dv1::GAP_TYPE_POWER_WITHOUT_LEGAL_REVIEWER, "殡葬", "000217009000", 1,
                           dv1::UNSTAFFED_REASON_CERTIFICATES_NOT_VALID);
  *d.add_gaps() = PowerGap(dv1::GAP_TYPE_POWER_UNASSIGNED, "殡葬", "000217010000", 0,
                           dv1::UNSTAFFED_REASON_CERTIFICATES_NOT_VALID);
  *d.add_gaps() = PowerGap(dv1::GAP_TYPE_POWER_UNASSIGNED, "慈善", "000617001000", 0,
                           dv1::UNSTAFFED_REASON_NO_LEGAL_REVIEWER);
  *d.add_gaps() = PowerGap(dv1::GAP_TYPE_POWER_UNASSIGNED, "社会救助", "000817001000", 0,
                           dv1::UNSTAFFED_REASON_ALL_AT_CAPACITY);
  *d.add_gaps() = PowerGap(dv1::GAP_TYPE_POWER_UNASSIGNED, "婚姻登记", "000917001000", 0,
                           dv1::UNSTAFFED_REASON_NOT_ALLOCATED);
  for (const char* domain : {"殡葬", "慈善", "养老服务"}) {
    dv1::Gap gap;
    gap.set_type(dv1::GAP_TYPE_DOMAIN_WITHOUT_LEGAL_REVIEWER);
    gap.set_domain(domain);
    gap.set_detail(std::string(domain) + "领域无具备法律职业资格的持证执法人员");
    *d.add_gaps() = gap;
  }
  {
    dv1::Gap gap = OfficerGap(dv1::GAP_TYPE_CERTIFICATE_EXPIRED, "张三", "4104231002018001");
    gap.set_domain("殡葬、养老服务");
    *gap.mutable_date() = Day(2024, 6, 30);
    *d.add_gaps() = gap;
  }
  {
    dv1::Gap gap = OfficerGap(dv1::GAP_TYPE_CERTIFICATE_NOT_VALID, "李四", "4104231002018002");
    gap.set_domain("殡葬");
    *d.add_gaps() = gap;
  }
  *d.add_gaps() = OfficerGap(dv1::GAP_TYPE_CERTIFICATE_EXPIRING, "王五", "4104231002018003");
  {
    dv1::Gap gap = OfficerGap(dv1::GAP_TYPE_TRAINING_HOURS_SHORT, "赵六", "4104231002018004");
    gap.set_required(60);
    gap.set_actual(24);
    *d.add_gaps() = gap;
  }
  return d;
}

inline rv1::Organization SampleOrganization() {
  rv1::Organization o;
  o.set_name("orgs/test-minzheng");
  o.set_full_name("测试县民政局");
  o.set_region("河南省平顶山市测试县");
  return o;
}

// Everything present, no report yet.
inline YearInputs SampleInputs() {
  YearInputs in;
  in.org = "test-minzheng";
  in.year = 2024;
  in.organization = SampleOrganization();
  in.study = SampleStudy();
  in.duty = SampleDuty();
  return in;
}

}  // namespace fazhi::gateway::samples

#endif  // FAZHI_TESTS_GATEWAY_SAMPLE_INPUTS_H_
