#include "services/common/metrics.h"

#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace fazhi {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(MetricsTest, CountsByCodeAndBucketsCumulatively) {
  Metrics metrics;
  // 0.0005 s falls in the first bucket, 0.003 in the third (le 0.005),
  // 0.005 on a bound counts in that bucket, 7 s beyond the last bound.
  metrics.RecordCall("study", "GetSession", absl::StatusCode::kOk, 0.0005);
  metrics.RecordCall("study", "GetSession", absl::StatusCode::kOk, 0.003);
  metrics.RecordCall("study", "GetSession", absl::StatusCode::kNotFound, 0.005);
  metrics.RecordCall("study", "GetSession", absl::StatusCode::kOk, 7.0);
  const std::string text = metrics.PrometheusText();
  const std::string labels = "service=\"study\",method=\"GetSession\"";
  EXPECT_THAT(text, HasSubstr("fazhi_rpc_requests_total{" + labels + ",code=\"OK\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("fazhi_rpc_requests_total{" + labels + ",code=\"NOT_FOUND\"} 1\n"));
  EXPECT_THAT(text, Not(HasSubstr("code=\"INTERNAL\"")));
  EXPECT_THAT(text,
              HasSubstr("fazhi_rpc_duration_seconds_bucket{" + labels + ",le=\"0.001\"} 1\n"));
  EXPECT_THAT(text,
              HasSubstr("fazhi_rpc_duration_seconds_bucket{" + labels + ",le=\"0.0025\"} 1\n"));
  EXPECT_THAT(text,
              HasSubstr("fazhi_rpc_duration_seconds_bucket{" + labels + ",le=\"0.005\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("fazhi_rpc_duration_seconds_bucket{" + labels + ",le=\"5\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("fazhi_rpc_duration_seconds_bucket{" + labels + ",le=\"+Inf\"} 4\n"));
  EXPECT_THAT(text, HasSubstr("fazhi_rpc_duration_seconds_count{" + labels + "} 4\n"));
  // 0.0005 + 0.003 + 0.005 + 7
  EXPECT_THAT(text, HasSubstr("fazhi_rpc_duration_seconds_sum{" + labels + "} 7.008500\n"));
}

TEST(MetricsTest, ListsMethodsAndCodesInOrderAndEscapesLabels) {
  Metrics metrics;
  metrics.RecordCall("study", "ListSessions", absl::StatusCode::kOk, 0.001);
  metrics.RecordCall("duty", "GetPost", absl::StatusCode::kPermissionDenied, 0.001);
  metrics.RecordCall("study", "GetSession", absl::StatusCode::kOk, 0.001);
  metrics.RecordCall("study", "GetSession", absl::StatusCode::kInvalidArgument, 0.001);
  metrics.RecordCall("odd\"one", "a\\b\nc", absl::StatusCode::kOk, 0.001);
  // A code outside absl's range counts as UNKNOWN.
  metrics.RecordCall("study", "GetSession", static_cast<absl::StatusCode>(99), 0.001);
  const std::string text = metrics.PrometheusText();
  const std::vector<std::string> in_order = {
      "{service=\"duty\",method=\"GetPost\",code=\"PERMISSION_DENIED\"} 1",
      "{service=\"odd\\\"one\",method=\"a\\\\b\\nc\",code=\"OK\"} 1",
      "{service=\"study\",method=\"GetSession\",code=\"INVALID_ARGUMENT\"} 1",
      "{service=\"study\",method=\"GetSession\",code=\"OK\"} 1",
      "{service=\"study\",method=\"GetSession\",code=\"UNKNOWN\"} 1",
      "{service=\"study\",method=\"ListSessions\",code=\"OK\"} 1",
  };
  size_t at = 0;
  for (const std::string& line : in_order) {
    const size_t found = text.find(absl::StrCat("fazhi_rpc_requests_total", line, "\n"), at);
    ASSERT_NE(found, std::string::npos) << line << "\n" << text;
    at = found;
  }
}

TEST(MetricsTest, CallsFromManyThreadsAreAllCounted) {
  Metrics metrics;
  constexpr int kThreads = 8;
  constexpr int kCalls = 20000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&metrics, t] {
      // Half the threads share a method, the others each have their own,
      // so methods are added while others are counted.
      const std::string method = t % 2 == 0 ? "Shared" : absl::StrCat("Own", t);
      for (int i = 0; i < kCalls; ++i) {
        metrics.RecordCall("svc", method, absl::StatusCode::kOk, 0.002);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  const std::string text = metrics.PrometheusText();
  EXPECT_THAT(text, HasSubstr(absl::StrCat(
                        "fazhi_rpc_requests_total{service=\"svc\",method=\"Shared\",code=\"OK\"} ",
                        kCalls * kThreads / 2, "\n")));
  EXPECT_THAT(text, HasSubstr(absl::StrCat("fazhi_rpc_duration_seconds_count{service=\"svc\","
                                           "method=\"Shared\"} ",
                                           kCalls * kThreads / 2, "\n")));
  for (int t = 1; t < kThreads; t += 2) {
    EXPECT_THAT(text,
                HasSubstr(absl::StrCat("fazhi_rpc_requests_total{service=\"svc\",method=\"Own", t,
                                       "\",code=\"OK\"} ", kCalls, "\n")));
  }
  // 80,000 calls of 2 ms each.
  EXPECT_THAT(text, HasSubstr("fazhi_rpc_duration_seconds_sum{service=\"svc\",method=\"Shared\"} "
                              "160.000000\n"));
}

TEST(MetricsTest, AddedTextFollowsTheCallsAndMayRecordCalls) {
  Metrics metrics;
  metrics.AddText([&metrics] {
    // A source that records a call itself must not deadlock the page.
    metrics.RecordCall("inner", "Page", absl::StatusCode::kOk, 0.0);
    return std::string("# TYPE extra gauge\nextra 1\n");
  });
  const std::string text = metrics.PrometheusText();
  EXPECT_THAT(text, HasSubstr("extra 1\n"));
  EXPECT_GT(text.find("extra 1"), text.find("fazhi_log_lines_dropped_total"));
}

}  // namespace
}  // namespace fazhi
