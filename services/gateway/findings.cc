#include "services/gateway/findings.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/common/names.h"
#include "services/gateway/render/document.h"

namespace fazhi::gateway {
namespace {

namespace v1 = fazhi::gateway::v1;
namespace study = fazhi::study::v1;
namespace duty = fazhi::duty::v1;

// Generic owners: a department's own unit names are its to give
// (Organization.finding_remedies).
constexpr char kOffice[] = "办公室";
constexpr char kPersonnel[] = "人事部门";
constexpr char kLegalUnit[] = "法制工作机构";

std::string PeriodName(study::RulePeriod period, int index) {
  switch (period) {
    case study::RULE_PERIOD_MONTH:
      return absl::StrCat(index, "月");
    case study::RULE_PERIOD_QUARTER:
      return QuarterName(index);
    default:
      return "全年";
  }
}

std::string PeriodEvery(study::RulePeriod period) {
  switch (period) {
    case study::RULE_PERIOD_MONTH:
      return "每月";
    case study::RULE_PERIOD_QUARTER:
      return "每季度";
    default:
      return "每年";
  }
}

std::string Quarters(const std::vector<int>& quarters) {
  std::vector<std::string> names;
  for (int q : quarters) names.push_back(absl::StrCat("第", fazhi::render::ChineseNumeral(q)));
  return absl::StrCat(absl::StrJoin(names, "、"), "季度");
}

// "《民法典》《慈善法》"
std::string LawTitles(const std::vector<std::string>& laws) {
  std::string out;
  for (const std::string& law : laws) absl::StrAppend(&out, "《", law, "》");
  return out;
}

class Deriver {
 public:
  explicit Deriver(const YearInputs& in) : in_(in) {}

  std::vector<Finding> Run() {
    if (in_.study) Study(*in_.study);
    if (in_.duty) Duty(*in_.duty);
    return std::move(out_);
  }

 private:
  Finding& Add(std::string kind, v1::FindingType type, std::string text, std::string cause,
               std::string rectification, std::string owner, int due_month, int due_day) {
    Finding f;
    f.id = kind;
    f.kind = std::move(kind);
    f.type = type;
    f.text = std::move(text);
    f.cause = std::move(cause);
    f.rectification = std::move(rectification);
    f.owner = std::move(owner);
    f.due = absl::CivilDay(in_.year + 1, due_month, due_day);
    out_.push_back(std::move(f));
    return out_.back();
  }

  std::string StudySource() const {
    return absl::StrCat("study GetStudySummary orgs/", in_.org, " ", in_.year);
  }
  std::string DutySource() const {
    return absl::StrCat("duty GetDutySummary orgs/", in_.org, " ", in_.year);
  }

  // ---- study -------------------------------------------------------------

  void Study(const study::StudySummary& s) {
    std::vector<std::string> leadership_sessions;
    for (const auto& k : s.by_kind()) {
      if (k.kind() == study::STUDY_KIND_LEADERSHIP_GROUP) {
        leadership_sessions.assign(k.session_names().begin(), k.session_names().end());
      }
    }
    if (s.leadership_quarters_missed_size() > 0) {
      const std::vector<int> missed(s.leadership_quarters_missed().begin(),
                                    s.leadership_quarters_missed().end());
      std::vector<int> held;
      int sessions = 0;
      for (const auto& q : s.by_quarter()) {
        sessions += q.leadership_group_sessions();
        if (q.leadership_group_sessions() > 0) held.push_back(q.quarter());
      }
      const std::string cause =
          sessions == 0 ? absl::StrCat("全年没有党组（中心组）学法记录")
                        : absl::StrCat("全年党组（中心组）学法", sessions, "次，均安排在",
                                       Quarters(held), "，未按季度分布");
      Finding& f = Add(
          "study.leadership.quarter_missed", v1::FINDING_TYPE_LEADERSHIP_QUARTER_MISSED,
          absl::StrCat(Quarters(missed), "未开展党组（中心组）学法，未做到每季度至少学法一次"),
          cause, "把党组（中心组）学法列入党组会议年度计划，逐季度安排并留存记录", kOffice, 3, 31);
      for (int q : missed) {
        f.evidence.push_back(
            absl::StrCat(StudySource(), ": ", QuarterName(q), "党组（中心组）学法0次"));
      }
      f.records = leadership_sessions;
    }
    const std::string plan = StudyPlanName{in_.org, in_.year}.Format();
    if (!s.has_plan()) {
      Finding& f =
          Add("study.plan.missing", v1::FINDING_TYPE_STUDY_PLAN,
              absl::StrCat("未制订", in_.year, "年度学法计划"),
              "学法记录中没有本年度的学法计划，学法安排缺少统筹",
              "每年第一季度制订年度学法计划，明确学习内容、形式、频次和参加范围", kOffice, 3, 31);
      f.evidence.push_back(absl::StrCat(StudySource(), ": has_plan = false"));
      return;
    }
    if (!s.plan_adopted_in_first_quarter()) {
      const std::string when = s.has_plan_adopted_date()
                                   ? absl::StrCat("学法计划于",
                                                  ChineseDate(s.plan_adopted_date().year(),
                                                              s.plan_adopted_date().month(),
                                                              s.plan_adopted_date().day()),
                                                  "制订，晚于第一季度")
                                   : "学法计划未记载制订日期";
      Finding& f =
          Add("study.plan.late", v1::FINDING_TYPE_STUDY_PLAN, "年度学法计划未在第一季度制订", when,
              "每年第一季度制订年度学法计划并报送依法治县（市、区）办", kOffice, 3, 31);
      f.evidence.push_back(absl::StrCat(StudySource(), ": plan_adopted_in_first_quarter = false"));
      f.records = {plan};
    }
    for (const auto& rule : s.rules()) {
      if (rule.satisfied()) continue;
      const auto& r = rule.rule();
      const std::string kind = StudyKindName(r.kind());
      std::vector<std::string> periods, counts;
      for (int p : rule.periods_missed()) {
        periods.push_back(PeriodName(r.period(), p));
        const int count = p - 1 < rule.counts_size() ? rule.counts(p - 1) : 0;
        counts.push_back(absl::StrCat(PeriodName(r.period(), p), count, "次"));
      }
      std::string requirement =
          absl::StrCat(PeriodEvery(r.period()), "至少开展", r.min_sessions(), "次", kind);
      if (r.min_minutes() > 0)
        absl::StrAppend(&requirement, "（每次不少于", r.min_minutes(), "分钟）");
      Finding& f = Add(
          "study.plan.rule", v1::FINDING_TYPE_PLAN_TARGET_MISSED,
          absl::StrCat("学法计划要求", requirement, "，", absl::StrJoin(periods, "、"), "未达到"),
          absl::StrCat("符合要求的", kind, "：", absl::StrJoin(counts, "，")),
          absl::StrCat("把", kind, "按学法计划分解到",
                       PeriodEvery(r.period()) == "每年" ? "季度" : "月",
                       "，专人跟踪落实，未完成的及时补学"),
          kOffice, 12, 31);
      f.id = absl::StrCat("study.plan.rule.", static_cast<int>(r.kind()), ".",
                          static_cast<int>(r.period()));
      f.evidence.push_back(absl::StrCat(StudySource(), ": rule ", kind, " periods_missed ",
                                        absl::StrJoin(rule.periods_missed(), ",")));
      f.records = {plan};
    }
    if (s.planned_laws_not_studied_size() > 0) {
      const std::vector<std::string> laws(s.planned_laws_not_studied().begin(),
                                          s.planned_laws_not_studied().end());
      Finding& f = Add("study.plan.laws_not_studied", v1::FINDING_TYPE_PLANNED_LAWS_NOT_STUDIED,
                       absl::StrCat("学法计划列明的", LawTitles(laws), "全年未安排学习"),
                       "全年学法和普法活动记录中没有涉及上述法律法规的内容",
                       "在下一年度学法计划中优先安排上述法律法规的学习", kOffice, 6, 30);
      f.evidence.push_back(
          absl::StrCat(StudySource(), ": planned_laws_not_studied ", absl::StrJoin(laws, "、")));
      f.records = {plan};
    }
    if (s.eligible_staff() > 0 && s.oath_coverage_percent() < 100) {
      Finding& f =
          Add("study.oath.coverage", v1::FINDING_TYPE_OATH_COVERAGE,
              absl::StrCat("宪法宣誓覆盖率为", s.oath_coverage_percent(), "%，未做到应宣尽宣"),
              absl::StrCat("应宣誓", s.eligible_staff(), "人，实际宣誓", s.oath_takers(), "人"),
              "对未参加宣誓的人员组织补充宣誓，新入职和新任职人员及时宣誓", kPersonnel, 6, 30);
      f.evidence.push_back(absl::StrCat(StudySource(), ": oath_takers ", s.oath_takers(),
                                        " / eligible_staff ", s.eligible_staff()));
      for (const auto& k : s.by_kind()) {
        if (k.kind() == study::STUDY_KIND_CONSTITUTIONAL_OATH) {
          f.records.assign(k.session_names().begin(), k.session_names().end());
        }
      }
    }
  }

  // ---- duty --------------------------------------------------------------

  // The powers of one cause, by domain.
  struct PowerGroup {
    std::map<std::string, std::vector<const duty::Gap*>> by_domain;
    int powers = 0;
    bool all_need_two = true;
  };

  static std::string DomainList(const PowerGroup& g) {
    std::vector<std::string> names;
    for (const auto& [domain, gaps] : g.by_domain) names.push_back(domain);
    return absl::StrJoin(names, "、");
  }

  // "养老服务、殡葬2个领域共9项执法事项" or "殡葬领域4项执法事项".
  static std::string Scope(const PowerGroup& g, const std::string& what) {
    if (g.by_domain.size() == 1) {
      return absl::StrCat(g.by_domain.begin()->first, "领域", g.powers, "项", what);
    }
    return absl::StrCat(DomainList(g), g.by_domain.size(), "个领域共", g.powers, "项", what);
  }

  const duty::DomainCoverage* Domain(const duty::DutySummary& d, const std::string& name) const {
    for (const auto& domain : d.domains()) {
      if (domain.domain() == name) return &domain;
    }
    return nullptr;
  }

  void PowerEvidence(const PowerGroup& g, Finding& f) const {
    for (const auto& [domain, gaps] : g.by_domain) {
      for (const duty::Gap* gap : gaps) {
        f.evidence.push_back(absl::StrCat(
            DutySource(), ": ", gap->power_code(), " ", gap->power_name(), "（", domain, "）",
            duty::UnstaffedReason_Name(gap->reason()), ": ", gap->detail()));
        f.records.push_back(gap->power());
      }
    }
  }

  void Duty(const duty::DutySummary& d) {
    // One cause per power (its first gap carries the diagnosis).
    std::map<std::string, const duty::Gap*> power_gaps;
    std::vector<const duty::Gap*> lapsed, training;
    for (const auto& gap : d.gaps()) {
      switch (gap.type()) {
        case duty::GAP_TYPE_UNDERSTAFFED_POWER:
        case duty::GAP_TYPE_POWER_UNASSIGNED:
        case duty::GAP_TYPE_POWER_WITHOUT_LEGAL_REVIEWER:
          power_gaps.try_emplace(gap.power(), &gap);
          break;
        case duty::GAP_TYPE_CERTIFICATE_EXPIRED:
        case duty::GAP_TYPE_CERTIFICATE_NOT_VALID:
          lapsed.push_back(&gap);
          break;
        case duty::GAP_TYPE_TRAINING_HOURS_SHORT:
          training.push_back(&gap);
          break;
        default:
          break;
      }
    }
    PowerGroup short_staffed, no_reviewer, at_capacity, not_allocated;
    for (const auto& [power, gap] : power_gaps) {
      PowerGroup* group = &short_staffed;
      switch (gap->reason()) {
        case duty::UNSTAFFED_REASON_NO_LEGAL_REVIEWER:
          group = &no_reviewer;
          break;
        case duty::UNSTAFFED_REASON_ALL_AT_CAPACITY:
          group = &at_capacity;
          break;
        case duty::UNSTAFFED_REASON_NOT_ALLOCATED:
          group = &not_allocated;
          break;
        default:
          break;
      }
      group->by_domain[gap->domain()].push_back(gap);
      ++group->powers;
      if (gap->required() > 2) group->all_need_two = false;
    }
    if (short_staffed.powers > 0) StaffShort(d, short_staffed);
    if (no_reviewer.powers > 0) NoReviewer(d, no_reviewer);
    if (at_capacity.powers > 0) {
      Finding& f =
          Add("duty.at_capacity", v1::FINDING_TYPE_STAFF_AT_CAPACITY,
              absl::StrCat(Scope(at_capacity, "执法事项"), "未能配足执法人员"),
              absl::StrCat(DomainList(at_capacity), "领域具备执法资格的执法人员均已达到最大承办量"),
              "补充执法人员或调整承办上限，重新分配执法职责", kPersonnel, 6, 30);
      PowerEvidence(at_capacity, f);
    }
    if (not_allocated.powers > 0) {
      Finding& f = Add("duty.not_allocated", v1::FINDING_TYPE_POWER_NOT_ALLOCATED,
                       absl::StrCat(Scope(not_allocated, "执法事项"), "尚未落实到执法人员"),
                       "具备执法资格且有承办余量的执法人员已有，但执法职责尚未分解到人",
                       "把执法职责分解落实到岗位和执法人员，明确主办、协办", kLegalUnit, 3, 31);
      PowerEvidence(not_allocated, f);
    }
    if (!lapsed.empty()) Lapsed(lapsed);
    if (!training.empty()) Training(d, training);
  }

  void StaffShort(const duty::DutySummary& d, const PowerGroup& g) {
    std::vector<std::string> causes;
    for (const auto& [domain, gaps] : g.by_domain) {
      const duty::DomainCoverage* c = Domain(d, domain);
      if (c == nullptr) continue;
      if (c->officers() < 2) {
        causes.push_back(
            absl::StrCat(domain, "领域具备执法资格的在编在岗人员仅", c->officers(), "人"));
      } else {
        causes.push_back(absl::StrCat(domain, "领域具备执法资格的", c->officers(),
                                      "人中持有效执法证的仅", c->valid_certified_officers(), "人"));
      }
    }
    // Short of officers comes first; a reader should still learn which of
    // these powers also lack a legal reviewer once they are staffed.
    std::set<std::string> needs_review;
    for (const auto& p : d.powers()) {
      if (p.needs_legal_review()) needs_review.insert(p.power());
    }
    int unreviewed = 0;
    for (const auto& [domain, gaps] : g.by_domain) {
      const duty::DomainCoverage* c = Domain(d, domain);
      if (c == nullptr || c->legally_qualified_officers() > 0) continue;
      for (const duty::Gap* gap : gaps) unreviewed += needs_review.count(gap->power()) > 0 ? 1 : 0;
    }
    if (unreviewed > 0) {
      causes.push_back(absl::StrCat("其中", unreviewed,
                                    "项需法制审核的事项所在领域也没有具备法律职业资格的执法人员"));
    }
    Finding& f = Add(
        "duty.staff_short", v1::FINDING_TYPE_POWER_UNDERSTAFFED,
        absl::StrCat(Scope(g, "执法事项"), "持有效执法证的执法人员",
                     g.all_need_two ? "不足两人" : "未达到规定人数",
                     "，不能落实两人以上执法的要求"),
        absl::StrJoin(causes, "；"),
        "通过招录、调配补充执法人员，组织符合条件的在编人员参加执法资格考试，执法证到期前及时换证",
        kPersonnel, 6, 30);
    PowerEvidence(g, f);
  }

  void NoReviewer(const duty::DutySummary& d, const PowerGroup& g) {
    std::vector<std::string> holders;
    for (const auto& [domain, gaps] : g.by_domain) {
      const duty::DomainCoverage* c = Domain(d, domain);
      if (c != nullptr)
        holders.push_back(absl::StrCat(domain, "领域", c->valid_certified_officers(), "人"));
    }
    Finding& f = Add("duty.no_legal_reviewer", v1::FINDING_TYPE_NO_LEGAL_REVIEWER,
                     absl::StrCat(Scope(g, "需法制审核的执法事项"),
                                  "没有具备法律职业资格的执法人员，尚未落实到人"),
                     absl::StrCat("上述领域持有效执法证的执法人员（", absl::StrJoin(holders, "、"),
                                  "）均不具备法律职业资格，无人可承担法制审核"),
                     "选派具备法律职业资格的人员承担法制审核，支持持证执法人员参加法律职业资格考试",
                     kLegalUnit, 6, 30);
    PowerEvidence(g, f);
  }

  void Lapsed(const std::vector<const duty::Gap*>& gaps) {
    int expired = 0, not_valid = 0;
    std::optional<absl::CivilDay> earliest;
    std::set<std::string> domains;
    for (const duty::Gap* gap : gaps) {
      if (gap->type() == duty::GAP_TYPE_CERTIFICATE_EXPIRED) {
        ++expired;
        const absl::CivilDay day(gap->date().year(), gap->date().month(), gap->date().day());
        if (!earliest || day < *earliest) earliest = day;
      } else {
        ++not_valid;
      }
      for (absl::string_view domain : absl::StrSplit(gap->domain(), "、", absl::SkipEmpty())) {
        domains.insert(std::string(domain));
      }
    }
    std::vector<std::string> causes;
    if (expired > 0) {
      const std::string day = ChineseDate(earliest->year(), earliest->month(), earliest->day());
      causes.push_back(
          expired == 1 ? absl::StrCat("1个执法证于", day, "到期后未换领新证")
                       : absl::StrCat(expired, "个执法证到期后未换领新证，最早的于", day, "到期"));
    }
    if (not_valid > 0) causes.push_back(absl::StrCat(not_valid, "个执法证被暂扣、注销或尚未生效"));
    Finding& f = Add(
        "duty.certificates.lapsed", v1::FINDING_TYPE_CERTIFICATE_LAPSED,
        absl::StrCat(
            gaps.size(), "名执法人员的执法证已过期或失效",
            domains.empty() ? "" : absl::StrCat("，涉及", absl::StrJoin(domains, "、"), "领域")),
        absl::StrJoin(causes, "；"), "组织相关人员参加换证培训和考试，换证前不安排从事执法",
        kPersonnel, 3, 31);
    for (const duty::Gap* gap : gaps) {
      f.evidence.push_back(absl::StrCat(DutySource(), ": ", gap->officer_name(), " 执法证",
                                        gap->certificate_number(), " ", gap->detail()));
      f.records.push_back(gap->officer());
    }
  }

  void Training(const duty::DutySummary& d, const std::vector<const duty::Gap*>& gaps) {
    std::vector<int> hours;
    for (const duty::Gap* gap : gaps) hours.push_back(gap->actual());
    std::sort(hours.begin(), hours.end());
    const int required = d.totals().required_training_hours();
    Finding& f = Add(
        "duty.training.short", v1::FINDING_TYPE_TRAINING_SHORT,
        absl::StrCat(gaps.size(), "名持证执法人员年度培训学时未达到", required, "学时的要求"),
        absl::StrCat("上述人员全年培训分别为", absl::StrJoin(hours, "、"), "学时"),
        "制订年度执法培训计划，利用线上培训平台补足学时，培训情况纳入年度考核", kPersonnel, 12, 31);
    for (const duty::Gap* gap : gaps) {
      f.evidence.push_back(absl::StrCat(DutySource(), ": ", gap->officer_name(), " 培训",
                                        gap->actual(), "学时，要求", gap->required(), "学时"));
      f.records.push_back(gap->officer());
    }
  }

  const YearInputs& in_;
  std::vector<Finding> out_;
};

// The organization's own 原因 and 整改 replace the defaults, field by field.
void ApplyRemedies(const fazhi::report::v1::Organization& org, int year,
                   std::vector<Finding>& findings) {
  for (int i = 0; i < org.finding_remedies_size(); ++i) {
    const auto& r = org.finding_remedies(i);
    for (Finding& f : findings) {
      if (f.kind != r.finding()) continue;
      f.remedy_field = absl::StrCat("organization.finding_remedies[", i, "]");
      if (!r.cause().empty()) f.cause = r.cause();
      if (!r.rectification().empty()) f.rectification = r.rectification();
      if (!r.owner().empty()) f.owner = r.owner();
      if (r.due_date().month() != 0) {
        f.due = absl::CivilDay(r.due_date().year() == 0 ? year + 1 : r.due_date().year(),
                               r.due_date().month(), r.due_date().day());
      }
    }
  }
}

}  // namespace

std::vector<Finding> DeriveFindings(const YearInputs& inputs,
                                    const std::set<std::string>& suppressed) {
  std::vector<Finding> findings = Deriver(inputs).Run();
  if (inputs.organization) ApplyRemedies(*inputs.organization, inputs.year, findings);
  for (Finding& f : findings) f.suppressed = suppressed.count(f.id) > 0;
  return findings;
}

}  // namespace fazhi::gateway
