// The made-up province of fazhi-generate: the same seed gives the same rows,
// another seed other rows, organization N is the same whatever the size of
// the province, and every row is one the services' own validators accept
// (so a load never stops on a rejected row).

#include "tests/bench/province_data.h"

#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/common/validation.h"
#include "services/duty/validate.h"
#include "services/report/validate.h"
#include "services/study/validate.h"

namespace fazhi::bench {
namespace {

std::string Violations(const FieldViolations& v) { return v.ToStatus().ToString(); }

template <typename Rows>
std::string Serialized(const Rows& rows) {
  std::string out;
  for (const auto& r : rows) out += r.SerializeAsString();
  return out;
}

// Everything one organization gets, serialized.
std::string AllOf(const ProvinceShape& shape, int org) {
  std::string out = MakeOrganization(shape, org).SerializeAsString();
  for (int year = shape.first_year(); year <= shape.last_year; ++year) {
    out += MakeReport(shape, org, year).SerializeAsString();
    out += MakePlan(shape, org, year).SerializeAsString();
    out += Serialized(MakeSessions(shape, org, year));
    out += Serialized(MakeEvents(shape, org, year));
  }
  return out + Serialized(MakePosts(shape, org)) + Serialized(MakePowers(shape, org)) +
         Serialized(MakeOfficers(shape, org));
}

TEST(ProvinceDataTest, SameSeedSameRowsOtherSeedOtherRows) {
  ProvinceShape shape;
  shape.orgs = 30;
  EXPECT_EQ(AllOf(shape, 7), AllOf(shape, 7));
  ProvinceShape reseeded = shape;
  reseeded.seed = 2;
  EXPECT_NE(AllOf(shape, 7), AllOf(reseeded, 7));
  EXPECT_NE(AllOf(shape, 7), AllOf(shape, 8));
}

TEST(ProvinceDataTest, AnOrganizationDoesNotDependOnTheProvinceSize) {
  ProvinceShape one;
  one.orgs = 1;
  ProvinceShape province;
  EXPECT_EQ(AllOf(one, 1), AllOf(province, 1));
}

TEST(ProvinceDataTest, CountsMatchTheShape) {
  ProvinceShape shape;
  const ProvinceCounts c = CountsOf(shape);
  EXPECT_EQ(c.sessions, 1'000'000);
  EXPECT_EQ(c.powers, 100'000);
  EXPECT_EQ(c.officers, 40'000);
  EXPECT_EQ(c.events, 120'000);
  EXPECT_EQ(static_cast<int>(MakeSessions(shape, 5, 2022).size()), shape.sessions_per_year);
  EXPECT_EQ(static_cast<int>(MakePowers(shape, 5).size()), shape.powers);
  EXPECT_EQ(static_cast<int>(MakeOfficers(shape, 5).size()), shape.officers);
}

TEST(ProvinceDataTest, SlugsAndCreditCodesAreUniqueAcrossTheProvince) {
  ProvinceShape shape;
  std::set<std::string> slugs, codes;
  for (int org = 1; org <= shape.orgs; ++org) {
    EXPECT_TRUE(slugs.insert(OrgSlug(org)).second) << OrgSlug(org);
    EXPECT_TRUE(codes.insert(MakeOrganization(shape, org).credit_code()).second) << org;
  }
}

TEST(ProvinceDataTest, EveryRowPassesTheServicesValidation) {
  ProvinceShape shape;
  // A spread of organizations: every department, several counties and cities.
  for (int org : {1, 2, 15, 20, 21, 199, 200, 201, 1234, 2000}) {
    const std::string slug = OrgSlug(org);
    SCOPED_TRACE(slug);
    FieldViolations v;
    fazhi::report::ValidateOrganization(MakeOrganization(shape, org), "organization.", slug, v);
    for (int year = shape.first_year(); year <= shape.last_year; ++year) {
      fazhi::report::ValidateReportContent(MakeReport(shape, org, year), "report.", v);
      fazhi::study::ValidatePlan(MakePlan(shape, org, year), "study_plan.", v);
      std::set<std::string> external_ids;
      for (const auto& s : MakeSessions(shape, org, year)) {
        fazhi::study::ValidateSession(s, "session.", v);
        EXPECT_TRUE(external_ids.insert(s.external_id()).second) << s.external_id();
        EXPECT_EQ(s.date().year(), year);
      }
      for (const auto& e : MakeEvents(shape, org, year)) {
        fazhi::study::ValidateEvent(e, "event.", v);
        EXPECT_TRUE(external_ids.insert(e.external_id()).second) << e.external_id();
      }
    }
    for (const auto& p : MakePosts(shape, org)) fazhi::duty::ValidatePost(p, "post.", v);
    std::set<std::string> codes;
    for (const auto& p : MakePowers(shape, org)) {
      fazhi::duty::ValidatePower(p, "power.", slug, v);
      EXPECT_TRUE(codes.insert(p.code()).second) << p.code();
    }
    std::set<std::string> people, certificates;
    for (const auto& o : MakeOfficers(shape, org)) {
      fazhi::duty::ValidateOfficer(o, "officer.", slug, v);
      EXPECT_TRUE(people.insert(o.person_id()).second) << o.person_id();
      if (!o.certificate().number().empty()) {
        EXPECT_TRUE(certificates.insert(o.certificate().number()).second)
            << o.certificate().number();
      }
    }
    EXPECT_TRUE(v.empty()) << Violations(v);
  }
}

TEST(ProvinceDataTest, AttendanceNamesTheRoster) {
  ProvinceShape shape;
  const std::vector<Person> roster = Roster(shape, 3);
  std::set<std::string> staff;
  for (const Person& p : roster) staff.insert(p.person_id);
  int named = 0, head_present = 0;
  for (const auto& s : MakeSessions(shape, 3, 2024)) {
    for (const auto& a : s.attendees()) {
      EXPECT_TRUE(staff.count(a.person_id())) << a.person_id();
      ++named;
      head_present += a.is_head() ? 1 : 0;
    }
  }
  EXPECT_GT(named, shape.sessions_per_year * 5);
  EXPECT_GT(head_present, 0);
}

}  // namespace
}  // namespace fazhi::bench
