#include "services/common/line_writer.h"

#include <errno.h>
#include <unistd.h>

#include <utility>

namespace fazhi {
namespace {

// Hands all of `bytes` to `fd`, retrying short writes and interruptions.
// A descriptor that fails (closed, full disk) loses the batch: a log must
// not stop the service.
void WriteAll(int fd, absl::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
}

}  // namespace

LineWriter::LineWriter(int fd, size_t capacity, std::chrono::milliseconds interval)
    : fd_(fd), capacity_(capacity), interval_(interval), thread_([this] { Run(); }) {}

LineWriter::~LineWriter() {
  Flush(std::chrono::seconds(1));
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void LineWriter::Append(absl::string_view line, bool urgent) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (waiting_.size() + line.size() > capacity_) {
      ++dropped_;
      return;
    }
    waiting_.append(line.data(), line.size());
    ++appended_;
    if (!urgent || hurry_) return;
    hurry_ = true;
  }
  wake_.notify_one();
}

bool LineWriter::Flush(std::chrono::milliseconds limit) {
  std::unique_lock<std::mutex> lock(mutex_);
  const uint64_t target = appended_;
  if (written_through_ >= target) return true;
  hurry_ = true;
  wake_.notify_one();
  return written_.wait_for(lock, limit, [&] { return written_through_ >= target; });
}

uint64_t LineWriter::dropped() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return dropped_;
}

void LineWriter::Run() {
  std::string batch;
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    wake_.wait_for(lock, interval_, [&] { return hurry_ || stop_; });
    hurry_ = false;
    batch.clear();
    batch.swap(waiting_);  // the emptied buffer keeps the batch's capacity
    const uint64_t through = appended_;
    const bool stopping = stop_;
    lock.unlock();
    WriteAll(fd_, batch);
    lock.lock();
    written_through_ = through;
    written_.notify_all();
    if (stopping && waiting_.empty()) return;
  }
}

}  // namespace fazhi
