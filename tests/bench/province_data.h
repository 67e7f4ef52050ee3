#ifndef FAZHI_TESTS_BENCH_PROVINCE_DATA_H_
#define FAZHI_TESTS_BENCH_PROVINCE_DATA_H_

// A made-up province's records, deterministically: every row is a function
// of (seed, organization, year, row number) only, so the same seed gives the
// same data in any order of loading, and organization 1 of a 2,000-strong
// province is the very organization that `--orgs=1` makes.
//
// Organizations are departments of counties: 20 departments a county
// (民政局, 市场监督管理局, …, each with its enforcement domains), ten
// counties a city. Each has a staff roster; its officers are the first of
// the roster, and named attendees of study sessions come from it, so the
// head's attendance and the officers' training mean something.
//
// The proto messages are exactly what fazhi-generate sends through the
// public RPCs; output-only fields are left empty.

#include <cstdint>
#include <string>
#include <vector>

#include "fazhi/duty/v1/duty.pb.h"
#include "fazhi/report/v1/report.pb.h"
#include "fazhi/study/v1/study.pb.h"

namespace fazhi::bench {

// The size of the province and of each organization's records.
struct ProvinceShape {
  int orgs = 2000;
  int years = 5;
  int last_year = 2024;  // years are last_year - years + 1 … last_year
  int sessions_per_year = 100;
  int events_per_year = 12;
  int powers = 50;
  int officers = 20;
  int posts = 3;
  uint64_t seed = 1;

  int first_year() const { return last_year - years + 1; }
};

// Row counts of the whole province, for progress and reports.
struct ProvinceCounts {
  int64_t organizations = 0, reports = 0, plans = 0, sessions = 0, events = 0, posts = 0,
          powers = 0, officers = 0;
  int64_t rows() const {
    return organizations + reports + plans + sessions + events + posts + powers + officers;
  }
};
ProvinceCounts CountsOf(const ProvinceShape& shape);

// A small deterministic generator (splitmix64). The standard library's
// distributions differ between implementations; these do not.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  // Seeded from several numbers (seed, org, year, stream).
  static Rng Of(uint64_t a, uint64_t b, uint64_t c = 0, uint64_t d = 0);

  uint64_t Next();
  // Uniform in [lo, hi].
  int Between(int lo, int hi);
  bool Chance(double p);
  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[Between(0, static_cast<int>(items.size()) - 1)];
  }

 private:
  uint64_t state_;
};

// 1-based organization index → slug, e.g. 1 → "c001-minzheng".
std::string OrgSlug(int org);
// "orgs/" + slug.
std::string OrgName(int org);

// One person of an organization's staff roster.
struct Person {
  std::string person_id;
  std::string name;
  bool head = false;
};
std::vector<Person> Roster(const ProvinceShape& shape, int org);

fazhi::report::v1::Organization MakeOrganization(const ProvinceShape& shape, int org);
// The report of a year: a preamble and a few paragraphs with fact
// placeholders, the other items left to the composer's draft.
fazhi::report::v1::Report MakeReport(const ProvinceShape& shape, int org, int year);
fazhi::study::v1::StudyPlan MakePlan(const ProvinceShape& shape, int org, int year);
std::vector<fazhi::study::v1::Session> MakeSessions(const ProvinceShape& shape, int org, int year);
std::vector<fazhi::study::v1::PublicityEvent> MakeEvents(const ProvinceShape& shape, int org,
                                                         int year);
// Posts carry their client-chosen id in `name` ("orgs/{org}/posts/{id}").
std::vector<fazhi::duty::v1::Post> MakePosts(const ProvinceShape& shape, int org);
std::vector<fazhi::duty::v1::Power> MakePowers(const ProvinceShape& shape, int org);
std::vector<fazhi::duty::v1::Officer> MakeOfficers(const ProvinceShape& shape, int org);

}  // namespace fazhi::bench

#endif  // FAZHI_TESTS_BENCH_PROVINCE_DATA_H_
