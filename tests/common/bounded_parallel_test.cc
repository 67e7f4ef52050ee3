#include "services/common/bounded_parallel.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace fazhi {
namespace {

TEST(ForEachBoundedTest, VisitsEveryIndexOnce) {
  std::vector<std::atomic<int>> visits(1000);
  ForEachBounded(visits.size(), 8, [&](size_t i) { ++visits[i]; });
  for (size_t i = 0; i < visits.size(); ++i) EXPECT_EQ(visits[i].load(), 1) << i;
}

TEST(ForEachBoundedTest, NeverRunsMoreThanTheWorkersAtOnce) {
  std::atomic<int> running{0}, most{0};
  std::mutex threads_mutex;
  std::vector<std::thread::id> threads;
  ForEachBounded(200, 4, [&](size_t) {
    const int now = ++running;
    for (int seen = most.load(); now > seen && !most.compare_exchange_weak(seen, now);) {
    }
    {
      std::lock_guard<std::mutex> lock(threads_mutex);
      threads.push_back(std::this_thread::get_id());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    --running;
  });
  EXPECT_LE(most.load(), 4);
  EXPECT_GE(most.load(), 2);  // it did run in parallel
  std::sort(threads.begin(), threads.end());
  threads.erase(std::unique(threads.begin(), threads.end()), threads.end());
  EXPECT_LE(threads.size(), 4u);
}

TEST(ForEachBoundedTest, NothingToDoAndFewerItemsThanWorkers) {
  int calls = 0;
  ForEachBounded(0, 8, [&](size_t) { ++calls; });
  EXPECT_EQ(calls, 0);
  std::atomic<int> done{0};
  ForEachBounded(3, 64, [&](size_t) { ++done; });
  EXPECT_EQ(done.load(), 3);
  ForEachBounded(5, 0, [&](size_t) { ++done; });  // 0 workers still does the work
  EXPECT_EQ(done.load(), 8);
}

}  // namespace
}  // namespace fazhi
