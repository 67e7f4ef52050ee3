#include "services/gateway/facts.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "services/common/names.h"
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

// Every kind, also those without a session this year (their facts are 0).
constexpr study::StudyKind kKinds[] = {study::STUDY_KIND_LEADERSHIP_GROUP,
                                       study::STUDY_KIND_PRE_MEETING,
                                       study::STUDY_KIND_ALL_STAFF,
                                       study::STUDY_KIND_LECTURE,
                                       study::STUDY_KIND_TRAINING,
                                       study::STUDY_KIND_CONSTITUTIONAL_OATH,
                                       study::STUDY_KIND_LAW_EXAM,
                                       study::STUDY_KIND_DUTY_STATEMENT,
                                       study::STUDY_KIND_OTHER};

// The key used by the older per-kind names (study.sessions.<key>).
std::string LegacyKindKey(study::StudyKind kind) {
  switch (kind) {
    case study::STUDY_KIND_LEADERSHIP_GROUP:
      return "leadership_group";
    case study::STUDY_KIND_CONSTITUTIONAL_OATH:
      return "constitutional_oath";
    default:
      return StudyKindKey(kind);
  }
}

// Facts scoped to one kind of study: what a sentence naming that activity
// may quote ("全年班子集体学法4次，重点学习了……").
void AddKindFacts(const study::KindTotal& k, const Fact& src, FactCatalogue& c) {
  const std::string key = absl::StrCat("study.", StudyKindKey(k.kind()));
  const std::string name = StudyKindName(k.kind());
  const RecordNames sessions(k.session_names().begin(), k.session_names().end());
  c.AddNumber(key + ".sessions", k.sessions(), "次", name + "次数", src).records = sessions;
  c.AddNumber(key + ".hours", WholeHours(k.minutes()), "学时",
              name + "学时：各次时长之和，每60分钟折1学时，四舍五入取整", src)
      .records = sessions;
  c.AddNumber(key + ".attendances", k.attendances(), "人次", name + "参学人次：各次参加人数之和",
              src)
      .records = sessions;
  c.AddNumber(key + ".head_attended", k.head_attended_sessions(), "次",
              name + "中主要负责人参加的次数", src)
      .records = {k.head_attended_session_names().begin(), k.head_attended_session_names().end()};
  std::vector<std::string> laws(k.laws().begin(), k.laws().end());
  c.AddNumber(key + ".laws.count", laws.size(), "部", name + "所学法律法规部数", src).records =
      sessions;
  c.AddList(key + ".laws", std::move(laws),
            name + "所学法律法规（学习次数多者在前，再按首次学习先后）", src)
      .records = sessions;
  c.AddNumber(absl::StrCat("study.sessions.", LegacyKindKey(k.kind())), k.sessions(), "次",
              name + "次数（同 " + key + ".sessions）", src)
      .records = sessions;
}

void AddStudyFacts(const std::string& org, int year, const study::StudySummary& s,
                   FactCatalogue& c) {
  const Fact src = Source("study", "GetStudySummary", absl::StrCat(OrgName(org), " ", year));
  std::vector<std::string> all_session_list, head_session_list;
  for (study::StudyKind kind : kKinds) {
    study::KindTotal total;
    total.set_kind(kind);
    for (const auto& t : s.by_kind()) {
      if (t.kind() == kind) total = t;
    }
    AddKindFacts(total, src, c);
    all_session_list.insert(all_session_list.end(), total.session_names().begin(),
                            total.session_names().end());
    head_session_list.insert(head_session_list.end(), total.head_attended_session_names().begin(),
                             total.head_attended_session_names().end());
  }
  const RecordNames all_sessions(std::move(all_session_list));
  const RecordNames head_sessions(std::move(head_session_list));
  c.AddNumber("study.sessions.total", s.total_sessions(), "次", "各类学法活动总次数", src).records =
      all_sessions;
  c.AddNumber("study.hours", WholeHours(s.total_minutes()), "学时",
              "各类学法活动学时：各次时长之和，每60分钟折1学时，四舍五入取整", src)
      .records = all_sessions;
  c.AddNumber("study.attendances", s.attendances(), "人次",
              "各类学法活动参学人次：各次参加人数之和", src)
      .records = all_sessions;

  int covered = 0;
  for (const auto& q : s.by_quarter()) {
    if (q.leadership_group_sessions() > 0) ++covered;
  }
  const Fact* leadership = c.Find("study.leadership.sessions");
  const RecordNames leadership_sessions =
      leadership != nullptr ? leadership->records : RecordNames();
  c.AddNumber("study.leadership.quarters_covered", covered, "个季度",
              "开展了党组（中心组）学法的季度数", src)
      .records = leadership_sessions;
  std::vector<std::string> missed;
  for (int q : s.leadership_quarters_missed()) missed.push_back(QuarterName(q));
  c.AddList("study.leadership.quarters_missed", missed, "已到期但未开展党组（中心组）学法的季度",
            src);
  c.AddNumber("study.minutes", s.total_minutes(), "分钟", "各类学法活动时长之和", src).records =
      all_sessions;
  c.AddNumber("study.staff_hours", std::round(s.staff_hours()), "人·学时",
              "参学人员学时合计：各次时长×参加人数之和，每60分钟折1学时，四舍五入取整", src)
      .records = all_sessions;
  c.AddNumber("study.head_attended", s.head_attended_sessions(), "次",
              "主要负责人参加各类学法活动的次数", src)
      .records = head_sessions;
  std::vector<std::string> laws, studied;
  for (const auto& law : s.laws()) {
    laws.push_back(law.law());
    if (law.sessions() > 0) studied.push_back(law.law());
  }
  c.AddList("study.sessions.laws", studied, "各类学法活动所学法律法规（不含普法宣传，按频次）", src)
      .records = all_sessions;
  c.AddNumber("study.laws.count", laws.size(), "部", "全年学法和普法涉及的法律法规部数", src);
  c.AddList("study.laws", laws, "全年学法和普法涉及的法律法规（各类活动合计，按频次）", src);
  const RecordNames plan{StudyPlanName{org, year}.Format()};
  c.AddText("study.plan.adopted",
            s.has_plan() && s.has_plan_adopted_date()
                ? ChineseDate(s.plan_adopted_date().year(), s.plan_adopted_date().month(),
                              s.plan_adopted_date().day())
                : "未制订",
            "学法计划制订日期", src)
      .records = plan;
  c.AddText("study.plan.fulfilled", s.has_plan() ? (s.plan_fulfilled() ? "是" : "否") : "无计划",
            "学法计划是否完成", src)
      .records = plan;
  const Fact* oath = c.Find("study.oath.sessions");
  const RecordNames oath_sessions = oath != nullptr ? oath->records : RecordNames();
  c.AddNumber("study.oath.takers", s.oath_takers(), "人",
              "宪法宣誓人数（有名单的按人计，无名单的按参加人数计）", src)
      .records = oath_sessions;
  c.AddText("study.oath.coverage", absl::StrCat(NumberText(s.oath_coverage_percent()), "%"),
            "宪法宣誓覆盖率（宣誓人数÷学法计划的应参加人数）", src)
      .records = oath_sessions;

  const auto& p = s.publicity();
  const RecordNames events(p.event_names().begin(), p.event_names().end());
  c.AddNumber("study.publicity.events", p.events(), "场", "普法宣传活动场次", src).records = events;
  std::vector<std::string> places;
  for (const auto& place : p.places()) places.push_back(place.place());
  c.AddList("study.publicity.places", places, "普法宣传地点", src).records = events;
  c.AddNumber("study.publicity.display_boards", p.display_boards(), "块", "宣传展板", src).records =
      events;
  c.AddNumber("study.publicity.leaflets", p.leaflets(), "份", "宣传资料", src).records = events;
  c.AddNumber("study.publicity.people_reached", p.people_reached(), "人次", "宣传受众", src)
      .records = events;
  c.AddNumber("study.publicity.consultations", p.consultations(), "人次", "现场咨询", src).records =
      events;
  c.AddList("study.publicity.laws", {p.laws().begin(), p.laws().end()}, "宣传的法律", src).records =
      events;
}

void AddDutyFacts(const std::string& org, int year, const duty::DutySummary& d, FactCatalogue& c) {
  const Fact src = Source("duty", "GetDutySummary", absl::StrCat(OrgName(org), " ", year));
  const auto& t = d.totals();
  std::vector<std::string> power_list, staffed, unstaffed_list;
  for (const auto& p : d.powers()) {
    power_list.push_back(p.power());
    (p.staffed() ? staffed : unstaffed_list).push_back(p.power());
  }
  const RecordNames powers(std::move(power_list)), unstaffed(std::move(unstaffed_list));
  c.AddNumber("duty.powers", t.powers(), "项", "行政执法事项（权责清单）数", src).records = powers;
  c.AddNumber("duty.powers.staffed", t.staffed_powers(), "项",
              "依法配足持有效执法证人员（需法制审核的含法制审核人员）的事项", src)
      .records = std::move(staffed);
  c.AddNumber("duty.powers.understaffed", t.powers() - t.staffed_powers(), "项",
              "未依法配足执法人员的事项", src)
      .records = unstaffed;
  std::vector<std::string> review;
  for (const auto& p : d.powers()) {
    if (p.needs_legal_review()) review.push_back(p.power());
  }
  c.AddNumber("duty.powers.legal_review", t.powers_needing_legal_review(), "项", "需法制审核的事项",
              src)
      .records = std::move(review);
  std::vector<std::string> domains, understaffed_domains;
  for (const auto& domain : d.domains()) {
    domains.push_back(domain.domain());
    if (domain.staffed_powers() < domain.powers()) understaffed_domains.push_back(domain.domain());
  }
  c.AddList("duty.domains", domains, "执法领域", src).records = powers;
  c.AddList("duty.domains.understaffed", understaffed_domains, "有未依法配足执法人员事项的领域",
            src)
      .records = unstaffed;
  std::vector<std::string> no_reviewer, lapsed, training_short;
  for (const auto& gap : d.gaps()) {
    if (gap.type() == duty::GAP_TYPE_DOMAIN_WITHOUT_LEGAL_REVIEWER)
      no_reviewer.push_back(gap.domain());
    if (gap.type() == duty::GAP_TYPE_CERTIFICATE_EXPIRED ||
        gap.type() == duty::GAP_TYPE_CERTIFICATE_NOT_VALID) {
      lapsed.push_back(gap.officer());
    }
    if (gap.type() == duty::GAP_TYPE_TRAINING_HOURS_SHORT) training_short.push_back(gap.officer());
  }
  c.AddList("duty.domains.without_legal_reviewer", no_reviewer,
            "没有具备法律职业资格的持证执法人员的领域", src);
  std::vector<std::string> established, certified, legal, training_list;
  for (const auto& o : d.officers()) {
    if (o.established()) established.push_back(o.officer());
    if (o.certified()) certified.push_back(o.officer());
    if (o.legal_qualification()) legal.push_back(o.officer());
    if (o.training_applies()) training_list.push_back(o.officer());
  }
  const RecordNames training(std::move(training_list));
  c.AddNumber("duty.officers", t.established_officers(), "人", "在编在岗人员（执法人员名册中）",
              src)
      .records = std::move(established);
  c.AddNumber("duty.officers.valid", t.certified_officers(), "人", "持有效执法证的执法人员", src)
      .records = std::move(certified);
  c.AddNumber("duty.officers.legal", t.legally_qualified_officers(), "人", "具有法律职业资格的人员",
              src)
      .records = std::move(legal);
  c.AddNumber("duty.certificates.lapsed", lapsed.size(), "个", "已过期或失效的执法证", src)
      .records = lapsed;
  c.AddNumber("duty.training.officers", t.training_officers(), "人",
              "应参加年度培训的执法人员（在编在岗且持有效执法证）", src)
      .records = training;
  c.AddNumber("duty.training.hours", t.training_hours(), "学时",
              "应参加培训的执法人员年度培训学时合计", src)
      .records = training;
  c.AddNumber("duty.training.required_hours", t.required_training_hours(), "学时",
              "年度培训学时要求", src);
  c.AddNumber("duty.training.short", training_short.size(), "人",
              "培训学时未达要求的执法人员（在编在岗且持有效执法证）", src)
      .records = training_short;
  c.AddNumber("duty.posts", t.posts(), "个", "执法岗位", src);
}

// Puts the year before next to each study number (同比).
void AddPrevious(const YearInputs& in, FactCatalogue& c) {
  FactCatalogue previous = FactCatalogue::NumbersOnly();
  AddStudyFacts(in.org, in.year - 1, *in.study_previous, previous);
  for (const auto& [name, before] : previous.facts()) {
    Fact* fact = c.FindMutable(name);
    if (fact == nullptr || !fact->number || !before.number) continue;
    fact->has_previous = true;
    fact->previous_on_record = in.study_previous->has_records();
    fact->previous = *before.number;
  }
}

}  // namespace

std::string StudyKindKey(study::StudyKind kind) {
  switch (kind) {
    case study::STUDY_KIND_LEADERSHIP_GROUP:
      return "leadership";
    case study::STUDY_KIND_PRE_MEETING:
      return "pre_meeting";
    case study::STUDY_KIND_ALL_STAFF:
      return "all_staff";
    case study::STUDY_KIND_LECTURE:
      return "lecture";
    case study::STUDY_KIND_TRAINING:
      return "training";
    case study::STUDY_KIND_CONSTITUTIONAL_OATH:
      return "oath";
    case study::STUDY_KIND_LAW_EXAM:
      return "law_exam";
    case study::STUDY_KIND_DUTY_STATEMENT:
      return "duty_statement";
    default:
      return "other";
  }
}

std::string StudyKindName(study::StudyKind kind) {
  switch (kind) {
    case study::STUDY_KIND_LEADERSHIP_GROUP:
      return "党组（中心组）学法";
    case study::STUDY_KIND_PRE_MEETING:
      return "会前学法";
    case study::STUDY_KIND_ALL_STAFF:
      return "集中学习";
    case study::STUDY_KIND_LECTURE:
      return "专题法治讲座";
    case study::STUDY_KIND_TRAINING:
      return "业务培训";
    case study::STUDY_KIND_CONSTITUTIONAL_OATH:
      return "宪法宣誓";
    case study::STUDY_KIND_LAW_EXAM:
      return "学法考试";
    case study::STUDY_KIND_DUTY_STATEMENT:
      return "述法";
    default:
      return "其他学法活动";
  }
}

int64_t WholeHours(int64_t minutes) { return (minutes + 30) / 60; }

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

Fact* FactCatalogue::FindMutable(const std::string& name) {
  auto it = facts_.find(name);
  return it == facts_.end() ? nullptr : &it->second;
}

Fact& FactCatalogue::Add(Fact fact) {
  std::string name = fact.name;
  return facts_.insert_or_assign(std::move(name), std::move(fact)).first->second;
}

const std::vector<std::string>& RecordNames::Empty() {
  static const std::vector<std::string>* const empty = new std::vector<std::string>();
  return *empty;
}

FactCatalogue FactCatalogue::NumbersOnly() {
  FactCatalogue c;
  c.numbers_only_ = true;
  return c;
}

Fact& FactCatalogue::AddNumber(const std::string& name, double value, const std::string& unit,
                               const std::string& description, const Fact& source) {
  if (numbers_only_) {
    Fact f;
    f.name = name;
    f.number = value;
    return Add(std::move(f));
  }
  Fact f = source;
  f.name = name;
  f.description = description;
  f.number = value;
  f.text = NumberText(value);
  f.unit = unit;
  return Add(std::move(f));
}

Fact& FactCatalogue::AddText(const std::string& name, const std::string& value,
                             const std::string& description, const Fact& source) {
  if (numbers_only_) return not_kept_ = Fact();
  Fact f = source;
  f.name = name;
  f.description = description;
  f.text = value;
  return Add(std::move(f));
}

Fact& FactCatalogue::AddList(const std::string& name, std::vector<std::string> items,
                             const std::string& description, const Fact& source) {
  if (numbers_only_) return not_kept_ = Fact();
  Fact f = source;
  f.name = name;
  f.description = description;
  f.text = items.empty() ? "无" : absl::StrJoin(items, "、");
  f.items = std::move(items);
  return Add(std::move(f));
}

FactCatalogue BuildFacts(const YearInputs& in) {
  FactCatalogue c;
  const Fact gateway = Source("gateway", "ComposeReport", OrgName(in.org));
  c.AddNumber("year", in.year, "年", "报告年度", gateway);
  c.AddNumber("next_year", in.year + 1, "年", "报告年度的下一年", gateway);
  c.AddNumber("previous_year", in.year - 1, "年", "报告年度的上一年", gateway);
  if (in.organization) {
    const Fact src = Source("report", "GetOrganization", in.organization->name());
    c.AddText("org.name", in.organization->full_name(), "单位全称", src);
    c.AddText("org.region", in.organization->region(), "所在地区", src);
  }
  if (in.study) AddStudyFacts(in.org, in.year, *in.study, c);
  if (in.study && in.study_previous) AddPrevious(in, c);
  if (in.duty) AddDutyFacts(in.org, in.year, *in.duty, c);
  return c;
}

}  // namespace fazhi::gateway
