#include "services/duty/coverage.h"

#include <map>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace fazhi::duty {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

const absl::CivilDay kDay(2024, 12, 31);

Officer MakeOfficer(const std::string& id, std::vector<std::string> domains, bool legal,
                    absl::CivilDay expiry, int hours) {
  Officer o;
  o.meta.org = "org-a";
  o.meta.id = id;
  o.person_id = "p-" + id;
  o.display_name = "name-" + id;
  o.domains = std::move(domains);
  o.legal_qualification = legal;
  o.established = true;
  o.certificate = {"ZF-" + id, absl::CivilDay(2020, 1, 1), expiry, CertificateStatus::kValid};
  o.training = {{2024, hours}, {2023, 99}};
  return o;
}

Power MakePower(const std::string& id, const std::string& domain, PowerType type,
                bool review = false) {
  Power p;
  p.meta.org = "org-a";
  p.meta.id = id;
  p.code = "C-" + id;
  p.item_name = "item " + id;
  p.type = type;
  p.domain = domain;
  p.needs_legal_review = review;
  return p;
}

Assignment Assign(const std::string& power, const std::string& officer, AssignmentRole role) {
  Assignment a;
  a.meta.id = AssignmentId(power, officer);
  a.power_id = power;
  a.officer_id = officer;
  a.role = role;
  a.origin = AssignmentOrigin::kComputed;
  return a;
}

// 社会救助: two powers, well staffed. 殡葬: one power, one valid officer and
// one expired. 慈善: a power nobody holds. 养老服务: expiring certificate.
DutySnapshot County() {
  DutySnapshot s;
  s.powers = {MakePower("a1", "社会救助", PowerType::kPayment, true),
              MakePower("a2", "社会救助", PowerType::kConfirmation),
              MakePower("b1", "殡葬", PowerType::kPenalty, true),
              MakePower("c1", "慈善", PowerType::kInspection),
              MakePower("d1", "养老服务", PowerType::kPenalty)};
  Officer revoked = MakeOfficer("o6", {"慈善"}, false, absl::CivilDay(2026, 1, 1), 10);
  revoked.certificate.status = CertificateStatus::kRevoked;
  Officer temp = MakeOfficer("o7", {"养老服务"}, false, absl::CivilDay(2026, 1, 1), 0);
  temp.established = false;
  temp.certificate = {};
  s.officers = {MakeOfficer("o1", {"社会救助"}, true, absl::CivilDay(2026, 6, 30), 60),
                MakeOfficer("o2", {"社会救助", "养老服务"}, false, absl::CivilDay(2025, 2, 1), 72),
                MakeOfficer("o3", {"殡葬"}, false, absl::CivilDay(2026, 6, 30), 30),
                MakeOfficer("o4", {"殡葬", "养老服务"}, true, absl::CivilDay(2024, 3, 31), 61),
                MakeOfficer("o5", {"养老服务"}, false, absl::CivilDay(2027, 1, 1), 59),
                revoked,
                temp};
  s.assignments = {Assign("a1", "o1", AssignmentRole::kLead),
                   Assign("a1", "o2", AssignmentRole::kAssistant),
                   Assign("a2", "o1", AssignmentRole::kAssistant),
                   Assign("a2", "o2", AssignmentRole::kLead),
                   Assign("b1", "o3", AssignmentRole::kLead),
                   Assign("b1", "o4", AssignmentRole::kAssistant),
                   Assign("d1", "o2", AssignmentRole::kLead),
                   Assign("d1", "o5", AssignmentRole::kAssistant)};
  return s;
}

std::vector<std::pair<GapType, std::string>> Gaps(const CoverageReport& r) {
  std::vector<std::pair<GapType, std::string>> out;
  for (const Gap& g : r.gaps)
    out.emplace_back(g.type, g.power_code.empty() ? g.officer_id.empty() ? g.domain : g.officer_id
                                                  : g.power_code);
  return out;
}

TEST(CoverageTest, TotalsAreExact) {
  CoverageOptions options;
  options.as_of = kDay;
  CoverageReport r = Cover(County(), options);
  const DutyTotals& t = r.totals;
  EXPECT_EQ(t.powers, 5);
  EXPECT_THAT(t.powers_by_type,
              ElementsAre(Pair(PowerType::kPenalty, 2), Pair(PowerType::kPayment, 1),
                          Pair(PowerType::kInspection, 1), Pair(PowerType::kConfirmation, 1)));
  EXPECT_THAT(t.powers_by_domain, ElementsAre(Pair("养老服务", 1), Pair("慈善", 1), Pair("殡葬", 1),
                                              Pair("社会救助", 2)));
  EXPECT_EQ(t.powers_needing_legal_review, 2);
  EXPECT_EQ(t.staffed_powers, 3);  // a1, a2, d1
  EXPECT_EQ(t.assignments, 8);
  EXPECT_EQ(t.officers, 7);
  EXPECT_EQ(t.established_officers, 6);
  EXPECT_EQ(t.certified_officers, 4);  // o1, o2, o3, o5 (o4 expired, o6 revoked, o7 none)
  EXPECT_EQ(t.legally_qualified_officers, 2);
  EXPECT_EQ(t.certified_legally_qualified_officers, 1);
  EXPECT_EQ(t.training_year, 2024);
  // Training is an enforcement officer's: established, certificate valid on
  // the day (o1, o2, o3, o5; not o4 expired, o6 revoked, o7 not established).
  EXPECT_EQ(t.training_officers, 4);
  EXPECT_EQ(t.training_hours, 60 + 72 + 30 + 59);
  EXPECT_EQ(t.officers_meeting_training, 2);  // o1, o2
  EXPECT_EQ(t.required_training_hours, 60);
}

TEST(CoverageTest, EveryGapWithItsEvidence) {
  CoverageOptions options;
  options.as_of = kDay;
  CoverageReport r = Cover(County(), options);
  EXPECT_THAT(Gaps(r), ElementsAre(Pair(GapType::kUnderstaffedPower, "C-b1"),
                                   Pair(GapType::kDomainWithoutLegalReviewer, "养老服务"),
                                   Pair(GapType::kDomainWithoutLegalReviewer, "慈善"),
                                   Pair(GapType::kDomainWithoutLegalReviewer, "殡葬"),
                                   Pair(GapType::kCertificateExpired, "o4"),
                                   Pair(GapType::kCertificateExpiring, "o2"),
                                   Pair(GapType::kTrainingHoursShort, "o3"),
                                   Pair(GapType::kTrainingHoursShort, "o5"),
                                   Pair(GapType::kPowerUnassigned, "C-c1"),
                                   Pair(GapType::kCertificateNotValid, "o6"),
                                   Pair(GapType::kPowerWithoutLegalReviewer, "C-b1")));
  const Gap& understaffed = r.gaps[0];
  EXPECT_EQ(understaffed.domain, "殡葬");
  EXPECT_EQ(understaffed.required, 2);
  EXPECT_EQ(understaffed.actual, 1);
  EXPECT_THAT(understaffed.detail, HasSubstr("2 assigned, 1 of them"));
  const Gap& expired = r.gaps[4];
  EXPECT_EQ(expired.certificate_number, "ZF-o4");
  EXPECT_EQ(expired.date, absl::CivilDay(2024, 3, 31));
  EXPECT_EQ(expired.days, -275);
  const Gap& expiring = r.gaps[5];
  EXPECT_EQ(expiring.days, 32);
  const Gap& short_hours = r.gaps[7];
  EXPECT_EQ(short_hours.required, 60);
  EXPECT_EQ(short_hours.actual, 59);
  EXPECT_THAT(
      r.gap_counts,
      ElementsAre(
          Pair(GapType::kUnderstaffedPower, 1), Pair(GapType::kDomainWithoutLegalReviewer, 3),
          Pair(GapType::kCertificateExpired, 1), Pair(GapType::kCertificateExpiring, 1),
          Pair(GapType::kTrainingHoursShort, 2), Pair(GapType::kPowerUnassigned, 1),
          Pair(GapType::kCertificateNotValid, 1), Pair(GapType::kPowerWithoutLegalReviewer, 1)));
}

TEST(CoverageTest, OptionsChangeTheThresholds) {
  CoverageOptions options;
  options.as_of = kDay;
  options.expiring_within_days = 10;
  options.required_training_hours = 30;
  options.training_year = 2023;
  CoverageReport r = Cover(County(), options);
  int expiring = 0, short_training = 0;
  for (const Gap& g : r.gaps) {
    expiring += g.type == GapType::kCertificateExpiring;
    short_training += g.type == GapType::kTrainingHoursShort;
  }
  EXPECT_EQ(expiring, 0);
  EXPECT_EQ(short_training, 0) << "2023: everyone trained 99 hours";
  EXPECT_EQ(r.totals.training_hours, 99 * 4);  // the four enforcement officers
}

TEST(CoverageTest, EachPowerGapSaysWhyThePowerIsNotLawfullyStaffed) {
  CoverageOptions options;
  options.as_of = kDay;
  CoverageReport r = Cover(County(), options);
  std::map<std::pair<GapType, std::string>, UnstaffedReason> reasons;
  for (const Gap& g : r.gaps) {
    if (!g.power_code.empty()) reasons[{g.type, g.power_code}] = g.reason;
  }
  // 殡葬: o3 and o4 qualified, o4's certificate expired.
  EXPECT_EQ((reasons[{GapType::kUnderstaffedPower, "C-b1"}]),
            UnstaffedReason::kCertificatesNotValid);
  EXPECT_EQ((reasons[{GapType::kPowerWithoutLegalReviewer, "C-b1"}]),
            UnstaffedReason::kCertificatesNotValid);
  // 慈善: only o6 is qualified.
  EXPECT_EQ((reasons[{GapType::kPowerUnassigned, "C-c1"}]), UnstaffedReason::kNoQualifiedOfficer);
  for (const Gap& g : r.gaps) {
    if (g.power_code.empty()) {
      EXPECT_EQ(g.reason, UnstaffedReason::kUnspecified);
    }
  }
}

TEST(CoverageTest, TwoValidHoldersWithoutALegalQualificationLackAReviewerNotOfficers) {
  DutySnapshot s = County();
  s.powers.push_back(MakePower("e1", "社会救助", PowerType::kPenalty, /*review=*/true));
  s.officers[0].legal_qualification = false;  // o1: now nobody in 社会救助 is
  s.assignments.push_back(Assign("e1", "o2", AssignmentRole::kLead));
  s.assignments.push_back(Assign("e1", "o1", AssignmentRole::kAssistant));
  CoverageOptions options;
  options.as_of = kDay;
  CoverageReport r = Cover(s, options);
  bool found = false;
  for (const Gap& g : r.gaps) {
    if (g.power_code != "C-e1") continue;
    EXPECT_EQ(g.type, GapType::kPowerWithoutLegalReviewer);  // two valid officers: not understaffed
    EXPECT_EQ(g.reason, UnstaffedReason::kNoLegalReviewer);
    found = true;
  }
  EXPECT_TRUE(found);
}

TEST(CoverageTest, AnUnassignedPowerWithEligibleOfficersWithRoomIsNotAllocated) {
  DutySnapshot s = County();
  s.powers.push_back(MakePower("e1", "社会救助", PowerType::kInspection));
  CoverageOptions options;
  options.as_of = kDay;
  auto reason_of_e1 = [&](const DutySnapshot& snapshot) {
    for (const Gap& g : Cover(snapshot, options).gaps) {
      if (g.power_code == "C-e1") return g.reason;
    }
    return UnstaffedReason::kUnspecified;
  };
  EXPECT_EQ(reason_of_e1(s), UnstaffedReason::kNotAllocated);
  // o1 holds 2 powers, o2 holds 3: at those loads nobody has room.
  s.officers[0].max_load = 2;
  s.officers[1].max_load = 3;
  EXPECT_EQ(reason_of_e1(s), UnstaffedReason::kAllAtCapacity);
}

TEST(CoverageTest, DomainFiguresCountEstablishedValidAndLegal) {
  CoverageOptions options;
  options.as_of = kDay;
  CoverageReport r = Cover(County(), options);
  ASSERT_EQ(r.domains.size(), 4u);
  const DomainCoverage& elderly = r.domains[0];
  EXPECT_EQ(elderly.domain, "养老服务");
  EXPECT_EQ(elderly.officers, 3);  // o2, o4, o5 (o7 not established)
  EXPECT_EQ(elderly.valid_certified_officers, 2);
  EXPECT_EQ(elderly.legally_qualified_officers, 0);
  const DomainCoverage& relief = r.domains[3];
  EXPECT_EQ(relief.staffed_powers, 2);
  EXPECT_EQ(relief.legally_qualified_officers, 1);
}

TEST(CoverageTest, HandMadeAssignmentChecksSayWhy) {
  AssignmentContext c;
  c.power = MakePower("b1", "殡葬", PowerType::kPenalty);
  c.officer = MakeOfficer("o4", {"养老服务"}, false, absl::CivilDay(2024, 3, 31), 0);
  absl::Status s = CheckEligibleByHand(c, kDay);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("expired on 2024-03-31"));
  EXPECT_THAT(s.message(), HasSubstr("not qualified for the domain \"殡葬\""));

  c.officer = MakeOfficer("o3", {"殡葬"}, false, absl::CivilDay(2026, 1, 1), 0);
  EXPECT_TRUE(CheckEligibleByHand(c, kDay).ok());
  c.officer.max_load = 1;
  c.officer_assignments = {Assign("x", "o3", AssignmentRole::kLead)};
  EXPECT_THAT(CheckEligibleByHand(c, kDay).message(), HasSubstr("maximum load of 1"));

  c.power_assignments = {Assign("b1", "o9", AssignmentRole::kLead)};
  EXPECT_EQ(CheckSingleLead(c, Assign("b1", "o3", AssignmentRole::kLead)).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(CheckSingleLead(c, Assign("b1", "o3", AssignmentRole::kAssistant)).ok());
}

TEST(CoverageTest, DefaultAsOfIsYearEndOrToday) {
  EXPECT_EQ(DefaultAsOf(2024, absl::CivilDay(2026, 3, 1)), absl::CivilDay(2024, 12, 31));
  EXPECT_EQ(DefaultAsOf(2026, absl::CivilDay(2026, 3, 1)), absl::CivilDay(2026, 3, 1));
}

}  // namespace
}  // namespace fazhi::duty
