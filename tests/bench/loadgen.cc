// fazhi-loadgen: closed-loop unary load over the gRPC callback API. Keeps
// --inflight calls running over --channels channels for --duration, then
// prints throughput and latency percentiles.
//
//   fazhi-loadgen --target=127.0.0.1:7101 --method=study.GetSession --inflight=64
//   fazhi-loadgen --target=127.0.0.1:7199 --method=echo
//
// study.GetSession first creates one session in orgs/loadgen and then reads
// it again and again (a read of one record, through the store).
// study.CreateSession writes a new session with every call (a durable
// write: one transaction with its audit record).

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <iostream>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "fazhi/study/v1/study.grpc.pb.h"
#include "fazhi/testing/v1/echo.grpc.pb.h"
#include "tests/bench/bench_client.h"

ABSL_FLAG(std::string, target, "127.0.0.1:7101", "server address");
ABSL_FLAG(std::string, method, "study.GetSession", "study.GetSession, study.CreateSession or echo");
ABSL_FLAG(int, inflight, 64, "calls kept in flight");
ABSL_FLAG(int, channels, 4, "channels the calls are spread over");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(10), "measured time");
ABSL_FLAG(absl::Duration, warmup, absl::Seconds(2), "unmeasured time before it");
ABSL_FLAG(std::string, label, "", "name printed with the result");

namespace {

namespace study = fazhi::study::v1;
namespace echo = fazhi::testing::v1;

// One closed loop: issues a call, and from its completion the next one.
class Loop {
 public:
  using Issue = std::function<void(grpc::ClientContext*, std::function<void(grpc::Status)>)>;

  Loop(Issue issue, absl::Time measure_from, absl::Time stop_at, std::function<void()> done)
      : issue_(std::move(issue)),
        measure_from_(measure_from),
        stop_at_(stop_at),
        done_(std::move(done)) {
    latencies_us_.reserve(1 << 16);
  }

  void Next() {
    if (absl::Now() >= stop_at_) {
      done_();
      return;
    }
    context_ = std::make_unique<grpc::ClientContext>();
    fazhi::bench::PrepareCall(*context_, absl::Seconds(10));
    const absl::Time start = absl::Now();
    issue_(context_.get(), [this, start](grpc::Status status) {
      const absl::Time end = absl::Now();
      if (start >= measure_from_) {
        if (status.ok()) {
          latencies_us_.push_back(absl::ToDoubleMicroseconds(end - start));
        } else {
          ++errors_;
          if (first_error_.empty()) first_error_ = status.error_message();
        }
      }
      Next();
    });
  }

  const std::vector<double>& latencies_us() const { return latencies_us_; }
  int errors() const { return errors_; }
  const std::string& first_error() const { return first_error_; }

 private:
  Issue issue_;
  absl::Time measure_from_, stop_at_;
  std::function<void()> done_;
  std::unique_ptr<grpc::ClientContext> context_;
  std::vector<double> latencies_us_;
  int errors_ = 0;
  std::string first_error_;
};

double Percentile(std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  return sorted[std::min(sorted.size() - 1, static_cast<size_t>(p * (sorted.size() - 1) + 0.5))];
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage("closed-loop unary load generator");
  absl::ParseCommandLine(argc, argv);
  const std::string target = absl::GetFlag(FLAGS_target);
  const std::string method = absl::GetFlag(FLAGS_method);
  const int inflight = absl::GetFlag(FLAGS_inflight);
  const int channel_count = std::max(1, absl::GetFlag(FLAGS_channels));

  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int i = 0; i < channel_count; ++i) {
    channels.push_back(
        fazhi::bench::Connect(target, i));  // distinct channels, not one shared subchannel
  }

  // Per-method request set-up and call issue.
  study::GetSessionRequest get;
  study::CreateSessionRequest fixture;
  echo::EchoRequest echo_request;
  echo_request.set_message("法治政府建设年度报告");
  std::vector<std::unique_ptr<study::StudyService::Stub>> study_stubs;
  std::vector<std::unique_ptr<echo::EchoService::Stub>> echo_stubs;
  if (method == "study.GetSession" || method == "study.CreateSession") {
    for (auto& c : channels) study_stubs.push_back(study::StudyService::NewStub(c));
    study::CreateSessionRequest create;
    create.set_parent("orgs/loadgen");
    create.set_request_id("loadgen-fixture");
    auto* s = create.mutable_session();
    s->mutable_date()->set_year(2024);
    s->mutable_date()->set_month(3);
    s->mutable_date()->set_day(1);
    s->set_kind(study::STUDY_KIND_ALL_STAFF);
    s->set_title("负载测试用学法记录");
    s->add_laws("民法典");
    s->set_duration_minutes(60);
    s->set_attendee_count(40);
    grpc::ClientContext context;
    fazhi::bench::PrepareCall(context);
    study::Session created;
    grpc::Status status = study_stubs[0]->CreateSession(&context, create, &created);
    if (!status.ok()) {
      std::cerr << "fazhi-loadgen: cannot create the fixture: " << status.error_message() << "\n";
      return 1;
    }
    get.set_name(created.name());
    create.clear_request_id();
    fixture = create;
  } else if (method == "echo") {
    for (auto& c : channels) echo_stubs.push_back(echo::EchoService::NewStub(c));
  } else {
    std::cerr << "fazhi-loadgen: unknown --method " << method << "\n";
    return 2;
  }

  const absl::Time start = absl::Now();
  const absl::Time measure_from = start + absl::GetFlag(FLAGS_warmup);
  const absl::Time stop_at = measure_from + absl::GetFlag(FLAGS_duration);
  std::mutex mutex;
  std::condition_variable all_done;
  int running = inflight;
  auto done = [&] {
    std::lock_guard<std::mutex> lock(mutex);
    if (--running == 0) all_done.notify_one();
  };

  std::vector<std::unique_ptr<Loop>> loops;
  for (int i = 0; i < inflight; ++i) {
    const int c = i % channel_count;
    Loop::Issue issue;
    if (method == "study.CreateSession") {
      auto request = std::make_shared<study::CreateSessionRequest>(fixture);
      auto response = std::make_shared<study::Session>();
      auto sent = std::make_shared<int64_t>(0);
      // Unique over runs too: a request id seen before would be a replay.
      const int64_t run = absl::ToUnixMicros(start);
      issue = [stub = study_stubs[c].get(), request, response, sent, i, run](
                  grpc::ClientContext* context, std::function<void(grpc::Status)> cb) {
        request->set_request_id(absl::StrFormat("loadgen-%d-%d-%d", run, i, ++*sent));
        stub->async()->CreateSession(context, request.get(), response.get(), std::move(cb));
      };
    } else if (!study_stubs.empty()) {
      auto response = std::make_shared<study::Session>();
      issue = [stub = study_stubs[c].get(), &get, response](grpc::ClientContext* context,
                                                            std::function<void(grpc::Status)> cb) {
        stub->async()->GetSession(context, &get, response.get(), std::move(cb));
      };
    } else {
      auto response = std::make_shared<echo::EchoResponse>();
      issue = [stub = echo_stubs[c].get(), &echo_request, response](
                  grpc::ClientContext* context, std::function<void(grpc::Status)> cb) {
        stub->async()->Echo(context, &echo_request, response.get(), std::move(cb));
      };
    }
    loops.push_back(std::make_unique<Loop>(issue, measure_from, stop_at, done));
  }
  for (auto& loop : loops) loop->Next();
  {
    std::unique_lock<std::mutex> lock(mutex);
    all_done.wait(lock, [&] { return running == 0; });
  }

  std::vector<double> latencies;
  int errors = 0;
  std::string first_error;
  for (auto& loop : loops) {
    latencies.insert(latencies.end(), loop->latencies_us().begin(), loop->latencies_us().end());
    errors += loop->errors();
    if (first_error.empty()) first_error = loop->first_error();
  }
  std::sort(latencies.begin(), latencies.end());
  const double seconds = absl::ToDoubleSeconds(absl::GetFlag(FLAGS_duration));
  const std::string label =
      absl::GetFlag(FLAGS_label).empty() ? method : absl::GetFlag(FLAGS_label);
  std::printf(
      "%s: %zu calls in %.1f s = %.0f calls/s; p50 %.0f us, p90 %.0f us, p99 %.0f us; %d "
      "errors%s%s\n",
      label.c_str(), latencies.size(), seconds, latencies.size() / seconds,
      Percentile(latencies, 0.50), Percentile(latencies, 0.90), Percentile(latencies, 0.99), errors,
      first_error.empty() ? "" : " (first: ",
      first_error.empty() ? "" : (first_error + ")").c_str());
  return errors == 0 ? 0 : 1;
}
