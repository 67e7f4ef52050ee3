#include "services/common/logging.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <random>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/time.h"
#include "spdlog/spdlog.h"

namespace fazhi {
namespace {

// Points stderr (fd 2) at a pipe for the test's lifetime.
class StderrPipe {
 public:
  StderrPipe() {
    EXPECT_EQ(pipe(fds_), 0);
    saved_ = dup(2);
    dup2(fds_[1], 2);
  }
  ~StderrPipe() {
    dup2(saved_, 2);
    close(saved_);
    close(fds_[1]);
    close(fds_[0]);
  }
  // What was written so far (stderr must have been flushed).
  std::string Drain() {
    std::string out;
    fcntl(fds_[0], F_SETFL, O_NONBLOCK);
    char buffer[4096];
    ssize_t n;
    while ((n = read(fds_[0], buffer, sizeof buffer)) > 0) out.append(buffer, n);
    return out;
  }
  int read_end() const { return fds_[0]; }

 private:
  int fds_[2];
  int saved_;
};

TEST(LoggingTest, EveryLineCarriesTheRequestIdOfTheThreadThatLogged) {
  StderrPipe err;
  ASSERT_TRUE(InitLogging("svc", "json", "info").ok());
  {
    ScopedRequestId id("req-7");
    spdlog::info("first\nline");
  }
  std::thread([] {
    ScopedRequestId id("other-thread");
    spdlog::warn("second");
  }).join();
  spdlog::info("outside calls");
  ASSERT_TRUE(FlushLogs());
  const std::string out = err.Drain();
  EXPECT_NE(out.find(R"("service":"svc","request_id":"req-7","msg":"first\nline")"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find(R"("request_id":"other-thread","msg":"second")"), std::string::npos) << out;
  EXPECT_NE(out.find(R"("request_id":"","msg":"outside calls")"), std::string::npos) << out;

  ASSERT_TRUE(InitLogging("svc", "text", "info").ok());
  {
    ScopedRequestId id("req-8");
    spdlog::info("text\tline\n");
  }
  spdlog::info("no call");
  ASSERT_TRUE(FlushLogs());
  const std::string text = err.Drain();
  EXPECT_NE(text.find(" svc [req-8] text\tline\\n\n"), std::string::npos) << text;
  EXPECT_NE(text.find(" svc [-] no call\n"), std::string::npos) << text;
  // The whole line: UTC time to the microsecond, the level's letter.
  EXPECT_TRUE(std::regex_search(
      text, std::regex(R"((^|\n)\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z I svc \[-\] no call\n)")))
      << text;
}

TEST(LoggingTest, AFullQueueDropsLinesInsteadOfBlockingTheCaller) {
  StderrPipe err;
  ASSERT_TRUE(InitLogging("svc", "text", "info").ok());
  const uint64_t dropped_before = LogLinesDropped();
  // Nobody reads the pipe: the writer thread blocks once it is full, and
  // the queue behind it fills. Logging must still return.
  const std::string filler(200, 'x');
  for (int i = 0; i < 40000; ++i) spdlog::info("line {} {}", i, filler);
  EXPECT_GT(LogLinesDropped(), dropped_before);
  // Read the pipe until the writer has caught up.
  std::atomic<bool> stop{false};
  std::thread reader([&] {
    fcntl(err.read_end(), F_SETFL, O_NONBLOCK);
    char buffer[65536];
    while (!stop.load()) {
      if (read(err.read_end(), buffer, sizeof buffer) <= 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
    }
  });
  EXPECT_TRUE(FlushLogs(std::chrono::seconds(30)));
  stop = true;
  reader.join();
}

// What AppendLogTime must write, worked out by Abseil instead.
std::string ExpectedLogTime(std::chrono::system_clock::time_point time) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", absl::FromChrono(time), absl::UTCTimeZone());
}

std::string LogTimeOf(std::chrono::system_clock::time_point time) {
  std::string text;
  AppendLogTime(time, text);
  return text;
}

TEST(LoggingTest, LogTimeIsUtcToTheMicrosecondWhateverSecondCameBefore) {
  using std::chrono::microseconds;
  using std::chrono::system_clock;
  const system_clock::time_point epoch{};
  // In the order a thread might log them: within a second, across seconds,
  // years and a leap day, back in time, and before 1970.
  const std::vector<int64_t> micros = {
      1767225599999999,  // 2025-12-31T23:59:59.999999
      1767225600000000,  // the next year
      1767225600000001,
      1767225600999999,
      1767225601000000,
      1709164800123456,  // 2024-02-29, earlier than the line before
      1709164800654321,
      0,
      1,
      -1,
      -1000000,
      -999999,
      4102444799999999};
  for (int64_t m : micros) {
    const auto time = epoch + microseconds(m);
    EXPECT_EQ(LogTimeOf(time), ExpectedLogTime(time)) << m;
  }
  std::mt19937_64 random(7);
  std::uniform_int_distribution<int64_t> anywhen(0, int64_t{4102444800} * 1000000);
  for (int i = 0; i < 5000; ++i) {
    const auto time = epoch + microseconds(anywhen(random));
    ASSERT_EQ(LogTimeOf(time), ExpectedLogTime(time));
    // The same second again, at another microsecond: from the thread's cache.
    const auto again =
        time -
        microseconds(std::chrono::duration_cast<microseconds>(time.time_since_epoch()).count() %
                     1000000);
    ASSERT_EQ(LogTimeOf(again), ExpectedLogTime(again));
  }
  // Another thread's cache is its own.
  const auto first = epoch + microseconds(1767225600000001);
  std::string other;
  std::thread([&] { other = LogTimeOf(first + std::chrono::hours(24)); }).join();
  EXPECT_EQ(other, ExpectedLogTime(first + std::chrono::hours(24)));
  EXPECT_EQ(LogTimeOf(first), "2026-01-01T00:00:00.000001Z");
}

}  // namespace
}  // namespace fazhi
