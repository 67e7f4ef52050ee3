#include "services/gateway/findings.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/resource.h"

namespace fazhi::gateway {
namespace {

namespace v1 = fazhi::gateway::v1;
namespace study = fazhi::study::v1;
namespace duty = fazhi::duty::v1;

std::string KindName(study::StudyKind kind) {
  switch (kind) {
    case study::STUDY_KIND_LEADERSHIP_GROUP: return "党组（中心组）学法";
    case study::STUDY_KIND_PRE_MEETING: return "会前学法";
    case study::STUDY_KIND_ALL_STAFF: return "集中学习";
    case study::STUDY_KIND_LECTURE: return "专题法治讲座";
    case study::STUDY_KIND_TRAINING: return "业务培训";
    case study::STUDY_KIND_CONSTITUTIONAL_OATH: return "宪法宣誓";
    case study::STUDY_KIND_LAW_EXAM: return "学法考试";
    case study::STUDY_KIND_DUTY_STATEMENT: return "述法";
    default: return "学法活动";
  }
}

std::string PeriodName(study::RulePeriod period, int index) {
  switch (period) {
    case study::RULE_PERIOD_MONTH: return absl::StrCat(index, "月");
    case study::RULE_PERIOD_QUARTER: return QuarterName(index);
    default: return "全年";
  }
}

std::string PeriodEvery(study::RulePeriod period) {
  switch (period) {
    case study::RULE_PERIOD_MONTH: return "每月";
    case study::RULE_PERIOD_QUARTER: return "每季度";
    default: return "每年";
  }
}

// Ids are [a-z0-9._:-]; Chinese domain names become a stable hash.
std::string DomainKey(const std::string& domain) { return "d-" + Fingerprint(domain).substr(0, 8); }

void StudyFindings(const std::string& org, int year, const study::StudySummary& s,
                   std::vector<Finding>& out) {
  const std::string src = absl::StrCat("study GetStudySummary orgs/", org, " ", year);
  for (int q : s.leadership_quarters_missed()) {
    out.push_back({absl::StrCat("study.leadership.quarter_missed.q", q),
                   v1::FINDING_TYPE_LEADERSHIP_QUARTER_MISSED,
                   absl::StrCat(QuarterName(q), "未开展党组（中心组）学法，未做到每季度至少学法一次。"),
                   {absl::StrCat(src, ": ", QuarterName(q), "党组（中心组）学法0次")}});
  }
  if (!s.has_plan()) {
    out.push_back({"study.plan.missing", v1::FINDING_TYPE_STUDY_PLAN,
                   absl::StrCat("未录入", year, "年度学法计划，学法工作缺少计划安排。"),
                   {absl::StrCat(src, ": has_plan = false")}});
  } else {
    if (!s.plan_adopted_in_first_quarter()) {
      out.push_back({"study.plan.late", v1::FINDING_TYPE_STUDY_PLAN,
                     "年度学法计划未在第一季度制订。",
                     {absl::StrCat(src, ": plan_adopted_in_first_quarter = false")}});
    }
    for (const auto& rule : s.rules()) {
      if (rule.satisfied()) continue;
      std::vector<std::string> periods;
      for (int p : rule.periods_missed()) periods.push_back(PeriodName(rule.rule().period(), p));
      const std::string kind = KindName(rule.rule().kind());
      out.push_back({absl::StrCat("study.plan.rule.", static_cast<int>(rule.rule().kind()), ".",
                                  static_cast<int>(rule.rule().period())),
                     v1::FINDING_TYPE_PLAN_TARGET_MISSED,
                     absl::StrCat("学法计划要求", PeriodEvery(rule.rule().period()), "至少开展",
                                  rule.rule().min_sessions(), "次", kind, "，",
                                  absl::StrJoin(periods, "、"), "未达到。"),
                     {absl::StrCat(src, ": rule ", kind, " periods_missed ", absl::StrJoin(rule.periods_missed(), ","))}});
    }
    if (s.eligible_staff() > 0 && s.oath_coverage_percent() < 100) {
      out.push_back({"study.oath.coverage", v1::FINDING_TYPE_OATH_COVERAGE,
                     absl::StrCat("宪法宣誓覆盖率为", s.oath_coverage_percent(), "%，应宣誓",
                                  s.eligible_staff(), "人，实际", s.oath_takers(), "人。"),
                     {absl::StrCat(src, ": oath_takers ", s.oath_takers(), " / eligible_staff ",
                                   s.eligible_staff())}});
    }
  }
}

void DutyFindings(const std::string& org, int year, const duty::DutySummary& d,
                  std::vector<Finding>& out) {
  const std::string src = absl::StrCat("duty GetDutySummary orgs/", org, " ", year);
  // Understaffed and unassigned powers, grouped by domain.
  std::map<std::string, std::vector<const duty::Gap*>> understaffed, no_reviewer;
  std::vector<const duty::Gap*> lapsed, training;
  for (const auto& gap : d.gaps()) {
    switch (gap.type()) {
      case duty::GAP_TYPE_UNDERSTAFFED_POWER:
      case duty::GAP_TYPE_POWER_UNASSIGNED:
        understaffed[gap.domain()].push_back(&gap);
        break;
      case duty::GAP_TYPE_DOMAIN_WITHOUT_LEGAL_REVIEWER:
        no_reviewer[gap.domain()].push_back(&gap);
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
  for (const auto& [domain, gaps] : understaffed) {
    std::vector<std::string> evidence;
    for (const duty::Gap* gap : gaps) {
      evidence.push_back(absl::StrCat(src, ": ", gap->power_code(), " ", gap->power_name(),
                                      " 有效持证执法人员", gap->actual(), "人，需", gap->required(), "人"));
    }
    out.push_back({absl::StrCat("duty.understaffed.", DomainKey(domain)),
                   v1::FINDING_TYPE_POWER_UNDERSTAFFED,
                   absl::StrCat(domain, "领域有", gaps.size(),
                                "项执法事项持有效执法证的执法人员不足两人，执法力量薄弱。"),
                   evidence});
  }
  for (const auto& [domain, gaps] : no_reviewer) {
    out.push_back({absl::StrCat("duty.no_legal_reviewer.", DomainKey(domain)),
                   v1::FINDING_TYPE_NO_LEGAL_REVIEWER,
                   absl::StrCat(domain, "领域没有具备法律职业资格且持证的执法人员，法制审核力量不足。"),
                   {absl::StrCat(src, ": ", gaps.front()->detail())}});
  }
  if (!lapsed.empty()) {
    std::vector<std::string> evidence;
    for (const duty::Gap* gap : lapsed) {
      evidence.push_back(absl::StrCat(src, ": ", gap->officer_name(), " 执法证", gap->certificate_number(),
                                      " ", gap->detail()));
    }
    out.push_back({"duty.certificates.lapsed", v1::FINDING_TYPE_CERTIFICATE_LAPSED,
                   absl::StrCat("有", lapsed.size(), "名执法人员的执法证已过期或失效，未及时换证。"),
                   evidence});
  }
  if (!training.empty()) {
    std::vector<std::string> evidence;
    for (const duty::Gap* gap : training) {
      evidence.push_back(absl::StrCat(src, ": ", gap->officer_name(), " 培训", gap->actual(),
                                      "学时，要求", gap->required(), "学时"));
    }
    out.push_back({"duty.training.short", v1::FINDING_TYPE_TRAINING_SHORT,
                   absl::StrCat("有", training.size(), "名执法人员年度培训学时未达到",
                                d.totals().required_training_hours(), "学时的要求。"),
                   evidence});
  }
}

}  // namespace

std::vector<Finding> DeriveFindings(const YearInputs& inputs,
                                    const std::set<std::string>& suppressed) {
  std::vector<Finding> findings;
  if (inputs.study) StudyFindings(inputs.org, inputs.year, *inputs.study, findings);
  if (inputs.duty) DutyFindings(inputs.org, inputs.year, *inputs.duty, findings);
  for (Finding& f : findings) f.suppressed = suppressed.count(f.id) > 0;
  return findings;
}

}  // namespace fazhi::gateway
