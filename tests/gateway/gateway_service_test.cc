#include "services/gateway/gateway_service.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/gateway/gateway_harness.h"
#include "tests/gateway/sample_inputs.h"
#include "tests/testing/service_test.h"

namespace fazhi::gateway {
namespace {

namespace rv1 = fazhi::report::v1;
using fakes::GatewayHarness;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

class GatewayServiceTest : public ::testing::Test {
 protected:
  GatewayServiceTest() {
    for (const std::string slug : {"a", "b"}) {
      rv1::Organization o;
      o.set_name("orgs/" + slug);
      o.set_full_name(slug == "a" ? "甲局" : "乙局");
      gateway_.backends.report.organizations.push_back(o);
    }
    gateway_.backends.study.summaries[2024] = samples::SampleStudy();
    gateway_.backends.duty.summary = samples::SampleDuty();
  }

  void ReportIn(rv1::ReportState state) {
    rv1::Report report;
    report.set_state(state);
    report.set_etag("etag-1");
    gateway_.backends.report.report = report;
  }

  // PublishReport of orgs/a's 2024 as the approver.
  grpc::Status Publish(v1::PublishReportResponse* published) {
    v1::PublishReportRequest request;
    request.set_org("orgs/a");
    request.set_year(2024);
    return gateway_.gateway().PublishReport(GatewayHarness::As(gateway_.approver_a).get(), request,
                                            published);
  }

  // ComposeReport of orgs/a's 2024 with `draft`, as a reader of orgs/a.
  grpc::Status ComposeDraft(const rv1::Report& draft, v1::ComposedReport* out) {
    v1::ComposeReportRequest request;
    request.set_org("orgs/a");
    request.set_year(2024);
    *request.mutable_draft() = draft;
    return gateway_.gateway().ComposeReport(GatewayHarness::As(gateway_.reader_a).get(), request,
                                            out);
  }

  GatewayHarness gateway_;
};

TEST_F(GatewayServiceTest, ADraftIsComposedInsteadOfTheStoredNarrativeAndNothingIsStored) {
  ReportIn(rv1::REPORT_STATE_DRAFT);
  gateway_.backends.report.report->add_preamble("已保存的开头。");
  rv1::Report draft;
  draft.add_preamble("全年集中学法{{study.sessions.all_staff}}次。");
  v1::ComposedReport composed;
  grpc::Status status = ComposeDraft(draft, &composed);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(composed.preamble_size(), 1);
  EXPECT_EQ(composed.preamble(0), "全年集中学法12次。");
  // The stored report still speaks for the state and the etag.
  EXPECT_EQ(composed.state(), rv1::REPORT_STATE_DRAFT);
  EXPECT_EQ(composed.etag(), "etag-1");
  EXPECT_EQ(gateway_.backends.report.report->preamble(0), "已保存的开头。");
  EXPECT_EQ(gateway_.backends.script.Attempts("UpdateReport"), 0);
  EXPECT_EQ(gateway_.backends.script.Attempts("CreateReport"), 0);

  // Named as the report it drafts: the same.
  draft.set_name("orgs/a/reports/2024");
  ASSERT_TRUE(ComposeDraft(draft, &composed).ok());
  EXPECT_EQ(composed.preamble(0), "全年集中学法12次。");
}

TEST_F(GatewayServiceTest, ADraftsUnknownFactsAndSyntaxErrorsNameItsFields) {
  ReportIn(rv1::REPORT_STATE_DRAFT);
  rv1::Report draft;
  draft.add_preamble("第一段。");
  draft.add_preamble("共{{study.no_such_fact}}次，{{year");
  v1::ComposedReport composed;
  grpc::Status status = ComposeDraft(draft, &composed);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(fazhi::testing::BadFields(status), ElementsAre("draft.preamble[1]"));
  draft.set_preamble(1, "共{{study.no_such_fact}}次");
  status = ComposeDraft(draft, &composed);
  EXPECT_THAT(fazhi::testing::BadFields(status), ElementsAre("draft.preamble[1]"));
  EXPECT_THAT(fazhi::testing::BadDescription(status, "draft.preamble[1]"),
              HasSubstr("unknown fact \"study.no_such_fact\""));
}

TEST_F(GatewayServiceTest, ADraftOfAnotherReportIsRefusedBeforeAnyBackendIsAsked) {
  ReportIn(rv1::REPORT_STATE_DRAFT);
  for (const std::string name : {"orgs/b/reports/2024", "orgs/a/reports/2023"}) {
    rv1::Report draft;
    draft.set_name(name);
    v1::ComposedReport composed;
    grpc::Status status = ComposeDraft(draft, &composed);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << name;
    EXPECT_THAT(fazhi::testing::BadFields(status), ElementsAre("draft.name"));
  }
  EXPECT_EQ(gateway_.backends.script.Attempts("GetReport"), 0);
  EXPECT_EQ(gateway_.backends.script.Attempts("GetReportInputs"), 0);
}

TEST_F(GatewayServiceTest, TheDashboardHasARowForEachOrganizationTheCallerMayRead) {
  v1::GetDashboardRequest request;
  request.set_supervisor("orgs/county");
  request.set_year(2024);
  v1::Dashboard board;
  grpc::Status status = gateway_.gateway().GetDashboard(
      GatewayHarness::As(gateway_.supervisor).get(), request, &board);
  ASSERT_TRUE(status.ok()) << status.error_message();
  // The fake lists b too; the caller may not read it.
  ASSERT_EQ(board.rows_size(), 1);
  EXPECT_EQ(board.rows(0).org(), "orgs/a");
  EXPECT_EQ(board.rows(0).org_name(), "甲局");
  EXPECT_EQ(board.rows(0).study_sessions(), samples::SampleStudy().total_sessions());
  EXPECT_EQ(board.rows(0).powers(), samples::SampleDuty().totals().powers());
  EXPECT_FALSE(board.rows(0).started());
  // Today, when the request names no day.
  EXPECT_EQ(board.as_of().year(), 2025);
  EXPECT_EQ(board.as_of().day(), 15);
  // The caller's own key reaches the backends, which check it again.
  EXPECT_EQ(gateway_.backends.script.Metadata("GetDutySummary", auth::kAuthorizationHeader),
            "Bearer " + gateway_.supervisor);
}

TEST_F(GatewayServiceTest, TheDashboardFailsNamingTheReportBackend) {
  gateway_.backends.script.FailFirst("ListOverdueReports", 1,
                                     grpc::StatusCode::FAILED_PRECONDITION);
  v1::GetDashboardRequest request;
  request.set_supervisor("orgs/county");
  request.set_year(2024);
  v1::Dashboard board;
  grpc::Status status = gateway_.gateway().GetDashboard(
      GatewayHarness::As(gateway_.supervisor).get(), request, &board);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(status.error_message(), "report backend: scripted failure");
}

TEST_F(GatewayServiceTest, ApprovingWithoutAnEtagApprovesTheCurrentReportAsTheCaller) {
  ReportIn(rv1::REPORT_STATE_SUBMITTED);
  v1::ApproveReportRequest request;
  request.set_org("orgs/a");
  request.set_year(2024);
  request.set_actor("someone else");
  rv1::Report report;
  grpc::Status status = gateway_.gateway().ApproveReport(
      GatewayHarness::As(gateway_.approver_a).get(), request, &report);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(report.state(), rv1::REPORT_STATE_APPROVED);
  EXPECT_EQ(gateway_.backends.report.approved.name(), "orgs/a/reports/2024");
  EXPECT_EQ(gateway_.backends.report.approved.etag(), "etag-1");
  EXPECT_EQ(gateway_.backends.report.approved.actor(), "approver-a");
}

TEST_F(GatewayServiceTest, AReaderMayNotApproveAndNoBackendIsAsked) {
  v1::ApproveReportRequest request;
  request.set_org("orgs/a");
  request.set_year(2024);
  rv1::Report report;
  grpc::Status status = gateway_.gateway().ApproveReport(
      GatewayHarness::As(gateway_.reader_a).get(), request, &report);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(gateway_.backends.script.Attempts("GetReport"), 0);
  EXPECT_EQ(gateway_.backends.script.Attempts("ApproveReport"), 0);
}

TEST_F(GatewayServiceTest, OnlyAnApprovedReportIsPublished) {
  ReportIn(rv1::REPORT_STATE_DRAFT);
  v1::PublishReportResponse published;
  grpc::Status status = Publish(&published);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("only an APPROVED report can be published"));
  EXPECT_EQ(gateway_.backends.script.Attempts("PublishReport"), 0);
}

TEST_F(GatewayServiceTest, PublishingHandsEveryRenderingToTheReportServiceAsTheGateway) {
  ReportIn(rv1::REPORT_STATE_APPROVED);
  v1::PublishReportResponse published;
  grpc::Status status = Publish(&published);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(published.report().state(), rv1::REPORT_STATE_PUBLISHED);
  std::vector<std::string> formats;
  for (const auto& d : gateway_.backends.report.published.documents())
    formats.push_back(d.format());
  EXPECT_THAT(formats, UnorderedElementsAre("txt", "md", "html", "docx"));
  for (const auto& r : published.renderings()) EXPECT_TRUE(r.content().empty()) << r.format();
  EXPECT_EQ(gateway_.backends.script.Metadata("PublishReport", auth::kAuthorizationHeader),
            GatewayHarness::kOwnAuthorization);
  EXPECT_EQ(gateway_.backends.script.Metadata("PublishReport", auth::kOnBehalfOfHeader),
            "approver-a");
}

TEST_F(GatewayServiceTest, AFailedPublicationIsNotRetried) {
  ReportIn(rv1::REPORT_STATE_APPROVED);
  gateway_.backends.script.FailFirst("PublishReport", 1, grpc::StatusCode::UNAVAILABLE);
  v1::PublishReportResponse published;
  grpc::Status status = Publish(&published);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(status.error_message(),
            "report backend: unavailable (the gateway's log has the details)");
  EXPECT_EQ(gateway_.backends.script.Attempts("PublishReport"), 1);
}

}  // namespace
}  // namespace fazhi::gateway
