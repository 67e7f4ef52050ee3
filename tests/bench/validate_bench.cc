// Validating one imported row (ValidateSession), without gRPC or a store:
// what an import pays per row before its transaction opens
// (docs/performance.md). Not run by ctest:
//   ninja -C build validate_bench && build/tests/validate_bench

#include <string>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "services/common/validation.h"
#include "services/study/validate.h"

namespace fazhi::study {
namespace {

// A session as the province load makes one: 16 named attendees, two laws,
// evidence, an external id.
v1::Session ImportedSession() {
  v1::Session s;
  s.mutable_date()->set_year(2024);
  s.mutable_date()->set_month(3);
  s.mutable_date()->set_day(1);
  s.set_kind(v1::STUDY_KIND_ALL_STAFF);
  s.set_title("集中学习《中华人民共和国行政处罚法》");
  s.add_laws("行政处罚法");
  s.add_laws("行政许可法");
  s.set_duration_minutes(90);
  s.set_location("局三楼会议室");
  for (int i = 0; i < 16; ++i) {
    auto* a = s.add_attendees();
    a->set_person_id(absl::StrCat("c001-minzheng-p", i));
    a->set_display_name(absl::StrCat("干部", i));
  }
  s.set_attendee_count(16);
  s.set_external_id("c001-minzheng-2024-s00001");
  s.add_evidence("会议记录.pdf");
  s.set_notes("会后开展了知识测试。");
  return s;
}

void BM_ValidateSession(benchmark::State& state) {
  const v1::Session session = ImportedSession();
  for (auto _ : state) {
    FieldViolations v;
    ValidateSession(session, "sessions[123].", v);
    if (!v.empty()) state.SkipWithError("the row was refused");
    benchmark::DoNotOptimize(v);
  }
}
BENCHMARK(BM_ValidateSession);

}  // namespace
}  // namespace fazhi::study

BENCHMARK_MAIN();
