// The steps of the allocation (allocate_steps.h), each on its own: small
// inputs whose right answer can be worked out by hand.

#include "services/duty/allocate_steps.h"

#include <algorithm>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace fazhi::duty::allocation {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

const absl::CivilDay kDay(2024, 6, 30);

// An established officer of `domain` with a certificate valid on kDay.
Officer Enforcer(const std::string& id, const std::string& domain, int max_load = 10,
                 bool legal = false) {
  Officer o;
  o.meta.id = id;
  o.person_id = "p-" + id;
  o.domains = {domain};
  o.legal_qualification = legal;
  o.max_load = max_load;
  o.established = true;
  o.certificate = {"ZF-" + id, absl::CivilDay(2020, 1, 1), absl::CivilDay(2026, 12, 31),
                   CertificateStatus::kValid};
  return o;
}

Power Duty(const std::string& id, const std::string& domain, int required = 2,
           bool review = false) {
  Power p;
  p.meta.id = id;
  p.code = "C-" + id;
  p.domain = domain;
  p.required_officers = required;
  p.needs_legal_review = review;
  return p;
}

Assignment Held(const std::string& power, const std::string& officer, AssignmentOrigin origin,
                AssignmentRole role = AssignmentRole::kAssistant) {
  Assignment a;
  a.meta.id = AssignmentId(power, officer);
  a.power_id = power;
  a.officer_id = officer;
  a.origin = origin;
  a.role = role;
  return a;
}

OfficerState Free(int32_t remaining, bool legal = false) {
  OfficerState s;
  s.legal = legal;
  s.remaining = remaining;
  return s;
}

Group Merged(int32_t members, int32_t need, bool legal, std::vector<size_t> candidates) {
  Group g;
  for (int32_t i = 0; i < members; ++i) g.members.push_back(static_cast<size_t>(i));
  g.need = need;
  g.legal = legal;
  g.candidates = std::move(candidates);
  g.change_cost.assign(g.candidates.size(), 1);
  g.included.assign(g.candidates.size(), true);
  g.active = members;
  return g;
}

Group Own(size_t power, int32_t need, std::vector<size_t> candidates,
          std::vector<int64_t> change_cost) {
  Group g = Merged(1, need, false, std::move(candidates));
  g.members = {power};
  g.individual = true;
  g.change_cost = std::move(change_cost);
  return g;
}

// ---------------------------------------------------------------------------
// ReadAssignments

TEST(ReadAssignmentsTest, PinsAreLoadComputedOnesAreExistingUnknownOnesIgnored) {
  DutySnapshot s;
  s.powers = {Duty("w0", "慈善"), Duty("w1", "慈善")};
  s.officers = {Enforcer("a", "慈善", /*max_load=*/2), Enforcer("b", "慈善", 1, /*legal=*/true),
                Enforcer("c", "慈善")};
  s.officers[2].certificate.expiry = kDay - 1;
  s.assignments = {Held("w0", "a", AssignmentOrigin::kPinned),
                   Held("w1", "a", AssignmentOrigin::kPinned),
                   Held("w0", "b", AssignmentOrigin::kPinned),
                   Held("w1", "b", AssignmentOrigin::kPinned),
                   Held("w1", "c", AssignmentOrigin::kComputed),
                   Held("gone", "a", AssignmentOrigin::kPinned),
                   Held("w0", "nobody", AssignmentOrigin::kComputed)};
  const Holdings h = ReadAssignments(s);
  ASSERT_EQ(h.officers.size(), 3u);
  EXPECT_EQ(h.officers[0].pinned, 2);
  EXPECT_EQ(h.officers[0].remaining, 0);
  EXPECT_EQ(h.officers[1].pinned, 2);
  EXPECT_EQ(h.officers[1].remaining, 0) << "pins beyond the maximum leave no room, not less";
  EXPECT_TRUE(h.officers[1].legal);
  EXPECT_FALSE(h.officers[0].legal);
  EXPECT_EQ(h.officers[2].remaining, 10) << "a lapsed certificate is no load";
  ASSERT_EQ(h.pins.size(), 2u);
  ASSERT_EQ(h.pins[0].size(), 2u);
  EXPECT_EQ(h.pins[0][0].first, 0u);
  EXPECT_EQ(h.pins[0][1].first, 1u);
  EXPECT_EQ(h.pins[0][1].second, &s.assignments[2]);
  EXPECT_THAT(h.existing[0], IsEmpty());
  ASSERT_EQ(h.existing[1].size(), 1u);
  EXPECT_EQ(h.existing[1].at(2), &s.assignments[4]);
}

// ---------------------------------------------------------------------------
// GroupPowers

TEST(GroupPowersTest, InterchangeablePowersShareOneGroupOfTheirPool) {
  DutySnapshot s;
  s.powers = {Duty("w0", "慈善"), Duty("w1", "殡葬"), Duty("w2", "慈善"), Duty("w3", "慈善", 3)};
  s.officers = {Enforcer("a", "慈善"), Enforcer("b", "慈善", 1), Enforcer("c", "殡葬"),
                Enforcer("d", "慈善"), Enforcer("e", "慈善")};
  s.officers[3].established = false;
  s.assignments = {Held("w1", "b", AssignmentOrigin::kPinned)};  // fills b (max 1)
  const Grouping g = GroupPowers(s, kDay, ReadAssignments(s));
  // w0 and w2 merge; w1 has a pin and is its own; w3 needs three.
  ASSERT_EQ(g.groups.size(), 3u);
  const Group& merged = g.groups[0];
  EXPECT_THAT(merged.members, ElementsAre(0u, 2u));
  EXPECT_FALSE(merged.individual);
  EXPECT_EQ(merged.need, 2);
  EXPECT_EQ(merged.active, 2);
  EXPECT_THAT(merged.candidates, ElementsAre(0u, 4u)) << "b is full, d not established";
  EXPECT_THAT(merged.change_cost, ElementsAre(1, 1));
  // The pin on w1 is unlawful (b is not of 殡葬): it counts for nothing.
  EXPECT_TRUE(g.groups[1].individual);
  EXPECT_THAT(g.groups[1].members, ElementsAre(1u));
  EXPECT_EQ(g.groups[1].need, 2);
  EXPECT_THAT(g.groups[1].candidates, ElementsAre(2u));
  EXPECT_THAT(g.groups[2].members, ElementsAre(3u));
  EXPECT_EQ(g.groups[2].need, 3);
  EXPECT_FALSE(g.groups[2].individual);
  EXPECT_THAT(g.staffed_by_pins, ElementsAre(false, false, false, false));
}

TEST(GroupPowersTest, LawfulPinsLowerTheNeedAndKeptOfficersCostNothing) {
  DutySnapshot s;
  s.powers = {Duty("w0", "慈善"), Duty("w1", "慈善", 3, /*review=*/true),
              Duty("w2", "慈善", 2, /*review=*/true)};
  s.officers = {Enforcer("a", "慈善"), Enforcer("b", "慈善"), Enforcer("c", "慈善"),
                Enforcer("law", "慈善", 10, /*legal=*/true)};
  s.assignments = {
      Held("w0", "a", AssignmentOrigin::kPinned), Held("w0", "b", AssignmentOrigin::kPinned),
      Held("w1", "a", AssignmentOrigin::kPinned), Held("w1", "b", AssignmentOrigin::kPinned),
      Held("w2", "c", AssignmentOrigin::kComputed)};
  const Grouping g = GroupPowers(s, kDay, ReadAssignments(s));
  EXPECT_THAT(g.staffed_by_pins, ElementsAre(true, false, false));
  ASSERT_EQ(g.groups.size(), 2u);
  // w1: two lawful pins of three, but no legal reviewer among them.
  const Group& w1 = g.groups[0];
  EXPECT_THAT(w1.members, ElementsAre(1u));
  EXPECT_TRUE(w1.individual);
  EXPECT_EQ(w1.need, 1);
  EXPECT_TRUE(w1.legal);
  EXPECT_THAT(w1.candidates, ElementsAre(2u, 3u)) << "the pinned officers are no candidates";
  // w2 keeps c: its own group, c at no change cost.
  const Group& w2 = g.groups[1];
  EXPECT_THAT(w2.members, ElementsAre(2u));
  EXPECT_TRUE(w2.individual);
  EXPECT_EQ(w2.need, 2);
  EXPECT_THAT(w2.candidates, ElementsAre(0u, 1u, 2u, 3u));
  EXPECT_THAT(w2.change_cost, ElementsAre(1, 1, 0, 1));
}

TEST(GroupPowersTest, PinsWithoutAReviewerLeaveOneToFind) {
  DutySnapshot s;
  s.powers = {Duty("w0", "慈善", 2, /*review=*/true)};
  s.officers = {Enforcer("a", "慈善"), Enforcer("b", "慈善"),
                Enforcer("law", "慈善", 10, /*legal=*/true)};
  s.assignments = {Held("w0", "a", AssignmentOrigin::kPinned),
                   Held("w0", "b", AssignmentOrigin::kPinned)};
  const Grouping g = GroupPowers(s, kDay, ReadAssignments(s));
  EXPECT_THAT(g.staffed_by_pins, ElementsAre(false));
  ASSERT_EQ(g.groups.size(), 1u);
  EXPECT_EQ(g.groups[0].need, 1);
  EXPECT_TRUE(g.groups[0].legal);
  EXPECT_THAT(g.groups[0].candidates, ElementsAre(2u));
}

TEST(GroupPowersTest, ALegalPinLeavesNoReviewNeed) {
  DutySnapshot s;
  s.powers = {Duty("w0", "慈善", 2, /*review=*/true)};
  s.officers = {Enforcer("a", "慈善"), Enforcer("law", "慈善", 10, /*legal=*/true)};
  s.assignments = {Held("w0", "law", AssignmentOrigin::kPinned)};
  const Grouping g = GroupPowers(s, kDay, ReadAssignments(s));
  ASSERT_EQ(g.groups.size(), 1u);
  EXPECT_EQ(g.groups[0].need, 1);
  EXPECT_FALSE(g.groups[0].legal);
}

// ---------------------------------------------------------------------------
// IncludeInitialArcs

TEST(IncludeInitialArcsTest, MergedGroupsHaveEveryArcOwnGroupsTheKeptAndTheLeastLoaded) {
  std::vector<OfficerState> officers(6, Free(10));
  officers[1].pinned = 3;
  officers[2].pinned = 1;
  officers[4].pinned = 2;
  std::vector<Group> groups = {Merged(2, 2, false, {0, 1, 2}),
                               Own(7, 2, {0, 1, 2, 3, 4, 5}, {1, 1, 1, 0, 1, 1})};
  groups[0].included.clear();
  groups[1].included.clear();
  IncludeInitialArcs(groups, officers, /*extra_candidates=*/1);
  EXPECT_THAT(groups[0].included, ElementsAre(true, true, true));
  // Kept officer 3, then need-kept (1) + 1 extra of the least loaded: 0 and
  // 5 (load 0) before 2 (1), 4 (2) and 1 (3).
  EXPECT_THAT(groups[1].included, ElementsAre(true, false, false, true, false, true));

  IncludeInitialArcs(groups, officers, /*extra_candidates=*/0);
  EXPECT_EQ(std::count(groups[1].included.begin(), groups[1].included.end(), true), 2);
  EXPECT_TRUE(groups[1].included[3]);
}

// ---------------------------------------------------------------------------
// StaffableMembers, FillRoundRobin, ReleaseUnfilled

TEST(StaffableMembersTest, LargestCountTheUnitsCanStaffWithDistinctOfficers) {
  const std::vector<OfficerState> officers = {Free(9), Free(9), Free(9, /*legal=*/true), Free(9)};
  const Group plain = Merged(3, 2, false, {0, 1, 2, 3});
  // Six units, but officer 0 can serve each member only once.
  EXPECT_EQ(StaffableMembers(plain, {4, 1, 1, 0}, officers), 2);
  EXPECT_EQ(StaffableMembers(plain, {2, 2, 1, 1}, officers), 3);
  EXPECT_EQ(StaffableMembers(plain, {1, 0, 0, 0}, officers), 0);
  // With review: as many members as legally qualified units.
  const Group legal = Merged(3, 2, true, {0, 1, 2, 3});
  EXPECT_EQ(StaffableMembers(legal, {2, 2, 1, 1}, officers), 1);
  EXPECT_EQ(StaffableMembers(legal, {2, 1, 2, 1}, officers), 2);
}

TEST(FillRoundRobinTest, EveryMemberDistinctOfficersAndAReviewerFirst) {
  const std::vector<OfficerState> officers = {Free(9), Free(9, /*legal=*/true), Free(9),
                                              Free(9, /*legal=*/true)};
  const Group group = Merged(2, 2, true, {0, 1, 2, 3});
  const auto sets = FillRoundRobin(group, {2, 1, 0, 1}, officers, 2);
  EXPECT_THAT(sets, ElementsAre(ElementsAre(1u, 0u), ElementsAre(3u, 0u)));
  EXPECT_THAT(FillRoundRobin(group, {2, 1, 0, 1}, officers, 0), IsEmpty());
  // More units than slots: the surplus is left out.
  const Group plain = Merged(1, 2, false, {0, 1, 2, 3});
  EXPECT_THAT(FillRoundRobin(plain, {1, 1, 1, 1}, officers, 1), ElementsAre(ElementsAre(1u, 3u)));
}

TEST(ReleaseUnfilledTest, MergedGroupsShrinkAndHalfTheUnfilledOwnGroupsGo) {
  const std::vector<OfficerState> officers(4, Free(9));
  std::vector<Group> groups = {Merged(3, 2, false, {0, 1, 2}), Own(4, 2, {0, 1}, {1, 1}),
                               Own(5, 2, {0, 1}, {1, 1}), Own(6, 2, {2, 3}, {1, 1}),
                               Own(7, 2, {2, 3}, {1, 1})};
  std::vector<GroupFlow> flows(groups.size());
  flows[0] = {4, {2, 1, 1}};
  flows[1].in = 1;
  flows[2].in = 1;
  flows[3].in = 2;  // filled
  flows[4].in = 0;
  EXPECT_TRUE(ReleaseUnfilled(groups, flows, officers));
  EXPECT_EQ(groups[0].active, 2);
  // Unfilled: 7 (0 units), then 4 and 5 (1 each, the later code first);
  // half of three rounded up is two.
  EXPECT_EQ(groups[4].active, 0);
  EXPECT_EQ(groups[2].active, 0);
  EXPECT_EQ(groups[1].active, 1);
  EXPECT_EQ(groups[3].active, 1);

  flows[0] = {4, {2, 1, 1}};
  flows[1].in = 2;
  EXPECT_FALSE(ReleaseUnfilled(groups, flows, officers)) << "every active demand is met";
  EXPECT_EQ(groups[0].active, 2);
  EXPECT_EQ(groups[1].active, 1);
}

// ---------------------------------------------------------------------------
// ChooseStaffedGroups, SolvePlan (the flow rounds)

TEST(ChooseStaffedGroupsTest, ReleasesWhatTheOfficersCannotCover) {
  // Officers 0 and 1 have room for one power each; officers 2..5 for two.
  std::vector<OfficerState> officers = {Free(1), Free(1), Free(2), Free(2), Free(2), Free(2)};
  std::vector<Group> groups = {Own(0, 2, {0, 1}, {0, 0}), Own(1, 2, {0, 1}, {1, 1}),
                               Merged(5, 2, false, {2, 3, 4, 5})};
  groups[2].members = {2, 3, 4, 5, 6};
  ChooseStaffedGroups(groups, officers);
  // 0 and 1 tie on units; the later power (1) goes.
  EXPECT_EQ(groups[0].active, 1);
  EXPECT_EQ(groups[1].active, 0);
  EXPECT_EQ(groups[2].active, 4) << "eight units staff four powers of two";
}

TEST(ChooseStaffedGroupsTest, PricingAddsArcsLeftOutOfTheNetwork) {
  std::vector<OfficerState> officers = {Free(1), Free(1), Free(1), Free(1)};
  std::vector<Group> groups = {Own(0, 2, {0, 1}, {1, 1}), Own(1, 2, {0, 1, 2, 3}, {1, 1, 1, 1})};
  groups[1].included = {true, true, false, false};
  ChooseStaffedGroups(groups, officers);
  EXPECT_EQ(groups[0].active, 1);
  EXPECT_EQ(groups[1].active, 1) << "officers 2 and 3 staff power 1 once their arcs are in";
  EXPECT_TRUE(groups[1].included[2]);
  EXPECT_TRUE(groups[1].included[3]);
}

TEST(SolvePlanTest, EvensTheLoadFirstThenKeepsAssignments) {
  std::vector<OfficerState> officers = {Free(5), Free(5), Free(5), Free(5)};
  officers[0].pinned = 2;
  officers[2].pinned = 1;
  // Power 0 keeps officers 0 and 3, but officer 0 already carries two pins.
  std::vector<Group> groups = {Own(0, 2, {0, 1, 2, 3}, {0, 1, 1, 0})};
  const auto units = SolvePlan(groups, officers);
  ASSERT_EQ(units.size(), 1u);
  EXPECT_THAT(units[0], ElementsAre(0, 1, 0, 1)) << "load first: the unloaded 1 and 3";
}

TEST(SolvePlanTest, PricingFindsTheLessLoadedOfficers) {
  std::vector<OfficerState> officers = {Free(5), Free(5), Free(5), Free(5)};
  officers[0].pinned = 3;
  officers[1].pinned = 3;
  std::vector<Group> groups = {Own(0, 2, {0, 1, 2, 3}, {1, 1, 1, 1})};
  groups[0].included = {true, true, false, false};
  const auto units = SolvePlan(groups, officers);
  EXPECT_THAT(units[0], ElementsAre(0, 0, 1, 1));
}

TEST(SolvePlanTest, MergedGroupsSpreadTheirUnits) {
  std::vector<OfficerState> officers = {Free(5), Free(5), Free(5), Free(5, /*legal=*/true),
                                        Free(5)};
  std::vector<Group> groups = {Merged(2, 2, /*legal=*/true, {0, 1, 2, 3, 4})};
  groups[0].active = 2;
  const auto units = SolvePlan(groups, officers);
  int64_t total = 0;
  for (int64_t u : units[0]) {
    EXPECT_LE(u, 2);
    total += u;
  }
  EXPECT_EQ(total, 4);
  EXPECT_EQ(units[0][3], 2) << "the only reviewer serves both members";
}

TEST(SolvePlanTest, NothingActiveNothingPlanned) {
  std::vector<OfficerState> officers = {Free(5), Free(5)};
  std::vector<Group> groups = {Own(0, 2, {0, 1}, {1, 1})};
  groups[0].active = 0;
  const auto units = SolvePlan(groups, officers);
  ASSERT_EQ(units.size(), 1u);
  EXPECT_THAT(units[0], IsEmpty());
}

// ---------------------------------------------------------------------------
// OfficersByPower, PlanLoads

TEST(OfficersByPowerTest, UnitsBecomeOfficerSetsPerPower) {
  const std::vector<OfficerState> officers(5, Free(5));
  std::vector<Group> groups = {Own(1, 2, {0, 2, 4}, {1, 1, 1}), Merged(2, 2, false, {1, 3, 4}),
                               Own(4, 2, {0, 1}, {1, 1})};
  groups[1].members = {2, 3};
  groups[2].active = 0;
  const std::vector<std::vector<int64_t>> units = {{1, 0, 1}, {2, 1, 1}, {}};
  const Staffing st = OfficersByPower(groups, units, officers, {true, false, false, false, false});
  EXPECT_THAT(st.staffed, ElementsAre(true, true, true, true, false));
  EXPECT_THAT(st.chosen[0], IsEmpty());
  EXPECT_THAT(st.chosen[1], ElementsAre(0u, 4u));
  EXPECT_THAT(st.chosen[2], ElementsAre(1u, 3u));
  EXPECT_THAT(st.chosen[3], ElementsAre(1u, 4u));
  EXPECT_THAT(st.chosen[4], IsEmpty());

  std::vector<OfficerState> loaded = officers;
  loaded[2].pinned = 3;
  EXPECT_THAT(PlanLoads(loaded, st.chosen), ElementsAre(1, 2, 3, 1, 2));
}

// ---------------------------------------------------------------------------
// PlanPower

class PlanPowerTest : public ::testing::Test {
 protected:
  PlanPowerTest() {
    s_.powers = {Duty("w0", "慈善")};
    s_.officers = {Enforcer("a", "慈善"), Enforcer("b", "慈善"), Enforcer("c", "慈善"),
                   Enforcer("d", "慈善")};
    // Seniority by certificate: c, then a, then b and d (same day, by person).
    s_.officers[2].certificate.issued = absl::CivilDay(2018, 1, 1);
    s_.officers[0].certificate.issued = absl::CivilDay(2019, 1, 1);
    s_.officers[3].post_id = "post-9";
  }
  DutySnapshot s_;
};

TEST_F(PlanPowerTest, MostSeniorComputedOfficerLeads) {
  const PowerOutcome out = PlanPower(s_, 0, {}, {}, {1, 2, 0});
  ASSERT_EQ(out.officers.size(), 3u);
  EXPECT_EQ(out.officers[0].officer, 2u);
  EXPECT_EQ(out.officers[0].role, AssignmentRole::kLead);
  EXPECT_EQ(out.officers[1].officer, 0u);
  EXPECT_EQ(out.officers[1].role, AssignmentRole::kAssistant);
  EXPECT_EQ(out.officers[2].officer, 1u);
  ASSERT_EQ(out.computed.size(), 3u);
  // Stored in seniority order.
  EXPECT_EQ(out.computed[0].meta.id, "w0~c");
  EXPECT_EQ(out.computed[0].role, AssignmentRole::kLead);
  EXPECT_EQ(out.computed[1].meta.id, "w0~a");
  EXPECT_EQ(out.computed[2].officer_id, "b");
  EXPECT_EQ(out.computed[2].power_id, "w0");
  EXPECT_EQ(out.computed[2].origin, AssignmentOrigin::kComputed);
  EXPECT_THAT(out.removed, IsEmpty());
}

TEST_F(PlanPowerTest, AKeptLeadStaysAndDroppedOnesAreRemoved) {
  const Assignment kept_lead = Held("w0", "b", AssignmentOrigin::kComputed, AssignmentRole::kLead);
  const Assignment dropped = Held("w0", "a", AssignmentOrigin::kComputed);
  const Assignment kept = Held("w0", "d", AssignmentOrigin::kComputed);
  const PowerOutcome out =
      PlanPower(s_, 0, {}, {{0, &dropped}, {1, &kept_lead}, {3, &kept}}, {2, 1, 3});
  ASSERT_EQ(out.officers.size(), 3u);
  EXPECT_EQ(out.officers[0].officer, 1u);
  EXPECT_EQ(out.officers[0].role, AssignmentRole::kLead);
  EXPECT_TRUE(out.officers[0].kept);
  EXPECT_EQ(out.officers[1].officer, 2u);
  EXPECT_FALSE(out.officers[1].kept);
  EXPECT_EQ(out.officers[2].officer, 3u);
  EXPECT_TRUE(out.officers[2].kept);
  EXPECT_THAT(out.removed, ElementsAre("w0~a"));
  ASSERT_EQ(out.computed.size(), 3u);
  EXPECT_EQ(out.computed[2].post_id, "post-9") << "the officer's post goes with the assignment";
}

TEST_F(PlanPowerTest, APinnedLeadLeadsAndPinsComeFirstByPerson) {
  const Assignment pin_lead = Held("w0", "d", AssignmentOrigin::kPinned, AssignmentRole::kLead);
  const Assignment pin = Held("w0", "b", AssignmentOrigin::kPinned);
  const PowerOutcome out = PlanPower(s_, 0, {{3, &pin_lead}, {1, &pin}}, {}, {2, 0});
  ASSERT_EQ(out.officers.size(), 4u);
  EXPECT_EQ(out.officers[0].officer, 3u);
  EXPECT_EQ(out.officers[0].origin, AssignmentOrigin::kPinned);
  EXPECT_EQ(out.officers[0].role, AssignmentRole::kLead);
  // The rest by person_id: a, b, c.
  EXPECT_EQ(out.officers[1].officer, 0u);
  EXPECT_EQ(out.officers[2].officer, 1u);
  EXPECT_EQ(out.officers[2].origin, AssignmentOrigin::kPinned);
  EXPECT_EQ(out.officers[3].officer, 2u);
  for (size_t i = 1; i < 4; ++i) EXPECT_EQ(out.officers[i].role, AssignmentRole::kAssistant);
  ASSERT_EQ(out.computed.size(), 2u) << "pins are not stored again";
  EXPECT_EQ(out.computed[0].role, AssignmentRole::kAssistant);
}

// ---------------------------------------------------------------------------
// DiagnoseStaffing, DescribeUnstaffed

TEST(DiagnoseStaffingTest, TheFirstRuleThatLeavesTooFew) {
  std::vector<Officer> officers = {Enforcer("a", "慈善"), Enforcer("b", "慈善"),
                                   Enforcer("c", "殡葬")};
  EXPECT_EQ(DiagnoseStaffing(Duty("w", "慈善", 3), officers, kDay).reason,
            UnstaffedReason::kNoQualifiedOfficer);
  EXPECT_EQ(DiagnoseStaffing(Duty("w", "慈善", 2, true), officers, kDay).reason,
            UnstaffedReason::kNoLegalReviewer);
  EXPECT_EQ(DiagnoseStaffing(Duty("w", "慈善"), officers, kDay).reason,
            UnstaffedReason::kAllAtCapacity);
  officers[1].certificate.expiry = kDay - 1;
  const StaffingDiagnosis d = DiagnoseStaffing(Duty("w", "慈善"), officers, kDay);
  EXPECT_EQ(d.reason, UnstaffedReason::kCertificatesNotValid);
  EXPECT_EQ(d.required, 2);
  EXPECT_EQ(d.qualified, 2);
  EXPECT_EQ(d.eligible, 1);
  EXPECT_EQ(d.eligible_legal, 0);
  officers[0].established = false;
  EXPECT_EQ(DiagnoseStaffing(Duty("w", "慈善"), officers, kDay).reason,
            UnstaffedReason::kNoQualifiedOfficer);
}

TEST(DescribeUnstaffedTest, CountsAndTheSentenceOfTheReport) {
  DutySnapshot s;
  s.powers = {Duty("w0", "慈善", 3, /*review=*/true)};
  s.powers[0].post_id = "post-1";
  s.officers = {Enforcer("a", "慈善", 10, /*legal=*/true), Enforcer("b", "慈善"),
                Enforcer("c", "慈善")};
  for (Officer& o : s.officers) o.post_id = "post-1";
  s.officers[2].certificate.expiry = kDay - 1;
  const UnstaffedPower u = DescribeUnstaffed(s, 0, kDay);
  EXPECT_EQ(u.power, 0u);
  EXPECT_EQ(u.reason, UnstaffedReason::kCertificatesNotValid);
  EXPECT_EQ(u.required, 3);
  EXPECT_EQ(u.qualified, 3);
  EXPECT_EQ(u.eligible, 2);
  EXPECT_EQ(u.eligible_legal, 1);
  EXPECT_EQ(u.detail,
            "too few valid certificates among officers of domain \"慈善\" and post post-1: needs 3 "
            "(one legally qualified); 3 qualified, 2 with a certificate valid on 2024-06-30, 1 of "
            "them legally qualified");
  s.powers[0].post_id.clear();
  s.powers[0].needs_legal_review = false;
  s.powers[0].required_officers = 2;
  s.officers[2].certificate.expiry = kDay;
  EXPECT_EQ(DescribeUnstaffed(s, 0, kDay).detail,
            "eligible officers are at their maximum load in domain \"慈善\": needs 2; 3 qualified, "
            "3 with a certificate valid on 2024-06-30, 1 of them legally qualified");
}

// ---------------------------------------------------------------------------
// Statistics

TEST(StatisticsTest, CountsThePlanAndTheLoadsOfOfficersWhoCouldServe) {
  DutySnapshot s;
  s.powers = {Duty("w0", "慈善"), Duty("w1", "殡葬")};
  s.powers[1].post_id = "post-1";
  s.officers = {Enforcer("a", "慈善"), Enforcer("b", "慈善"), Enforcer("c", "殡葬"),
                Enforcer("d", "殡葬"), Enforcer("e", "地名"), Enforcer("f", "慈善")};
  s.officers[2].post_id = "post-1";   // c serves w1's post
  s.officers[5].established = false;  // f could serve nothing, but holds a pin
  AllocationPlan plan;
  plan.staffed = {PowerPlan{0,
                            {{0, AssignmentRole::kLead, AssignmentOrigin::kComputed, true},
                             {1, AssignmentRole::kAssistant, AssignmentOrigin::kComputed, false},
                             {4, AssignmentRole::kAssistant, AssignmentOrigin::kComputed, false}}}};
  UnstaffedPower u;
  u.power = 1;
  u.pinned = {{5, AssignmentRole::kLead, AssignmentOrigin::kPinned, false}};
  plan.unstaffed = {u};
  plan.removed = {"w1~c", "w1~d"};
  plan.loads = {1, 1, 0, 0, 1, 3};
  const AllocationStats st = Statistics(s, kDay, plan);
  EXPECT_EQ(st.powers, 2);
  EXPECT_EQ(st.staffed_powers, 1);
  EXPECT_EQ(st.unstaffed_powers, 1);
  EXPECT_EQ(st.assignments, 4);
  EXPECT_EQ(st.kept, 1);
  EXPECT_EQ(st.added, 2);
  EXPECT_EQ(st.removed, 2);
  // Eligible: a, b (慈善), c (殡葬 on post-1); not d (wrong post), e (no
  // such domain) nor f (not established). Loads: theirs, and e's and f's,
  // who hold powers; d's zero is left out.
  EXPECT_EQ(st.eligible_officers, 3);
  EXPECT_EQ(st.max_load, 3);
  EXPECT_EQ(st.min_load, 0);
  EXPECT_EQ(st.load_sum_of_squares, 1 + 1 + 0 + 1 + 9);
  EXPECT_EQ(st.officers_used, 4);
}

TEST(StatisticsTest, NoOfficersNoLoads) {
  DutySnapshot s;
  s.powers = {Duty("w0", "慈善")};
  AllocationPlan plan;
  const AllocationStats st = Statistics(s, kDay, plan);
  EXPECT_EQ(st.powers, 1);
  EXPECT_EQ(st.max_load, 0);
  EXPECT_EQ(st.min_load, 0);
  EXPECT_EQ(st.eligible_officers, 0);
}

}  // namespace
}  // namespace fazhi::duty::allocation
