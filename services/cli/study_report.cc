#include "services/cli/study_report.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace fazhi::cli {

namespace v1 = fazhi::study::v1;

std::string StudyKindName(v1::StudyKind kind) {
  switch (kind) {
    case v1::STUDY_KIND_LEADERSHIP_GROUP:
      return "党组(中心组)学法";
    case v1::STUDY_KIND_PRE_MEETING:
      return "会前学法";
    case v1::STUDY_KIND_ALL_STAFF:
      return "集中学习";
    case v1::STUDY_KIND_LECTURE:
      return "专题法治讲座";
    case v1::STUDY_KIND_TRAINING:
      return "业务培训";
    case v1::STUDY_KIND_CONSTITUTIONAL_OATH:
      return "宪法宣誓";
    case v1::STUDY_KIND_LAW_EXAM:
      return "学法考试";
    case v1::STUDY_KIND_DUTY_STATEMENT:
      return "述法";
    case v1::STUDY_KIND_OTHER:
      return "其他学法";
    default:
      return "未分类";
  }
}

std::string PublicityKindName(v1::PublicityKind kind) {
  switch (kind) {
    case v1::PUBLICITY_KIND_CONSTITUTION_DAY:
      return "国家宪法日";
    case v1::PUBLICITY_KIND_CONSTITUTION_WEEK:
      return "宪法宣传周";
    case v1::PUBLICITY_KIND_CIVIL_CODE_MONTH:
      return "民法典宣传月";
    case v1::PUBLICITY_KIND_SERVICE_SITE:
      return "进机构宣传";
    case v1::PUBLICITY_KIND_PUBLIC_SPACE:
      return "广场/社区宣传";
    case v1::PUBLICITY_KIND_ONLINE:
      return "网络宣传";
    case v1::PUBLICITY_KIND_OTHER:
      return "其他宣传";
    default:
      return "未分类";
  }
}

namespace {

std::string PeriodName(v1::RulePeriod period) {
  switch (period) {
    case v1::RULE_PERIOD_MONTH:
      return "每月";
    case v1::RULE_PERIOD_QUARTER:
      return "每季度";
    default:
      return "每年";
  }
}

std::string PeriodList(v1::RulePeriod period,
                       const google::protobuf::RepeatedField<int32_t>& items) {
  std::vector<std::string> names;
  for (int32_t n : items) {
    names.push_back(period == v1::RULE_PERIOD_MONTH     ? absl::StrCat(n, "月")
                    : period == v1::RULE_PERIOD_QUARTER ? absl::StrCat("第", n, "季度")
                                                        : "全年");
  }
  return absl::StrJoin(names, "、");
}

}  // namespace

std::string FormatStudySummary(const v1::StudySummary& s) {
  std::string out;
  absl::StrAppendFormat(&out, "%s %d年学法普法情况（统计截至%04d-%02d-%02d）\n", s.org(), s.year(),
                        s.as_of().year(), s.as_of().month(), s.as_of().day());
  absl::StrAppendFormat(
      &out, "学法活动共%d次，累计%d分钟，干部职工学法%.1f人·小时；主要负责人参加%d次。\n",
      s.total_sessions(), s.total_minutes(), s.staff_hours(), s.head_attended_sessions());
  for (const auto& k : s.by_kind()) {
    absl::StrAppendFormat(&out, "  %s：%d次（各季度 %s）\n", StudyKindName(k.kind()), k.sessions(),
                          absl::StrJoin(k.sessions_by_quarter(), "/"));
  }
  out +=
      s.leadership_quarters_missed().empty()
          ? "党组(中心组)学法：每个已结束的季度均已开展。\n"
          : absl::StrCat("党组(中心组)学法未开展的季度：",
                         PeriodList(v1::RULE_PERIOD_QUARTER, s.leadership_quarters_missed()), "\n");
  std::vector<std::string> laws;
  for (const auto& law : s.laws()) {
    laws.push_back(
        absl::StrCat("《", law.law(), "》", law.sessions() + law.publicity_events(), "次"));
  }
  if (!laws.empty())
    absl::StrAppend(&out, "学习宣传的法律（按频次）：", absl::StrJoin(laws, "，"), "\n");
  if (s.has_plan()) {
    absl::StrAppend(&out, "学法计划：",
                    s.plan_adopted_in_first_quarter() ? "一季度内制订" : "未在一季度制订",
                    s.plan_fulfilled() ? "，各项要求均已完成" : "，有要求未完成", "\n");
    for (const auto& r : s.rules()) {
      absl::StrAppendFormat(
          &out, "  %s至少%d次%s：%s\n", PeriodName(r.rule().period()), r.rule().min_sessions(),
          StudyKindName(r.rule().kind()),
          r.satisfied()
              ? "达到"
              : absl::StrCat("未达到（", PeriodList(r.rule().period(), r.periods_missed()), "）"));
    }
    if (!s.planned_laws_not_studied().empty()) {
      absl::StrAppend(&out, "  计划内尚未学习：", absl::StrJoin(s.planned_laws_not_studied(), "、"),
                      "\n");
    }
    absl::StrAppendFormat(&out, "宪法宣誓：%d次，%d人宣誓，应宣誓%d人，覆盖率%.1f%%\n",
                          s.oath_sessions(), s.oath_takers(), s.eligible_staff(),
                          s.oath_coverage_percent());
  } else {
    absl::StrAppendFormat(&out, "学法计划：未录入。宪法宣誓：%d次，%d人。\n", s.oath_sessions(),
                          s.oath_takers());
  }
  const auto& p = s.publicity();
  absl::StrAppendFormat(
      &out, "普法宣传：%d场，展板%d块，宣传资料%d份，受众%d人次，现场咨询%d人次。\n", p.events(),
      p.display_boards(), p.leaflets(), p.people_reached(), p.consultations());
  std::vector<std::string> places;
  for (const auto& place : p.places())
    places.push_back(absl::StrCat(place.place(), "（", place.events(), "场）"));
  if (!places.empty()) absl::StrAppend(&out, "  地点：", absl::StrJoin(places, "、"), "\n");
  return out;
}

}  // namespace fazhi::cli
