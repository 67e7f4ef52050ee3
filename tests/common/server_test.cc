// The shared server runtime: health truth and drain. Reflection is checked
// from Python (tests/e2e), as linking a second copy of its generated code
// next to libgrpc++_reflection is not possible.

#include "services/common/server.h"

#include <grpcpp/grpcpp.h>

#include <thread>

#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"

namespace fazhi {
namespace {

using grpc::health::v1::HealthCheckResponse;

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<Server>(ServerOptions{"127.0.0.1:0", absl::Seconds(1), 1 << 20});
    ASSERT_TRUE(server_->Start().ok());
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(server_->port()),
                                   grpc::InsecureChannelCredentials());
    health_ = grpc::health::v1::Health::NewStub(channel_);
  }

  grpc::Status Check(const std::string& service, HealthCheckResponse* response) {
    grpc::ClientContext context;
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(service);
    return health_->Check(&context, request, response);
  }

  std::unique_ptr<Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<grpc::health::v1::Health::Stub> health_;
};

TEST_F(ServerTest, HealthFollowsTheLifecycle) {
  HealthCheckResponse response;
  ASSERT_TRUE(Check("", &response).ok());
  EXPECT_EQ(response.status(), HealthCheckResponse::NOT_SERVING);
  server_->MarkServing();
  ASSERT_TRUE(Check("", &response).ok());
  EXPECT_EQ(response.status(), HealthCheckResponse::SERVING);
  EXPECT_EQ(Check("no.Such", &response).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(ServerTest, WatchSeesServingThenDrainEndsTheStream) {
  grpc::ClientContext context;
  grpc::health::v1::HealthCheckRequest request;
  auto reader = health_->Watch(&context, request);
  HealthCheckResponse response;
  ASSERT_TRUE(reader->Read(&response));
  EXPECT_EQ(response.status(), HealthCheckResponse::NOT_SERVING);
  server_->MarkServing();
  ASSERT_TRUE(reader->Read(&response));
  EXPECT_EQ(response.status(), HealthCheckResponse::SERVING);
  std::thread drain([this] { server_->Drain(); });
  // Draining reports NOT_SERVING, then ends the stream.
  while (reader->Read(&response)) {
    EXPECT_EQ(response.status(), HealthCheckResponse::NOT_SERVING);
  }
  drain.join();
}

TEST(ServerStartTest, BusyPortIsAnError) {
  Server first(ServerOptions{"127.0.0.1:0", absl::Seconds(1), 1 << 20});
  ASSERT_TRUE(first.Start().ok());
  Server second(ServerOptions{"127.0.0.1:" + std::to_string(first.port()), absl::Seconds(1), 1 << 20});
  EXPECT_FALSE(second.Start().ok());
}

}  // namespace
}  // namespace fazhi
