// What writing a log line's time costs: AppendLogTime (the date and clock
// time worked out once a second per thread) against what the formatters
// did before it, gmtime_r and absl::StrFormat for every line, in the same
// run. Google Benchmark; one thread and two (two threads share glibc's
// time-zone lock in gmtime_r).
//
//   ninja -C build log_time_bench && build/tests/log_time_bench

#include <benchmark/benchmark.h>

#include <chrono>
#include <ctime>
#include <string>

#include "absl/strings/str_format.h"
#include "services/common/logging.h"

namespace {

void BM_AppendLogTime(benchmark::State& state) {
  std::string line;
  for (auto _ : state) {
    line.clear();
    fazhi::AppendLogTime(std::chrono::system_clock::now(), line);
    benchmark::DoNotOptimize(line.data());
  }
}
BENCHMARK(BM_AppendLogTime)->Threads(1)->Threads(2);

void BM_GmtimeAndStrFormat(benchmark::State& state) {
  std::string line;
  for (auto _ : state) {
    const int64_t micros = std::chrono::duration_cast<std::chrono::microseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
    const std::time_t seconds = static_cast<std::time_t>(micros / 1000000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    line = absl::StrFormat("%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", utc.tm_year + 1900,
                           utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                           static_cast<int>(micros % 1000000));
    benchmark::DoNotOptimize(line.data());
  }
}
BENCHMARK(BM_GmtimeAndStrFormat)->Threads(1)->Threads(2);

}  // namespace

BENCHMARK_MAIN();
