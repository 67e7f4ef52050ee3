// The shared server runtime: health truth and drain. Reflection is checked
// from Python (tests/e2e), as linking a second copy of its generated code
// next to libgrpc++_reflection is not possible.

#include "services/common/server.h"

#include <grpcpp/grpcpp.h>
#include <httplib.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "services/common/logging.h"
#include "services/common/metrics.h"
#include "services/common/rpc.h"
#include "tests/testing/echo_service.h"

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

// A failover: health says NOT_SERVING while the store is unreachable, and
// comes back by itself; calls are not refused meanwhile (the readiness
// state only stops them while starting), and a draining server stays down.
TEST_F(ServerTest, HealthFollowsTheStoreWhileServing) {
  HealthCheckResponse response;
  server_->SetStoreReachable(false);  // before serving: no effect
  EXPECT_EQ(server_->readiness()->state(), Readiness::State::kStarting);
  server_->MarkServing();
  server_->SetStoreReachable(false);
  ASSERT_TRUE(Check("", &response).ok());
  EXPECT_EQ(response.status(), HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(server_->readiness()->state(), Readiness::State::kStoreUnreachable);
  server_->SetStoreReachable(true);
  ASSERT_TRUE(Check("", &response).ok());
  EXPECT_EQ(response.status(), HealthCheckResponse::SERVING);
  server_->Drain();
  server_->SetStoreReachable(true);
  EXPECT_EQ(server_->readiness()->state(), Readiness::State::kDraining);
}

// No stream outlives the connection's age and its grace, whoever opened it
// (a health watcher needs no key) and however idle it is.
TEST(ConnectionAgeTest, AnIdleStreamIsEndedByTheServer) {
  ServerOptions options{"127.0.0.1:0", absl::Seconds(1), 1 << 20};
  options.max_connection_age = absl::Seconds(1);
  options.max_connection_age_grace = absl::Seconds(1);
  Server server(options);
  ASSERT_TRUE(server.Start().ok());
  auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(server.port()),
                                     grpc::InsecureChannelCredentials());
  auto health = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext context;
  // Without the server's bound the client's own deadline ends it, too late.
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(40));
  grpc::health::v1::HealthCheckRequest request;
  auto reader = health->Watch(&context, request);
  HealthCheckResponse response;
  ASSERT_TRUE(reader->Read(&response));  // NOT_SERVING; then nothing changes
  const absl::Time opened = absl::Now();
  while (reader->Read(&response)) {
  }
  const absl::Duration lived = absl::Now() - opened;
  EXPECT_FALSE(reader->Finish().ok());
  // Age and grace are 2 s; gRPC adds up to 10 % jitter to the age.
  EXPECT_GE(lived, absl::Seconds(1));
  EXPECT_LT(lived, absl::Seconds(30)) << "a minute-long stream is not bounded by 2 s";
  server.Drain();
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
  ASSERT_TRUE(reader->Read(&response));
  EXPECT_EQ(response.status(), HealthCheckResponse::NOT_SERVING);
  EXPECT_FALSE(reader->Read(&response));
  EXPECT_TRUE(reader->Finish().ok());
  drain.join();
}

// The health service alone on a gRPC server of its own, and a client.
class HealthServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    health_.AddService("");
    int port = 0;
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&health_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    stub_ = grpc::health::v1::Health::NewStub(grpc::CreateChannel(
        "127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
  }
  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown();
  }

  HealthService health_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<grpc::health::v1::Health::Stub> stub_;
};

// After Shutdown, AwaitWatchers returns once every watcher's stream is
// over, NOT_SERVING delivered; the server still takes calls then, as Drain
// calls it before the server's Shutdown.
TEST_F(HealthServiceTest, WatchersHaveHeardNotServingWhenAwaitWatchersReturns) {
  health_.SetAll(true);
  grpc::ClientContext context;
  grpc::health::v1::HealthCheckRequest request;
  auto reader = stub_->Watch(&context, request);
  HealthCheckResponse response;
  ASSERT_TRUE(reader->Read(&response));
  EXPECT_EQ(response.status(), HealthCheckResponse::SERVING);

  health_.Shutdown();
  const HealthService::Watchers watchers = health_.AwaitWatchers(absl::Seconds(60));
  EXPECT_EQ(watchers.told, 1);
  EXPECT_EQ(watchers.still_open, 0);
  ASSERT_TRUE(reader->Read(&response));
  EXPECT_EQ(response.status(), HealthCheckResponse::NOT_SERVING);
  EXPECT_FALSE(reader->Read(&response));
  EXPECT_TRUE(reader->Finish().ok());
  grpc::ClientContext check_context;
  ASSERT_TRUE(stub_->Check(&check_context, request, &response).ok());
  EXPECT_EQ(response.status(), HealthCheckResponse::NOT_SERVING);
}

// The wait is bounded: a watcher that does not end (here: no shutdown, so
// nothing ends it) holds it only for the limit.
TEST_F(HealthServiceTest, AwaitWatchersGivesUpAtItsLimit) {
  grpc::ClientContext context;
  grpc::health::v1::HealthCheckRequest request;
  auto reader = stub_->Watch(&context, request);
  HealthCheckResponse response;
  ASSERT_TRUE(reader->Read(&response));  // the watcher is open
  const auto start = std::chrono::steady_clock::now();
  const HealthService::Watchers watchers = health_.AwaitWatchers(absl::Milliseconds(300));
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(300));
  EXPECT_EQ(watchers.told, 0);
  EXPECT_EQ(watchers.still_open, 1);
  context.TryCancel();
}

class DrainTest : public ::testing::Test {
 protected:
  void StartWithGrace(absl::Duration grace) {
    server_ = std::make_unique<Server>(ServerOptions{"127.0.0.1:0", grace, 1 << 20});
    calls_ = std::make_unique<CallHandler>(server_->readiness(), nullptr);
    echo_ = std::make_unique<fazhi::testing::EchoServiceImpl>(calls_.get());
    server_->AddService(echo_.get(), "fazhi.testing.v1.EchoService");
    ASSERT_TRUE(server_->Start().ok());
    server_->MarkServing();
    stub_ = fazhi::testing::v1::EchoService::NewStub(grpc::CreateChannel(
        "127.0.0.1:" + std::to_string(server_->port()), grpc::InsecureChannelCredentials()));
  }

  // Starts a call that takes `delay_ms`, drains while it runs, and returns
  // the call's status.
  grpc::Status CallDuringDrain(int delay_ms) {
    grpc::Status status;
    std::thread caller([&] {
      grpc::ClientContext context;
      fazhi::testing::v1::EchoRequest request;
      request.set_message("在途");
      request.set_delay_ms(delay_ms);
      fazhi::testing::v1::EchoResponse response;
      status = stub_->Echo(&context, request, &response);
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the call is in flight
    server_->Drain();
    caller.join();
    return status;
  }

  std::unique_ptr<Server> server_;
  std::unique_ptr<CallHandler> calls_;
  std::unique_ptr<fazhi::testing::EchoServiceImpl> echo_;
  std::unique_ptr<fazhi::testing::v1::EchoService::Stub> stub_;
};

TEST_F(DrainTest, InFlightCallFinishesWithinTheGrace) {
  StartWithGrace(absl::Seconds(5));
  EXPECT_TRUE(CallDuringDrain(500).ok());
}

TEST_F(DrainTest, CallOutlivingTheGraceIsCancelled) {
  StartWithGrace(absl::Milliseconds(200));
  const auto start = std::chrono::steady_clock::now();
  grpc::Status status = CallDuringDrain(3000);
  EXPECT_FALSE(status.ok());
  // The drain cut the call at the grace, not after the handler's 3 s.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(2000));
}

TEST(HttpSideTest, HealthzFollowsReadinessAndMetricsCountCalls) {
  Server server(ServerOptions{"127.0.0.1:0", absl::Seconds(1), 1 << 20, "127.0.0.1:0"});
  CallHandler calls(server.readiness(), nullptr, "echo-test");
  fazhi::testing::EchoServiceImpl echo(&calls);
  server.AddService(&echo, "fazhi.testing.v1.EchoService");
  ASSERT_TRUE(server.Start().ok());
  ASSERT_NE(server.http(), nullptr);
  httplib::Client http("127.0.0.1", server.http()->port());
  auto health = http.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 503);
  server.MarkServing();
  EXPECT_EQ(http.Get("/healthz")->status, 200);

  auto stub = fazhi::testing::v1::EchoService::NewStub(grpc::CreateChannel(
      "127.0.0.1:" + std::to_string(server.port()), grpc::InsecureChannelCredentials()));
  for (int i = 0; i < 3; ++i) {
    grpc::ClientContext context;
    fazhi::testing::v1::EchoRequest request;
    fazhi::testing::v1::EchoResponse response;
    ASSERT_TRUE(stub->Echo(&context, request, &response).ok());
  }
  auto metrics = http.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find(
                "fazhi_rpc_requests_total{service=\"echo-test\",method=\"Echo\",code=\"OK\"} 3"),
            std::string::npos)
      << metrics->body;
  EXPECT_NE(metrics->body.find(
                "fazhi_rpc_duration_seconds_count{service=\"echo-test\",method=\"Echo\"} 3"),
            std::string::npos);
  server.Drain();
}

// The line every call logs: its method, outcome and time, to a tenth of a
// millisecond, under the call's request id.
TEST(CallLogTest, EachCallsLineNamesItsMethodOutcomeAndTime) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const int saved = dup(2);
  dup2(fds[1], 2);
  ASSERT_TRUE(InitLogging("echo-test", "text", "info").ok());
  {
    Server server(ServerOptions{"127.0.0.1:0", absl::Seconds(1), 1 << 20});
    CallHandler calls(server.readiness(), nullptr, "echo-test");
    fazhi::testing::EchoServiceImpl echo(&calls);
    server.AddService(&echo, "fazhi.testing.v1.EchoService");
    ASSERT_TRUE(server.Start().ok());
    server.MarkServing();
    auto stub = fazhi::testing::v1::EchoService::NewStub(grpc::CreateChannel(
        "127.0.0.1:" + std::to_string(server.port()), grpc::InsecureChannelCredentials()));
    grpc::ClientContext context;
    context.AddMetadata("x-request-id", "slow-echo");
    fazhi::testing::v1::EchoRequest request;
    request.set_delay_ms(30);
    fazhi::testing::v1::EchoResponse response;
    ASSERT_TRUE(stub->Echo(&context, request, &response).ok());
    server.Drain();
  }
  ASSERT_TRUE(FlushLogs());
  dup2(saved, 2);
  close(saved);
  close(fds[1]);
  std::string out;
  char buffer[4096];
  ssize_t n;
  while ((n = read(fds[0], buffer, sizeof buffer)) > 0) out.append(buffer, n);
  close(fds[0]);
  std::smatch line;
  ASSERT_TRUE(std::regex_search(
      out, line, std::regex(R"( echo-test \[slow-echo\] Echo OK in (\d+)\.(\d) ms\n)")))
      << out;
  // Slept 30 ms in slices of 10: at least that, and not absurdly more.
  const int whole = std::stoi(line[1].str());
  EXPECT_GE(whole, 30) << line[0];
  EXPECT_LT(whole, 10000) << line[0];
}

// An echo whose calls end on a thread of their own after delay_ms, as the
// gateway's end when the backends have answered (CallHandler::RunThen).
class DeferredEcho final
    : public CallbackMethods<fazhi::testing::v1::EchoService::Service,
                             fazhi::testing::v1::EchoService::WithCallbackMethod_Echo> {
 public:
  explicit DeferredEcho(const CallHandler* calls) : calls_(calls) {}
  ~DeferredEcho() override {
    for (std::thread& t : enders_) t.join();
  }

  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* context,
                                 const fazhi::testing::v1::EchoRequest* request,
                                 fazhi::testing::v1::EchoResponse* response) override {
    return calls_->RunThen(context, "Echo", *request, [&](CallHandler::CallEnd end) {
      ++started_;
      if (request->message().empty()) return end(absl::InvalidArgumentError("no message"));
      std::lock_guard<std::mutex> lock(mu_);
      enders_.emplace_back([request, response, end] {
        std::this_thread::sleep_for(std::chrono::milliseconds(request->delay_ms()));
        response->set_message(request->message());
        end(absl::OkStatus());
        end(absl::InternalError("a second end does nothing"));
      });
    });
  }

  std::atomic<int> started_{0};

 private:
  const CallHandler* calls_;
  std::mutex mu_;
  std::vector<std::thread> enders_;
};

TEST(RunThenTest, CallsEndLaterWithoutHoldingAThreadOfTheServer) {
  Server server(ServerOptions{"127.0.0.1:0", absl::Seconds(5), 1 << 20});
  CallHandler calls(server.readiness(), nullptr, "deferred-test");
  DeferredEcho echo(&calls);
  server.AddService(&echo, "fazhi.testing.v1.EchoService");
  ASSERT_TRUE(server.Start().ok());
  auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(server.port()),
                                     grpc::InsecureChannelCredentials());
  auto stub = fazhi::testing::v1::EchoService::NewStub(channel);
  auto echo_once = [&](const std::string& message, int delay_ms, std::string* request_id) {
    grpc::ClientContext context;
    context.AddMetadata("x-request-id", "deferred-1");
    fazhi::testing::v1::EchoRequest request;
    request.set_message(message);
    request.set_delay_ms(delay_ms);
    fazhi::testing::v1::EchoResponse response;
    grpc::Status status = stub->Echo(&context, request, &response);
    if (request_id != nullptr) {
      auto it = context.GetServerInitialMetadata().find("x-request-id");
      if (it != context.GetServerInitialMetadata().end()) {
        request_id->assign(it->second.data(), it->second.size());
      }
    }
    return status.ok() ? response.message() : "error " + std::to_string(status.error_code());
  };

  // Still starting: refused by the edge, the body never started.
  EXPECT_EQ(echo_once("早", 0, nullptr), "error 14");  // UNAVAILABLE
  EXPECT_EQ(echo.started_.load(), 0);
  server.MarkServing();

  std::string request_id;
  EXPECT_EQ(echo_once("回声", 50, &request_id), "回声");
  EXPECT_EQ(request_id, "deferred-1");
  EXPECT_EQ(echo_once("", 0, nullptr), "error 3");  // INVALID_ARGUMENT, ended at once

  // Eight calls waiting 1.5 s each, more than gRPC has callback threads:
  // health (a callback service too) still answers at once.
  std::vector<std::thread> callers;
  std::atomic<int> answered{0};
  for (int i = 0; i < 8; ++i) {
    callers.emplace_back([&, i] {
      if (echo_once("等" + std::to_string(i), 1500, nullptr) == "等" + std::to_string(i)) {
        ++answered;
      }
    });
  }
  while (echo.started_.load() < 10) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  auto health = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(500));
  grpc::health::v1::HealthCheckResponse response;
  EXPECT_TRUE(health->Check(&context, grpc::health::v1::HealthCheckRequest(), &response).ok());
  EXPECT_EQ(answered.load(), 0);  // all eight still waiting
  for (std::thread& t : callers) t.join();
  EXPECT_EQ(answered.load(), 8);

  const std::string metrics = Metrics::Global().PrometheusText();
  EXPECT_NE(metrics.find("fazhi_rpc_requests_total{service=\"deferred-test\",method=\"Echo\","
                         "code=\"OK\"} 9"),
            std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("fazhi_rpc_requests_total{service=\"deferred-test\",method=\"Echo\","
                         "code=\"INVALID_ARGUMENT\"} 1"),
            std::string::npos);
  server.Drain();
}

TEST(RunThenTest, CallsInFlightAreBounded) {
  Server server(ServerOptions{"127.0.0.1:0", absl::Seconds(5), 1 << 20});
  CallHandler calls(server.readiness(), nullptr, "bounded-test");
  calls.BoundCallsInFlight(3);
  DeferredEcho echo(&calls);
  server.AddService(&echo, "fazhi.testing.v1.EchoService");
  ASSERT_TRUE(server.Start().ok());
  server.MarkServing();
  auto stub = fazhi::testing::v1::EchoService::NewStub(grpc::CreateChannel(
      "127.0.0.1:" + std::to_string(server.port()), grpc::InsecureChannelCredentials()));
  auto call = [&](int delay_ms) {
    grpc::ClientContext context;
    fazhi::testing::v1::EchoRequest request;
    request.set_message("限");
    request.set_delay_ms(delay_ms);
    fazhi::testing::v1::EchoResponse response;
    return stub->Echo(&context, request, &response).error_code();
  };
  std::vector<std::thread> waiting;
  std::atomic<int> ok{0};
  for (int i = 0; i < 3; ++i) {
    waiting.emplace_back([&] { ok += call(1000) == grpc::StatusCode::OK ? 1 : 0; });
  }
  while (echo.started_.load() < 3) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_EQ(call(0), grpc::StatusCode::RESOURCE_EXHAUSTED);  // a fourth, at once
  for (std::thread& t : waiting) t.join();
  EXPECT_EQ(ok.load(), 3);
  EXPECT_EQ(call(0), grpc::StatusCode::OK);  // the three ended: room again
  server.Drain();
}

TEST(ServerStartTest, BusyPortIsAnError) {
  Server first(ServerOptions{"127.0.0.1:0", absl::Seconds(1), 1 << 20});
  ASSERT_TRUE(first.Start().ok());
  Server second(
      ServerOptions{"127.0.0.1:" + std::to_string(first.port()), absl::Seconds(1), 1 << 20});
  EXPECT_FALSE(second.Start().ok());
}

}  // namespace
}  // namespace fazhi
