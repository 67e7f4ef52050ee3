#ifndef FAZHI_SERVICES_COMMON_LINE_WRITER_H_
#define FAZHI_SERVICES_COMMON_LINE_WRITER_H_

// Lines written to a file descriptor by a thread of their own, in batches.
// A caller appends a finished line to a bounded buffer under a short lock
// and goes on; it never waits for the descriptor and never wakes the
// writer (waking a thread for every line cost a small read more CPU than
// writing the line itself; docs/performance.md, fifth round). The writer
// wakes on a timer, or at once for an urgent line or a flush, and writes
// everything waiting with as few write(2) calls as the descriptor takes.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "absl/strings/string_view.h"

namespace fazhi {

class LineWriter {
 public:
  // `capacity`: bytes waiting at most; a line that does not fit is dropped
  // and counted. `interval`: how long an ordinary line may wait.
  LineWriter(int fd, size_t capacity, std::chrono::milliseconds interval);
  // Writes what is waiting (within a second), then stops the thread.
  ~LineWriter();
  LineWriter(const LineWriter&) = delete;
  LineWriter& operator=(const LineWriter&) = delete;

  // Queues `line` (which carries its own line end). `urgent`: written now,
  // not at the next tick (warnings and errors).
  void Append(absl::string_view line, bool urgent = false);

  // Waits until every line appended before the call has been handed to the
  // descriptor; false if that took longer than `limit`.
  bool Flush(std::chrono::milliseconds limit);

  // Lines dropped because the buffer was full.
  uint64_t dropped() const;

 private:
  void Run();

  const int fd_;
  const size_t capacity_;
  const std::chrono::milliseconds interval_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;     // the writer: urgent line, flush, stop
  std::condition_variable written_;  // flushers: a batch went out
  std::string waiting_;
  uint64_t appended_ = 0;         // lines appended so far
  uint64_t written_through_ = 0;  // lines handed to the descriptor so far
  uint64_t dropped_ = 0;
  bool hurry_ = false;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace fazhi

#endif  // FAZHI_SERVICES_COMMON_LINE_WRITER_H_
