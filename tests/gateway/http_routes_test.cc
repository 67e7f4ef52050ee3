#include "services/gateway/http_routes.h"

#include <httplib.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "services/kernel/digest.h"
#include "tests/gateway/gateway_harness.h"
#include "tests/gateway/sample_inputs.h"

namespace fazhi::gateway {
namespace {

using fakes::GatewayHarness;
using ::testing::HasSubstr;
using ::testing::SizeIs;
namespace rv1 = fazhi::report::v1;

constexpr char kDownload[] = "/orgs/a/reports/2024.txt";

class HttpRoutesTest : public ::testing::Test {
 protected:
  HttpRoutesTest() : http_("127.0.0.1", gateway_.http_port()) {
    rv1::Organization a;
    a.set_name("orgs/a");
    a.set_full_name("甲局");
    gateway_.backends.report.organizations.push_back(a);
    gateway_.backends.study.summaries[2024] = samples::SampleStudy();
    gateway_.backends.duty.summary = samples::SampleDuty();
  }

  static httplib::Headers Bearer(const std::string& key) {
    return {{"Authorization", "Bearer " + key}};
  }

  httplib::Result PostJson(const std::string& path, const std::string& key,
                           const std::string& body) {
    return http_.Post(path, Bearer(key), body, "application/json");
  }

  GatewayHarness gateway_;
  httplib::Client http_;
};

TEST_F(HttpRoutesTest, ADownloadIsTheComposedReportWithItsDigest) {
  auto response = http_.Get(kDownload, Bearer(gateway_.reader_a));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200) << response->body;
  EXPECT_EQ(response->get_header_value("Content-Disposition"),
            "attachment; filename=\"a-2024.txt\"");
  EXPECT_EQ(response->get_header_value("X-Content-SHA256"), kernel::Sha256Hex(response->body));
  EXPECT_THAT(response->body, HasSubstr("甲局"));
  EXPECT_EQ(response->get_header_value("Cache-Control"), "no-store");
  EXPECT_EQ(response->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_FALSE(response->get_header_value("X-Request-Id").empty());
  // The caller's key, and the request id the response names, reach the backends.
  EXPECT_EQ(gateway_.backends.script.Metadata("GetStudySummary", auth::kAuthorizationHeader),
            "Bearer " + gateway_.reader_a);
  EXPECT_EQ(gateway_.backends.script.Metadata("GetStudySummary", kRequestIdHeader),
            response->get_header_value("X-Request-Id"));
}

TEST_F(HttpRoutesTest, ADownloadWithoutAKeyIsRefusedAndAudited) {
  auto response = http_.Get(kDownload);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 401);
  EXPECT_EQ(response->get_header_value("WWW-Authenticate"), "Bearer");
  EXPECT_EQ(gateway_.backends.script.Attempts("GetReportInputs"), 0);
  const auto records = gateway_.audit.records();
  ASSERT_THAT(records, SizeIs(1));
  EXPECT_EQ(records[0].method, std::string("HTTP GET ") + kDownload);
  EXPECT_EQ(records[0].outcome, "UNAUTHENTICATED");
  EXPECT_EQ(records[0].request_id, response->get_header_value("X-Request-Id"));
  EXPECT_THAT(records[0].peer, HasSubstr("127.0.0.1:"));
}

TEST_F(HttpRoutesTest, ADownloadOfAnotherOrganizationIsForbiddenAndAudited) {
  auto response = http_.Get(kDownload, Bearer(gateway_.reader_b));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 403);
  EXPECT_EQ(response->body, "caller reader-b may not read organization a\n");
  const auto records = gateway_.audit.records();
  ASSERT_THAT(records, SizeIs(1));
  EXPECT_EQ(records[0].caller, "reader-b");
  EXPECT_EQ(records[0].org, "a");
  EXPECT_EQ(records[0].resource, "orgs/a");
  EXPECT_EQ(records[0].outcome, "PERMISSION_DENIED");
}

TEST_F(HttpRoutesTest, AnInvalidYearIsABadRequestAndABackendDownIsUnavailable) {
  auto early = http_.Get("/orgs/a/reports/1800.txt", Bearer(gateway_.reader_a));
  ASSERT_TRUE(early);
  EXPECT_EQ(early->status, 400);
  EXPECT_EQ(gateway_.backends.script.Attempts("GetReportInputs"), 0);

  gateway_.backends.script.FailFirst("GetReportInputs", 100, grpc::StatusCode::UNAVAILABLE);
  auto down = http_.Get(kDownload, Bearer(gateway_.reader_a));
  ASSERT_TRUE(down);
  EXPECT_EQ(down->status, 503);
  EXPECT_EQ(down->body, "report backend: unavailable (the gateway's log has the details)\n");
}

TEST_F(HttpRoutesTest, TheJsonApiCallsTheGatewaysRpcAsTheCaller) {
  auto response = PostJson("/api/v1/dashboard", gateway_.supervisor,
                           R"({"supervisor": "orgs/county", "year": 2024})");
  ASSERT_TRUE(response);
  ASSERT_EQ(response->status, 200) << response->body;
  const nlohmann::json board = nlohmann::json::parse(response->body);
  ASSERT_EQ(board["rows"].size(), 1u);
  EXPECT_EQ(board["rows"][0]["org"], "orgs/a");
  // Zero counts are printed.
  EXPECT_EQ(board["rows"][0]["submissionOverdue"], false);
  EXPECT_EQ(gateway_.backends.script.Metadata("ListOrganizations", auth::kAuthorizationHeader),
            "Bearer " + gateway_.supervisor);
}

TEST_F(HttpRoutesTest, TheJsonApiAnswersARefusalAsAJsonError) {
  auto response =
      PostJson("/api/v1/approve", gateway_.reader_a, R"({"org": "orgs/a", "year": 2024})");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 403);
  const nlohmann::json error = nlohmann::json::parse(response->body)["error"];
  EXPECT_EQ(error["code"], 403);
  EXPECT_EQ(error["status"], "PERMISSION_DENIED");
  EXPECT_EQ(gateway_.backends.script.Attempts("ApproveReport"), 0);
  EXPECT_THAT(gateway_.audit.records(), SizeIs(1));

  auto unknown = http_.Get("/api/v1/nothing", Bearer(gateway_.reader_a));
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
  EXPECT_EQ(nlohmann::json::parse(unknown->body)["error"]["status"], "NOT_FOUND");
}

TEST_F(HttpRoutesTest, WhoAmINamesTheCallerAndTheirRoles) {
  auto response = http_.Get("/api/v1/whoami", Bearer(gateway_.approver_a));
  ASSERT_TRUE(response);
  ASSERT_EQ(response->status, 200);
  const nlohmann::json who = nlohmann::json::parse(response->body);
  EXPECT_EQ(who["caller"], "approver-a");
  EXPECT_EQ(who["roles"][0]["role"], "approver");
  EXPECT_EQ(who["roles"][0]["orgs"][0], "a");
}

TEST_F(HttpRoutesTest, TheWebPageIsServed) {
  auto page = http_.Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_THAT(page->get_header_value("Content-Type"), HasSubstr("text/html"));
}

}  // namespace
}  // namespace fazhi::gateway
