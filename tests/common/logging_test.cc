#include "services/common/logging.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <regex>
#include <string>
#include <thread>

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

}  // namespace
}  // namespace fazhi
