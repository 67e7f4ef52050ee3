#include "services/gateway/workbooks.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/names.h"
#include "services/gateway/facts.h"

namespace fazhi::gateway {
namespace {

namespace rv1 = fazhi::report::v1;
using sheets::Cell;

Cell Day(const google::type::Date& date) {
  if (date.year() == 0) return std::monostate();
  return absl::CivilDay(date.year(), date.month(), date.day());
}

Cell YesNo(bool value) { return std::string(value ? "是" : "否"); }

std::string AsOfText(const google::type::Date& date) {
  if (date.year() == 0) return "";
  return absl::StrCat("（截至", ChineseDate(date.year(), date.month(), date.day()), "）");
}

std::string OrgId(const std::string& name) { return OrgOfName(name).value_or(name); }

}  // namespace

std::string ReportStateName(rv1::ReportState state) {
  switch (state) {
    case rv1::REPORT_STATE_DRAFT:
      return "草稿";
    case rv1::REPORT_STATE_SUBMITTED:
      return "已报送，待审核";
    case rv1::REPORT_STATE_APPROVED:
      return "已审核，待发布";
    case rv1::REPORT_STATE_PUBLISHED:
      return "已发布";
    case rv1::REPORT_STATE_REJECTED:
      return "已退回";
    default:
      return "未开始";
  }
}

std::vector<sheets::Sheet> DashboardSheets(const v1::Dashboard& dashboard) {
  const std::string supervisor = OrgId(dashboard.supervisor());
  sheets::Sheet rows{"监督看板",
                     absl::StrCat(supervisor, " 监督看板：", dashboard.year(), "年度法治政府建设",
                                  AsOfText(dashboard.as_of())),
                     {{"单位", 28},
                      {"单位标识", 18},
                      {"报告状态", 14},
                      {"报送截止", 12},
                      {"公开截止", 12},
                      {"逾期未报送", 10},
                      {"逾期未公开", 10},
                      {"学法次数", 10},
                      {QuarterName(1) + "学法", 10},
                      {QuarterName(2) + "学法", 10},
                      {QuarterName(3) + "学法", 10},
                      {QuarterName(4) + "学法", 10},
                      {"党组学法覆盖季度", 12},
                      {"应覆盖季度", 10},
                      {"执法事项", 10},
                      {"不足两名持证人员的事项", 14},
                      {"证件失效", 10},
                      {"无法制审核人员的领域", 14},
                      {"数据缺失", 30}},
                     {},
                     1};
  for (const v1::DashboardRow& r : dashboard.rows()) {
    std::vector<Cell> cells{r.org_name(),
                            OrgId(r.org()),
                            r.started() ? ReportStateName(r.state()) : std::string("未开始"),
                            Day(r.submit_before()),
                            Day(r.publish_before()),
                            YesNo(r.submission_overdue()),
                            YesNo(r.publication_overdue()),
                            double(r.study_sessions())};
    for (int q = 0; q < 4; ++q) {
      cells.emplace_back(std::in_place_type<double>,
                         q < r.sessions_by_quarter_size() ? r.sessions_by_quarter(q) : 0);
    }
    for (int32_t n :
         {r.leadership_quarters_covered(), r.leadership_quarters_due(), r.powers(),
          r.powers_understaffed(), r.certificates_lapsed(), r.domains_without_legal_reviewer()}) {
      cells.emplace_back(std::in_place_type<double>, n);
    }
    cells.push_back(absl::StrJoin(r.facts_missing(), "；"));
    rows.rows.push_back(std::move(cells));
  }
  // Largest gap first, then by name: the order the page's chart uses.
  std::vector<std::pair<std::string, int32_t>> domains(dashboard.understaffed_by_domain().begin(),
                                                       dashboard.understaffed_by_domain().end());
  std::sort(domains.begin(), domains.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  sheets::Sheet gaps{"各领域人员缺口",
                     absl::StrCat(supervisor, " 各执法领域人员缺口：", dashboard.year(), "年度",
                                  AsOfText(dashboard.as_of())),
                     {{"执法领域", 20}, {"不足两名持证人员的事项", 14}},
                     {},
                     0};
  for (const auto& [domain, count] : domains) gaps.rows.push_back({domain, double(count)});
  return {rows, gaps};
}

std::vector<sheets::Sheet> FactsSheets(const v1::FactCatalogue& catalogue) {
  std::string organization = OrgId(catalogue.org());
  for (const v1::Fact& f : catalogue.facts()) {
    if (f.name() == "org.name" && !f.text().empty()) organization = f.text();
  }
  sheets::Sheet facts{"事实与来源",
                      absl::StrCat(organization, " ", catalogue.year(),
                                   "年度法治政府建设报告：事实与来源", AsOfText(catalogue.as_of())),
                      {{"名称", 34},
                       {"说明", 30},
                       {"报告中的写法", 24},
                       {"数值", 10},
                       {"单位", 6},
                       {"上年数值", 10},
                       {"来源服务", 10},
                       {"来源接口", 22},
                       {"来源资源", 30},
                       {"记录数", 8},
                       {"报告引用处", 30},
                       {"记录", 40}},
                      {},
                      1};
  for (const v1::Fact& f : catalogue.facts()) {
    const bool previous = f.has_previous() && f.previous_on_record();
    facts.rows.push_back({f.name(), f.description(), f.text(),
                          f.is_number() ? Cell(f.number()) : Cell(), f.unit(),
                          previous ? Cell(f.previous_number()) : Cell(), f.source().service(),
                          f.source().method(), f.source().resource(), double(f.records_size()),
                          absl::StrJoin(f.used_in(), "；"), absl::StrJoin(f.records(), "；")});
  }
  return {facts};
}

absl::StatusOr<std::string> DashboardWorkbook(const v1::Dashboard& dashboard) {
  std::vector<sheets::Sheet> sheets = DashboardSheets(dashboard);
  return sheets::WriteWorkbook(sheets, sheets.front().title);
}

absl::StatusOr<std::string> FactsWorkbook(const v1::FactCatalogue& catalogue) {
  std::vector<sheets::Sheet> sheets = FactsSheets(catalogue);
  return sheets::WriteWorkbook(sheets, sheets.front().title);
}

}  // namespace fazhi::gateway
