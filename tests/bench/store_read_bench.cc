// One record read through the study store, without gRPC: what a GetSession
// call pays for its store (docs/performance.md). Threads 1–8 share one
// database as the server's handler threads do. Not run by ctest:
//   ninja -C build store_read_bench && build/tests/store_read_bench
// FAZHI_BENCH_DB=postgresql://… reads from that (empty) database instead
// of a temporary SQLite file.

#include <cstdlib>
#include <memory>
#include <string>

#include "benchmark/benchmark.h"
#include "services/common/sql/database.h"
#include "services/common/sql/migrations.h"
#include "services/study/sql_study_store.h"
#include "tests/testing/temp_dir.h"

namespace fazhi::study {
namespace {

struct Fixture {
  fazhi::testing::TempDir dir;
  std::unique_ptr<sql::Database> db;
  std::unique_ptr<SqlStudyStore> store;
  std::string id;

  Fixture() {
    const char* url = std::getenv("FAZHI_BENCH_DB");
    auto created = sql::CreateDatabase(url != nullptr ? url : "sqlite:" + dir.File("study.db"));
    if (!created.ok()) std::abort();
    db = *std::move(created);
    if (!db->Open().ok()) std::abort();
    if (!sql::ApplyMigrations(*db, Migrations()).ok()) std::abort();
    store = std::make_unique<SqlStudyStore>(db.get());
    Session s;
    s.meta.org = "bench";
    s.meta.id = id = "s1";
    s.date = absl::CivilDay(2024, 3, 1);
    s.kind = StudyKind::kAllStaff;
    s.title = "集中学习《中华人民共和国行政处罚法》";
    s.laws = {"行政处罚法", "行政许可法"};
    s.duration_minutes = 90;
    for (int i = 0; i < 16; ++i)
      s.attendees.push_back({"p" + std::to_string(i), "干部" + std::to_string(i), i == 0});
    s.head_attended = true;
    s.evidence = {"minutes.pdf"};
    if (!store->CreateSession(s, {}).ok()) std::abort();
  }
};

Fixture& Shared() {
  static Fixture* fixture = new Fixture();
  return *fixture;
}

void BM_GetSession(benchmark::State& state) {
  Fixture& f = Shared();
  for (auto _ : state) {
    auto session = f.store->GetSession("bench", f.id);
    if (!session.ok()) state.SkipWithError("read failed");
    benchmark::DoNotOptimize(session);
  }
}
BENCHMARK(BM_GetSession)->ThreadRange(1, 8)->UseRealTime();

}  // namespace
}  // namespace fazhi::study

BENCHMARK_MAIN();
