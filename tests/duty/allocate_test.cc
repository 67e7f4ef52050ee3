// Allocation: the hard rules on hand-made and random instances, and
// optimality against exhaustive search on small ones.

#include "services/duty/allocate.h"

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace fazhi::duty {
namespace {

using ::testing::ElementsAre;

const absl::CivilDay kDay(2024, 6, 30);

Officer MakeOfficer(const std::string& id, std::vector<std::string> domains, bool legal = false,
                    int max_load = 10) {
  Officer o;
  o.meta.id = id;
  o.person_id = "p-" + id;
  o.display_name = id;
  o.domains = std::move(domains);
  o.legal_qualification = legal;
  o.max_load = max_load;
  o.established = true;
  o.certificate = {"ZF-" + id, absl::CivilDay(2022, 1, 1), absl::CivilDay(2026, 12, 31),
                   CertificateStatus::kValid};
  return o;
}

Power MakePower(const std::string& id, const std::string& domain, int required = 0,
                bool review = false) {
  Power p;
  p.meta.id = id;
  p.code = "C-" + id;
  p.item_name = "power " + id;
  p.type = PowerType::kPenalty;
  p.domain = domain;
  p.required_officers = required;
  p.needs_legal_review = review;
  return p;
}

Assignment MakeAssignment(const std::string& power, const std::string& officer,
                          AssignmentOrigin origin,
                          AssignmentRole role = AssignmentRole::kAssistant) {
  Assignment a;
  a.meta.id = AssignmentId(power, officer);
  a.power_id = power;
  a.officer_id = officer;
  a.origin = origin;
  a.role = role;
  return a;
}

// Sorts like the store does: powers by code, officers by person_id.
void Normalize(DutySnapshot& s) {
  std::sort(s.powers.begin(), s.powers.end(),
            [](const Power& a, const Power& b) { return a.code < b.code; });
  std::sort(s.officers.begin(), s.officers.end(),
            [](const Officer& a, const Officer& b) { return a.person_id < b.person_id; });
}

// Officer ids per power id in the plan (pins included).
std::map<std::string, std::set<std::string>> OfficersByPower(const DutySnapshot& s,
                                                             const AllocationPlan& plan) {
  std::map<std::string, std::set<std::string>> out;
  for (const PowerPlan& pp : plan.staffed) {
    for (const PlannedOfficer& o : pp.officers) {
      out[s.powers[pp.power].meta.id].insert(s.officers[o.officer].meta.id);
    }
  }
  return out;
}

// Every hard rule of allocate.h, checked on a plan.
void ExpectLawful(const DutySnapshot& s, absl::CivilDay day, const AllocationPlan& plan) {
  std::vector<int32_t> loads(s.officers.size(), 0);
  std::set<std::string> pinned_ids;
  for (const Assignment& a : s.assignments) {
    if (a.origin == AssignmentOrigin::kPinned) pinned_ids.insert(a.meta.id);
  }
  std::set<std::string> seen_pins;
  std::set<size_t> seen_powers;
  auto count = [&](const std::vector<PlannedOfficer>& officers, size_t p) {
    std::set<size_t> distinct;
    for (const PlannedOfficer& o : officers) {
      EXPECT_TRUE(distinct.insert(o.officer).second) << "officer twice on power " << p;
      ++loads[o.officer];
      const std::string id = AssignmentId(s.powers[p].meta.id, s.officers[o.officer].meta.id);
      if (o.origin == AssignmentOrigin::kPinned) {
        EXPECT_TRUE(pinned_ids.count(id)) << id << " is not a stored pin";
        seen_pins.insert(id);
      } else {
        EXPECT_TRUE(EligibleFor(s.officers[o.officer], s.powers[p], day))
            << s.officers[o.officer].meta.id << " may not enforce " << s.powers[p].meta.id;
      }
    }
  };
  for (const PowerPlan& pp : plan.staffed) {
    EXPECT_TRUE(seen_powers.insert(pp.power).second);
    count(pp.officers, pp.power);
    const Power& power = s.powers[pp.power];
    int lawful = 0, legal = 0, leads = 0;
    for (const PlannedOfficer& o : pp.officers) {
      if (o.role == AssignmentRole::kLead) ++leads;
      if (!EligibleFor(s.officers[o.officer], power, day)) continue;
      ++lawful;
      if (s.officers[o.officer].legal_qualification) ++legal;
    }
    EXPECT_GE(lawful, std::max(2, power.required_officers)) << power.meta.id;
    if (power.needs_legal_review) {
      EXPECT_GE(legal, 1) << power.meta.id;
    }
    EXPECT_LE(leads, 1) << power.meta.id;
  }
  for (const UnstaffedPower& u : plan.unstaffed) {
    EXPECT_TRUE(seen_powers.insert(u.power).second);
    EXPECT_NE(u.reason, UnstaffedReason::kUnspecified);
    EXPECT_FALSE(u.detail.empty());
    count(u.pinned, u.power);
    for (const PlannedOfficer& o : u.pinned) EXPECT_EQ(o.origin, AssignmentOrigin::kPinned);
  }
  EXPECT_EQ(seen_powers.size(), s.powers.size()) << "every power is staffed or reported";
  EXPECT_EQ(seen_pins, pinned_ids) << "every pin stays";
  for (size_t o = 0; o < s.officers.size(); ++o) {
    EXPECT_EQ(loads[o], plan.loads[o]);
    int pinned = 0;
    for (const Assignment& a : s.assignments) {
      if (a.origin == AssignmentOrigin::kPinned && a.officer_id == s.officers[o].meta.id) ++pinned;
    }
    EXPECT_LE(loads[o], std::max(pinned, s.officers[o].MaxLoad())) << s.officers[o].meta.id;
  }
}

TEST(AllocateTest, NeverFewerThanTwoOfficersEvenWhenOneIsAsked) {
  DutySnapshot s;
  s.powers = {MakePower("p1", "殡葬", /*required=*/1)};
  s.officers = {MakeOfficer("a", {"殡葬"})};
  Normalize(s);
  AllocationPlan plan = Allocate(s, kDay);
  ASSERT_EQ(plan.unstaffed.size(), 1u);
  EXPECT_EQ(plan.unstaffed[0].reason, UnstaffedReason::kNoQualifiedOfficer);
  EXPECT_EQ(plan.unstaffed[0].required, 2);
  EXPECT_EQ(plan.unstaffed[0].qualified, 1);
  EXPECT_TRUE(plan.computed.empty()) << "one officer alone is never assigned";

  s.officers.push_back(MakeOfficer("b", {"殡葬"}));
  Normalize(s);
  plan = Allocate(s, kDay);
  ASSERT_EQ(plan.staffed.size(), 1u);
  EXPECT_EQ(plan.staffed[0].officers.size(), 2u);
  ExpectLawful(s, kDay, plan);
}

TEST(AllocateTest, ReasonsSayWhyAPowerIsUnstaffed) {
  DutySnapshot s;
  s.powers = {MakePower("none", "地名"), MakePower("expired", "慈善"),
              MakePower("review", "社会组织", 2, /*review=*/true), MakePower("busy-1", "养老服务"),
              MakePower("busy-2", "养老服务")};
  Officer old1 = MakeOfficer("c1", {"慈善"}), old2 = MakeOfficer("c2", {"慈善"});
  old1.certificate.expiry = absl::CivilDay(2024, 3, 31);
  old2.certificate.status = CertificateStatus::kSuspended;
  Officer unestablished = MakeOfficer("d1", {"地名"});
  unestablished.established = false;
  s.officers = {MakeOfficer("d2", {"地名"}),
                unestablished,
                old1,
                old2,
                MakeOfficer("s1", {"社会组织"}),
                MakeOfficer("s2", {"社会组织"}),
                MakeOfficer("y1", {"养老服务"}, false, 1),
                MakeOfficer("y2", {"养老服务"}, false, 1)};
  Normalize(s);
  AllocationPlan plan = Allocate(s, kDay);
  ExpectLawful(s, kDay, plan);
  std::map<std::string, UnstaffedReason> reasons;
  for (const auto& u : plan.unstaffed) reasons[s.powers[u.power].meta.id] = u.reason;
  EXPECT_EQ(reasons["none"], UnstaffedReason::kNoQualifiedOfficer);
  EXPECT_EQ(reasons["expired"], UnstaffedReason::kCertificatesNotValid);
  EXPECT_EQ(reasons["review"], UnstaffedReason::kNoLegalReviewer);
  // Two officers with room for one power each: one of the two powers.
  EXPECT_EQ(plan.staffed.size(), 1u);
  EXPECT_EQ(reasons.size(), 4u);
  EXPECT_TRUE(reasons.count("busy-1") + reasons.count("busy-2") == 1);
  for (const auto& [id, reason] : reasons) {
    if (id.rfind("busy", 0) == 0) {
      EXPECT_EQ(reason, UnstaffedReason::kAllAtCapacity);
    }
  }
}

TEST(AllocateTest, LegalReviewNeedsALegallyQualifiedOfficer) {
  DutySnapshot s;
  s.powers = {MakePower("p1", "社会组织", 3, /*review=*/true)};
  s.officers = {MakeOfficer("a", {"社会组织"}), MakeOfficer("b", {"社会组织"}),
                MakeOfficer("c", {"社会组织"}), MakeOfficer("law", {"社会组织"}, true)};
  Normalize(s);
  AllocationPlan plan = Allocate(s, kDay);
  ExpectLawful(s, kDay, plan);
  ASSERT_EQ(plan.staffed.size(), 1u);
  EXPECT_EQ(plan.staffed[0].officers.size(), 3u);
  EXPECT_EQ(OfficersByPower(s, plan)["p1"].count("law"), 1u);
}

TEST(AllocateTest, CertificateMustBeValidOnTheDay) {
  DutySnapshot s;
  s.powers = {MakePower("p1", "殡葬")};
  Officer late = MakeOfficer("late", {"殡葬"});
  late.certificate.issued = absl::CivilDay(2024, 7, 1);  // the day after
  Officer last_day = MakeOfficer("last", {"殡葬"});
  last_day.certificate.expiry = kDay;  // valid through the day itself
  s.officers = {late, last_day, MakeOfficer("ok", {"殡葬"})};
  Normalize(s);
  AllocationPlan plan = Allocate(s, kDay);
  ExpectLawful(s, kDay, plan);
  EXPECT_EQ(OfficersByPower(s, plan)["p1"], (std::set<std::string>{"last", "ok"}));
  plan = Allocate(s, kDay + 1);
  ASSERT_EQ(plan.unstaffed.size(), 0u) << "late is valid from 07-01, last is not";
  EXPECT_EQ(OfficersByPower(s, plan)["p1"], (std::set<std::string>{"late", "ok"}));
}

TEST(AllocateTest, PinsStayAndCountWhileLawful) {
  DutySnapshot s;
  s.powers = {MakePower("p1", "婚姻登记")};
  Officer expired = MakeOfficer("x", {"婚姻登记"});
  expired.certificate.expiry = absl::CivilDay(2024, 1, 1);
  s.officers = {MakeOfficer("a", {"婚姻登记"}), MakeOfficer("b", {"婚姻登记"}),
                MakeOfficer("c", {"婚姻登记"}), expired};
  s.assignments = {MakeAssignment("p1", "a", AssignmentOrigin::kPinned, AssignmentRole::kLead),
                   MakeAssignment("p1", "x", AssignmentOrigin::kPinned)};
  Normalize(s);
  AllocationPlan plan = Allocate(s, kDay);
  ExpectLawful(s, kDay, plan);
  ASSERT_EQ(plan.staffed.size(), 1u);
  // a (pinned lead) and x (pinned, expired: does not count) stay; one more.
  EXPECT_EQ(plan.staffed[0].officers.size(), 3u);
  EXPECT_EQ(plan.staffed[0].officers[0].role, AssignmentRole::kLead);
  EXPECT_EQ(s.officers[plan.staffed[0].officers[0].officer].meta.id, "a");
  ASSERT_EQ(plan.computed.size(), 1u);
  EXPECT_EQ(plan.computed[0].role, AssignmentRole::kAssistant);
}

TEST(AllocateTest, LeadIsTheMostSeniorComputedOfficer) {
  DutySnapshot s;
  s.powers = {MakePower("p1", "慈善")};
  Officer senior = MakeOfficer("zz", {"慈善"});
  senior.certificate.issued = absl::CivilDay(2015, 5, 1);
  s.officers = {MakeOfficer("aa", {"慈善"}), senior};
  Normalize(s);
  AllocationPlan plan = Allocate(s, kDay);
  ASSERT_EQ(plan.staffed.size(), 1u);
  EXPECT_EQ(s.officers[plan.staffed[0].officers[0].officer].meta.id, "zz");
  EXPECT_EQ(plan.staffed[0].officers[0].role, AssignmentRole::kLead);
  EXPECT_EQ(plan.staffed[0].officers[1].role, AssignmentRole::kAssistant);
}

TEST(AllocateTest, BalancesLoadAcrossOfficers) {
  DutySnapshot s;
  for (int i = 0; i < 12; ++i)
    s.powers.push_back(MakePower("p" + std::to_string(10 + i), "社会救助"));
  for (int i = 0; i < 8; ++i)
    s.officers.push_back(MakeOfficer("o" + std::to_string(i), {"社会救助"}));
  Normalize(s);
  AllocationPlan plan = Allocate(s, kDay);
  ExpectLawful(s, kDay, plan);
  EXPECT_EQ(plan.stats.staffed_powers, 12);
  // 24 slots over 8 officers: exactly 3 each.
  EXPECT_THAT(std::set<int32_t>(plan.loads.begin(), plan.loads.end()), ElementsAre(3));
  EXPECT_EQ(plan.stats.load_sum_of_squares, 8 * 9);
}

TEST(AllocateTest, RerunKeepsEveryLawfulAssignment) {
  DutySnapshot s;
  for (int i = 0; i < 9; ++i) {
    s.powers.push_back(
        MakePower("p" + std::to_string(i), i % 2 ? "养老服务" : "社会组织", 2, i % 3 == 0));
  }
  for (int i = 0; i < 7; ++i) {
    s.officers.push_back(MakeOfficer("o" + std::to_string(i),
                                     i < 4 ? std::vector<std::string>{"养老服务", "社会组织"}
                                           : std::vector<std::string>{"社会组织"},
                                     i % 3 == 0));
  }
  Normalize(s);
  AllocationPlan first = Allocate(s, kDay);
  ExpectLawful(s, kDay, first);
  for (Assignment a : first.computed) s.assignments.push_back(a);
  AllocationPlan second = Allocate(s, kDay);
  ExpectLawful(s, kDay, second);
  EXPECT_EQ(second.stats.added, 0);
  EXPECT_EQ(second.stats.removed, 0);
  EXPECT_EQ(second.stats.kept, static_cast<int>(first.computed.size()));

  // An officer's certificate lapses: only what they held moves.
  const std::string lapsed = s.officers[0].meta.id;
  s.officers[0].certificate.expiry = kDay - 1;
  int held = 0;
  for (const Assignment& a : s.assignments) held += a.officer_id == lapsed;
  AllocationPlan third = Allocate(s, kDay);
  ExpectLawful(s, kDay, third);
  EXPECT_GE(third.stats.removed, held);
  for (const Assignment& a : third.computed) EXPECT_NE(a.officer_id, lapsed);
  EXPECT_GT(third.stats.kept, 0);
}

TEST(AllocateTest, MergedPowersGetDistinctOfficersAndAReviewerEach) {
  DutySnapshot s;
  for (int i = 0; i < 40; ++i) {
    s.powers.push_back(MakePower("p" + std::to_string(100 + i), "区划地名", 3, /*review=*/true));
  }
  for (int i = 0; i < 10; ++i) {
    s.officers.push_back(MakeOfficer("o" + std::to_string(i), {"区划地名"}, i < 4, 40));
  }
  Normalize(s);
  AllocationPlan plan = Allocate(s, kDay);
  ExpectLawful(s, kDay, plan);
  EXPECT_EQ(plan.stats.staffed_powers, 40);
  EXPECT_EQ(plan.stats.max_load, 12);  // 120 slots, 10 officers
  EXPECT_EQ(plan.stats.min_load, 12);
}

TEST(AllocateTest, PricingFindsTheSameOptimumAsTheFullNetwork) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> coin(0, 99);
  const std::vector<std::string> domains = {"社会救助", "婚姻登记", "慈善"};
  int compared = 0;
  for (int instance = 0; instance < 10; ++instance) {
    DutySnapshot s;
    for (int i = 0; i < 25; ++i) {
      s.officers.push_back(MakeOfficer("o" + std::to_string(i),
                                       {domains[i % 3], domains[(i + instance) % 3]},
                                       coin(rng) < 30, 5 + coin(rng) % 6));
    }
    for (int i = 0; i < 60; ++i) {
      s.powers.push_back(MakePower("p" + std::to_string(i), domains[rng() % 3],
                                   coin(rng) < 20 ? 3 : 2, coin(rng) < 30));
    }
    Normalize(s);
    // Commit a first plan, then lapse some certificates: every power keeps
    // assignments and is modelled on its own.
    s.assignments = Allocate(s, kDay).computed;
    for (int i = 0; i < 4; ++i) s.officers[rng() % s.officers.size()].certificate.expiry = kDay - 1;
    AllocationTuning lean, full;
    lean.initial_extra_candidates = 0;
    full.initial_extra_candidates = 1000;
    AllocationPlan a = Allocate(s, kDay, lean);
    AllocationPlan b = Allocate(s, kDay, full);
    ExpectLawful(s, kDay, a);
    // Which powers go unstaffed when officers are short may differ (that
    // choice is not an optimum); for the same staffed powers the optimum is
    // the same.
    std::set<size_t> staffed_a, staffed_b;
    for (const PowerPlan& pp : a.staffed) staffed_a.insert(pp.power);
    for (const PowerPlan& pp : b.staffed) staffed_b.insert(pp.power);
    if (staffed_a != staffed_b) continue;
    ++compared;
    EXPECT_EQ(a.stats.load_sum_of_squares, b.stats.load_sum_of_squares) << instance;
    EXPECT_EQ(a.stats.max_load, b.stats.max_load) << instance;
    EXPECT_EQ(a.stats.added, b.stats.added) << instance;
  }
  EXPECT_GE(compared, 7);
}

// ---------------------------------------------------------------------------
// Exhaustive search on small instances.

struct Exhaustive {
  const DutySnapshot& s;
  absl::CivilDay day;
  // Per power: every lawful set of computed officers (as bit masks); the
  // empty set (unstaffed) is option 0 when `allow_unstaffed`.
  std::vector<std::vector<uint32_t>> options;
  std::vector<int32_t> base_load;  // pins
  std::vector<std::set<size_t>> existing;

  Exhaustive(const DutySnapshot& snapshot, absl::CivilDay d) : s(snapshot), day(d) {
    const size_t n = s.officers.size();
    base_load.assign(n, 0);
    existing.resize(s.powers.size());
    std::vector<std::set<size_t>> pinned(s.powers.size());
    for (const Assignment& a : s.assignments) {
      size_t p = 0, o = 0;
      while (s.powers[p].meta.id != a.power_id) ++p;
      while (s.officers[o].meta.id != a.officer_id) ++o;
      if (a.origin == AssignmentOrigin::kPinned) {
        ++base_load[o];
        pinned[p].insert(o);
      } else {
        existing[p].insert(o);
      }
    }
    options.resize(s.powers.size());
    for (size_t p = 0; p < s.powers.size(); ++p) {
      for (uint32_t mask = 0; mask < (1u << n); ++mask) {
        bool ok = true;
        int lawful = 0, legal = 0;
        for (size_t o = 0; o < n; ++o) {
          const bool in = (mask >> o) & 1u;
          if (in && (pinned[p].count(o) || !EligibleFor(s.officers[o], s.powers[p], day)))
            ok = false;
          if ((in || pinned[p].count(o)) && EligibleFor(s.officers[o], s.powers[p], day)) {
            ++lawful;
            if (s.officers[o].legal_qualification) ++legal;
          }
        }
        if (!ok) continue;
        if (lawful >= s.powers[p].RequiredOfficers() &&
            (!s.powers[p].needs_legal_review || legal > 0)) {
          options[p].push_back(mask);
        }
      }
    }
  }

  struct Best {
    bool found = false;
    int64_t sum_squares = 0;
    int32_t changes = 0;
    int32_t max_load = 0;
  };

  // Best plan that staffs exactly the powers in `staffed` (a bit per power).
  Best Search(const std::vector<bool>& staffed) {
    Best best;
    int32_t best_max = INT32_MAX;
    std::vector<int32_t> load = base_load;
    Recurse(0, staffed, load, 0, best, best_max);
    if (best.found) best.max_load = best_max;
    return best;
  }

  void Recurse(size_t p, const std::vector<bool>& staffed, std::vector<int32_t>& load,
               int32_t changes, Best& best, int32_t& best_max) {
    if (p == s.powers.size()) {
      int64_t squares = 0;
      int32_t max_load = 0;
      for (size_t o = 0; o < load.size(); ++o) {
        if (load[o] > std::max(base_load[o], s.officers[o].MaxLoad())) return;
        squares += int64_t{load[o]} * load[o];
        max_load = std::max(max_load, load[o]);
      }
      best_max = std::min(best_max, max_load);
      if (!best.found || squares < best.sum_squares ||
          (squares == best.sum_squares && changes < best.changes)) {
        best = {true, squares, changes, 0};
      }
      return;
    }
    if (!staffed[p]) {
      Recurse(p + 1, staffed, load, changes, best, best_max);
      return;
    }
    for (uint32_t mask : options[p]) {
      int32_t added = 0;
      for (size_t o = 0; o < load.size(); ++o) {
        if ((mask >> o) & 1u) {
          ++load[o];
          if (!existing[p].count(o)) ++added;
        }
      }
      Recurse(p + 1, staffed, load, changes + added, best, best_max);
      for (size_t o = 0; o < load.size(); ++o) {
        if ((mask >> o) & 1u) --load[o];
      }
    }
  }
};

DutySnapshot RandomInstance(std::mt19937& rng, int max_powers, int max_officers) {
  std::uniform_int_distribution<int> coin(0, 99);
  const std::vector<std::string> domains = {"社会组织", "殡葬"};
  DutySnapshot s;
  const int officers = 3 + static_cast<int>(rng() % (max_officers - 2));
  const int powers = 2 + static_cast<int>(rng() % (max_powers - 1));
  for (int i = 0; i < officers; ++i) {
    std::vector<std::string> ds;
    for (const auto& d : domains) {
      if (coin(rng) < 65) ds.push_back(d);
    }
    Officer o = MakeOfficer("o" + std::to_string(i), ds, coin(rng) < 40, 1 + coin(rng) % 3);
    o.certificate.issued = absl::CivilDay(2016 + coin(rng) % 6, 1 + coin(rng) % 12, 1);
    if (coin(rng) < 10) o.established = false;
    if (coin(rng) < 10) o.certificate.expiry = absl::CivilDay(2024, 1, 31);
    if (coin(rng) < 5) o.certificate.status = CertificateStatus::kRevoked;
    s.officers.push_back(o);
  }
  for (int i = 0; i < powers; ++i) {
    s.powers.push_back(MakePower("p" + std::to_string(i), domains[rng() % domains.size()],
                                 coin(rng) < 20 ? 3 : 2, coin(rng) < 40));
  }
  for (int i = 0; i < powers; ++i) {
    for (int j = 0; j < officers; ++j) {
      const int roll = coin(rng);
      if (roll < 4) {
        s.assignments.push_back(MakeAssignment("p" + std::to_string(i), "o" + std::to_string(j),
                                               AssignmentOrigin::kPinned));
      } else if (roll < 25) {
        s.assignments.push_back(MakeAssignment("p" + std::to_string(i), "o" + std::to_string(j),
                                               AssignmentOrigin::kComputed));
      }
    }
  }
  Normalize(s);
  return s;
}

TEST(AllocateExhaustiveTest, OptimalForTheStaffedPowersOnRandomSmallInstances) {
  std::mt19937 rng(20240630);
  int all_staffable = 0, compared = 0;
  for (int instance = 0; instance < 600; ++instance) {
    DutySnapshot s = RandomInstance(rng, 4, 6);
    // Odd instances start every power of its own with no spare candidate,
    // so pricing has to find the arcs that matter.
    AllocationTuning tuning;
    tuning.initial_extra_candidates = instance % 2 ? 0 : 2;
    AllocationPlan plan = Allocate(s, kDay, tuning);
    ExpectLawful(s, kDay, plan);
    Exhaustive exhaustive(s, kDay);

    // When every power can be staffed at once, the allocator does it.
    std::vector<bool> everything(s.powers.size(), true);
    Exhaustive::Best full = exhaustive.Search(everything);
    if (full.found) {
      ++all_staffable;
      EXPECT_TRUE(plan.unstaffed.empty()) << "instance " << instance;
    }

    // For the powers it staffs, no plan has a smaller maximum load, a
    // smaller sum of squares, or (with that) fewer new assignments.
    std::vector<bool> staffed(s.powers.size(), false);
    for (const PowerPlan& pp : plan.staffed) staffed[pp.power] = true;
    Exhaustive::Best best = exhaustive.Search(staffed);
    ASSERT_TRUE(best.found) << "instance " << instance;
    int64_t squares = 0;
    int32_t max_load = 0;
    for (int32_t load : plan.loads) {
      squares += int64_t{load} * load;
      max_load = std::max(max_load, load);
    }
    EXPECT_EQ(squares, best.sum_squares) << "instance " << instance;
    EXPECT_EQ(max_load, best.max_load) << "instance " << instance;
    if (squares == best.sum_squares) {
      EXPECT_EQ(plan.stats.added, best.changes) << "instance " << instance;
    }
    ++compared;
  }
  EXPECT_EQ(compared, 600);
  EXPECT_GT(all_staffable, 100) << "the generator should produce feasible instances too";
}

TEST(AllocateRandomTest, HardRulesHoldOnLargerRandomInstances) {
  std::mt19937 rng(42);
  std::uniform_int_distribution<int> coin(0, 99);
  const std::vector<std::string> domains = {"社会组织", "养老服务", "殡葬", "区划地名", "慈善"};
  for (int instance = 0; instance < 20; ++instance) {
    DutySnapshot s;
    for (int i = 0; i < 30; ++i) {
      std::vector<std::string> ds = {domains[rng() % domains.size()]};
      if (coin(rng) < 40) ds.push_back(domains[rng() % domains.size()]);
      Officer o = MakeOfficer("o" + std::to_string(i), ds, coin(rng) < 30, 2 + coin(rng) % 8);
      o.post_id = coin(rng) < 30 ? "post-a" : "";
      if (coin(rng) < 10) o.established = false;
      if (coin(rng) < 15) o.certificate.expiry = absl::CivilDay(2023, 12, 31);
      s.officers.push_back(o);
    }
    for (int i = 0; i < 80; ++i) {
      Power p = MakePower("p" + std::to_string(i), domains[rng() % domains.size()],
                          coin(rng) < 15 ? 3 : 0, coin(rng) < 30);
      if (coin(rng) < 10) p.post_id = "post-a";
      s.powers.push_back(p);
    }
    for (int k = 0; k < 15; ++k) {
      s.assignments.push_back(
          MakeAssignment("p" + std::to_string(rng() % 80), "o" + std::to_string(rng() % 30),
                         coin(rng) < 50 ? AssignmentOrigin::kPinned : AssignmentOrigin::kComputed));
    }
    std::sort(s.assignments.begin(), s.assignments.end(),
              [](const Assignment& a, const Assignment& b) { return a.meta.id < b.meta.id; });
    s.assignments.erase(std::unique(s.assignments.begin(), s.assignments.end(),
                                    [](const Assignment& a, const Assignment& b) {
                                      return a.meta.id == b.meta.id;
                                    }),
                        s.assignments.end());
    Normalize(s);
    AllocationPlan plan = Allocate(s, kDay);
    ExpectLawful(s, kDay, plan);
    // Deterministic: the same input gives the same plan.
    AllocationPlan again = Allocate(s, kDay);
    ASSERT_EQ(plan.computed.size(), again.computed.size());
    for (size_t i = 0; i < plan.computed.size(); ++i) {
      EXPECT_EQ(plan.computed[i].meta.id, again.computed[i].meta.id);
    }
  }
}

}  // namespace
}  // namespace fazhi::duty
