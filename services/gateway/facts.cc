#include "services/gateway/facts.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "services/gateway/render/document.h"

namespace fazhi::gateway {
namespace {

namespace study = fazhi::study::v1;
namespace duty = fazhi::duty::v1;

std::string NumberText(double value) {
  if (std::floor(value) == value && std::fabs(value) < 1e15) {
    return absl::StrCat(static_cast<int64_t>(value));
  }
  return absl::StrFormat("%.1f", value);
}

Fact Source(const std::string& service, const std::string& method, const std::string& resource) {
  Fact f;
  f.service = service;
  f.method = method;
  f.resource = resource;
  return f;
}

// Snake-case key of a study kind for fact names.
std::string KindKey(study::StudyKind kind) {
  switch (kind) {
    case study::STUDY_KIND_LEADERSHIP_GROUP: return "leadership_group";
    case study::STUDY_KIND_PRE_MEETING: return "pre_meeting";
    case study::STUDY_KIND_ALL_STAFF: return "all_staff";
    case study::STUDY_KIND_LECTURE: return "lecture";
    case study::STUDY_KIND_TRAINING: return "training";
    case study::STUDY_KIND_CONSTITUTIONAL_OATH: return "constitutional_oath";
    case study::STUDY_KIND_LAW_EXAM: return "law_exam";
    case study::STUDY_KIND_DUTY_STATEMENT: return "duty_statement";
    default: return "other";
  }
}

void AddStudyFacts(const std::string& org, int year, const study::StudySummary& s, FactCatalogue& c) {
  const Fact src = Source("study", "GetStudySummary", absl::StrCat("orgs/", org, " ", year));
  c.AddNumber("study.sessions.total", s.total_sessions(), "次", "学法活动总次数", src);
  for (int k = study::STUDY_KIND_LEADERSHIP_GROUP; k <= study::STUDY_KIND_OTHER; ++k) {
    int count = 0;
    for (const auto& total : s.by_kind()) {
      if (total.kind() == k) count = total.sessions();
    }
    c.AddNumber(absl::StrCat("study.sessions.", KindKey(static_cast<study::StudyKind>(k))), count,
                "次", "该类学法活动次数", src);
  }
  int leadership = 0, covered = 0;
  for (const auto& q : s.by_quarter()) {
    leadership += q.leadership_group_sessions();
    if (q.leadership_group_sessions() > 0) ++covered;
  }
  c.AddNumber("study.leadership.sessions", leadership, "次", "党组（中心组）学法次数", src);
  c.AddNumber("study.leadership.quarters_covered", covered, "个季度", "开展了党组学法的季度数", src);
  std::vector<std::string> missed;
  for (int q : s.leadership_quarters_missed()) missed.push_back(QuarterName(q));
  c.AddList("study.leadership.quarters_missed", missed, "未开展党组学法的季度", src);
  c.AddNumber("study.minutes", s.total_minutes(), "分钟", "学法总时长", src);
  c.AddNumber("study.staff_hours", s.staff_hours(), "小时", "干部职工学法人次学时", src);
  c.AddNumber("study.head_attended", s.head_attended_sessions(), "次", "主要负责人参加学法次数", src);
  std::vector<std::string> laws;
  for (const auto& law : s.laws()) laws.push_back(law.law());
  c.AddList("study.laws", laws, "学习宣传的法律（按频次）", src);
  c.AddNumber("study.laws.count", laws.size(), "部", "学习宣传的法律部数", src);
  c.AddText("study.plan.adopted",
            s.has_plan() && s.has_plan_adopted_date()
                ? ChineseDate(s.plan_adopted_date().year(), s.plan_adopted_date().month(),
                              s.plan_adopted_date().day())
                : "未制订",
            "学法计划制订日期", src);
  c.AddText("study.plan.fulfilled", s.has_plan() ? (s.plan_fulfilled() ? "是" : "否") : "无计划",
            "学法计划是否完成", src);
  c.AddNumber("study.oath.sessions", s.oath_sessions(), "次", "宪法宣誓活动次数", src);
  c.AddNumber("study.oath.takers", s.oath_takers(), "人", "宪法宣誓人数", src);
  c.AddText("study.oath.coverage", absl::StrCat(NumberText(s.oath_coverage_percent()), "%"),
            "宪法宣誓覆盖率", src);
  const auto& p = s.publicity();
  c.AddNumber("study.publicity.events", p.events(), "场", "普法宣传活动场次", src);
  std::vector<std::string> places;
  for (const auto& place : p.places()) places.push_back(place.place());
  c.AddList("study.publicity.places", places, "普法宣传地点", src);
  c.AddNumber("study.publicity.display_boards", p.display_boards(), "块", "宣传展板", src);
  c.AddNumber("study.publicity.leaflets", p.leaflets(), "份", "宣传资料", src);
  c.AddNumber("study.publicity.people_reached", p.people_reached(), "人次", "宣传受众", src);
  c.AddNumber("study.publicity.consultations", p.consultations(), "人次", "现场咨询", src);
  c.AddList("study.publicity.laws", {p.laws().begin(), p.laws().end()}, "宣传的法律", src);
}

void AddDutyFacts(const std::string& org, int year, const duty::DutySummary& d, FactCatalogue& c) {
  const Fact src = Source("duty", "GetDutySummary", absl::StrCat("orgs/", org, " ", year));
  const auto& t = d.totals();
  c.AddNumber("duty.powers", t.powers(), "项", "行政执法事项（权责清单）数", src);
  c.AddNumber("duty.powers.staffed", t.staffed_powers(), "项", "依法配足执法人员的事项", src);
  c.AddNumber("duty.powers.understaffed", t.powers() - t.staffed_powers(), "项",
              "未配足两名以上持证执法人员的事项", src);
  c.AddNumber("duty.powers.legal_review", t.powers_needing_legal_review(), "项", "需法制审核的事项", src);
  std::vector<std::string> domains, understaffed_domains;
  for (const auto& domain : d.domains()) {
    domains.push_back(domain.domain());
    if (domain.staffed_powers() < domain.powers()) understaffed_domains.push_back(domain.domain());
  }
  c.AddList("duty.domains", domains, "执法领域", src);
  c.AddList("duty.domains.understaffed", understaffed_domains, "执法力量不足的领域", src);
  std::vector<std::string> no_reviewer;
  int lapsed = 0, training_short = 0;
  for (const auto& gap : d.gaps()) {
    if (gap.type() == duty::GAP_TYPE_DOMAIN_WITHOUT_LEGAL_REVIEWER) no_reviewer.push_back(gap.domain());
    if (gap.type() == duty::GAP_TYPE_CERTIFICATE_EXPIRED || gap.type() == duty::GAP_TYPE_CERTIFICATE_NOT_VALID) ++lapsed;
    if (gap.type() == duty::GAP_TYPE_TRAINING_HOURS_SHORT) ++training_short;
  }
  c.AddList("duty.domains.without_legal_reviewer", no_reviewer, "缺少法制审核人员的领域", src);
  c.AddNumber("duty.officers", t.established_officers(), "人", "在编在岗执法人员", src);
  c.AddNumber("duty.officers.valid", t.certified_officers(), "人", "持有效执法证的执法人员", src);
  c.AddNumber("duty.officers.legal", t.legally_qualified_officers(), "人", "具有法律职业资格的人员", src);
  c.AddNumber("duty.certificates.lapsed", lapsed, "个", "过期或失效的执法证", src);
  c.AddNumber("duty.training.hours", t.training_hours(), "学时", "执法人员年度培训学时合计", src);
  c.AddNumber("duty.training.required_hours", t.required_training_hours(), "学时", "年度培训学时要求", src);
  c.AddNumber("duty.training.short", training_short, "人", "培训学时不足的执法人员", src);
  c.AddNumber("duty.posts", t.posts(), "个", "执法岗位", src);
}

}  // namespace

std::string ChineseDate(int year, int month, int day) {
  return absl::StrCat(year, "年", month, "月", day, "日");
}

std::string QuarterName(int quarter) {
  return absl::StrCat("第", fazhi::render::ChineseNumeral(quarter), "季度");
}

const Fact* FactCatalogue::Find(const std::string& name) const {
  auto it = facts_.find(name);
  return it == facts_.end() ? nullptr : &it->second;
}

void FactCatalogue::Add(Fact fact) {
  std::string name = fact.name;
  facts_[name] = std::move(fact);
}

void FactCatalogue::AddNumber(const std::string& name, double value, const std::string& unit,
                              const std::string& description, const Fact& source) {
  Fact f = source;
  f.name = name;
  f.description = description;
  f.number = value;
  f.text = NumberText(value);
  f.unit = unit;
  Add(std::move(f));
}

void FactCatalogue::AddText(const std::string& name, const std::string& value,
                            const std::string& description, const Fact& source) {
  Fact f = source;
  f.name = name;
  f.description = description;
  f.text = value;
  Add(std::move(f));
}

void FactCatalogue::AddList(const std::string& name, std::vector<std::string> items,
                            const std::string& description, const Fact& source) {
  Fact f = source;
  f.name = name;
  f.description = description;
  f.text = items.empty() ? "无" : absl::StrJoin(items, "、");
  f.items = std::move(items);
  Add(std::move(f));
}

FactCatalogue BuildFacts(const YearInputs& in) {
  FactCatalogue c;
  const Fact gateway = Source("gateway", "ComposeReport", absl::StrCat("orgs/", in.org));
  c.AddNumber("year", in.year, "年", "报告年度", gateway);
  c.AddNumber("next_year", in.year + 1, "年", "下一年度", gateway);
  if (in.organization) {
    const Fact src = Source("report", "GetOrganization", in.organization->name());
    c.AddText("org.name", in.organization->full_name(), "单位全称", src);
    c.AddText("org.region", in.organization->region(), "所在地区", src);
  }
  if (in.study) AddStudyFacts(in.org, in.year, *in.study, c);
  if (in.duty) AddDutyFacts(in.org, in.year, *in.duty, c);
  return c;
}

}  // namespace fazhi::gateway
