#include "services/common/http_json/route_table.h"

#include <gtest/gtest.h>

#include <set>

#include "fazhi/duty/v1/duty.pb.h"
#include "fazhi/gateway/v1/gateway.pb.h"
#include "fazhi/report/v1/report.pb.h"
#include "fazhi/study/v1/study.pb.h"
#include "google/protobuf/descriptor.h"

namespace fazhi::http_json {
namespace {

const google::protobuf::ServiceDescriptor& Service(const std::string& full_name) {
  // A message of each file, so the linker keeps the files' descriptors.
  for (const google::protobuf::Descriptor* message :
       {fazhi::gateway::v1::ComposeReportRequest::descriptor(),
        fazhi::study::v1::Session::descriptor(), fazhi::duty::v1::Power::descriptor(),
        fazhi::report::v1::Report::descriptor()}) {
    (void)message;
  }
  const auto* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(full_name);
  EXPECT_NE(service, nullptr) << full_name;
  return *service;
}

const std::vector<std::string> kServices = {
    "fazhi.gateway.v1.AnnualReportService", "fazhi.study.v1.StudyService",
    "fazhi.duty.v1.DutyService", "fazhi.report.v1.ReportService"};

// Every RPC of every service has a valid HTTP route, and within a service
// no two share one.
TEST(RouteTableTest, EveryRpcHasAnAnnotatedRoute) {
  int rpcs = 0;
  for (const std::string& name : kServices) {
    const google::protobuf::ServiceDescriptor& service = Service(name);
    std::set<std::string> shapes;
    for (int i = 0; i < service.method_count(); ++i, ++rpcs) {
      absl::StatusOr<Route> route = RouteOf(*service.method(i));
      ASSERT_TRUE(route.ok()) << route.status();
      EXPECT_TRUE(shapes.insert(route->http_method + " " + route->path.Shape()).second)
          << service.method(i)->full_name() << " shares its route";
      if (service.method(i)->client_streaming()) {
        EXPECT_EQ(route->http_method, "POST");
      }
    }
  }
  EXPECT_GT(rpcs, 60);
}

TEST(RouteTableTest, FindsRoutesAndTheGatewaysOwnWinsASharedOne) {
  RouteTable table;
  ASSERT_TRUE(table.Add(Service("fazhi.gateway.v1.AnnualReportService"), 0).ok());
  absl::StatusOr<std::vector<std::string>> skipped =
      table.Add(Service("fazhi.report.v1.ReportService"), 1);
  ASSERT_TRUE(skipped.ok());
  EXPECT_EQ(*skipped, (std::vector<std::string>{"fazhi.report.v1.ReportService.ApproveReport",
                                                "fazhi.report.v1.ReportService.RejectReport",
                                                "fazhi.report.v1.ReportService.PublishReport"}));
  ASSERT_TRUE(table.Add(Service("fazhi.study.v1.StudyService"), 2).ok());

  auto approve = table.Find("POST", "/v1/orgs/a/reports/2024:approve");
  ASSERT_TRUE(approve.has_value());
  EXPECT_EQ(approve->route->method->full_name(),
            "fazhi.gateway.v1.AnnualReportService.ApproveReport");
  EXPECT_EQ(approve->route->target, 0u);

  auto submit = table.Find("POST", "/v1/orgs/a/reports/2024:submit");
  ASSERT_TRUE(submit.has_value());
  EXPECT_EQ(submit->route->method->name(), "SubmitReport");
  EXPECT_EQ(submit->bindings.at(0).second, "orgs/a/reports/2024");

  auto report = table.Find("GET", "/v1/orgs/a/reports/2024");
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(report->route->method->name(), "GetReport");
  auto sessions = table.Find("POST", "/v1/orgs/a/sessions:import");
  ASSERT_TRUE(sessions.has_value());
  EXPECT_TRUE(sessions->route->method->client_streaming());
  EXPECT_EQ(sessions->route->target, 2u);

  // ComposeReport's additional binding: the request (with a draft) in a body.
  auto compose_get = table.Find("GET", "/v1/orgs/a/reports/2024:compose");
  auto compose_post = table.Find("POST", "/v1/orgs/a/reports/2024:compose");
  ASSERT_TRUE(compose_get.has_value());
  ASSERT_TRUE(compose_post.has_value());
  EXPECT_EQ(compose_post->route->method->name(), "ComposeReport");
  EXPECT_EQ(compose_post->route->body_field, "*");
  EXPECT_EQ(compose_get->route->body_field, "");

  EXPECT_FALSE(table.Find("GET", "/v1/orgs/a/nothing").has_value());
  EXPECT_EQ(table.MethodsAt("/v1/orgs/a/sessions/s1"), "GET, PATCH, DELETE");
  EXPECT_EQ(table.MethodsAt("/v2/x"), "");
}

}  // namespace
}  // namespace fazhi::http_json
