#include "services/common/bounded_parallel.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace fazhi {

void ForEachBounded(size_t count, size_t workers, const std::function<void(size_t)>& work) {
  std::atomic<size_t> next{0};
  auto drain = [&] {
    for (size_t i; (i = next.fetch_add(1)) < count;) work(i);
  };
  // The calling thread is one of the workers.
  const size_t extra = std::min(std::max<size_t>(workers, 1), count) - (count > 0 ? 1 : 0);
  std::vector<std::thread> threads;
  threads.reserve(extra);
  for (size_t k = 0; k < extra; ++k) threads.emplace_back(drain);
  drain();
  for (std::thread& t : threads) t.join();
}

}  // namespace fazhi
