#include "services/common/line_writer.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace fazhi {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::seconds;

class Pipe {
 public:
  Pipe() { EXPECT_EQ(pipe(fds_), 0); }
  ~Pipe() {
    close(fds_[0]);
    close(fds_[1]);
  }
  int write_end() const { return fds_[1]; }
  // What arrives until `enough` bytes have, or nothing has for `wait`.
  std::string Read(milliseconds wait, size_t enough = std::string::npos) {
    std::string out;
    char buffer[65536];
    pollfd ready{fds_[0], POLLIN, 0};
    while (out.size() < enough && poll(&ready, 1, static_cast<int>(wait.count())) == 1) {
      const ssize_t n = read(fds_[0], buffer, sizeof buffer);
      if (n <= 0) break;
      out.append(buffer, n);
    }
    return out;
  }

 private:
  int fds_[2];
};

TEST(LineWriterTest, EveryThreadsLinesArriveWholeAndInOrder) {
  Pipe pipe;
  std::string out;
  {
    LineWriter writer(pipe.write_end(), 1 << 20, milliseconds(5));
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&writer, t] {
        for (int i = 0; i < 500; ++i) writer.Append(absl::StrCat("t", t, " ", i, "\n"));
      });
    }
    for (auto& thread : threads) thread.join();
    ASSERT_TRUE(writer.Flush(seconds(10)));
    out = pipe.Read(milliseconds(50));
    EXPECT_EQ(writer.dropped(), 0u);
  }
  std::vector<int> next(4, 0);
  int lines = 0;
  for (absl::string_view line : absl::StrSplit(out, '\n', absl::SkipEmpty())) {
    const int t = line[1] - '0';
    ASSERT_EQ(line, absl::StrCat("t", t, " ", next[t]));
    ++next[t];
    ++lines;
  }
  EXPECT_EQ(lines, 2000);
}

TEST(LineWriterTest, AnOrdinaryLineWaitsForTheTickAnUrgentOneGoesAtOnce) {
  Pipe pipe;
  LineWriter writer(pipe.write_end(), 1 << 20, hours(1));
  writer.Append("ordinary\n");
  EXPECT_EQ(pipe.Read(milliseconds(200)), "");
  writer.Append("urgent\n", /*urgent=*/true);
  // Both go out in the batch the urgent line started; no Flush was asked.
  EXPECT_EQ(pipe.Read(milliseconds(5000), 16), "ordinary\nurgent\n");
}

TEST(LineWriterTest, AFullBufferDropsAndCountsWithoutBlocking) {
  Pipe pipe;
  // Fill the pipe, so the writer blocks in write(2) from its first batch.
  const int flags = fcntl(pipe.write_end(), F_GETFL);
  fcntl(pipe.write_end(), F_SETFL, flags | O_NONBLOCK);
  const std::string filler(4096, 'f');
  while (write(pipe.write_end(), filler.data(), filler.size()) > 0) {
  }
  fcntl(pipe.write_end(), F_SETFL, flags);
  LineWriter writer(pipe.write_end(), 1000, milliseconds(1));
  const std::string line(100, 'x');
  // The buffer behind the blocked writer fills; Append must still return.
  for (int i = 0; i < 1000; ++i) writer.Append(line + "\n");
  EXPECT_GT(writer.dropped(), 0u);
  EXPECT_FALSE(writer.Flush(milliseconds(100)));
  // Once read, everything not dropped goes out.
  std::thread reader([&pipe] { pipe.Read(milliseconds(500)); });
  EXPECT_TRUE(writer.Flush(seconds(10)));
  reader.join();
}

TEST(LineWriterTest, TheDestructorWritesWhatIsWaiting) {
  Pipe pipe;
  {
    LineWriter writer(pipe.write_end(), 1 << 20, hours(1));
    writer.Append("last words\n");
  }
  EXPECT_EQ(pipe.Read(milliseconds(1000), 11), "last words\n");
}

}  // namespace
}  // namespace fazhi
