// Allocation at county and province scale, and how it grows when the input
// doubles. Not run by ctest: build target duty_allocate_bench and run
//   build/tests/duty_allocate_bench
// (a Release or RelWithDebInfo build; one core is enough).
//
// Instances are synthetic but shaped like real rosters: 20 domains, every
// officer qualified for one or two, one in five legally qualified, one in
// five powers needing 法制审核, a few with three officers, some officers not
// established or with a lapsed certificate.

#include <random>
#include <string>

#include "benchmark/benchmark.h"
#include "services/duty/allocate.h"

namespace fazhi::duty {
namespace {

const absl::CivilDay kDay(2024, 12, 31);

DutySnapshot Instance(int powers, int officers, int domains, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> percent(0, 99);
  auto domain = [&](int d) { return "领域" + std::to_string(d); };
  DutySnapshot s;
  for (int i = 0; i < officers; ++i) {
    Officer o;
    o.meta.id = "o" + std::to_string(i);
    o.person_id = "p" + std::to_string(100000 + i);
    o.domains = {domain(i % domains)};
    if (percent(rng) < 30) o.domains.push_back(domain(static_cast<int>(rng() % domains)));
    o.legal_qualification = percent(rng) < 20;
    o.established = percent(rng) < 95;
    o.max_load = 30;
    o.certificate = {"ZF" + std::to_string(i), absl::CivilDay(2015 + percent(rng) % 9, 1, 1),
                     absl::CivilDay(percent(rng) < 8 ? 2024 : 2027, 6, 30),
                     CertificateStatus::kValid};
    s.officers.push_back(o);
  }
  for (int i = 0; i < powers; ++i) {
    Power p;
    p.meta.id = "w" + std::to_string(i);
    p.code = "C" + std::to_string(1000000 + i);
    p.domain = domain(static_cast<int>(rng() % domains));
    p.type = static_cast<PowerType>(1 + percent(rng) % 10);
    p.required_officers = percent(rng) < 10 ? 3 : 2;
    p.needs_legal_review = percent(rng) < 20;
    s.powers.push_back(p);
  }
  return s;
}

// A fresh allocation: nothing assigned yet.
void BM_AllocateFresh(benchmark::State& state) {
  const int powers = static_cast<int>(state.range(0)), officers = static_cast<int>(state.range(1));
  DutySnapshot s = Instance(powers, officers, static_cast<int>(state.range(2)), 7);
  int staffed = 0;
  for (auto _ : state) {
    AllocationPlan plan = Allocate(s, kDay);
    staffed = plan.stats.staffed_powers;
    benchmark::DoNotOptimize(plan);
  }
  state.counters["staffed"] = staffed;
  state.SetComplexityN(powers);
}

// A re-run after a committed plan, with 2% of the officers' certificates
// lapsed since: every kept assignment is its own node in the network.
void BM_AllocateRerun(benchmark::State& state) {
  const int powers = static_cast<int>(state.range(0)), officers = static_cast<int>(state.range(1));
  DutySnapshot s = Instance(powers, officers, static_cast<int>(state.range(2)), 7);
  AllocationPlan first = Allocate(s, kDay);
  s.assignments = first.computed;
  std::mt19937 rng(11);
  for (Officer& o : s.officers) {
    if (rng() % 50 == 0) o.certificate.expiry = kDay - 1;
  }
  int changed = 0;
  for (auto _ : state) {
    AllocationPlan plan = Allocate(s, kDay);
    changed = plan.stats.added + plan.stats.removed;
    benchmark::DoNotOptimize(plan);
  }
  state.counters["changed"] = changed;
  state.SetComplexityN(powers);
}

// Two doubling series: a county (300 powers, 40 officers, 7 domains)
// doubled twice, and a province (10,000 powers, 2,000 officers, 20
// domains) halved three times. Args: powers, officers, domains.
void Sizes(benchmark::internal::Benchmark* b) {
  b->Args({300, 40, 7})->Args({600, 80, 7})->Args({1200, 160, 7});
  b->Args({1250, 250, 20})->Args({2500, 500, 20})->Args({5000, 1000, 20})->Args({10000, 2000, 20});
}

BENCHMARK(BM_AllocateFresh)->Apply(Sizes)->Unit(benchmark::kMillisecond)->Complexity();
BENCHMARK(BM_AllocateRerun)->Apply(Sizes)->Unit(benchmark::kMillisecond)->Complexity();

}  // namespace
}  // namespace fazhi::duty

BENCHMARK_MAIN();
