#include "services/gateway/dashboard.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/gateway/sample_inputs.h"

namespace fazhi::gateway {
namespace {

namespace rv1 = fazhi::report::v1;
namespace sv1 = fazhi::study::v1;
namespace dv1 = fazhi::duty::v1;
using samples::Day;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

rv1::Organization Org(const std::string& slug, const std::string& full_name) {
  rv1::Organization o;
  o.set_name("orgs/" + slug);
  o.set_full_name(full_name);
  return o;
}

// Sessions per quarter and leadership-group sessions per quarter.
sv1::StudySummary Study(std::vector<int> sessions, std::vector<int> leadership) {
  sv1::StudySummary s;
  int total = 0;
  for (int q = 1; q <= 4; ++q) {
    auto* quarter = s.add_by_quarter();
    quarter->set_quarter(q);
    quarter->set_sessions(sessions[q - 1]);
    quarter->set_leadership_group_sessions(leadership[q - 1]);
    total += sessions[q - 1];
  }
  s.set_total_sessions(total);
  return s;
}

void AddDomain(dv1::DutySummary& duty, const std::string& name, int powers, int staffed) {
  auto* d = duty.add_domains();
  d->set_domain(name);
  d->set_powers(powers);
  d->set_staffed_powers(staffed);
  duty.mutable_totals()->set_powers(duty.totals().powers() + powers);
  duty.mutable_totals()->set_staffed_powers(duty.totals().staffed_powers() + staffed);
}

void AddGaps(dv1::DutySummary& duty, dv1::GapType type, int count) {
  auto* c = duty.add_gap_counts();
  c->set_type(type);
  c->set_count(count);
}

ComposeInput Year(const std::string& slug) {
  ComposeInput input;
  input.inputs.org = slug;
  input.inputs.year = 2024;
  return input;
}

DashboardInputs Inputs(absl::CivilDay as_of) {
  DashboardInputs inputs;
  inputs.supervisor = "orgs/county";
  inputs.year = 2024;
  inputs.as_of = as_of;
  return inputs;
}

void Add(DashboardInputs& inputs, rv1::Organization org, absl::StatusOr<ComposeInput> year) {
  inputs.organizations.push_back(std::move(org));
  inputs.years.push_back(std::move(year));
}

TEST(DashboardTest, HeadsTheBoardWithTheRequestAndKeepsTheOrganizationsInOrder) {
  DashboardInputs inputs = Inputs(absl::CivilDay(2025, 3, 15));
  Add(inputs, Org("b", "乙局"), Year("b"));
  Add(inputs, Org("a", "甲局"), Year("a"));
  const v1::Dashboard board = BuildDashboard(inputs);
  EXPECT_EQ(board.supervisor(), "orgs/county");
  EXPECT_EQ(board.year(), 2024);
  EXPECT_EQ(board.as_of().month(), 3);
  EXPECT_EQ(board.as_of().day(), 15);
  ASSERT_EQ(board.rows_size(), 2);
  EXPECT_EQ(board.rows(0).org(), "orgs/b");
  EXPECT_EQ(board.rows(0).org_name(), "乙局");
  EXPECT_EQ(board.rows(1).org(), "orgs/a");
}

TEST(DashboardTest, AYearThatCouldNotBeFetchedIsARowSayingWhy) {
  DashboardInputs inputs = Inputs(absl::CivilDay(2025, 3, 15));
  Add(inputs, Org("a", "甲局"), absl::PermissionDeniedError("report backend: denied"));
  rv1::OverdueReport* overdue = inputs.overdue.add_reports();
  overdue->set_organization("orgs/a");
  overdue->add_reasons(rv1::OVERDUE_REASON_SUBMISSION_OVERDUE);
  const v1::DashboardRow row = BuildDashboard(inputs).rows(0);
  EXPECT_THAT(row.facts_missing(), ElementsAre("report backend: denied"));
  EXPECT_FALSE(row.started());
  EXPECT_FALSE(row.submission_overdue());  // nothing but the failure is said
}

TEST(DashboardTest, AStartedReportGivesItsStateAndDueDatesAndTheOverdueReasonsTheFlags) {
  DashboardInputs inputs = Inputs(absl::CivilDay(2025, 4, 15));
  ComposeInput year = Year("a");
  year.inputs.report.emplace();
  year.inputs.report->set_state(rv1::REPORT_STATE_DRAFT);
  *year.inputs.report->mutable_due_dates()->mutable_submit_before() = Day(2025, 3, 1);
  *year.inputs.report->mutable_due_dates()->mutable_publish_before() = Day(2025, 4, 1);
  Add(inputs, Org("a", "甲局"), year);
  rv1::OverdueReport* overdue = inputs.overdue.add_reports();
  overdue->set_organization("orgs/a");
  overdue->add_reasons(rv1::OVERDUE_REASON_SUBMISSION_OVERDUE);
  overdue->add_reasons(rv1::OVERDUE_REASON_PUBLICATION_OVERDUE);
  *overdue->mutable_submit_before() = Day(2099, 1, 1);  // the report's own dates win
  const v1::DashboardRow row = BuildDashboard(inputs).rows(0);
  EXPECT_TRUE(row.started());
  EXPECT_EQ(row.state(), rv1::REPORT_STATE_DRAFT);
  EXPECT_EQ(row.submit_before().year(), 2025);
  EXPECT_EQ(row.publish_before().month(), 4);
  EXPECT_TRUE(row.submission_overdue());
  EXPECT_TRUE(row.publication_overdue());
  EXPECT_THAT(row.facts_missing(), IsEmpty());
}

TEST(DashboardTest, AReportNotStartedTakesItsDueDatesFromTheOverdueList) {
  DashboardInputs inputs = Inputs(absl::CivilDay(2025, 3, 15));
  Add(inputs, Org("a", "甲局"), Year("a"));
  Add(inputs, Org("b", "乙局"), Year("b"));
  rv1::OverdueReport* overdue = inputs.overdue.add_reports();
  overdue->set_organization("orgs/a");
  // NOT_STARTED alone is no delay.
  overdue->add_reasons(rv1::OVERDUE_REASON_NOT_STARTED);
  *overdue->mutable_submit_before() = Day(2025, 3, 1);
  *overdue->mutable_publish_before() = Day(2025, 4, 1);
  const v1::Dashboard board = BuildDashboard(inputs);
  EXPECT_FALSE(board.rows(0).started());
  EXPECT_FALSE(board.rows(0).submission_overdue());
  EXPECT_EQ(board.rows(0).submit_before().day(), 1);
  EXPECT_EQ(board.rows(0).publish_before().month(), 4);
  EXPECT_FALSE(board.rows(1).has_submit_before());
}

TEST(DashboardTest, StudyColumnsComeFromTheSummaryAndQuartersAreDueByTheDay) {
  // 15 July: the first two quarters have ended.
  DashboardInputs inputs = Inputs(absl::CivilDay(2024, 7, 15));
  ComposeInput year = Year("a");
  year.inputs.study = Study({3, 2, 1, 0}, {1, 0, 1, 0});
  Add(inputs, Org("a", "甲局"), year);
  const v1::DashboardRow row = BuildDashboard(inputs).rows(0);
  EXPECT_EQ(row.study_sessions(), 6);
  EXPECT_THAT(row.sessions_by_quarter(), ElementsAre(3, 2, 1, 0));
  EXPECT_EQ(row.leadership_quarters_due(), 2);
  // Every quarter with leadership-group study counts, the third (not yet
  // due) one too: not the due quarters less the summary's missed ones.
  EXPECT_EQ(row.leadership_quarters_covered(), 2);
}

TEST(DashboardTest, TheLastDayOfAQuarterMakesItDue) {
  DashboardInputs inputs = Inputs(absl::CivilDay(2024, 12, 31));
  ComposeInput year = Year("a");
  year.inputs.study = Study({1, 1, 1, 1}, {1, 1, 1, 1});
  Add(inputs, Org("a", "甲局"), year);
  inputs.as_of = absl::CivilDay(2024, 12, 30);
  EXPECT_EQ(BuildDashboard(inputs).rows(0).leadership_quarters_due(), 3);
  inputs.as_of = absl::CivilDay(2024, 12, 31);
  EXPECT_EQ(BuildDashboard(inputs).rows(0).leadership_quarters_due(), 4);
  EXPECT_EQ(BuildDashboard(inputs).rows(0).leadership_quarters_covered(), 4);
}

TEST(DashboardTest, DutyColumnsComeFromTheTotalsAndGapCountsAndDomainsAddUp) {
  DashboardInputs inputs = Inputs(absl::CivilDay(2025, 3, 15));
  ComposeInput a = Year("a");
  a.inputs.duty.emplace();
  AddDomain(*a.inputs.duty, "殡葬", 5, 3);
  AddDomain(*a.inputs.duty, "养老服务", 4, 4);
  AddGaps(*a.inputs.duty, dv1::GAP_TYPE_CERTIFICATE_EXPIRED, 2);
  AddGaps(*a.inputs.duty, dv1::GAP_TYPE_CERTIFICATE_NOT_VALID, 1);
  AddGaps(*a.inputs.duty, dv1::GAP_TYPE_CERTIFICATE_EXPIRING, 7);  // not lapsed yet
  AddGaps(*a.inputs.duty, dv1::GAP_TYPE_DOMAIN_WITHOUT_LEGAL_REVIEWER, 1);
  ComposeInput b = Year("b");
  b.inputs.duty.emplace();
  AddDomain(*b.inputs.duty, "殡葬", 2, 1);
  AddDomain(*b.inputs.duty, "救助", 3, 0);
  Add(inputs, Org("a", "甲局"), a);
  Add(inputs, Org("b", "乙局"), b);
  const v1::Dashboard board = BuildDashboard(inputs);
  EXPECT_EQ(board.rows(0).powers(), 9);
  EXPECT_EQ(board.rows(0).powers_understaffed(), 2);
  EXPECT_EQ(board.rows(0).certificates_lapsed(), 3);
  EXPECT_EQ(board.rows(0).domains_without_legal_reviewer(), 1);
  EXPECT_EQ(board.rows(1).powers_understaffed(), 4);
  EXPECT_EQ(board.rows(1).certificates_lapsed(), 0);
  EXPECT_THAT(board.understaffed_by_domain(),
              UnorderedElementsAre(Pair("殡葬", 3), Pair("救助", 3)));
}

TEST(DashboardTest, AMissingBackendLeavesItsColumnsEmptyAndIsNamed) {
  DashboardInputs inputs = Inputs(absl::CivilDay(2025, 3, 15));
  ComposeInput year = Year("a");
  year.inputs.study = Study({1, 0, 0, 0}, {0, 0, 0, 0});
  year.missing_backends = {"duty"};
  Add(inputs, Org("a", "甲局"), year);
  const v1::DashboardRow row = BuildDashboard(inputs).rows(0);
  EXPECT_THAT(row.facts_missing(), ElementsAre("duty"));
  EXPECT_EQ(row.study_sessions(), 1);
  EXPECT_EQ(row.powers(), 0);
  EXPECT_TRUE(BuildDashboard(inputs).understaffed_by_domain().empty());
}

}  // namespace
}  // namespace fazhi::gateway
